package mastodon_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

// newPair starts a test server and a client signed in to it. Media is
// polled quickly so the tests do not wait.
func newPair(t *testing.T, cfg mastotest.Config, opts ...mastodon.Option) (*mastotest.Server, *mastodon.Client) {
	t.Helper()
	srv := mastotest.New(cfg)
	t.Cleanup(srv.Close)
	// No settle time: a test that wants Reconcile to wait asks for it.
	opts = append([]mastodon.Option{mastodon.WithMediaPolling(time.Millisecond, 5*time.Millisecond, 10*time.Second),
		mastodon.WithReconcileSettle(0)}, opts...)
	return srv, mastodon.New(srv.URL, srv.Token(), opts...)
}

func newPost(text, key string) platforms.Post {
	return platforms.Post{Text: text, IdempotencyKey: key, CreatedAt: time.Now()}
}

// wantClass fails the test unless err is a *platforms.Error of class.
func wantClass(t *testing.T, err error, class platforms.Class) *platforms.Error {
	t.Helper()
	var pe *platforms.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v (%T), want a *platforms.Error of class %v", err, err, class)
	}
	if pe.Class != class {
		t.Fatalf("class = %v (%v), want %v", pe.Class, err, class)
	}
	return pe
}

func TestLimitsComeFromTheServer(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{MaxChars: 1000, URLChars: 30, MaxMedia: 6, DescriptionLimit: 900, ImageSizeLimit: 1 << 20})
	ctx := context.Background()
	text := "see https://example.com/a/long/path/to/somewhere"

	if got := c.Length(text); got != 4+mastodon.DefaultURLChars {
		t.Errorf("Length before Limits = %d, want %d (default URL weight)", got, 4+mastodon.DefaultURLChars)
	}
	l, err := c.Limits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := platforms.Limits{MaxChars: 1000, CharsPerURL: 30, MaxImages: 6, MaxAltText: 900,
		MaxImageBytes: 1 << 20, MaxImagePixels: 33177600, ImageTypes: "image/jpeg,image/png,image/gif,image/webp",
		SupportsDMs: true, SupportsQuotes: true}
	if l.Length == nil || l.Length(text) != 4+30 || l.Approximate {
		t.Errorf("Limits count %q with %v (approximate %v), want 34, exactly", text, l.Length != nil, l.Approximate)
	}
	if l.AltTextLength == nil || l.AltTextLength("👩‍👩‍👧") != 5 {
		t.Errorf("Limits count alt text by %v, want code points", l.AltTextLength != nil)
	}
	if l.Length, l.AltTextLength = nil, nil; !reflect.DeepEqual(l, want) {
		t.Errorf("Limits = %+v, want %+v", l, want)
	}
	if got := c.Length(text); got != 4+30 {
		t.Errorf("Length after Limits = %d, want %d (the server's URL weight)", got, 34)
	}
	if _, err := c.Limits(ctx); err != nil {
		t.Fatal(err)
	}
	if n := srv.Count("GET", "/api/v2/instance"); n != 1 {
		t.Errorf("instance read %d times, want once (cached)", n)
	}
}

func TestLimitsFallBackToV1Instance(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{MaxChars: 800})
	srv.Inject("GET", "/api/v2/instance", mastotest.Fault{Status: http.StatusNotFound})
	l, err := c.Limits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if l.MaxChars != 800 || l.MaxAltText != 1500 || l.SupportsQuotes {
		t.Errorf("Limits = %+v, want 800 chars, the stock 1500 alt text, no quotes", l)
	}
}

func TestPublishText(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	text := strings.Repeat("Fresh bread today! ", 40) // 760: over the stock 500, under this server's 1000
	pub, err := c.Publish(ctx, newPost(text, "k1"))
	if err != nil {
		t.Fatal(err)
	}
	st, ok := srv.Status(pub.Ref.ID)
	if !ok {
		t.Fatalf("status %s not on the server", pub.Ref.ID)
	}
	if st.Text != text || st.Visibility != "public" || st.InReplyToID != "" {
		t.Errorf("server has %+v", st)
	}
	if !strings.Contains(pub.URL, pub.Ref.ID) || pub.At.IsZero() {
		t.Errorf("Published = %+v, want its URL and time", pub)
	}
}

func TestPublishTooLongIsRefusedBeforeSending(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	_, err := c.Publish(context.Background(), newPost(strings.Repeat("x", 1001), "k"))
	wantClass(t, err, platforms.Permanent)
	if n := srv.Count("POST", "/api/v1/statuses"); n != 0 {
		t.Errorf("%d statuses posted, want none", n)
	}
}

// pngFile writes a small file that sniffs as PNG.
func pngFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "loaf.png")
	data := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPublishImageWaitsForProcessing(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{MediaPolls: 1}) // 202, then 206, then 200
	p := newPost("Our sourdough", "img-1")
	p.Images = []platforms.Image{{Path: pngFile(t), AltText: "A round loaf on a board"}}
	pub, err := c.Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := srv.Status(pub.Ref.ID)
	if len(st.MediaIDs) != 1 {
		t.Fatalf("status has media %v, want one", st.MediaIDs)
	}
	m, _ := srv.Media(st.MediaIDs[0])
	if m.Description != "A round loaf on a board" || m.ContentType != "image/png" {
		t.Errorf("media = %+v", m)
	}
	if n := srv.Count("GET", "/api/v1/media/"+m.ID); n != 2 {
		t.Errorf("media polled %d times, want 2 (206 then 200)", n)
	}
}

func TestPublishImageProcessingFailure(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	srv.FailMediaProcessing(true)
	p := newPost("Our sourdough", "img-2")
	p.Images = []platforms.Image{{Path: pngFile(t), AltText: "loaf"}}
	_, err := c.Publish(context.Background(), p)
	pe := wantClass(t, err, platforms.Permanent)
	if pe.Status != 422 || !strings.Contains(pe.Reason, "could not be processed") {
		t.Errorf("error = %+v, want the server's 422", pe)
	}
	if n := srv.Count("POST", "/api/v1/statuses"); n != 0 {
		t.Errorf("%d statuses posted, want none", n)
	}
}

func TestPublishAltTextCountedInCodePoints(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{DescriptionLimit: 10})
	p := newPost("hi", "alt")
	// Five graphemes, but 5×7 code points: the server counts code points.
	p.Images = []platforms.Image{{Path: pngFile(t), AltText: strings.Repeat("👨‍👩‍👧‍👦", 5)}}
	_, err := c.Publish(context.Background(), p)
	wantClass(t, err, platforms.Permanent)
	if n := srv.Count("POST", "/api/v2/media"); n != 0 {
		t.Errorf("%d uploads, want none", n)
	}
}

func TestPublishReplyAndThread(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	root, err := c.Publish(ctx, newPost("1/3 Opening hours are changing", "t1"))
	if err != nil {
		t.Fatal(err)
	}
	prev := root
	for i, text := range []string{"2/3 From Monday we open at 7", "3/3 See you then!"} {
		p := newPost(text, "t"+string(rune('2'+i)))
		p.ReplyTo, p.ThreadRoot = &prev.Ref, &root.Ref
		pub, err := c.Publish(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := srv.Status(pub.Ref.ID)
		if st.InReplyToID != prev.Ref.ID {
			t.Errorf("post %d answers %q, want %q", i+2, st.InReplyToID, prev.Ref.ID)
		}
		prev = pub
	}
	if n := len(srv.Statuses(srv.Me().ID)); n != 3 {
		t.Errorf("%d statuses, want 3", n)
	}
}

func TestPublishTwiceWithTheSameKeyPostsOnce(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	p := newPost("Only once, please", "same-key")
	a, err := c.Publish(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Publish(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if a.Ref != b.Ref {
		t.Errorf("second publish made %v, want the first %v", b.Ref, a.Ref)
	}
	if n := len(srv.Statuses(srv.Me().ID)); n != 1 {
		t.Errorf("%d statuses, want 1", n)
	}
	if _, err := c.Publish(ctx, newPost("Only once, please", "other-key")); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Statuses(srv.Me().ID)); n != 2 {
		t.Errorf("%d statuses after a new key, want 2", n)
	}
}

func TestPublishNeedsAKey(t *testing.T) {
	_, c := newPair(t, mastotest.Config{})
	_, err := c.Publish(context.Background(), newPost("hi", ""))
	wantClass(t, err, platforms.Permanent)
}

func TestServerValidationIsPermanentWithItsReason(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	if _, err := c.Limits(ctx); err != nil { // 1000, cached
		t.Fatal(err)
	}
	srv.SetMaxChars(50) // the admin lowers it afterwards
	_, err := c.Publish(ctx, newPost(strings.Repeat("y", 100), "k"))
	pe := wantClass(t, err, platforms.Permanent)
	if pe.Status != 422 || pe.Reason != "Validation failed: Text character limit of 50 exceeded" {
		t.Errorf("error = %+v, want the server's own text", pe)
	}
}

func TestRateLimited(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 1, 30, 0, time.UTC)
	srv, c := newPair(t, mastotest.Config{RateLimit: 2, Now: func() time.Time { return now }})
	ctx := context.Background()
	reset := time.Date(2026, 3, 1, 12, 5, 0, 0, time.UTC)

	if rem, _ := c.RateLimit(); rem != -1 {
		t.Errorf("RateLimit before any call = %d, want -1", rem)
	}
	if _, err := c.Followers(ctx); err != nil {
		t.Fatal(err)
	}
	if rem, at := c.RateLimit(); rem != 1 || !at.Equal(reset) {
		t.Errorf("RateLimit = %d, %v; want 1, %v", rem, at, reset)
	}
	if _, err := c.Followers(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := c.Followers(ctx)
	pe := wantClass(t, err, platforms.RateLimited)
	if !pe.RetryAt.Equal(reset) || pe.Status != 429 {
		t.Errorf("error = %+v, want RetryAt %v from X-RateLimit-Reset", pe, reset)
	}
	if rem, _ := c.RateLimit(); rem != 0 {
		t.Errorf("RateLimit remaining = %d, want 0", rem)
	}
	_ = srv
}

func TestInvalidTokenNeedsReauth(t *testing.T) {
	srv, _ := newPair(t, mastotest.Config{})
	c := mastodon.New(srv.URL, "not-a-token")
	_, err := c.Publish(context.Background(), newPost("hi", "k"))
	// Limits is public; the status POST is what the token is refused for.
	pe := wantClass(t, err, platforms.Permanent)
	if !pe.Reauth || pe.Status != 401 || pe.Reason != "The access token is invalid" {
		t.Errorf("error = %+v, want Reauth with the server's reason", pe)
	}
}

// TestForbiddenNeedsReauth: a 403 about the token or the login asks the
// user to sign in again; one about the action does not.
func TestForbiddenNeedsReauth(t *testing.T) {
	for _, tc := range []struct {
		body   string
		reauth bool
	}{
		{`{"error":"This action is outside the authorized scopes"}`, true},
		{`{"error":"Your login is currently disabled"}`, true},
		{`{"error":"Your login is missing a confirmed e-mail address"}`, true},
		{`{"error":"This action is not allowed"}`, false},
	} {
		srv, c := newPair(t, mastotest.Config{})
		srv.Inject("GET", "/api/v1/accounts/verify_credentials", mastotest.Fault{Status: 403, Body: tc.body})
		_, err := c.Followers(context.Background())
		if pe := wantClass(t, err, platforms.Permanent); pe.Reauth != tc.reauth {
			t.Errorf("403 %s: Reauth %v, want %v", tc.body, pe.Reauth, tc.reauth)
		}
	}
}

// TestRequestTimeoutIsRetried: a 408 is the server giving up on the
// request: a read is transient, a status POST an unknown outcome.
func TestRequestTimeoutIsRetried(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	srv.Inject("GET", "/api/v1/accounts/verify_credentials", mastotest.Fault{Status: 408})
	_, err := c.Followers(context.Background())
	wantClass(t, err, platforms.Transient)
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Status: 408})
	_, err = c.Publish(context.Background(), newPost("hi", "k408"))
	wantClass(t, err, platforms.UnknownOutcome)
}

func TestServerErrorOnGetIsTransient(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	srv.Inject("GET", "/api/v1/accounts/verify_credentials", mastotest.Fault{Status: 502})
	_, err := c.Followers(context.Background())
	wantClass(t, err, platforms.Transient)
}

func TestServerErrorAfterPostLandedThenReconcile(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Status: 500, Land: true})
	p := newPost("Landed despite the 500", "k500")
	_, err := c.Publish(ctx, p)
	wantClass(t, err, platforms.UnknownOutcome)

	landed := srv.Statuses(srv.Me().ID)
	if len(landed) != 1 {
		t.Fatalf("%d statuses on the server, want the one that landed", len(landed))
	}
	pub, ok, err := c.Reconcile(ctx, p)
	if err != nil || !ok {
		t.Fatalf("Reconcile = %v, %v", ok, err)
	}
	if pub.Ref.ID != landed[0].ID {
		t.Errorf("Reconcile found %s, want %s", pub.Ref.ID, landed[0].ID)
	}
	if n := len(srv.Statuses(srv.Me().ID)); n != 1 {
		t.Errorf("%d statuses after Reconcile, want still 1", n)
	}
}

func TestReconcileAfterTheKeyExpiredSearchesWithoutPosting(t *testing.T) {
	srv, c0 := newPair(t, mastotest.Config{})
	ctx := context.Background()
	alice := srv.AddAccount("alice@other.example")
	_ = alice
	root, err := c0.Publish(ctx, newPost("thread root", "r"))
	if err != nil {
		t.Fatal(err)
	}
	p := newPost("Thanks @alice@other.example!\n\nDetails: https://shop.example/a/very/long/path/for/the/details?x=1 & more", "old")
	p.ReplyTo = &root.Ref
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Status: 503, Land: true})
	_, err = c0.Publish(ctx, p)
	wantClass(t, err, platforms.UnknownOutcome)
	// Another status with the same text but no reply target must not match.
	if _, err := c0.Publish(ctx, platforms.Post{Text: p.Text, IdempotencyKey: "decoy", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	before := srv.Count("POST", "/api/v1/statuses")

	later := mastodon.New(srv.URL, srv.Token(), mastodon.WithReconcileSettle(0),
		mastodon.WithClock(func() time.Time { return time.Now().Add(2 * time.Hour) }))
	pub, ok, err := later.Reconcile(ctx, p)
	if err != nil || !ok {
		t.Fatalf("Reconcile = %v, %v; want found", ok, err)
	}
	st, _ := srv.Status(pub.Ref.ID)
	if st.Text != p.Text || st.InReplyToID != root.Ref.ID {
		t.Errorf("Reconcile found %+v", st)
	}
	if after := srv.Count("POST", "/api/v1/statuses"); after != before {
		t.Errorf("Reconcile posted (%d -> %d POSTs); an old key must not be re-sent", before, after)
	}

	never := newPost("This one never landed", "never")
	never.CreatedAt = time.Now()
	if _, ok, err := later.Reconcile(ctx, never); err != nil || ok {
		t.Errorf("Reconcile of a post that never landed = %v, %v; want not found", ok, err)
	}
}

func TestDroppedConnectionAfterSendIsUnknown(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	// Enough drops to cover the transport's own retry on a reused connection.
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Drop: true, Land: true, Times: 3})
	p := newPost("dropped", "kd")
	_, err := c.Publish(context.Background(), p)
	wantClass(t, err, platforms.UnknownOutcome)
	srv.ClearFaults()
	if _, ok, err := c.Reconcile(context.Background(), p); err != nil || !ok {
		t.Fatalf("Reconcile = %v, %v", ok, err)
	}
	if n := len(srv.Statuses(srv.Me().ID)); n != 1 {
		t.Errorf("%d statuses, want 1", n)
	}
}

func TestTimeoutAfterSendIsUnknown(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	defer srv.Close()
	hc := &http.Client{Timeout: 300 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	c := mastodon.New(srv.URL, srv.Token(), mastodon.WithHTTPClient(hc))
	ctx := context.Background()
	if _, err := c.Limits(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Hang: true})
	_, err := c.Publish(ctx, newPost("slow", "kt"))
	wantClass(t, err, platforms.UnknownOutcome)

	srv.Inject("GET", "/api/v1/accounts/verify_credentials", mastotest.Fault{Hang: true})
	_, err = c.Followers(ctx)
	wantClass(t, err, platforms.Transient)
}

func TestRefusedConnectionIsTransient(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	c := mastodon.New(srv.URL, srv.Token(), mastodon.WithHTTPClient(hc))
	ctx := context.Background()
	if _, err := c.Limits(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	// Make sure the port now refuses.
	if conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://")); err == nil {
		conn.Close()
		t.Skip("the closed server's port still accepts connections")
	}
	_, err := c.Publish(ctx, newPost("nobody home", "kr"))
	pe := wantClass(t, err, platforms.Transient)
	// In a person's words; Go's error is kept for the log.
	if !strings.Contains(pe.Reason, "nothing answers at "+strings.TrimPrefix(srv.URL, "http://")) || strings.Contains(pe.Reason, "dial tcp") {
		t.Errorf("reason %q, want it to say nothing answers there, without Go's words", pe.Reason)
	}
	if !strings.Contains(platforms.Detail(err), "connection refused") {
		t.Errorf("detail %q, want Go's error", platforms.Detail(err))
	}
}

func TestReconcileLooksAndNeverSends(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	// The first attempt never reached the server.
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Status: 502})
	p := newPost("Lost on the way", "lost")
	_, err := c.Publish(ctx, p)
	wantClass(t, err, platforms.UnknownOutcome)
	before := srv.Count("POST", "/api/v1/statuses")
	if _, ok, err := c.Reconcile(ctx, p); err != nil || ok {
		t.Fatalf("Reconcile = %v, %v; want not found", ok, err)
	}
	if after := srv.Count("POST", "/api/v1/statuses"); after != before {
		t.Errorf("Reconcile sent the post (%d -> %d POSTs); it must only look", before, after)
	}
	// The scheduler then sends it again with the same key.
	pub, err := c.Publish(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.Reconcile(ctx, p); !ok {
		t.Errorf("Reconcile does not find the post sent again")
	}
	sts := srv.Statuses(srv.Me().ID)
	if len(sts) != 1 || sts[0].ID != pub.Ref.ID {
		t.Errorf("statuses %+v, want exactly %s", sts, pub.Ref.ID)
	}
}
