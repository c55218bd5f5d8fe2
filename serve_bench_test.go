package main

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/crier-app/crier/store"
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

// Each op of BenchmarkServeKeypress types this many keys, this far apart
// on average: 200 over about five seconds, so even one op (CI runs
// -benchtime=1x) spans at least one heartbeat of the sender lease (every
// third of its 10 s TTL) and gives a 99th percentile of its own.
const (
	benchKeys     = 200
	benchKeyEvery = 25 * time.Millisecond
)

// benchSaveEvery is how often, in the -another-saving case, another
// process saves a draft while the keys are typed: each save has every
// session reload what it shows.
const benchSaveEvery = 500 * time.Millisecond

// BenchmarkServeKeypress measures, over loopback with an SSH client in Go,
// the time from a keypress (the inbox cursor, down and up) to the first
// bytes of the frame that shows it, with 1, 10 and 50 sessions open (the
// others idle) and the scheduler running, and with 50 while another
// process saves a draft every benchSaveEvery. Each op types benchKeys keys at
// irregular intervals and it reports their median and 99th percentile; the
// target is a p99 of 10 ms at 50 sessions. "heartbeats" counts the sender
// lease's heartbeats seen while it typed.
//
// It also reports what each session beyond the first costs: the process's
// resident memory (VmRSS, its growth from opening them; the target is
// 15 MB), the Go heap and the goroutines. The SSH clients live in the same
// process, so their share is counted too.
func BenchmarkServeKeypress(b *testing.B) {
	for _, c := range []struct {
		n      int
		saving bool
	}{{1, false}, {10, false}, {50, false}, {50, true}} {
		n := c.n
		name := strconv.Itoa(n) + "-sessions"
		if c.saving {
			name += "-another-saving"
		}
		b.Run(name, func(b *testing.B) {
			r := newServeRig(b, func(o *serveOptions) { o.MaxSessions = 100 })
			tm := r.open(r.full)
			tm.keys("3")
			tm.waitFor("Open · all kinds")
			// The inbox's first page has landed once it says where the
			// cursor is.
			if _, ok := tm.out.Await(0, time.Minute, func(w string) bool { return cursorRE.MatchString(ansi.Strip(w)) }); !ok {
				b.Fatalf("the inbox never said where its cursor is:\n%s", tm.screen())
			}

			runtime.GC()
			debug.FreeOSMemory()
			rssBefore := residentBytes(b)
			var heapBefore runtime.MemStats
			runtime.ReadMemStats(&heapBefore)
			goroutines := runtime.NumGoroutine()
			others := make([]*sshTerm, 0, n-1)
			for range n - 1 {
				others = append(others, r.open(r.full))
			}
			// Each has drawn its first screen with the calendar's week
			// loaded: the title was drawn again without "loading…".
			for _, o := range others {
				if _, ok := o.out.Await(0, time.Minute, calendarLoaded); !ok {
					b.Fatalf("a session's calendar never loaded:\n%s", o.screen())
				}
			}
			rssAfter := residentBytes(b)
			runtime.GC()
			var heapAfter runtime.MemStats
			runtime.ReadMemStats(&heapAfter)
			extra := float64(max(n-1, 1))
			rssPer := float64(int64(rssAfter)-int64(rssBefore)) / extra / 1e6
			heapPer := float64(int64(heapAfter.HeapInuse)-int64(heapBefore.HeapInuse)) / extra / 1e6
			goroutinesPer := float64(runtime.NumGoroutine()-goroutines) / extra

			beats := watchHeartbeats(r.st)
			if c.saving {
				defer saveEvery(b, r.f.db, benchSaveEvery)()
			}
			wrote := tm.out.Notify()
			rnd := rand.New(rand.NewPCG(uint64(n), 14))
			// The inbox header says where the cursor is ("2 of 36"): the
			// frame that shows a keypress is the first to say it moved.
			at, total := cursorPlace(b, ansi.Strip(tm.out.String()))
			var lat []time.Duration
			for b.Loop() {
				next := time.Now()
				for i := range benchKeys {
					// Uniform between half and one and a half times the
					// mean: no rhythm for the 120 FPS frame clock to lock to.
					next = next.Add(benchKeyEvery/2 + time.Duration(rnd.Int64N(int64(benchKeyEvery))))
					// Real time is the load measured: keys paced as a
					// person types them, not as fast as the server takes.
					time.Sleep(time.Until(next))
					key := "k"
					if at == 1 {
						key = "j"
					}
					mark := tm.out.Len()
					start := time.Now()
					tm.keys(key)
					deadline := time.After(10 * time.Second)
					for moved := false; !moved; {
						select {
						case <-wrote:
						case <-deadline:
							b.Fatalf("keypress %d (%s, the cursor on item %d): no frame moved it within 10 s; it drew:\n%s", i+1, key, at, ansi.Strip(tm.out.Since(mark)))
						}
						if m := cursorRE.FindAllStringSubmatch(ansi.Strip(tm.out.Since(mark)), -1); m != nil {
							if n, _ := strconv.Atoi(m[len(m)-1][1]); n != at && m[len(m)-1][2] == total {
								lat = append(lat, time.Since(start))
								at, moved = n, true
							}
						}
					}
				}
			}
			slices.Sort(lat)
			b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
			b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
			b.ReportMetric(float64(beats()), "heartbeats")
			if n > 1 {
				b.ReportMetric(rssPer, "RSS-MB/session")
				b.ReportMetric(heapPer, "heap-MB/session")
				b.ReportMetric(goroutinesPer, "goroutines/session")
			}
		})
	}
}

// cursorRE finds the inbox header's "2 of 36", at the end of its line.
// calendarLoaded reports whether a session's output (its first frame
// drawn) ends with the calendar loaded: the screen draws only the lines
// that change, so the title line, drawn with " · loading…" at first, is
// drawn again without it once the week has loaded.
func calendarLoaded(written string) bool {
	s := ansi.Strip(written)
	i := strings.LastIndex(s, " · loading…")
	if i < 0 {
		return true
	}
	title := s[strings.LastIndexAny(s[:i], "\r\n")+1 : i]
	return title != "" && strings.Contains(s[i:], title)
}

var cursorRE = regexp.MustCompile(`(\d+) of (\d+) *(\r|\n|$)`)

func cursorPlace(b *testing.B, screen string) (int, string) {
	b.Helper()
	m := cursorRE.FindAllStringSubmatch(screen, -1)
	if m == nil {
		b.Fatalf("the inbox header says nowhere where the cursor is:\n%s", screen)
	}
	n, _ := strconv.Atoi(m[len(m)-1][1])
	return n, m[len(m)-1][2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// residentBytes is the process's resident memory, as the kernel counts it.
func residentBytes(b *testing.B) uint64 {
	b.Helper()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc/self/status to read the resident memory from: %v", err)
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				b.Fatalf("VmRSS: %v", err)
			}
			return kb * 1024
		}
	}
	b.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// saveEvery has another process (another store on the file) edit a draft
// every so often until the returned function is called.
func saveEvery(b *testing.B, db string, every time.Duration) func() {
	ctx, cancel := context.WithCancel(context.Background())
	st, err := store.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		var id int64
		for i := 1; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var err error
			if id, err = st.SaveDraft(ctx, store.Post{ID: id, Body: "Draft saved elsewhere, version " + strconv.Itoa(i)}, time.Now()); err != nil && ctx.Err() == nil {
				b.Errorf("saving a draft from another process: %v", err)
				return
			}
		}
	}()
	return func() {
		cancel()
		<-done
		st.Close()
	}
}

// watchHeartbeats counts the sender lease's heartbeats from now until the
// returned function is called.
func watchHeartbeats(st *store.Store) func() int {
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	seen := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		var last time.Time
		look := func() {
			if l, ok, err := st.Lease(ctx, store.SenderLease); err == nil && ok {
				mu.Lock()
				if !last.IsZero() && !l.HeartbeatAt.Equal(last) {
					seen++
				}
				mu.Unlock()
				last = l.HeartbeatAt
			}
		}
		// A heartbeat is a commit: the store's Watch tells of each.
		st.Watch(ctx, 10*time.Millisecond, store.WatchHooks{Opened: look, Changed: func(store.Change) { look() }})
	}()
	return func() int {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return seen
	}
}
