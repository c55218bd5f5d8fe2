package bluesky

// Integration tests against the reference Bluesky servers (PDS, AppView and
// PLC directory from @atproto/dev-env), started per test binary. They skip
// when the network cannot be started here.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
)

// liveAccount is an account on the live network with a client signed in as
// it with its app password, as a crier user would be.
type liveAccount struct {
	handle, did, appPassword string
	acct                     testnet.Account
	c                        *Client
}

// newLiveAccount creates an account on net and a client for it whose session
// is kept in a file.
func newLiveAccount(t *testing.T, net *testnet.Network, prefix string) *liveAccount {
	t.Helper()
	acct := net.CreateAccount(t, net.UniqueHandle(prefix))
	store := FileSessionStore(filepath.Join(t.TempDir(), acct.Handle+".json"))
	c := New(net.PDS, acct.Handle, WithSessionStore(store), WithAppPassword(acct.AppPassword))
	if _, err := c.Session(context.Background()); err != nil {
		t.Fatalf("signing in as %s: %v", acct.Handle, err)
	}
	return &liveAccount{handle: acct.Handle, did: acct.DID, appPassword: acct.AppPassword, acct: acct, c: c}
}

func livePost(key, text string) platforms.Post {
	return platforms.Post{Text: text, IdempotencyKey: key, CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
}

// getRecord reads a post record as the PDS stored it.
func getRecord(t *testing.T, a *liveAccount, uri string) map[string]any {
	t.Helper()
	var out struct {
		Value map[string]any `json:"value"`
	}
	err := a.c.call(context.Background(), xrpcCall{
		nsid:  "com.atproto.repo.getRecord",
		query: url.Values{"repo": {a.did}, "collection": {PostCollection}, "rkey": {rkeyOf(uri)}},
		auth:  authAccess,
		out:   &out,
	})
	if err != nil {
		t.Fatalf("getRecord %s: %v", uri, err)
	}
	return out.Value
}

// createRecord writes a like, repost or follow as a.
func createRecord(t *testing.T, a *liveAccount, collection string, record map[string]any) {
	t.Helper()
	record["$type"] = collection
	record["createdAt"] = createdAtString(time.Now())
	err := a.c.call(context.Background(), xrpcCall{
		nsid:      "com.atproto.repo.createRecord",
		procedure: true,
		input:     map[string]any{"repo": a.did, "collection": collection, "record": record},
		auth:      authAccess,
	})
	if err != nil {
		t.Fatalf("createRecord %s: %v", collection, err)
	}
}

func TestLivePublishAndFacets(t *testing.T) {
	net := testnet.Shared(t)
	alice := newLiveAccount(t, net, "alice")
	bob := newLiveAccount(t, net, "bob")
	ctx := context.Background()

	plain := livePost("plain", "hello from crier")
	pub, err := alice.c.Publish(ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	rkey, _ := RecordKey(plain.IdempotencyKey, plain.CreatedAt)
	if pub.Ref.ID != "at://"+alice.did+"/app.bsky.feed.post/"+rkey || pub.Ref.CID == "" {
		t.Errorf("ref %+v", pub.Ref)
	}
	if pub.URL != "https://bsky.app/profile/"+alice.handle+"/post/"+rkey {
		t.Errorf("URL %s", pub.URL)
	}
	if got, ok, err := alice.c.Reconcile(ctx, plain); err != nil || !ok || got.Ref != pub.Ref {
		t.Errorf("Reconcile = %+v, %v, %v", got, ok, err)
	}
	if _, ok, err := alice.c.Reconcile(ctx, livePost("never-sent", "x")); ok || err != nil {
		t.Errorf("Reconcile of an unsent post = %v, %v", ok, err)
	}

	text := "🎉日本 hi @" + bob.handle + " and @nobody.test, see https://example.com/a_(b)?c=1. #crier #123"
	pub, err = alice.c.Publish(ctx, livePost("facets", text))
	if err != nil {
		t.Fatal(err)
	}
	rec := getRecord(t, alice, pub.Ref.ID)
	// The link shows as the Bluesky app writes it, without its scheme.
	shown := strings.Replace(text, "https://example.com", "example.com", 1)
	if rec["text"] != shown {
		t.Errorf("stored text %q, want %q", rec["text"], shown)
	}
	got := storedFacets(rec)
	want := []string{
		"@" + bob.handle + " mention=" + bob.did,
		"example.com/a_(b)?c=1 link=https://example.com/a_(b)?c=1",
		"#crier tag=crier",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("stored facets:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// storedFacets lists a stored record's facets as "covered text kind=value",
// the covered text read by the facet's byte offsets into the stored text.
func storedFacets(rec map[string]any) []string {
	text, _ := rec["text"].(string)
	facets, _ := rec["facets"].([]any)
	var got []string
	for _, f := range facets {
		fm := f.(map[string]any)
		idx := fm["index"].(map[string]any)
		start, end := int(idx["byteStart"].(float64)), int(idx["byteEnd"].(float64))
		feat := fm["features"].([]any)[0].(map[string]any)
		var v any
		for _, k := range []string{"did", "uri", "tag"} {
			if feat[k] != nil {
				v = feat[k]
			}
		}
		got = append(got, fmt.Sprintf("%s %s=%v", text[start:end], strings.TrimPrefix(feat["$type"].(string), "app.bsky.richtext.facet#"), v))
	}
	return got
}

// A campaign's tagged link is long; the post shows it short, as the
// Bluesky app does, and its link facet carries the whole tagged URL, so a
// post that would be over 300 graphemes as written goes out.
func TestLiveTaggedLinkShortened(t *testing.T) {
	net := testnet.Shared(t)
	alice := newLiveAccount(t, net, "tagged")
	ctx := context.Background()

	link := "https://shop.ryeandshine.bakery/workshops/sourdough-school?utm_source=bluesky&utm_medium=social" +
		"&utm_campaign=sourdough-school-may-2026&utm_content=post-12"
	text := "Sourdough school 🍞 — four weekends in May, small groups, you take your starter home. " +
		strings.Repeat("Book a seat! ", 10) + link + " #sourdough"
	if raw, _ := Length(text); raw <= MaxGraphemes {
		t.Fatalf("the text is %d graphemes as written; the test needs more than %d", raw, MaxGraphemes)
	}
	p := livePost("tagged-link", text)
	pub, err := alice.c.Publish(ctx, p)
	if err != nil {
		t.Fatalf("publishing a post whose link is long: %v", err)
	}
	rec := getRecord(t, alice, pub.Ref.ID)
	stored, _ := rec["text"].(string)
	short := "shop.ryeandshine.bakery/workshops/so…"
	if g, _ := Length(stored); !strings.Contains(stored, short) || strings.Contains(stored, "utm_") || g > MaxGraphemes {
		t.Errorf("stored text (%d graphemes) %q: want the link shown as %q", g, stored, short)
	}
	got := storedFacets(rec)
	want := []string{short + " link=" + link, "#sourdough tag=sourdough"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("stored facets:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The AppView serves the facet with the whole URL too.
	waitfor.Until(t, 10*time.Second, "the AppView to show the post's link facet", func() (bool, string) {
		var out struct {
			Posts []struct {
				Record struct {
					Facets []struct {
						Features []struct {
							URI string `json:"uri"`
						} `json:"features"`
					} `json:"facets"`
				} `json:"record"`
			} `json:"posts"`
		}
		err := alice.c.call(ctx, xrpcCall{nsid: "app.bsky.feed.getPosts", query: url.Values{"uris": {pub.Ref.ID}}, auth: authAccess, out: &out})
		if err != nil || len(out.Posts) == 0 || len(out.Posts[0].Record.Facets) == 0 || len(out.Posts[0].Record.Facets[0].Features) == 0 {
			return false, fmt.Sprintf("getPosts: %v, %+v", err, out)
		}
		uri := out.Posts[0].Record.Facets[0].Features[0].URI
		return uri == link, "facet uri " + uri
	})
	// A retry finds the same post.
	if again, ok, err := alice.c.Reconcile(ctx, p); err != nil || !ok || again.Ref != pub.Ref {
		t.Errorf("Reconcile = %+v, %v, %v; want %+v", again, ok, err, pub.Ref)
	}
	if again, err := alice.c.Publish(ctx, p); err != nil || again.Ref != pub.Ref {
		t.Errorf("publishing again = %+v, %v; want the same post %+v", again, err, pub.Ref)
	}
}

func TestLiveImageThreadAndLimits(t *testing.T) {
	net := testnet.Shared(t)
	alice := newLiveAccount(t, net, "alice")
	ctx := context.Background()

	// An image with alt text.
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		img.Set(x, x%48, color.RGBA{200, 40, 40, 255})
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	path := filepath.Join(t.TempDir(), "line.png")
	os.WriteFile(path, buf.Bytes(), 0o644)
	p := livePost("image", "a picture")
	p.Images = []platforms.Image{{Path: path, Mime: "image/png", AltText: "a red diagonal line"}}
	pub, err := alice.c.Publish(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	embed := getRecord(t, alice, pub.Ref.ID)["embed"].(map[string]any)
	im := embed["images"].([]any)[0].(map[string]any)
	blob := im["image"].(map[string]any)
	ar, _ := im["aspectRatio"].(map[string]any)
	if embed["$type"] != "app.bsky.embed.images" || im["alt"] != "a red diagonal line" || blob["mimeType"] != "image/png" ||
		ar["width"] != 64.0 || ar["height"] != 48.0 {
		t.Errorf("embed %v", embed)
	}

	// A three-post thread.
	first, err := alice.c.Publish(ctx, livePost("thread-1", "thread 1/3"))
	if err != nil {
		t.Fatal(err)
	}
	p2 := livePost("thread-2", "thread 2/3")
	p2.ReplyTo = &first.Ref
	second, err := alice.c.Publish(ctx, p2)
	if err != nil {
		t.Fatal(err)
	}
	p3 := livePost("thread-3", "thread 3/3")
	p3.ReplyTo, p3.ThreadRoot = &second.Ref, &first.Ref
	third, err := alice.c.Publish(ctx, p3)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		post         platforms.Published
		root, parent platforms.Ref
	}{{second, first.Ref, first.Ref}, {third, first.Ref, second.Ref}} {
		reply := getRecord(t, alice, tc.post.Ref.ID)["reply"].(map[string]any)
		root, parent := reply["root"].(map[string]any), reply["parent"].(map[string]any)
		if root["uri"] != tc.root.ID || root["cid"] != tc.root.CID || parent["uri"] != tc.parent.ID || parent["cid"] != tc.parent.CID {
			t.Errorf("%s: reply %v", tc.post.Ref.ID, reply)
		}
	}

	// The same post twice: one record.
	same := livePost("twice", "only once, however often it is sent")
	a, err := alice.c.Publish(ctx, same)
	if err != nil {
		t.Fatal(err)
	}
	b, err := alice.c.Publish(ctx, same)
	if err != nil || a.Ref != b.Ref {
		t.Fatalf("second publish: %+v, %v; first %+v", b, err, a)
	}
	var list struct {
		Records []struct {
			URI string `json:"uri"`
		} `json:"records"`
	}
	err = alice.c.call(ctx, xrpcCall{
		nsid:  "com.atproto.repo.listRecords",
		query: url.Values{"repo": {alice.did}, "collection": {PostCollection}, "limit": {"100"}},
		auth:  authAccess,
		out:   &list,
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range list.Records {
		if r.URI == a.Ref.ID {
			n++
		}
	}
	if n != 1 || len(list.Records) != 5 {
		t.Errorf("%d records with the uri, %d posts in all; want 1 and 5", n, len(list.Records))
	}

	// 300 graphemes go through; 301 are refused here, and by the server too.
	limits, _ := alice.c.Limits(ctx)
	ok300 := livePost("300", strings.Repeat("क्ष", 300))
	if err := platforms.Validate(alice.c, limits, ok300); err != nil {
		t.Errorf("Validate(300) = %v", err)
	}
	if _, err := alice.c.Publish(ctx, ok300); err != nil {
		t.Errorf("300 graphemes: %v", err)
	}
	long := livePost("301", strings.Repeat("क्ष", 301))
	verr := platforms.Validate(alice.c, limits, long)
	if platforms.ClassOf(verr) != platforms.Permanent || !strings.Contains(verr.Error(), "301 characters, the limit is 300") {
		t.Errorf("Validate(301) = %v", verr)
	}
	if _, err := alice.c.Publish(ctx, long); err == nil || err.Error() != verr.Error() {
		t.Errorf("Publish(301) = %v, want the local refusal", err)
	}
	rkey, _ := RecordKey(long.IdempotencyKey, long.CreatedAt)
	_, err = alice.c.putRecord(ctx, alice.did, rkey, &postRecord{Type: PostCollection, Text: long.Text, CreatedAt: createdAtString(long.CreatedAt)})
	var pe *platforms.Error
	if !errors.As(err, &pe) || pe.Class != platforms.Permanent || pe.Status != 400 || !strings.Contains(pe.Reason, "grapheme") || !strings.Contains(pe.Reason, "300") {
		t.Errorf("server on 301 graphemes: %v", err)
	}
}

func TestLiveInteractions(t *testing.T) {
	net := testnet.Shared(t)
	alice := newLiveAccount(t, net, "alice")
	bob := newLiveAccount(t, net, "bob")
	ctx := context.Background()

	post, err := alice.c.Publish(ctx, livePost("interact", "talk to me"))
	if err != nil {
		t.Fatal(err)
	}
	// Bob replies to the post once he can see it, as a person would. This
	// matters to the reference AppView: it indexes each account's commits in
	// a queue of its own, and when bob's reply is indexed before (or in the
	// same moment as) alice's post, it finds no parent, marks the reply
	// invalidReplyRoot and makes no reply notification, then or later
	// (indexing the parent afterwards notifies everyone up the thread except
	// the parent's own author). Replying straight after the publish lost the
	// notification in 9 rounds of 24 on a busy 2-core machine, however long the
	// notifications were polled.
	waitfor.Until(t, 10*time.Second, "alice's post in bob's AppView", func() (bool, string) {
		counts, err := bob.c.PostCounts(ctx, []platforms.Ref{post.Ref})
		if err != nil {
			return false, err.Error()
		}
		_, ok := counts[post.Ref.ID]
		return ok, fmt.Sprint(counts)
	})
	// Only what happens after this cursor is news.
	_, cursor, err := alice.c.Notifications(ctx, "")
	if err != nil {
		t.Fatal(err)
	}

	reply := livePost("bob-reply", "nice post")
	reply.ReplyTo = &post.Ref
	bobReply, err := bob.c.Publish(ctx, reply)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bob.c.Publish(ctx, livePost("bob-mention", "hey @"+alice.handle)); err != nil {
		t.Fatal(err)
	}
	subject := map[string]any{"uri": post.Ref.ID, "cid": post.Ref.CID}
	createRecord(t, bob, "app.bsky.feed.like", map[string]any{"subject": subject})
	createRecord(t, bob, "app.bsky.feed.repost", map[string]any{"subject": subject})
	createRecord(t, bob, "app.bsky.graph.follow", map[string]any{"subject": alice.did})
	createRecord(t, bob, "app.bsky.feed.post", map[string]any{"text": "look at this",
		"embed": map[string]any{"$type": "app.bsky.embed.record", "record": subject}})

	var got []platforms.Notification
	waitfor.Until(t, 10*time.Second, "notifications", func() (bool, string) {
		news, next, err := alice.c.Notifications(ctx, cursor)
		if err != nil {
			return false, err.Error()
		}
		got = append(got, news...)
		cursor = next
		kinds := map[platforms.NotificationKind]bool{}
		for _, n := range got {
			kinds[n.Kind] = true
		}
		return len(kinds) == 6, fmt.Sprint(kinds)
	})
	for i, n := range got {
		if i > 0 && n.At.Before(got[i-1].At) {
			t.Errorf("not oldest first")
		}
		if n.Author.ID != bob.did || n.Author.Handle != bob.handle {
			t.Errorf("%s from %+v", n.Kind, n.Author)
		}
		switch n.Kind {
		case platforms.NotifyReply:
			if n.Post == nil || n.Post.Text != "nice post" || n.Post.Ref != bobReply.Ref ||
				n.Post.ReplyTo == nil || *n.Post.ReplyTo != post.Ref || *n.Post.Root != post.Ref {
				t.Errorf("reply %+v", n.Post)
			}
		case platforms.NotifyMention:
			if n.Post == nil || !strings.Contains(n.Post.Text, alice.handle) {
				t.Errorf("mention %+v", n.Post)
			}
		case platforms.NotifyQuote:
			if n.Post == nil || n.Post.Text != "look at this" || n.Subject == nil || *n.Subject != post.Ref {
				t.Errorf("quote %+v, subject %+v", n.Post, n.Subject)
			}
		case platforms.NotifyLike, platforms.NotifyRepost:
			if n.Subject == nil || *n.Subject != post.Ref {
				t.Errorf("%s subject %+v", n.Kind, n.Subject)
			}
		}
	}
	// Nothing new since: nothing returned.
	if news, _, err := alice.c.Notifications(ctx, cursor); err != nil || len(news) != 0 {
		t.Errorf("second read: %d, %v", len(news), err)
	}

	waitfor.Until(t, 10*time.Second, "post counts", func() (bool, string) {
		counts, err := alice.c.PostCounts(ctx, []platforms.Ref{post.Ref, {ID: "at://" + alice.did + "/app.bsky.feed.post/3kaaaaaaaaaaa"}})
		if err != nil {
			return false, err.Error()
		}
		c := counts[post.Ref.ID]
		return len(counts) == 1 && c == platforms.Counts{Likes: 1, Reposts: 1, Replies: 1, Quotes: 1}, fmt.Sprint(counts)
	})
	waitfor.Until(t, 10*time.Second, "followers", func() (bool, string) {
		n, err := alice.c.Followers(ctx)
		return err == nil && n == 1, fmt.Sprint(n, err)
	})
}

func TestLiveSessionRefreshRotates(t *testing.T) {
	net := testnet.Shared(t)
	dir := t.TempDir()
	alice := newLiveAccount(t, net, "alice")
	ctx := context.Background()
	store := FileSessionStore(filepath.Join(dir, "session.json"))
	c := New(net.PDS, alice.handle, WithSessionStore(store), WithAppPassword(alice.appPassword))
	before, err := c.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	after, err := c.refresh(ctx, before.AccessJwt)
	if err != nil {
		t.Fatal(err)
	}
	// (The access token may come back the same: it has no id of its own and
	// is stamped to the second.)
	if after.RefreshJwt == before.RefreshJwt || after.DID != alice.did {
		t.Errorf("refresh did not rotate: %+v", after)
	}
	stored, err := store.LoadSession()
	if err != nil || stored == nil || *stored != *after {
		t.Errorf("stored %+v, %v; want the rotated session", stored, err)
	}
	// A restart works from the stored session alone.
	again := New(net.PDS, alice.handle, WithSessionStore(store))
	if _, err := again.Publish(ctx, livePost("after-refresh", "still signed in")); err != nil {
		t.Errorf("publish from the stored session: %v", err)
	}
}

func TestLiveUnverifiableAccessTokenRefreshes(t *testing.T) {
	net := testnet.Shared(t)
	alice := newLiveAccount(t, net, "alice")
	ctx := context.Background()
	before, _ := alice.c.Session(ctx)
	broken := before
	broken.AccessJwt = "not-a-token"
	alice.c.setSession(&broken) // the server answers 400 InvalidToken
	if _, err := alice.c.Publish(ctx, livePost("after-bad-token", "recovered")); err != nil {
		t.Fatalf("publish with a bad access token: %v", err)
	}
	after, _ := alice.c.Session(ctx)
	if after.RefreshJwt == before.RefreshJwt {
		t.Error("the session was not refreshed")
	}

	// Both tokens bad and no password: sign in again.
	c := New(net.PDS, alice.handle)
	c.setSession(&Session{AccessJwt: "bad", RefreshJwt: "bad", DID: alice.did, Handle: alice.handle})
	_, err := c.Publish(ctx, livePost("no-session", "x"))
	var pe *platforms.Error
	if !errors.As(err, &pe) || pe.Class != platforms.Permanent || !pe.Reauth {
		t.Errorf("dead session: %v", err)
	}
}

// chatCounter counts the requests a client makes to the chat service
// (chat.bsky.*, through the PDS's proxy).
type chatCounter struct {
	mu sync.Mutex
	n  int
}

func (c *chatCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasPrefix(r.URL.Path, "/xrpc/chat.bsky.") {
		c.mu.Lock()
		c.n++
		c.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(r)
}

func (c *chatCounter) take() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = 0
	return n
}

// The dev network has no chat service. Whatever app password is used, asking
// for DMs must end in one permanent error that says why, at the first
// answer: one request to the chat service, not retried. (How long it took
// is logged, not judged: timing belongs in benchmarks.)
func TestLiveDirectMessagesWithoutChatService(t *testing.T) {
	net := testnet.Shared(t)
	alice := newLiveAccount(t, net, "alice")
	dm := net.CreateAppPassword(t, alice.acct, "crier-dm", true)
	for name, password := range map[string]string{"ordinary app password": alice.appPassword, "app password with DM access": dm.Password} {
		counter := &chatCounter{}
		c := New(net.PDS, alice.handle, WithAppPassword(password), WithHTTPClient(&http.Client{Transport: counter}))
		start := time.Now()
		_, _, err := c.Messages(context.Background(), "")
		var pe *platforms.Error
		if !errors.As(err, &pe) || pe.Class != platforms.Permanent || !strings.Contains(pe.Reason, "direct messages") {
			t.Fatalf("%s: Messages = %v", name, err)
		}
		if n := counter.take(); n != 1 {
			t.Errorf("%s: Messages asked the chat service %d times, want once", name, n)
		}
		_, err = c.SendMessage(context.Background(), "convo", "hi", "k")
		if !errors.As(err, &pe) || pe.Class != platforms.Permanent || !strings.Contains(pe.Reason, "direct messages") {
			t.Fatalf("%s: SendMessage = %v", name, err)
		}
		if n := counter.take(); n != 1 {
			t.Errorf("%s: SendMessage asked the chat service %d times, want once", name, n)
		}
		t.Logf("%s: %v (both calls in %v)", name, err, time.Since(start).Round(time.Millisecond))
	}
}
