package extedit_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crier-app/crier/tui/components/extedit"
	"github.com/crier-app/crier/tui/components/extedit/extedittest"
)

type tag struct{ n int }

// leftovers lists the temp files a pattern names, so a test can see none
// is left behind.
func leftovers(t *testing.T, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(os.TempDir(), pattern))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEditRoundTrip(t *testing.T) {
	pattern := "crier-extedit-test-ok-*.txt"
	editor, seen := extedittest.Editor(t, "Rye, warm\nwith butter", false)
	got := extedittest.Run(t, extedit.Edit(editor, tag{7}, pattern, "Rye"))
	if got.Err != nil || got.Text != "Rye, warm\nwith butter" || got.Tag != (tag{7}) {
		t.Fatalf("round trip gave %+v", got)
	}
	if s := extedittest.Seen(t, seen); s != "Rye" {
		t.Fatalf("the editor was handed %q", s)
	}
	if l := leftovers(t, pattern); len(l) > 0 {
		t.Fatalf("files left behind: %v", l)
	}
}

func TestEditFailureKeepsNothingAndSaysWhy(t *testing.T) {
	pattern := "crier-extedit-test-fail-*.txt"
	editor, _ := extedittest.Editor(t, "never", true)
	got := extedittest.Run(t, extedit.Edit(editor, tag{1}, pattern, "Rye"))
	if got.Err == nil || !strings.Contains(got.Err.Error(), "exit status 1") || got.Text != "" {
		t.Fatalf("a failing editor gave %+v", got)
	}
	if l := leftovers(t, pattern); len(l) > 0 {
		t.Fatalf("files left behind: %v", l)
	}
}

func TestEditWithoutEditor(t *testing.T) {
	msg := extedit.Edit("  ", tag{2}, "crier-extedit-test-none-*.txt", "Rye")()
	got, ok := msg.(extedit.TextMsg)
	if !ok || got.Err != extedit.ErrNoEditor || got.Tag != (tag{2}) {
		t.Fatalf("no editor gave %#v", msg)
	}
}
