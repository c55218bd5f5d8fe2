package main

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/store"
)

// holdWriteLock takes the database's write lock (as a backup, a sqlite3
// shell or another crier's long transaction does) until the returned
// function is called.
// releaseOnceBusy runs release (freeing a lock) once the next crier the
// fixture runs says on stderr that the database is busy; the channel
// closes when it has.
func releaseOnceBusy(f *cliFixture, release func()) <-chan struct{} {
	said := &syncBuffer{}
	f.stderr = said
	released := make(chan struct{})
	go func() {
		defer close(released)
		said.Await(0, time.Minute, func(w string) bool { return strings.Contains(w, "busy") })
		release()
	}()
	return released
}

func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := st.DB().Begin() // BEGIN IMMEDIATE: the write lock
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			tx.Rollback()
			st.Close()
		}
	}
	t.Cleanup(release)
	return release
}

// withAccounts writes f's config again with the accounts block given.
func withAccounts(t *testing.T, f cliFixture, accounts string) {
	t.Helper()
	cfg := "timezone: Europe/Berlin\ndatabase: " + f.db + "\nscheduler:\n  enabled: false\naccounts:\n" + accounts
	if err := os.WriteFile(f.config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The commands that only read (kpi, queue, inbox, accounts, report) do not
// need the write lock when the config's accounts are in the database
// already: another program holding it (a backup, a sqlite3 shell) does not
// make them fail, or wait.
func TestCLIReadsNeedNoWriteLock(t *testing.T) {
	t.Parallel()
	f := newCLIFixture(t)
	crierBinary(t) // built before the lock is taken: a build can outlast it
	withAccounts(t, f, `  - name: Rye & Shine Bakery
    platform: bluesky
    handle: ryeandshine.bsky.social
    server: https://bsky.social
    credential: env:CRIER_TEST_UNUSED
`)
	holdWriteLock(t, f.db)
	for _, args := range [][]string{{"kpi"}, {"queue"}, {"inbox", "--limit", "3"}, {"accounts", "--json"},
		{"report", "--from", "2026-11-01", "--to", "2026-11-26", "--format", "md"}} {
		r := f.crier(t, "", args...)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("crier %s while another program holds the write lock: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}

// A program holding the database even against readers (a sqlite3 shell
// in exclusive locking mode, a backup) is waited for by a command that
// only reads, as a write waits, saying so; it is no usage error (exit 2)
// after SQLite's own 5 s.
func TestCLIReadsWaitForAnExclusiveLock(t *testing.T) {
	t.Parallel()
	f := newCLIFixture(t)
	crierBinary(t) // built before the lock is taken: a build can outlast it
	ctx := context.Background()
	st, err := store.Open(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	conn, err := st.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{"PRAGMA locking_mode = EXCLUSIVE", "BEGIN EXCLUSIVE", "CREATE TABLE held (x)"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	released := releaseOnceBusy(&f, func() {
		conn.ExecContext(ctx, "ROLLBACK")
		conn.Close()
		st.Close() // closes the connection, and with it the lock
	})
	r := f.crier(t, "", "kpi", "--json")
	<-released
	if r.code != 0 || !strings.Contains(r.stderr, "busy with another program") || !strings.Contains(r.stdout, `"period_days": 30`) {
		t.Fatalf("exit %d, stdout %.200s, stderr %q; want the figures after saying it waits", r.code, r.stdout, r.stderr)
	}
}

// A config account that is not in the database yet is recorded; while
// another program holds the write lock past SQLite's own busy timeout, the
// command says it waits and carries on when the lock is freed.
func TestCLIRecordsANewAccountAfterWaiting(t *testing.T) {
	t.Parallel()
	f := newCLIFixture(t)
	crierBinary(t)
	withAccounts(t, f, `  - name: shop-bluesky
    platform: bluesky
    handle: shop.example.com
    credential: env:CRIER_TEST_UNUSED
`)
	released := releaseOnceBusy(&f, holdWriteLock(t, f.db))
	r := f.crier(t, "", "accounts", "--json")
	<-released
	if r.code != 0 || !strings.Contains(r.stderr, "busy") || !strings.Contains(r.stdout, `"handle": "shop.example.com"`) {
		t.Fatalf("exit %d, stdout %s, stderr %q; want the new account listed after saying it waits", r.code, r.stdout, r.stderr)
	}
}

// A command that only reads does not make a database where the config
// points at none (a mistyped path would give figures of nothing, and a
// folder nobody asked for): it names the file and the setting, exit 2.
func TestCLIReadsDoNotMakeADatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := cliFixture{dir: dir, db: filepath.Join(dir, "typo", "crier.db"), config: filepath.Join(dir, "config.yaml")}
	if err := os.WriteFile(f.config, []byte("timezone: Europe/Berlin\ndatabase: "+f.db+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"kpi"}, {"kpi", "--json"}, {"queue", "--json"}, {"inbox"}, {"accounts", "--json"},
		{"report", "--from", "2026-11-01", "--to", "2026-11-26", "--format", "json"}} {
		r := f.crier(t, "", args...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, f.db+": there is none") || !strings.Contains(r.stderr, f.config) {
			t.Errorf("crier %s on a missing database: exit %d, stdout %q, stderr %q", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
	// Nor does completing a campaign's slug.
	f.crier(t, "", "__complete", "report", "--campaign", "")
	if _, err := os.Stat(filepath.Dir(f.db)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a read made %s (%v)", filepath.Dir(f.db), err)
	}
	// An empty file there (touched, or cut short) is no database either:
	// a read does not make one in it.
	if err := os.MkdirAll(filepath.Dir(f.db), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := f.crier(t, "", "kpi", "--json")
	if info, err := os.Stat(f.db); err != nil || info.Size() != 0 {
		t.Errorf("a read made a database in an empty file (%v)", err)
	}
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, f.db+": the file is empty") {
		t.Errorf("crier kpi --json on an empty file: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// With no posts, engagement per post is unknown: "–" in the glance and
// null in its JSON (as the README says of every unknown value), never 0.0,
// and its change is "–" too.
func TestCLIKPIWithoutPosts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := cliFixture{dir: dir, db: filepath.Join(dir, "crier.db"), config: filepath.Join(dir, "config.yaml")}
	st, err := store.Open(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := os.WriteFile(f.config, []byte("timezone: Europe/Berlin\ndatabase: "+f.db+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := f.crier(t, "", "kpi")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(l, "All accounts") || strings.HasPrefix(l, "  vs ") {
			if cells := strings.Fields(l); cells[len(cells)-2] != "–" {
				t.Errorf("per post of no posts: %q", l)
			}
		}
	}
	r = f.crier(t, "", "kpi", "--json")
	var g struct {
		Total struct {
			Current, Previous map[string]any
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &g); err != nil {
		t.Fatalf("%v:\n%s", err, r.stdout)
	}
	for name, p := range map[string]map[string]any{"current": g.Total.Current, "previous": g.Total.Previous} {
		if v, ok := p["engagement_per_post"]; !ok || v != nil {
			t.Errorf("%s engagement_per_post of no posts: %v (present %v), want null", name, v, ok)
		}
	}
}

// The missing database is said to come from where its path came from: a
// config file that sets no database: key leaves the default place, and
// the message says so rather than blaming the file's setting.
func TestCLIMissingDatabaseNamesWhereItsPathCameFrom(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("CRIER_DATABASE", "")
	set := filepath.Join(dir, "elsewhere", "crier.db")
	def := filepath.Join(dir, "data", "crier", "crier.db")
	for _, tc := range []struct {
		name, body, db, want, not string
	}{
		{"the file sets none", "timezone: Europe/Berlin\n", def, "the default place, as " + filepath.Join(dir, "config.yaml") + " sets no database:", "database setting"},
		{"an empty file", "", def, "the default place", "database setting"},
		{"the file sets it", "database: " + set + "\n", set, "the database setting of " + filepath.Join(dir, "config.yaml"), "default place"},
	} {
		f := cliFixture{dir: dir, config: filepath.Join(dir, "config.yaml")}
		if err := os.WriteFile(f.config, []byte(tc.body), 0o600); err != nil {
			t.Fatal(err)
		}
		r := f.crier(t, "", "queue")
		if r.code != 2 || !strings.Contains(r.stderr, tc.db+": there is none ("+tc.want) || strings.Contains(r.stderr, tc.not) {
			t.Errorf("%s: exit %d, stderr %q; want %q", tc.name, r.code, r.stderr, tc.want)
		}
	}
}

// A first run with no config file: crier post and crier queue name the
// file crier init writes and the command, and make no database.
func TestCLIFirstRunNamesTheConfigFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("CRIER_DATABASE", "")
	f := cliFixture{dir: dir}
	r := f.crier(t, "", "post", "Fresh sourdough at 8!")
	if r.code != 2 || !strings.Contains(r.stderr, "no accounts to post to") || !strings.Contains(r.stderr, "run crier init to write ~/crier/config.yaml") {
		t.Errorf("post: exit %d, stderr %q; want the file and crier init named", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("crier post with no accounts made %s (%v)", filepath.Join(dir, "data"), err)
	}
	r = f.crier(t, "", "queue")
	if r.code != 2 || !strings.Contains(r.stderr, "crier init writes one at ~/crier/config.yaml") {
		t.Errorf("queue: exit %d, stderr %q; want the file and crier init named", r.code, r.stderr)
	}
	// With a config but no accounts yet (a database there), crier accounts
	// names the file to add them to.
	f.config = filepath.Join(dir, "shop.yaml")
	if err := os.WriteFile(f.config, []byte("timezone: UTC\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "data", "crier", "crier.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	r = f.crier(t, "", "accounts")
	if r.code != 0 || !strings.Contains(r.stdout, "No accounts yet: add them to ~/shop.yaml") {
		t.Errorf("accounts: exit %d, stdout %q, stderr %q; want the file named", r.code, r.stdout, r.stderr)
	}
}

// crier run with no accounts says at its start which file to add them to,
// and with which command, rather than waiting on nothing in silence.
func TestRunWithNoAccountsNamesTheConfigFile(t *testing.T) {
	home := t.TempDir()
	cmd := exec.Command(crierBinary(t), "run")
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME=", "XDG_DATA_HOME="+filepath.Join(home, "data"),
		"XDG_STATE_HOME="+home, "CRIER_CONFIG=", "CRIER_DATABASE=", "NO_COLOR=1", "TZ=UTC")
	errb := &syncBuffer{}
	cmd.Stderr = errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	want := "No accounts yet: run crier init to write ~/.config/crier/config.yaml"
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(errb.String(), want) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	_ = cmd.Process.Signal(os.Interrupt)
	_ = cmd.Wait()
	if !strings.Contains(errb.String(), want) {
		t.Errorf("crier run said:\n%s\nwant %q", errb.String(), want)
	}
}
