package mastodon_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon"
)

// requests counts a client's requests, by method and path.
type requests struct {
	mu sync.Mutex
	n  map[string]int
}

func (r *requests) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.n[req.Method+" "+req.URL.Path]++
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// take returns the counts so far of the requests whose path has prefix,
// and starts them again.
func (r *requests) take(prefix string) map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.n {
		if strings.Contains(k, prefix) {
			out[k] = v
		}
	}
	r.n = map[string]int{}
	return out
}

// A post with photos prepared ahead (Prepare) is published at its time
// with the status alone: its media was uploaded and processed before, and
// the status on the server carries it with its descriptions. A
// preparation for other images is not used.
func TestLivePrepareLeavesOnlyTheStatus(t *testing.T) {
	gts, us := liveUsers(t, "prepare")
	u := us[0]
	ctx := context.Background()
	counted := &requests{n: map[string]int{}}
	c := mastodon.New(gts.URL, u.token, mastodon.WithHTTPClient(&http.Client{Transport: counted}),
		mastodon.WithMediaPolling(50*time.Millisecond, 500*time.Millisecond, time.Minute))

	text := "Fresh from the oven: rye, spelt and seeded"
	p := platforms.Post{Text: text, IdempotencyKey: liveKey(t, "k"), CreatedAt: time.Now(), Images: []platforms.Image{
		{Path: realPNG(t, "rye.png"), AltText: "a rye loaf"},
		{Path: realPNG(t, "spelt.png"), AltText: "a spelt loaf"},
	}}
	prepared, err := c.Prepare(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if got := counted.take("/media"); got["POST /api/v2/media"] != 2 {
		t.Fatalf("Prepare made %v; want two uploads", got)
	}
	pub, err := c.Publish(ctx, prepared)
	if err != nil {
		t.Fatal(err)
	}
	if got := counted.take("/api/v"); len(got) != 1 || got["POST /api/v1/statuses"] != 1 {
		t.Fatalf("Publish of the prepared post made %v; want the status alone", got)
	}
	on := onServer(t, gts, u, text)
	if len(on) != 1 || on[0].ID != pub.Ref.ID || len(on[0].Media) != 2 ||
		on[0].Media[0].Description == nil || *on[0].Media[0].Description != "a rye loaf" {
		t.Fatalf("the server holds %+v", on)
	}

	// Prepared for other images: not used, its own are uploaded.
	other := platforms.Post{Text: "just the rye", IdempotencyKey: liveKey(t, "other"), CreatedAt: time.Now(),
		Images: p.Images[:1], Prepared: prepared.Prepared}
	if _, err := c.Publish(ctx, other); err != nil {
		t.Fatal(err)
	}
	if got := counted.take("/media"); got["POST /api/v2/media"] != 1 {
		t.Fatalf("Publish with another post's preparation made %v; want its own upload", got)
	}
}
