package scheduler

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

// TestSyncDegradesByPartNotByAccount: on a server that cannot give post
// counters (GoToSocial answers the batch read with 405; here the single
// read too), the metrics part is dropped once, with a word, and the
// account's notifications go on at their interval, as does the follower
// count.
func TestSyncDegradesByPartNotByAccount(t *testing.T) {
	m := newMastoHarness(t, mastotest.GoToSocial)
	m.start()
	m.waitEvent(EventSynced, 0, EventSyncError)
	ours := m.sendOne("Fresh rye today")
	m.srv.Inject(http.MethodGet, "/api/v1/statuses/"+ours, mastotest.Fault{Status: http.StatusMethodNotAllowed, Times: 100})

	m.sched.SyncNow()
	e := m.waitEvent(EventSyncError, 0, EventSynced)
	if !strings.Contains(e.Err, "post metrics are not available from this server") {
		t.Fatalf("sync error = %+v, want it to say metrics are not available", e)
	}
	m.waitEvent(EventSynced, 0, EventSyncError)
	reads := m.srv.Count(http.MethodGet, "/api/v1/statuses/"+ours)

	alice := m.srv.AddAccount("alice")
	for round := 1; round <= 3; round++ {
		m.srv.Post(alice.ID, "@crier hello again", "public", "")
		notifs := m.srv.Count(http.MethodGet, "/api/v1/notifications")
		next := m.clock.Now().Add(DefaultSyncEvery)
		m.clock.waitTimer(t, next)
		m.clock.Set(next)
		if e := m.waitEvent(EventSynced, 0, EventSyncError); e.Count != 1 {
			t.Fatalf("round %d: %d new items, want the mention", round, e.Count)
		}
		if m.srv.Count(http.MethodGet, "/api/v1/notifications") == notifs {
			t.Fatalf("round %d: notifications were not read at the interval", round)
		}
	}
	if got := m.srv.Count(http.MethodGet, "/api/v1/statuses/"+ours); got != reads {
		t.Errorf("the counters were asked for %d more times after the server refused them", got-reads)
	}
}

// TestSyncPartBacksOffAlone: a part that fails now and then (the counters
// answer 502) backs off by itself, 1, 2, 4 intervals, while notifications
// are read at every interval.
func TestSyncPartBacksOffAlone(t *testing.T) {
	m := newMastoHarness(t, mastotest.GoToSocial)
	m.start()
	m.waitEvent(EventSynced, 0, EventSyncError)
	ours := m.sendOne("Fresh rye today")
	m.srv.Inject(http.MethodGet, "/api/v1/statuses/"+ours, mastotest.Fault{Status: http.StatusBadGateway, Times: 1000})

	var tried []int // the rounds in which the counters were asked for
	for round := 1; round <= 8; round++ {
		notifs := m.srv.Count(http.MethodGet, "/api/v1/notifications")
		next := m.clock.Now().Add(DefaultSyncEvery)
		m.clock.waitTimer(t, next)
		m.clock.Set(next)
		// A round where the part failed ends in its error, any other in a
		// synced event.
		e := m.nextSyncEvent()
		if e.Kind == EventSyncError {
			if !strings.Contains(e.Err, "post metrics") {
				t.Fatalf("round %d: sync error %+v, want only the metrics part to fail", round, e)
			}
			tried = append(tried, round)
		}
		if m.srv.Count(http.MethodGet, "/api/v1/notifications") == notifs {
			t.Fatalf("round %d: notifications were not read at the interval", round)
		}
	}
	// Backoff of 1, 2, 4 intervals after the first three failures.
	if want := []int{1, 2, 4, 8}; !equalInts(tried, want) {
		t.Errorf("the counters were asked for in rounds %v, want %v", tried, want)
	}
}

// nextSyncEvent is the next synced or sync-error event.
func (m *mastoHarness) nextSyncEvent() Event {
	m.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case e := <-m.events:
			if e.Kind == EventSynced || e.Kind == EventSyncError {
				return e
			}
		case <-deadline:
			m.t.Fatal("no sync event within 10 s")
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
