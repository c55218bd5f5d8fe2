package bluesky

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"maps"
	"time"

	"github.com/crier-app/crier/platforms"
)

const (
	// LikeCollection holds the account's likes.
	LikeCollection = "app.bsky.feed.like"
	// RepostCollection holds the account's reposts.
	RepostCollection = "app.bsky.feed.repost"
)

var (
	_ platforms.Reactor  = (*Client)(nil)
	_ platforms.Searcher = (*Client)(nil)
)

// Like implements platforms.Reactor by writing an app.bsky.feed.like
// record whose key is derived from the post (SubjectKey): a second Like
// finds the record there and writes nothing.
func (c *Client) Like(ctx context.Context, ref platforms.Ref) error {
	return c.react(ctx, LikeCollection, ref)
}

// Unlike implements platforms.Reactor by deleting the like Like wrote. A
// like made by another app, under a key of its own, is left alone.
func (c *Client) Unlike(ctx context.Context, ref platforms.Ref) error {
	return c.unreact(ctx, LikeCollection, ref)
}

// Repost implements platforms.Reactor as Like does, with an
// app.bsky.feed.repost record.
func (c *Client) Repost(ctx context.Context, ref platforms.Ref) error {
	return c.react(ctx, RepostCollection, ref)
}

// Unrepost implements platforms.Reactor by deleting the repost Repost wrote.
func (c *Client) Unrepost(ctx context.Context, ref platforms.Ref) error {
	return c.unreact(ctx, RepostCollection, ref)
}

// subjectEpoch is where the timestamps of SubjectKey's keys start.
var subjectEpoch = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()

// SubjectKey is the record key of the account's like or repost (by
// collection) of the post at uri. It is a TID, as the lexicons require,
// built from 50 bits of a hash: 40 for the microseconds after 2023-01-01
// (so within about 13 days of it) and 10 for the clock id. Nothing reads
// the time in it; the record's createdAt says when the like was made.
func SubjectKey(collection, uri string) string {
	h := sha256.Sum256([]byte("crier/bluesky/subject\x00" + collection + "\x00" + uri))
	n := binary.BigEndian.Uint64(h[:8])
	micros := uint64(subjectEpoch) + (n>>10)&(1<<40-1)
	return encodeTID(micros<<10 | n&0x3ff)
}

// react writes the like or repost record unless it is there already:
// putRecord with swapRecord null creates the record only where none is,
// and answers InvalidSwap otherwise.
func (c *Client) react(ctx context.Context, collection string, ref platforms.Ref) error {
	if ref.ID == "" || ref.CID == "" {
		return errorf("%s needs the uri and cid of the post", collection)
	}
	err := c.subjectRecord(ctx, "com.atproto.repo.putRecord", collection, ref, map[string]any{
		"record": map[string]any{
			"$type":     collection,
			"subject":   strongRef{URI: ref.ID, CID: ref.CID},
			"createdAt": createdAtString(c.now()),
		},
		"swapRecord": nil,
	})
	if errorName(err) == "InvalidSwap" {
		return nil // liked (or reposted) already
	}
	return retryable(err)
}

// unreact deletes the like or repost record; deleting a record that is not
// there succeeds.
func (c *Client) unreact(ctx context.Context, collection string, ref platforms.Ref) error {
	if ref.ID == "" {
		return errorf("%s: no post given", collection)
	}
	return retryable(c.subjectRecord(ctx, "com.atproto.repo.deleteRecord", collection, ref, nil))
}

// subjectRecord calls nsid (putRecord, deleteRecord) on the account's
// record of collection about ref, whose key SubjectKey derives; more adds
// to the call's input.
func (c *Client) subjectRecord(ctx context.Context, nsid, collection string, ref platforms.Ref, more map[string]any) error {
	sess, err := c.session(ctx)
	if err != nil {
		return err
	}
	input := map[string]any{"repo": sess.DID, "collection": collection, "rkey": SubjectKey(collection, ref.ID)}
	maps.Copy(input, more)
	return c.call(ctx, xrpcCall{nsid: nsid, procedure: true, input: input, auth: authAccess})
}

// retryable turns an unknown outcome into a transient error, for writes
// that are safe to repeat whatever happened.
func retryable(err error) error {
	var pe *platforms.Error
	if errors.As(err, &pe) && pe.Class == platforms.UnknownOutcome {
		cp := *pe
		cp.Class = platforms.Transient
		return &cp
	}
	return err
}
