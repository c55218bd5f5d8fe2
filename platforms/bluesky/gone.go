package bluesky

import (
	"context"
	"slices"
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
	for batch := range slices.Chunk(uris, getPostsBatch) {
		posts, err := c.getPosts(ctx, batch)
		if err != nil {
			return nil, err
		}
		there := make(map[string]bool, len(posts))
		for _, p := range posts {
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
