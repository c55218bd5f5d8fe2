package mastodon_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

func TestNewPKCE(t *testing.T) {
	v1, c1 := mastodon.NewPKCE()
	v2, _ := mastodon.NewPKCE()
	if len(v1) != 43 || v1 == v2 {
		t.Errorf("verifiers %q, %q: want 43 characters, fresh each time", v1, v2)
	}
	sum := sha256.Sum256([]byte(v1))
	if want := base64.RawURLEncoding.EncodeToString(sum[:]); c1 != want {
		t.Errorf("challenge = %q, want S256 of the verifier %q", c1, want)
	}
}

// approve plays the user: opens the authorize URL and reads the code the
// server shows for the out-of-band redirect.
func approve(t *testing.T, authURL string) string {
	t.Helper()
	resp, err := http.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("authorize: %d %s", resp.StatusCode, b)
	}
	return string(b)
}

func TestLoginWithPKCE(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	defer srv.Close()
	ctx := context.Background()

	id, secret, err := mastodon.RegisterApp(ctx, srv.URL, "crier", mastodon.Scopes)
	if err != nil {
		t.Fatal(err)
	}
	verifier, challenge := mastodon.NewPKCE()
	authURL := mastodon.AuthorizeURL(srv.URL, id, mastodon.Scopes, challenge)
	u, _ := url.Parse(authURL)
	if q := u.Query(); q.Get("redirect_uri") != mastodon.RedirectOOB || q.Get("code_challenge_method") != "S256" ||
		q.Get("scope") != mastodon.Scopes || u.Path != "/oauth/authorize" {
		t.Errorf("authorize URL %s", authURL)
	}

	// A wrong verifier is refused, and does not spend the code.
	code := approve(t, authURL)
	other, _ := mastodon.NewPKCE()
	_, err = mastodon.ExchangeCode(ctx, srv.URL, id, secret, code, other)
	if pe := wantClass(t, err, platforms.Permanent); pe.Status != 400 {
		t.Errorf("wrong verifier: %+v, want 400 invalid_grant", pe)
	}

	token, err := mastodon.ExchangeCode(ctx, srv.URL, id, secret, code, verifier)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mastodon.New(srv.URL, token).Followers(ctx); err != nil {
		t.Errorf("the new token does not work: %v", err)
	}
	_, err = mastodon.ExchangeCode(ctx, srv.URL, id, secret, code, verifier)
	wantClass(t, err, platforms.Permanent) // a code is good once

	_, err = mastodon.ExchangeCode(ctx, srv.URL, id, "wrong-secret", approve(t, authURL), verifier)
	if pe := wantClass(t, err, platforms.Permanent); pe.Status != 401 {
		t.Errorf("wrong secret: %+v, want 401", pe)
	}
}

func TestSaveToken(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state", "mastodon.token")
	if err := mastodon.SaveToken(path, "first"); err != nil {
		t.Fatal(err)
	}
	// An existing file readable by others is replaced by a private one.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := mastodon.SaveToken(path, "second"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if tok, err := mastodon.LoadToken(path); err != nil || tok != "second" {
		t.Errorf("LoadToken = %q, %v", tok, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the token (no temporaries left)", len(entries))
	}
}

func TestSaveTokenFailureLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "token")
	if err := os.Mkdir(target, 0o700); err != nil { // rename over a directory fails
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "keep"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := mastodon.SaveToken(target, "secret"); err == nil {
		t.Fatal("SaveToken over a directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "token" || !entries[0].IsDir() {
		t.Errorf("directory after a failed save: %v", entries)
	}
}
