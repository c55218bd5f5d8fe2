// Package sandbox is an offline network for the demo and for tests. It
// publishes nothing: what it is sent is handed to a Recorder (crier's store
// keeps it in its sandbox_posts table), so the receiving side can be checked
// on its own. Likes and reposts are kept in memory. Faults can be injected
// to rehearse what real networks do.
package sandbox

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/crier-app/crier/platforms"
)

// Platform is the sandbox's platform name.
const Platform = "sandbox"

// Spec is the sandbox's: Mastodon's default text length, counted in
// grapheme clusters, four images and Mastodon's limit on alt text.
func Spec() platforms.Spec {
	return platforms.Spec{
		Platform: Platform,
		Unit:     "graphemes",
		Limits: platforms.Limits{MaxChars: 500, MaxImages: 4, MaxAltText: 1500,
			Length: platforms.Graphemes},
	}
}

// Recorder receives what the sandbox publishes. Recording must be idempotent
// on the key: a repeat returns the first post's id and writes nothing.
type Recorder interface {
	RecordSandboxPost(ctx context.Context, account, idempotencyKey, body, replyTo string,
		mediaCount int, at time.Time) (int64, error)
	SandboxPostByKey(ctx context.Context, key string) (id int64, at time.Time, ok bool, err error)
}

// Fault is one injected failure of Publish.
type Fault struct {
	Err *platforms.Error
	// Landed records the post before Err is returned, as when the network
	// took the post but its answer was lost on the way back.
	Landed bool
}

// Option configures a Network.
type Option func(*Network)

// WithClock sets the clock the sandbox stamps posts with (time.Now by default).
func WithClock(now func() time.Time) Option { return func(n *Network) { n.now = now } }

// WithFaults makes the next Publish calls fail, one fault per call, in order.
func WithFaults(faults ...Fault) Option {
	return func(n *Network) { n.faults = append(n.faults, faults...) }
}

// WithReactionFaults makes the next Like, Unlike, Repost and Unrepost calls
// fail, one fault per call, in order. Landed applies the reaction first.
func WithReactionFaults(faults ...Fault) Option {
	return func(n *Network) { n.reactionFaults = append(n.reactionFaults, faults...) }
}

// Network is one sandbox account. It is safe for concurrent use.
type Network struct {
	account string
	rec     Recorder
	now     func() time.Time

	mu             sync.Mutex
	faults         []Fault
	reactionFaults []Fault
	publishes      int
	reconciles     int
	liked          map[string]bool // by Ref.ID
	reposted       map[string]bool
}

var (
	_ platforms.Network = (*Network)(nil)
	_ platforms.Reactor = (*Network)(nil)
)

// New returns the sandbox account named account, recording into rec.
func New(account string, rec Recorder, opts ...Option) *Network {
	n := &Network{account: account, rec: rec, now: time.Now, liked: map[string]bool{}, reposted: map[string]bool{}}
	for _, o := range opts {
		o(n)
	}
	return n
}

// Inject queues faults for the next Publish calls, after any already queued.
func (n *Network) Inject(faults ...Fault) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.faults = append(n.faults, faults...)
}

// InjectReactions queues faults for the next reaction calls (Like, Unlike,
// Repost, Unrepost), after any already queued.
func (n *Network) InjectReactions(faults ...Fault) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.reactionFaults = append(n.reactionFaults, faults...)
}

// Publishes counts the calls to Publish so far, failed ones included.
func (n *Network) Publishes() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.publishes
}

// Reconciles counts the calls to Reconcile so far.
func (n *Network) Reconciles() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.reconciles
}

// Platform implements platforms.Network.
func (n *Network) Platform() string { return Platform }

// Limits implements platforms.Network.
func (n *Network) Limits(context.Context) (platforms.Limits, error) { return Spec().Limits, nil }

// Length counts grapheme clusters, as the networks do.
func (n *Network) Length(text string) int { return platforms.Graphemes(text) }

// Publish checks the post against the Spec's limits and records it. The same
// idempotency key always yields the same post. A post with Conversation set
// is recorded as a direct message: its reply_to is DirectTarget's.
func (n *Network) Publish(ctx context.Context, p platforms.Post) (platforms.Published, error) {
	n.mu.Lock()
	n.publishes++
	var fault *Fault
	if len(n.faults) > 0 {
		fault = &n.faults[0]
		n.faults = n.faults[1:]
	}
	n.mu.Unlock()

	if err := ctx.Err(); err != nil {
		return platforms.Published{}, &platforms.Error{Class: platforms.Transient, Reason: "cancelled before sending", Err: err}
	}
	if err := platforms.Validate(n, Spec().Limits, p); err != nil {
		return platforms.Published{}, err
	}
	if p.IdempotencyKey == "" {
		return platforms.Published{}, &platforms.Error{Class: platforms.Permanent, Reason: "the post has no idempotency key"}
	}
	if fault != nil && !fault.Landed {
		return platforms.Published{}, fault.Err
	}
	var replyTo string
	if p.ReplyTo != nil {
		replyTo = p.ReplyTo.ID
	}
	if p.Conversation != "" {
		replyTo = DirectTarget(p.Conversation, replyTo)
	}
	at := n.now().UTC().Truncate(time.Millisecond)
	id, err := n.rec.RecordSandboxPost(ctx, n.account, p.IdempotencyKey, p.Text, replyTo, len(p.Images), at)
	if err != nil {
		// The record is a transaction, but a failed commit can't be told
		// from a lost answer: say so, and let the caller reconcile.
		return platforms.Published{}, &platforms.Error{Class: platforms.UnknownOutcome,
			Reason: "the sandbox could not record the post", Err: err}
	}
	if fault != nil {
		return platforms.Published{}, fault.Err
	}
	return n.published(id, at), nil
}

// Reconcile reports whether a post with p's idempotency key was recorded.
func (n *Network) Reconcile(ctx context.Context, p platforms.Post) (platforms.Published, bool, error) {
	n.mu.Lock()
	n.reconciles++
	n.mu.Unlock()
	id, at, ok, err := n.rec.SandboxPostByKey(ctx, p.IdempotencyKey)
	if err != nil {
		return platforms.Published{}, false, &platforms.Error{Class: platforms.Transient,
			Reason: "the sandbox could not look the post up", Err: err}
	}
	if !ok {
		return platforms.Published{}, false, nil
	}
	return n.published(id, at), true, nil
}

func (n *Network) published(id int64, at time.Time) platforms.Published {
	return platforms.Published{
		Ref: platforms.Ref{ID: fmt.Sprintf("sandbox:%d", id)},
		URL: fmt.Sprintf("sandbox://%s/%d", url.PathEscape(n.account), id),
		At:  at,
	}
}

// DirectTarget is what the sandbox records as the reply_to of a direct
// message in conversation answering messageID: "dm:CONVERSATION", followed
// by "/MESSAGE" when it answers one.
func DirectTarget(conversation, messageID string) string {
	if messageID == "" {
		return "dm:" + conversation
	}
	return "dm:" + conversation + "/" + messageID
}

// Like implements platforms.Reactor: the account likes the post, once
// however often it is asked.
func (n *Network) Like(ctx context.Context, ref platforms.Ref) error {
	return n.react(ctx, n.liked, ref, true)
}

// Unlike implements platforms.Reactor; unliking what is not liked succeeds.
func (n *Network) Unlike(ctx context.Context, ref platforms.Ref) error {
	return n.react(ctx, n.liked, ref, false)
}

// Repost implements platforms.Reactor as Like does.
func (n *Network) Repost(ctx context.Context, ref platforms.Ref) error {
	return n.react(ctx, n.reposted, ref, true)
}

// Unrepost implements platforms.Reactor as Unlike does.
func (n *Network) Unrepost(ctx context.Context, ref platforms.Ref) error {
	return n.react(ctx, n.reposted, ref, false)
}

// react sets or clears ref in set, taking the next reaction fault as
// Publish takes its faults.
func (n *Network) react(ctx context.Context, set map[string]bool, ref platforms.Ref, on bool) error {
	if err := ctx.Err(); err != nil {
		return &platforms.Error{Class: platforms.Transient, Reason: "cancelled before sending", Err: err}
	}
	if ref.ID == "" {
		return &platforms.Error{Class: platforms.Permanent, Reason: "no post to react to"}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	var fault *Fault
	if len(n.reactionFaults) > 0 {
		fault, n.reactionFaults = &n.reactionFaults[0], n.reactionFaults[1:]
	}
	if fault != nil && !fault.Landed {
		return fault.Err
	}
	if on {
		set[ref.ID] = true
	} else {
		delete(set, ref.ID)
	}
	if fault != nil {
		return fault.Err
	}
	return nil
}

// Liked reports whether the account likes the post with id.
func (n *Network) Liked(id string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.liked[id]
}

// Reposted reports whether the account has reposted the post with id.
func (n *Network) Reposted(id string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.reposted[id]
}

// Likes is how many posts the account likes now.
func (n *Network) Likes() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.liked)
}

// Reposts is how many posts the account has reposted now.
func (n *Network) Reposts() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.reposted)
}
