package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

func countPosts(t *testing.T, db string) (posts, deliveries int) {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.DB().QueryRow("SELECT count(*) FROM posts").Scan(&posts); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().QueryRow("SELECT count(*) FROM deliveries").Scan(&deliveries); err != nil {
		t.Fatal(err)
	}
	return posts, deliveries
}

func writePNG(t *testing.T, path string, w, h int) {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Bad input to crier post is a usage error naming what and where, and
// nothing is saved or queued.
func TestCLIPostBadInput(t *testing.T) {
	t.Parallel()
	f := newCLIFixture(t)
	photo := filepath.Join(f.dir, "loaf.png")
	writePNG(t, photo, 40, 30)
	notImage := filepath.Join(f.dir, "notes.png")
	if err := os.WriteFile(notImage, []byte("just some text, not a picture\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Sourdough 🍞 ", 30) // 360 graphemes: over Bluesky's 300, under Mastodon's 500
	posts, deliveries := countPosts(t, f.db)
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{"over one network's limit", "", []string{"post", long}, []string{"ryeandshine.bsky.social", "graphemes", "60 over its limit of 300"}},
		{"over the limit on stdin", long, []string{"post", "--stdin", "--to", "bluesky"}, []string{"60 over its limit of 300"}},
		{"unknown account", "", []string{"post", "hi", "--to", "shop-tiktok"}, []string{`--to "shop-tiktok"`, "no such account", "ryeandshine.bsky.social"}},
		{"time in the past", "", []string{"post", "hi", "--at", "2026-11-26 09:00"}, []string{`--at "2026-11-26 09:00"`, "in the past", "Thu 26 Nov 2026 09:00"}},
		{"time not understood", "", []string{"post", "hi", "--at", "blursday"}, []string{`--at "blursday"`}},
		{"missing image", "", []string{"post", "hi", "--image", filepath.Join(f.dir, "gone.jpg"), "--alt", "x"}, []string{`--image`, "gone.jpg", "not there"}},
		{"a file that isn't an image", "", []string{"post", "hi", "--image", notImage, "--alt", "x"}, []string{"notes.png", "is not an image"}},
		{"alt without an image", "", []string{"post", "hi", "--alt", "x"}, []string{`--alt "x" has no --image`}},
		{"unknown campaign", "", []string{"post", "hi", "--campaign", "no-such"}, []string{`--campaign "no-such"`, "the slugs are"}},
		{"misspelt account", "", []string{"post", "hi", "--to", "ryeandshine.bsky.socal"}, []string{"no such account (did you mean \"ryeandshine.bsky.social\"?)"}},
		{"misspelt campaign", "", []string{"post", "hi", "--campaign", "loyalty-card-launch-nov-2025"}, []string{"(did you mean \"loyalty-card-launch-nov-2026\"?)"}},
		{"an hour no day has", "", []string{"post", "hi", "--at", "tomorrow 25:00"}, []string{`--at "tomorrow 25:00"`, "there is no hour 25"}},
		{"empty text", "", []string{"post", "   "}, []string{"text is empty"}},
		{"no text at all", "", []string{"post"}, []string{"one place"}},
		{"two texts", "x", []string{"post", "hi", "--stdin"}, []string{"one place"}},
		{"two words unquoted", "", []string{"post", "hi", "there"}, []string{"one argument (quote it)"}},
		{"--at with --queue", "", []string{"post", "hi", "--at", "+1h", "--queue"}, []string{"at", "queue"}},
		{"--editor without an editor", "", []string{"post", "--editor"}, []string{"$EDITOR is set"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.crier(t, tc.stdin, tc.args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout on a usage error:\n%s", r.stdout)
			}
			if p, d := countPosts(t, f.db); p != posts || d != deliveries {
				t.Errorf("bad input saved something: posts %d→%d, deliveries %d→%d", posts, p, deliveries, d)
			}
		})
	}
	_ = photo
}

// Good posts are saved as the composer would save them and say when they
// go out.
func TestCLIPostQueues(t *testing.T) {
	t.Parallel()
	f := newCLIFixture(t)
	photo := filepath.Join(f.dir, "loaf.png")
	writePNG(t, photo, 40, 30)
	ctx := context.Background()
	read := func(id int64) (store.Post, []store.Delivery) {
		st, err := store.Open(ctx, f.db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		p, err := st.Post(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := st.PostDeliveries(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return p, ds
	}
	postJSONOf := func(t *testing.T, r cliResult) postJSON {
		t.Helper()
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		var p postJSON
		if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
			t.Fatalf("%v: %s", err, r.stdout)
		}
		return p
	}

	t.Run("at a typed time, to one account", func(t *testing.T) {
		r := f.crier(t, "", "post", "Rye loaves at 9!", "--to", "ryeandshine.bsky.social", "--at", "tomorrow 9am")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "queued: goes out") || !strings.Contains(r.stdout, "Bluesky ryeandshine.bsky.social") {
			t.Errorf("stdout: %s", r.stdout)
		}
		var id int64
		if _, err := fmtSscanID(r.stdout, &id); err != nil {
			t.Fatal(err)
		}
		p, ds := read(id)
		want := time.Date(2026, 11, 28, 9, 0, 0, 0, cliNow.Location())
		if p.State != store.PostQueued || !p.ScheduledAt.Equal(want) || p.ScheduledZone != "Europe/Berlin" {
			t.Errorf("post %+v", p)
		}
		if len(ds) != 1 || ds[0].AccountID != 2 || ds[0].State != store.DeliveryQueued {
			t.Errorf("deliveries %+v", ds)
		}
	})
	t.Run("stdin, a photo with alt text, a campaign, JSON", func(t *testing.T) {
		r := f.crier(t, "Fig & fennel is back.\n", "post", "--stdin", "--at", "+2h", "--image", photo, "--alt", "A loaf",
			"--campaign", "loyalty-card-launch-nov-2026", "--json")
		pj := postJSONOf(t, r)
		p, ds := read(pj.ID)
		if p.Body != "Fig & fennel is back." || len(p.Media) != 1 || p.Media[0].AltText != "A loaf" || p.Media[0].Mime != "image/png" {
			t.Errorf("post %+v", p)
		}
		if p.CampaignID == 0 {
			t.Errorf("no campaign: %+v", p)
		}
		if len(ds) != 2 || pj.State != "queued" || pj.Images != 1 || len(pj.Copies) != 2 {
			t.Errorf("json %+v, deliveries %+v", pj, ds)
		}
		if want := cliNow.Add(2 * time.Hour).UTC().Format(time.RFC3339); pj.At == nil || *pj.At != want {
			t.Errorf("at %v, want %s", pj.At, want)
		}
	})
	t.Run("a draft", func(t *testing.T) {
		pj := postJSONOf(t, f.crier(t, "", "post", "Idea: a rye workshop", "--draft", "--json"))
		p, ds := read(pj.ID)
		if p.State != store.PostDraft || len(ds) != 0 || len(p.Targets) != 2 {
			t.Errorf("post %+v, deliveries %+v", p, ds)
		}
	})
	t.Run("into the queue's next free slots", func(t *testing.T) {
		pj := postJSONOf(t, f.crier(t, "", "post", "Croissant Sunday", "--queue", "--json"))
		p, ds := read(pj.ID)
		if p.State != store.PostQueued || len(ds) != 2 {
			t.Fatalf("post %+v, deliveries %+v", p, ds)
		}
		for _, d := range ds {
			if !d.DueAt.After(cliNow) {
				t.Errorf("a queue slot in the past: %+v", d)
			}
		}
	})
	// A paused queue holds what goes into it: crier post and crier queue
	// say so, rather than when its slot is.
	t.Run("into a paused queue", func(t *testing.T) {
		st, err := store.Open(ctx, f.db)
		if err != nil {
			t.Fatal(err)
		}
		accounts, err := st.Accounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var mastodon int64
		for _, a := range accounts {
			if a.Platform == store.PlatformMastodon {
				mastodon = a.ID
			}
		}
		_, err = st.PauseQueue(ctx, mastodon, cliNow)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		r := f.crier(t, "", "post", "Pretzel Monday", "--queue", "--to", "mastodon")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if strings.Contains(r.stdout, "goes out") || !strings.Contains(r.stdout, "held in a paused queue") {
			t.Errorf("crier post into a paused queue says:\n%s", r.stdout)
		}
		r = f.crier(t, "", "post", "Pretzel Tuesday", "--queue", "--json")
		pj := postJSONOf(t, r)
		held := map[string]bool{}
		for _, c := range pj.Copies {
			held[c.Platform] = c.Held
		}
		if !held["mastodon"] || held["bluesky"] {
			t.Errorf("held copies in JSON: %v\n%s", held, r.stdout)
		}
		q := f.crier(t, "", "queue")
		if !strings.Contains(q.stdout, "mastodon queued (held: its queue is paused)") {
			t.Errorf("crier queue does not say the copy is held:\n%s", q.stdout)
		}
	})
}

func fmtSscanID(out string, id *int64) (int, error) {
	return fmt.Sscanf(strings.TrimPrefix(out, "#"), "%d", id)
}

// A running sender (the scheduler of crier run or the app, here in this
// process on the same database) sends a post queued by crier post without
// being told: the store's change watcher wakes it.
func TestCLIPostRunningSenderSendsIt(t *testing.T) {
	t.Parallel()
	f := newCLIFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	accounts, err := st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nets := map[int64]platforms.Network{}
	for _, a := range accounts {
		nets[a.ID] = sandbox.New(a.Handle, st)
	}
	cfg := config.Defaults(os.Getenv, f.dir)
	// The demo's queue ended days ago on the real clock: those posts are
	// held back as missed (grace), the new one is on time.
	logs := &syncBuffer{}
	sched := newScheduler(cfg, st, accounts, nets, log.New(logs, "", 0), nil, true)
	done := make(chan struct{})
	go func() { defer close(done); sched.Run(ctx) }()
	defer func() { cancel(); <-done }()

	real := cliFixture{dir: f.dir, config: ""} // the real clock: the sender runs on it
	r := real.crier(t, "", "post", "Hot cross buns, now!", "--to", "bluesky", "--config", f.config, "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var pj postJSON
	if err := json.Unmarshal([]byte(r.stdout), &pj); err != nil {
		t.Fatal(err)
	}
	storetest.WaitCommitted(t, st, 20*time.Second, "the running sender sending the post", func() (bool, string) {
		ds, err := st.PostDeliveries(ctx, pj.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(ds) == 1 && ds[0].State == store.DeliverySent, fmt.Sprintf("%+v", ds)
	})
	// No copy can follow once the worker that sent it has logged, after
	// the send, that nothing more is due.
	h := "ryeandshine.bsky.social"
	if logs, ok := logs.Await(0, 20*time.Second, func(logs string) bool {
		i := strings.Index(logs, fmt.Sprintf("of post %d sent to %s:", pj.ID, h))
		return i >= 0 && strings.Contains(logs[i:], "scheduler: debug: "+h+": nothing more due")
	}); !ok {
		t.Fatalf("the sender did not log the send, then nothing more due:\n%s", logs)
	}
	sent, err := st.SandboxPosts(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range sent {
		if s.Body == "Hot cross buns, now!" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the sandbox got the post %d times, want once", n)
	}
}

// crier post waits out another crier holding the write lock past SQLite's
// own busy timeout (a sender's long transaction on a slow machine), says
// so, and saves the post once.
func TestCLIPostWaitsForABusyDatabase(t *testing.T) {
	t.Parallel()
	f := newCLIFixture(t)
	crierBinary(t) // built before the lock is taken: a build can outlast it
	st, err := store.Open(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tx, err := st.DB().Begin() // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	// The lock is held until crier says it waits: it says so once its
	// connection's own busy timeout (5 s) has run out.
	released := releaseOnceBusy(&f, func() { tx.Rollback() })
	r := f.crier(t, "", "post", "Fresh bagels, still warm", "--to", "bluesky", "--json")
	<-released
	if r.code != 0 || !strings.Contains(r.stderr, "busy") {
		t.Fatalf("exit %d, stderr %q; want 0 after saying it waits", r.code, r.stderr)
	}
	var n int
	if err := st.DB().QueryRow("SELECT count(*) FROM posts WHERE body = 'Fresh bagels, still warm'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d posts saved, want 1", n)
	}
}

// A post queued for an account whose credential this crier cannot read
// (a variable unset) is queued, since the sender may run with it set, but
// crier says so, naming the setting's place, rather than only "goes out".
func TestCLIPostWarnsOfAnUnreadableCredential(t *testing.T) {
	t.Parallel()
	f := newCLIFixture(t)
	withAccounts(t, f, `  - name: shop-unread
    platform: bluesky
    handle: unread.example.com
    credential: env:CRIER_TEST_SURELY_UNSET
`)
	r := f.crier(t, "", "post", "hi", "--to", "shop-unread", "--at", "+2h")
	if r.code != 0 || !strings.Contains(r.stdout, "queued") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"warning", "env:CRIER_TEST_SURELY_UNSET", "is unset", f.config + ", line", "cannot send it to Bluesky unread.example.com"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}
