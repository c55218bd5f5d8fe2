package mastodon

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/crier-app/crier/platforms"
)

// ChecksPerSync implements platforms.PostChecker: two batch reads on a
// server with GET /api/v1/statuses; on one without, each status is a
// request of its own, so fewer (300 requests per 5 minutes is the limit).
func (c *Client) ChecksPerSync() int {
	if c.legacyLookups.Load() {
		return 10
	}
	return 2 * statusBatch
}

// Gone implements platforms.PostChecker. A status its author deleted
// answers 404 (410 on some servers) to GET /api/v1/statuses/:id. The batch
// read (4.3 and later) leaves out what it cannot show, deleted or not, so
// it only narrows down which statuses to ask about one by one.
func (c *Client) Gone(ctx context.Context, refs []platforms.Ref) ([]string, error) {
	ids := uniqueIDs(refs)
	var gone []string
	for batch := range slices.Chunk(ids, statusBatch) {
		missing, err := c.missingFromBatch(ctx, batch)
		if err != nil {
			return nil, err
		}
		for _, id := range missing {
			var st status
			_, err := c.getJSON(ctx, "/api/v1/statuses/"+url.PathEscape(id), nil, &st)
			if pe := asError(err); pe != nil && (pe.Status == http.StatusNotFound || pe.Status == http.StatusGone) {
				gone = append(gone, id)
				continue
			}
			if err != nil {
				return nil, err
			}
		}
	}
	return gone, nil
}

// missingFromBatch returns the ids of batch that GET /api/v1/statuses does
// not return; on a server without that call (404, 405 on GoToSocial, 501),
// all of them.
func (c *Client) missingFromBatch(ctx context.Context, batch []string) ([]string, error) {
	sts, ok, err := c.statuses(ctx, batch)
	if err != nil {
		return nil, err
	}
	if !ok {
		return batch, nil
	}
	there := make(map[string]bool, len(sts))
	for _, st := range sts {
		there[st.ID] = true
	}
	var missing []string
	for _, id := range batch {
		if !there[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}
