package mastodon

import (
	"context"
	"net/http"
	"net/url"

	"github.com/crier-app/crier/platforms"
)

// statusBatch is how many ids one GET /api/v1/statuses asks for.
const statusBatch = 20

// PostCounts implements platforms.MetricsReader with GET /api/v1/statuses
// (id[], 4.3 and later), 20 ids a request. A server that answers 404 there
// predates it; from then on each status is read on its own. Statuses the
// server no longer has are left out.
func (c *Client) PostCounts(ctx context.Context, refs []platforms.Ref) (map[string]platforms.Counts, error) {
	out := make(map[string]platforms.Counts, len(refs))
	var ids []string
	seen := map[string]bool{}
	for _, r := range refs {
		if r.ID != "" && !seen[r.ID] {
			seen[r.ID] = true
			ids = append(ids, r.ID)
		}
	}
	for start := 0; start < len(ids); start += statusBatch {
		batch := ids[start:min(start+statusBatch, len(ids))]
		c.mu.Lock()
		legacy := c.legacyLookups
		c.mu.Unlock()
		if !legacy {
			var sts []status
			_, err := c.getJSON(ctx, "/api/v1/statuses", url.Values{"id[]": batch}, &sts)
			if err == nil {
				for i := range sts {
					out[sts[i].ID] = counts(&sts[i])
				}
				continue
			}
			if pe := asError(err); pe == nil || pe.Status != http.StatusNotFound {
				return nil, err
			}
			c.mu.Lock()
			c.legacyLookups = true
			c.mu.Unlock()
		}
		for _, id := range batch {
			var st status
			_, err := c.getJSON(ctx, "/api/v1/statuses/"+url.PathEscape(id), nil, &st)
			if pe := asError(err); pe != nil && (pe.Status == http.StatusNotFound || pe.Status == http.StatusGone) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out[st.ID] = counts(&st)
		}
	}
	return out, nil
}

func counts(st *status) platforms.Counts {
	return platforms.Counts{
		Likes:   st.FavouritesCount,
		Reposts: st.ReblogsCount,
		Replies: st.RepliesCount,
		Quotes:  st.QuotesCount,
	}
}

// Followers implements platforms.MetricsReader.
func (c *Client) Followers(ctx context.Context) (int, error) {
	a, err := c.ownAccount(ctx)
	if err != nil {
		return 0, err
	}
	if a.FollowersCount == nil {
		return 0, &platforms.Error{Class: platforms.Transient, Reason: "the server did not say the follower count"}
	}
	return *a.FollowersCount, nil
}

// Whoami returns the signed-in account, for confirming a new token works and
// for naming the account in config.
func (c *Client) Whoami(ctx context.Context) (platforms.Author, error) {
	a, err := c.ownAccount(ctx)
	if err != nil {
		return platforms.Author{}, err
	}
	return a.author(), nil
}
