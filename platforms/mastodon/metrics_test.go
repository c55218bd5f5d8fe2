package mastodon_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

// countsFixture publishes n posts and gives post i i likes, i%3 reposts
// and a reply when i is even.
func countsFixture(t *testing.T, srv *mastotest.Server, c interface {
	Publish(context.Context, platforms.Post) (platforms.Published, error)
}, n int) ([]platforms.Ref, map[string]platforms.Counts) {
	t.Helper()
	fan := srv.AddAccount("fan")
	var refs []platforms.Ref
	want := map[string]platforms.Counts{}
	for i := 0; i < n; i++ {
		pub, err := c.Publish(context.Background(), newPost(fmt.Sprintf("post %d", i), fmt.Sprint("c", i)))
		if err != nil {
			t.Fatal(err)
		}
		id := pub.Ref.ID
		for j := 0; j < i; j++ {
			srv.Favourite(fan.ID, id)
		}
		for j := 0; j < i%3; j++ {
			srv.Reblog(fan.ID, id)
		}
		w := platforms.Counts{Likes: i, Reposts: i % 3}
		if i%2 == 0 {
			srv.Post(fan.ID, "@crier nice", "public", id)
			w.Replies = 1
		}
		if i == 1 {
			srv.Quote(fan.ID, id, "look")
			w.Quotes = 1
		}
		refs = append(refs, pub.Ref)
		want[id] = w
	}
	return refs, want
}

func TestPostCountsBatches(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	refs, want := countsFixture(t, srv, c, 45)
	refs = append(refs, platforms.Ref{ID: "1"}) // gone from the server

	got, err := c.PostCounts(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("%d counts, want %d (the missing post left out)", len(got), len(want))
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("counts of %s = %+v, want %+v", id, got[id], w)
		}
	}
	if n := srv.Count("GET", "/api/v1/statuses"); n != 3 {
		t.Errorf("%d batch requests for 46 ids, want 3", n)
	}
}

func TestPostCountsOnAnOlderServer(t *testing.T) {
	for name, cfg := range map[string]mastotest.Config{
		"mastodon before 4.3 (404)": {NoStatusesIndex: true},
		"gotosocial (405)":          mastotest.GoToSocial,
		"501":                       {StatusesIndexStatus: http.StatusNotImplemented},
	} {
		t.Run(name, func(t *testing.T) { testPostCountsOneByOne(t, cfg) })
	}
}

// TestPostCountsNotAvailable: a server that will not read a status at all
// says so for good, in words.
func TestPostCountsNotAvailable(t *testing.T) {
	srv, c := newPair(t, mastotest.GoToSocial)
	refs, _ := countsFixture(t, srv, c, 2)
	srv.Inject("GET", "/api/v1/statuses/"+refs[0].ID, mastotest.Fault{Status: http.StatusMethodNotAllowed})
	_, err := c.PostCounts(context.Background(), refs)
	pe := wantClass(t, err, platforms.Permanent)
	if !strings.Contains(pe.Reason, "does not give post counters") {
		t.Errorf("reason %q", pe.Reason)
	}
}

func testPostCountsOneByOne(t *testing.T, cfg mastotest.Config) {
	srv, c := newPair(t, cfg)
	refs, want := countsFixture(t, srv, c, 5)
	refs = append(refs, platforms.Ref{ID: "1"})
	got, err := c.PostCounts(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("%d counts, want %d", len(got), len(want))
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("counts of %s = %+v, want %+v", id, got[id], w)
		}
	}
	if _, err := c.PostCounts(context.Background(), refs); err != nil {
		t.Fatal(err)
	}
	if n := srv.Count("GET", "/api/v1/statuses"); n != 1 {
		t.Errorf("batch endpoint tried %d times, want once (then remembered)", n)
	}
}

func TestFollowers(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	srv.SetFollowers(1234)
	n, err := c.Followers(context.Background())
	if err != nil || n != 1234 {
		t.Errorf("Followers = %d, %v; want 1234", n, err)
	}
	srv.Follow(srv.AddAccount("new").ID)
	if n, _ := c.Followers(context.Background()); n != 1235 {
		t.Errorf("Followers after a follow = %d, want 1235", n)
	}
}
