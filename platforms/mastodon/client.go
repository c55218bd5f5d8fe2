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
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/httpx"
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

// WithMediaPolling sets how media still being processed is waited for: the
// first pause, the longest pause (pauses double up to it) and the total
// time after which Publish gives up with a Transient error. The defaults
// are 500ms, 5s and 2 minutes.
func WithMediaPolling(first, longest, total time.Duration) Option {
	return func(c *Client) {
		c.pollFirst, c.pollMax, c.pollTotal = first, longest, total
	}
}

// userAgent is the User-Agent header sent with every request.
const userAgent = "crier"

// Client is one Mastodon account. It is safe for concurrent use.
type Client struct {
	base  *url.URL // the server's root, such as https://mastodon.social
	token string
	http  *http.Client
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error // Reconcile's settle wait

	pollFirst, pollMax, pollTotal time.Duration

	// Reconcile's settle time, and this client's attempts by idempotency
	// key: see Reconcile.
	settle   time.Duration
	attempts map[string]attempt

	// What the server was found to lack, so that it is not asked again.
	legacyLookups atomic.Bool // GET /api/v1/statuses?id[] (before 4.3)
	noSource      atomic.Bool // GET /api/v1/statuses/:id/source
	noHistory     atomic.Bool // nor /history

	mu          sync.Mutex
	limits      *platforms.Limits
	counting    Counting // how the server counts, once limits are read
	accountID   string
	skew        time.Duration // this clock minus the server's, from its Date header
	rlRemaining int
	rlReset     time.Time
	convs       map[string]convInfo // by conversation id, from Messages
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
		sleep:       sleepCtx,
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

// do sends cl and returns the answer when its status is 2xx. Errors
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
		return nil, httpx.NetworkError(ctx, c.failure(cl), wrote, err)
	}
	defer resp.Body.Close()
	c.noteRateLimit(resp.Header)
	c.noteClock(resp.Header)
	data, err := httpx.ReadAnswer(ctx, c.failure(cl), resp, maxResponseBytes)
	if err != nil {
		return nil, err
	}
	if httpx.IsError(resp.StatusCode) {
		return nil, c.httpError(cl, resp, data)
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// send makes one HTTP exchange for cl (see httpx.Send): a request that
// may land is never replayed by the transport.
func (c *Client) send(ctx context.Context, cl call, target string) (resp *http.Response, wrote bool, err error) {
	var body io.Reader
	switch {
	case cl.form != nil:
		body = strings.NewReader(cl.form.Encode())
	case cl.body != nil:
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, body)
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
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
	return httpx.Send(c.http, req, cl.mayLand)
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

// failure describes cl for classifying its failure.
func (c *Client) failure(cl call) httpx.Failure {
	return httpx.Failure{Host: c.base.Host, Op: cl.method + " " + cl.path, MayLand: cl.mayLand}
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

// rateWindow is how long a Mastodon rate-limit window lasts: when a 429
// says nothing of when it lifts, crier waits that long.
const rateWindow = 5 * time.Minute

// httpError classifies a failed answer (httpx.StatusError). Mastodon
// answers 403 both to one action it refuses ("This action is not
// allowed": a reblog of a private post) and to a token that may do nothing
// (it lacks a scope, or the login is disabled, unconfirmed or awaiting
// approval); only the second needs the user to sign in again.
func (c *Client) httpError(cl call, resp *http.Response, body []byte) error {
	reason := serverReason(resp.StatusCode, body)
	e := httpx.StatusError(c.failure(cl), resp.StatusCode, resp.Header, reason, c.now(), rateWindow)
	if resp.StatusCode == http.StatusForbidden && loginRefused(reason) {
		e.Reauth = true
	}
	return e
}

// loginRefused reports whether a 403's words are about the token or the
// login rather than the action: "This action is outside the authorized
// scopes", "Your login is currently disabled" (Mastodon); "account is
// disabled" or "suspended" (GoToSocial).
func loginRefused(reason string) bool {
	r := strings.ToLower(reason)
	for _, w := range []string{"scope", "your login", "disabled", "suspended", "not yet approved", "not confirmed"} {
		if strings.Contains(r, w) {
			return true
		}
	}
	return false
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

// CompareIDs orders Mastodon ids, oldest first: decimal snowflakes on
// Mastodon, fixed-width ULIDs on some compatible servers; either way
// shorter is older and equal lengths compare as text.
func CompareIDs(a, b string) int {
	if len(a) != len(b) {
		return cmp.Compare(len(a), len(b))
	}
	return strings.Compare(a, b)
}

func idLess(a, b string) bool { return CompareIDs(a, b) < 0 }

// uniqueIDs are the ids of refs, each once, in their order.
func uniqueIDs(refs []platforms.Ref) []string {
	var ids []string
	seen := map[string]bool{}
	for _, r := range refs {
		if r.ID != "" && !seen[r.ID] {
			seen[r.ID] = true
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// sleepCtx waits d, or until ctx ends, whose error it returns.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
