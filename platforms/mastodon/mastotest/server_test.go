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
