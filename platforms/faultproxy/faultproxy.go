// Package faultproxy is an HTTP proxy for tests that stands between crier
// and a real server and breaks chosen exchanges the way networks break
// them: an answer lost after the server acted on the request, an answer
// held past any timeout, a 5xx in place of the real answer, a rate limit,
// a server that takes a request and never answers. The server itself is
// real; only what reaches crier is faulted, so a test can count on the
// server what really happened.
//
// It imports nothing of crier's: any network's tests can put it in front
// of their server.
package faultproxy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is what the proxy does to one exchange.
type Fault int

const (
	// Pass forwards the request and returns the server's answer.
	Pass Fault = iota
	// DropAfterAnswer forwards the request, waits for the server's
	// answer, and then closes the client's connection without a byte of
	// it: the server acted, the client cannot know.
	DropAfterAnswer
	// ServerErrorAfterAnswer forwards the request and, once the server
	// has answered, returns Action.Status (500 unless set) instead.
	ServerErrorAfterAnswer
	// HoldAnswer forwards the request and keeps the server's answer for
	// Action.Hold before passing it on (the client has usually given up by
	// then).
	HoldAnswer
	// HoldRequest keeps the request for Action.Hold without forwarding it,
	// then closes the connection: a server that accepted the connection and
	// never answered.
	HoldRequest
	// RateLimit answers 429 without forwarding, with the reset time
	// Action.Hold from now in the headers both Bluesky and Mastodon use.
	RateLimit
	// Refuse closes the connection at once without forwarding: the server
	// never saw the request.
	Refuse
)

func (f Fault) String() string {
	switch f {
	case Pass:
		return "pass"
	case DropAfterAnswer:
		return "drop after answer"
	case ServerErrorAfterAnswer:
		return "5xx after answer"
	case HoldAnswer:
		return "hold answer"
	case HoldRequest:
		return "hold request"
	case RateLimit:
		return "429"
	case Refuse:
		return "refuse"
	}
	return fmt.Sprintf("fault(%d)", int(f))
}

// Action is the decision for one request.
type Action struct {
	Fault  Fault
	Hold   time.Duration // HoldAnswer, HoldRequest; RateLimit: until the reset
	Status int           // ServerErrorAfterAnswer (default 500)
}

// Request is what a Decide function sees: the request, with its body read.
type Request struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
	// N counts the requests seen before this one with the same method and
	// path, from 0.
	N int
}

// Options configure a Proxy.
type Options struct {
	// Decide picks the fault for each request; nil passes everything.
	// It may be changed later with SetDecide.
	Decide func(Request) Action
	// Latency, when not nil, is waited before forwarding a request and
	// again before passing its answer back, as a real network would.
	Latency func() time.Duration
}

// Event records one exchange.
type Event struct {
	At     time.Time
	Method string
	Path   string
	Fault  Fault
	Status int // what the server answered; 0 when it was not asked
}

// Proxy is a running fault proxy. Its URL replaces the server's in the
// client's configuration.
type Proxy struct {
	URL    string
	target string
	srv    *httptest.Server
	client *http.Client

	mu      sync.Mutex
	decide  func(Request) Action
	latency func() time.Duration
	counts  map[string]int
	events  []Event
	closing chan struct{}
}

// New starts a proxy on 127.0.0.1 in front of target (a base URL such as
// http://127.0.0.1:2583). Close stops it.
func New(target string, o Options) *Proxy {
	transport := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     30 * time.Second,
	}
	p := &Proxy{
		target:  strings.TrimSuffix(target, "/"),
		client:  &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		decide:  o.Decide,
		latency: o.Latency,
		counts:  map[string]int{},
		closing: make(chan struct{}),
	}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	p.URL = p.srv.URL
	return p
}

// SetDecide replaces the decision function (nil passes everything).
func (p *Proxy) SetDecide(decide func(Request) Action) {
	p.mu.Lock()
	p.decide = decide
	p.mu.Unlock()
}

// Close releases held exchanges and stops the proxy.
func (p *Proxy) Close() {
	p.mu.Lock()
	select {
	case <-p.closing:
	default:
		close(p.closing)
	}
	p.mu.Unlock()
	p.srv.CloseClientConnections()
	p.srv.Close()
	p.client.CloseIdleConnections()
}

// Count reports how many requests with this method and path the proxy has
// seen (faulted or not).
func (p *Proxy) Count(method, path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[method+" "+path]
}

// Events lists the exchanges so far, in the order they began.
func (p *Proxy) Events() []Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Event(nil), p.events...)
}

// Faults counts the exchanges that were faulted, by fault.
func (p *Proxy) Faults() map[Fault]int {
	out := map[Fault]int{}
	for _, e := range p.Events() {
		if e.Fault != Pass {
			out[e.Fault]++
		}
	}
	return out
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	p.mu.Lock()
	key := r.Method + " " + r.URL.Path
	req := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body, N: p.counts[key]}
	p.counts[key]++
	decide, latency := p.decide, p.latency
	p.mu.Unlock()

	act := Action{}
	if decide != nil {
		act = decide(req)
	}
	ev := Event{At: time.Now(), Method: r.Method, Path: r.URL.Path, Fault: act.Fault}
	idx := p.record(ev)

	if latency != nil && !p.wait(r.Context(), latency()) {
		return
	}
	switch act.Fault {
	case Refuse:
		p.hangUp(w)
		return
	case HoldRequest:
		p.wait(r.Context(), act.Hold)
		p.hangUp(w)
		return
	case RateLimit:
		reset := time.Now().Add(act.Hold)
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("RateLimit-Limit", "3000")
		h.Set("RateLimit-Remaining", "0")
		h.Set("RateLimit-Reset", strconv.FormatInt(reset.Unix()+1, 10))
		h.Set("X-RateLimit-Limit", "300")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", reset.UTC().Format(time.RFC3339))
		h.Set("Retry-After", strconv.Itoa(int(act.Hold.Seconds()+1)))
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":"RateLimitExceeded","message":"Rate Limit Exceeded (injected by the test proxy)"}`)
		return
	}

	resp, respBody, err := p.forward(r, body)
	if err != nil {
		p.hangUp(w)
		return
	}
	p.setStatus(idx, resp.StatusCode)
	switch act.Fault {
	case DropAfterAnswer:
		p.hangUp(w)
		return
	case ServerErrorAfterAnswer:
		status := act.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, `{"error":"InternalServerError","message":"Internal Server Error (injected by the test proxy)"}`)
		return
	case HoldAnswer:
		if !p.wait(r.Context(), act.Hold) {
			return
		}
	}
	if latency != nil && !p.wait(r.Context(), latency()) {
		return
	}
	for k, vs := range resp.Header {
		if hopByHop[http.CanonicalHeaderKey(k)] {
			continue
		}
		for _, v := range vs {
			if k == "Link" || k == "Location" {
				v = strings.ReplaceAll(v, p.target, p.URL)
			}
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(respBody)))
	w.WriteHeader(resp.StatusCode)
	w.Write(respBody)
}

var hopByHop = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true, "Content-Length": true,
}

// forward sends the request to the server and reads its whole answer. It
// is not cancelled by the client going away: a server that was asked acts
// on it whatever the client does, and so must the test's view of it.
func (p *Proxy) forward(r *http.Request, body []byte) (*http.Response, []byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := http.NewRequestWithContext(ctx, r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for k, vs := range r.Header {
		if hopByHop[http.CanonicalHeaderKey(k)] {
			continue
		}
		out.Header[k] = vs
	}
	out.Host = ""
	resp, err := p.client.Do(out)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	return resp, respBody, err
}

// hangUp closes the client's connection without an answer.
func (p *Proxy) hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("faultproxy: the response cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

// wait waits d, or less when the client goes away or the proxy closes,
// and reports whether the full time passed.
func (p *Proxy) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-p.closing:
		return false
	}
}

func (p *Proxy) record(e Event) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, e)
	return len(p.events) - 1
}

func (p *Proxy) setStatus(i, status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events[i].Status = status
}
