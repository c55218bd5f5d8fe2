// Package mastodon is crier's client for one account on a server of the
// Mastodon client API (Mastodon, GoToSocial, ...): publishing that is never
// repeated without crier deciding it (the transport replays nothing;
// Reconcile looks for a post before it is sent again), media upload with
// asynchronous processing, notifications, direct conversations and post
// counters, counting a status's length by the server's own rules, plus the
// OAuth helpers used to sign in. It speaks the client REST API over
// net/http and imports nothing of crier but platforms.
package mastodon

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crier-app/crier/platforms"
)

// Platform is the network's name in crier.
const Platform = "mastodon"

// defaultSettle is Reconcile's settle time. GoToSocial lists a status among
// the account's statuses as soon as it has answered the POST, and makes one
// in a few milliseconds, 110 ms at most with three accounts posting at once
// (TestLiveStatusVisibleOnceAnswered); five seconds also covers a request
// still on its way through proxies when crier died, and a slower server.
const defaultSettle = 5 * time.Second

// maxResponseBytes bounds what is read of one answer; Mastodon's largest
// (a page of 80 notifications with their statuses) is well under this.
const maxResponseBytes = 32 << 20

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient replaces the HTTP client (one with a one minute timeout by
// default).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithClock sets the clock (time.Now by default): rate-limit resets and
// the server's clock difference, by which Reconcile dates its search, are
// read against it.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithReconcileSettle sets how long after the last attempt of a post
// Reconcile waits before it concludes the post did not land (5 s by
// default); see Reconcile.
func WithReconcileSettle(d time.Duration) Option { return func(c *Client) { c.settle = d } }

// WithUserAgent sets the User-Agent header sent with every request.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithMediaPolling sets how media still being processed is waited for: the
// first pause, the longest pause (pauses double up to it) and the total
// time after which Publish gives up with a Transient error. The defaults
// are 500ms, 5s and 2 minutes.
func WithMediaPolling(first, longest, total time.Duration) Option {
	return func(c *Client) {
		c.pollFirst, c.pollMax, c.pollTotal = first, longest, total
	}
}

// Client is one Mastodon account. It is safe for concurrent use.
type Client struct {
	base      *url.URL // the server's root, such as https://mastodon.social
	token     string
	http      *http.Client
	now       func() time.Time
	userAgent string

	pollFirst, pollMax, pollTotal time.Duration

	// Reconcile's settle time, and this client's attempts by idempotency
	// key: see Reconcile.
	settle   time.Duration
	attempts map[string]attempt

	mu            sync.Mutex
	limits        *platforms.Limits
	counting      Counting // how the server counts, once limits are read
	accountID     string
	legacyLookups bool          // the server has no GET /api/v1/statuses?id[] (before 4.3)
	noSource      bool          // the server has no GET /api/v1/statuses/:id/source
	noHistory     bool          // nor /history
	skew          time.Duration // this clock minus the server's, from its Date header
	rlRemaining   int
	rlReset       time.Time
	convs         map[string]convInfo // by conversation id, from Messages
}

// convInfo is what a direct status needs to answer in a conversation.
type convInfo struct {
	lastStatusID string
	accts        []string // the other participants
}

var (
	_ platforms.Network         = (*Client)(nil)
	_ platforms.Notifier        = (*Client)(nil)
	_ platforms.DirectMessenger = (*Client)(nil)
	_ platforms.MetricsReader   = (*Client)(nil)
)

// New returns a client for the account whose access token is token on
// server ("mastodon.social" or "https://mastodon.social"; a scheme other
// than https must be given explicitly).
func New(server, token string, opts ...Option) *Client {
	c := &Client{
		base:        serverURL(server),
		token:       token,
		http:        &http.Client{Timeout: time.Minute},
		now:         time.Now,
		userAgent:   "crier",
		pollFirst:   500 * time.Millisecond,
		pollMax:     5 * time.Second,
		pollTotal:   2 * time.Minute,
		rlRemaining: -1,
		convs:       map[string]convInfo{},
		counting:    MastodonCounting,
		settle:      defaultSettle,
		attempts:    map[string]attempt{},
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// serverURL turns what a user typed into the server's root URL.
func serverURL(server string) *url.URL {
	s := strings.TrimSpace(server)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		// Keep going with something that fails clearly on first use.
		return &url.URL{Scheme: "https", Host: "invalid.invalid"}
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.TrimRight(u.Path, "/")}
}

// Platform implements platforms.Network.
func (c *Client) Platform() string { return Platform }

// RateLimit returns what the server last said of the account's budget:
// calls left and when the window resets. remaining is -1 before any answer
// carried X-RateLimit-Remaining.
func (c *Client) RateLimit() (remaining int, reset time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rlRemaining, c.rlReset
}

// call is one request to the server.
type call struct {
	method string
	path   string     // from the server root, such as /api/v1/statuses
	rawURL string     // a full URL instead of path (a Link header's)
	query  url.Values // sent in the URL
	form   url.Values // sent as application/x-www-form-urlencoded
	body   []byte     // sent as is, with contentType (multipart uploads)
	ctype  string
	key    string // Idempotency-Key
	noAuth bool
	// mayLand marks a request whose effect stays once the server has it (a
	// new status): when its answer is lost, the outcome is unknown.
	mayLand bool
}

// reply is a server's answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends cl and returns the answer when its status is below 400. Errors
// are *platforms.Error, classified for the scheduler.
func (c *Client) do(ctx context.Context, cl call) (*reply, error) {
	target, err := c.target(cl)
	if err != nil {
		return nil, &platforms.Error{Class: platforms.Permanent, Reason: "bad request URL", Err: err}
	}
	resp, wrote, err := c.send(ctx, cl, target)
	if err != nil && cl.mayLand && !wrote && ctx.Err() == nil {
		// Nothing of the request went out (typically a kept-alive
		// connection the server had closed): the server cannot have acted
		// on it, so crier sends it once more at once, on a new connection.
		resp, wrote, err = c.send(ctx, cl, target)
	}
	if cl.mayLand && cl.key != "" {
		c.noteAttempt(cl.key, wrote || err == nil)
	}
	if err != nil {
		return nil, c.networkError(ctx, cl, wrote, err)
	}
	defer resp.Body.Close()
	c.noteRateLimit(resp.Header)
	c.noteClock(resp.Header)
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		// The server answered, so it had the whole request.
		return nil, c.networkError(ctx, cl, true, err)
	}
	if resp.StatusCode >= 400 || resp.StatusCode < 200 {
		return nil, c.httpError(cl, resp, data)
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// send makes one HTTP exchange for cl. wrote reports whether the whole
// request went out: before that the server cannot have acted on it; after
// it, a lost answer leaves the outcome unknown.
func (c *Client) send(ctx context.Context, cl call, target string) (resp *http.Response, wrote bool, err error) {
	var body io.Reader
	switch {
	case cl.form != nil:
		body = strings.NewReader(cl.form.Encode())
	case cl.body != nil:
		body = bytes.NewReader(cl.body)
	}
	var written atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			written.Store(true)
		}
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), cl.method, target, body)
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Accept", "application/json")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if !cl.noAuth && c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	switch {
	case cl.form != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case cl.body != nil:
		req.Header.Set("Content-Type", cl.ctype)
	}
	if cl.key != "" {
		req.Header.Set("Idempotency-Key", cl.key)
	}
	if cl.mayLand {
		// Go's transport sends a request again by itself when a kept-alive
		// connection breaks before the answer, if the request counts as
		// safe to replay: an Idempotency-Key header and a body it can
		// rewind (GetBody) make it so. Not every server honours the key
		// (GoToSocial makes a second status), so crier decides every
		// re-send itself: without GetBody the transport cannot replay.
		req.GetBody = nil
	}
	resp, err = c.http.Do(req)
	return resp, written.Load(), err
}

// target is the URL cl goes to.
func (c *Client) target(cl call) (string, error) {
	if cl.rawURL != "" {
		// A paging link names the same list with other paging parameters.
		// Only its path and query are used, on the server as configured:
		// the bearer token never goes anywhere else, and a server that
		// names itself otherwise than crier reaches it (GoToSocial with
		// host "localhost" on another port leaves the port out; a proxy in
		// front of it is not named at all) still gets the request.
		u, err := url.Parse(cl.rawURL)
		if err != nil {
			return "", err
		}
		v := *c.base
		v.Path, v.RawPath, v.RawQuery = u.Path, u.RawPath, u.RawQuery
		return v.String(), nil
	}
	u := *c.base
	u.Path = c.base.Path + cl.path
	if len(cl.query) > 0 {
		u.RawQuery = cl.query.Encode()
	}
	return u.String(), nil
}

// networkError classifies a failure to get an answer, in a person's words
// (platforms.DescribeNetworkError); Go's own error stays in Err, for the
// log.
func (c *Client) networkError(ctx context.Context, cl call, wrote bool, err error) error {
	what := platforms.DescribeNetworkError(c.base.Host, err)
	e := &platforms.Error{Class: platforms.Transient, Reason: what, Err: fmt.Errorf("%s %s: %w", cl.method, cl.path, err)}
	var certErr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &certErr):
		// Asking again will not help until the server's certificate is fixed.
		e.Class = platforms.Permanent
	case wrote && cl.mayLand:
		e.Class = platforms.UnknownOutcome
		e.Reason = "no answer after the request was sent: " + what
	case !wrote && ctx.Err() != nil:
		e.Reason = "stopped before the request was sent"
	}
	return e
}

// apiError is the body of a Mastodon (or OAuth) error answer.
type apiError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// serverReason is the server's own words for a failure, when it gave any.
func serverReason(status int, body []byte) string {
	var ae apiError
	if json.Unmarshal(body, &ae) == nil {
		switch {
		case ae.Description != "" && ae.Error != "":
			return ae.Error + ": " + ae.Description
		case ae.Error != "":
			return ae.Error
		}
	}
	if t := http.StatusText(status); t != "" {
		return t
	}
	return "HTTP " + strconv.Itoa(status)
}

// httpError classifies an answer of 400 or more.
func (c *Client) httpError(cl call, resp *http.Response, body []byte) error {
	st := resp.StatusCode
	e := &platforms.Error{Status: st, Reason: serverReason(st, body)}
	switch {
	case st == http.StatusUnauthorized, st == http.StatusForbidden:
		// 401: the token was revoked or is wrong; 403: it lacks a scope or
		// the account is suspended. Either way the user must sign in again.
		e.Class, e.Reauth = platforms.Permanent, true
	case st == http.StatusTooManyRequests:
		e.Class = platforms.RateLimited
		e.RetryAt = c.retryAt(resp.Header)
	case st == http.StatusRequestTimeout || st >= 500:
		if cl.mayLand {
			e.Class = platforms.UnknownOutcome
		} else {
			e.Class = platforms.Transient
		}
	default: // 400, 404, 410, 422 ...: the same request fails the same way
		e.Class = platforms.Permanent
	}
	return e
}

// retryAt reads when a rate-limited call may be retried. Mastodon sends
// X-RateLimit-Reset as an ISO 8601 time and no Retry-After; a proxy in
// front of it may send Retry-After instead.
func (c *Client) retryAt(h http.Header) time.Time {
	if t, ok := parseResetTime(h.Get("X-RateLimit-Reset")); ok {
		return t
	}
	if ra := h.Get("Retry-After"); ra != "" {
		if secs, err := strconv.Atoi(ra); err == nil && secs >= 0 {
			return c.now().Add(time.Duration(secs) * time.Second)
		}
		if t, err := http.ParseTime(ra); err == nil {
			return t
		}
	}
	// Mastodon's windows are five minutes long.
	return c.now().Add(5 * time.Minute)
}

func parseResetTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// noteRateLimit keeps the budget the server reports on every answer.
func (c *Client) noteRateLimit(h http.Header) {
	rem, remErr := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	reset, resetOK := parseResetTime(h.Get("X-RateLimit-Reset"))
	if remErr != nil && !resetOK {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if remErr == nil {
		c.rlRemaining = rem
	}
	if resetOK {
		c.rlReset = reset
	}
}

// maxSkew bounds the clock difference believed from a Date header.
const maxSkew = 24 * time.Hour

// noteClock keeps how far this clock is from the server's, from the Date
// header of its answer (one-second steps).
func (c *Client) noteClock(h http.Header) {
	d, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return
	}
	skew := c.now().Sub(d)
	if skew > maxSkew || skew < -maxSkew {
		return
	}
	c.mu.Lock()
	c.skew = skew
	c.mu.Unlock()
}

// serverTime is t, a time on this clock, on the server's.
func (c *Client) serverTime(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return t.Add(-c.skew)
}

// getJSON GETs path and decodes the answer into out.
func (c *Client) getJSON(ctx context.Context, path string, query url.Values, out any) (*reply, error) {
	r, err := c.do(ctx, call{method: http.MethodGet, path: path, query: query})
	if err != nil {
		return nil, err
	}
	return r, decode(r, out)
}

// decode reads a JSON answer into out.
func decode(r *reply, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(r.body, out); err != nil {
		return &platforms.Error{Class: platforms.Transient, Status: r.status,
			Reason: "unreadable answer from the server", Err: err}
	}
	return nil
}

// decodeLanded reads the answer to a request that took effect: if it cannot
// be read, the effect is there but unknown to us.
func decodeLanded(r *reply, out any) error {
	if err := decode(r, out); err != nil {
		var pe *platforms.Error
		if errors.As(err, &pe) {
			pe.Class = platforms.UnknownOutcome
		}
		return err
	}
	return nil
}

// ownAccount returns the signed-in account, remembering its id.
func (c *Client) ownAccount(ctx context.Context) (account, error) {
	var a account
	if _, err := c.getJSON(ctx, "/api/v1/accounts/verify_credentials", nil, &a); err != nil {
		return account{}, err
	}
	c.mu.Lock()
	c.accountID = a.ID
	c.mu.Unlock()
	return a, nil
}

// ownID returns the signed-in account's id, asking the server once.
func (c *Client) ownID(ctx context.Context) (string, error) {
	c.mu.Lock()
	id := c.accountID
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	a, err := c.ownAccount(ctx)
	return a.ID, err
}

// idLess orders Mastodon ids: decimal snowflakes on Mastodon, fixed-width
// ULIDs on some compatible servers; either way shorter is older and equal
// lengths compare as text.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
