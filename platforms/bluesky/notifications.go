package bluesky

import (
	"context"
	"encoding/json"
	"net/url"
	"time"

	"github.com/crier-app/crier/platforms"
)

// notificationReasons are the notifications crier reads.
var notificationReasons = map[string]platforms.NotificationKind{
	"like":    platforms.NotifyLike,
	"repost":  platforms.NotifyRepost,
	"follow":  platforms.NotifyFollow,
	"mention": platforms.NotifyMention,
	"reply":   platforms.NotifyReply,
	"quote":   platforms.NotifyQuote,
}

// maxNotificationPages bounds one catch-up (100 notifications a page).
const maxNotificationPages = 20

type profileView struct {
	DID            string `json:"did"`
	Handle         string `json:"handle"`
	DisplayName    string `json:"displayName"`
	FollowersCount *int   `json:"followersCount"`
	FollowsCount   *int   `json:"followsCount"`
	PostsCount     *int   `json:"postsCount"`
}

func (p profileView) author() platforms.Author {
	return platforms.Author{ID: p.DID, Handle: p.Handle, Name: p.DisplayName, Followers: platforms.CountOr(p.FollowersCount, -1)}
}

type notificationView struct {
	URI           string          `json:"uri"`
	CID           string          `json:"cid"`
	Author        profileView     `json:"author"`
	Reason        string          `json:"reason"`
	ReasonSubject string          `json:"reasonSubject"`
	Record        json.RawMessage `json:"record"`
	IndexedAt     string          `json:"indexedAt"`
}

// anyRecord holds the fields crier reads from the records notifications
// carry: posts (text, reply, embed), likes and reposts (subject).
type anyRecord struct {
	Text      string          `json:"text"`
	CreatedAt string          `json:"createdAt"`
	Reply     *replyRef       `json:"reply"`
	Subject   json.RawMessage `json:"subject"`
	Embed     *struct {
		Type   string          `json:"$type"`
		Record json.RawMessage `json:"record"`
	} `json:"embed"`
}

// notificationOverlap is how far before the newest notification seen each
// fetch reads again. The AppView does not index notifications strictly in
// the order of their timestamps (a reply indexed a moment after a newer
// mention can carry the older time), so reading only what is newer than the
// newest seen would skip such a late arrival for good.
const notificationOverlap = 2 * time.Minute

// Notifications implements platforms.Notifier. Bluesky pages newest first
// with a cursor of its own, so crier's cursor is the indexedAt of the newest
// notification seen followed by the ids of those seen within
// notificationOverlap of it: the next fetch reads back that far and returns
// only what it has not returned before. A cursor that is only a time (no ids)
// means "strictly after it". An empty cursor reads the most recent page only.
func (c *Client) Notifications(ctx context.Context, cursor string) ([]platforms.Notification, string, error) {
	pos, ok := parseOverlapCursor(cursor, notificationOverlap)
	if !ok {
		return nil, cursor, errorf("notification cursor %q is not a time", cursor)
	}
	q := url.Values{"reasons": {"like", "repost", "follow", "mention", "reply", "quote"}}
	x := xrpcCall{nsid: "app.bsky.notification.listNotifications", query: q, auth: authAccess}
	out, err := readOverlap(ctx, c, x, "notifications", maxNotificationPages, pos,
		func(n notificationView) (string, time.Time, bool) {
			at, err := time.Parse(time.RFC3339Nano, n.IndexedAt)
			return n.URI, at, err == nil
		}, mapNotification)
	if err != nil {
		return nil, cursor, err
	}
	return out, pos.String(), nil
}

// mapNotification turns one listNotifications entry into crier's terms.
func mapNotification(n notificationView, at time.Time) (platforms.Notification, bool) {
	kind, ok := notificationReasons[n.Reason]
	if !ok {
		return platforms.Notification{}, false
	}
	note := platforms.Notification{ID: n.URI, Kind: kind, Author: n.Author.author(), At: at}
	var rec anyRecord
	_ = json.Unmarshal(n.Record, &rec)
	switch kind {
	case platforms.NotifyMention, platforms.NotifyReply, platforms.NotifyQuote:
		rp := &platforms.RemotePost{
			Ref:    platforms.Ref{ID: n.URI, CID: n.CID},
			URL:    postURL(n.Author.Handle, n.URI, rkeyOf(n.URI)),
			Text:   rec.Text,
			Author: note.Author,
		}
		if t, err := time.Parse(time.RFC3339Nano, rec.CreatedAt); err == nil {
			rp.CreatedAt = t
		} else {
			rp.CreatedAt = at
		}
		if rec.Reply != nil {
			rp.ReplyTo = &platforms.Ref{ID: rec.Reply.Parent.URI, CID: rec.Reply.Parent.CID}
			rp.Root = &platforms.Ref{ID: rec.Reply.Root.URI, CID: rec.Reply.Root.CID}
		}
		note.Post = rp
		switch {
		case kind == platforms.NotifyReply && rp.ReplyTo != nil:
			note.Subject = rp.ReplyTo
		case kind == platforms.NotifyQuote:
			note.Subject = quotedRef(rec)
			if note.Subject == nil && n.ReasonSubject != "" {
				note.Subject = &platforms.Ref{ID: n.ReasonSubject}
			}
		}
	case platforms.NotifyLike, platforms.NotifyRepost:
		var s strongRef
		if json.Unmarshal(rec.Subject, &s) == nil && s.URI != "" {
			note.Subject = &platforms.Ref{ID: s.URI, CID: s.CID}
		} else if n.ReasonSubject != "" {
			note.Subject = &platforms.Ref{ID: n.ReasonSubject}
		}
	}
	return note, true
}

// quotedRef finds the quoted post in an app.bsky.embed.record or
// app.bsky.embed.recordWithMedia embed.
func quotedRef(rec anyRecord) *platforms.Ref {
	if rec.Embed == nil || len(rec.Embed.Record) == 0 {
		return nil
	}
	var direct strongRef
	if json.Unmarshal(rec.Embed.Record, &direct) == nil && direct.URI != "" {
		return &platforms.Ref{ID: direct.URI, CID: direct.CID}
	}
	var nested struct {
		Record strongRef `json:"record"`
	}
	if json.Unmarshal(rec.Embed.Record, &nested) == nil && nested.Record.URI != "" {
		return &platforms.Ref{ID: nested.Record.URI, CID: nested.Record.CID}
	}
	return nil
}
