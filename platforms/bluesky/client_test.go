package bluesky

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
)

func asError(t *testing.T, err error) *platforms.Error {
	t.Helper()
	var pe *platforms.Error
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v (%T), want *platforms.Error", err, err)
	}
	return pe
}

func testPost(text string) platforms.Post {
	return platforms.Post{
		Text:           text,
		IdempotencyKey: "delivery-1",
		CreatedAt:      time.Date(2025, 3, 14, 15, 9, 26, 535_897_000, time.UTC),
	}
}

func TestErrorClasses(t *testing.T) {
	reset := time.Now().Add(90 * time.Second).Truncate(time.Second)
	cases := []struct {
		name    string
		handler http.HandlerFunc
		write   bool // through Publish (putRecord) rather than a read
		class   platforms.Class
		reauth  bool
		reason  string
	}{
		{
			name: "429 with RateLimit-Reset",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("RateLimit-Limit", "5000")
				w.Header().Set("RateLimit-Remaining", "0")
				w.Header().Set("RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
				writeXRPCError(w, 429, "RateLimitExceeded", "Rate Limit Exceeded")
			},
			write: true, class: platforms.RateLimited,
		},
		{
			name: "400 InvalidRequest carries the server's words",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeXRPCError(w, 400, "InvalidRequest", "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes")
			},
			write: true, class: platforms.Permanent, reason: "must not be longer than 300 graphemes",
		},
		{
			name: "500 on a write is an unknown outcome",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeXRPCError(w, 500, "InternalServerError", "Internal Server Error")
			},
			write: true, class: platforms.UnknownOutcome,
		},
		{
			name: "502 on a read is transient",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeXRPCError(w, 502, "UpstreamFailure", "Upstream Failure")
			},
			class: platforms.Transient,
		},
		{
			name: "401 that a refresh does not cure",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeXRPCError(w, 401, "AuthenticationRequired", "Authentication Required")
			},
			write: true, class: platforms.Permanent, reauth: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakePDS(t)
			f.handle("com.atproto.repo.putRecord", tc.handler)
			f.handle("app.bsky.actor.getProfile", tc.handler)
			c := f.client()
			var err error
			if tc.write {
				_, err = c.Publish(context.Background(), testPost("hello"))
			} else {
				_, err = c.Followers(context.Background())
			}
			pe := asError(t, err)
			if pe.Class != tc.class || pe.Reauth != tc.reauth {
				t.Fatalf("class %v reauth %v (%v), want %v reauth %v", pe.Class, pe.Reauth, err, tc.class, tc.reauth)
			}
			if tc.class == platforms.RateLimited && !pe.RetryAt.Equal(reset) {
				t.Errorf("RetryAt %v, want %v", pe.RetryAt, reset)
			}
			if tc.reason != "" && !strings.Contains(pe.Reason, tc.reason) {
				t.Errorf("reason %q lacks %q", pe.Reason, tc.reason)
			}
		})
	}
}

// TestRetryAfterReadsTheClientsClock: a rate limit that says "in 30
// seconds" is 30 seconds on the client's clock, not the wall clock's.
func TestRetryAfterReadsTheClientsClock(t *testing.T) {
	clock := time.Date(2031, 5, 1, 12, 0, 0, 0, time.UTC)
	f := newFakePDS(t)
	f.handle("app.bsky.actor.getProfile", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		writeXRPCError(w, 429, "RateLimitExceeded", "Rate Limit Exceeded")
	})
	c := f.client(WithClock(func() time.Time { return clock }))
	_, err := c.Followers(context.Background())
	if pe := asError(t, err); pe.Class != platforms.RateLimited || !pe.RetryAt.Equal(clock.Add(30*time.Second)) {
		t.Fatalf("%v: class %v, RetryAt %v; want rate-limited until %v", err, pe.Class, pe.RetryAt, clock.Add(30*time.Second))
	}
}

// TestTimeoutAnswersAreRetried: a 408 is the server giving up on the
// request, never a refusal of the post: a read is retried, a write is
// reconciled first (it was permanent here before the one classifier).
func TestTimeoutAnswersAreRetried(t *testing.T) {
	f := newFakePDS(t)
	timeout := func(w http.ResponseWriter, r *http.Request) { writeXRPCError(w, 408, "", "Request Timeout") }
	f.handle("app.bsky.actor.getProfile", timeout)
	f.handle("com.atproto.repo.putRecord", timeout)
	c := f.client()
	if _, err := c.Followers(context.Background()); asError(t, err).Class != platforms.Transient {
		t.Errorf("read: %v, want transient", err)
	}
	if _, err := c.Publish(context.Background(), testPost("hello")); asError(t, err).Class != platforms.UnknownOutcome {
		t.Errorf("write: %v, want unknown outcome", err)
	}
}

func TestConnectionRefusedIsTransient(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := New("http://"+addr, "me.test")
	c.sess = &Session{AccessJwt: "a", RefreshJwt: "r", DID: fakeDID, Handle: "me.test"}
	_, err = c.Publish(context.Background(), testPost("hello"))
	if pe := asError(t, err); pe.Class != platforms.Transient {
		t.Fatalf("class %v (%v), want transient", pe.Class, err)
	}
}

// hangUp is a server that reads the request and then drops the connection
// without answering, as when a proxy or the network fails after sending.
func hangUp(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "resolveHandle") {
			writeXRPCError(w, 400, "InvalidRequest", "Unable to resolve handle")
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestResetAfterWriteIsUnknownOutcome(t *testing.T) {
	srv := hangUp(t)
	c := New(srv.URL, "me.test")
	c.sess = &Session{AccessJwt: "a", RefreshJwt: "r", DID: fakeDID, Handle: "me.test"}
	_, err := c.Publish(context.Background(), testPost("hello"))
	if pe := asError(t, err); pe.Class != platforms.UnknownOutcome {
		t.Fatalf("publish: class %v (%v), want unknown outcome", pe.Class, err)
	}
	// A read that fails the same way is simply retried.
	_, err = c.Followers(context.Background())
	if pe := asError(t, err); pe.Class != platforms.Transient {
		t.Fatalf("read: class %v (%v), want transient", pe.Class, err)
	}
}

func TestTimeoutAfterWriteIsUnknownOutcome(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-block
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(block) })
	c := New(srv.URL, "me.test", WithHTTPClient(&http.Client{Timeout: 200 * time.Millisecond}))
	c.sess = &Session{AccessJwt: "a", RefreshJwt: "r", DID: fakeDID, Handle: "me.test"}
	_, err := c.putRecord(context.Background(), fakeDID, "3lbbbbbbbbbbb", map[string]string{"text": "x"})
	if pe := asError(t, err); pe.Class != platforms.UnknownOutcome {
		t.Fatalf("class %v (%v), want unknown outcome", pe.Class, err)
	}
}
