package mastotest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

// post sends a status as the server's own account and returns its id.
func post(t *testing.T, srv *mastotest.Server, text, key string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/statuses", strings.NewReader(url.Values{"status": {text}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct{ ID string }
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&st) != nil {
		t.Fatalf("POST status: %d", resp.StatusCode)
	}
	return st.ID
}

func TestIdempotencyKeyLastsAnHour(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	srv := mastotest.New(mastotest.Config{Now: func() time.Time { return now }})
	defer srv.Close()
	a := post(t, srv, "hello", "k")
	now = now.Add(59 * time.Minute)
	if b := post(t, srv, "hello", "k"); b != a {
		t.Errorf("repeat within the hour made %s, want %s", b, a)
	}
	now = now.Add(2 * time.Minute)
	if c := post(t, srv, "hello", "k"); c == a {
		t.Errorf("repeat after the hour returned the old status")
	}
}

func TestPagingParameters(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	defer srv.Close()
	alice := srv.AddAccount("alice")
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, srv.Post(alice.ID, "@crier hi", "public", ""))
	}
	get := func(q string) []string {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/notifications?"+q, nil)
		req.Header.Set("Authorization", "Bearer "+srv.Token())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var ns []struct {
			Status struct{ ID string }
		}
		_ = json.NewDecoder(resp.Body).Decode(&ns)
		var out []string
		for _, n := range ns {
			out = append(out, n.Status.ID)
		}
		return out
	}
	notifIDs := func(q string) string { return strings.Join(get(q), ",") }
	all := notifIDs("")
	if all != strings.Join([]string{ids[4], ids[3], ids[2], ids[1], ids[0]}, ",") {
		t.Fatalf("all = %s", all)
	}
	// Notification ids follow their statuses' here; read them back.
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/notifications", nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	resp, _ := http.DefaultClient.Do(req)
	var ns []struct{ ID string }
	_ = json.NewDecoder(resp.Body).Decode(&ns)
	resp.Body.Close()
	n := []string{ns[4].ID, ns[3].ID, ns[2].ID, ns[1].ID, ns[0].ID} // oldest first

	tests := []struct{ q, want string }{
		{"limit=2", ids[4] + "," + ids[3]},
		{"max_id=" + n[3] + "&limit=2", ids[2] + "," + ids[1]},
		{"since_id=" + n[1] + "&limit=2", ids[4] + "," + ids[3]}, // the newest above
		{"min_id=" + n[1] + "&limit=2", ids[3] + "," + ids[2]},   // just after
		{"min_id=" + n[4], ""},
	}
	for _, tt := range tests {
		if got := notifIDs(tt.q); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.q, got, tt.want)
		}
	}
}

func TestUnauthorized(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1/notifications")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("no token: %d, want 401", resp.StatusCode)
	}
}

// TestAccountStatusesShowTheAuthorEverything follows Mastodon's
// AccountStatusesFilter: the author sees all their statuses, direct ones
// included; others see public ones and those mentioning them.
func TestAccountStatusesShowTheAuthorEverything(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	defer srv.Close()
	me, alice, bob := srv.Me(), srv.AddAccount("alice"), srv.AddAccount("bob")
	public := srv.Post(me.ID, "fresh bread", "public", "")
	private := srv.Post(me.ID, "for followers", "private", "")
	direct := srv.Post(me.ID, "@alice your order is ready", "direct", "")

	list := func(token string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/accounts/"+me.ID+"/statuses", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var sts []struct{ ID string }
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&sts) != nil {
			t.Fatalf("GET account statuses: %d", resp.StatusCode)
		}
		var ids []string
		for _, st := range sts {
			ids = append(ids, st.ID)
		}
		return strings.Join(ids, ",")
	}
	for _, tc := range []struct{ who, token, want string }{
		{"the author", srv.Token(), direct + "," + private + "," + public},
		{"the mentioned", srv.TokenFor(alice.ID), direct + "," + public},
		{"someone else", srv.TokenFor(bob.ID), public},
	} {
		if got := list(tc.token); got != tc.want {
			t.Errorf("%s sees %s, want %s", tc.who, got, tc.want)
		}
	}
}

// TestConversationsForEveryMember checks that each member of a direct
// thread lists it, with the others as its accounts.
func TestConversationsForEveryMember(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	defer srv.Close()
	alice := srv.AddAccount("alice")
	first := srv.Post(alice.ID, "@crier hello", "direct", "")
	answer := srv.Post(srv.Me().ID, "@alice hi!", "direct", first)
	conv := srv.ConversationOf(first)
	if conv == "" || srv.ConversationOf(answer) != conv {
		t.Fatalf("conversations %q and %q, want one", conv, srv.ConversationOf(answer))
	}
	type view struct {
		ID         string
		Unread     bool
		Accounts   []struct{ Acct string }
		LastStatus struct{ ID string } `json:"last_status"`
	}
	read := func(token string) []view {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/conversations", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var vs []view
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&vs) != nil {
			t.Fatalf("GET conversations: %d", resp.StatusCode)
		}
		return vs
	}
	for _, tc := range []struct {
		who, token, other string
		unread            bool
	}{
		{"crier", srv.Token(), "alice", false},
		{"alice", srv.TokenFor(alice.ID), "crier", true},
	} {
		vs := read(tc.token)
		if len(vs) != 1 || vs[0].ID != conv || vs[0].LastStatus.ID != answer || vs[0].Unread != tc.unread ||
			len(vs[0].Accounts) != 1 || vs[0].Accounts[0].Acct != tc.other {
			t.Errorf("%s's conversations = %+v", tc.who, vs)
		}
	}
	if vs := read(srv.TokenFor(srv.AddAccount("bob").ID)); len(vs) != 0 {
		t.Errorf("bob, no member, sees %+v", vs)
	}
}
