// Package bluesky is crier's client for one Bluesky (AT Protocol) account:
// publishing with a deterministic record key so a retry never posts twice,
// rich-text facets, notifications, direct messages and post counters. It
// speaks XRPC over net/http and imports nothing of crier but platforms.
package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/httpx"
)

// Platform is the network's name in crier.
const Platform = "bluesky"

// maxResponseBytes bounds what is read of one answer.
const maxResponseBytes = 16 << 20

// ChatProxy is the service the PDS forwards chat.bsky.* calls to.
const ChatProxy = "did:web:api.bsky.chat#bsky_chat"

// PasswordFunc returns the account's app password when a new session is
// needed. It is asked only when there is no session to refresh.
type PasswordFunc func(ctx context.Context) (string, error)

// Option configures a Client.
type Option func(*Client)

// WithSessionStore keeps the session (and each rotated refresh token) in s,
// so a restart resumes the session instead of signing in again.
func WithSessionStore(s SessionStore) Option { return func(c *Client) { c.store = s } }

// WithPassword sets where the app password comes from.
func WithPassword(f PasswordFunc) Option { return func(c *Client) { c.password = f } }

// WithAppPassword is WithPassword for a password already at hand.
func WithAppPassword(pw string) Option {
	return WithPassword(func(context.Context) (string, error) { return pw, nil })
}

// WithHTTPClient replaces the HTTP client (http.DefaultClient with a one
// minute timeout by default).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithClock sets the clock (time.Now by default): when a rate limit lifts
// and the time written on likes and reposts are read from it.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithLangs sets the languages (BCP-47, at most 3) written on every post.
func WithLangs(langs ...string) Option { return func(c *Client) { c.langs = langs } }

// Client is one Bluesky account. It is safe for concurrent use.
type Client struct {
	service    string // the PDS, such as https://bsky.social
	identifier string // handle, DID or email used to sign in
	password   PasswordFunc
	store      SessionStore
	http       *http.Client
	langs      []string
	now        func() time.Time

	// authMu serialises sign-ins and refreshes: a refresh token may be used
	// once, so two goroutines must never both spend it.
	authMu sync.Mutex
	mu     sync.Mutex // guards sess
	sess   *Session
}

var (
	_ platforms.Network         = (*Client)(nil)
	_ platforms.Notifier        = (*Client)(nil)
	_ platforms.DirectMessenger = (*Client)(nil)
	_ platforms.MetricsReader   = (*Client)(nil)
)

// New returns a client for the account identifier on the PDS at service.
func New(service, identifier string, opts ...Option) *Client {
	c := &Client{
		service:    strings.TrimRight(service, "/"),
		identifier: identifier,
		http:       &http.Client{Timeout: time.Minute},
		now:        time.Now,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Platform implements platforms.Network.
func (c *Client) Platform() string { return Platform }

// authKind is the token a call carries.
type authKind int

const (
	authNone authKind = iota
	authAccess
	authRefresh
)

// xrpcCall is one XRPC request.
type xrpcCall struct {
	nsid        string
	query       url.Values // for queries (GET)
	input       any        // JSON body for procedures (POST)
	raw         []byte     // raw body for procedures such as uploadBlob
	contentType string     // for raw
	procedure   bool
	proxy       string // atproto-proxy header, when set
	auth        authKind
	token       string // for authRefresh
	out         any    // decoded from the JSON answer, when not nil
}

// xrpcError is the body of an XRPC error answer.
type xrpcError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// errorName returns the XRPC error name ("ExpiredToken") carried by err.
func errorName(err error) string {
	var pe *platforms.Error
	if errors.As(err, &pe) {
		var xe *remoteError
		if errors.As(pe.Err, &xe) {
			return xe.name
		}
	}
	return ""
}

// remoteError keeps the server's XRPC error for inspection after
// classification.
type remoteError struct {
	status  int
	name    string
	message string
}

func (e *remoteError) Error() string {
	switch {
	case e.name != "" && e.message != "":
		return e.name + ": " + e.message
	case e.message != "":
		return e.message
	case e.name != "":
		return e.name
	}
	return http.StatusText(e.status)
}

// call runs c with the session's access token, refreshing the session once
// when the server says the token expired.
func (c *Client) call(ctx context.Context, x xrpcCall) error {
	if x.auth != authAccess {
		return c.send(ctx, x, "")
	}
	sess, err := c.session(ctx)
	if err != nil {
		return err
	}
	err = c.send(ctx, x, sess.AccessJwt)
	if !needsRefresh(err) {
		return err
	}
	sess, err = c.refresh(ctx, sess.AccessJwt)
	if err != nil {
		return err
	}
	err = c.send(ctx, x, sess.AccessJwt)
	if needsRefresh(err) {
		return reauth(err, "the server refused a freshly refreshed session")
	}
	return err
}

// needsRefresh reports whether err says the access token is no longer good.
func needsRefresh(err error) bool {
	var pe *platforms.Error
	if !errors.As(err, &pe) {
		return false
	}
	var re *remoteError
	if !errors.As(pe.Err, &re) {
		return false
	}
	switch {
	case re.name == "ExpiredToken":
		return true
	case re.name == "InvalidToken":
		// "Bad token method" is a good token used where it may not be (an
		// app password without DM access): a new token would not help.
		return !strings.Contains(strings.ToLower(re.message), "bad token method")
	}
	return pe.Status == http.StatusUnauthorized
}

// reauth turns err into a permanent error asking the user to sign in again.
func reauth(err error, why string) error {
	pe := &platforms.Error{Class: platforms.Permanent, Reauth: true, Reason: "sign in to Bluesky again: " + why, Err: err}
	var orig *platforms.Error
	if errors.As(err, &orig) {
		pe.Status = orig.Status
		if orig.Reason != "" {
			pe.Reason += " (" + orig.Reason + ")"
		}
	}
	return pe
}

// send makes one HTTP request and classifies its failure.
func (c *Client) send(ctx context.Context, x xrpcCall, access string) error {
	u := c.service + "/xrpc/" + x.nsid
	if len(x.query) > 0 {
		u += "?" + x.query.Encode()
	}
	method := http.MethodGet
	var body io.Reader
	var ctype string
	if x.procedure {
		method = http.MethodPost
		switch {
		case x.raw != nil:
			body, ctype = bytes.NewReader(x.raw), x.contentType
		case x.input != nil:
			b, err := json.Marshal(x.input)
			if err != nil {
				return &platforms.Error{Class: platforms.Permanent, Reason: "encoding " + x.nsid, Err: err}
			}
			body, ctype = bytes.NewReader(b), "application/json"
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return &platforms.Error{Class: platforms.Permanent, Reason: "building the request for " + x.nsid, Err: err}
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json")
	if x.proxy != "" {
		req.Header.Set("atproto-proxy", x.proxy)
	}
	switch x.auth {
	case authAccess:
		req.Header.Set("Authorization", "Bearer "+access)
	case authRefresh:
		req.Header.Set("Authorization", "Bearer "+x.token)
	}
	resp, wrote, err := httpx.Send(c.http, req, x.procedure)
	if err != nil {
		return httpx.NetworkError(ctx, c.failure(x), wrote, err)
	}
	defer resp.Body.Close()
	data, err := httpx.ReadAnswer(ctx, c.failure(x), resp, maxResponseBytes)
	if err != nil {
		return err
	}
	if httpx.IsError(resp.StatusCode) {
		return c.statusError(x, resp, data)
	}
	if x.out != nil {
		if err := json.Unmarshal(data, x.out); err != nil {
			cl := platforms.Transient
			if x.procedure {
				cl = platforms.UnknownOutcome
			}
			return &platforms.Error{Class: cl, Status: resp.StatusCode, Reason: "unreadable answer to " + x.nsid, Err: err}
		}
	}
	return nil
}

// failure describes x for classifying its failure: a query is always
// safe to repeat; a procedure whose request went out may have landed.
func (c *Client) failure(x xrpcCall) httpx.Failure {
	return httpx.Failure{Host: hostOf(c.service), Op: x.nsid, MayLand: x.procedure}
}

// hostOf is the host (and port) of a service URL, for messages.
func hostOf(service string) string {
	if u, err := url.Parse(service); err == nil && u.Host != "" {
		return u.Host
	}
	return service
}

// statusError classifies a failed answer (httpx.StatusError), keeping the
// server's XRPC error for inspection. A 429 that does not say when the
// limit lifts leaves the scheduler's own backoff to decide.
func (c *Client) statusError(x xrpcCall, resp *http.Response, data []byte) error {
	var xe xrpcError
	_ = json.Unmarshal(data, &xe)
	reason := xe.Message
	if reason == "" {
		reason = xe.Error
	}
	if reason == "" {
		reason = strings.TrimSpace(string(data))
		if len(reason) > 200 || !jsonish(reason) {
			reason = http.StatusText(resp.StatusCode)
		}
	}
	pe := httpx.StatusError(c.failure(x), resp.StatusCode, resp.Header, x.nsid+": "+reason, c.now(), 0)
	pe.Err = &remoteError{status: resp.StatusCode, name: xe.Error, message: xe.Message}
	return pe
}

// jsonish reports whether s is short printable text worth quoting.
func jsonish(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\t' {
			return false
		}
	}
	return !strings.HasPrefix(s, "<")
}

// errorf makes a permanent error of our own.
func errorf(format string, args ...any) error {
	return &platforms.Error{Class: platforms.Permanent, Reason: fmt.Sprintf(format, args...)}
}
