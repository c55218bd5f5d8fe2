package mastodon

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/crier-app/crier/platforms"
)

// statusBatch is how many ids one GET /api/v1/statuses asks for.
const statusBatch = 20

// PostCounts implements platforms.MetricsReader with GET /api/v1/statuses
// (id[], Mastodon 4.3 and later), 20 ids a request. A server without it
// (404 before Mastodon 4.3, 405 on GoToSocial, 501) is remembered, and
// from then on each status is read on its own. Statuses the server no
// longer has are left out. A server that cannot give a single status
// either (405, 501) gets a Permanent error that says so.
func (c *Client) PostCounts(ctx context.Context, refs []platforms.Ref) (map[string]platforms.Counts, error) {
	out := make(map[string]platforms.Counts, len(refs))
	ids := uniqueIDs(refs)
	for batch := range slices.Chunk(ids, statusBatch) {
		sts, ok, err := c.statuses(ctx, batch)
		if err != nil {
			return nil, err
		}
		if ok {
			for i := range sts {
				out[sts[i].ID] = counts(&sts[i])
			}
			continue
		}
		for _, id := range batch {
			var st status
			_, err := c.getJSON(ctx, "/api/v1/statuses/"+url.PathEscape(id), nil, &st)
			pe := asError(err)
			switch {
			case pe != nil && (pe.Status == http.StatusNotFound || pe.Status == http.StatusGone):
				continue // deleted
			case pe != nil && (pe.Status == http.StatusMethodNotAllowed || pe.Status == http.StatusNotImplemented):
				return nil, &platforms.Error{Class: platforms.Permanent, Status: pe.Status,
					Reason: "the server does not give post counters (it refuses to read a status)", Err: err}
			case err != nil:
				return nil, err
			}
			out[st.ID] = counts(&st)
		}
	}
	return out, nil
}

// statuses reads the statuses of batch (at most statusBatch ids) with one
// GET /api/v1/statuses (id[], Mastodon 4.3 and later), leaving out those the
// server no longer has. ok is false on a server without that call (404,
// 405 on GoToSocial, 501), which is remembered: it is not asked again.
func (c *Client) statuses(ctx context.Context, batch []string) (sts []status, ok bool, err error) {
	if c.legacyLookups.Load() {
		return nil, false, nil
	}
	_, err = c.getJSON(ctx, "/api/v1/statuses", url.Values{"id[]": batch}, &sts)
	if unsupported(err) {
		c.legacyLookups.Store(true)
		return nil, false, nil
	}
	return sts, err == nil, err
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

// AccountHandle is the signed-in account as others write it:
// @user@domain, where domain is the server's account domain from its
// instance answer (a server may live at one address and name its accounts
// after another; GoToSocial in tests listens on localhost:PORT with
// accounts @user@localhost).
func (c *Client) AccountHandle(ctx context.Context) (string, error) {
	a, err := c.ownAccount(ctx)
	if err != nil {
		return "", err
	}
	if strings.Contains(a.Acct, "@") {
		return "@" + a.Acct, nil
	}
	var in instance
	_, err = c.getJSON(ctx, "/api/v2/instance", nil, &in)
	if pe := asError(err); pe != nil && pe.Status == http.StatusNotFound {
		in = instance{}
		_, err = c.getJSON(ctx, "/api/v1/instance", nil, &in)
	}
	if err != nil {
		return "", err
	}
	domain := in.Domain
	if domain == "" {
		domain = in.URI // v1
	}
	if domain == "" {
		domain = c.base.Hostname()
	}
	return "@" + a.Acct + "@" + domain, nil
}
