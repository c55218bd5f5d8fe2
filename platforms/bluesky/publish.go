package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // aspect ratios of attached images
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crier-app/crier/platforms"
)

const (
	// MaxImages is the most images one post embeds (app.bsky.embed.images).
	MaxImages = 4
	// MaxBlobBytes is the largest image the PDS takes for a post.
	MaxBlobBytes = 2_000_000
	// MaxAltText is the longest alt text, in graphemes, the Bluesky app lets
	// a person write (the lexicon sets no limit; bluesky-social/social-app
	// src/lib/constants.ts MAX_ALT_TEXT).
	MaxAltText = 2000
	// ImageTypes are the image types crier sends as post images: the
	// lexicon accepts image/*, and these are the ones the app view shows.
	ImageTypes = "image/jpeg,image/png,image/gif,image/webp"
	// PostCollection is the collection posts are written to.
	PostCollection = "app.bsky.feed.post"
)

// Spec is Bluesky's: its limits are in its lexicon, not per server. A post
// is counted in grapheme clusters and, separately, UTF-8 bytes; an image
// needs alt text, as the Bluesky app asks for it.
func Spec() platforms.Spec {
	return platforms.Spec{
		Platform: Platform,
		Unit:     "graphemes",
		Limits: platforms.Limits{
			MaxChars:        MaxGraphemes,
			MaxBytes:        MaxBytes,
			MaxImages:       MaxImages,
			MaxImageBytes:   MaxBlobBytes,
			MaxAltText:      MaxAltText,
			ImageTypes:      ImageTypes,
			SupportsDMs:     true,
			SupportsQuotes:  true,
			Length:          postGraphemes,
			Bytes:           postBytes,
			AltTextRequired: true,
		},
		Direct: platforms.Limits{
			MaxChars: MaxMessageGraphemes,
			MaxBytes: MaxMessageBytes,
			Length:   messageGraphemes,
			Bytes:    messageBytes,
		},
	}
}

// A chat message is counted as it is sent: no link is shortened in it.
func messageGraphemes(text string) int {
	g, _ := Length(validText(text))
	return g
}

func messageBytes(text string) int {
	_, b := Length(validText(text))
	return b
}

// Limits implements platforms.Network: the Spec's, since nothing is per
// server.
func (c *Client) Limits(context.Context) (platforms.Limits, error) { return Spec().Limits, nil }

// Length implements platforms.Network: grapheme clusters of the post as
// it shows, its links shortened (PostLength).
func (c *Client) Length(text string) int { return postGraphemes(text) }

func postGraphemes(text string) int {
	g, _ := PostLength(text)
	return g
}

func postBytes(text string) int {
	_, b := PostLength(text)
	return b
}

// check refuses, before anything is sent, what the server would refuse:
// the limits hold for the text as the post shows it.
func (c *Client) check(p platforms.Post) error {
	l, _ := c.Limits(context.Background())
	shown := p
	shown.Text, _ = Display(validText(p.Text))
	if err := platforms.Validate(c, l, shown); err != nil {
		return err
	}
	if p.IdempotencyKey == "" {
		return errorf("the post has no idempotency key")
	}
	if p.CreatedAt.IsZero() {
		return errorf("the post has no creation time")
	}
	if _, ok := RecordKey(p.IdempotencyKey, p.CreatedAt); !ok {
		return errorf("creation time %s is outside what a record key can hold", p.CreatedAt.Format(time.RFC3339))
	}
	for i, im := range p.Images {
		fi, err := os.Stat(im.Path)
		if err != nil {
			return &platforms.Error{Class: platforms.Permanent, Reason: fmt.Sprintf("image %d: %v", i+1, err), Err: err}
		}
		if fi.Size() > MaxBlobBytes {
			return errorf("image %d is %d bytes; Bluesky takes at most %d bytes (2 MB) per image", i+1, fi.Size(), MaxBlobBytes)
		}
	}
	for _, r := range []*platforms.Ref{p.ReplyTo, p.ThreadRoot} {
		if r != nil && (r.ID == "" || r.CID == "") {
			return errorf("a reply needs the uri and cid of the post it answers")
		}
	}
	return nil
}

// postRecord is app.bsky.feed.post.
type postRecord struct {
	Type      string       `json:"$type"`
	Text      string       `json:"text"`
	Facets    []facetJSON  `json:"facets,omitempty"`
	Reply     *replyRef    `json:"reply,omitempty"`
	Embed     *imagesEmbed `json:"embed,omitempty"`
	Langs     []string     `json:"langs,omitempty"`
	CreatedAt string       `json:"createdAt"`
}

type strongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

type replyRef struct {
	Root   strongRef `json:"root"`
	Parent strongRef `json:"parent"`
}

type imagesEmbed struct {
	Type   string       `json:"$type"`
	Images []embedImage `json:"images"`
}

type embedImage struct {
	Image       json.RawMessage `json:"image"`
	Alt         string          `json:"alt"`
	AspectRatio *aspectRatio    `json:"aspectRatio,omitempty"`
}

type aspectRatio struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// createdAtString is the record's createdAt: RFC 3339, UTC, milliseconds.
func createdAtString(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// validText returns text as the server will receive it: encoding/json sends
// each invalid byte as U+FFFD, and facet offsets must count those.
func validText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}

// Publish implements platforms.Network. The record key is derived from the
// post's idempotency key and creation time, and the record from the post
// alone, so a retry writes the same record under the same key with
// putRecord: one post, however many attempts.
//
// A post with Conversation set is a chat message instead (see
// publishMessage), which has no such key: Reconcile finds it by reading
// the conversation.
func (c *Client) Publish(ctx context.Context, p platforms.Post) (platforms.Published, error) {
	if p.Conversation != "" {
		return c.publishMessage(ctx, p)
	}
	if err := c.check(p); err != nil {
		return platforms.Published{}, err
	}
	sess, err := c.session(ctx)
	if err != nil {
		return platforms.Published{}, err
	}
	rkey, _ := RecordKey(p.IdempotencyKey, p.CreatedAt)
	rec, ok := preparedRecord(p)
	if !ok {
		if rec, err = c.buildRecord(ctx, p); err != nil {
			return platforms.Published{}, err
		}
	}
	ref, err := c.putRecord(ctx, sess.DID, rkey, rec)
	if err != nil {
		return platforms.Published{}, err
	}
	return c.published(ref, rkey, p.CreatedAt), nil
}

// Prepare implements platforms.Preparer: the session, the facets (mentions
// looked up) and the images' blobs, before the post's time, so that
// Publish only writes the record. A chat message has nothing slow to do
// ahead.
func (c *Client) Prepare(ctx context.Context, p platforms.Post) (platforms.Post, error) {
	if p.Conversation != "" {
		return p, nil
	}
	if err := c.check(p); err != nil {
		return p, err
	}
	if _, err := c.session(ctx); err != nil {
		return p, err
	}
	rec, err := c.buildRecord(ctx, p)
	if err != nil {
		return p, err
	}
	p.Prepared = &prepared{key: p.IdempotencyKey, createdAt: p.CreatedAt, text: p.Text, images: len(p.Images), rec: rec}
	return p, nil
}

// prepared is a record built ahead by Prepare, and what it was built from.
type prepared struct {
	key       string
	createdAt time.Time
	text      string
	images    int
	rec       *postRecord
}

// preparedRecord is the record Prepare built for p, if it built one for
// this very post.
func preparedRecord(p platforms.Post) (*postRecord, bool) {
	pr, ok := p.Prepared.(*prepared)
	if !ok || pr.key != p.IdempotencyKey || !pr.createdAt.Equal(p.CreatedAt) || pr.text != p.Text || pr.images != len(p.Images) {
		return nil, false
	}
	return pr.rec, true
}

func (c *Client) published(ref platforms.Ref, rkey string, at time.Time) platforms.Published {
	c.mu.Lock()
	handle := ""
	if c.sess != nil {
		handle = c.sess.Handle
	}
	c.mu.Unlock()
	return platforms.Published{Ref: ref, URL: postURL(handle, ref.ID, rkey), At: at}
}

// postURL is the post's page on bsky.app.
func postURL(handle, uri, rkey string) string {
	who := handle
	if who == "" || who == "handle.invalid" {
		who = strings.TrimPrefix(uri, "at://")
		if i := strings.IndexByte(who, '/'); i >= 0 {
			who = who[:i]
		}
	}
	return "https://bsky.app/profile/" + who + "/post/" + rkey
}

// rkeyOf is the last path segment of an at:// URI.
func rkeyOf(uri string) string {
	if i := strings.LastIndexByte(uri, '/'); i >= 0 {
		return uri[i+1:]
	}
	return uri
}

// buildRecord makes the post record: its text as it shows (links
// shortened, each with a link facet carrying the whole URL, as the Bluesky
// app writes them), facets resolved, images uploaded.
func (c *Client) buildRecord(ctx context.Context, p platforms.Post) (*postRecord, error) {
	text, found := Display(validText(p.Text))
	facets, err := c.richFacets(ctx, found)
	if err != nil {
		return nil, err
	}
	rec := &postRecord{
		Type:      PostCollection,
		Text:      text,
		Facets:    facets,
		Langs:     c.langs,
		CreatedAt: createdAtString(p.CreatedAt),
	}
	if p.ReplyTo != nil {
		parent := strongRef{URI: p.ReplyTo.ID, CID: p.ReplyTo.CID}
		root := parent
		if p.ThreadRoot != nil {
			root = strongRef{URI: p.ThreadRoot.ID, CID: p.ThreadRoot.CID}
		}
		rec.Reply = &replyRef{Root: root, Parent: parent}
	}
	if len(p.Images) > 0 {
		embed := &imagesEmbed{Type: "app.bsky.embed.images"}
		for i, im := range p.Images {
			data, err := os.ReadFile(im.Path)
			if err != nil {
				return nil, &platforms.Error{Class: platforms.Permanent, Reason: fmt.Sprintf("image %d: %v", i+1, err), Err: err}
			}
			if len(data) > MaxBlobBytes {
				return nil, errorf("image %d is %d bytes; Bluesky takes at most %d bytes (2 MB) per image", i+1, len(data), MaxBlobBytes)
			}
			mime := im.Mime
			if mime == "" {
				mime = http.DetectContentType(data)
			}
			blob, err := c.uploadBlob(ctx, data, mime)
			if err != nil {
				return nil, err
			}
			ei := embedImage{Image: blob, Alt: im.AltText}
			if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil && cfg.Width > 0 && cfg.Height > 0 {
				ei.AspectRatio = &aspectRatio{Width: cfg.Width, Height: cfg.Height}
			}
			embed.Images = append(embed.Images, ei)
		}
		rec.Embed = embed
	}
	return rec, nil
}

// uploadBlob stores data on the PDS and returns the blob reference to embed.
// The same bytes give the same reference, so a retry builds the same record.
func (c *Client) uploadBlob(ctx context.Context, data []byte, mime string) (json.RawMessage, error) {
	var out struct {
		Blob json.RawMessage `json:"blob"`
	}
	err := c.call(ctx, xrpcCall{
		nsid:        "com.atproto.repo.uploadBlob",
		procedure:   true,
		raw:         data,
		contentType: mime,
		auth:        authAccess,
		out:         &out,
	})
	if err != nil {
		// Nothing refers to an orphan blob, and the PDS drops it: retrying
		// is safe whatever happened.
		var pe *platforms.Error
		if errors.As(err, &pe) && pe.Class == platforms.UnknownOutcome {
			cp := *pe
			cp.Class = platforms.Transient
			return nil, &cp
		}
		return nil, err
	}
	if len(out.Blob) == 0 {
		return nil, &platforms.Error{Class: platforms.Transient, Reason: "uploadBlob answered without a blob"}
	}
	return out.Blob, nil
}

// putRecord writes rec at rkey in the account's post collection.
func (c *Client) putRecord(ctx context.Context, did, rkey string, rec any) (platforms.Ref, error) {
	var out struct {
		URI string `json:"uri"`
		CID string `json:"cid"`
	}
	err := c.call(ctx, xrpcCall{
		nsid:      "com.atproto.repo.putRecord",
		procedure: true,
		input: map[string]any{
			"repo":       did,
			"collection": PostCollection,
			"rkey":       rkey,
			"record":     rec,
		},
		auth: authAccess,
		out:  &out,
	})
	if err != nil {
		return platforms.Ref{}, err
	}
	return platforms.Ref{ID: out.URI, CID: out.CID}, nil
}

// Reconcile implements platforms.Network: it looks for the record under the
// post's derived key, or for a chat message in p.Conversation (see
// reconcileMessage).
func (c *Client) Reconcile(ctx context.Context, p platforms.Post) (platforms.Published, bool, error) {
	if p.Conversation != "" {
		return c.reconcileMessage(ctx, p)
	}
	rkey, ok := RecordKey(p.IdempotencyKey, p.CreatedAt)
	if !ok || p.IdempotencyKey == "" {
		return platforms.Published{}, false, nil
	}
	sess, err := c.session(ctx)
	if err != nil {
		return platforms.Published{}, false, err
	}
	var out struct {
		URI   string `json:"uri"`
		CID   string `json:"cid"`
		Value struct {
			Text      string `json:"text"`
			CreatedAt string `json:"createdAt"`
		} `json:"value"`
	}
	err = c.call(ctx, xrpcCall{
		nsid: "com.atproto.repo.getRecord",
		query: url.Values{
			"repo":       {sess.DID},
			"collection": {PostCollection},
			"rkey":       {rkey},
		},
		auth: authAccess,
		out:  &out,
	})
	if notFound(err) {
		return platforms.Published{}, false, nil
	}
	if err != nil {
		return platforms.Published{}, false, err
	}
	// The text as it shows; or as written, as a crier before link
	// shortening wrote its records (a delivery left in flight across an
	// upgrade).
	shown, _ := Display(validText(p.Text))
	if out.Value.CreatedAt != createdAtString(p.CreatedAt) || out.Value.Text != shown && out.Value.Text != validText(p.Text) {
		// Another post derived the same key: never report it as this one.
		return platforms.Published{}, false, errorf("record key %s already holds a different post (%s)", rkey, out.URI)
	}
	return c.published(platforms.Ref{ID: out.URI, CID: out.CID}, rkey, p.CreatedAt), true, nil
}

// notFound reports whether err says the record does not exist.
func notFound(err error) bool {
	var pe *platforms.Error
	return errorName(err) == "RecordNotFound" || errors.As(err, &pe) && pe.Status == http.StatusNotFound
}
