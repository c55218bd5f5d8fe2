package testnet

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/crier-app/crier/internal/waitfor"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// One network for the whole binary, stopped after the last test.
func TestMain(m *testing.M) {
	os.Exit(Main(m))
}

// TestNetworkIsReal drives the reference servers the way crier will: a post
// written to the PDS, a like from another account, and the AppView's
// notification and like count catching up with both. Plain net/http only.
func TestNetworkIsReal(t *testing.T) {
	n := Shared(t)
	alice := n.CreateAccount(t, n.UniqueHandle("alice"))
	bob := n.CreateAccount(t, n.UniqueHandle("bob"))
	if !strings.HasPrefix(alice.DID, "did:plc:") || alice.AccessJwt == "" || alice.RefreshJwt == "" {
		t.Fatalf("account looks wrong: %+v", alice)
	}

	// The PLC directory knows the new DID and its handle.
	var doc struct {
		AlsoKnownAs []string `json:"alsoKnownAs"`
	}
	getJSON(t, n.PLC+"/"+alice.DID, "", &doc)
	if len(doc.AlsoKnownAs) == 0 || doc.AlsoKnownAs[0] != "at://"+alice.Handle {
		t.Fatalf("PLC document of %s: alsoKnownAs %v", alice.DID, doc.AlsoKnownAs)
	}

	// Alice posts.
	now := time.Now().UTC().Format(time.RFC3339Nano)
	var post strongRef
	postJSON(t, n.PDS+"/xrpc/com.atproto.repo.createRecord", alice.AccessJwt, map[string]any{
		"repo":       alice.DID,
		"collection": "app.bsky.feed.post",
		"record": map[string]any{
			"$type":     "app.bsky.feed.post",
			"text":      "Fresh sourdough at 8 tomorrow 🍞",
			"createdAt": now,
			"langs":     []string{"en"},
		},
	}, &post)
	if !strings.HasPrefix(post.URI, "at://"+alice.DID+"/app.bsky.feed.post/") || post.CID == "" {
		t.Fatalf("createRecord answered %+v", post)
	}

	// Bob likes it, signed in with his app password as crier would be.
	bobSession := n.CreateSession(t, bob.Handle, bob.AppPassword)
	var like strongRef
	postJSON(t, n.PDS+"/xrpc/com.atproto.repo.createRecord", bobSession.AccessJwt, map[string]any{
		"repo":       bob.DID,
		"collection": "app.bsky.feed.like",
		"record": map[string]any{
			"$type":     "app.bsky.feed.like",
			"subject":   post,
			"createdAt": time.Now().UTC().Format(time.RFC3339Nano),
		},
	}, &like)

	// Reads lag writes: the AppView indexes from the PDS's firehose.
	var notes struct {
		Notifications []struct {
			Reason        string `json:"reason"`
			ReasonSubject string `json:"reasonSubject"`
			URI           string `json:"uri"`
			Author        struct {
				DID    string `json:"did"`
				Handle string `json:"handle"`
			} `json:"author"`
		} `json:"notifications"`
	}
	liked := time.Now()
	waitfor.Holds(t, 10*time.Second, "alice is notified of bob's like", func() bool {
		getJSON(t, n.PDS+"/xrpc/app.bsky.notification.listNotifications?limit=50", alice.AccessJwt, &notes)
		for _, nt := range notes.Notifications {
			if nt.Reason == "like" && nt.Author.DID == bob.DID && nt.ReasonSubject == post.URI && nt.URI == like.URI {
				if nt.Author.Handle != bob.Handle {
					t.Errorf("like's author handle = %q, want %q", nt.Author.Handle, bob.Handle)
				}
				return true
			}
		}
		return false
	})
	t.Logf("the like reached alice's notifications %s after it was written", time.Since(liked).Round(time.Millisecond))

	// The like count, through the PDS (as crier reads it) and from the
	// AppView directly (which serves getPosts without a session).
	var posts struct {
		Posts []struct {
			URI       string `json:"uri"`
			LikeCount int    `json:"likeCount"`
			Record    struct {
				Text string `json:"text"`
			} `json:"record"`
		} `json:"posts"`
	}
	q := "/xrpc/app.bsky.feed.getPosts?uris=" + url.QueryEscape(post.URI)
	waitfor.Holds(t, 10*time.Second, "getPosts shows likeCount 1", func() bool {
		getJSON(t, n.PDS+q, alice.AccessJwt, &posts)
		return len(posts.Posts) == 1 && posts.Posts[0].LikeCount == 1
	})
	if got := posts.Posts[0].Record.Text; got != "Fresh sourdough at 8 tomorrow 🍞" {
		t.Errorf("post text = %q", got)
	}
	getJSON(t, n.AppView+q, "", &posts)
	if len(posts.Posts) != 1 || posts.Posts[0].LikeCount != 1 {
		t.Errorf("AppView getPosts: %+v", posts.Posts)
	}
}

// TestAppPasswords records what the dev-env PDS does with app passwords: both
// kinds sign in, and only a privileged one carries the scope the PDS demands
// before it proxies chat.bsky.* (DM) calls.
func TestAppPasswords(t *testing.T) {
	n := Shared(t)
	acct := n.CreateAccount(t, n.UniqueHandle("carol"))

	plain := n.CreateSession(t, acct.Handle, acct.AppPassword)
	if plain.DID != acct.DID {
		t.Fatalf("session DID %q, want %q", plain.DID, acct.DID)
	}
	if got := jwtScope(t, plain.AccessJwt); got != "com.atproto.appPass" {
		t.Errorf("app password session scope = %q", got)
	}

	dm := n.CreateAppPassword(t, acct, "crier-dm", true)
	if !dm.Privileged || dm.Password == "" {
		t.Fatalf("privileged app password: %+v", dm)
	}
	priv := n.CreateSession(t, acct.DID, dm.Password)
	if got := jwtScope(t, priv.AccessJwt); got != "com.atproto.appPassPrivileged" {
		t.Errorf("privileged app password session scope = %q", got)
	}

	// An app password cannot make more app passwords; the account password can.
	err := n.xrpc(http.MethodPost, "com.atproto.server.createAppPassword", plain.AccessJwt,
		map[string]any{"name": "nested"}, nil, nil)
	var xe *XRPCError
	if !errors.As(err, &xe) || xe.Status < 400 || xe.Status >= 500 {
		t.Errorf("createAppPassword with an app-password session: %v, want a 4xx refusal", err)
	}

	// A wrong password is refused with the XRPC error shape.
	err = n.xrpc(http.MethodPost, "com.atproto.server.createSession", "",
		map[string]string{"identifier": acct.Handle, "password": "not-it"}, nil, nil)
	if !errors.As(err, &xe) || xe.Status != http.StatusUnauthorized || xe.Name != "AuthenticationRequired" {
		t.Errorf("bad password: %v", err)
	}
}

func TestUniqueHandle(t *testing.T) {
	n := &Network{}
	seen := map[string]bool{}
	for _, prefix := range []string{"alice", "alice", "a", "", "averyveryverylongprefix"} {
		h := n.UniqueHandle(prefix)
		label := strings.TrimSuffix(h, ".test")
		if !strings.HasSuffix(h, ".test") || len(label) < 3 || len(label) > 18 || seen[h] {
			t.Errorf("UniqueHandle(%q) = %q", prefix, h)
		}
		seen[h] = true
	}
}

// recorder stands in for a testing.TB to see how fail reports.
type recorder struct {
	testing.TB
	skipped, fatal string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Skip(args ...any)                  { r.skipped = fmt.Sprint(args...) }
func (r *recorder) Fatal(args ...any)                 { r.fatal = fmt.Sprint(args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.fatal = fmt.Sprintf(format, args...) }

func TestUnavailableSkipsOrFails(t *testing.T) {
	const how = `scripts/bsky-testnet install and then eval "$(scripts/bsky-testnet env)"`
	missing := &unavailableError{"Node.js 22 not found"}

	t.Setenv("CRIER_REQUIRE_TESTNET", "")
	r := &recorder{}
	fail(r, missing)
	if r.fatal != "" || !strings.Contains(r.skipped, how) || !strings.Contains(r.skipped, "Node.js 22 not found") {
		t.Errorf("without CRIER_REQUIRE_TESTNET: skipped %q, fatal %q", r.skipped, r.fatal)
	}

	t.Setenv("CRIER_REQUIRE_TESTNET", "1")
	r = &recorder{}
	fail(r, missing)
	if r.skipped != "" || !strings.Contains(r.fatal, how) {
		t.Errorf("with CRIER_REQUIRE_TESTNET=1: skipped %q, fatal %q", r.skipped, r.fatal)
	}

	// A network that is installed but breaks is a failure either way.
	t.Setenv("CRIER_REQUIRE_TESTNET", "")
	r = &recorder{}
	fail(r, errors.New("start.mjs exited"))
	if r.skipped != "" || r.fatal == "" {
		t.Errorf("a broken network: skipped %q, fatal %q", r.skipped, r.fatal)
	}
}

type strongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

func postJSON(t *testing.T, u, token string, in, out any) {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	do(t, req, token, out)
}

func getJSON(t *testing.T, u, token string, out any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	do(t, req, token, out)
}

func do(t *testing.T, req *http.Request, token string, out any) {
	t.Helper()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d: %s", req.Method, req.URL.Path, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("%s %s: %v in %s", req.Method, req.URL.Path, err, body)
	}
}

// jwtScope reads the scope claim of a session token (no signature check: the
// PDS made it a moment ago).
func jwtScope(t *testing.T, jwt string) string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	var claims struct {
		Scope string `json:"scope"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	return claims.Scope
}
