package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLeaseTakeRenewExpireRelease(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	a := LeaseHolder{ID: "a", Host: "bakery-laptop", PID: 100}
	b := LeaseHolder{ID: "b", Host: "server", PID: 200}
	ttl := 30 * time.Second

	if _, ok, err := st.Lease(ctx, SenderLease); ok || err != nil {
		t.Fatalf("Lease before anyone took it = %v, %v", ok, err)
	}
	got, info, err := st.AcquireLease(ctx, SenderLease, a, schedT0, ttl)
	if err != nil || !got || info.LeaseHolder != a || !info.AcquiredAt.Equal(schedT0) || !info.ExpiresAt.Equal(schedT0.Add(ttl)) {
		t.Fatalf("first acquire = %v, %+v, %v", got, info, err)
	}
	if s := info.String(); s != "crier on bakery-laptop (pid 100)" {
		t.Fatalf("holder = %q", s)
	}

	// b can't take a live lease, and learns who holds it.
	got, info, err = st.AcquireLease(ctx, SenderLease, b, schedT0.Add(ttl-time.Millisecond), ttl)
	if err != nil || got || info.ID != "a" || info.Host != "bakery-laptop" || info.PID != 100 {
		t.Fatalf("acquire of a held lease = %v, %+v, %v", got, info, err)
	}

	// a renews; acquiring again is a renewal too and keeps acquired_at.
	hold := LeaseHold{Name: SenderLease, HolderID: "a"}
	info, err = st.RenewLease(ctx, hold, schedT0.Add(10*time.Second), ttl)
	if err != nil || !info.ExpiresAt.Equal(schedT0.Add(40*time.Second)) || !info.HeartbeatAt.Equal(schedT0.Add(10*time.Second)) {
		t.Fatalf("renew = %+v, %v", info, err)
	}
	got, info, err = st.AcquireLease(ctx, SenderLease, a, schedT0.Add(20*time.Second), ttl)
	if err != nil || !got || !info.AcquiredAt.Equal(schedT0) || !info.ExpiresAt.Equal(schedT0.Add(50*time.Second)) {
		t.Fatalf("re-acquire by the holder = %v, %+v, %v", got, info, err)
	}

	// a stops renewing: once the lease has expired, b takes it over.
	expired := schedT0.Add(50 * time.Second)
	got, info, err = st.AcquireLease(ctx, SenderLease, b, expired, ttl)
	if err != nil || !got || info.LeaseHolder != b || !info.AcquiredAt.Equal(expired) {
		t.Fatalf("takeover of an expired lease = %v, %+v, %v", got, info, err)
	}
	if _, err := st.RenewLease(ctx, hold, expired, ttl); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("renew by the old holder = %v, want ErrLeaseLost", err)
	}
	// Releasing someone else's lease does nothing; releasing one's own frees it.
	if err := st.ReleaseLease(ctx, hold); err != nil {
		t.Fatal(err)
	}
	if info, ok, _ := st.Lease(ctx, SenderLease); !ok || info.ID != "b" {
		t.Fatalf("after a stranger's release: %+v, %v", info, ok)
	}
	if err := st.ReleaseLease(ctx, LeaseHold{Name: SenderLease, HolderID: "b"}); err != nil {
		t.Fatal(err)
	}
	if got, _, err := st.AcquireLease(ctx, SenderLease, a, expired, ttl); !got || err != nil {
		t.Fatalf("acquire after a release = %v, %v", got, err)
	}
}

// An expired lease nobody took is still its holder's: renewing it works,
// since no one else can have acted under it.
func TestExpiredLeaseNobodyTookRenews(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	a := LeaseHolder{ID: "a", Host: "h", PID: 1}
	if _, _, err := st.AcquireLease(ctx, SenderLease, a, schedT0, time.Second); err != nil {
		t.Fatal(err)
	}
	later := schedT0.Add(time.Hour)
	info, err := st.RenewLease(ctx, LeaseHold{Name: SenderLease, HolderID: "a"}, later, time.Second)
	if err != nil || !info.ExpiresAt.Equal(later.Add(time.Second)) || !info.AcquiredAt.Equal(schedT0) {
		t.Fatalf("renew after expiry = %+v, %v", info, err)
	}
}

func TestClaimUnderLease(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	acct := mustAccount(t, st, PlatformSandbox, "test")
	_, ds := queueTestPost(t, st, Post{Body: "x", Targets: targets(acct)}, schedT0)
	a := LeaseHolder{ID: "a", Host: "h", PID: 1}
	hold := LeaseHold{Name: SenderLease, HolderID: "a"}

	if _, err := st.ClaimDeliveryLeased(ctx, ds[0].ID, schedT0, schedT0, hold); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("claim with no lease taken = %v", err)
	}
	if _, _, err := st.AcquireLease(ctx, SenderLease, a, schedT0.Add(-time.Minute), 30*time.Second); err != nil {
		t.Fatal(err)
	}
	// Expired: someone else may take it at any moment, so no claim.
	if _, err := st.ClaimDeliveryLeased(ctx, ds[0].ID, schedT0, schedT0, hold); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("claim under an expired lease = %v", err)
	}
	if _, _, err := st.AcquireLease(ctx, SenderLease, a, schedT0, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if ok, err := st.ClaimDeliveryLeased(ctx, ds[0].ID, schedT0, schedT0, hold); !ok || err != nil {
		t.Fatalf("claim under a live lease = %v, %v", ok, err)
	}
	if d, _ := st.Delivery(ctx, ds[0].ID); d.State != DeliverySending {
		t.Fatalf("claimed delivery = %s", d.State)
	}
}

// TestLeaseHasOneHolderAcrossHandles races many holders on separate
// handles of one file: each round, exactly one gets the lease.
func TestLeaseHasOneHolderAcrossHandles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crier.db")
	const n = 6
	var stores []*Store
	for range n {
		st, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		stores = append(stores, st)
	}
	for round := range 10 {
		now := schedT0.Add(time.Duration(round) * time.Minute) // each round, the last lease has expired
		var mu sync.Mutex
		var winners []string
		var wg sync.WaitGroup
		for i, st := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h := LeaseHolder{ID: strings.Repeat("x", i+1), Host: "h", PID: i}
				got, _, err := st.AcquireLease(ctx, SenderLease, h, now, 30*time.Second)
				if err != nil {
					t.Error(err)
					return
				}
				if got {
					mu.Lock()
					winners = append(winners, h.ID)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(winners) != 1 {
			t.Fatalf("round %d: holders %v, want exactly one", round, winners)
		}
	}
}

func TestNewLeaseHolderIsUnique(t *testing.T) {
	a, b := NewLeaseHolder(), NewLeaseHolder()
	if a.ID == b.ID || a.ID == "" || a.PID == 0 || a.Host == "" {
		t.Fatalf("holders %+v and %+v", a, b)
	}
}

func TestTakeOverLeaseFromAGoneHolder(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	dead := LeaseHolder{ID: "dead", Host: "h", PID: 1}
	me := LeaseHolder{ID: "me", Host: "h", PID: 2}
	if _, _, err := st.AcquireLease(ctx, SenderLease, dead, schedT0, time.Hour); err != nil {
		t.Fatal(err)
	}
	// Taking over from someone who no longer holds it does nothing.
	if got, info, err := st.TakeOverLease(ctx, SenderLease, me, "someone-else", schedT0, time.Minute); got || err != nil || info.ID != "dead" {
		t.Fatalf("take over from a stranger = %v, %+v, %v", got, info, err)
	}
	got, info, err := st.TakeOverLease(ctx, SenderLease, me, "dead", schedT0.Add(time.Second), time.Minute)
	if err != nil || !got || info.LeaseHolder != me || !info.AcquiredAt.Equal(schedT0.Add(time.Second)) ||
		!info.ExpiresAt.Equal(schedT0.Add(time.Minute+time.Second)) {
		t.Fatalf("take over = %v, %+v, %v", got, info, err)
	}
}
