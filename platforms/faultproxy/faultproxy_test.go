package faultproxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// backend counts the posts it has acted on and answers each with its number.
func backend(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var acted atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		n := acted.Add(1)
		w.Header().Set("Link", `<`+"http://"+r.Host+`/next>; rel="next"`)
		io.WriteString(w, string(body)+" #"+string(rune('0'+n)))
	}))
	t.Cleanup(srv.Close)
	return srv, &acted
}

func post(c *http.Client, url string) (*http.Response, string, error) {
	req, _ := http.NewRequest(http.MethodPost, url+"/statuses", strings.NewReader("hello"))
	resp, err := c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

func TestFaults(t *testing.T) {
	for _, tc := range []struct {
		act       Action
		timeout   time.Duration
		wantErr   bool
		wantCode  int
		wantActed int64
	}{
		{act: Action{Fault: Pass}, wantCode: 200, wantActed: 1},
		{act: Action{Fault: DropAfterAnswer}, wantErr: true, wantActed: 1},
		{act: Action{Fault: ServerErrorAfterAnswer}, wantCode: 500, wantActed: 1},
		{act: Action{Fault: ServerErrorAfterAnswer, Status: 503}, wantCode: 503, wantActed: 1},
		{act: Action{Fault: HoldAnswer, Hold: time.Minute}, timeout: 200 * time.Millisecond, wantErr: true, wantActed: 1},
		{act: Action{Fault: HoldAnswer, Hold: 50 * time.Millisecond}, wantCode: 200, wantActed: 1},
		{act: Action{Fault: HoldRequest, Hold: time.Minute}, timeout: 200 * time.Millisecond, wantErr: true, wantActed: 0},
		{act: Action{Fault: RateLimit, Hold: 30 * time.Second}, wantCode: 429, wantActed: 0},
		{act: Action{Fault: Refuse}, wantErr: true, wantActed: 0},
	} {
		t.Run(tc.act.Fault.String(), func(t *testing.T) {
			srv, acted := backend(t)
			p := New(srv.URL, Options{Decide: func(Request) Action { return tc.act }})
			defer p.Close()
			c := &http.Client{Timeout: tc.timeout}
			resp, body, err := post(c, p.URL)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("got %d %q, want an error", resp.StatusCode, body)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode != tc.wantCode {
					t.Fatalf("status %d, want %d", resp.StatusCode, tc.wantCode)
				}
			}
			// The server acts on a forwarded request whatever the client
			// did. Close returns once the proxy has finished every exchange
			// (a held one released), each of which waited for the server's
			// answer to what it forwarded: what the server did is all done.
			p.Close()
			if got := acted.Load(); got != tc.wantActed {
				t.Fatalf("the server acted %d times, want %d", got, tc.wantActed)
			}
			if tc.act.Fault == Pass && (body != "hello #1" || !strings.Contains(resp.Header.Get("Link"), p.URL)) {
				t.Fatalf("passed answer = %q, Link %q", body, resp.Header.Get("Link"))
			}
			if tc.act.Fault == RateLimit {
				if resp.Header.Get("RateLimit-Reset") == "" || resp.Header.Get("X-RateLimit-Reset") == "" {
					t.Fatalf("429 without reset headers: %v", resp.Header)
				}
			}
			if n := p.Count(http.MethodPost, "/statuses"); n != 1 {
				t.Fatalf("Count = %d", n)
			}
			if tc.act.Fault != Pass && p.Faults()[tc.act.Fault] != 1 {
				t.Fatalf("Faults = %v", p.Faults())
			}
		})
	}
}

func TestDecideSeesEachRequestNumbered(t *testing.T) {
	srv, acted := backend(t)
	var seen []int
	p := New(srv.URL, Options{Decide: func(r Request) Action {
		seen = append(seen, r.N)
		if string(r.Body) != "hello" {
			t.Errorf("body %q", r.Body)
		}
		if r.N%2 == 1 {
			return Action{Fault: ServerErrorAfterAnswer}
		}
		return Action{}
	}})
	defer p.Close()
	codes := ""
	for range 4 {
		resp, _, err := post(http.DefaultClient, p.URL)
		if err != nil {
			t.Fatal(err)
		}
		codes += resp.Status[:3] + " "
	}
	if codes != "200 500 200 500 " || acted.Load() != 4 || len(seen) != 4 || seen[3] != 3 {
		t.Fatalf("codes %q, acted %d, seen %v", codes, acted.Load(), seen)
	}
}
