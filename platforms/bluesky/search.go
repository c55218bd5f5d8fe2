package bluesky

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/crier-app/crier/platforms"
)

const (
	// searchOverlap is how far before the newest post seen each search
	// reads again: the search index takes posts in a little after they are
	// made, and orders them by when they were made.
	searchOverlap = 5 * time.Minute
	// maxSearchPages bounds one catch-up, in pages of 100.
	maxSearchPages = 10
)

// postView is the part of app.bsky.feed.defs#postView crier reads.
type postView struct {
	URI       string          `json:"uri"`
	CID       string          `json:"cid"`
	Author    profileView     `json:"author"`
	Record    json.RawMessage `json:"record"`
	IndexedAt string          `json:"indexedAt"`
	// The counters, where the AppView gives them (feeds and getPosts).
	LikeCount   int `json:"likeCount"`
	RepostCount int `json:"repostCount"`
	ReplyCount  int `json:"replyCount"`
	QuoteCount  int `json:"quoteCount"`
}

// counts are p's counters.
func (p postView) counts() platforms.Counts {
	return platforms.Counts{Likes: p.LikeCount, Reposts: p.RepostCount, Replies: p.ReplyCount, Quotes: p.QuoteCount}
}

// remotePost converts p; at is the time it sorts by.
func (p postView) remotePost() (platforms.RemotePost, time.Time, bool) {
	indexed, err := time.Parse(time.RFC3339Nano, p.IndexedAt)
	if err != nil || p.URI == "" {
		return platforms.RemotePost{}, time.Time{}, false
	}
	var rec anyRecord
	_ = json.Unmarshal(p.Record, &rec)
	rp := platforms.RemotePost{
		Ref:       platforms.Ref{ID: p.URI, CID: p.CID},
		URL:       postURL(p.Author.Handle, p.URI, rkeyOf(p.URI)),
		Text:      rec.Text,
		Author:    p.Author.author(),
		CreatedAt: indexed,
	}
	// The AppView sorts by the earlier of createdAt and indexedAt, so a
	// post dated in the future cannot jump the queue.
	at := indexed
	if t, err := time.Parse(time.RFC3339Nano, rec.CreatedAt); err == nil {
		rp.CreatedAt = t
		if t.Before(at) {
			at = t
		}
	}
	if rec.Reply != nil {
		rp.ReplyTo = &platforms.Ref{ID: rec.Reply.Parent.URI, CID: rec.Reply.Parent.CID}
		rp.Root = &platforms.Ref{ID: rec.Reply.Root.URI, CID: rec.Reply.Root.CID}
	}
	return rp, at, true
}

// Search implements platforms.Searcher with app.bsky.feed.searchPosts,
// newest first (sort=latest). The query goes as it is: Bluesky's search
// takes words, "#tag", "from:handle" and the like itself.
//
// The cursor is, as for Notifications, the time of the newest post seen
// followed by the URIs of the posts seen within searchOverlap of it; the
// next search reads back that far and returns only what it has not
// returned. An empty cursor reads the most recent page only. One call reads
// at most maxSearchPages pages; anything older than that in a burst is
// skipped.
func (c *Client) Search(ctx context.Context, query, cursor string) ([]platforms.RemotePost, string, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, cursor, errorf("an empty search")
	}
	pos, ok := parseOverlapCursor(cursor, searchOverlap)
	if !ok {
		return nil, cursor, errorf("search cursor %q is not a time", cursor)
	}
	x := xrpcCall{nsid: "app.bsky.feed.searchPosts", query: url.Values{"q": {query}, "sort": {"latest"}},
		auth: authAccess}
	out, err := readOverlap(ctx, c, x, "posts", maxSearchPages, pos,
		func(pv postView) (string, time.Time, bool) {
			_, at, ok := pv.remotePost()
			return pv.URI, at, ok
		},
		func(pv postView, _ time.Time) (platforms.RemotePost, bool) {
			rp, _, ok := pv.remotePost()
			return rp, ok
		})
	if err != nil {
		return nil, cursor, err
	}
	return out, pos.String(), nil
}
