package mastodon

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/crier-app/crier/platforms"
)

var _ platforms.PublicReader = (*Client)(nil)

// PublicProfile implements platforms.PublicReader with
// GET /api/v1/accounts/lookup.
func (c *Client) PublicProfile(ctx context.Context, handle string) (platforms.PublicProfile, error) {
	a, err := c.lookup(ctx, handle)
	if err != nil {
		return platforms.PublicProfile{}, err
	}
	return platforms.PublicProfile{DisplayName: a.DisplayName, Followers: platforms.CountOr(a.FollowersCount, 0),
		Following: platforms.CountOr(a.FollowingCount, 0), Posts: platforms.CountOr(a.StatusesCount, 0)}, nil
}

// AuthorFeed implements platforms.PublicReader with
// GET /api/v1/accounts/:id/statuses, boosts and replies left out; the
// cursor is the oldest status id of the page (max_id), so a page may
// hold fewer posts than asked when some were left out.
func (c *Client) AuthorFeed(ctx context.Context, handle, cursor string, limit int) ([]platforms.PublicPost, string, error) {
	a, err := c.lookup(ctx, handle)
	if err != nil {
		return nil, "", err
	}
	q := url.Values{"exclude_reblogs": {"true"}, "exclude_replies": {"true"}, "limit": {fmt.Sprint(min(max(limit, 1), 40))}}
	if cursor != "" {
		q.Set("max_id", cursor)
	}
	var sts []status
	if _, err := c.getJSON(ctx, "/api/v1/accounts/"+url.PathEscape(a.ID)+"/statuses", q, &sts); err != nil {
		return nil, "", err
	}
	out := make([]platforms.PublicPost, 0, len(sts))
	next := ""
	for i := range sts {
		s := &sts[i]
		next = s.ID
		// GoToSocial's exclude_replies keeps an account's replies to
		// itself; they are left out here as on Bluesky.
		if s.inReplyTo() != "" || s.Visibility != "" && s.Visibility != "public" && s.Visibility != "unlisted" {
			continue
		}
		out = append(out, platforms.PublicPost{RemotePost: *s.remotePost(),
			Counts: platforms.Counts{Likes: s.FavouritesCount, Reposts: s.ReblogsCount, Replies: s.RepliesCount, Quotes: s.QuotesCount}})
	}
	return out, next, nil
}

// lookup finds a public account by its handle: user (on this server),
// user@server, with or without a leading @.
func (c *Client) lookup(ctx context.Context, handle string) (account, error) {
	h := strings.TrimPrefix(strings.TrimSpace(handle), "@")
	if h == "" || strings.ContainsAny(h, " /") {
		return account{}, fmt.Errorf("%q is not a Mastodon handle (for example user@mastodon.social)", handle)
	}
	var a account
	_, err := c.getJSON(ctx, "/api/v1/accounts/lookup", url.Values{"acct": {h}}, &a)
	return a, err
}
