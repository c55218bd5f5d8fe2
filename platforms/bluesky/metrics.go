package bluesky

import (
	"context"
	"net/url"
	"slices"

	"github.com/crier-app/crier/platforms"
)

// getPostsBatch is the most URIs app.bsky.feed.getPosts takes at once.
const getPostsBatch = 25

// PostCounts implements platforms.MetricsReader with app.bsky.feed.getPosts,
// 25 posts a call. Posts the AppView no longer has are left out.
func (c *Client) PostCounts(ctx context.Context, refs []platforms.Ref) (map[string]platforms.Counts, error) {
	out := make(map[string]platforms.Counts, len(refs))
	for batch := range slices.Chunk(refs, getPostsBatch) {
		var uris []string
		for _, r := range batch {
			if r.ID != "" {
				uris = append(uris, r.ID)
			}
		}
		if len(uris) == 0 {
			continue
		}
		posts, err := c.getPosts(ctx, uris)
		if err != nil {
			return nil, err
		}
		for _, p := range posts {
			out[p.URI] = p.counts()
		}
	}
	return out, nil
}

// getPosts reads the posts of uris (getPostsBatch at most) with one
// app.bsky.feed.getPosts: the AppView answers with those it has, and
// leaves out the deleted ones.
func (c *Client) getPosts(ctx context.Context, uris []string) ([]postView, error) {
	var res struct {
		Posts []postView `json:"posts"`
	}
	err := c.call(ctx, xrpcCall{
		nsid:  "app.bsky.feed.getPosts",
		query: url.Values{"uris": uris},
		auth:  authAccess,
		out:   &res,
	})
	return res.Posts, err
}

// Followers implements platforms.MetricsReader with app.bsky.actor.getProfile.
func (c *Client) Followers(ctx context.Context) (int, error) {
	sess, err := c.session(ctx)
	if err != nil {
		return 0, err
	}
	var res profileView
	err = c.call(ctx, xrpcCall{
		nsid:  "app.bsky.actor.getProfile",
		query: url.Values{"actor": {sess.DID}},
		auth:  authAccess,
		out:   &res,
	})
	if err != nil {
		return 0, err
	}
	return platforms.CountOr(res.FollowersCount, 0), nil
}
