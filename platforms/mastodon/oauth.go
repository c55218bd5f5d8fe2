package mastodon

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/crier-app/crier/platforms"
)

const (
	// Scopes are what crier asks for: reading the profile (follower count),
	// posting with media, boosting (write:statuses) and favouriting,
	// reading notifications, statuses and conversations, and searching.
	Scopes = "profile write:statuses write:media write:favourites read:notifications read:statuses read:search"
	// RedirectOOB asks the server to show the authorization code to the
	// user instead of redirecting, for a terminal app.
	RedirectOOB = "urn:ietf:wg:oauth:2.0:oob"
)

// RegisterApp registers crier with server (POST /api/v1/apps) for the
// out-of-band redirect and returns the client id and secret.
func RegisterApp(ctx context.Context, server, name, scopes string, opts ...Option) (clientID, secret string, err error) {
	c := New(server, "", opts...)
	form := url.Values{
		"client_name":   {name},
		"redirect_uris": {RedirectOOB},
		"scopes":        {scopes},
	}
	r, err := c.do(ctx, call{method: http.MethodPost, path: "/api/v1/apps", form: form, noAuth: true})
	if err != nil {
		return "", "", err
	}
	var app struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := decode(r, &app); err != nil {
		return "", "", err
	}
	if app.ClientID == "" || app.ClientSecret == "" {
		return "", "", &platforms.Error{Class: platforms.Permanent, Reason: "the server returned no client credentials"}
	}
	return app.ClientID, app.ClientSecret, nil
}

// AuthorizeURL is the page where the user approves crier; the server then
// shows a code to paste into ExchangeCode. codeChallenge comes from NewPKCE.
func AuthorizeURL(server, clientID, scopes, codeChallenge string) string {
	u := *serverURL(server)
	u.Path += "/oauth/authorize"
	u.RawQuery = url.Values{
		"response_type":         {"code"},
		"client_id":             {clientID},
		"redirect_uri":          {RedirectOOB},
		"scope":                 {scopes},
		"code_challenge":        {codeChallenge},
		"code_challenge_method": {"S256"},
	}.Encode()
	return u.String()
}

// NewPKCE returns a fresh PKCE verifier (43 characters from 32 random
// bytes) and its S256 challenge (RFC 7636).
func NewPKCE() (verifier, challenge string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	verifier = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// ExchangeCode trades the code the user copied for an access token
// (POST /oauth/token), proving with verifier that this is the client that
// started the login.
func ExchangeCode(ctx context.Context, server, clientID, secret, code, verifier string, opts ...Option) (string, error) {
	c := New(server, "", opts...)
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {strings.TrimSpace(code)},
		"client_id":     {clientID},
		"client_secret": {secret},
		"redirect_uri":  {RedirectOOB},
		"code_verifier": {verifier},
	}
	r, err := c.do(ctx, call{method: http.MethodPost, path: "/oauth/token", form: form, noAuth: true})
	if err != nil {
		return "", err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := decode(r, &tok); err != nil {
		return "", err
	}
	if tok.AccessToken == "" {
		return "", &platforms.Error{Class: platforms.Permanent, Reason: "the server returned no access token"}
	}
	return tok.AccessToken, nil
}

// SaveToken writes token to path, readable by the owner only (0600), with
// platforms.WritePrivate: a crash leaves either the old token or the new
// one, never half.
func SaveToken(path, token string) error {
	if token == "" {
		return errors.New("mastodon: refusing to save an empty token")
	}
	return platforms.WritePrivate(path, []byte(token+"\n"))
}

// LoadToken reads a token written by SaveToken.
func LoadToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", errors.New("mastodon: " + path + " holds no token")
	}
	return tok, nil
}
