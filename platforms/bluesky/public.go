package bluesky

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/crier-app/crier/platforms"
)

var _ platforms.PublicReader = (*Client)(nil)

// PublicProfile implements platforms.PublicReader with
// app.bsky.actor.getProfile.
func (c *Client) PublicProfile(ctx context.Context, handle string) (platforms.PublicProfile, error) {
	actor, err := publicActor(handle)
	if err != nil {
		return platforms.PublicProfile{}, err
	}
	var res profileView
	err = c.call(ctx, xrpcCall{
		nsid:  "app.bsky.actor.getProfile",
		query: url.Values{"actor": {actor}},
		auth:  authAccess,
		out:   &res,
	})
	if err != nil {
		return platforms.PublicProfile{}, err
	}
	return platforms.PublicProfile{DisplayName: res.DisplayName, Followers: platforms.CountOr(res.FollowersCount, 0),
		Following: platforms.CountOr(res.FollowsCount, 0), Posts: platforms.CountOr(res.PostsCount, 0)}, nil
}

// AuthorFeed implements platforms.PublicReader with
// app.bsky.feed.getAuthorFeed (filter posts_no_replies): the account's own
// posts, its reposts left out.
func (c *Client) AuthorFeed(ctx context.Context, handle, cursor string, limit int) ([]platforms.PublicPost, string, error) {
	actor, err := publicActor(handle)
	if err != nil {
		return nil, "", err
	}
	q := url.Values{"actor": {actor}, "filter": {"posts_no_replies"}, "limit": {fmt.Sprint(min(max(limit, 1), 100))}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var res struct {
		Cursor string `json:"cursor"`
		Feed   []struct {
			Post   postView `json:"post"`
			Reason *struct {
				Type string `json:"$type"`
			} `json:"reason"`
		} `json:"feed"`
	}
	err = c.call(ctx, xrpcCall{
		nsid:  "app.bsky.feed.getAuthorFeed",
		query: q,
		auth:  authAccess,
		out:   &res,
	})
	if err != nil {
		return nil, "", err
	}
	out := make([]platforms.PublicPost, 0, len(res.Feed))
	for _, it := range res.Feed {
		// A repost (or a pin) carries a reason; the post is someone
		// else's or shown again out of order.
		if it.Reason != nil || !strings.EqualFold(it.Post.Author.Handle, actor) && it.Post.Author.DID != actor {
			continue
		}
		rp, _, ok := it.Post.remotePost()
		if !ok {
			continue
		}
		out = append(out, platforms.PublicPost{RemotePost: rp, Counts: it.Post.counts()})
	}
	if len(res.Feed) == 0 {
		return out, "", nil
	}
	return out, res.Cursor, nil
}

// publicActor is a handle as getProfile takes it: without a leading @.
func publicActor(handle string) (string, error) {
	h := strings.TrimPrefix(strings.TrimSpace(handle), "@")
	if h == "" || strings.ContainsAny(h, " /") {
		return "", errorf("%q is not a Bluesky handle (for example bakery.bsky.social)", handle)
	}
	return strings.ToLower(h), nil
}
