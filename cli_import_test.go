package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crier-app/crier/store"
)

func marketingRows(t *testing.T, db string) int {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	if err := st.DB().QueryRow("SELECT count(*) FROM marketing_imports").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// crier import previews, imports with --yes, never counts a file twice,
// and a bad line imports nothing and names the file, line and column.
func TestCLIImport(t *testing.T) {
	t.Parallel()
	f := newCLIFixture(t)
	good := filepath.Join(f.dir, "sheet.csv")
	body := "date,campaign,source,content,clicks,conversions,revenue,spend,currency\n" +
		"2026-11-20,loyalty-card-launch-nov-2026,mastodon,post-1,12,1,25.50,0,EUR\n" +
		"2026-11-21,loyalty-card-launch-nov-2026,bluesky,post-1,30,2,51.00,0,EUR\n"
	if err := os.WriteFile(good, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	before := marketingRows(t, f.db)

	r := f.crier(t, "", "import", good)
	if r.code != 0 || !strings.Contains(r.stdout, "2 lines from 2026-11-20 to 2026-11-21") ||
		!strings.Contains(r.stdout, "Nothing imported: run again with --yes") {
		t.Fatalf("preview: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if n := marketingRows(t, f.db); n != before {
		t.Fatalf("a preview imported: %d → %d imports", before, n)
	}
	r = f.crier(t, "", "import", good, "--preset", "plain", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "Imported sheet.csv") {
		t.Fatalf("import: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if n := marketingRows(t, f.db); n != before+1 {
		t.Fatalf("imports %d → %d, want one more", before, n)
	}
	r = f.crier(t, "", "import", good, "--preview")
	if !strings.Contains(r.stdout, "imported before") {
		t.Errorf("the second preview does not say the file was imported before:\n%s", r.stdout)
	}

	bad := filepath.Join(f.dir, "bad.csv")
	if err := os.WriteFile(bad, []byte(strings.Replace(body, ",30,", ",thirty,", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	r = f.crier(t, "", "import", bad, "--yes")
	if r.code != 2 || !strings.Contains(r.stderr, "bad.csv") || !strings.Contains(r.stderr, "line 3") || !strings.Contains(r.stderr, "nothing was imported") {
		t.Errorf("a bad line: exit %d\n%s", r.code, r.stderr)
	}
	for _, tc := range [][]string{
		{"import", filepath.Join(f.dir, "nope.csv")},
		{"import", good, "--preset", "excel"},
		{"import", good, "--date-order", "ymd"},
		{"import", good, "--currency", "euro"}, // a bad flag
		{"import", f.dir},                      // a folder: input that can't be used
	} {
		if r := f.crier(t, "", tc...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", tc, r.code, r.stderr)
		}
	}
	// A layout crier does not know names where the app maps it, and the
	// plain preset names the columns the file lacks.
	other := filepath.Join(f.dir, "other.csv")
	if err := os.WriteFile(other, []byte("date,campaign,source,content,clicks,impressions\n2026-11-20,x,instagram,reel,3,40\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = f.crier(t, "", "import", other)
	if r.code != 2 || !strings.Contains(r.stderr, "(5 Campaigns, i imports a CSV)") {
		t.Errorf("an unknown layout: exit %d\n%s", r.code, r.stderr)
	}
	r = f.crier(t, "", "import", other, "--preset", "plain")
	if r.code != 2 || !strings.Contains(r.stderr, `lacks the columns "conversions", "revenue" and "spend"`) {
		t.Errorf("plain without its columns: exit %d\n%s", r.code, r.stderr)
	}
	if n := marketingRows(t, f.db); n != before+1 {
		t.Errorf("bad input imported: %d imports, want %d", n, before+1)
	}
}

// crier report writes the file whole, in the format asked or read from its
// name; an unknown campaign is a usage error.
func TestCLIReportFile(t *testing.T) {
	t.Parallel()
	f := newCLIFixture(t)
	out := filepath.Join(f.dir, "loyalty.html")
	r := f.crier(t, "", "report", "--campaign", "loyalty-card-launch-nov-2026", "-o", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(b), "<svg") || !strings.Contains(string(b), "Loyalty") {
		t.Errorf("the HTML report: %v\n%.300s", err, b)
	}
	r = f.crier(t, "", "report", "--campaign", "loyalty-card-launch-nov-2026", "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"campaign": {`) {
		t.Errorf("JSON to stdout: exit %d\n%.300s", r.code, r.stdout)
	}
	r = f.crier(t, "", "report", "--campaign", "nope", "--format", "csv")
	if r.code != 2 || !strings.Contains(r.stderr, `--campaign "nope"`) {
		t.Errorf("unknown campaign: exit %d\n%s", r.code, r.stderr)
	}
	// A file that cannot be written is named, not the temporary file
	// beside it.
	r = f.crier(t, "", "report", "--from", "2026-11-01", "--to", "2026-11-02", "-o", "/proc/r.md")
	if r.code != 1 || !strings.Contains(r.stderr, "-o /proc/r.md: cannot write it in /proc: ") || strings.Contains(r.stderr, "/proc/.r.md") {
		t.Errorf("an unwritable folder: exit %d\n%s", r.code, r.stderr)
	}
	r = f.crier(t, "", "report", "--from", "2026-11-20", "--to", "2026-11-01", "--format", "csv")
	if r.code != 2 || !strings.Contains(r.stderr, "before --from") {
		t.Errorf("span backwards: exit %d\n%s", r.code, r.stderr)
	}
}
