package sandbox

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
)

// memRecorder is an in-memory Recorder with the store's semantics.
type memRecorder struct {
	mu    sync.Mutex
	posts []recorded
	fail  error
}

type recorded struct {
	account, key, body, replyTo string
	media                       int
	at                          time.Time
}

func (r *memRecorder) RecordSandboxPost(_ context.Context, account, key, body, replyTo string, media int, at time.Time) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return 0, r.fail
	}
	for i, p := range r.posts {
		if p.key == key {
			return int64(i + 1), nil
		}
	}
	r.posts = append(r.posts, recorded{account, key, body, replyTo, media, at})
	return int64(len(r.posts)), nil
}

func (r *memRecorder) SandboxPostByKey(_ context.Context, key string) (int64, time.Time, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return 0, time.Time{}, false, r.fail
	}
	for i, p := range r.posts {
		if p.key == key {
			return int64(i + 1), p.at, true, nil
		}
	}
	return 0, time.Time{}, false, nil
}

func (r *memRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.posts)
}

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func clock() time.Time { return t0 }

func TestPublishRecordsOncePerKey(t *testing.T) {
	ctx := context.Background()
	rec := &memRecorder{}
	n := New("bakery test", rec, WithClock(clock))
	if n.Platform() != "sandbox" {
		t.Fatalf("Platform = %q", n.Platform())
	}
	post := platforms.Post{Text: "rye is out 🍞", IdempotencyKey: "k1",
		Images: []platforms.Image{{Path: "/a.jpg", AltText: "a loaf"}}}
	pub, err := n.Publish(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Ref.ID != "sandbox:1" || pub.URL != "sandbox://bakery%20test/1" || !pub.At.Equal(t0) {
		t.Fatalf("published = %+v", pub)
	}
	again, err := n.Publish(ctx, post)
	if err != nil || again.Ref != pub.Ref || rec.count() != 1 {
		t.Fatalf("repeat = %+v, %v with %d records, want the same post and one record", again, err, rec.count())
	}
	reply, err := n.Publish(ctx, platforms.Post{Text: "and spelt", IdempotencyKey: "k2", ReplyTo: &pub.Ref, ThreadRoot: &pub.Ref})
	if err != nil || reply.Ref.ID != "sandbox:2" {
		t.Fatalf("reply = %+v, %v", reply, err)
	}
	if got := rec.posts[0]; got.account != "bakery test" || got.body != "rye is out 🍞" || got.media != 1 || got.replyTo != "" {
		t.Fatalf("record = %+v", got)
	}
	if got := rec.posts[1]; got.replyTo != "sandbox:1" {
		t.Fatalf("reply recorded as answering %q", got.replyTo)
	}
	if n.Publishes() != 3 {
		t.Fatalf("Publishes = %d", n.Publishes())
	}
}

func TestPublishChecksLimits(t *testing.T) {
	ctx := context.Background()
	rec := &memRecorder{}
	n := New("test", rec)
	family := "👨‍👩‍👧‍👦" // one grapheme of seven code points
	image := platforms.Image{Path: "/a.jpg"}
	for _, c := range []struct {
		name string
		post platforms.Post
		want string // "" for accepted
	}{
		{"500 graphemes of emoji", platforms.Post{Text: strings.Repeat(family, 500)}, ""},
		{"501 characters", platforms.Post{Text: strings.Repeat("a", 501)}, "501 characters, the limit is 500"},
		{"four images", platforms.Post{Text: "x", Images: []platforms.Image{image, image, image, image}}, ""},
		{"five images", platforms.Post{Text: "x", Images: []platforms.Image{image, image, image, image, image}}, "5 images, the limit is 4"},
		{"alt text of 1500", platforms.Post{Text: "x", Images: []platforms.Image{{AltText: strings.Repeat("é", 1500)}}}, ""},
		{"alt text of 1501", platforms.Post{Text: "x", Images: []platforms.Image{{AltText: strings.Repeat("é", 1501)}}}, "alt text is longer than 1500"},
		{"no idempotency key", platforms.Post{Text: "x"}, "no idempotency key"},
	} {
		before := rec.count()
		if c.name != "no idempotency key" {
			c.post.IdempotencyKey = c.name
		}
		_, err := n.Publish(ctx, c.post)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || platforms.ClassOf(err) != platforms.Permanent {
			t.Errorf("%s: error %v (class %v), want a permanent %q", c.name, err, platforms.ClassOf(err), c.want)
		}
		if rec.count() != before {
			t.Errorf("%s: a refused post was recorded", c.name)
		}
	}
	if got := n.Length(family + "ab"); got != 3 {
		t.Fatalf("Length = %d, want 3", got)
	}
	if l, err := n.Limits(ctx); err != nil || l.MaxChars != 500 || l.MaxImages != 4 || l.MaxAltText != 1500 {
		t.Fatalf("Limits = %+v, %v", l, err)
	}
}

func TestFaults(t *testing.T) {
	ctx := context.Background()
	rec := &memRecorder{}
	busy := &platforms.Error{Class: platforms.Transient, Status: 503, Reason: "busy"}
	lost := &platforms.Error{Class: platforms.UnknownOutcome, Reason: "connection reset"}
	n := New("test", rec, WithFaults(Fault{Err: busy}))
	n.Inject(Fault{Err: lost, Landed: true})
	post := platforms.Post{Text: "x", IdempotencyKey: "k"}

	if _, err := n.Publish(ctx, post); !errors.Is(err, busy) || rec.count() != 0 {
		t.Fatalf("first call = %v with %d records, want the transient fault and nothing recorded", err, rec.count())
	}
	if _, found, err := n.Reconcile(ctx, post); found || err != nil {
		t.Fatalf("reconcile after a fault that did not land = %v, %v", found, err)
	}
	if _, err := n.Publish(ctx, post); !errors.Is(err, lost) || rec.count() != 1 {
		t.Fatalf("second call = %v with %d records, want the unknown outcome and the post recorded", err, rec.count())
	}
	pub, found, err := n.Reconcile(ctx, post)
	if err != nil || !found || pub.Ref.ID != "sandbox:1" {
		t.Fatalf("reconcile after a lost answer = %+v, %v, %v", pub, found, err)
	}
	if pub, err := n.Publish(ctx, post); err != nil || pub.Ref.ID != "sandbox:1" || rec.count() != 1 {
		t.Fatalf("third call = %+v, %v with %d records", pub, err, rec.count())
	}
	if n.Reconciles() != 2 {
		t.Fatalf("Reconciles = %d", n.Reconciles())
	}
}

func TestRecorderFailures(t *testing.T) {
	ctx := context.Background()
	rec := &memRecorder{fail: errors.New("disk I/O error")}
	n := New("test", rec)
	post := platforms.Post{Text: "x", IdempotencyKey: "k"}
	if _, err := n.Publish(ctx, post); platforms.ClassOf(err) != platforms.UnknownOutcome {
		t.Fatalf("publish with a failing recorder = %v (%v), want an unknown outcome", err, platforms.ClassOf(err))
	}
	if _, _, err := n.Reconcile(ctx, post); platforms.ClassOf(err) != platforms.Transient {
		t.Fatalf("reconcile with a failing recorder = %v, want transient", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	rec.fail = nil
	if _, err := n.Publish(cancelled, post); platforms.ClassOf(err) != platforms.Transient || rec.count() != 0 {
		t.Fatalf("publish on a cancelled context = %v, %d records", err, rec.count())
	}
}
