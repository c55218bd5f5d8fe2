package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/platforms/bluesky"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

// Help and the version are answers a person asked for: stdout, status 0,
// nothing on stderr.
func TestHelpAndVersionGoToStdout(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "Usage:"},
		{[]string{"-h"}, "Usage:"},
		{[]string{"help"}, "Usage:"},
		{[]string{"demo", "--help"}, "Usage:"},
		{[]string{"run", "-h"}, "crier run [--config FILE] [--debug]"},
		{[]string{"version"}, "database schema"},
		{[]string{"--version"}, "database schema"},
	}
	for _, tc := range cases {
		var stdout, stderr bytes.Buffer
		code := cli(tc.args, strings.NewReader(""), &stdout, &stderr)
		if code != 0 || !strings.Contains(stdout.String(), tc.want) || stderr.Len() != 0 {
			t.Errorf("crier %s: status %d, stdout %q, stderr %q", strings.Join(tc.args, " "), code, stdout.String(), stderr.String())
		}
	}
	// Each command has its own help, whichever way it is asked for.
	for _, name := range []string{"demo", "run", "login", "init", "post", "kpi", "serve"} {
		for _, args := range [][]string{{"help", name}, {name, "--help"}} {
			var stdout, stderr bytes.Buffer
			code := cli(args, strings.NewReader(""), &stdout, &stderr)
			if code != 0 || !strings.Contains(stdout.String(), "crier "+name+" ") || strings.HasPrefix(stdout.String(), "crier: run a small") || stderr.Len() != 0 {
				t.Errorf("crier %s: status %d, stdout %q, stderr %q; want %s's own help", strings.Join(args, " "), code, stdout.String(), stderr.String(), name)
			}
		}
	}
	// Help on a command crier does not have is a usage error that names it.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"help", "nonsense"}, `there is no command "nonsense"; the commands are`},
		{[]string{"help", "pots"}, `(did you mean "post"?)`},
		{[]string{"version", "--json"}, `version takes nothing after it (got "--json")`},
		{[]string{"--version", "now"}, `--version takes nothing after it`},
	} {
		var stdout, stderr bytes.Buffer
		if code := cli(tc.args, strings.NewReader(""), &stdout, &stderr); code != exitUsage || stdout.Len() != 0 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("crier %s: status %d, stdout %q, stderr %q; want status 2 and %q", strings.Join(tc.args, " "), code, stdout.String(), stderr.String(), tc.want)
		}
	}
	// Mistakes still go to stderr with status 2.
	var stdout, stderr bytes.Buffer
	if code := cli([]string{"--frobnicate"}, strings.NewReader(""), &stdout, &stderr); code != exitUsage || stdout.Len() != 0 {
		t.Errorf("a bad flag: status %d, stdout %q", code, stdout.String())
	}
}

func TestVersionLine(t *testing.T) {
	released := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/crier-app/crier", Version: "v1.4.0"}}
	if got := versionLine(released, 3); got != "crier v1.4.0 · database schema 3 · go1.26.8" {
		t.Errorf("go install …@v1.4.0: %q", got)
	}
	built := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261127093000-1a2b3c4d5e6f+dirty"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "1a2b3c4d5e6f7a8b9c0d"},
			{Key: "vcs.time", Value: "2026-11-27T09:30:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	got := versionLine(built, 3)
	for _, want := range []string{"v0.0.0-20261127093000-1a2b3c4d5e6f+dirty", "commit 1a2b3c4d5e6f of 2026-11-27 09:30 UTC", "uncommitted changes"} {
		if !strings.Contains(got, want) {
			t.Errorf("a build from a checkout: %q lacks %q", got, want)
		}
	}
	if got := versionLine(&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, 3); !strings.Contains(got, "development build") {
		t.Errorf("go run: %q", got)
	}
}

// The real binary names what its build information records: the module
// version, and the commit when the build had one.
func TestVersionOfTheBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := crierBinary(t)
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	meta, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(meta), "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 3 && f[0] == "mod" && f[2] != "(devel)" && !strings.Contains(string(out), f[2]):
			t.Errorf("--version %q lacks the module version %s", out, f[2])
		case len(f) >= 2 && f[0] == "build" && strings.HasPrefix(f[1], "vcs.revision=") && !strings.Contains(string(out), strings.TrimPrefix(f[1], "vcs.revision=")[:12]):
			t.Errorf("--version %q lacks the commit of %s", out, f[1])
		}
	}
	if !strings.HasPrefix(string(out), "crier ") {
		t.Errorf("--version: %q", out)
	}
}

// player plays the person at crier init: it answers each prompt as it
// appears, and approves crier on a Mastodon test server when asked to.
type player struct {
	mu      sync.Mutex
	out     strings.Builder
	seen    int
	answers []answer
	in      *io.PipeWriter
	srv     *mastotest.Server
	t       *testing.T
}

type answer struct{ prompt, text string }

func (p *player) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.out.Write(b)
	all := p.out.String()
	if i := strings.Index(all[p.seen:], "/oauth/authorize?"); i >= 0 && p.srv != nil {
		i += p.seen
		start := strings.LastIndex(all[:i], " ") + 1
		end := i + strings.IndexAny(all[i:], " \n")
		code, err := p.srv.Authorize(all[start:end])
		if err != nil {
			p.t.Errorf("authorizing: %v", err)
		}
		p.seen = end
		go p.in.Write([]byte(code + "\n"))
		return len(b), nil
	}
	if len(p.answers) == 0 && strings.HasSuffix(all, ": ") {
		// Nothing more to say: the person leaves (end of input).
		go p.in.Close()
		return len(b), nil
	}
	if len(p.answers) > 0 {
		a := p.answers[0]
		if i := strings.Index(all[p.seen:], a.prompt); i >= 0 && strings.HasSuffix(strings.TrimRight(all, " "), ":") {
			p.seen += i + len(a.prompt)
			p.answers = p.answers[1:]
			go p.in.Write([]byte(a.text + "\n"))
		}
	}
	return len(b), nil
}

// playInit runs crier init writing to path, answering as answers say.
func playInit(t *testing.T, path string, srv *mastotest.Server, answers ...answer) (string, error) {
	t.Helper()
	pr, pw := io.Pipe()
	p := &player{answers: answers, in: pw, srv: srv, t: t}
	home := t.TempDir()
	env := map[string]string{"XDG_DATA_HOME": filepath.Join(home, "data"), "XDG_STATE_HOME": filepath.Join(home, "state"), "TZ": "Europe/Berlin"}
	u := initIO{in: bufio.NewReader(pr), out: p, getenv: func(k string) string { return env[k] }, home: home, checkTimeout: 20 * time.Second}
	done := make(chan error, 1)
	go func() { done <- initConfig(context.Background(), path, u) }()
	select {
	case err := <-done:
		pw.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		if len(p.answers) > 0 {
			t.Errorf("crier init ended before asking %q:\n%s", p.answers[0].prompt, p.out.String())
		}
		return p.out.String(), err
	case <-time.After(60 * time.Second):
		p.mu.Lock()
		defer p.mu.Unlock()
		t.Fatalf("crier init is stuck:\n%s", p.out.String())
		return "", nil
	}
}

func private(t *testing.T, path string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, info.Mode().Perm())
	}
}

// With no accounts, crier init writes a commented config crier reads, only
// the user can read it, and it says where everything lives.
func TestInitWritesAPrivateCommentedConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crier", "config.yaml")
	out, err := playInit(t, path, nil,
		answer{"Time zone", "Mars/Olympus"},
		answer{"Time zone", "America/New_York"},
		answer{"Add an account", "x"},
		answer{"Add an account", ""})
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	private(t, path)
	data, _ := os.ReadFile(path)
	if n := strings.Count(string(data), "\n#"); n < 10 {
		t.Errorf("the config has %d comment lines:\n%s", n, data)
	}
	cfg, err := config.Load(config.LoadOptions{Flag: path, Getenv: func(string) string { return "" }, Home: t.TempDir()})
	if err != nil {
		t.Fatalf("crier cannot read what init wrote: %v\n%s", err, data)
	}
	if cfg.TimezoneName != "America/New_York" || len(cfg.Accounts) != 0 {
		t.Errorf("zone %q, %d accounts", cfg.TimezoneName, len(cfg.Accounts))
	}
	for _, want := range []string{`"Mars/Olympus" is not a time zone`, "Where everything lives", path, "database", "crier.db", "log", "crier.log", "sessions", "crier run"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
}

// crier init never changes a config that exists.
func TestInitLeavesAnExistingConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("timezone: UTC\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := playInit(t, path, nil)
	if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "crier login mastodon") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "timezone: UTC\n" {
		t.Fatalf("the file changed: %q", data)
	}
}

// Leaving crier init half way writes no config.
func TestInitStoppedWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	_, err := playInit(t, path, nil, answer{"Time zone", "UTC"})
	if err == nil || !strings.Contains(err.Error(), "no config was written") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a config was written: %v", err)
	}
}

// A Mastodon account goes through crier login's own flow (OAuth with PKCE,
// the code pasted back) and lands in the config with its token file.
func TestInitAddsMastodonThroughLogin(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "config.yaml")
	out, err := playInit(t, path, srv,
		answer{"Time zone", ""},
		answer{"Add an account", "m"},
		answer{"Mastodon server", srv.URL},
		answer{"Add another account", ""})
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	cfg, err := config.Load(config.LoadOptions{Flag: path, Getenv: func(string) string { return "" }, Home: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Accounts) != 1 || cfg.Accounts[0].Platform != "mastodon" || cfg.Accounts[0].Server != srv.URL {
		t.Fatalf("accounts: %+v", cfg.Accounts)
	}
	token, err := cfg.Accounts[0].Secret(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mastodon.New(srv.URL, token).Followers(context.Background()); err != nil {
		t.Fatalf("the token in the config does not work: %v", err)
	}
	private(t, strings.TrimPrefix(cfg.Accounts[0].Credential, "file:"))
	if strings.Contains(out, "Add this to your config") {
		t.Errorf("init told the person to paste what it wrote itself:\n%s", out)
	}
	if cfg.TimezoneName != "Europe/Berlin" {
		t.Errorf("the default zone was %q, want the machine's (TZ=Europe/Berlin)", cfg.TimezoneName)
	}
}

// A Bluesky handle and app password are checked with the server: a wrong
// password is said so and asked again, an unreachable server can be given
// up on, and the account that signed in is in the config with its password
// in a file only the user can read. Against the reference Bluesky network.
func TestInitChecksBlueskyWithTheServer(t *testing.T) {
	net := testnet.Shared(t)
	acct := net.CreateAccount(t, net.UniqueHandle("init"))
	path := filepath.Join(t.TempDir(), "config.yaml")
	out, err := playInit(t, path, nil,
		answer{"Time zone", "UTC"},
		answer{"Add an account", "b"},
		answer{"Bluesky handle", "@" + acct.Handle},
		answer{"Server", "http://127.0.0.1:1"},
		answer{"App password", acct.AppPassword},
		answer{"Try again?", "n"},
		answer{"Add an account", "b"},
		answer{"Bluesky handle", acct.Handle},
		answer{"Server", net.PDS},
		answer{"App password", "wrong-pass-word-here"},
		answer{"Try again?", ""},
		answer{"Bluesky handle", acct.Handle},
		answer{"Server", net.PDS},
		answer{"App password", acct.AppPassword},
		answer{"Add another account", ""})
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Count(out, "did not sign in") != 2 || !strings.Contains(out, "the handle or the app password is wrong") ||
		!strings.Contains(out, "Signed in as "+acct.Handle) {
		t.Errorf("the output:\n%s", out)
	}
	cfg, err := config.Load(config.LoadOptions{Flag: path, Getenv: func(string) string { return "" }, Home: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Accounts) != 1 || cfg.Accounts[0].Handle != acct.Handle || cfg.Accounts[0].Server != net.PDS {
		t.Fatalf("accounts: %+v", cfg.Accounts)
	}
	a := cfg.Accounts[0]
	private(t, strings.TrimPrefix(a.Credential, "file:"))
	pw, err := a.Secret(func(string) string { return "" })
	if err != nil || pw != acct.AppPassword {
		t.Fatalf("the password in the config: %q, %v", pw, err)
	}
	if _, err := bluesky.New(a.Server, a.Handle, bluesky.WithAppPassword(pw)).Session(context.Background()); err != nil {
		t.Fatalf("the account in the config does not sign in: %v", err)
	}
}

// Where the config cannot be written (a file where a folder should be, a
// folder given as the file), crier init says so before its first
// question, so no answer is typed for nothing, and it writes nothing.
func TestInitAsksNothingWhereItCannotWrite(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(file, "crier", "config.yaml"), "nothing was asked or written"},
		{dir, "is a folder: name the config file, like crier init --config " + filepath.Join(dir, "config.yaml")},
	} {
		out, err := playInit(t, tc.path, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s: err = %v, want %q", tc.path, err, tc.want)
		}
		if strings.Contains(out, "Time zone") {
			t.Errorf("%s: asked before saying it cannot write:\n%s", tc.path, out)
		}
	}
	if data, _ := os.ReadFile(file); string(data) != "x" {
		t.Errorf("%s changed: %q", file, data)
	}
}
