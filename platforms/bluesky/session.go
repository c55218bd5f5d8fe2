package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/crier-app/crier/platforms"
)

// Session is a signed-in session. The refresh token rotates: each refresh
// spends it and returns a new one, so the pair is saved before it is used.
type Session struct {
	AccessJwt  string `json:"accessJwt"`
	RefreshJwt string `json:"refreshJwt"`
	DID        string `json:"did"`
	Handle     string `json:"handle"`
}

// SessionStore keeps a session across restarts.
type SessionStore interface {
	// LoadSession returns the stored session, or nil when there is none.
	LoadSession() (*Session, error)
	// SaveSession replaces the stored session; after it returns, a crash
	// leaves either the old session or s, never a mix.
	SaveSession(s Session) error
}

// FileSessionStore returns a store keeping the session as JSON in the file
// at path, readable only by its owner.
func FileSessionStore(path string) SessionStore { return &fileStore{path: path} }

type fileStore struct{ path string }

// LoadSession implements SessionStore.
func (f *fileStore) LoadSession() (*Session, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s Session
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("reading Bluesky session %s: %w", f.path, err)
	}
	if s.RefreshJwt == "" {
		return nil, nil
	}
	return &s, nil
}

// SaveSession implements SessionStore with platforms.WritePrivate: a crash
// leaves the old session or s.
func (f *fileStore) SaveSession(s Session) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return platforms.WritePrivate(f.path, b)
}

// sessionOutput is what createSession and refreshSession answer.
type sessionOutput struct {
	AccessJwt  string `json:"accessJwt"`
	RefreshJwt string `json:"refreshJwt"`
	DID        string `json:"did"`
	Handle     string `json:"handle"`
}

// Session returns the current session, signing in when there is none.
func (c *Client) Session(ctx context.Context) (Session, error) {
	s, err := c.session(ctx)
	if err != nil {
		return Session{}, err
	}
	return *s, nil
}

// session returns the session in memory, else the stored one, else a new
// one from createSession.
func (c *Client) session(ctx context.Context) (*Session, error) {
	c.mu.Lock()
	s := c.sess
	c.mu.Unlock()
	if s != nil {
		return s, nil
	}
	c.authMu.Lock()
	defer c.authMu.Unlock()
	c.mu.Lock()
	s = c.sess
	c.mu.Unlock()
	if s != nil {
		return s, nil
	}
	if c.store != nil {
		stored, err := c.store.LoadSession()
		if err != nil {
			return nil, &platforms.Error{Class: platforms.Permanent, Reason: "loading the Bluesky session", Err: err}
		}
		if stored != nil {
			c.setSession(stored)
			return stored, nil
		}
	}
	return c.login(ctx)
}

func (c *Client) setSession(s *Session) {
	c.mu.Lock()
	c.sess = s
	c.mu.Unlock()
}

// login signs in with the app password. Callers hold authMu. createSession
// is limited to 30 calls in 5 minutes, so it is only used when no session
// can be refreshed.
func (c *Client) login(ctx context.Context) (*Session, error) {
	if c.password == nil {
		return nil, &platforms.Error{Class: platforms.Permanent, Reauth: true,
			Reason: "no Bluesky session and no app password to sign in with"}
	}
	pw, err := c.password(ctx)
	if err != nil {
		return nil, &platforms.Error{Class: platforms.Permanent, Reauth: true, Reason: "reading the Bluesky app password", Err: err}
	}
	var out sessionOutput
	err = c.send(ctx, xrpcCall{
		nsid:      "com.atproto.server.createSession",
		procedure: true,
		input:     map[string]string{"identifier": c.identifier, "password": pw},
		out:       &out,
	}, "")
	if err != nil {
		return nil, authFailure(err, "signing in")
	}
	s := &Session{AccessJwt: out.AccessJwt, RefreshJwt: out.RefreshJwt, DID: out.DID, Handle: out.Handle}
	if err := c.persist(s); err != nil {
		return nil, err
	}
	return s, nil
}

// refresh replaces the session whose access token was stale. When another
// goroutine already did so, its session is returned as it is.
func (c *Client) refresh(ctx context.Context, stale string) (*Session, error) {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	c.mu.Lock()
	cur := c.sess
	c.mu.Unlock()
	if cur != nil && cur.AccessJwt != stale {
		return cur, nil
	}
	if cur == nil || cur.RefreshJwt == "" {
		return c.login(ctx)
	}
	var out sessionOutput
	err := c.send(ctx, xrpcCall{
		nsid:      "com.atproto.server.refreshSession",
		procedure: true,
		auth:      authRefresh,
		token:     cur.RefreshJwt,
		out:       &out,
	}, "")
	if err != nil {
		var pe *platforms.Error
		dead := errors.As(err, &pe) && (pe.Status == 400 || pe.Status == 401)
		if !dead {
			return nil, authFailure(err, "refreshing the session")
		}
		// The refresh token expired or was revoked: only a new sign-in helps.
		if c.password == nil {
			return nil, reauth(err, "the session expired")
		}
		return c.login(ctx)
	}
	s := &Session{AccessJwt: out.AccessJwt, RefreshJwt: out.RefreshJwt, DID: out.DID, Handle: out.Handle}
	if s.DID == "" {
		s.DID = cur.DID
	}
	if s.Handle == "" {
		s.Handle = cur.Handle
	}
	if err := c.persist(s); err != nil {
		return nil, err
	}
	return s, nil
}

// persist saves s and then makes it current. When saving fails, s is still
// used in memory (the old refresh token is spent), and the error is returned
// so the caller learns the next start will have to sign in again.
func (c *Client) persist(s *Session) error {
	var err error
	if c.store != nil {
		err = c.store.SaveSession(*s)
	}
	c.setSession(s)
	if err != nil {
		return &platforms.Error{Class: platforms.Transient, Reason: "saving the Bluesky session", Err: err}
	}
	return nil
}

// authFailure classifies a failed sign-in or refresh. Nothing the caller
// asked for was sent, so an unclear outcome is a transient error here.
func authFailure(err error, doing string) error {
	var pe *platforms.Error
	if !errors.As(err, &pe) {
		return err
	}
	switch {
	case pe.Status == 401 || pe.Status == 400:
		return reauth(err, doing+" failed")
	case pe.Class == platforms.UnknownOutcome:
		cp := *pe
		cp.Class = platforms.Transient
		return &cp
	}
	return err
}
