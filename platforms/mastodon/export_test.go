package mastodon

import (
	"context"
	"time"
)

// Internals under test from package mastodon_test.
var (
	HTMLToText     = htmlToText
	ParseLinks     = parseLinks
	ComparableText = comparableText
)

// LinkTarget is where a client for base sends a request for a Link
// header's link.
func LinkTarget(base, link string) (string, error) {
	return New(base, "").target(call{method: "GET", rawURL: link})
}

// SettleLeft is how long Reconcile of key would wait, were its search to
// begin now.
func SettleLeft(c *Client, key string) time.Duration { return c.settleLeft(key, c.now()) }

// WithSleep replaces Reconcile's settle wait, so tests can see what it
// waits for, and move a fake clock by it, without waiting.
func WithSleep(f func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.sleep = f }
}
