package bluesky

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
)

// notificationFeed serves listNotifications newest first, pageSize a page,
// with an opaque cursor as the AppView does.
func notificationFeed(all []map[string]any, pageSize int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			start, _ = strconv.Atoi(strings.TrimPrefix(c, "page-"))
		}
		end := min(start+pageSize, len(all))
		res := map[string]any{"notifications": all[start:end]}
		if end < len(all) {
			res["cursor"] = fmt.Sprint("page-", end)
		}
		writeJSON(w, res)
	}
}

func notif(i int, reason string, record map[string]any) map[string]any {
	at := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	return map[string]any{
		"uri":       fmt.Sprintf("at://did:plc:bob/x/%d", i),
		"cid":       fmt.Sprint("bafy", i),
		"author":    map[string]any{"did": "did:plc:bob", "handle": "bob.test", "displayName": "Bob"},
		"reason":    reason,
		"record":    record,
		"isRead":    false,
		"indexedAt": at.Format("2006-01-02T15:04:05.000Z"),
	}
}

func TestNotifications(t *testing.T) {
	f := newFakePDS(t)
	mine := map[string]any{"uri": "at://" + fakeDID + "/app.bsky.feed.post/3mine", "cid": "bafymine"}
	var all []map[string]any // newest first
	for i := 9; i >= 0; i-- {
		switch i % 5 {
		case 0:
			all = append(all, notif(i, "like", map[string]any{"$type": "app.bsky.feed.like", "subject": mine}))
		case 1:
			all = append(all, notif(i, "repost", map[string]any{"$type": "app.bsky.feed.repost", "subject": mine}))
		case 2:
			all = append(all, notif(i, "follow", map[string]any{"$type": "app.bsky.graph.follow", "subject": fakeDID}))
		case 3:
			all = append(all, notif(i, "reply", map[string]any{"$type": "app.bsky.feed.post", "text": "nice",
				"createdAt": "2025-05-01T11:59:00.000Z", "reply": map[string]any{"root": mine, "parent": mine}}))
		case 4:
			all = append(all, notif(i, "quote", map[string]any{"$type": "app.bsky.feed.post", "text": "look",
				"embed": map[string]any{"$type": "app.bsky.embed.record", "record": mine}}))
		}
	}
	f.handle("app.bsky.notification.listNotifications", notificationFeed(all, 3))
	c := f.client()

	// No cursor: the latest page only.
	got, cursor, err := c.Notifications(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].ID != "at://did:plc:bob/x/7" || got[2].ID != "at://did:plc:bob/x/9" {
		t.Fatalf("first read: %v", ids(got))
	}
	if first, _ := time.Parse(time.RFC3339Nano, strings.Fields(cursor)[0]); first.Format("2006-01-02T15:04:05.000Z") != all[0]["indexedAt"] {
		t.Errorf("cursor %q, want the newest indexedAt %v", cursor, all[0]["indexedAt"])
	}
	q := f.last("app.bsky.notification.listNotifications").query
	if !strings.Contains(q, "limit=100") || !strings.Contains(q, "reasons=mention") || !strings.Contains(q, "reasons=quote") {
		t.Errorf("query %s", q)
	}

	// From an older cursor: pages back until past it, oldest first.
	got, cursor, err = c.Notifications(context.Background(), all[8]["indexedAt"].(string)) // i == 1
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 8 || got[0].ID != "at://did:plc:bob/x/2" || got[7].ID != "at://did:plc:bob/x/9" {
		t.Fatalf("catch-up: %v", ids(got))
	}
	for i := 1; i < len(got); i++ {
		if got[i].At.Before(got[i-1].At) {
			t.Errorf("not oldest first: %v", ids(got))
		}
	}
	byKind := map[platforms.NotificationKind]platforms.Notification{}
	for _, n := range got {
		byKind[n.Kind] = n
	}
	if n := byKind[platforms.NotifyLike]; n.Subject == nil || n.Subject.ID != mine["uri"] || n.Subject.CID != "bafymine" || n.Author.Handle != "bob.test" {
		t.Errorf("like %+v", n)
	}
	if n := byKind[platforms.NotifyRepost]; n.Subject == nil || n.Subject.ID != mine["uri"] {
		t.Errorf("repost %+v", n)
	}
	if n := byKind[platforms.NotifyFollow]; n.Author.ID != "did:plc:bob" || n.Post != nil {
		t.Errorf("follow %+v", n)
	}
	if n := byKind[platforms.NotifyReply]; n.Post == nil || n.Post.Text != "nice" || n.Post.ReplyTo == nil ||
		n.Post.ReplyTo.ID != mine["uri"] || n.Post.Root.CID != "bafymine" || n.Subject.ID != mine["uri"] ||
		n.Post.URL != "https://bsky.app/profile/bob.test/post/8" {
		t.Errorf("reply %+v %+v", n, n.Post)
	}
	if n := byKind[platforms.NotifyQuote]; n.Post == nil || n.Post.Text != "look" || n.Subject == nil || n.Subject.ID != mine["uri"] {
		t.Errorf("quote %+v", n)
	}

	// Nothing new: nothing returned, cursor unchanged.
	got, again, err := c.Notifications(context.Background(), cursor)
	if err != nil || len(got) != 0 || again != cursor {
		t.Errorf("no news: %v %q %v", ids(got), again, err)
	}
}

func ids(ns []platforms.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

func TestPostCountsBatchesOf25(t *testing.T) {
	f := newFakePDS(t)
	f.handle("app.bsky.feed.getPosts", func(w http.ResponseWriter, r *http.Request) {
		uris := r.URL.Query()["uris"]
		if len(uris) > 25 {
			writeXRPCError(w, 400, "InvalidRequest", "too many uris")
			return
		}
		var posts []map[string]any
		for _, u := range uris {
			if strings.HasSuffix(u, "/gone") {
				continue
			}
			n, _ := strconv.Atoi(u[strings.LastIndexByte(u, '/')+1:])
			posts = append(posts, map[string]any{"uri": u, "likeCount": n, "repostCount": 1, "replyCount": 2, "quoteCount": 3})
		}
		writeJSON(w, map[string]any{"posts": posts})
	})
	c := f.client()
	var refs []platforms.Ref
	for i := range 60 {
		refs = append(refs, platforms.Ref{ID: fmt.Sprintf("at://%s/app.bsky.feed.post/%d", fakeDID, i)})
	}
	refs = append(refs, platforms.Ref{ID: "at://" + fakeDID + "/app.bsky.feed.post/gone"})
	got, err := c.PostCounts(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 60 || f.count("app.bsky.feed.getPosts") != 3 {
		t.Fatalf("%d counts in %d calls", len(got), f.count("app.bsky.feed.getPosts"))
	}
	if c := got[refs[42].ID]; c != (platforms.Counts{Likes: 42, Reposts: 1, Replies: 2, Quotes: 3}) {
		t.Errorf("counts %+v", c)
	}
}

func TestMessagesWithoutDMAccess(t *testing.T) {
	f := newFakePDS(t)
	f.handle("chat.bsky.convo.listConvos", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("atproto-proxy") != ChatProxy {
			writeXRPCError(w, 400, "InvalidRequest", "no proxy header")
			return
		}
		writeXRPCError(w, 400, "InvalidToken", "Bad token method")
	})
	c := f.client()
	_, _, err := c.Messages(context.Background(), "")
	pe := asError(t, err)
	if pe.Class != platforms.Permanent || !strings.Contains(pe.Reason, "Allow access to your direct messages") {
		t.Fatalf("err %v", err)
	}
	if _, refreshes := f.stats(); refreshes != 0 {
		t.Errorf("a DM refusal spent the refresh token")
	}
}

func TestMessagesWithoutChatService(t *testing.T) {
	f := newFakePDS(t)
	f.handle("chat.bsky.convo.listConvos", func(w http.ResponseWriter, r *http.Request) {
		writeXRPCError(w, 400, "InvalidRequest", "could not resolve proxy did")
	})
	_, _, err := f.client().Messages(context.Background(), "")
	if pe := asError(t, err); pe.Class != platforms.Permanent || !strings.Contains(pe.Reason, "chat service") {
		t.Fatalf("err %v", err)
	}
}

func TestMessagesAndSend(t *testing.T) {
	f := newFakePDS(t)
	msg := func(id, sender string, minute int) map[string]any {
		return map[string]any{
			"$type": "chat.bsky.convo.defs#messageView", "id": id, "rev": id, "text": "m" + id,
			"sender": map[string]string{"did": sender},
			"sentAt": time.Date(2025, 5, 1, 12, minute, 0, 0, time.UTC).Format("2006-01-02T15:04:05.000Z"),
		}
	}
	f.handle("chat.bsky.convo.listConvos", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"convos": []any{map[string]any{
			"id": "convo1", "rev": "1", "unreadCount": 1,
			"members":     []any{map[string]any{"did": fakeDID, "handle": "me.test"}, map[string]any{"did": "did:plc:bob", "handle": "bob.test", "displayName": "Bob"}},
			"lastMessage": msg("3", "did:plc:bob", 3),
		}}})
	})
	f.handle("chat.bsky.convo.getMessages", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"messages": []any{
			msg("3", "did:plc:bob", 3),
			map[string]any{"$type": "chat.bsky.convo.defs#deletedMessageView", "id": "2", "sender": map[string]string{"did": "did:plc:bob"}, "sentAt": "2025-05-01T12:02:00.000Z"},
			msg("1", fakeDID, 1),
		}})
	})
	f.handle("chat.bsky.convo.sendMessage", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, msg("4", fakeDID, 4))
	})
	c := f.client()
	got, cursor, err := c.Messages(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "1" || !got[0].FromMe || got[1].Author.Handle != "bob.test" || got[1].FromMe || got[1].ConversationID != "convo1" {
		t.Fatalf("messages %+v", got)
	}
	if cursor != "2025-05-01T12:03:00.000Z" {
		t.Errorf("cursor %q", cursor)
	}
	if got, _, _ := c.Messages(context.Background(), cursor); len(got) != 0 {
		t.Errorf("nothing new, got %+v", got)
	}
	m, err := c.SendMessage(context.Background(), "convo1", "hello", "k1")
	if err != nil || m.ID != "4" || !m.FromMe {
		t.Fatalf("SendMessage = %+v, %v", m, err)
	}
	if body := string(f.last("chat.bsky.convo.sendMessage").body); !strings.Contains(body, `"convoId":"convo1"`) {
		t.Errorf("sendMessage body %s", body)
	}
}

// A notification the AppView indexes late, with a time before the newest one
// already read, still arrives, once.
func TestNotificationsLateArrival(t *testing.T) {
	f := newFakePDS(t)
	mine := map[string]any{"uri": "at://did:plc:alice/app.bsky.feed.post/1", "cid": "bafymine"}
	like := func(i int) map[string]any {
		return notif(i, "like", map[string]any{"$type": "app.bsky.feed.like", "subject": mine})
	}
	feed := []map[string]any{like(5), like(3)} // newest first, as the API pages
	f.handle("app.bsky.notification.listNotifications", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"notifications": feed})
	})
	c := f.client()
	ctx := context.Background()
	got, cursor, err := c.Notifications(ctx, "")
	if err != nil || len(got) != 2 {
		t.Fatalf("first read: %v %v", ids(got), err)
	}
	// x/4 shows up late, a minute older than the newest already seen.
	feed = []map[string]any{like(5), like(4), like(3)}
	got, cursor, err = c.Notifications(ctx, cursor)
	if err != nil || len(got) != 1 || got[0].ID != "at://did:plc:bob/x/4" {
		t.Fatalf("late arrival: %v %v", ids(got), err)
	}
	got, _, err = c.Notifications(ctx, cursor)
	if err != nil || len(got) != 0 {
		t.Fatalf("nothing new, got %v %v", ids(got), err)
	}
}
