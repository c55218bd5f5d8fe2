package scheduler

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
	"github.com/crier-app/crier/store"
)

// mastoHarness is a harness whose account is on a Mastodon test server,
// reached through the real client; both share the fake clock.
type mastoHarness struct {
	*harness
	srv    *mastotest.Server
	client *mastodon.Client
}

func newMastoHarness(t *testing.T, cfg mastotest.Config, opts ...mastodon.Option) *mastoHarness {
	t.Helper()
	h := newHarness(t)
	cfg.Now = h.clock.Now
	srv := mastotest.New(cfg)
	t.Cleanup(srv.Close)
	client := mastodon.New(srv.URL, srv.Token(), append([]mastodon.Option{mastodon.WithClock(h.clock.Now)}, opts...)...)
	h.acct = h.account(store.PlatformMastodon, "@crier@"+strings.TrimPrefix(srv.URL, "http://"))
	h.opts.Networks = map[int64]platforms.Network{h.acct: client}
	return &mastoHarness{harness: h, srv: srv, client: client}
}

// statuses are the texts the server holds from our account.
func (m *mastoHarness) statuses() []string {
	var out []string
	for _, st := range m.srv.Statuses(m.srv.Me().ID) {
		out = append(out, st.Text)
	}
	return out
}

// TestRateLimitPacesTheAccount: a 429 on publishing retries at the server's
// reset time, and the account's other due posts wait for it too instead of
// each hitting the limit.
func TestRateLimitPacesTheAccount(t *testing.T) {
	m := newMastoHarness(t, mastotest.Config{})
	reset := t0.Add(4*time.Minute + 30*time.Second)
	m.srv.Inject(http.MethodPost, "/api/v1/statuses", mastotest.Fault{Status: http.StatusTooManyRequests,
		Header: http.Header{"X-Ratelimit-Reset": {mastotest.ResetHeader(reset)}, "X-Ratelimit-Remaining": {"0"}}})
	_, first := m.queue(store.Post{Body: "first"}, t0)
	_, second := m.queue(store.Post{Body: "second"}, t0)
	_, later := m.queue(store.Post{Body: "after the reset"}, t0.Add(10*time.Minute))
	m.start()

	e := m.waitEvent(EventRetrying, first.ID, EventSent, EventFailed)
	if !e.RetryAt.Equal(reset) || !strings.Contains(e.Err, "HTTP 429") {
		t.Fatalf("retry event = %+v, want a retry at the reset %v", e, reset)
	}
	for _, d := range []store.Delivery{first, second} {
		if got := m.delivery(d.ID); got.State != store.DeliveryQueued || !got.NextAttemptAt.Equal(reset) {
			t.Fatalf("delivery %d after the 429 = %+v, want queued until %v", d.ID, got, reset)
		}
	}
	if got := m.delivery(later.ID); !got.NextAttemptAt.IsZero() {
		t.Fatalf("a post due after the reset was held back: %+v", got)
	}
	if n := m.srv.Count(http.MethodPost, "/api/v1/statuses"); n != 1 {
		t.Fatalf("%d status posts during the limit, want 1 (the rest wait)", n)
	}

	m.clock.waitTimer(t, reset.Add(-store.ClaimAhead))
	m.clock.Set(reset)
	m.waitEvent(EventSent, first.ID, EventFailed)
	m.waitEvent(EventSent, second.ID, EventFailed)
	if got := m.statuses(); len(got) != 2 {
		t.Fatalf("server has %q", got)
	}
	m.clock.waitTimer(t, t0.Add(10*time.Minute-store.ClaimAhead))
}

// TestServerErrorAfterThePostLanded: the server made the status but answered
// 500. The outcome is unknown; the retry reconciles and the post exists once.
func TestServerErrorAfterThePostLanded(t *testing.T) {
	m := newMastoHarness(t, mastotest.Config{})
	m.srv.Inject(http.MethodPost, "/api/v1/statuses", mastotest.Fault{Status: http.StatusInternalServerError, Land: true})
	_, d := m.queue(store.Post{Body: "landed anyway"}, t0)
	m.start()

	e := m.waitEvent(EventRetrying, d.ID, EventSent, EventFailed)
	got := m.delivery(d.ID)
	if got.State != store.DeliveryUnknown || !got.NextAttemptAt.Equal(e.RetryAt) ||
		e.RetryAt.Before(t0.Add(30*time.Second)) || e.RetryAt.After(t0.Add(time.Minute)) {
		t.Fatalf("after a 500: %+v (event %+v), want unknown, retried within MinBackoff", got, e)
	}
	m.clock.waitTimer(t, e.RetryAt.Add(-store.ClaimAhead))
	m.clock.Set(e.RetryAt)
	m.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	if st := m.statuses(); len(st) != 1 {
		t.Fatalf("server has %q, want the post once", st)
	}
	sent := m.delivery(d.ID)
	if sent.State != store.DeliverySent || sent.RemoteID != m.srv.Statuses(m.srv.Me().ID)[0].ID {
		t.Fatalf("delivery = %+v", sent)
	}
}

// TestTimeoutAfterTheRequestWasSent: the server took the request and never
// answered. The client gives up; the outcome is unknown and reconciled.
func TestTimeoutAfterTheRequestWasSent(t *testing.T) {
	m := newMastoHarness(t, mastotest.Config{},
		mastodon.WithHTTPClient(&http.Client{Timeout: 300 * time.Millisecond}))
	m.srv.Inject(http.MethodPost, "/api/v1/statuses", mastotest.Fault{Hang: true, Land: true})
	_, d := m.queue(store.Post{Body: "slow server"}, t0)
	m.start()

	e := m.waitEvent(EventRetrying, d.ID, EventSent, EventFailed)
	if got := m.delivery(d.ID); got.State != store.DeliveryUnknown || !strings.Contains(e.Err, "may have gone out") {
		t.Fatalf("after a timeout: %+v, event %+v", got, e)
	}
	m.clock.waitTimer(t, e.RetryAt.Add(-store.ClaimAhead))
	m.clock.Set(e.RetryAt)
	m.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	if st := m.statuses(); len(st) != 1 {
		t.Fatalf("server has %q, want the post once", st)
	}
}

// TestGarbageAnswers: an unreadable answer to the status post (which
// landed) leaves the outcome unknown; an unreadable answer before it (the
// instance, read for the limits) is a plain transient error. Both end sent,
// once, at their retry time.
func TestGarbageAnswers(t *testing.T) {
	for _, c := range []struct {
		name, path string
		land       bool
		state      store.DeliveryState
	}{
		{"status post", "/api/v1/statuses", true, store.DeliveryUnknown},
		{"instance", "/api/v2/instance", false, store.DeliveryQueued},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := newMastoHarness(t, mastotest.Config{})
			method := http.MethodGet
			if c.land {
				method = http.MethodPost
			}
			m.srv.Inject(method, c.path, mastotest.Fault{Status: http.StatusOK, Body: "<html>oops", Land: c.land})
			_, d := m.queue(store.Post{Body: "garbled"}, t0)
			m.start()

			e := m.waitEvent(EventRetrying, d.ID, EventSent, EventFailed)
			got := m.delivery(d.ID)
			if got.State != c.state || !got.NextAttemptAt.Equal(e.RetryAt) || !strings.Contains(e.Err, "unreadable answer") ||
				e.RetryAt.Before(t0.Add(30*time.Second)) || e.RetryAt.After(t0.Add(time.Minute)) {
				t.Fatalf("after garbage: %+v, event %+v; want %s until the first backoff", got, e, c.state)
			}
			m.clock.waitTimer(t, e.RetryAt.Add(-store.ClaimAhead))
			m.clock.Set(e.RetryAt)
			m.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
			if st := m.statuses(); len(st) != 1 {
				t.Fatalf("server has %q, want the post once", st)
			}
		})
	}
}

// TestRevokedTokenHoldsTheAccountsPosts: a 401 flags the account; its
// posts wait, none failed, and go out once the flag is cleared.
func TestRevokedTokenHoldsTheAccountsPosts(t *testing.T) {
	m := newMastoHarness(t, mastotest.Config{})
	m.srv.Inject(http.MethodPost, "/api/v1/statuses", mastotest.Fault{Status: http.StatusUnauthorized,
		Body: `{"error":"The access token was revoked"}`})
	var ds []store.Delivery
	for _, body := range []string{"one", "two", "three"} {
		_, d := m.queue(store.Post{Body: body}, t0)
		ds = append(ds, d)
	}
	m.start()
	e := m.waitEvent(EventNeedsReauth, ds[0].ID, EventFailed, EventSent)
	if !strings.Contains(e.Err, "The access token was revoked (HTTP 401)") {
		t.Fatalf("event = %+v", e)
	}
	// The flag is set before the event: from then on nothing of the
	// account can be claimed.
	for _, d := range ds {
		if got := m.delivery(d.ID); got.State != store.DeliveryQueued {
			t.Fatalf("delivery %d = %s, want queued", d.ID, got.State)
		}
	}
	if n := m.srv.Count(http.MethodPost, "/api/v1/statuses"); n != 1 {
		t.Fatalf("%d status posts, want 1: the others wait", n)
	}

	if err := m.st.SetNeedsReauth(context.Background(), m.acct, false); err != nil {
		t.Fatal(err)
	}
	m.sched.Wake()
	waiting := map[int64]bool{ds[0].ID: true, ds[1].ID: true, ds[2].ID: true}
	for len(waiting) > 0 {
		e := m.waitEvent(EventSent, 0, EventFailed, EventNeedsReauth)
		delete(waiting, e.DeliveryID)
	}
	if st := m.statuses(); len(st) != 3 {
		t.Fatalf("server has %q", st)
	}
}

// TestSameTextTwiceEachGoesOut: two posts with the same text to one
// account (a daily "fresh bread" post, the same announcement queued twice
// through an outage). The first try of the first never reached the server;
// by its retry the second is out. The retry asks the server whether the
// first landed, and must not take the second's status for it: each post
// goes out, and each delivery names its own status.
func TestSameTextTwiceEachGoesOut(t *testing.T) {
	m := newMastoHarness(t, mastotest.Config{IgnoreIdempotencyKey: true})
	m.srv.Inject(http.MethodPost, "/api/v1/statuses", mastotest.Fault{Status: http.StatusServiceUnavailable})
	_, first := m.queue(store.Post{Body: "Fresh bread today!"}, t0)
	_, second := m.queue(store.Post{Body: "Fresh bread today!"}, t0.Add(time.Second))
	m.start()

	e := m.waitEvent(EventRetrying, first.ID, EventSent, EventFailed)
	m.clock.waitTimer(t, t0.Add(time.Second))
	m.clock.Set(t0.Add(time.Second))
	m.waitEvent(EventSent, second.ID, EventFailed, EventRetrying)
	m.clock.waitTimer(t, e.RetryAt.Add(-store.ClaimAhead))
	m.clock.Set(e.RetryAt)
	m.waitEvent(EventSent, first.ID, EventFailed, EventRetrying)

	sts := m.srv.Statuses(m.srv.Me().ID)
	if len(sts) != 2 {
		t.Fatalf("server has %d statuses %q, want both posts", len(sts), m.statuses())
	}
	a, b := m.delivery(first.ID), m.delivery(second.ID)
	if a.RemoteID == b.RemoteID {
		t.Fatalf("both deliveries name status %s: the first was taken for sent by the second's status", a.RemoteID)
	}
}
