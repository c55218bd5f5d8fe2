package bluesky

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakePDS is a small stand-in for a PDS: sessions whose refresh tokens
// rotate and whose access tokens can be expired on demand, plus handlers a
// test adds per method.
type fakePDS struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	gen       int // the current token generation
	access    string
	refresh   string
	revoked   bool // refreshing fails: the refresh token is dead
	logins    int
	refreshes int
	password  string
	handlers  map[string]http.HandlerFunc
	calls     map[string]int
	requests  []recordedRequest
}

type recordedRequest struct {
	nsid   string
	query  string
	header http.Header
	body   []byte
}

const fakeDID = "did:plc:fakefakefakefakefakefake"

func newFakePDS(t *testing.T) *fakePDS {
	f := &fakePDS{t: t, password: "app-pass", handlers: map[string]http.HandlerFunc{}, calls: map[string]int{}}
	f.rotate()
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// rotate issues a new token pair; callers hold mu or are single-threaded.
func (f *fakePDS) rotate() {
	f.gen++
	f.access = fmt.Sprintf("access-%d", f.gen)
	f.refresh = fmt.Sprintf("refresh-%d", f.gen)
}

// expireAccess makes the current access token stale, as after two hours.
func (f *fakePDS) expireAccess() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.access = "expired-" + f.access
}

func (f *fakePDS) handle(nsid string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[nsid] = h
}

func (f *fakePDS) count(nsid string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[nsid]
}

func (f *fakePDS) last(nsid string) recordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.requests) - 1; i >= 0; i-- {
		if f.requests[i].nsid == nsid {
			return f.requests[i]
		}
	}
	f.t.Fatalf("no %s request", nsid)
	return recordedRequest{}
}

func writeXRPCError(w http.ResponseWriter, status int, name, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": name, "message": msg})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (f *fakePDS) serve(w http.ResponseWriter, r *http.Request) {
	nsid := strings.TrimPrefix(r.URL.Path, "/xrpc/")
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.calls[nsid]++
	f.requests = append(f.requests, recordedRequest{nsid: nsid, query: r.URL.RawQuery, header: r.Header.Clone(), body: body})
	bearer := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch nsid {
	case "com.atproto.server.createSession":
		f.logins++
		var in struct{ Identifier, Password string }
		json.Unmarshal(body, &in)
		if in.Password != f.password {
			f.mu.Unlock()
			writeXRPCError(w, 401, "AuthenticationRequired", "Invalid identifier or password")
			return
		}
		f.rotate()
		f.revoked = false
		out := map[string]string{"accessJwt": f.access, "refreshJwt": f.refresh, "did": fakeDID, "handle": "me.test"}
		f.mu.Unlock()
		writeJSON(w, out)
		return
	case "com.atproto.server.refreshSession":
		f.refreshes++
		if f.revoked || bearer != f.refresh {
			f.mu.Unlock()
			writeXRPCError(w, 400, "ExpiredToken", "Token has been revoked")
			return
		}
		f.rotate()
		out := map[string]string{"accessJwt": f.access, "refreshJwt": f.refresh, "did": fakeDID, "handle": "me.test"}
		f.mu.Unlock()
		writeJSON(w, out)
		return
	}
	if bearer != f.access {
		f.mu.Unlock()
		if strings.HasPrefix(bearer, "expired-") || strings.HasPrefix(bearer, "access-") {
			writeXRPCError(w, 400, "ExpiredToken", "Token has expired")
		} else {
			writeXRPCError(w, 401, "AuthenticationRequired", "Authentication Required")
		}
		return
	}
	h := f.handlers[nsid]
	f.mu.Unlock()
	if h == nil {
		writeXRPCError(w, 501, "MethodNotImplemented", "Method Not Implemented")
		return
	}
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	h(w, r)
}

// client returns a client already signed in with the fake's current tokens.
func (f *fakePDS) client(opts ...Option) *Client {
	f.mu.Lock()
	sess := Session{AccessJwt: f.access, RefreshJwt: f.refresh, DID: fakeDID, Handle: "me.test"}
	f.mu.Unlock()
	c := New(f.srv.URL, "me.test", opts...)
	c.sess = &sess
	return c
}

func (f *fakePDS) stats() (logins, refreshes int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.logins, f.refreshes
}

func (f *fakePDS) revoke() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revoked = true
}

func (f *fakePDS) tokens() (access, refresh string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.access, f.refresh
}
