package feeds

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/crier-app/crier/store"
)

// Options tune a sync. The zero value works: default limits, no images
// saved, links as the feed wrote them.
type Options struct {
	// Client fetches; nil means one with Timeout and MaxRedirects.
	Client       *http.Client
	Timeout      time.Duration // whole request; 0 means DefaultTimeout
	MaxRedirects int           // 0 means DefaultMaxRedirects
	MaxBytes     int64         // a feed's size limit; 0 means DefaultMaxBytes
	// ImageDir is where entries' images are saved and attached to their
	// drafts from; "" attaches none (the entry keeps its image's URL).
	ImageDir      string
	MaxImageBytes int64 // 0 means DefaultMaxImageBytes
	// FirstFetchDrafts is how many of a feed's newest entries become
	// drafts on its first successful fetch; the older ones are only noted
	// as seen. 0 means 3; -1 none.
	FirstFetchDrafts int
	// Tag rewrites an entry's link before it goes into the draft (a
	// campaign's UTM tags: issue 13); nil leaves links as they are.
	Tag       func(link string, campaignID int64, feed string) string
	UserAgent string // "" means "crier (feeds)"
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.Client == nil {
		o.Client = newClient(o.Timeout, o.MaxRedirects)
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxImageBytes <= 0 {
		o.MaxImageBytes = DefaultMaxImageBytes
	}
	if o.FirstFetchDrafts == 0 {
		o.FirstFetchDrafts = 3
	}
	if o.UserAgent == "" {
		o.UserAgent = "crier (feeds)"
	}
	return o
}

// Result is what a sync did with one feed.
type Result struct {
	Feed        string
	New         int     // entries not seen before
	Drafts      []int64 // the drafts made of them
	Queued      []int64 // of those, the ones queued into free slots (a feed set to fill the queue)
	NotModified bool    // the server said nothing changed
	// Err is why the fetch failed (it is also recorded on the feed);
	// Problems are what went wrong with single entries (an image, a slot).
	Err      error
	Problems []string
}

// Sync fetches every feed in the store (see store.UpsertFeed) and turns its
// new entries into drafts. A feed that fails is recorded on the feed and in
// its Result; the error is only for the store failing.
func Sync(ctx context.Context, st *store.Store, o Options, now time.Time) ([]Result, error) {
	fs, err := st.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	o = o.withDefaults()
	out := make([]Result, 0, len(fs))
	for _, f := range fs {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		r, err := syncFeed(ctx, st, f, o, now)
		if err != nil {
			return out, fmt.Errorf("feed %q: %w", f.Name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// SyncFeed is Sync for one feed.
func SyncFeed(ctx context.Context, st *store.Store, f store.Feed, o Options, now time.Time) (Result, error) {
	return syncFeed(ctx, st, f, o.withDefaults(), now)
}

func syncFeed(ctx context.Context, st *store.Store, f store.Feed, o Options, now time.Time) (Result, error) {
	r := Result{Feed: f.Name}
	resp, err := get(ctx, o.Client, f.URL, f.ETag, f.LastModified,
		"application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1", o.UserAgent, o.MaxBytes)
	if err == nil && resp.notModified {
		r.NotModified = true
		return r, st.RecordFeedFetch(ctx, f.ID, store.FeedFetch{NotModified: true}, now)
	}
	var parsed Parsed
	if err == nil {
		base, _ := url.Parse(f.URL)
		parsed, err = Parse(resp.body, base)
	}
	if err != nil {
		if ctx.Err() != nil {
			return r, ctx.Err()
		}
		r.Err = fmt.Errorf("feed %q (%s): %w", f.Name, f.URL, err)
		return r, st.RecordFeedFetch(ctx, f.ID, store.FeedFetch{Err: r.Err}, now)
	}

	// Oldest first, so drafts are made in the order the feed wrote them. A
	// feed without dates lists its newest first, as feeds do.
	entries := slices.Clone(parsed.Entries)
	if slices.ContainsFunc(entries, func(e Entry) bool { return !e.Published.IsZero() }) {
		slices.SortStableFunc(entries, func(a, b Entry) int { return a.Published.Compare(b.Published) })
	} else {
		slices.Reverse(entries)
	}
	draftFrom := 0
	if f.OKAt.IsZero() {
		draftFrom = len(entries) - max(0, o.FirstFetchDrafts)
	}
	for i, e := range entries {
		seen, err := st.FeedEntrySeen(ctx, f.ID, e.ID)
		if err != nil {
			return r, err
		}
		if seen {
			continue
		}
		r.New++
		var draft *store.Post
		if i >= draftFrom {
			draft = o.draftFor(ctx, f, e, &r)
		}
		id, added, err := st.AddFeedEntry(ctx, store.FeedEntry{
			FeedID: f.ID, EntryID: e.ID, Title: e.Title, Link: e.Link, Image: e.Image, PublishedAt: e.Published,
		}, draft, now)
		if err != nil {
			return r, err
		}
		if !added || id == 0 {
			continue
		}
		r.Drafts = append(r.Drafts, id)
		if f.FillQueue {
			if _, err := st.AddToQueue(ctx, id, now); err != nil {
				r.Problems = append(r.Problems, fmt.Sprintf("%q stays a draft: %v", shorten(e.Title, 60), err))
				continue
			}
			r.Queued = append(r.Queued, id)
		}
	}
	if err := st.RecordFeedFetch(ctx, f.ID, store.FeedFetch{Title: parsed.Title, ETag: resp.etag, LastModified: resp.lastModified}, now); err != nil {
		return r, err
	}
	if len(r.Problems) > 0 {
		if err := st.NoteFeedProblem(ctx, f.ID, strings.Join(r.Problems, "; ")); err != nil {
			return r, err
		}
	}
	return r, nil
}

// draftFor makes the draft of an entry: its title, then its link (tagged
// for the feed's campaign), and its image, saved to ImageDir. An image
// that can't be had is a problem of the entry, not of the feed.
func (o Options) draftFor(ctx context.Context, f store.Feed, e Entry, r *Result) *store.Post {
	link := e.Link
	if link != "" && o.Tag != nil {
		link = o.Tag(link, f.CampaignID, f.Name)
	}
	var parts []string
	if e.Title != "" {
		parts = append(parts, e.Title)
	}
	if link != "" {
		parts = append(parts, link)
	}
	p := &store.Post{Body: strings.Join(parts, "\n\n"), CampaignID: f.CampaignID, Labels: []string{"feed"}}
	for _, a := range f.Accounts {
		p.Targets = append(p.Targets, store.Target{AccountID: a})
	}
	// A queued post's image needs its description (Bluesky asks for one);
	// a draft's gets one from the person before it can be queued.
	if e.Image != "" && o.ImageDir != "" && (!f.FillQueue || e.ImageAlt != "") {
		m, err := o.saveImage(ctx, f, e)
		if err != nil {
			r.Problems = append(r.Problems, fmt.Sprintf("the image of %q: %v", shorten(e.Title, 60), err))
		} else {
			p.Media = []store.Media{m}
		}
	}
	return p
}

// saveImage fetches an entry's image into ImageDir under a name made from
// its URL (so a second sync finds it there).
func (o Options) saveImage(ctx context.Context, f store.Feed, e Entry) (store.Media, error) {
	resp, err := get(ctx, o.Client, e.Image, "", "", "image/*", o.UserAgent, o.MaxImageBytes)
	if err != nil {
		return store.Media{}, fmt.Errorf("%s: %w", e.Image, err)
	}
	mime := http.DetectContentType(resp.body)
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}[mime]
	if ext == "" {
		return store.Media{}, fmt.Errorf("%s is not a JPEG, PNG, GIF or WebP image (it reads as %s)", e.Image, mime)
	}
	sum := sha256.Sum256([]byte(e.Image))
	path := filepath.Join(o.ImageDir, fmt.Sprintf("feed%d-%s%s", f.ID, hex.EncodeToString(sum[:8]), ext))
	if err := os.MkdirAll(o.ImageDir, 0o700); err != nil {
		return store.Media{}, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, resp.body, 0o600); err != nil {
		return store.Media{}, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return store.Media{}, err
	}
	return store.Media{Path: path, Mime: mime, AltText: e.ImageAlt}, nil
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// IsTooLarge reports whether err is about a feed or image over its limit.
func IsTooLarge(err error) bool { return errors.Is(err, ErrTooLarge) }
