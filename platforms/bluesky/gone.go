package bluesky

import (
	"context"
	"net/url"
	"strings"

	"github.com/crier-app/crier/platforms"
)

// checksPerSync is four app.bsky.feed.getPosts calls.
const checksPerSync = 4 * getPostsBatch

// ChecksPerSync implements platforms.PostChecker.
func (c *Client) ChecksPerSync() int { return checksPerSync }

// Gone implements platforms.PostChecker with app.bsky.feed.getPosts, 25 a
// call: the AppView answers with the posts it has and leaves deleted ones
// out. Only post records are asked about; a chat message's id is not an
// at:// URI and is neither gone nor kept.
func (c *Client) Gone(ctx context.Context, refs []platforms.Ref) ([]string, error) {
	var uris []string
	seen := map[string]bool{}
	for _, r := range refs {
		if strings.HasPrefix(r.ID, "at://") && strings.Contains(r.ID, "/"+PostCollection+"/") && !seen[r.ID] {
			seen[r.ID] = true
			uris = append(uris, r.ID)
		}
	}
	var gone []string
	for start := 0; start < len(uris); start += getPostsBatch {
		batch := uris[start:min(start+getPostsBatch, len(uris))]
		var res struct {
			Posts []struct {
				URI string `json:"uri"`
			} `json:"posts"`
		}
		err := c.call(ctx, xrpcCall{
			nsid:  "app.bsky.feed.getPosts",
			query: url.Values{"uris": batch},
			auth:  authAccess,
			out:   &res,
		})
		if err != nil {
			return nil, err
		}
		there := make(map[string]bool, len(res.Posts))
		for _, p := range res.Posts {
			there[p.URI] = true
		}
		for _, u := range batch {
			if !there[u] {
				gone = append(gone, u)
			}
		}
	}
	return gone, nil
}
