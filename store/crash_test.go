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
	"syscall"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
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
		var outs []*waitfor.Buffer
		for i := 0; i < 2; i++ {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "CRIER_STORE_CHILD_DB="+path)
			out := &waitfor.Buffer{}
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
			saves := 5 + round*25
			if got, ok := out.Await(0, 30*time.Second, func(w string) bool { return strings.Count(w, "\n") >= saves }); !ok {
				t.Fatalf("a writer reported %d saves in 30 s, want %d", strings.Count(got, "\n"), saves)
			}
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
