package mastodon_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

// breakingServer answers GET /api/v2/instance normally (so the client keeps
// the connection alive) and takes every status POST whole, counts it, and
// then closes the connection without a byte of answer: the server has the
// status, the client cannot know.
func breakingServer(t *testing.T) (*httptest.Server, func() int) {
	var mu sync.Mutex
	posts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v2/instance":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"configuration":{"statuses":{"max_characters":500}}}`)
		case "/api/v1/statuses":
			io.Copy(io.Discard, r.Body)
			mu.Lock()
			posts++
			mu.Unlock()
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			conn.Close()
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() int {
		mu.Lock()
		defer mu.Unlock()
		return posts
	}
}

// TestTransportNeverReplaysAStatusPost breaks the connection after the
// server has taken a status POST that went out on a kept-alive connection.
// Go's transport would send such a request again by itself (it carries an
// Idempotency-Key and a rewindable body); the server must see it once, and
// crier must learn that the outcome is unknown.
func TestTransportNeverReplaysAStatusPost(t *testing.T) {
	srv, posts := breakingServer(t)
	c := mastodon.New(srv.URL, "token")
	_, err := c.Publish(context.Background(), newPost("hello", "key-1"))
	wantClass(t, err, platforms.UnknownOutcome)
	if n := posts(); n != 1 {
		t.Fatalf("the server received the status POST %d times, want once: the transport replayed it", n)
	}

}

// failFirstPost fails the first status POST before a byte of it is written,
// as a kept-alive connection the server had already closed does.
type failFirstPost struct {
	mu     sync.Mutex
	failed bool
}

func (f *failFirstPost) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	fail := !f.failed && r.Method == http.MethodPost && r.URL.Path == "/api/v1/statuses"
	f.failed = f.failed || fail
	f.mu.Unlock()
	if fail {
		return nil, io.ErrUnexpectedEOF
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestUnsentStatusPostIsSentAgainAtOnce: a status POST that provably never
// went out is crier's to send again, at once, rather than a retry minutes
// later.
func TestUnsentStatusPostIsSentAgainAtOnce(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{}, mastodon.WithHTTPClient(&http.Client{Transport: &failFirstPost{}}))
	if _, err := c.Publish(context.Background(), newPost("hello", "key-1")); err != nil {
		t.Fatal(err)
	}
	if n := srv.Count(http.MethodPost, "/api/v1/statuses"); n != 1 {
		t.Errorf("the server received %d status POSTs, want 1", n)
	}
	if n := len(srv.Statuses(srv.Me().ID)); n != 1 {
		t.Errorf("the account holds %d statuses, want 1", n)
	}
}
