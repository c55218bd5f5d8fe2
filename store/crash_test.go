package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The child side of TestKillLosesNoSavedDraft: save drafts as fast as it can,
// printing each id only after SaveDraft returned (the commit is done).
func TestMain(m *testing.M) {
	if path := os.Getenv("CRIER_STORE_CHILD_DB"); path != "" {
		os.Exit(childWriter(path))
	}
	os.Exit(m.Run())
}

func childWriter(path string) int {
	ctx := context.Background()
	st, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	acct, err := st.UpsertAccount(ctx, Account{Platform: PlatformMastodon, Handle: "@shop@example.social"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		id, err := st.SaveDraft(ctx, Post{Body: fmt.Sprintf("draft %d from %d", i, os.Getpid()),
			Targets: []Target{{AccountID: acct}}}, time.Now())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		// Edit it once more, as autosave does.
		if _, err := st.SaveDraft(ctx, Post{ID: id, Body: fmt.Sprintf("draft %d from %d, edited", i, os.Getpid()),
			Targets: []Target{{AccountID: acct}}}, time.Now()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintf(w, "%d\n", id)
		w.Flush()
	}
}

// TestKillLosesNoSavedDraft runs two writer processes on one database, kills
// both with SIGKILL at once, and checks the file opens, passes SQLite's
// integrity check, and holds every draft either writer had seen saved.
func TestKillLosesNoSavedDraft(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	path := filepath.Join(t.TempDir(), "crier.db")
	// Create the schema first so the children don't race to migrate.
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	for round := 0; round < 3; round++ {
		var cmds []*exec.Cmd
		var outs []*lockedBuffer
		for i := 0; i < 2; i++ {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "CRIER_STORE_CHILD_DB="+path)
			out := &lockedBuffer{}
			cmd.Stdout = out
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds, outs = append(cmds, cmd), append(outs, out)
		}
		// Kill in the middle of writing: once both writers are under way,
		// each having reported a number of saves that differs each round
		// (the kill lands at a different point of the work, not of time).
		for _, out := range outs {
			out.waitLines(t, 5+round*25, 30*time.Second)
		}
		for _, c := range cmds {
			c.Process.Signal(syscall.SIGKILL)
		}
		for _, c := range cmds {
			c.Wait()
		}

		st, err := Open(context.Background(), path)
		if err != nil {
			t.Fatalf("round %d: database does not open after kill: %v", round, err)
		}
		var check string
		if err := st.db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
			t.Fatalf("round %d: integrity_check = %q, %v", round, check, err)
		}
		saved := 0
		for _, out := range outs {
			for _, line := range strings.Fields(out.String()) {
				id, err := strconv.ParseInt(line, 10, 64)
				if err != nil {
					continue // a line cut by the kill
				}
				p, err := st.Post(context.Background(), id)
				if err != nil || !strings.HasSuffix(p.Body, "edited") {
					t.Fatalf("round %d: draft %d was reported saved but reads %q, %v", round, id, p.Body, err)
				}
				saved++
			}
		}
		st.Close()
		if saved == 0 {
			t.Fatalf("round %d: the writers saved nothing before the kill; the test proved nothing", round)
		}
		t.Logf("round %d: %d drafts saved by two writers, all present after SIGKILL", round, saved)
	}
}

// lockedBuffer collects a child's output while the test reads it, and
// tells of each write.
type lockedBuffer struct {
	mu    sync.Mutex
	b     strings.Builder
	grown chan struct{} // closed and replaced at each write
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.grown != nil {
		close(l.grown)
		l.grown = nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitLines waits until the child has written n lines.
func (l *lockedBuffer) waitLines(t *testing.T, n int, limit time.Duration) {
	t.Helper()
	timeout := time.After(limit)
	for {
		l.mu.Lock()
		lines := strings.Count(l.b.String(), "\n")
		if l.grown == nil {
			l.grown = make(chan struct{})
		}
		grown := l.grown
		l.mu.Unlock()
		if lines >= n {
			return
		}
		select {
		case <-grown:
		case <-timeout:
			t.Fatalf("the writer reported %d saves in %s, want %d", lines, limit, n)
		}
	}
}
