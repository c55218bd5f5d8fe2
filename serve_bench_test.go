package main

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"testing"
	"time"
)

// BenchmarkServeStart measures crier serve's start, from the files (the
// host key made before) to listening: reading the keys and the host key,
// making the server and its scheduler. The target is 200 ms.
func BenchmarkServeStart(b *testing.B) {
	r := newServeRig(b, nil)
	dir := b.TempDir()
	keys := filepath.Join(dir, "authorized_keys")
	os.WriteFile(keys, []byte("# none yet\n"), 0o600)
	hostKeyPath := filepath.Join(dir, "ssh_host_ed25519_key")
	if _, err := hostKey(hostKeyPath); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, err := newSSHServer(r.srv.cfg, r.st, r.srv.accounts, nil, r.srv.log, true,
			serveOptions{Listen: "127.0.0.1:0", MaxSessions: 10, PerMinute: 10, KeysPath: keys, HostKeyPath: hostKeyPath})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Listen(); err != nil {
			b.Fatal(err)
		}
		s.ln.Close()
	}
}

// BenchmarkServeKeypress measures, over loopback with an SSH client in Go,
// the time from a keypress (the inbox cursor, down and up) to the first
// bytes of the frame that shows it, with 1, 10 and 50 sessions open (the
// others idle), and reports the 99th percentile. The target is 10 ms at
// 50 sessions. It also reports the server's heap and goroutines per extra
// session.
func BenchmarkServeKeypress(b *testing.B) {
	for _, n := range []int{1, 10, 50} {
		b.Run(strconv.Itoa(n)+"-sessions", func(b *testing.B) {
			r := newServeRig(b, func(o *serveOptions) { o.MaxSessions = 100 })
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			goroutines := runtime.NumGoroutine()
			terms := make([]*sshTerm, n)
			for i := range terms {
				terms[i] = r.open(r.full)
			}
			runtime.GC()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			tm := terms[0]
			tm.keys("3")
			tm.waitFor("Open · all kinds")
			time.Sleep(200 * time.Millisecond)
			var lat []time.Duration
			keys := []string{"j", "k"}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				n0 := len(tm.out.String())
				start := time.Now()
				tm.keys(keys[i%2])
				for len(tm.out.String()) == n0 {
					runtime.Gosched()
				}
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			}
			b.ReportMetric(float64(int64(after.HeapInuse)-int64(before.HeapInuse))/float64(n)/1e6, "heap-MB/session")
			b.ReportMetric(float64(runtime.NumGoroutine()-goroutines)/float64(n), "goroutines/session")
		})
	}
}
