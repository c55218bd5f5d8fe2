package reportfile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/report"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/components/form"
	"github.com/crier-app/crier/tui/tuitest"
)

var now = time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC)

func fill(t *testing.T, vals map[string]string) *form.Model {
	c := tuitest.Common(t, nil, tuitest.NewClock(now))
	today := store.DayOf(now)
	f := form.New(c, 0, "Export", Fields(c, "spring-sale", today, true, today.Add(-29), today)...)
	for k, v := range vals {
		f.Set(k, v)
	}
	return f
}

func TestReadChecksEachField(t *testing.T) {
	today := store.DayOf(now)
	r, err := Read(fill(t, nil), "spring-sale", today, true)
	if err != nil || r.Format != report.HTML || r.Path != "crier-report-spring-sale-2026-04-02.html" ||
		r.From != today.Add(-29) || r.To != today {
		t.Fatalf("defaults: %+v %v", r, err)
	}
	// The default name follows the format; a name typed keeps its own.
	if r, _ := Read(fill(t, map[string]string{FieldFormat: "md"}), "spring-sale", today, true); r.Path != "crier-report-spring-sale-2026-04-02.md" {
		t.Errorf("md: %q", r.Path)
	}
	if r, _ := Read(fill(t, map[string]string{FieldFormat: "csv", FieldPath: "/tmp/mine.html"}), "spring-sale", today, true); r.Path != "/tmp/mine.html" {
		t.Errorf("typed: %q", r.Path)
	}
	for _, c := range []struct {
		vals  map[string]string
		field string
		has   string
	}{
		{map[string]string{FieldFormat: "pdf"}, FieldFormat, `"pdf" is not a report format`},
		{map[string]string{FieldFrom: "2026-02-30"}, FieldFrom, "not a date"},
		{map[string]string{FieldTo: "2026-03-01", FieldFrom: "2026-03-05"}, FieldTo, "before the first"},
	} {
		_, err := Read(fill(t, c.vals), "spring-sale", today, true)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(fe.Msg, c.has) {
			t.Errorf("%v: %v", c.vals, err)
		}
	}
}

// Write leaves the whole report or nothing, and says which folder is
// missing.
func TestWriteWholeOrNothing(t *testing.T) {
	st := tuitest.Store(t)
	dir := t.TempDir()
	o := report.Options{From: store.DayOf(now).Add(-6), To: store.DayOf(now), Zone: time.UTC, Now: now}
	_, err := Write(context.Background(), st, o, Request{Format: report.HTML, Path: filepath.Join(dir, "no", "r.html")})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != FieldPath || !strings.Contains(fe.Msg, filepath.Join(dir, "no")) {
		t.Fatalf("a missing folder: %v", err)
	}
	path, err := Write(context.Background(), st, o, Request{Format: report.HTML, Path: filepath.Join(dir, "r.html")})
	if err != nil || path != filepath.Join(dir, "r.html") {
		t.Fatalf("%q %v", path, err)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), "</html>") {
		t.Fatalf("the report: %v\n%.200s", err, b)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".crier-report-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
