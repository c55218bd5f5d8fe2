package bluesky

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/crier-app/crier/platforms"
)

func profileHandler(followers int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"did": fakeDID, "handle": "me.test", "followersCount": followers})
	}
}

func TestRefreshRotatesAndPersistsBeforeUse(t *testing.T) {
	f := newFakePDS(t)
	f.handle("app.bsky.actor.getProfile", profileHandler(7))
	path := filepath.Join(t.TempDir(), "bsky", "session.json")
	store := FileSessionStore(path)
	access, refresh := f.tokens()
	if err := store.SaveSession(Session{AccessJwt: access, RefreshJwt: refresh, DID: fakeDID, Handle: "me.test"}); err != nil {
		t.Fatal(err)
	}
	f.expireAccess()

	c := New(f.srv.URL, "me.test", WithSessionStore(store), WithAppPassword("app-pass"))
	n, err := c.Followers(context.Background())
	if err != nil || n != 7 {
		t.Fatalf("Followers = %d, %v", n, err)
	}
	logins, refreshes := f.stats()
	if logins != 0 {
		t.Errorf("createSession called %d times; a stored session must be refreshed instead", logins)
	}
	if refreshes != 1 {
		t.Errorf("refreshSession called %d times, want 1", refreshes)
	}
	got, err := store.LoadSession()
	if err != nil || got == nil {
		t.Fatalf("LoadSession = %v, %v", got, err)
	}
	if access, refresh := f.tokens(); got.RefreshJwt != refresh || got.AccessJwt != access {
		t.Errorf("stored %+v, want the rotated pair %s/%s", got, access, refresh)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("session file mode %v, want 0600", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}

	// A restart resumes from the file without signing in or refreshing.
	c2 := New(f.srv.URL, "me.test", WithSessionStore(store))
	if _, err := c2.Followers(context.Background()); err != nil {
		t.Fatal(err)
	}
	if logins, refreshes := f.stats(); logins != 0 || refreshes != 1 {
		t.Errorf("after restart: %d logins, %d refreshes", logins, refreshes)
	}
}

func TestConcurrentExpiryRefreshesOnce(t *testing.T) {
	f := newFakePDS(t)
	f.handle("app.bsky.actor.getProfile", profileHandler(1))
	c := f.client(WithSessionStore(FileSessionStore(filepath.Join(t.TempDir(), "s.json"))))
	f.expireAccess()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Followers(context.Background())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if _, refreshes := f.stats(); refreshes != 1 {
		t.Errorf("refreshSession called %d times, want 1: a refresh token may be spent once", refreshes)
	}
}

func TestDeadRefreshTokenNeedsReauth(t *testing.T) {
	f := newFakePDS(t)
	f.handle("app.bsky.actor.getProfile", profileHandler(1))
	c := f.client() // no password
	f.expireAccess()
	f.revoke()
	_, err := c.Followers(context.Background())
	var pe *platforms.Error
	if !errors.As(err, &pe) || pe.Class != platforms.Permanent || !pe.Reauth {
		t.Fatalf("err = %#v, want permanent reauth", err)
	}
	if logins, _ := f.stats(); logins != 0 {
		t.Errorf("createSession called without a password")
	}
}

func TestDeadRefreshTokenSignsInWithPassword(t *testing.T) {
	f := newFakePDS(t)
	f.handle("app.bsky.actor.getProfile", profileHandler(3))
	c := f.client(WithAppPassword("app-pass"))
	f.expireAccess()
	f.revoke()
	if n, err := c.Followers(context.Background()); err != nil || n != 3 {
		t.Fatalf("Followers = %d, %v", n, err)
	}
	if logins, _ := f.stats(); logins != 1 {
		t.Errorf("createSession called %d times, want 1", logins)
	}
}

func TestWrongPasswordIsReauth(t *testing.T) {
	f := newFakePDS(t)
	c := New(f.srv.URL, "me.test", WithAppPassword("wrong"))
	_, err := c.Followers(context.Background())
	var pe *platforms.Error
	if !errors.As(err, &pe) || pe.Class != platforms.Permanent || !pe.Reauth {
		t.Fatalf("err = %#v, want permanent reauth", err)
	}
}

func TestNoSessionNoPassword(t *testing.T) {
	f := newFakePDS(t)
	c := New(f.srv.URL, "me.test")
	_, err := c.Followers(context.Background())
	var pe *platforms.Error
	if !errors.As(err, &pe) || !pe.Reauth {
		t.Fatalf("err = %v, want reauth", err)
	}
	if logins, _ := f.stats(); logins != 0 {
		t.Error("signed in without a password")
	}
}

func TestSignInOnceWhenNothingStored(t *testing.T) {
	f := newFakePDS(t)
	f.handle("app.bsky.actor.getProfile", profileHandler(2))
	store := FileSessionStore(filepath.Join(t.TempDir(), "s.json"))
	c := New(f.srv.URL, "me.test", WithSessionStore(store), WithAppPassword("app-pass"))
	for range 3 {
		if _, err := c.Followers(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if logins, _ := f.stats(); logins != 1 {
		t.Errorf("createSession called %d times, want 1", logins)
	}
	if s, _ := store.LoadSession(); s == nil || s.DID != fakeDID {
		t.Errorf("stored session %+v", s)
	}
}
