package bluesky

import (
	"context"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/httpx"
)

// listPages walks an XRPC listing (httpx.Pages): x's query, 100 items a
// page, through send (Client.call, or chatCall for chat.bsky.*). Each page
// answers {"cursor": ..., list: [...]}; take sees each page's items and says
// whether to read on.
func listPages[T any](ctx context.Context, send func(context.Context, xrpcCall) error, x xrpcCall, list string,
	maxPages int, take func([]T) bool) error {
	fetch := func(cursor string) ([]T, string, error) {
		q := url.Values{"limit": {"100"}}
		for k, v := range x.query {
			q[k] = v
		}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var res map[string]json.RawMessage
		page := x
		page.query, page.out = q, &res
		if err := send(ctx, page); err != nil {
			return nil, "", err
		}
		var items []T
		var next string
		if raw, ok := res[list]; ok {
			if err := json.Unmarshal(raw, &items); err != nil {
				return nil, "", &platforms.Error{Class: platforms.Transient, Reason: "unreadable answer to " + x.nsid, Err: err}
			}
		}
		_ = json.Unmarshal(res["cursor"], &next)
		return items, next, nil
	}
	return httpx.Pages(maxPages, fetch, take)
}

// readOverlap reads listing x (listPages, maxPages at most) newest first
// back to pos (an overlapCursor), converting what is news, oldest first.
// stamp reads an item's id and the time it sorts by (false to skip it);
// conv turns an admitted item into what the caller returns (false to
// leave it out).
func readOverlap[T, R any](ctx context.Context, c *Client, x xrpcCall, list string, maxPages int, pos *overlapCursor,
	stamp func(T) (string, time.Time, bool), conv func(T, time.Time) (R, bool)) ([]R, error) {
	type stamped struct {
		r  R
		at time.Time
	}
	var found []stamped
	err := listPages(ctx, c.call, x, list, maxPages, func(page []T) bool {
		reachedOld := false
		for _, it := range page {
			id, at, ok := stamp(it)
			if !ok {
				continue
			}
			news, old := pos.admit(id, at)
			reachedOld = reachedOld || old
			if !news {
				continue
			}
			if r, ok := conv(it, at); ok {
				found = append(found, stamped{r, at})
			}
		}
		return !pos.empty() && !reachedOld
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].at.Before(found[j].at) })
	out := make([]R, len(found))
	for i, f := range found {
		out[i] = f.r
	}
	return out, nil
}

// overlapCursor is crier's position in a listing the AppView returns newest
// first but does not fill strictly in time order (notifications, search
// results): an item can show up a moment after a newer one, carrying the
// older time. As text it is the time of the newest item seen followed by the
// ids of the items seen within the overlap before it; the next read goes back
// that far and admits only what it has not admitted before. A cursor that is
// only a time means "strictly after it"; an empty one, "the latest page".
type overlapCursor struct {
	text    string
	overlap time.Duration
	since   time.Time // items at or before it are old (zero: none are)
	strict  bool      // since is exclusive of items at exactly that time
	newest  time.Time
	seen    map[string]time.Time // id → time, for the next window
}

func parseOverlapCursor(text string, overlap time.Duration) (*overlapCursor, bool) {
	c := &overlapCursor{text: text, overlap: overlap, seen: map[string]time.Time{}}
	if text == "" {
		return c, true
	}
	fields := strings.Fields(text)
	t, err := time.Parse(time.RFC3339Nano, fields[0])
	if err != nil {
		return nil, false
	}
	c.newest, c.since, c.strict = t, t, true
	if len(fields) > 1 {
		c.since, c.strict = t.Add(-overlap), false
		for _, id := range fields[1:] {
			c.seen[id] = t
		}
	}
	return c, true
}

// empty is true for a cursor that reads the latest page only.
func (c *overlapCursor) empty() bool { return c.text == "" }

// admit reports whether the item is news, and whether it is older than the
// window (the signal to stop paging back).
func (c *overlapCursor) admit(id string, at time.Time) (news, old bool) {
	if !c.since.IsZero() && (at.Before(c.since) || (c.strict && at.Equal(c.since))) {
		return false, true
	}
	if _, ok := c.seen[id]; ok {
		return false, false
	}
	c.seen[id] = at
	if at.After(c.newest) {
		c.newest = at
	}
	return true, false
}

// String is the cursor to store for the next read.
func (c *overlapCursor) String() string {
	if c.newest.IsZero() {
		return c.text
	}
	edge := c.newest.Add(-c.overlap)
	var ids []string
	for id, at := range c.seen {
		if !at.Before(edge) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return strings.Join(append([]string{c.newest.UTC().Format(time.RFC3339Nano)}, ids...), " ")
}
