package testnet

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Account is an account on the network's PDS, signed in.
type Account struct {
	Handle     string
	DID        string
	Password   string // the account's own password
	AccessJwt  string
	RefreshJwt string
	// AppPassword is an ordinary (not privileged) app password of the
	// account, the kind a crier user would paste in.
	AppPassword string
}

// AppPassword is what com.atproto.server.createAppPassword returns.
type AppPassword struct {
	Name       string `json:"name"`
	Password   string `json:"password"`
	Privileged bool   `json:"privileged"`
}

// Session is what com.atproto.server.createSession returns.
type Session struct {
	DID        string `json:"did"`
	Handle     string `json:"handle"`
	AccessJwt  string `json:"accessJwt"`
	RefreshJwt string `json:"refreshJwt"`
}

// CreateAccount creates an account through com.atproto.server.createAccount
// (no invite code needed) and an app password for it. A handle without a
// domain gets ".test", the only domain the PDS serves; the part before it
// must be 3-18 letters, digits or hyphens. On a shared network use
// UniqueHandle.
func (n *Network) CreateAccount(t testing.TB, handle string) Account {
	t.Helper()
	if !strings.Contains(handle, ".") {
		handle += ".test"
	}
	label, _, _ := strings.Cut(handle, ".")
	acct := Account{Handle: handle, Password: randomSecret()}
	in := map[string]string{
		"handle":   handle,
		"email":    label + "@crier.test",
		"password": acct.Password,
	}
	var out Session
	if err := n.xrpc(http.MethodPost, "com.atproto.server.createAccount", "", in, nil, &out); err != nil {
		t.Fatalf("create account %s: %v", handle, err)
	}
	acct.DID, acct.AccessJwt, acct.RefreshJwt = out.DID, out.AccessJwt, out.RefreshJwt
	acct.AppPassword = n.CreateAppPassword(t, acct, "crier", false).Password
	return acct
}

// CreateAppPassword makes an app password for acct. privileged=true makes one
// "with DM access" (sessions made from it carry the
// com.atproto.appPassPrivileged scope).
func (n *Network) CreateAppPassword(t testing.TB, acct Account, name string, privileged bool) AppPassword {
	t.Helper()
	in := map[string]any{"name": name, "privileged": privileged}
	var out AppPassword
	if err := n.xrpc(http.MethodPost, "com.atproto.server.createAppPassword", acct.AccessJwt, in, nil, &out); err != nil {
		t.Fatalf("create app password for %s: %v", acct.Handle, err)
	}
	return out
}

// CreateSession signs in with a handle or DID and a password (the account's
// own or an app password).
func (n *Network) CreateSession(t testing.TB, identifier, password string) Session {
	t.Helper()
	in := map[string]string{"identifier": identifier, "password": password}
	var out Session
	if err := n.xrpc(http.MethodPost, "com.atproto.server.createSession", "", in, nil, &out); err != nil {
		t.Fatalf("create session for %s: %v", identifier, err)
	}
	return out
}

// Post calls an XRPC procedure on the PDS with a bearer token ("" for none),
// decoding the answer into out (nil to drop it); it fails the test on error.
// A test helper for fixtures, not a client: crier's own client is what tests test.
func (n *Network) Post(t testing.TB, token, nsid string, in, out any) {
	t.Helper()
	if err := n.xrpc(http.MethodPost, nsid, token, in, nil, out); err != nil {
		t.Fatalf("%s: %v", nsid, err)
	}
}

// Get calls an XRPC query on the PDS (app.bsky.* queries are proxied to the
// AppView), like Post.
func (n *Network) Get(t testing.TB, token, nsid string, params url.Values, out any) {
	t.Helper()
	if err := n.xrpc(http.MethodGet, nsid, token, nil, params, out); err != nil {
		t.Fatalf("%s: %v", nsid, err)
	}
}

// XRPCError is an XRPC call's error answer.
type XRPCError struct {
	Status  int
	Name    string `json:"error"`
	Message string `json:"message"`
}

func (e *XRPCError) Error() string {
	return fmt.Sprintf("HTTP %d %s: %s", e.Status, e.Name, e.Message)
}

func (n *Network) xrpc(method, nsid, token string, in any, params url.Values, out any) error {
	u := n.PDS + "/xrpc/" + nsid
	if len(params) > 0 {
		u += "?" + params.Encode()
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := n.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		xe := &XRPCError{Status: resp.StatusCode}
		if json.Unmarshal(data, xe) != nil || xe.Name == "" {
			xe.Message = strings.TrimSpace(string(data))
		}
		return xe
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("decoding the answer: %w", err)
	}
	return nil
}

func randomSecret() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
