package mastodon_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

// Gone: a status the server answers 404 for is gone; the batch read only
// narrows down which to ask about, so one it leaves out but that a single
// read finds (hidden from the batch, not deleted) is not.
func TestGone(t *testing.T) {
	for _, c := range []struct {
		name  string
		cfg   mastotest.Config
		fault *mastotest.Fault // on GET /api/v1/statuses
	}{
		{name: "batch read", cfg: mastotest.Config{}},
		{name: "no batch read (404)", cfg: mastotest.Config{NoStatusesIndex: true}},
		// GoToSocial answers the batch read 405.
		{name: "no batch read (405)", cfg: mastotest.Config{}, fault: &mastotest.Fault{Status: http.StatusMethodNotAllowed, Times: 100}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, client := newPair(t, c.cfg)
			fan := srv.AddAccount("fan")
			ours, err := client.Publish(context.Background(), newPost("Fresh rye today", "g1"))
			if err != nil {
				t.Fatal(err)
			}
			reply := srv.Post(fan.ID, "@crier lovely", "public", ours.Ref.ID)
			dm := srv.Post(fan.ID, "@crier are you open?", "direct", "")
			if c.fault != nil {
				srv.Inject(http.MethodGet, "/api/v1/statuses", *c.fault)
			}
			deleted := "109999999999999999" // what a deleted status's id answers: 404
			refs := []platforms.Ref{{ID: reply}, {ID: deleted}, {ID: dm}, {ID: reply}}
			gone, err := client.Gone(context.Background(), refs)
			if err != nil || !slices.Equal(gone, []string{deleted}) {
				t.Fatalf("Gone = %v, %v; want just %s", gone, err, deleted)
			}
			if n := client.ChecksPerSync(); n < 10 {
				t.Errorf("ChecksPerSync = %d", n)
			}
		})
	}
}

// A server error is an error, not a verdict: nothing is reported gone.
func TestGoneOnServerError(t *testing.T) {
	srv, client := newPair(t, mastotest.Config{NoStatusesIndex: true})
	srv.Inject(http.MethodGet, "/api/v1/statuses/1", mastotest.Fault{Status: http.StatusBadGateway})
	gone, err := client.Gone(context.Background(), []platforms.Ref{{ID: "1"}})
	if err == nil || len(gone) != 0 {
		t.Fatalf("Gone = %v, %v; want an error", gone, err)
	}
	if platforms.ClassOf(err) != platforms.Transient {
		t.Errorf("class %v, want transient", platforms.ClassOf(err))
	}
}
