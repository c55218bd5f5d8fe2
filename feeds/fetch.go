package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Limits of a fetch.
const (
	DefaultMaxBytes      = 5 << 20 // a feed larger than this is refused
	DefaultMaxImageBytes = 5 << 20
	DefaultTimeout       = 20 * time.Second
	DefaultMaxRedirects  = 5
)

// ErrTooLarge is wrapped by the error for a feed or image over its size
// limit.
var ErrTooLarge = errors.New("is larger than crier reads")

// newClient is an HTTP client with a whole-request timeout and a limit on
// redirects (a loop of them ends with a clear error).
func newClient(timeout time.Duration, maxRedirects int) *http.Client {
	return &http.Client{
		Timeout: timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("redirected more than %d times (last to %s)", maxRedirects, req.URL.Redacted())
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirected to %s, which is not http or https", req.URL.Redacted())
			}
			return nil
		},
	}
}

// response is what a fetch brought back.
type response struct {
	body         []byte
	notModified  bool
	etag         string
	lastModified string
	contentType  string
}

// get fetches url with a conditional request (etag, lastModified may be
// ""), reading at most max bytes. Its errors say what went wrong in words.
func get(ctx context.Context, c *http.Client, url, etag, lastModified, accept, userAgent string, max int64) (response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return response{}, fmt.Errorf("the address does not read: %w", err)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return response{}, fmt.Errorf("the address must start with http:// or https://")
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", accept)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	resp, err := c.Do(req)
	if err != nil {
		return response{}, describeGetError(err, c.Timeout)
	}
	defer resp.Body.Close()
	r := response{etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified"), contentType: resp.Header.Get("Content-Type")}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		r.notModified = true
		return r, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return r, fmt.Errorf("the server answered %s", resp.Status)
	}
	if resp.ContentLength > max {
		return r, fmt.Errorf("%w: it is %d bytes, the limit is %d", ErrTooLarge, resp.ContentLength, max)
	}
	r.body, err = io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return r, describeGetError(err, c.Timeout)
	}
	if int64(len(r.body)) > max {
		return r, fmt.Errorf("%w: it is over %d bytes", ErrTooLarge, max)
	}
	return r, nil
}

// describeGetError words the errors of net/http.
func describeGetError(err error, timeout time.Duration) error {
	var ne net.Error
	var dns *net.DNSError
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("the server did not answer within %v", timeout)
	case errors.As(err, &dns):
		return fmt.Errorf("no server is known by the name %s", dns.Name)
	case strings.Contains(err.Error(), "connection refused"):
		return fmt.Errorf("the server refused the connection (%v)", err)
	}
	return err
}
