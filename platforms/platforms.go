// Package platforms is the contract between crier and the social networks.
// Each network lives in a sub-package that implements Network (and the
// optional interfaces where it has the feature). This package and its
// sub-packages import nothing else of crier.
package platforms

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Limits are what a network accepts in one post, read from the server where
// the server says them.
type Limits struct {
	MaxChars    int // in the network's own units (see Network.Length)
	MaxBytes    int // 0 when the network sets no byte limit
	CharsPerURL int // 0 when URLs count as their own length
	MaxImages   int
	// MinImages is how many images a post needs at the least: 0 where
	// text alone is a post, 1 where every post is a picture (an Instagram
	// feed post).
	MinImages      int
	MaxAltText     int // 0 when unknown
	MaxImageBytes  int64
	MaxImagePixels int64 // width times height; 0 when the network sets no limit
	// ImageTypes are the image MIME types the network takes, comma-separated
	// ("image/jpeg,image/png"); "" when it did not say.
	ImageTypes     string
	SupportsDMs    bool
	SupportsQuotes bool
	// Length, when set, counts text as this account's server does against
	// MaxChars: servers of one network may count differently (Mastodon
	// counts a link as CharsPerURL, GoToSocial as written). Nil means the
	// network's usual counting.
	Length func(text string) int
	// Bytes, when set, counts text against MaxBytes as the network does
	// (Bluesky counts the post as it shows, its links shortened); nil
	// means its UTF-8 bytes as written.
	Bytes func(text string) int
	// Approximate is set when crier does not know how the server counts:
	// Length is a best guess, and a text near the limit may be refused.
	Approximate bool
	// AltTextLength counts alt text against MaxAltText as the network does
	// (Mastodon counts code points); nil means grapheme clusters.
	AltTextLength func(alt string) int
	// AltTextRequired: an image without alt text is refused (by the
	// network, or by crier's client for it as the network's app does).
	AltTextRequired bool
}

// Count is text's length against MaxChars: by Length where it is set,
// else in grapheme clusters.
func (l Limits) Count(text string) int {
	if l.Length != nil {
		return l.Length(text)
	}
	return Graphemes(text)
}

// ByteCount is text's size against MaxBytes: by Bytes where it is set,
// else its UTF-8 bytes.
func (l Limits) ByteCount(text string) int {
	if l.Bytes != nil {
		return l.Bytes(text)
	}
	return len(text)
}

// AltLength is alt's length against MaxAltText.
func (l Limits) AltLength(alt string) int {
	if l.AltTextLength != nil {
		return l.AltTextLength(alt)
	}
	return Graphemes(alt)
}

// Spec is what crier knows of a network before any account's server has
// said its own values: how a post is counted and in what units, what it may
// carry, and how a reply begins. Each network's package exports its own
// (mastodon.Spec, bluesky.Spec, sandbox.Spec), and nobody else keeps a copy
// of its numbers; a network with rules of its own says them here, in its
// Limits, rather than in special cases elsewhere.
type Spec struct {
	// Platform is the network's name, as Network.Platform says it.
	Platform string
	// Unit names what Limits.Length counts, for a counter: "chars",
	// "graphemes".
	Unit string
	// Limits are the network's usual limits, with its usual counting in
	// Limits.Length (never nil in a network's Spec).
	Limits Limits
	// ReplyPrefix is the text a reply to someone starts with on this
	// network (Mastodon's mention of the author, without which the author
	// is not notified); nil where there is none.
	ReplyPrefix func(to Author) string
	// Direct are the limits of a direct message where it is not a post
	// (Bluesky's chat takes 1,000 graphemes, a post 300); zero where a
	// direct message is a post like any other (Mastodon's direct status).
	Direct Limits
}

// For is the limits of what answers an item: a direct message's where
// the network has its own (Spec.Direct), else lim, the post's.
func (s Spec) For(direct bool, lim Limits) Limits {
	if direct && s.Direct.MaxChars > 0 {
		return s.Direct
	}
	return lim
}

// With is what an account of the network may post once its server has
// answered Network.Limits with server: the server's values where it gave
// them, the network's usual ones where it did not (a zero number, an empty
// list, a nil counter). The server's counting comes with its CharsPerURL,
// since that is how it counts links; its Approximate and Supports flags
// are its own. An image needs alt text where either says so.
func (s Spec) With(server Limits) Limits {
	l := s.Limits
	pick := func(srv, def int) int {
		if srv > 0 {
			return srv
		}
		return def
	}
	pick64 := func(srv, def int64) int64 {
		if srv > 0 {
			return srv
		}
		return def
	}
	l.MaxChars = pick(server.MaxChars, l.MaxChars)
	l.MaxBytes = pick(server.MaxBytes, l.MaxBytes)
	l.MaxImages = pick(server.MaxImages, l.MaxImages)
	l.MinImages = pick(server.MinImages, l.MinImages)
	l.MaxAltText = pick(server.MaxAltText, l.MaxAltText)
	l.MaxImageBytes = pick64(server.MaxImageBytes, l.MaxImageBytes)
	l.MaxImagePixels = pick64(server.MaxImagePixels, l.MaxImagePixels)
	if server.ImageTypes != "" {
		l.ImageTypes = server.ImageTypes
	}
	if server.Length != nil {
		l.Length, l.CharsPerURL = server.Length, server.CharsPerURL
	}
	if server.AltTextLength != nil {
		l.AltTextLength = server.AltTextLength
	}
	if server.Bytes != nil {
		l.Bytes = server.Bytes
	}
	l.AltTextRequired = l.AltTextRequired || server.AltTextRequired
	l.Approximate = server.Approximate
	l.SupportsDMs, l.SupportsQuotes = server.SupportsDMs, server.SupportsQuotes
	return l
}

// Image is a picture attached to a post.
type Image struct {
	Path    string
	Mime    string
	AltText string
}

// Ref points at a post on the network (for replies and threads).
type Ref struct {
	ID  string // the network's id (a Mastodon status id, a Bluesky at:// URI)
	CID string // Bluesky content hash; empty elsewhere
}

// Post is one thing to publish on one account.
type Post struct {
	Text       string
	Images     []Image
	ReplyTo    *Ref // the post this answers; nil for a new post
	ThreadRoot *Ref // the first post of the thread, when ReplyTo is set
	// Conversation, when set, makes the post a direct message in that
	// conversation (a Mastodon conversation id, a Bluesky chat convo id),
	// answering ReplyTo where the network threads messages. Only networks
	// that implement DirectMessenger accept it.
	Conversation   string
	IdempotencyKey string
	CreatedAt      time.Time // frozen before the first attempt
	// Claimed, when set, reports whether a post on the account (by its
	// network id) is already recorded as another of crier's posts.
	// Reconcile on a network that finds a post by what it carries rather
	// than by its key must pass over those: two posts may carry the same
	// text (a daily post, an announcement queued twice), and taking one's
	// status for the other's would leave the other never sent.
	Claimed func(ctx context.Context, id string) (bool, error)
	// Prepared is what a Preparer made of this post before its time, for
	// its Publish to use; nil when it was not prepared. Only the network
	// that made it reads it.
	Prepared any
}

// ClaimedElsewhere asks Claimed (when set) whether the post id on the
// account is already another of crier's. Not knowing is a transient error
// (what names the kind of post, for its reason): a guess either way could
// send twice or never.
func (p Post) ClaimedElsewhere(ctx context.Context, id, what string) (bool, error) {
	if p.Claimed == nil {
		return false, nil
	}
	taken, err := p.Claimed(ctx, id)
	if err != nil {
		return false, &Error{Class: Transient, Reason: "could not read which " + what + " crier already recorded", Err: err}
	}
	return taken, nil
}

// Published is what the network made of a post.
type Published struct {
	Ref Ref
	URL string
	At  time.Time
}

// Network is one account on one social network.
type Network interface {
	// Platform is the network's name ("mastodon", "bluesky", "sandbox").
	Platform() string
	// Limits reports what the account may post, as its server says where
	// it says it (see Spec.With for filling in what it does not), with
	// Length set where the server counts in a way of its own.
	Limits(ctx context.Context) (Limits, error)
	// Length counts text as the account's server does against
	// Limits.MaxChars (as the network usually does until Limits has
	// asked it).
	Length(text string) int
	// Publish sends a post. It must be safe to call again with the same
	// IdempotencyKey after an unclear outcome: the network makes one post.
	Publish(ctx context.Context, p Post) (Published, error)
	// Reconcile answers whether a post with this key already landed.
	Reconcile(ctx context.Context, p Post) (Published, bool, error)
}

// Preparer is a Network that can do the slow part of a post before its
// time (its images uploaded, its mentions looked up, its session renewed),
// so that at its time only the write that makes the post is left. Prepare
// returns the post with that work in Prepared, which Publish then uses
// instead of doing it again; nothing it does shows on the network. A post
// that failed to prepare is published whole, and meets the failure there.
type Preparer interface {
	Prepare(ctx context.Context, p Post) (Post, error)
}

// Validate checks a post against limits before anything is sent, counting
// as the limits say (Limits.Length, else the network's Length) and alt text
// as they say (Limits.AltLength).
func Validate(n Network, l Limits, p Post) error {
	if l.MaxChars > 0 {
		count := n.Length
		if l.Length != nil {
			count = l.Length
		}
		if got := count(p.Text); got > l.MaxChars {
			return &Error{Class: Permanent, Reason: fmt.Sprintf("%d characters, the limit is %d", got, l.MaxChars)}
		}
	}
	if got := l.ByteCount(p.Text); l.MaxBytes > 0 && got > l.MaxBytes {
		return &Error{Class: Permanent, Reason: fmt.Sprintf("%d bytes, the limit is %d", got, l.MaxBytes)}
	}
	if l.MaxImages >= 0 && len(p.Images) > l.MaxImages {
		return &Error{Class: Permanent, Reason: fmt.Sprintf("%d images, the limit is %d", len(p.Images), l.MaxImages)}
	}
	if len(p.Images) < l.MinImages {
		return &Error{Class: Permanent, Reason: fmt.Sprintf("%d images; this network needs at least %d", len(p.Images), l.MinImages)}
	}
	for i, im := range p.Images {
		if l.AltTextRequired && strings.TrimSpace(im.AltText) == "" {
			return &Error{Class: Permanent, Reason: fmt.Sprintf("image %d has no alt text, which this network requires", i+1)}
		}
		if got := l.AltLength(im.AltText); l.MaxAltText > 0 && got > l.MaxAltText {
			return &Error{Class: Permanent, Reason: fmt.Sprintf("image %d: alt text is %d characters, the limit is %d", i+1, got, l.MaxAltText)}
		}
	}
	return nil
}

// Class says what the scheduler may do after an error.
type Class int

const (
	// Transient errors are safe to retry as they are.
	Transient Class = iota
	// RateLimited errors carry the time after which to retry.
	RateLimited
	// Permanent errors will fail again; the reason is the server's.
	Permanent
	// UnknownOutcome means the request may have landed: reconcile first.
	UnknownOutcome
)

func (c Class) String() string {
	switch c {
	case Transient:
		return "transient"
	case RateLimited:
		return "rate-limited"
	case Permanent:
		return "permanent"
	case UnknownOutcome:
		return "unknown outcome"
	}
	return fmt.Sprintf("class(%d)", int(c))
}

// Error is an error from a network, classified for the scheduler.
type Error struct {
	Class   Class
	RetryAt time.Time // for RateLimited
	Reauth  bool      // for Permanent: the user must sign in again
	Status  int       // HTTP status, when there was one
	Reason  string    // the server's words, or ours
	Err     error     // the underlying error, if any
}

func (e *Error) Error() string {
	msg := e.Reason
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Status != 0 {
		msg = fmt.Sprintf("%s (HTTP %d)", msg, e.Status)
	}
	if e.Class == RateLimited && !e.RetryAt.IsZero() {
		msg += "; retry after " + e.RetryAt.UTC().Format(time.RFC3339)
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// ClassOf returns the class of err; errors that are not *Error are treated
// as an unknown outcome, the safe assumption for a publish.
func ClassOf(err error) Class {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Class
	}
	return UnknownOutcome
}

// Author is who wrote something on a network.
type Author struct {
	ID        string // the network's id (Mastodon account id, Bluesky DID)
	Handle    string
	Name      string
	Followers int // -1 when the network didn't say
}

// CountOr is the count a network answered in a field it may leave out (a
// JSON number read into *int): *n, or unknown where it did not say.
func CountOr(n *int, unknown int) int {
	if n == nil {
		return unknown
	}
	return *n
}

// RemotePost is someone's post as a network returns it.
type RemotePost struct {
	Ref       Ref
	URL       string
	Text      string // plain text (HTML already turned into text); untrusted
	Author    Author
	CreatedAt time.Time
	ReplyTo   *Ref // the post it answers, if any
	Root      *Ref // the first post of its thread, if it is a reply
}

// NotificationKind is what a notification is about.
type NotificationKind string

const (
	NotifyMention NotificationKind = "mention"
	NotifyReply   NotificationKind = "reply"
	NotifyQuote   NotificationKind = "quote"
	NotifyLike    NotificationKind = "like"
	NotifyRepost  NotificationKind = "repost"
	NotifyFollow  NotificationKind = "follow"
)

// Notification is one event on the account. Post is set for mentions,
// replies and quotes; Subject is our post that was liked, reposted, replied
// to or quoted, when the network says which.
type Notification struct {
	ID      string
	Kind    NotificationKind
	Author  Author
	Post    *RemotePost
	Subject *Ref
	At      time.Time
}

// Notifier is implemented by networks that can list notifications.
type Notifier interface {
	// Notifications returns what happened after cursor ("" for the most
	// recent page only), oldest first, and the cursor to pass next time.
	// Where a network can deliver late arrivals from before the cursor, it
	// may return some notifications again: callers drop repeats by ID.
	Notifications(ctx context.Context, cursor string) ([]Notification, string, error)
}

// Message is one direct message.
type Message struct {
	ID             string
	ConversationID string
	Author         Author
	Text           string // untrusted
	At             time.Time
	FromMe         bool
}

// DirectMessenger is implemented by networks with direct messages the
// account may read and send.
type DirectMessenger interface {
	// Messages returns messages after cursor, oldest first, and the next cursor.
	Messages(ctx context.Context, cursor string) ([]Message, string, error)
	// SendMessage answers in a conversation. key makes a retry safe where the
	// network allows it.
	SendMessage(ctx context.Context, conversationID, text, key string) (Message, error)
}

// Counts are a post's public counters.
type Counts struct {
	Likes, Reposts, Replies, Quotes int
}

// PublicProfile is a public account's counts as its network shows them.
type PublicProfile struct {
	DisplayName                 string
	Followers, Following, Posts int
}

// PublicPost is one of a public account's own posts (not a repost), with
// its counters.
type PublicPost struct {
	RemotePost
	Counts Counts
}

// PublicReader is implemented by networks that can read any public
// account: what the business's competitors post and how it does.
type PublicReader interface {
	// PublicProfile reads the account's counts; handle as the network
	// writes it (alice.bsky.social, user@server or user on this server).
	PublicProfile(ctx context.Context, handle string) (PublicProfile, error)
	// AuthorFeed returns a page of the account's own posts, newest first,
	// and the cursor of the next page ("" at the end).
	AuthorFeed(ctx context.Context, handle, cursor string, limit int) ([]PublicPost, string, error)
}

// MetricsReader is implemented by networks that report post counters and
// follower counts.
type MetricsReader interface {
	// PostCounts returns the counters of our posts by Ref.ID, batching
	// requests as the network requires. Posts the network no longer has are
	// left out.
	PostCounts(ctx context.Context, refs []Ref) (map[string]Counts, error)
	// Followers is the account's follower count now.
	Followers(ctx context.Context) (int, error)
}

// PostChecker is implemented by networks that can tell whether posts (and
// messages) someone sent the account still exist, so an inbox item whose
// author deleted it can be marked.
type PostChecker interface {
	// Gone returns the ids of those refs the network says no longer exist:
	// deleted by their authors. Refs it cannot ask about (a Bluesky chat
	// message) are in neither answer. An error means nothing is known.
	Gone(ctx context.Context, refs []Ref) ([]string, error)
	// ChecksPerSync is how many refs one sync should ask about: what the
	// network answers in a few requests, well within its rate limits.
	ChecksPerSync() int
}

// Reactor is implemented by networks where the account can like and repost
// other people's posts. Every method is idempotent: liking a post already
// liked leaves one like, and undoing what is not there succeeds, so a
// retry after any failure is safe.
type Reactor interface {
	// Like likes (favourites) the post.
	Like(ctx context.Context, ref Ref) error
	// Unlike takes the account's like back.
	Unlike(ctx context.Context, ref Ref) error
	// Repost reposts (boosts) the post.
	Repost(ctx context.Context, ref Ref) error
	// Unrepost takes the account's repost back.
	Unrepost(ctx context.Context, ref Ref) error
}

// Searcher is implemented by networks that can search public posts, for
// social listening.
type Searcher interface {
	// Search returns public posts matching query ("#tag" for one hashtag,
	// otherwise words) that are newer than cursor ("" for the most recent
	// page only), oldest first, and the cursor to pass next time. A cursor
	// belongs to its query. As with Notifications, posts may come back
	// again: callers drop repeats by Ref.ID.
	Search(ctx context.Context, query, cursor string) ([]RemotePost, string, error)
}

// ReplyPrefixer is implemented by networks where a reply should begin with
// text of its own, such as Mastodon's mention of the author (without it
// the author is not notified). A composer starts a reply with it, so the
// user sees it and the length counter counts it.
type ReplyPrefixer interface {
	ReplyPrefix(to Author) string
}
