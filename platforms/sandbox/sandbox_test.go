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
		{"alt text of 1501", platforms.Post{Text: "x", Images: []platforms.Image{{AltText: strings.Repeat("é", 1501)}}}, "alt text is 1501 characters, the limit is 1500"},
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

func TestPublishDirectMessage(t *testing.T) {
	ctx := context.Background()
	rec := &memRecorder{}
	n := New("test", rec, WithClock(clock))
	dm := platforms.Post{Text: "Yes, it is vegan.", IdempotencyKey: "dm", Conversation: "conv-5",
		ReplyTo: &platforms.Ref{ID: "msg-9"}, ThreadRoot: &platforms.Ref{ID: "conv-5"}}
	pub, err := n.Publish(ctx, dm)
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.posts[0].replyTo; got != "dm:conv-5/msg-9" || got != DirectTarget("conv-5", "msg-9") {
		t.Errorf("recorded as answering %q, want dm:conv-5/msg-9", got)
	}
	if again, err := n.Publish(ctx, dm); err != nil || again.Ref != pub.Ref || rec.count() != 1 {
		t.Errorf("repeat = %+v, %v with %d records", again, err, rec.count())
	}
	if _, err := n.Publish(ctx, platforms.Post{Text: "hello", IdempotencyKey: "dm2", Conversation: "conv-6"}); err != nil {
		t.Fatal(err)
	}
	if got := rec.posts[1].replyTo; got != "dm:conv-6" {
		t.Errorf("a message answering no one recorded as %q, want dm:conv-6", got)
	}
}

func TestReactionsAreIdempotent(t *testing.T) {
	ctx := context.Background()
	n := New("test", &memRecorder{})
	a, b := platforms.Ref{ID: "post-a"}, platforms.Ref{ID: "post-b"}
	for i := 0; i < 2; i++ {
		if err := n.Like(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.Repost(ctx, b); err != nil {
		t.Fatal(err)
	}
	if !n.Liked("post-a") || n.Liked("post-b") || n.Likes() != 1 || !n.Reposted("post-b") || n.Reposts() != 1 {
		t.Fatalf("after liking a twice and reposting b: likes %d, reposts %d", n.Likes(), n.Reposts())
	}
	for i := 0; i < 2; i++ {
		if err := n.Unlike(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := n.Unrepost(ctx, a); err != nil { // never reposted: still fine
			t.Fatal(err)
		}
	}
	if n.Liked("post-a") || n.Likes() != 0 || n.Reposts() != 1 {
		t.Errorf("after unliking: likes %d, reposts %d", n.Likes(), n.Reposts())
	}
	if err := n.Like(ctx, platforms.Ref{}); platforms.ClassOf(err) != platforms.Permanent {
		t.Errorf("like of nothing = %v, want permanent", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := n.Like(cancelled, b); platforms.ClassOf(err) != platforms.Transient || n.Liked("post-b") {
		t.Errorf("like on a cancelled context = %v", err)
	}
}

func TestReactionFaults(t *testing.T) {
	ctx := context.Background()
	busy := &platforms.Error{Class: platforms.Transient, Status: 503, Reason: "busy"}
	lost := &platforms.Error{Class: platforms.Transient, Reason: "connection reset"}
	n := New("test", &memRecorder{}, WithReactionFaults(Fault{Err: busy}))
	n.InjectReactions(Fault{Err: lost, Landed: true})
	ref := platforms.Ref{ID: "post"}
	if err := n.Like(ctx, ref); !errors.Is(err, busy) || n.Liked("post") {
		t.Fatalf("first like = %v, liked %v; want the fault and no like", err, n.Liked("post"))
	}
	if err := n.Like(ctx, ref); !errors.Is(err, lost) || !n.Liked("post") {
		t.Fatalf("second like = %v, liked %v; want the fault and the like made", err, n.Liked("post"))
	}
	if err := n.Like(ctx, ref); err != nil || n.Likes() != 1 {
		t.Fatalf("retry = %v with %d likes, want one", err, n.Likes())
	}
	// Reaction faults leave Publish alone.
	if _, err := n.Publish(ctx, platforms.Post{Text: "x", IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
}
