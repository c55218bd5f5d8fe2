package csvimport

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crier-app/crier/demo/demotest"
	"github.com/crier-app/crier/store"
)

// millionRows is the size of the import benchmark's file.
const millionRows = 1_000_000

// benchFile writes (once, into the temp folder) a plain sheet of a million
// rows as a year of a busy business's exports: 15 campaigns, five sources,
// posts as contents, money with decimals, quoted names with commas.
func benchFile(tb testing.TB) string {
	path := filepath.Join(os.TempDir(), "crier-bench-import-1m-v1.csv")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("date,campaign,source,content,clicks,conversions,revenue,spend,currency\r\n")
	srcs := []string{"mastodon", "bluesky", "facebook", "instagram", "newsletter"}
	day0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range millionRows {
		d := i / 2740
		rest := i % 2740
		camp := fmt.Sprintf("campaign-%d", rest%15)
		if rest%15 == 7 {
			camp = `"Spring, Summer & More"`
		}
		fmt.Fprintf(w, "%s,%s,%s,post-%d,%d,%d,%d.%02d,%d.%02d,EUR\r\n",
			day0.AddDate(0, 0, d).Format("2006-01-02"), camp, srcs[(rest/15)%5], rest/75+1,
			i%50, i%3, i%90, i%100, i%7, (i*7)%100)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	return path
}

type childResult struct {
	PreviewSeconds float64 `json:"preview_seconds"`
	CommitSeconds  float64 `json:"commit_seconds"`
	CommitCPU      float64 `json:"commit_cpu_seconds"`
	Lines          int     `json:"lines"`
	PeakRSSKB      int64   `json:"peak_rss_kb"`
}

// TestImportChild is the benchmark's child process: it imports the file
// named in CRIER_IMPORT_CHILD into a fresh database and prints what it
// measured. Run alone, it does nothing.
func TestImportChild(t *testing.T) {
	spec := os.Getenv("CRIER_IMPORT_CHILD")
	if spec == "" {
		t.Skip("the import benchmark's child process")
	}
	csvPath, dbPath, _ := strings.Cut(spec, "|")
	ctx := context.Background()
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := range 15 {
		if _, err := st.CreateCampaign(ctx, store.Campaign{Name: "Campaign " + strconv.Itoa(i)}, now); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Now()
	p, err := PreviewFile(ctx, st, csvPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t1, c1 := time.Now(), cpu()
	res, err := Commit(ctx, st, p, now)
	if err != nil {
		t.Fatal(err)
	}
	out := childResult{PreviewSeconds: t1.Sub(t0).Seconds(), CommitSeconds: time.Since(t1).Seconds(),
		CommitCPU: cpu() - c1, Lines: res.Lines, PeakRSSKB: peakRSS()}
	j, _ := json.Marshal(out)
	fmt.Println("RESULT " + string(j))
}

func cpu() float64 {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
}

// peakRSS is the process's peak resident set in kB: /proc's VmHWM, else
// getrusage's maxrss.
func peakRSS() int64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
				return kb
			}
		}
	}
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return r.Maxrss
}

// BenchmarkImportMillionRows imports a million-line CSV file, in a child
// process so that its peak memory is the import's own: into a fresh
// database, and into a copy of the large demo database (its million click
// rows, conversions and spend already there, as the target reads).
// rows/s is Commit's rate (reading, checking and writing every line in one
// transaction, sums included; the file is parsed on one goroutine, its
// rows added up on a second, and SQLite writes them on a third),
// preview-rows/s the preview's (two passes, no writes),
// peak-RSS-MB the child's peak resident memory (both steps).
func BenchmarkImportMillionRows(b *testing.B) {
	path := benchFile(b)
	b.Run("fresh", func(b *testing.B) {
		for b.Loop() {
			importInChild(b, path, filepath.Join(b.TempDir(), "crier.db"))
		}
	})
	b.Run("large-demo", func(b *testing.B) {
		large := demotest.LargePath(b)
		for b.Loop() {
			b.StopTimer()
			db := filepath.Join(b.TempDir(), "crier.db")
			copyFile(b, large, db)
			b.StartTimer()
			importInChild(b, path, db)
		}
	})
}

// importInChild imports path into db in a child process and reports what
// the child measured.
func importInChild(b *testing.B, path, db string) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CRIER_IMPORT_CHILD="+path+"|"+db)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child: %v\n%s", err, out)
	}
	var res childResult
	for _, line := range strings.Split(string(out), "\n") {
		if j, ok := strings.CutPrefix(line, "RESULT "); ok {
			if err := json.Unmarshal([]byte(j), &res); err != nil {
				b.Fatal(err)
			}
		}
	}
	if res.Lines != millionRows {
		b.Fatalf("imported %d lines:\n%s", res.Lines, out)
	}
	b.ReportMetric(float64(res.Lines)/res.CommitSeconds, "rows/s")
	b.ReportMetric(float64(res.Lines)/res.CommitCPU, "rows/cpu-s")
	b.ReportMetric(float64(res.Lines)/res.PreviewSeconds, "preview-rows/s")
	b.ReportMetric(float64(res.PeakRSSKB)/1024, "peak-RSS-MB")
}

// copyFile copies the large demo database for an import to write into, and
// flushes the copy to disk: otherwise the import's commit, whose checkpoint
// syncs the database file, waited for the copy's gigabyte to be written
// (0.8 s instead of 0.25 s).
func copyFile(b *testing.B, from, to string) {
	b.Helper()
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Sync(); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}
