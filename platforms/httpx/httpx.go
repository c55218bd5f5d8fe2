// Package httpx is the HTTP plumbing crier's network clients share: one
// exchange that knows whether the request went out, one classification of
// what went wrong (for the scheduler: retry, wait, reconcile or give up),
// one reader of when a rate limit lifts, and one walk through a paged
// listing. It imports nothing of crier but platforms, so the network
// packages stay leaves.
package httpx

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/crier-app/crier/platforms"
)

// Send makes one HTTP exchange. wrote reports whether the whole request
// went out: before that the server cannot have acted on it; after it, a
// lost answer leaves the outcome unknown.
//
// once marks a request that must reach the server at most once (a new
// post): Go's transport sends a request again by itself when a kept-alive
// connection breaks before the answer, if the request counts as safe to
// replay, which an Idempotency-Key header and a body it can rewind
// (GetBody) make it. Not every server honours the key (GoToSocial makes a
// second status), so for such a request crier decides every re-send
// itself: without GetBody the transport cannot replay.
func Send(hc *http.Client, req *http.Request, once bool) (resp *http.Response, wrote bool, err error) {
	var written atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			written.Store(true)
		}
	}}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	if once {
		req.GetBody = nil
	}
	resp, err = hc.Do(req)
	return resp, written.Load(), err
}

// Failure says what a failed request was, for classifying it.
type Failure struct {
	// Host is the server as people read it ("bsky.social",
	// "127.0.0.1:2583"), for the words of the error.
	Host string
	// Op names the request for the log ("POST /api/v1/statuses",
	// "com.atproto.repo.putRecord").
	Op string
	// MayLand marks a request whose effect stays once the server has it (a
	// new post): when its answer is lost, the outcome is unknown.
	MayLand bool
}

// NetworkError classifies a request that got no answer (err from Send),
// in a person's words (platforms.DescribeNetworkError); Go's own error
// stays in Err, for the log.
//
//   - A certificate the system does not trust is Permanent: asking again
//     will not help until it is fixed.
//   - A request that may land and went out whole is UnknownOutcome: the
//     server may have acted on it.
//   - Anything else (nothing was sent, or it was a read) is Transient.
func NetworkError(ctx context.Context, f Failure, wrote bool, err error) *platforms.Error {
	what := platforms.DescribeNetworkError(f.Host, err)
	e := &platforms.Error{Class: platforms.Transient, Reason: what, Err: fmt.Errorf("%s: %w", f.Op, err)}
	var certErr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &certErr):
		e.Class = platforms.Permanent
	case wrote && f.MayLand:
		e.Class = platforms.UnknownOutcome
		e.Reason = "no answer after the request was sent: " + what
	case !wrote && ctx.Err() != nil:
		e.Reason = "stopped before the request was sent"
	}
	return e
}

// ReadAnswer reads at most max bytes of an answer's body. When the body
// breaks off, a 2xx answer fails as NetworkError does for a request that
// went out whole (the server had all of it); a failed answer returns what
// was read, since its status says enough to classify it.
func ReadAnswer(ctx context.Context, f Failure, resp *http.Response, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(resp.Body, max))
	if err != nil && !IsError(resp.StatusCode) {
		e := NetworkError(ctx, f, true, err)
		e.Status = resp.StatusCode
		return nil, e
	}
	return data, nil
}

// IsError reports whether an answer's status is a failure: anything but
// 2xx. (Redirects the HTTP client could follow it has followed; one that
// is left is a request that went nowhere.)
func IsError(status int) bool { return status < 200 || status >= 300 }

// StatusError classifies an answer whose status IsError, the same way for
// every network:
//
//   - 429 is RateLimited, with RetryAt read from the headers (RetryAt),
//     else now plus window (zero when window is 0: the scheduler's own
//     backoff then).
//   - 401 is Permanent and needs the user to sign in again: the token is
//     wrong, expired beyond refreshing, or revoked. (403 is not: on both
//     Mastodon and Bluesky it refuses one action, a reblog of a private
//     post, a chat the app password may not use; a network whose 403 does
//     mean the login sets Reauth itself from the server's words.)
//   - 408 and 5xx say the server, or a proxy in front of it, gave up on
//     this request: a read is Transient; a request that may land is
//     UnknownOutcome, since a proxy's 408 or 504 does not prove the server
//     behind it did nothing, and a post must never go out twice.
//   - Everything else (400, 403, 404, 409, 410, 413, 422, an unfollowed
//     redirect ...) is Permanent: the same request fails the same way.
//
// reason is the server's own words, or the status text.
func StatusError(f Failure, status int, h http.Header, reason string, now time.Time, window time.Duration) *platforms.Error {
	e := &platforms.Error{Status: status, Reason: reason, Class: platforms.Permanent}
	switch {
	case status == http.StatusTooManyRequests:
		e.Class = platforms.RateLimited
		if at, ok := RetryAt(h, now); ok {
			e.RetryAt = at
		} else if window > 0 {
			e.RetryAt = now.Add(window)
		}
	case status == http.StatusUnauthorized:
		e.Reauth = true
	case status == http.StatusRequestTimeout || status >= 500:
		e.Class = platforms.Transient
		if f.MayLand {
			e.Class = platforms.UnknownOutcome
		}
	}
	return e
}

// RetryAt reads from an answer's headers when a rate limit lifts, as the
// networks and the proxies in front of them write it:
//
//   - Retry-After: seconds from now, or an HTTP date (RFC 9110);
//   - RateLimit-Reset (Bluesky) and X-RateLimit-Reset (Mastodon): a Unix
//     time in seconds (Bluesky), an ISO 8601 time (Mastodon), or, as the
//     IETF RateLimit fields have it, seconds from now (a number too small
//     to be a Unix time of this century).
//
// Where several are given it takes the latest, since an earlier retry is
// refused again. now is the caller's clock. ok is false when none could
// be read.
func RetryAt(h http.Header, now time.Time) (at time.Time, ok bool) {
	for _, name := range []string{"Retry-After", "RateLimit-Reset", "X-RateLimit-Reset"} {
		t, found := readTime(h.Get(name), now)
		if found && (!ok || t.After(at)) {
			at, ok = t, true
		}
	}
	return at.UTC(), ok
}

// unixSecondsFrom is the smallest number read as a Unix time rather than
// seconds from now: 2001-09-09.
const unixSecondsFrom = 1_000_000_000

func readTime(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		switch {
		case n < 0:
			return time.Time{}, false
		case n >= unixSecondsFrom:
			return time.Unix(n, 0), true
		}
		return now.Add(time.Duration(n) * time.Second), true
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// Pages walks a listing the networks hand out a page at a time, newest
// first. fetch reads the page at cursor ("" for the first) and returns its
// items and the cursor of the page after it ("" when there is none); take
// sees each page's items and says whether to read on. The walk ends at the
// first empty page, and after maxPages pages, so a server that keeps
// pointing onward cannot keep the caller looping.
func Pages[T any](maxPages int, fetch func(cursor string) ([]T, string, error), take func([]T) bool) error {
	cursor := ""
	for page := 0; page < maxPages; page++ {
		items, next, err := fetch(cursor)
		if err != nil {
			return err
		}
		if !take(items) || next == "" || len(items) == 0 {
			return nil
		}
		cursor = next
	}
	return nil
}
