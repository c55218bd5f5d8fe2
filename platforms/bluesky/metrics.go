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
		q := url.Values{}
		for _, r := range batch {
			if r.ID != "" {
				q.Add("uris", r.ID)
			}
		}
		if len(q) == 0 {
			continue
		}
		var res struct {
			Posts []struct {
				URI         string `json:"uri"`
				LikeCount   int    `json:"likeCount"`
				RepostCount int    `json:"repostCount"`
				ReplyCount  int    `json:"replyCount"`
				QuoteCount  int    `json:"quoteCount"`
			} `json:"posts"`
		}
		err := c.call(ctx, xrpcCall{
			nsid:  "app.bsky.feed.getPosts",
			query: q,
			auth:  authAccess,
			out:   &res,
		})
		if err != nil {
			return nil, err
		}
		for _, p := range res.Posts {
			out[p.URI] = platforms.Counts{Likes: p.LikeCount, Reposts: p.RepostCount, Replies: p.ReplyCount, Quotes: p.QuoteCount}
		}
	}
	return out, nil
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
