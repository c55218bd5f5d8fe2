package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/styles"
)

// serveRig is crier serve on a seeded demo database, in this process, with
// a full, a glance and an unknown client key.
type serveRig struct {
	t                    testing.TB
	f                    cliFixture
	st                   *store.Store
	srv                  *sshServer
	addr                 string
	full, glance, nobody gossh.Signer
	logs                 *syncBuffer
	cancel               context.CancelFunc
	done                 chan error
}

// syncBuffer is what a session's terminal or the server's log writes,
// read and waited on while it is written.
type syncBuffer = waitfor.Buffer

func clientKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newServeRig(t testing.TB, tweak func(*serveOptions)) *serveRig {
	t.Helper()
	r := &serveRig{t: t, f: newCLIFixtureAt(t, time.Now().Truncate(time.Minute)), full: clientKey(t), glance: clientKey(t), nobody: clientKey(t), logs: &syncBuffer{}}
	keys := "# crier's keys\n" +
		"full " + string(gossh.MarshalAuthorizedKey(r.full.PublicKey())) +
		"glance " + strings.TrimSpace(string(gossh.MarshalAuthorizedKey(r.glance.PublicKey()))) + " phone\n"
	keysPath := filepath.Join(r.f.dir, "authorized_keys")
	if err := os.WriteFile(keysPath, []byte(keys), 0o600); err != nil {
		t.Fatal(err)
	}
	o := serveOptions{Listen: "127.0.0.1:0", MaxSessions: 10, PerMinute: 1000, KeysPath: keysPath,
		HostKeyPath: filepath.Join(r.f.dir, "data", "ssh_host_ed25519_key"), WatchEvery: 20 * time.Millisecond, Debug: true}
	if tweak != nil {
		tweak(&o)
	}
	r.start(o)
	return r
}

func (r *serveRig) start(o serveOptions) {
	t := r.t
	ctx, cancel := context.WithCancel(context.Background())
	st, err := store.Open(ctx, r.f.db)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nets := map[int64]platforms.Network{}
	for _, a := range accounts {
		nets[a.ID] = sandbox.New(a.Handle, st)
	}
	cfg := config.Defaults(os.Getenv, r.f.dir)
	cfg.Timezone = cliNow.Location()
	cfg.Database = r.f.db
	cfg.Scheduler.SyncInterval = time.Hour
	var logTo io.Writer = r.logs
	if testing.Verbose() {
		logTo = io.MultiWriter(r.logs, os.Stderr)
	}
	srv, err := newSSHServer(cfg, st, accounts, nets, log.New(logTo, "", log.Lmicroseconds), true, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	r.st, r.srv, r.addr, r.cancel, r.done = st, srv, srv.Addr(), cancel, make(chan error, 1)
	go func() { r.done <- srv.Serve(ctx) }()
	t.Cleanup(r.stop)
}

func (r *serveRig) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(15 * time.Second):
		r.t.Error("crier serve did not stop within 15 s")
	}
	r.st.Close()
	r.cancel = nil
}

func (r *serveRig) dial(key gossh.Signer) (*gossh.Client, error) {
	want := r.srv.fingerprint
	return gossh.Dial("tcp", r.addr, &gossh.ClientConfig{
		User: "baker",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error {
			if got := gossh.FingerprintSHA256(k); got != want {
				return errors.New("host key " + got + ", the server printed " + want)
			}
			return nil
		},
		Timeout: 10 * time.Second,
	})
}

// term is an interactive session: what it drew so far, and its keyboard.
type sshTerm struct {
	t      testing.TB
	client *gossh.Client
	sess   *gossh.Session
	in     io.WriteCloser
	out    *syncBuffer
}

// session dials in with key and opens a session; the connection closes
// with the test.
func (r *serveRig) session(key gossh.Signer) (*gossh.Client, *gossh.Session) {
	r.t.Helper()
	c, err := r.dial(key)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { c.Close() })
	s, err := c.NewSession()
	if err != nil {
		r.t.Fatal(err)
	}
	return c, s
}

func (r *serveRig) open(key gossh.Signer, env ...string) *sshTerm {
	r.t.Helper()
	c, s := r.session(key)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if err := s.Setenv(k, v); err != nil {
			r.t.Fatal(err)
		}
	}
	if err := s.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		r.t.Fatal(err)
	}
	in, err := s.StdinPipe()
	if err != nil {
		r.t.Fatal(err)
	}
	tm := &sshTerm{t: r.t, client: c, sess: s, in: in, out: &syncBuffer{}}
	s.Stdout = tm.out
	if err := s.Shell(); err != nil {
		r.t.Fatal(err)
	}
	tm.waitFor("Calendar")
	return tm
}

// screen is what the session drew, escape sequences taken out.
func (tm *sshTerm) screen() string { return ansi.Strip(tm.out.String()) }

// waitFor waits until the session has drawn text (since mark, if given).
func (tm *sshTerm) waitFor(text string) {
	tm.t.Helper()
	if _, ok := tm.out.Await(0, 60*time.Second, func(w string) bool { return strings.Contains(ansi.Strip(w), text) }); !ok {
		tail := tm.screen()
		if len(tail) > 3000 {
			tail = tail[len(tail)-3000:]
		}
		tm.t.Fatalf("the session never drew %q; the end of what it drew:\n%s", text, tail)
	}
}

// waitForNew waits for text drawn after what is on screen now.
func (tm *sshTerm) waitForNew(text string, do func()) {
	tm.t.Helper()
	n := tm.out.Len()
	do()
	if drew, ok := tm.out.Await(n, 60*time.Second, func(w string) bool { return strings.Contains(ansi.Strip(w), text) }); !ok {
		tm.t.Fatalf("the session never drew %q after the keys; it drew:\n%s", text, ansi.Strip(drew))
	}
}

func (tm *sshTerm) keys(s string) {
	tm.t.Helper()
	if _, err := tm.in.Write([]byte(s)); err != nil {
		tm.t.Fatal(err)
	}
}

// An unknown key, a password and keyboard-interactive are refused; the
// refusal is logged with the key's fingerprint.
func TestServeRefusesUnknownKeysAndPasswords(t *testing.T) {
	r := newServeRig(t, nil)
	if _, err := r.dial(r.nobody); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("an unknown key: %v", err)
	}
	for _, auth := range []gossh.AuthMethod{gossh.Password("sourdough"),
		gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return []string{"x"}, nil })} {
		_, err := gossh.Dial("tcp", r.addr, &gossh.ClientConfig{User: "baker", Auth: []gossh.AuthMethod{auth},
			HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
		if err == nil {
			t.Fatalf("%T got in", auth)
		}
	}
	if logs := r.logs.String(); !strings.Contains(logs, "refused key "+gossh.FingerprintSHA256(r.nobody.PublicKey())) {
		t.Errorf("the refusal is not logged:\n%s", logs)
	}
	c, err := r.dial(r.full)
	if err != nil {
		t.Fatalf("the full key: %v", err)
	}
	c.Close()
}

// A glance key's session shows everything but cannot post, reply, like or
// edit: each key says so and nothing reaches the store.
func TestServeGlanceKeyCannotWrite(t *testing.T) {
	r := newServeRig(t, nil)
	ctx := context.Background()
	count := func() (posts, reacted, read int) {
		// (the scheduler's evergreen shares into free slots are its own)
		r.st.DB().QueryRow("SELECT count(*) FROM posts WHERE id NOT IN (SELECT post_id FROM evergreen_shares)").Scan(&posts)
		r.st.DB().QueryRow("SELECT count(*) FROM inbox_items WHERE liked OR reposted OR state <> 'open'").Scan(&reacted)
		r.st.DB().QueryRow("SELECT count(*) FROM inbox_items WHERE is_read").Scan(&read)
		return
	}
	p0, r0, d0 := count()
	tm := r.open(r.glance)
	tm.waitForNew("new post needs a full key", func() { tm.keys("n") }) // from the calendar
	// Drafts and the queue are not part of a glance: 2 says so, tab
	// passes over them.
	tm.waitForNew("drafts and the queue need a full key", func() { tm.keys("2") })
	tm.keys("3")
	tm.waitFor("Open · all kinds") // the inbox, whatever the demo holds at this time of day
	for _, k := range []struct{ key, what string }{{"r", "reply"}, {"L", "like"}, {"B", "boost/repost"}, {"e", "done"}, {"s", "snooze"}, {"#", "label"}} {
		tm.waitForNew(k.what+" needs a full key", func() { tm.keys(k.key) })
	}
	tm.keys("4")
	tm.waitFor("Followers")
	tm.waitForNew("export a report needs a full key", func() { tm.keys("x") })
	tm.keys("5")
	tm.waitFor("Loyalty Card Launch")
	for _, k := range []struct{ key, what string }{{"n", "new campaign"}, {"e", "edit the campaign"}, {"a", "add a goal"}, {"m", "type in spend, sales…"}, {"i", "import a CSV"}, {"x", "export a report"}} {
		tm.waitForNew(k.what+" needs a full key", func() { tm.keys(k.key) })
	}
	if p, re, d := count(); p != p0 || re != r0 || d != d0 {
		t.Errorf("a glance session changed the store: posts %d→%d, triaged/liked %d→%d, read %d→%d", p0, p, r0, re, d0, d)
	}
	_ = ctx
}

// What one session saves shows in another at once.
func TestServeSessionsSeeEachOthersSaves(t *testing.T) {
	r := newServeRig(t, nil)
	a, b := r.open(r.full), r.open(r.full)
	b.keys("2")
	b.waitFor("Loyalty cards")
	a.keys("2")
	a.waitFor("Loyalty cards")
	b.waitForNew("Rye workshop sign-ups", func() {
		a.keys("n")
		a.waitFor("Write your post")
		a.keys("Rye workshop sign-ups are open")
		a.keys("\x1b") // esc: save and close
	})
}

// The one scheduler of the process sends a post once, and every session
// says it went out.
func TestServeSchedulerSendsOnceWithThreeSessions(t *testing.T) {
	r := newServeRig(t, nil)
	ctx := context.Background()
	terms := []*sshTerm{r.open(r.full), r.open(r.full), r.open(r.glance)}
	now := time.Now()
	id, err := r.st.SaveDraft(ctx, store.Post{Body: "Pretzel Friday starts now", Targets: []store.Target{{AccountID: 1}, {AccountID: 2}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range terms {
		n := tm.out.Len()
		defer func(tm *sshTerm, n int) {
			// (a post sent late says by how much first, and the status
			// line shortens the post's text to fit)
			if drew, ok := tm.out.Await(n, 60*time.Second, func(w string) bool { return strings.Contains(ansi.Strip(w), "Pretzel") }); !ok {
				out := ansi.Strip(drew)
				if len(out) > 4000 {
					out = out[len(out)-4000:]
				}
				t.Errorf("a session never said the post went out; it drew:\n%s", out)
			}
		}(tm, n)
	}
	if err := r.st.QueuePost(ctx, id, now.Add(300*time.Millisecond), "Europe/Berlin", now); err != nil {
		t.Fatal(err)
	}
	// Sent to both accounts, as the scheduler logs; then the evidence
	// that no copy can follow: each account's worker, after its send, has
	// logged that nothing more is due (Debug) and gone to sleep. The pass
	// that sent the post is over, and whatever it would have sent again
	// is sent.
	handles := []string{"@ryeandshine@toot.community", "ryeandshine.bsky.social"}
	if logs, ok := r.logs.Await(0, 60*time.Second, func(logs string) bool {
		for _, h := range handles {
			sentAt := strings.Index(logs, fmt.Sprintf("of post %d sent to %s:", id, h))
			if sentAt < 0 || !strings.Contains(logs[sentAt:], "scheduler: debug: "+h+": nothing more due") {
				return false
			}
		}
		return true
	}); !ok {
		t.Fatalf("the scheduler did not log the post sent to both accounts, each worker asleep after:\n%s", logs)
	}
	ds, err := r.st.PostDeliveries(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].State != store.DeliverySent || ds[1].State != store.DeliverySent {
		t.Fatalf("logged sent, but the deliveries read %+v", ds)
	}
	for _, h := range handles {
		sent, err := r.st.SandboxPosts(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range sent {
			if s.Body == "Pretzel Friday starts now" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s got the post %d times, want once", h, n)
		}
	}
}

// A session that drops mid-edit keeps the half-typed post and the
// half-typed reply.
func TestServeDroppedSessionKeepsItsDraft(t *testing.T) {
	r := newServeRig(t, nil)
	ctx := context.Background()
	tm := r.open(r.full)
	tm.keys("2")
	tm.waitFor("Loyalty cards")
	tm.keys("n")
	tm.waitFor("Write your post")
	tm.keys("Half-typed croissant news")
	tm.waitFor("croissant news")
	tm.client.Close() // the connection drops, no key pressed

	storetest.WaitCommitted(t, r.st, 60*time.Second, "the half-typed post kept as a draft", func() (bool, string) {
		var n int
		r.st.DB().QueryRowContext(ctx, "SELECT count(*) FROM posts WHERE body = 'Half-typed croissant news' AND state = 'draft'").Scan(&n)
		return n == 1, fmt.Sprintf("%d drafts with its text", n)
	})

	tm = r.open(r.full)
	tm.keys("3")
	tm.waitFor("Open · all kinds")
	tm.keys("r")
	tm.waitFor("ctrl+s send") // the reply composer, on the newest item
	tm.keys("Card and cash both wel")
	tm.waitFor("cash both wel")
	tm.client.Close()
	storetest.WaitCommitted(t, r.st, 60*time.Second, "the half-typed reply kept as a draft", func() (bool, string) {
		var n int
		r.st.DB().QueryRowContext(ctx, "SELECT count(*) FROM posts WHERE reply_to_item IS NOT NULL AND body LIKE '%Card and cash both wel' AND state = 'draft'").Scan(&n)
		return n == 1, fmt.Sprintf("%d drafts with its text", n)
	})
}

// A command after the host runs the CLI's read-only commands and ends with
// their status; others are refused.
func TestServeCommands(t *testing.T) {
	r := newServeRig(t, nil)
	run := func(key gossh.Signer, cmd string) (string, int) {
		_, s := r.session(key)
		out, err := s.CombinedOutput(cmd)
		var ee *gossh.ExitError
		if errors.As(err, &ee) {
			return string(out), ee.ExitStatus()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), 0
	}
	if out, code := run(r.glance, "kpi"); code != 0 || !strings.Contains(out, "crier · the last 30 days") || !strings.Contains(out, "Next posts") {
		t.Errorf("kpi: exit %d\n%s", code, out)
	}
	if out, code := run(r.glance, "kpi --period 7d --json"); code != 0 || !strings.Contains(out, `"period_days": 7`) {
		t.Errorf("kpi --json: exit %d\n%s", code, out)
	}
	if out, code := run(r.glance, "kpi --period 5d"); code != 2 || !strings.Contains(out, "choose 7d, 30d or 90d") {
		t.Errorf("a bad flag: exit %d\n%s", code, out)
	}
	if out, code := run(r.full, "post hello"); code != 2 || !strings.Contains(out, "not a command over SSH") {
		t.Errorf("post over SSH: exit %d\n%s", code, out)
	}
}

// A session with no terminal and no command (ssh -T, or ssh from a
// script) is told how to connect, exits 2, and gets no escape sequences.
func TestServeAppWithoutTerminal(t *testing.T) {
	r := newServeRig(t, nil)
	_, s := r.session(r.full)
	var stdout, stderr bytes.Buffer // apart: two goroutines copy them
	s.Stdout, s.Stderr = &stdout, &stderr
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	err := s.Wait()
	var ee *gossh.ExitError
	if !errors.As(err, &ee) || ee.ExitStatus() != 2 {
		t.Errorf("exit: %v, want status 2", err)
	}
	if got := stdout.String() + stderr.String(); !strings.Contains(got, "needs a terminal: connect with ssh -t") || strings.Contains(got, "\x1b") {
		t.Errorf("output %q: want the way to connect and no escape sequences", got)
	}
}

// The limits: sessions at once, connections a minute from one address,
// and an idle session closed (its draft kept).
func TestServeLimits(t *testing.T) {
	t.Run("max sessions", func(t *testing.T) {
		r := newServeRig(t, func(o *serveOptions) { o.MaxSessions = 1 })
		r.open(r.full)
		c, err := r.dial(r.full)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		s, _ := c.NewSession()
		s.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
		out, err := s.CombinedOutput("")
		if err == nil || !strings.Contains(string(out), "1 sessions are open already") {
			t.Errorf("a second session: %v\n%s", err, out)
		}
	})
	t.Run("connections a minute", func(t *testing.T) {
		r := newServeRig(t, func(o *serveOptions) { o.PerMinute = 2 })
		for i := 0; i < 2; i++ {
			c, err := r.dial(r.full)
			if err != nil {
				t.Fatalf("connection %d: %v", i+1, err)
			}
			c.Close()
		}
		if _, err := r.dial(r.full); err == nil {
			t.Fatal("a third connection within the minute got in")
		}
		if !strings.Contains(r.logs.String(), "more than 2 connections a minute") {
			t.Errorf("not logged:\n%s", r.logs.String())
		}
	})
	t.Run("idle timeout", func(t *testing.T) {
		// Long enough for a pane's load on a busy machine: the session is
		// idle only between keys, and a key waits here for what it drew.
		r := newServeRig(t, func(o *serveOptions) { o.IdleTimeout = 6 * time.Second })
		tm := r.open(r.full)
		tm.keys("2")
		tm.waitFor("Loyalty cards")
		tm.keys("n")
		tm.waitFor("Write your post")
		tm.keys("Idle thoughts on rye")
		tm.sess.Wait() // the session ends by itself
		if !strings.Contains(r.logs.String(), "idle for 6s: closing the session") {
			t.Errorf("the idle session is not logged:\n%s", r.logs.String())
		}
		var n int
		r.st.DB().QueryRow("SELECT count(*) FROM posts WHERE body = 'Idle thoughts on rye'").Scan(&n)
		if n != 1 {
			t.Errorf("the idle session's draft was lost")
		}
	})
}

// The host key is made once, 0600, and kept: a restart has the same
// fingerprint. A key others may read is refused.
func TestServeHostKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "data", "ssh_host_ed25519_key")
	a, err := hostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode %v, %v", info.Mode(), err)
	}
	b, err := hostKey(path)
	if err != nil || gossh.FingerprintSHA256(a.PublicKey()) != gossh.FingerprintSHA256(b.PublicKey()) {
		t.Fatalf("a second start made another key: %v", err)
	}
	os.Chmod(path, 0o644)
	if _, err := hostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a readable host key: %v", err)
	}
}

// The authorized keys file: each line's role, and lines that can't be
// read named by number.
func TestServeAuthorizedKeysFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "authorized_keys")
	k := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(clientKey(t).PublicKey())))
	for _, tc := range []struct{ body, want string }{
		{"full " + k + " laptop\n\n# a comment\nglance " + k + "\n", ""},
		{k + "\n", "line 1: start the line with its role"},
		{"full " + k + "\nadmin " + k + "\n", `line 2: start the line with its role, full or glance (found "admin")`},
		{"full ssh-ed25519 nonsense\n", "line 1: not a public key line"},
	} {
		os.WriteFile(path, []byte(tc.body), 0o600)
		keys, err := readAuthorizedKeys(path)
		if tc.want == "" {
			if err != nil || len(keys) != 2 || keys[0].role != roleFull || keys[1].role != roleGlance || keys[0].comment != "laptop" {
				t.Errorf("%q: %+v, %v", tc.body, keys, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%q: %v, want %q", tc.body, err, tc.want)
		}
	}
	if _, err := readAuthorizedKeys(filepath.Join(dir, "none")); err == nil || !strings.Contains(err.Error(), "echo \"full $(cat ~/.ssh/id_ed25519.pub)\"") {
		t.Errorf("a missing file: %v", err)
	}
}

// Stopping the server (SIGINT, SIGTERM) ends every app as ctrl+c does: what
// they held is saved.
func TestServeStopSavesWhatSessionsHold(t *testing.T) {
	r := newServeRig(t, nil)
	tm := r.open(r.full)
	tm.keys("2")
	tm.waitFor("Loyalty cards")
	tm.keys("n")
	tm.waitFor("Write your post")
	tm.keys("Said just before the server stopped")
	tm.waitFor("server stopped")
	db := r.f.db
	r.stop()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	st.DB().QueryRow("SELECT count(*) FROM posts WHERE body = 'Said just before the server stopped' AND state = 'draft'").Scan(&n)
	if n != 1 {
		t.Errorf("the post being written when the server stopped was lost")
	}
}

// The screen draws a frame at once, then only the lines that changed; the
// same frame again draws nothing; a new size draws every line; closing
// gives the terminal back.
func TestServeScreenDrawsWhatChanged(t *testing.T) {
	out := &syncBuffer{}
	sc := newScreen(out)
	// The drawer writes its start at once, then each frame in one write:
	// a frame asked for is drawn whole when the next write has been made.
	if _, ok := out.Await(0, 10*time.Second, func(w string) bool { return strings.Contains(w, ansi.SetModeBracketedPaste) }); !ok {
		t.Fatal("the screen never wrote its start")
	}
	next := func(what string, do func()) string {
		t.Helper()
		mark, n := out.Len(), out.Writes()
		do()
		if !out.AwaitWrites(n+1, 10*time.Second) {
			t.Fatalf("%s: nothing drawn", what)
		}
		return out.Since(mark)
	}
	sc.resize(20, 3)
	if got := next("the first frame", func() { sc.show("calendar\ninbox\nkpis") }); ansi.Strip(got) != "calendar\r\ninbox\r\nkpis" {
		t.Errorf("the first frame drew %q", got)
	}
	if start := out.String(); !strings.HasPrefix(start, ansi.SetModeAltScreenSaveCursor) || !strings.Contains(start, ansi.HideCursor) {
		t.Errorf("the start: no alternate screen, or the cursor shows: %q", start)
	}
	got := next("a line changed", func() { sc.show("calendar\nINBOX\nkpis") })
	if ansi.Strip(got) != "\nINBOX\r\n" || !strings.Contains(got, "INBOX"+ansi.EraseLineRight) {
		t.Errorf("one line changed, it drew %q", got)
	}
	// The same frame again: show leaves nothing to draw and wakes nobody;
	// and the drawer, asked for a frame after it, draws only that frame,
	// so it drew nothing in between.
	got = next("the same frame, then another", func() {
		sc.show("calendar\nINBOX\nkpis")
		sc.mu.Lock()
		dirty := sc.dirty
		sc.mu.Unlock()
		if dirty || len(sc.kick) > 0 {
			t.Errorf("the same frame again is to be drawn (dirty %v, %d wake-ups)", dirty, len(sc.kick))
		}
		sc.show("calendar\nINBOX\nKPIS")
	})
	if ansi.Strip(got) != "\n\nKPIS" {
		t.Errorf("the same frame again, then one with a line changed, drew %q", got)
	}
	got = next("a new size", func() { sc.resize(6, 2); sc.show("calendar\nINBOX\nkpis") })
	if ansi.Strip(got) != "INBOX\r\nkpis" || !strings.HasSuffix(got, ansi.EraseScreenBelow) {
		t.Errorf("a new size (6x2) drew %q", got)
	}
	got = next("a long line", func() { sc.show("INBOX\nkpis and more") })
	if ansi.Strip(got) != "\nkpis a" {
		t.Errorf("a line wider than the terminal drew %q", got)
	}
	mark := out.Len()
	sc.close()
	if end := out.Since(mark); !strings.Contains(end, ansi.ShowCursor) || !strings.Contains(end, ansi.ResetModeAltScreenSaveCursor) {
		t.Errorf("closing: %q", end)
	}
}

// Sessions are told of a change to what they show, not of the sender
// lease's heartbeat or a sync cursor, whoever wrote it.
func TestServeWatchTellsSessionsOfContentOnly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	path := filepath.Join(t.TempDir(), "crier.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	other, err := store.Open(ctx, path) // another process
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	s := &sshServer{st: st, o: serveOptions{WatchEvery: 10 * time.Millisecond}, sessions: map[*sshSession]struct{}{}}
	ss := &sshSession{changed: make(chan struct{}, 1)}
	s.sessions[ss] = struct{}{}
	watched := make(chan store.Change, 64)
	s.watched = func(c store.Change) { watched <- c }
	done := make(chan struct{})
	go func() { defer close(done); s.watch(ctx) }()
	defer func() { cancel(); <-done }()

	// The watch has begun: what is committed from now on is news to it.
	select {
	case <-watched:
	case <-time.After(10 * time.Second):
		t.Fatal("the watch never began")
	}
	// told writes, waits until the watch has dealt with the commit (the
	// evidence that it had its chance to tell the session), and checks the
	// session was told, or not.
	told := func(what string, want bool, write func() error) {
		t.Helper()
		if err := write(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for seen := false; !seen; {
			select {
			case c := <-watched:
				seen = c.Committed
			case <-time.After(10 * time.Second):
				t.Fatalf("%s: the watch never saw the commit", what)
			}
		}
		select {
		case <-ss.changed:
			if !want {
				t.Errorf("%s: the session was told to reload", what)
			}
		default:
			if want {
				t.Errorf("%s: the session was not told", what)
			}
		}
	}
	now := time.Now()
	var acct int64
	told("an account added", true, func() (err error) {
		acct, err = other.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@shop@example.social", Server: "example.social"})
		return err
	})
	h := store.NewLeaseHolder()
	told("the sender lease taken", false, func() error {
		_, _, err := other.AcquireLease(ctx, store.SenderLease, h, now, time.Minute)
		return err
	})
	told("a heartbeat", false, func() error {
		_, err := st.RenewLease(ctx, store.LeaseHold{Name: store.SenderLease, HolderID: h.ID}, now.Add(3*time.Second), time.Minute)
		return err
	})
	told("a sync cursor", false, func() error {
		return other.SetSyncCursor(ctx, acct, store.StreamNotifications, "100", now)
	})
	told("a draft saved", true, func() error {
		_, err := other.SaveDraft(ctx, store.Post{Body: "Fresh sourdough at 8"}, now)
		return err
	})
}

// A session's styles, the theme turned into the client's palette once,
// draw exactly what the theme draws, on every kind of terminal, light or
// dark.
func TestServeSessionStylesDrawAsTheTheme(t *testing.T) {
	for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI, termenv.Ascii} {
		for _, dark := range []bool{true, false} {
			r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(p))
			r.SetHasDarkBackground(dark)
			want, got := styles.For(r, false), sessionStyles(r, false)
			for name, pair := range map[string][2]lipgloss.Style{
				"Text": {want.Text, got.Text}, "Muted": {want.Muted, got.Muted}, "Accent": {want.Accent, got.Accent},
				"Ok": {want.Ok, got.Ok}, "Warn": {want.Warn, got.Warn}, "Danger": {want.Danger, got.Danger},
				"Info": {want.Info, got.Info}, "TabActive": {want.TabActive, got.TabActive}, "Box": {want.Box, got.Box},
				"StatusError": {want.StatusError, got.StatusError},
			} {
				if w, g := pair[0].Render("Rye"), pair[1].Render("Rye"); w != g {
					t.Errorf("profile %v, dark %v, %s: %q, the theme draws %q", p, dark, name, g, w)
				}
			}
		}
	}
}

// countModel counts the frames it is asked for.
type countModel struct{ views *int }

func (m countModel) Init() tea.Cmd                       { return nil }
func (m countModel) Update(tea.Msg) (tea.Model, tea.Cmd) { return m, nil }
func (m countModel) View() string                        { *m.views++; return strconv.Itoa(*m.views) }

// A key's frame is made at once; frames of the background alone, at most
// one each calmFrame, the last of them always (a redraw asked for).
func TestServeFramesOfTheBackgroundWait(t *testing.T) {
	views := 0
	sc := newScreen(io.Discard)
	defer sc.close()
	var d tea.Model = drawn{Model: countModel{&views}, screen: sc, pace: &pace{}}
	step := func(msg tea.Msg) tea.Cmd {
		m, cmd := d.Update(msg)
		d = m
		d.View()
		return cmd
	}
	step(common.DataChangedMsg{}) // the first frame
	if views != 1 {
		t.Fatalf("the first frame: %d made", views)
	}
	var redraw tea.Cmd
	for range 5 { // a reload's messages, at once
		if cmd := step(common.DataChangedMsg{}); cmd != nil {
			redraw = cmd
		}
	}
	if views != 1 || redraw == nil {
		t.Fatalf("five background messages at once: %d frames made (want the first only), a redraw asked for: %v", views, redraw != nil)
	}
	msg := redraw()
	if _, ok := msg.(redrawMsg); !ok {
		t.Fatalf("the redraw is %T", msg)
	}
	step(msg)
	if views != 2 {
		t.Fatalf("after the redraw: %d frames, want 2", views)
	}
	step(tea.KeyMsg{Type: tea.KeyDown})
	step(common.DataChangedMsg{}) // the key's answer
	if views != 4 {
		t.Fatalf("a key and its answer: %d frames, want 4", views)
	}
}
