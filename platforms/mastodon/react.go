package mastodon

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/crier-app/crier/platforms"
)

var (
	_ platforms.Reactor       = (*Client)(nil)
	_ platforms.Searcher      = (*Client)(nil)
	_ platforms.ReplyPrefixer = (*Client)(nil)
)

// Like implements platforms.Reactor: POST /api/v1/statuses/:id/favourite
// (scope write:favourites). The server answers a repeat with the status as
// it is, so a retry never makes a second favourite.
func (c *Client) Like(ctx context.Context, ref platforms.Ref) error {
	return c.statusAction(ctx, ref, "favourite")
}

// Unlike implements platforms.Reactor: POST .../unfavourite, which succeeds
// when there is no favourite to take back.
func (c *Client) Unlike(ctx context.Context, ref platforms.Ref) error {
	return c.statusAction(ctx, ref, "unfavourite")
}

// Repost implements platforms.Reactor: POST .../reblog (scope
// write:statuses). A repeat returns the existing boost.
func (c *Client) Repost(ctx context.Context, ref platforms.Ref) error {
	return c.statusAction(ctx, ref, "reblog")
}

// Unrepost implements platforms.Reactor: POST .../unreblog.
func (c *Client) Unrepost(ctx context.Context, ref platforms.Ref) error {
	return c.statusAction(ctx, ref, "unreblog")
}

// statusAction POSTs /api/v1/statuses/:id/action. These actions are
// idempotent on the server, so a lost answer is an ordinary transient
// failure, not an unknown outcome.
func (c *Client) statusAction(ctx context.Context, ref platforms.Ref, action string) error {
	if ref.ID == "" {
		return &platforms.Error{Class: platforms.Permanent, Reason: action + ": no status given"}
	}
	// A 403 here is "This action is not allowed" (the status may not be
	// boosted: private, or its author blocks us), not a reason to sign in
	// again; httpError tells it from a token without the scope.
	_, err := c.do(ctx, call{method: http.MethodPost,
		path: "/api/v1/statuses/" + url.PathEscape(ref.ID) + "/" + action})
	return err
}

// ReplyPrefix is how a reply to to begins on Mastodon: a mention of its
// author ("@user" on the same server, "@user@domain" elsewhere). The server
// notifies only whom a status mentions, so a reply without it reaches the
// thread but not the person. Publish does not add it: the composer starts
// the reply with it, where the user sees it and Length counts it.
func ReplyPrefix(to platforms.Author) string {
	acct := strings.TrimPrefix(strings.TrimSpace(to.Handle), "@")
	if acct == "" {
		return ""
	}
	return "@" + acct + " "
}

// ReplyPrefix implements platforms.ReplyPrefixer with the package's
// ReplyPrefix.
func (c *Client) ReplyPrefix(to platforms.Author) string { return ReplyPrefix(to) }
