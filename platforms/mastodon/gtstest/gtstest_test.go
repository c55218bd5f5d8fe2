package gtstest

import (
	"net/http"
	"net/url"
	"testing"
)

// TestServerAccountsAndTokens starts a server, makes two accounts with the
// admin command line, signs each in through the OAuth pages, and checks
// that each token acts as its own account.
func TestServerAccountsAndTokens(t *testing.T) {
	s := Start(t)
	alice := s.CreateAccount(t, "alice")
	bob := s.CreateAccount(t, "bob")
	if alice.Username == bob.Username {
		t.Fatalf("two accounts named %s", alice.Username)
	}
	at, bt := s.Token(t, alice, ""), s.Token(t, bob, "")

	var me struct {
		Username string `json:"username"`
		Acct     string `json:"acct"`
	}
	s.API(t, at, http.MethodGet, "/api/v1/accounts/verify_credentials", nil, &me)
	if me.Username != alice.Username {
		t.Errorf("alice's token acts as %q", me.Username)
	}
	var st Status
	s.API(t, bt, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"hello from bob"}, "visibility": {"public"}}, &st)
	if got := s.Statuses(t, bt); len(got) != 1 || got[0].ID != st.ID || got[0].Text != "hello from bob" {
		t.Errorf("bob's statuses = %+v, want the one posted (%s)", got, st.ID)
	}
	if got := s.Statuses(t, at); len(got) != 0 {
		t.Errorf("alice has %d statuses, want none", len(got))
	}
}
