package mastodon_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

func TestLikeAndRepostAreIdempotent(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	alice := srv.AddAccount("alice@other.example")
	ref := platforms.Ref{ID: srv.Post(alice.ID, "fresh bread at 7", "public", "")}
	me := srv.Me().ID

	for i := 0; i < 2; i++ {
		if err := c.Like(ctx, ref); err != nil {
			t.Fatal(err)
		}
		if err := c.Repost(ctx, ref); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := srv.Status(ref.ID)
	if st.Favourites != 1 || st.Reblogs != 1 || !srv.Favourited(me, ref.ID) || !srv.Reblogged(me, ref.ID) {
		t.Fatalf("after liking and boosting twice: %+v", st)
	}
	for i := 0; i < 2; i++ {
		if err := c.Unlike(ctx, ref); err != nil {
			t.Fatal(err)
		}
		if err := c.Unrepost(ctx, ref); err != nil {
			t.Fatal(err)
		}
	}
	st, _ = srv.Status(ref.ID)
	if st.Favourites != 0 || st.Reblogs != 0 || srv.Favourited(me, ref.ID) || srv.Reblogged(me, ref.ID) {
		t.Fatalf("after undoing twice: %+v", st)
	}
	if n := srv.Count("POST", "/api/v1/statuses/"+ref.ID+"/favourite"); n != 2 {
		t.Errorf("%d favourite requests, want 2", n)
	}

	err := c.Like(ctx, platforms.Ref{ID: "404"})
	wantClass(t, err, platforms.Permanent)
}

func TestRepostRefusedIsNotReauth(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	alice := srv.AddAccount("alice")
	private := platforms.Ref{ID: srv.Post(alice.ID, "followers only", "private", "")}
	pe := wantClass(t, c.Repost(context.Background(), private), platforms.Permanent)
	if pe.Reauth || pe.Status != 403 {
		t.Errorf("boosting a private status: %+v", pe)
	}
	srv.Inject("POST", "/api/v1/statuses/"+private.ID+"/favourite", mastotest.Fault{Status: 403,
		Body: `{"error":"This action is outside the authorized scopes"}`})
	pe = wantClass(t, c.Like(context.Background(), private), platforms.Permanent)
	if !pe.Reauth {
		t.Errorf("a token without the scope: %+v", pe)
	}
	srv.Inject("POST", "/api/v1/statuses/"+private.ID+"/favourite", mastotest.Fault{Status: 502})
	wantClass(t, c.Like(context.Background(), private), platforms.Transient)
}

func TestReplyPrefix(t *testing.T) {
	for _, tc := range []struct{ handle, want string }{
		{"alice", "@alice "}, {"bob@far.example", "@bob@far.example "}, {"@carol", "@carol "}, {"", ""},
	} {
		if got := mastodon.ReplyPrefix(platforms.Author{Handle: tc.handle}); got != tc.want {
			t.Errorf("ReplyPrefix(%q) = %q, want %q", tc.handle, got, tc.want)
		}
	}
	var _ platforms.ReplyPrefixer = (*mastodon.Client)(nil)
}

// A reply to someone's post, from what a notification carries: threaded
// under it, mentioning its author, who is notified.
func TestReplyToAMention(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	bob := srv.AddAccount("bob@far.example")
	srv.Post(bob.ID, "@crier are you open on sunday?", "public", "")
	notes, _, err := c.Notifications(ctx, "")
	if err != nil || len(notes) != 1 || notes[0].Post == nil {
		t.Fatalf("Notifications = %+v, %v", notes, err)
	}
	in := notes[0].Post
	p := newPost(c.ReplyPrefix(in.Author)+"Yes, 8 to 12.", "reply-1")
	p.ReplyTo, p.ThreadRoot = &in.Ref, in.Root
	pub, err := c.Publish(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := srv.Status(pub.Ref.ID)
	if st.InReplyToID != in.Ref.ID || st.Text != "@bob@far.example Yes, 8 to 12." || st.Visibility != "public" {
		t.Errorf("server has %+v", st)
	}
}

func TestSearchHashtagTimeline(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	alice := srv.AddAccount("alice@other.example")
	srv.Post(alice.ID, "no tag here, just sourdough", "public", "")
	first := srv.Post(alice.ID, "Morning #Sourdough bake", "public", "")
	srv.Post(alice.ID, "#sourdough but only for followers", "private", "")

	got, cursor, err := c.Search(ctx, "#sourdough", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Ref.ID != first || got[0].Author.ID != alice.ID || got[0].Text != "Morning #Sourdough bake" {
		t.Fatalf("Search = %+v", got)
	}
	if cursor != first {
		t.Errorf("cursor %q, want %q", cursor, first)
	}
	if got, _, err := c.Search(ctx, "#sourdough", cursor); err != nil || len(got) != 0 {
		t.Errorf("nothing new: %+v, %v", got, err)
	}
	// More than a page arrives: all of it, oldest first.
	var want []string
	for i := 0; i < 95; i++ {
		want = append(want, srv.Post(alice.ID, fmt.Sprintf("loaf %d #sourdough", i), "public", ""))
	}
	got, next, err := c.Search(ctx, "#sourdough", cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || got[0].Ref.ID != want[0] || got[94].Ref.ID != want[94] || next != want[94] {
		t.Fatalf("%d posts (first %v), cursor %s", len(got), got[0].Ref, next)
	}
	for i := range got {
		if got[i].Ref.ID != want[i] {
			t.Fatalf("post %d is %s, want %s", i, got[i].Ref.ID, want[i])
		}
	}
	if srv.Count("GET", "/api/v1/timelines/tag/sourdough") < 4 {
		t.Errorf("requests: %v", srv.Requests())
	}
}

func TestSearchStatuses(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	alice := srv.AddAccount("alice@other.example")
	old := srv.Post(alice.ID, "the Crier Bakery croissants", "public", "")
	got, cursor, err := c.Search(ctx, "crier bakery", "")
	if err != nil || len(got) != 1 || got[0].Ref.ID != old || cursor != old {
		t.Fatalf("Search = %+v, %q, %v", got, cursor, err)
	}
	// 100 new matches and some that do not match: the gaps below and above
	// each full page are read until nothing is missed.
	var want []string
	for i := 0; i < 100; i++ {
		want = append(want, srv.Post(alice.ID, fmt.Sprintf("crier bakery review %d", i), "public", ""))
		srv.Post(alice.ID, "unrelated", "public", "")
	}
	got, next, err := c.Search(ctx, "crier bakery", cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 100 || next != want[99] {
		t.Fatalf("%d posts, cursor %s", len(got), next)
	}
	for i := range got {
		if got[i].Ref.ID != want[i] {
			t.Fatalf("post %d is %s, want %s", i, got[i].Ref.ID, want[i])
		}
	}
	if got, _, err := c.Search(ctx, "crier bakery", next); err != nil || len(got) != 0 {
		t.Errorf("nothing new: %d, %v", len(got), err)
	}
	if _, _, err := c.Search(ctx, "  ", ""); platforms.ClassOf(err) != platforms.Permanent {
		t.Errorf("empty query: %v", err)
	}
}

func TestSearchWithoutFullTextSearchFindsNothing(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{NoFullTextSearch: true})
	alice := srv.AddAccount("alice")
	srv.Post(alice.ID, "crier bakery", "public", "")
	got, cursor, err := c.Search(context.Background(), "crier bakery", "7")
	if err != nil || len(got) != 0 || cursor != "7" {
		t.Errorf("Search = %+v, %q, %v", got, cursor, err)
	}
}
