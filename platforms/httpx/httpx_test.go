package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
)

var now = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func TestStatusError(t *testing.T) {
	read := Failure{Host: "example.social", Op: "GET /api/v1/notifications"}
	write := Failure{Host: "example.social", Op: "POST /api/v1/statuses", MayLand: true}
	tests := []struct {
		status int
		f      Failure
		class  platforms.Class
		reauth bool
	}{
		{401, read, platforms.Permanent, true},
		{401, write, platforms.Permanent, true},
		{403, read, platforms.Permanent, false},
		{403, write, platforms.Permanent, false},
		{408, read, platforms.Transient, false},
		{408, write, platforms.UnknownOutcome, false},
		{500, read, platforms.Transient, false},
		{500, write, platforms.UnknownOutcome, false},
		{502, write, platforms.UnknownOutcome, false},
		{503, read, platforms.Transient, false},
		{504, write, platforms.UnknownOutcome, false},
		{429, write, platforms.RateLimited, false},
		{400, write, platforms.Permanent, false},
		{404, read, platforms.Permanent, false},
		{409, write, platforms.Permanent, false},
		{410, read, platforms.Permanent, false},
		{413, write, platforms.Permanent, false},
		{422, write, platforms.Permanent, false},
		{302, read, platforms.Permanent, false},
		{101, read, platforms.Permanent, false},
	}
	for _, tt := range tests {
		if !IsError(tt.status) {
			t.Errorf("IsError(%d) = false", tt.status)
		}
		e := StatusError(tt.f, tt.status, http.Header{}, "the server's words", now, 0)
		if e.Class != tt.class || e.Reauth != tt.reauth || e.Status != tt.status || e.Reason != "the server's words" {
			t.Errorf("%d on %s: %+v, want class %v, reauth %v", tt.status, tt.f.Op, e, tt.class, tt.reauth)
		}
	}
	for _, ok := range []int{200, 201, 202, 204, 206} {
		if IsError(ok) {
			t.Errorf("IsError(%d) = true", ok)
		}
	}
}

// TestRateLimitedRetryAt: a 429 says when to retry from its headers, else
// after the network's window from the caller's clock, else nothing.
func TestRateLimitedRetryAt(t *testing.T) {
	h := http.Header{"Retry-After": {"30"}}
	if e := StatusError(Failure{}, 429, h, "", now, 5*time.Minute); !e.RetryAt.Equal(now.Add(30 * time.Second)) {
		t.Errorf("Retry-After 30: RetryAt %v", e.RetryAt)
	}
	if e := StatusError(Failure{}, 429, http.Header{}, "", now, 5*time.Minute); !e.RetryAt.Equal(now.Add(5 * time.Minute)) {
		t.Errorf("no headers, 5-minute window: RetryAt %v", e.RetryAt)
	}
	if e := StatusError(Failure{}, 429, http.Header{}, "", now, 0); !e.RetryAt.IsZero() {
		t.Errorf("no headers, no window: RetryAt %v", e.RetryAt)
	}
}

func TestRetryAt(t *testing.T) {
	unix := now.Add(90 * time.Second)
	tests := []struct {
		name   string
		header http.Header
		want   time.Time // zero: none
	}{
		{"Retry-After seconds", http.Header{"Retry-After": {"120"}}, now.Add(2 * time.Minute)},
		{"Retry-After HTTP date", http.Header{"Retry-After": {now.Add(time.Hour).Format(http.TimeFormat)}}, now.Add(time.Hour)},
		{"Bluesky RateLimit-Reset, Unix seconds", http.Header{"Ratelimit-Reset": {fmt.Sprint(unix.Unix())}}, unix},
		{"Mastodon X-RateLimit-Reset, ISO 8601", http.Header{"X-Ratelimit-Reset": {"2026-11-27T09:05:00.123456Z"}}, time.Date(2026, 11, 27, 9, 5, 0, 123456000, time.UTC)},
		{"IETF RateLimit-Reset, seconds from now", http.Header{"Ratelimit-Reset": {"45"}}, now.Add(45 * time.Second)},
		{"the latest of several", http.Header{"Retry-After": {"10"}, "X-Ratelimit-Reset": {"2026-11-27T09:00:40Z"}, "Ratelimit-Reset": {"20"}}, now.Add(40 * time.Second)},
		{"spaces around", http.Header{"Retry-After": {" 5 "}}, now.Add(5 * time.Second)},
		{"garbage", http.Header{"Retry-After": {"soon"}}, time.Time{}},
		{"negative", http.Header{"Retry-After": {"-3"}}, time.Time{}},
		{"none", http.Header{}, time.Time{}},
	}
	for _, tt := range tests {
		got, ok := RetryAt(tt.header, now)
		if ok != !tt.want.IsZero() || (ok && !got.Equal(tt.want)) {
			t.Errorf("%s: RetryAt = %v, %v; want %v", tt.name, got, ok, tt.want)
		}
		if ok && got.Location() != time.UTC {
			t.Errorf("%s: RetryAt in %v, want UTC", tt.name, got.Location())
		}
	}
}

func TestNetworkError(t *testing.T) {
	read := Failure{Host: "bsky.social", Op: "app.bsky.notification.listNotifications"}
	write := Failure{Host: "bsky.social", Op: "com.atproto.repo.putRecord", MayLand: true}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	cert := &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		f      Failure
		wrote  bool
		err    error
		class  platforms.Class
		reason string
	}{
		{"a write that went out", context.Background(), write, true, reset, platforms.UnknownOutcome, "no answer after the request was sent: "},
		{"a write that did not", context.Background(), write, false, reset, platforms.Transient, "the request to bsky.social failed"},
		{"a read that went out", context.Background(), read, true, io.ErrUnexpectedEOF, platforms.Transient, "the connection to bsky.social broke off"},
		{"an untrusted certificate, read", context.Background(), read, false, cert, platforms.Permanent, "bsky.social's security certificate"},
		{"an untrusted certificate, write", context.Background(), write, false, cert, platforms.Permanent, "bsky.social's security certificate"},
		{"stopped before sending", cancelled, write, false, context.Canceled, platforms.Transient, "stopped before the request was sent"},
	}
	for _, tt := range tests {
		e := NetworkError(tt.ctx, tt.f, tt.wrote, tt.err)
		if e.Class != tt.class || !strings.HasPrefix(e.Reason, tt.reason) || !errors.Is(e, tt.err) || !strings.Contains(e.Err.Error(), tt.f.Op) {
			t.Errorf("%s: %v (%v), want class %v and a reason starting %q", tt.name, e, e.Class, tt.class, tt.reason)
		}
	}
}

// TestSendKnowsWhatWentOut: a refused connection sent nothing; a server
// that takes the whole request and hangs up had it all.
func TestSendKnowsWhatWentOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("status=hi"))
	if _, wrote, err := Send(srv.Client(), req, true); err == nil || !wrote {
		t.Errorf("hung up after the request: wrote %v, err %v", wrote, err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	req, _ = http.NewRequest(http.MethodPost, "http://"+addr+"/", strings.NewReader("status=hi"))
	if _, wrote, err := Send(http.DefaultClient, req, true); err == nil || wrote {
		t.Errorf("refused: wrote %v, err %v", wrote, err)
	}
}

// TestSendOnceIsNotReplayed: a request sent once reaches the server once
// even when its kept-alive connection breaks and it carries what makes
// Go's transport replay a request by itself (an Idempotency-Key and a
// rewindable body); without once, the transport replays it.
func TestSendOnceIsNotReplayed(t *testing.T) {
	for _, once := range []bool{true, false} {
		var posts atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				io.WriteString(w, "ok") // keeps the connection alive
				return
			}
			io.Copy(io.Discard, r.Body)
			posts.Add(1)
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		}))
		hc := srv.Client()
		if resp, err := hc.Get(srv.URL); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("status=hi"))
		req.Header.Set("Idempotency-Key", "k")
		Send(hc, req, once)
		srv.Close()
		if n := posts.Load(); once && n != 1 {
			t.Errorf("once: the server had the POST %d times, want 1", n)
		} else if !once && n != 2 {
			t.Errorf("without once the server had the POST %d times; the transport's replay this test guards against did not happen", n)
		}
	}
}

func TestPages(t *testing.T) {
	// A listing of 7 items, 3 a page, newest first; cursors are offsets.
	items := []int{7, 6, 5, 4, 3, 2, 1}
	var asked []string
	fetch := func(cursor string) ([]int, string, error) {
		asked = append(asked, cursor)
		from := 0
		fmt.Sscan(cursor, &from)
		to := min(from+3, len(items))
		next := ""
		if to < len(items) {
			next = fmt.Sprint(to)
		}
		return items[from:to], next, nil
	}
	var got []int
	all := func(page []int) bool { got = append(got, page...); return true }

	if err := Pages(10, fetch, all); err != nil || fmt.Sprint(got) != "[7 6 5 4 3 2 1]" || fmt.Sprint(asked) != "[ 3 6]" {
		t.Errorf("whole listing: %v, asked %q, %v", got, asked, err)
	}
	got, asked = nil, nil
	if Pages(2, fetch, all); fmt.Sprint(got) != "[7 6 5 4 3 2]" {
		t.Errorf("two pages at most: %v", got)
	}
	got, asked = nil, nil
	Pages(10, fetch, func(page []int) bool { got = append(got, page...); return page[len(page)-1] > 4 })
	if fmt.Sprint(got) != "[7 6 5 4 3 2]" {
		t.Errorf("until take says stop: %v", got)
	}
	n := 0
	endless := func(string) ([]int, string, error) { n++; return nil, "more", nil }
	if Pages(10, endless, all); n != 1 {
		t.Errorf("an empty page that points on: read %d pages, want 1", n)
	}
	boom := errors.New("boom")
	if err := Pages(10, func(string) ([]int, string, error) { return nil, "", boom }, all); !errors.Is(err, boom) {
		t.Errorf("error = %v", err)
	}
}
