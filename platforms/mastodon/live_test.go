package mastodon_test

// Live tests: crier's Mastodon client against a real Mastodon-API server,
// GoToSocial v0.17.3 (platforms/mastodon/gtstest), started once for the
// package. They skip when it is not installed (scripts/gotosocial install)
// and fail then when CRIER_REQUIRE_GOTOSOCIAL=1.

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/faultproxy"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/gtstest"
)

// liveUser is an account on the shared server with a crier client for it.
type liveUser struct {
	gtstest.Account
	token string
	id    string
	c     *mastodon.Client
}

// liveUsers makes accounts on the shared server, signed in through its
// OAuth pages.
func liveUsers(t *testing.T, names ...string) (*gtstest.Server, []*liveUser) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs GoToSocial")
	}
	gts := gtstest.Shared(t)
	var out []*liveUser
	for _, n := range names {
		a := gts.CreateAccount(t, n)
		tok := gts.Token(t, a, "")
		out = append(out, &liveUser{Account: a, token: tok, id: gts.AccountID(t, tok),
			c: mastodon.New(gts.URL, tok, mastodon.WithMediaPolling(50*time.Millisecond, 500*time.Millisecond, time.Minute))})
	}
	return gts, out
}

func liveKey(t *testing.T, what string) string {
	return fmt.Sprintf("%s-%s-%d", t.Name(), what, time.Now().UnixNano())
}

// realPNG writes a small PNG the server can decode and process.
func realPNG(t *testing.T, name string) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for x := 0; x < 32; x++ {
		for y := 0; y < 24; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 8), uint8(y * 10), 120, 255})
		}
	}
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// onServer lists u's statuses with text, as the server holds them.
func onServer(t *testing.T, gts *gtstest.Server, u *liveUser, text string) []gtstest.Status {
	t.Helper()
	var out []gtstest.Status
	for _, st := range gts.Statuses(t, u.token) {
		if st.Text == text {
			out = append(out, st)
		}
	}
	return out
}

func TestLiveLimits(t *testing.T) {
	_, us := liveUsers(t, "limits")
	l, err := us[0].c.Limits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if l.MaxChars != 5000 || l.MaxImages != 6 || l.MaxAltText != 1500 || l.MaxImageBytes <= 0 || !l.SupportsDMs {
		t.Errorf("limits %+v, want GoToSocial's: 5000 characters, 6 images, 1500 of alt text", l)
	}
	// GoToSocial reports 25 per URL but counts links as written.
	if l.CharsPerURL != 0 || l.Length == nil || l.Approximate {
		t.Errorf("counting: %d per URL, counter %v, approximate %v; want links as written, exactly",
			l.CharsPerURL, l.Length != nil, l.Approximate)
	}
}

// TestLiveCounterAgreesWithGoToSocial: texts the counter puts exactly at the
// limit, with links, a mention and emoji, are taken; one more character is
// refused, with the server's own count equal to the counter's.
func TestLiveCounterAgreesWithGoToSocial(t *testing.T) {
	gts, us := liveUsers(t, "counter", "friend")
	alice, bob := us[0], us[1]
	l, err := alice.c.Limits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i, base := range []string{
		"Menu: https://shop.example/" + strings.Repeat("seasonal-bread/", 12) + "?lang=en and more ",
		"👩‍👩‍👧 family day, @" + bob.Acct + "! https://a.example\n\nBring the kids 🥐 ",
		"Links count as written here: https://example.com https://example.org/x ",
	} {
		atLimit := padTo(t, l.Length, base, l.MaxChars)
		if status, body, err := gts.Call(alice.token, http.MethodPost, "/api/v1/statuses", url.Values{"status": {atLimit}}); err != nil || status != http.StatusOK {
			t.Errorf("text %d: at %d/%d by the counter, the server answered %d %s %v", i, l.Length(atLimit), l.MaxChars, status, body, err)
		}
		over := atLimit + "x"
		status, body, err := gts.Call(alice.token, http.MethodPost, "/api/v1/statuses", url.Values{"status": {over}})
		if err != nil || status == http.StatusOK {
			t.Errorf("text %d: at %d/%d by the counter, the server took it", i, l.Length(over), l.MaxChars)
			continue
		}
		if want := fmt.Sprintf("%d characters provided", l.Length(over)); !strings.Contains(string(body), want) {
			t.Errorf("text %d: the server's refusal %s does not say %q", i, body, want)
		}
		// crier refuses it before sending, with the same count.
		_, err = alice.c.Publish(context.Background(), platforms.Post{Text: over, IdempotencyKey: liveKey(t, "over"), CreatedAt: time.Now()})
		if pe := wantClass(t, err, platforms.Permanent); !strings.Contains(pe.Reason, fmt.Sprint(l.Length(over))) {
			t.Errorf("text %d: crier's refusal %q", i, pe.Reason)
		}
	}
}

// TestLivePublish: text with a link, a mention and characters HTML cares
// about; two images with alt text; a thread.
func TestLivePublish(t *testing.T) {
	gts, us := liveUsers(t, "shop", "customer")
	shop, customer := us[0], us[1]
	ctx := context.Background()

	text := "Fresh rye <today> & tomorrow, \"sourdough\" too!\n\nMenu: https://shop.example/menu?day=fri&lang=en #bread\nThanks @" + customer.Acct
	pub, err := shop.c.Publish(ctx, platforms.Post{Text: text, IdempotencyKey: liveKey(t, "text"), CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	got := onServer(t, gts, shop, text)
	if len(got) != 1 || got[0].ID != pub.Ref.ID || got[0].Visibility != "public" {
		t.Fatalf("the server holds %+v for the text, want the one status %s, public", got, pub.Ref.ID)
	}
	if !strings.HasPrefix(pub.URL, "http://localhost/@"+shop.Username+"/") {
		t.Errorf("URL %q", pub.URL)
	}
	// The mention reached the customer: GoToSocial makes notifications in
	// the background, after it has answered the POST.
	var ns []platforms.Notification
	waitfor.Holds(t, gtsPatience, "mention in the customer's notifications", func() bool {
		ns, _, err = customer.c.Notifications(ctx, "")
		return err == nil && len(ns) > 0
	})
	if len(ns) != 1 || ns[0].Kind != platforms.NotifyMention || ns[0].Post.Ref.ID != pub.Ref.ID || !strings.Contains(ns[0].Post.Text, "Fresh rye <today> & tomorrow") {
		t.Errorf("customer's notifications %+v, want the mention", ns)
	}

	// Two images with alt text.
	imgs := []platforms.Image{
		{Path: realPNG(t, "rye.png"), AltText: "A dark rye loaf on a wooden board"},
		{Path: realPNG(t, "crumb.png"), Mime: "image/png", AltText: "The crumb, close up: open and glossy"},
	}
	withImages := platforms.Post{Text: "Today's loaves", Images: imgs, IdempotencyKey: liveKey(t, "images"), CreatedAt: time.Now()}
	ip, err := shop.c.Publish(ctx, withImages)
	if err != nil {
		t.Fatal(err)
	}
	got = onServer(t, gts, shop, "Today's loaves")
	if len(got) != 1 || got[0].ID != ip.Ref.ID || len(got[0].Media) != 2 {
		t.Fatalf("statuses %+v, want one with two images", got)
	}
	for i, m := range got[0].Media {
		if m.Description == nil || *m.Description != imgs[i].AltText {
			t.Errorf("image %d alt text %v, want %q", i+1, m.Description, imgs[i].AltText)
		}
	}

	// A thread of three.
	root, err := shop.c.Publish(ctx, platforms.Post{Text: "A thread on rye, 1/3", IdempotencyKey: liveKey(t, "t1"), CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	prev := root.Ref
	for i := 2; i <= 3; i++ {
		p := platforms.Post{Text: fmt.Sprintf("A thread on rye, %d/3", i), ReplyTo: &prev, ThreadRoot: &root.Ref,
			IdempotencyKey: liveKey(t, fmt.Sprint(i)), CreatedAt: time.Now()}
		next, err := shop.c.Publish(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		st := onServer(t, gts, shop, p.Text)
		if len(st) != 1 || st[0].InReplyToID == nil || *st[0].InReplyToID != prev.ID {
			t.Fatalf("part %d: %+v, want a reply to %s", i, st, prev.ID)
		}
		prev = next.Ref
	}
}

// TestLiveServerIgnoresIdempotencyKey records where GoToSocial differs from
// Mastodon, and why crier must look before it sends again: the same POST
// with the same key twice makes two statuses.
func TestLiveServerIgnoresIdempotencyKey(t *testing.T) {
	gts, us := liveUsers(t, "twice")
	u := us[0]
	p := platforms.Post{Text: "Sent twice with one key", IdempotencyKey: liveKey(t, "k"), CreatedAt: time.Now()}
	a, err := u.c.Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := u.c.Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(onServer(t, gts, u, p.Text)); n != 2 || a.Ref.ID == b.Ref.ID {
		t.Logf("GoToSocial now honours Idempotency-Key (%d statuses): mastotest.GoToSocial and the notes can say so", n)
	}
}

// TestLiveDroppedConnectionIsNotReplayed: the connection breaks after the
// server has made the status. The transport must not send the POST again
// by itself (Go would, for a request with an Idempotency-Key and a body it
// can rewind); the server holds one status, and Reconcile finds it.
func TestLiveDroppedConnectionIsNotReplayed(t *testing.T) {
	gts, us := liveUsers(t, "dropped")
	u := us[0]
	proxy := faultproxy.New(gts.URL, faultproxy.Options{Decide: func(r faultproxy.Request) faultproxy.Action {
		if r.Method == http.MethodPost && r.Path == "/api/v1/statuses" {
			return faultproxy.Action{Fault: faultproxy.DropAfterAnswer}
		}
		return faultproxy.Action{}
	}})
	defer proxy.Close()
	c := mastodon.New(proxy.URL, u.token, mastodon.WithReconcileSettle(0))
	ctx := context.Background()
	// The first call opens the connection the POST then goes out on.
	if _, err := c.Limits(ctx); err != nil {
		t.Fatal(err)
	}
	p := platforms.Post{Text: "Dropped after the server made it", IdempotencyKey: liveKey(t, "k"), CreatedAt: time.Now()}
	_, err := c.Publish(ctx, p)
	wantClass(t, err, platforms.UnknownOutcome)
	if n := proxy.Count(http.MethodPost, "/api/v1/statuses"); n != 1 {
		t.Errorf("the status POST went out %d times, want once", n)
	}
	if n := len(onServer(t, gts, u, p.Text)); n != 1 {
		t.Fatalf("the server holds %d statuses, want 1", n)
	}
	pub, found, err := c.Reconcile(ctx, p)
	if err != nil || !found || onServer(t, gts, u, p.Text)[0].ID != pub.Ref.ID {
		t.Fatalf("Reconcile = %+v, %v, %v", pub, found, err)
	}
}

// TestLiveReconcileAfterEachFault puts a fault proxy between crier and the
// server and faults the status POST each way a network can: after the
// server made the status (connection dropped, 500, the answer held past
// crier's wait) and before (the request held, the connection refused, a
// rate limit). Each time crier then reconciles and, only when the post is
// not there, sends it again with the same key, as the scheduler does. The
// server must hold each post exactly once.
func TestLiveReconcileAfterEachFault(t *testing.T) {
	gts, us := liveUsers(t, "faults")
	u := us[0]
	for _, tc := range []struct {
		act    faultproxy.Action
		landed bool
		class  platforms.Class
	}{
		{faultproxy.Action{Fault: faultproxy.DropAfterAnswer}, true, platforms.UnknownOutcome},
		{faultproxy.Action{Fault: faultproxy.ServerErrorAfterAnswer}, true, platforms.UnknownOutcome},
		{faultproxy.Action{Fault: faultproxy.ServerErrorAfterAnswer, Status: 502}, true, platforms.UnknownOutcome},
		{faultproxy.Action{Fault: faultproxy.HoldAnswer, Hold: time.Minute}, true, platforms.UnknownOutcome},
		{faultproxy.Action{Fault: faultproxy.HoldRequest, Hold: time.Minute}, false, platforms.UnknownOutcome},
		{faultproxy.Action{Fault: faultproxy.Refuse}, false, platforms.UnknownOutcome},
		{faultproxy.Action{Fault: faultproxy.RateLimit, Hold: 30 * time.Second}, false, platforms.RateLimited},
	} {
		t.Run(tc.act.Fault.String(), func(t *testing.T) {
			var faulted atomic.Bool
			faulted.Store(true)
			proxy := faultproxy.New(gts.URL, faultproxy.Options{Decide: func(r faultproxy.Request) faultproxy.Action {
				if r.Method == http.MethodPost && r.Path == "/api/v1/statuses" && faulted.Load() {
					return tc.act
				}
				return faultproxy.Action{}
			}})
			defer proxy.Close()
			c := mastodon.New(proxy.URL, u.token, mastodon.WithReconcileSettle(500*time.Millisecond),
				mastodon.WithMediaPolling(50*time.Millisecond, 500*time.Millisecond, time.Minute))
			text := fmt.Sprintf("After %s: rye at 8 & spelt at 10 <3\nhttps://shop.example/today?f=%d", tc.act.Fault, tc.act.Status)
			p := platforms.Post{Text: text, IdempotencyKey: liveKey(t, "k"), CreatedAt: time.Now(),
				Images: []platforms.Image{{Path: realPNG(t, "loaf.png"), AltText: "a loaf"}}}

			// The scheduler gives a post write 30 s; a held answer is
			// given up on sooner here.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, err := c.Publish(ctx, p)
			cancel()
			wantClass(t, err, tc.class)
			if n := len(onServer(t, gts, u, text)); (n == 1) != tc.landed || n > 1 {
				t.Fatalf("after the fault the server holds %d statuses, want landed = %v", n, tc.landed)
			}

			faulted.Store(false)
			began := time.Now()
			pub, found, err := c.Reconcile(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: Reconcile answered found=%v in %s", tc.act.Fault, found, time.Since(began).Round(time.Millisecond))
			if found != tc.landed {
				t.Fatalf("Reconcile found = %v, want %v", found, tc.landed)
			}
			if !found {
				if pub, err = c.Publish(context.Background(), p); err != nil {
					t.Fatal(err)
				}
			}
			got := onServer(t, gts, u, text)
			if len(got) != 1 || got[0].ID != pub.Ref.ID {
				t.Fatalf("the server holds %+v, want exactly %s", got, pub.Ref.ID)
			}
		})
	}
}

// TestLiveReconcileFindsWhatWasSent measures the search over texts that
// the server's rendering changes (HTML, links, mentions, hashtags,
// whitespace, emoji), as public posts, replies and direct messages: each is
// sent, its answer replaced with a 500, and then looked for. None may be
// missed, and none may be taken for another.
func TestLiveReconcileFindsWhatWasSent(t *testing.T) {
	gts, us := liveUsers(t, "search", "other")
	u, other := us[0], us[1]
	proxy := faultproxy.New(gts.URL, faultproxy.Options{Decide: func(r faultproxy.Request) faultproxy.Action {
		if r.Method == http.MethodPost && r.Path == "/api/v1/statuses" {
			return faultproxy.Action{Fault: faultproxy.ServerErrorAfterAnswer}
		}
		return faultproxy.Action{}
	}})
	defer proxy.Close()
	c := mastodon.New(proxy.URL, u.token, mastodon.WithReconcileSettle(0))
	ctx := context.Background()
	root, err := u.c.Publish(ctx, platforms.Post{Text: "The root of a thread", IdempotencyKey: liveKey(t, "root"), CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"plain text",
		"  leading and trailing spaces  ",
		"line one\nline two\n\n\nafter blank lines",
		"windows\r\nline ends\r\n",
		"tabs\tand  double  spaces",
		"<b>not bold</b> & <script>alert(1)</script> \"quoted\" 'single' <3",
		"**not markdown here** _nor_ `code`",
		"link at the end https://example.com/a/b?c=1&d=2#frag",
		"(in parentheses https://example.com/x) and a period https://example.org.",
		"a long link https://example.com/" + strings.Repeat("abcdefghij", 12),
		"#hashtag #another_one and a #Mixed123",
		"hello @" + other.Acct + " and @" + other.Username,
		"emoji 👩‍👩‍👧 🥖 and flags 🇩🇪 and skin 👍🏽",
		"CJK 日本語のテキスト and RTL مرحبا and combining é (e\u0301)",
		"nbsp\u00a0here and zero\u200bwidth",
		"ends with a mention @" + other.Acct,
	}
	missed := 0
	for i, text := range texts {
		for _, kind := range []string{"public", "reply"} {
			p := platforms.Post{Text: text, IdempotencyKey: liveKey(t, fmt.Sprint(i, kind)), CreatedAt: time.Now()}
			if kind == "reply" {
				p.ReplyTo, p.ThreadRoot = &root.Ref, &root.Ref
			}
			_, err := c.Publish(ctx, p)
			wantClass(t, err, platforms.UnknownOutcome)
			pub, found, err := c.Reconcile(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if !found {
				missed++
				t.Errorf("%s %q: not found after it landed", kind, text)
				continue
			}
			var want *gtstest.Status
			for _, st := range gts.Statuses(t, u.token) {
				if st.ID == pub.Ref.ID {
					st := st
					want = &st
				}
			}
			if want == nil || want.Text != text || (kind == "reply") != (want.InReplyToID != nil) {
				t.Errorf("%s %q: Reconcile found %+v", kind, text, want)
			}
		}
	}
	t.Logf("%d texts as posts and replies: %d missed", len(texts), missed)
}

// TestLiveRepliesAndDirectMessages: what another account says to ours
// arrives as notifications and messages; ours answers in the thread and
// in the conversation.
func TestLiveRepliesAndDirectMessages(t *testing.T) {
	gts, us := liveUsers(t, "bakery", "regular")
	shop, regular := us[0], us[1]
	ctx := context.Background()
	ours, err := shop.c.Publish(ctx, platforms.Post{Text: "New: seeded rye", IdempotencyKey: liveKey(t, "p"), CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var reply, mention gtstest.Status
	gts.API(t, regular.token, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"@" + shop.Acct + " is it vegan?"}, "in_reply_to_id": {ours.Ref.ID}, "visibility": {"public"}}, &reply)
	gts.API(t, regular.token, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"Best bakery in town, @" + shop.Acct}, "visibility": {"public"}}, &mention)
	var dm gtstest.Status
	gts.API(t, regular.token, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"@" + shop.Acct + " can I order a cake for Sunday?"}, "visibility": {"direct"}}, &dm)

	// The server makes each notification in its own time, the direct
	// message's too: wait for these two by their ids, not for a count.
	kinds := map[string]platforms.Notification{}
	waitfor.Holds(t, gtsPatience, "reply and mention among the notifications", func() bool {
		ns, _, err := shop.c.Notifications(ctx, "")
		if err != nil {
			return false
		}
		for _, n := range ns {
			if n.Post != nil {
				kinds[n.Post.Ref.ID] = n
			}
		}
		_, r := kinds[reply.ID]
		_, m := kinds[mention.ID]
		return r && m
	})
	if n := kinds[reply.ID]; n.Post == nil || n.Post.ReplyTo == nil || n.Post.ReplyTo.ID != ours.Ref.ID || n.Author.Handle != regular.Username {
		t.Errorf("the reply came as %+v", n)
	}
	if n := kinds[mention.ID]; n.Kind != platforms.NotifyMention || !strings.Contains(n.Post.Text, "Best bakery in town") {
		t.Errorf("the mention came as %+v", n)
	}

	var msgs []platforms.Message
	waitfor.Holds(t, gtsPatience, "direct message", func() bool {
		msgs, _, err = shop.c.Messages(ctx, "")
		return err == nil && len(msgs) >= 1
	})
	if len(msgs) != 1 || msgs[0].ID != dm.ID || msgs[0].FromMe || !strings.Contains(msgs[0].Text, "order a cake") {
		t.Fatalf("messages %+v", msgs)
	}
	answer, err := shop.c.SendMessage(ctx, msgs[0].ConversationID, "Yes, which one would you like?", liveKey(t, "dm"))
	if err != nil {
		t.Fatal(err)
	}
	// The answer reaches the regular: as a direct mention among their
	// notifications, and (GoToSocial updates conversations on a worker of
	// its own) as the last status of their conversation.
	waitfor.Holds(t, gtsPatience, "answer among the regular's notifications", func() bool {
		ns, _, _ := regular.c.Notifications(ctx, "")
		for _, n := range ns {
			if n.Post != nil && n.Post.Ref.ID == answer.ID {
				return true
			}
		}
		return false
	})
	var theirs []platforms.Message
	if err := waitfor.Wait(ctx, 30*time.Second, "the answer in the regular's conversations", func() (bool, string) {
		theirs, _, err = regular.c.Messages(ctx, "")
		return err == nil && slices.ContainsFunc(theirs, func(m platforms.Message) bool { return m.ID == answer.ID }),
			fmt.Sprintf("err %v: %+v", err, theirs)
	}); err != nil {
		// Seen once under CI load: the notification came, the
		// conversation kept the earlier status. Say so; the answer's
		// own fields are checked on the server below.
		t.Logf("GoToSocial had not moved the regular's conversation to the answer: %v", err)
		theirs = nil
	}
	for _, m := range theirs {
		if m.ID == answer.ID && (m.FromMe || !strings.Contains(m.Text, "which one would you like") || m.Author.Handle != shop.Username) {
			t.Errorf("the regular sees %+v", m)
		}
	}
	var st *gtstest.Status
	for _, s := range gts.Statuses(t, shop.token) {
		if s.ID == answer.ID {
			st = &s
		}
	}
	if st == nil || st.Visibility != "direct" || st.InReplyToID == nil || *st.InReplyToID != dm.ID ||
		!strings.HasPrefix(st.Text, "@"+regular.Username) {
		t.Errorf("the answer on the server: %+v, want direct, answering %s, mentioning %s", st, dm.ID, regular.Username)
	}

	// A public reply in the thread.
	r, err := shop.c.Publish(ctx, platforms.Post{Text: "@" + regular.Acct + " yes, it is!", ReplyTo: &platforms.Ref{ID: reply.ID},
		ThreadRoot: &ours.Ref, IdempotencyKey: liveKey(t, "r"), CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if st := onServer(t, gts, shop, "@"+regular.Acct+" yes, it is!"); len(st) != 1 || st[0].ID != r.Ref.ID || *st[0].InReplyToID != reply.ID {
		t.Errorf("the reply on the server: %+v", st)
	}
}

// TestLiveMetricsAndFollowers: favourites, boosts and replies counted on the
// server reach crier (GoToSocial has no batch read: it answers 405, and
// crier reads each status), and so does the follower count.
func TestLiveMetricsAndFollowers(t *testing.T) {
	gts, us := liveUsers(t, "counted", "fan", "critic")
	shop, fan, critic := us[0], us[1], us[2]
	ctx := context.Background()
	a, err := shop.c.Publish(ctx, platforms.Post{Text: "Counted post A", IdempotencyKey: liveKey(t, "a"), CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	b, err := shop.c.Publish(ctx, platforms.Post{Text: "Counted post B", IdempotencyKey: liveKey(t, "b"), CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if status, _, _ := gts.Call(shop.token, http.MethodGet, "/api/v1/statuses?id[]="+a.Ref.ID, nil); status != http.StatusMethodNotAllowed {
		t.Logf("GoToSocial now answers the batch read with %d (mastotest.GoToSocial says 405)", status)
	}
	for _, u := range []*liveUser{fan, critic} {
		if err := u.c.Like(ctx, a.Ref); err != nil {
			t.Fatal(err)
		}
	}
	if err := fan.c.Repost(ctx, a.Ref); err != nil {
		t.Fatal(err)
	}
	if err := critic.c.Like(ctx, b.Ref); err != nil {
		t.Fatal(err)
	}
	gts.API(t, critic.token, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"@" + shop.Acct + " hmm"}, "in_reply_to_id": {a.Ref.ID}}, nil)
	// New GoToSocial accounts are locked: a follow is a request until the
	// account approves it.
	for _, u := range []*liveUser{fan, critic} {
		gts.API(t, u.token, http.MethodPost, "/api/v1/accounts/"+shop.id+"/follow", url.Values{}, nil)
		gts.API(t, shop.token, http.MethodPost, "/api/v1/follow_requests/"+u.id+"/authorize", url.Values{}, nil)
	}

	var counts map[string]platforms.Counts
	waitfor.Holds(t, gtsPatience, "counters", func() bool {
		counts, err = shop.c.PostCounts(ctx, []platforms.Ref{a.Ref, b.Ref, {ID: "01ZZZZZZZZZZZZZZZZZZZZZZZZ"}})
		return err == nil && counts[a.Ref.ID].Replies == 1
	})
	if got, want := counts[a.Ref.ID], (platforms.Counts{Likes: 2, Reposts: 1, Replies: 1}); got != want {
		t.Errorf("post A counts %+v, want %+v", got, want)
	}
	if got, want := counts[b.Ref.ID], (platforms.Counts{Likes: 1}); got != want {
		t.Errorf("post B counts %+v, want %+v", got, want)
	}
	if len(counts) != 2 {
		t.Errorf("counts for %d posts, want 2 (an unknown id is left out)", len(counts))
	}
	var followers int
	waitfor.Holds(t, gtsPatience, "follower count", func() bool {
		followers, err = shop.c.Followers(ctx)
		return err == nil && followers == 2
	})
}

// TestLiveSearch: listening finds a hashtag in the tag's timeline; a search
// for words works where the server searches statuses.
func TestLiveSearch(t *testing.T) {
	gts, us := liveUsers(t, "listener", "talker")
	listener, talker := us[0], us[1]
	ctx := context.Background()
	var said gtstest.Status
	tag := fmt.Sprintf("sourdough%d", time.Now().UnixNano()%100000)
	gts.API(t, talker.token, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"Is #" + tag + " worth the effort? Asking for a friend"}, "visibility": {"public"}}, &said)
	var found []platforms.RemotePost
	var cursor string
	var err error
	waitfor.Holds(t, gtsPatience, "hashtag in the tag timeline", func() bool {
		found, cursor, err = listener.c.Search(ctx, "#"+tag, "")
		return err == nil && len(found) == 1
	})
	if found[0].Ref.ID != said.ID || found[0].Author.Handle != talker.Username || !strings.Contains(found[0].Text, "worth the effort") {
		t.Errorf("found %+v", found[0])
	}
	// From the cursor on, nothing new.
	again, _, err := listener.c.Search(ctx, "#"+tag, cursor)
	if err != nil || len(again) != 0 {
		t.Errorf("after the cursor: %+v, %v", again, err)
	}
	words, _, err := listener.c.Search(ctx, "worth the effort", "")
	t.Logf("a search for words on GoToSocial: %d found, %v", len(words), err)
}

// waitFor polls ok for up to 10 s: the server does some work (timelines,
// notifications) in the background after it has answered.
// gtsPatience bounds the waits for what GoToSocial does in the
// background; it is generous because a busy machine (the whole suite at
// once on two cores) slows its workers down, and only a server that never
// gets there should fail.
const gtsPatience = 60 * time.Second

// TestLiveStatusVisibleOnceAnswered measures what Reconcile's settle time
// is for: how long the server takes to make a status (the window in which
// a request that reached it is not yet among the account's statuses), and
// whether a status is listed as soon as the server has answered. Three
// accounts post at once, some with an image.
func TestLiveStatusVisibleOnceAnswered(t *testing.T) {
	gts, us := liveUsers(t, "busy", "busier", "busiest")
	const perAccount = 15
	type result struct {
		took    time.Duration
		visible bool
	}
	results := make(chan result, len(us)*perAccount)
	errs := make(chan error, len(us))
	img := realPNG(t, "loaf.png")
	for _, u := range us {
		go func(u *liveUser) {
			for i := range perAccount {
				p := platforms.Post{Text: fmt.Sprintf("busy morning %d", i), IdempotencyKey: liveKey(t, fmt.Sprint(u.Username, i)), CreatedAt: time.Now()}
				if i%3 == 0 {
					p.Images = []platforms.Image{{Path: img, AltText: "a loaf"}}
				}
				began := time.Now()
				pub, err := u.c.Publish(context.Background(), p)
				took := time.Since(began)
				if err != nil {
					errs <- err
					return
				}
				status, body, err := gts.Call(u.token, http.MethodGet, "/api/v1/accounts/"+u.id+"/statuses?limit=5", nil)
				results <- result{took: took, visible: err == nil && status == http.StatusOK && strings.Contains(string(body), pub.Ref.ID)}
			}
			errs <- nil
		}(u)
	}
	for range us {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	close(results)
	var took []time.Duration
	visible := 0
	for r := range results {
		took = append(took, r.took)
		if r.visible {
			visible++
		}
	}
	slices.Sort(took)
	t.Logf("GoToSocial made %d statuses (a third with an image, uploads included), three accounts at once: median %s, p99 %s, max %s; "+
		"listed among the account's statuses as soon as answered: %d of %d",
		len(took), took[len(took)/2].Round(time.Millisecond), took[len(took)*99/100].Round(time.Millisecond),
		took[len(took)-1].Round(time.Millisecond), visible, len(took))
	if visible != len(took) {
		t.Errorf("%d statuses were not listed right after the server answered", len(took)-visible)
	}
}

// TestLiveGoneAfterTheAuthorDeletes: a reply and a direct message their
// author deleted on GoToSocial are reported gone (the server answers 404
// to each; it has no batch read), and what still exists is not.
func TestLiveGoneAfterTheAuthorDeletes(t *testing.T) {
	gts, us := liveUsers(t, "shop", "regular")
	shop, regular := us[0], us[1]
	ctx := context.Background()
	ours, err := shop.c.Publish(ctx, platforms.Post{Text: "Pretzels today", IdempotencyKey: liveKey(t, "p"), CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var kept, deleted, dm gtstest.Status
	gts.API(t, regular.token, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"@" + shop.Acct + " lovely"}, "in_reply_to_id": {ours.Ref.ID}, "visibility": {"public"}}, &kept)
	gts.API(t, regular.token, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"@" + shop.Acct + " my order was wrong"}, "in_reply_to_id": {ours.Ref.ID}, "visibility": {"public"}}, &deleted)
	gts.API(t, regular.token, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"@" + shop.Acct + " call me back?"}, "visibility": {"direct"}}, &dm)
	refs := []platforms.Ref{{ID: kept.ID}, {ID: deleted.ID}, {ID: dm.ID}}
	if gone, err := shop.c.Gone(ctx, refs); err != nil || len(gone) != 0 {
		t.Fatalf("before any delete: gone %v, %v", gone, err)
	}
	for _, id := range []string{deleted.ID, dm.ID} {
		gts.API(t, regular.token, http.MethodDelete, "/api/v1/statuses/"+id, nil, nil)
	}
	var gone []string
	waitfor.Holds(t, gtsPatience, "both deletions seen", func() bool {
		gone, err = shop.c.Gone(ctx, refs)
		return err == nil && len(gone) == 2
	})
	slices.Sort(gone)
	want := []string{deleted.ID, dm.ID}
	slices.Sort(want)
	if !slices.Equal(gone, want) {
		t.Fatalf("gone %v, want %v (kept %s)", gone, want, kept.ID)
	}
	if n := shop.c.ChecksPerSync(); n != 10 {
		t.Errorf("checks per sync on a server without the batch read = %d, want 10", n)
	}
}
