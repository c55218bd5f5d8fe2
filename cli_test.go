package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/analytics/periods"
	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

var updateCLI = flag.Bool("update", false, "rewrite the CLI's golden files in testdata/cli")

// The CLI tests run the crier binary, built once, as a script would.
var (
	cliBinOnce sync.Once
	cliBin     string
	cliBinErr  error
	cliBinDir  string
)

func crierBinary(t testing.TB) string {
	t.Helper()
	cliBinOnce.Do(func() {
		cliBinDir, cliBinErr = os.MkdirTemp("", "crier-cli-bin-")
		if cliBinErr != nil {
			return
		}
		cliBin = filepath.Join(cliBinDir, "crier")
		args := []string{"build", "-o", cliBin}
		if raceEnabled {
			args = append(args, "-race")
		}
		out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
		if err != nil {
			cliBinErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if cliBinErr != nil {
		t.Fatal(cliBinErr)
	}
	return cliBin
}

// removeCLIBinary is called by TestMain when the tests are done.
func removeCLIBinary() {
	if cliBinDir != "" {
		os.RemoveAll(cliBinDir)
	}
}

// cliNow is the demo's frozen instant, as the goldens show it.
var cliNow = time.Date(2026, 11, 27, 9, 30, 0, 0, mustZone("Europe/Berlin"))

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// cliFixture is a demo database (seed 1, Europe/Berlin, at cliNow) and a
// config that points at it, in a folder of the test's own.
type cliFixture struct {
	dir, config, db string
	// stderr, when set, also gets crier's stderr as it is written.
	stderr io.Writer
}

// newCLIFixture seeds a fresh demo database for a test that changes it.
func newCLIFixture(t *testing.T) cliFixture { return newCLIFixtureAt(t, cliNow) }

// newCLIFixtureAt seeds it with its history ending at now: a copy of the
// demo built for now, which is built once per test binary (seconds under
// the race detector; the SSH server's tests ask for the same minute).
func newCLIFixtureAt(t testing.TB, now time.Time) cliFixture {
	t.Helper()
	dir := t.TempDir()
	f := cliFixture{dir: dir, db: filepath.Join(dir, "crier.db"), config: filepath.Join(dir, "config.yaml")}
	data, err := seededDemo(now)
	if err != nil {
		t.Fatalf("seeding the demo: %v", err)
	}
	if err := os.WriteFile(f.db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := "timezone: Europe/Berlin\ndatabase: " + f.db + "\nscheduler:\n  enabled: false\n"
	if err := os.WriteFile(f.config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// seededDemos are the demo databases built for the tests, by their now.
// Each is built in a folder of its own, kept until TestMain ends, because
// its rows name the demo photos written beside it.
var seededDemos = struct {
	mu sync.Mutex
	m  map[int64]*seededBuild
}{m: map[int64]*seededBuild{}}

type seededBuild struct {
	once sync.Once
	data []byte
	err  error
}

// seededDemo is the file of the demo whose history ends at now.
func seededDemo(now time.Time) ([]byte, error) {
	seededDemos.mu.Lock()
	b := seededDemos.m[now.UnixNano()]
	if b == nil {
		b = &seededBuild{}
		seededDemos.m[now.UnixNano()] = b
	}
	seededDemos.mu.Unlock()
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "crier-cli-demo-")
		if err != nil {
			b.err = err
			return
		}
		seededDemos.mu.Lock()
		cliFixtureDirs = append(cliFixtureDirs, dir)
		seededDemos.mu.Unlock()
		db := filepath.Join(dir, "crier.db")
		ctx := context.Background()
		st, err := store.Open(ctx, db)
		if err != nil {
			b.err = err
			return
		}
		b.err = demo.Seed(ctx, st, demo.Options{Seed: 1, Now: now, Zone: cliNow.Location()})
		// Closing the last connection checkpoints the WAL into the file.
		if err := st.Close(); b.err == nil {
			b.err = err
		}
		if b.err == nil {
			b.data, b.err = os.ReadFile(db)
		}
	})
	return b.data, b.err
}

type cliResult struct {
	code           int
	stdout, stderr string
}

// crier runs the binary with args (and the fixture's config and clock when
// f is set), stdin as its input.
func (f cliFixture) crier(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	bin := crierBinary(t)
	if f.config != "" {
		args = append(args, "--config", f.config, "--now", cliNow.Format(time.RFC3339))
	}
	cmd := exec.Command(bin, args...)
	home := f.dir
	if home == "" {
		home = t.TempDir()
	}
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_STATE_HOME="+home,
		"XDG_CACHE_HOME="+home, "CRIER_CONFIG=", "NO_COLOR=1", "TZ=UTC", "EDITOR=", "VISUAL=")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if f.stderr != nil {
		cmd.Stderr = io.MultiWriter(&errb, f.stderr)
	}
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "cli", name+".golden")
	if *updateCLI {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to write it)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

// sharedFixture is one demo database for the tests that only read it.
var (
	sharedOnce sync.Once
	shared     cliFixture
)

func readOnlyFixture(t *testing.T) cliFixture {
	sharedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "crier-cli-demo-")
		if err != nil {
			t.Fatal(err)
		}
		seededDemos.mu.Lock()
		cliFixtureDirs = append(cliFixtureDirs, dir)
		seededDemos.mu.Unlock()
		ctx := context.Background()
		shared = cliFixture{dir: dir, db: filepath.Join(dir, "crier.db"), config: filepath.Join(dir, "config.yaml")}
		st, err := store.Open(ctx, shared.db)
		if err != nil {
			t.Fatal(err)
		}
		if err := demo.Seed(ctx, st, demo.Options{Seed: 1, Now: cliNow, Zone: cliNow.Location()}); err != nil {
			t.Fatal(err)
		}
		st.Close()
		cfg := "timezone: Europe/Berlin\ndatabase: " + shared.db + "\n"
		if err := os.WriteFile(shared.config, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
	})
	if shared.db == "" {
		t.Fatal("the shared demo database could not be made")
	}
	return shared
}

var cliFixtureDirs []string

// Every read-only subcommand's output on the demo, as text and as JSON.
func TestCLIGoldenOutputs(t *testing.T) {
	t.Parallel()
	f := readOnlyFixture(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"kpi", []string{"kpi"}},
		{"kpi-7d", []string{"kpi", "--period", "7d"}},
		{"kpi-90d", []string{"kpi", "--period", "90d"}},
		{"kpi-json", []string{"kpi", "--json"}},
		{"queue", []string{"queue"}},
		{"queue-json", []string{"queue", "--json", "--limit", "3"}},
		{"inbox-open", []string{"inbox", "--open", "--limit", "12"}},
		{"inbox-json", []string{"inbox", "--json", "--limit", "2"}},
		{"accounts", []string{"accounts"}},
		{"accounts-json", []string{"accounts", "--json"}},
		{"report-md", []string{"report", "--from", "2026-11-01", "--to", "2026-11-26", "--format", "md"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.crier(t, "", tc.args...)
			if r.code != 0 {
				t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
			}
			golden(t, tc.name, r.stdout)
		})
	}
}

// The glance fits one 80-column, 24-row screen.
func TestCLIKPIFitsOneScreen(t *testing.T) {
	t.Parallel()
	f := readOnlyFixture(t)
	for _, p := range []string{"7d", "30d", "90d"} {
		r := f.crier(t, "", "kpi", "--period", p)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
		if len(lines) > 24 {
			t.Errorf("--period %s: %d lines, more than a 24-row screen", p, len(lines))
		}
		for i, l := range lines {
			if w := displayWidth(l); w > 80 {
				t.Errorf("--period %s: line %d is %d columns wide: %q", p, i+1, w, l)
			}
		}
	}
}

func displayWidth(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

// The JSON of each command has the documented fields, with their types.
func TestCLIJSONShape(t *testing.T) {
	t.Parallel()
	f := readOnlyFixture(t)
	shape := func(t *testing.T, args []string, want map[string]string) any {
		r := f.crier(t, "", args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		var v any
		if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
			t.Fatalf("%v: not JSON: %v\n%s", args, err, r.stdout)
		}
		obj := v
		if list, ok := v.([]any); ok {
			if len(list) == 0 {
				t.Fatalf("%v: an empty list", args)
			}
			obj = list[0]
		}
		m, ok := obj.(map[string]any)
		if !ok {
			t.Fatalf("%v: not an object: %T", args, obj)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var wantKeys []string
		for k := range want {
			wantKeys = append(wantKeys, k)
		}
		sort.Strings(wantKeys)
		if strings.Join(keys, ",") != strings.Join(wantKeys, ",") {
			t.Errorf("%v: fields %v, want %v", args, keys, wantKeys)
		}
		for k, typ := range want {
			if got := jsonType(m[k]); !strings.Contains(typ, got) {
				t.Errorf("%v: %s is %s, want %s", args, k, got, typ)
			}
		}
		return v
	}
	shape(t, []string{"accounts", "--json"}, map[string]string{"id": "number", "name": "string", "platform": "string",
		"handle": "string", "server": "string", "needs_reauth": "bool"})
	post := map[string]string{"id": "number", "state": "string", "at": "string|null", "time_zone": "string",
		"platforms": "array", "text": "string", "images": "number", "copies": "array"}
	shape(t, []string{"queue", "--json"}, post)
	shape(t, []string{"inbox", "--json"}, map[string]string{"id": "number", "account_id": "number", "platform": "string",
		"kind": "string", "state": "string", "read": "bool", "author_handle": "string", "author_name": "string",
		"text": "string", "url": "string", "received_at": "string", "class": "string", "sentiment": "number|null",
		"replied_at": "string|null", "snoozed_until": "string|null", "labels": "array", "deleted": "bool"})
	v := shape(t, []string{"kpi", "--json"}, map[string]string{"generated_at": "string", "time_zone": "string",
		"period_days": "number", "from": "string", "to": "string", "total": "object", "accounts": "array",
		"inbox": "object", "goals": "array", "next_posts": "array", "failed_posts": "number", "missed_posts": "number",
		"held_posts": "number"})
	k := v.(map[string]any)
	cur := k["total"].(map[string]any)["current"].(map[string]any)
	for _, field := range []string{"followers", "followers_gained", "posts", "engagement", "engagement_per_post",
		"engagement_rate", "inbox_received"} {
		if _, ok := cur[field]; !ok {
			t.Errorf("kpi: total.current lacks %s", field)
		}
	}
	inbox := k["inbox"].(map[string]any)
	for _, field := range []string{"open", "answered_7d", "answered_30d", "median_first_reply_7d_seconds", "median_first_reply_30d_seconds", "waiting_longer_7d", "waiting_longer_30d"} {
		if _, ok := inbox[field]; !ok {
			t.Errorf("kpi: inbox lacks %s", field)
		}
	}
	if goals := k["goals"].([]any); len(goals) == 0 {
		t.Errorf("kpi: the demo's running goals are missing")
	} else {
		g := goals[0].(map[string]any)
		for _, field := range []string{"id", "campaign_id", "metric", "description", "state", "current", "target", "progress", "deadline"} {
			if _, ok := g[field]; !ok {
				t.Errorf("kpi: a goal lacks %s", field)
			}
		}
	}
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

// Help is on stdout with status 0, for the old commands and the new; an
// unknown command or flag is a usage error on stderr.
func TestCLIHelpVersionAndUsageErrors(t *testing.T) {
	t.Parallel()
	var none cliFixture
	for _, tc := range []struct {
		args       []string
		code       int
		stdout     string
		stderr     string
		stdoutNone bool
	}{
		{args: []string{"--help"}, stdout: "crier kpi [--period"},
		{args: []string{"-h"}, stdout: "crier demo [--seed N]"},
		{args: []string{"help"}, stdout: "crier serve [--listen"},
		{args: []string{"demo", "--help"}, stdout: "crier demo [--seed N] [--large] [--keep]"},
		{args: []string{"init", "--help"}, stdout: "crier init [--config FILE]"},
		{args: []string{"kpi", "--help"}, stdout: "--period string"},
		{args: []string{"help", "post"}, stdout: "--image stringArray"},
		{args: []string{"version"}, stdout: "database schema"},
		{args: []string{"--version"}, stdout: "database schema"},
		{args: []string{"frobnicate"}, code: 2, stderr: `unknown command "frobnicate"`, stdoutNone: true},
		{args: []string{"kpi", "--frob"}, code: 2, stderr: "unknown flag: --frob", stdoutNone: true},
		{args: []string{"kpi", "extra"}, code: 2, stderr: `unexpected argument "extra"`, stdoutNone: true},
		{args: []string{"kpi", "--period", "12d"}, code: 2, stderr: "choose 7d, 30d or 90d", stdoutNone: true},
		{args: []string{"--seed", "3"}, code: 2, stderr: "only apply to crier demo", stdoutNone: true},
		{args: []string{"import"}, code: 2, stderr: "takes one FILE", stdoutNone: true},
		{args: []string{"report", "--format", "pdf"}, code: 2, stderr: `"pdf" is not a report format`, stdoutNone: true},
		{args: []string{"report", "--format", "md"}, code: 2, stderr: "--from and --to", stdoutNone: true},
		{args: []string{"report", "--format", "json", "--from", "0001-01-01", "--to", "9999-12-31"}, code: 2,
			stderr: "a report covers at most ten years", stdoutNone: true},
		{args: []string{"report", "--from", "2026-11-01", "--to", "2026-11-02", "-o", "/nonexistent/dir/r.md"}, code: 1,
			stderr: "-o /nonexistent/dir/r.md: there is no folder /nonexistent/dir to write the report in", stdoutNone: true},
		{args: []string{"report", "--from", "2026-11-01", "--to", "2026-11-02", "--format", "md", "-o", "/"}, code: 2,
			stderr: "-o / is a folder", stdoutNone: true},
		{args: []string{"run", "--config", "/nonexistent/crier.yaml"}, code: 2, stderr: "/nonexistent/crier.yaml", stdoutNone: true},
		{args: []string{"--config", "/nonexistent/crier.yaml"}, code: 2, stderr: "/nonexistent/crier.yaml", stdoutNone: true},
		{args: []string{"kpi", "--config", "/nonexistent/crier.yaml"}, code: 2, stderr: "/nonexistent/crier.yaml", stdoutNone: true},
		{args: []string{"demo", "--seed", "x"}, code: 2, stderr: "invalid value", stdoutNone: true},
		{args: []string{"serve", "--max-sessions", "0"}, code: 2, stderr: "--max-sessions 0", stdoutNone: true},
		{args: []string{"completion", "bash"}, stdout: "__start_crier"},
		{args: []string{"completion", "zsh"}, stdout: "#compdef crier"},
		{args: []string{"completion", "fish"}, stdout: "complete -c crier"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := none.crier(t, "", tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", r.code, tc.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, tc.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdout, r.stdout)
			}
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, r.stderr)
			}
			if tc.stdoutNone && r.stdout != "" {
				t.Errorf("a usage error printed to stdout:\n%s", r.stdout)
			}
			if strings.Contains(r.stderr, "goroutine") {
				t.Errorf("a stack trace reached the user:\n%s", r.stderr)
			}
		})
	}
}

// Completion offers the commands and the values of flags that have a few.
func TestCLICompletion(t *testing.T) {
	t.Parallel()
	var f cliFixture
	r := f.crier(t, "", "__complete", "")
	for _, want := range []string{"kpi", "post", "queue", "inbox", "accounts", "report", "import", "demo", "run", "init", "login"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("completing a command lacks %q:\n%s", want, r.stdout)
		}
	}
	r = f.crier(t, "", "__complete", "kpi", "--period", "")
	if !strings.Contains(r.stdout, "7d\n30d\n90d") {
		t.Errorf("completing --period:\n%s", r.stdout)
	}
}

// The median first reply counts only the answered: the glance says how
// many items still wait, unanswered, longer than it, on screen and in JSON.
func TestCLIKPIWaitingLongerThanTheMedian(t *testing.T) {
	g := &glance{Now: time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC), Zone: time.UTC, Days: 30,
		Inbox: store.InboxKPIs{Open: 9,
			Week:  store.ResponseFigures{Answered: 2, MedianFirstResponse: 20 * time.Minute, WaitingLonger: 6},
			Month: store.ResponseFigures{Answered: 5, MedianFirstResponse: time.Hour, WaitingLonger: 7}}}
	var b strings.Builder
	g.writeText(&b)
	if !strings.Contains(b.String(), "unanswered, waiting longer: 6 of 7 days, 7 of 30 days") {
		t.Errorf("the glance does not say what waits longer than the median:\n%s", b.String())
	}
	j := g.JSON().Inbox
	if j.WaitingLonger7d != 6 || j.WaitingLonger30d != 7 {
		t.Errorf("JSON inbox %+v, want waiting longer 6 and 7", j)
	}
	g.Inbox.Week.WaitingLonger, g.Inbox.Month.WaitingLonger = 0, 0
	b.Reset()
	g.writeText(&b)
	if strings.Contains(b.String(), "waiting longer") {
		t.Errorf("nothing waits, yet the glance says so:\n%s", b.String())
	}
}

// A post on two networks is two copies in the total: the glance says
// that its posts are copies where there is more than one account.
func TestCLIKPISaysPostsAreCopies(t *testing.T) {
	g := &glance{Now: time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC), Zone: time.UTC, Days: 30}
	var b strings.Builder
	g.writeText(&b)
	if strings.Contains(b.String(), "copy") {
		t.Errorf("no accounts, yet a note on copies:\n%s", b.String())
	}
	g.Period.Accounts = []periods.Period{
		{Account: store.Account{Platform: "mastodon", Handle: "@a@x"}, Current: periods.Figures{Posts: 1, Engagement: 4}},
		{Account: store.Account{Platform: "bluesky", Handle: "a.x"}, Current: periods.Figures{Posts: 1, Engagement: 6}},
	}
	g.Period.Total.Current = periods.Figures{Posts: 2, Engagement: 10}
	b.Reset()
	g.writeText(&b)
	if !strings.Contains(b.String(), "posts count each network's copy") {
		t.Errorf("two accounts, and the total's posts don't say they are copies:\n%s", b.String())
	}
}

// A post a paused queue holds on every network is not among the next
// posts (it goes out when the queue runs again): the glance counts it
// apart; a post held on one network says which.
func TestCLIKPIHeldPostsAreNotNext(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	a, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@a@x.social"})
	b, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "a.x"})
	queue := func(body string, accts ...int64) {
		var ts []store.Target
		for _, id := range accts {
			ts = append(ts, store.Target{AccountID: id})
		}
		id, err := st.SaveDraft(ctx, store.Post{Body: body, Targets: ts}, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddToQueue(ctx, id, now); err != nil {
			t.Fatal(err)
		}
	}
	slots, err := store.ParseQueueSlots("Mon-Sun 09:00")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{a, b} {
		if err := st.SetQueueSchedule(ctx, id, "UTC", slots); err != nil {
			t.Fatal(err)
		}
	}
	queue("only on mastodon", a)
	queue("on both", a, b)
	if _, err := st.PauseQueue(ctx, a, now); err != nil {
		t.Fatal(err)
	}
	g, err := readGlance(ctx, st, now, 30, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if g.Held != 1 || len(g.Next) != 1 || g.Next[0].Body != "on both" {
		t.Fatalf("held %d, next %+v; want the mastodon-only post held and the other next", g.Held, g.Next)
	}
	var sb strings.Builder
	g.writeText(&sb)
	for _, want := range []string{"and 1 held by a paused queue", "bluesky mastodonǁ", "ǁ a paused queue holds"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("the glance lacks %q:\n%s", want, sb.String())
		}
	}
	if strings.Contains(sb.String(), "only on mastodon") {
		t.Errorf("a held post is listed as going out:\n%s", sb.String())
	}
	if g.JSON().HeldPosts != 1 {
		t.Errorf("JSON held_posts %d, want 1", g.JSON().HeldPosts)
	}
}
