package mastodon

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/crier-app/crier/platforms"
)

// searchPage is the most statuses one search or tag timeline page holds.
const searchPage = 40

// Search implements platforms.Searcher. A query that is one hashtag
// ("#bakery") reads the tag's timeline, GET /api/v1/timelines/tag/:hashtag,
// which every server keeps. Any other query goes to GET /api/v2/search with
// type=statuses: that needs the read:search scope, and it finds posts only
// on servers running full-text search (Elasticsearch or OpenSearch), and
// there only public posts whose authors allow search; elsewhere it answers
// an empty list, which is not an error.
//
// The cursor is the newest status id seen. With it, the tag timeline is
// read forward from the cursor; search results (newest first, at most 40 a
// page) are read in the gaps between the cursor and the pages already seen
// until every gap is shorter than a page or maxPages requests have been
// made.
func (c *Client) Search(ctx context.Context, query, cursor string) ([]platforms.RemotePost, string, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, cursor, &platforms.Error{Class: platforms.Permanent, Reason: "an empty search"}
	}
	var sts []status
	var err error
	if tag, ok := hashtag(query); ok {
		q := url.Values{"limit": {fmt.Sprint(searchPage)}}
		_, err = walkNewer(ctx, c, "/api/v1/timelines/tag/"+url.PathEscape(tag), q, cursor, func(page []status) string {
			sts = append(sts, page...)
			return newestID(page, statusID)
		})
	} else {
		sts, err = c.searchStatuses(ctx, query, cursor)
	}
	if err != nil {
		return nil, cursor, err
	}
	slices.SortFunc(sts, func(a, b status) int { return CompareIDs(a.ID, b.ID) })
	out := make([]platforms.RemotePost, 0, len(sts))
	next := cursor
	for i := range sts {
		st := &sts[i]
		if st.ID == "" || (len(out) > 0 && out[len(out)-1].Ref.ID == st.ID) {
			continue
		}
		if cursor != "" && !idLess(cursor, st.ID) {
			continue // a server that ignored the bound
		}
		out = append(out, *st.remotePost())
		next = st.ID
	}
	return out, next, nil
}

func statusID(s status) string { return s.ID }

// hashtag returns the tag of a query that is a single hashtag.
func hashtag(query string) (string, bool) {
	tag, ok := strings.CutPrefix(query, "#")
	if !ok || tag == "" {
		return "", false
	}
	for _, r := range tag {
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
			return "", false
		}
	}
	return tag, true
}

// searchStatuses reads GET /api/v2/search for statuses after cursor.
// Mastodon orders search results newest first and applies min_id and max_id
// as bounds, so a full page may leave a gap below it (between the cursor
// and its oldest) and above it; both gaps are read in turn. A page holding
// anything outside its bounds means the server ignores them, and its gaps
// are not read.
func (c *Client) searchStatuses(ctx context.Context, query, cursor string) ([]status, error) {
	type gap struct{ after, before string } // exclusive; "" is open
	todo := []gap{{after: cursor}}
	var out []status
	for n := 0; len(todo) > 0 && n < maxPages; n++ {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		q := url.Values{"q": {query}, "type": {"statuses"}, "limit": {fmt.Sprint(searchPage)}}
		if g.after != "" {
			q.Set("min_id", g.after)
		}
		if g.before != "" {
			q.Set("max_id", g.before)
		}
		var res struct {
			Statuses []status `json:"statuses"`
		}
		if _, err := c.getJSON(ctx, "/api/v2/search", q, &res); err != nil {
			return nil, err
		}
		out = append(out, res.Statuses...)
		if cursor == "" || len(res.Statuses) < searchPage {
			continue
		}
		lo, hi := res.Statuses[0].ID, res.Statuses[0].ID
		bounded := true
		for _, st := range res.Statuses {
			if (g.after != "" && !idLess(g.after, st.ID)) || (g.before != "" && !idLess(st.ID, g.before)) {
				bounded = false
			}
			if idLess(st.ID, lo) {
				lo = st.ID
			}
			if idLess(hi, st.ID) {
				hi = st.ID
			}
		}
		if bounded {
			todo = append(todo, gap{after: hi, before: g.before}, gap{after: g.after, before: lo})
		}
	}
	return out, nil
}
