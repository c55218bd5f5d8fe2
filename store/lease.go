package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"
)

// SenderLease is the lease a crier process holds while it publishes and
// syncs. Any number of processes may open one database; only its holder
// sends.
const SenderLease = "sender"

// ErrLeaseLost is returned by a write that may only be done under a lease
// when this process does not hold it (any more).
var ErrLeaseLost = errors.New("this process no longer holds the lease")

// LeaseHolder is one running process that takes leases.
type LeaseHolder struct {
	ID   string // random, fresh for every process
	Host string
	PID  int
}

// NewLeaseHolder identifies this process: its host name, its pid and a fresh
// random id (pids are reused, and two machines may share a database file).
func NewLeaseHolder() LeaseHolder {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "an unknown host"
	}
	return LeaseHolder{ID: hex.EncodeToString(b[:]), Host: host, PID: os.Getpid()}
}

// String says who the holder is, as the status bar shows it.
func (h LeaseHolder) String() string {
	return fmt.Sprintf("crier on %s (pid %d)", h.Host, h.PID)
}

// LeaseInfo is a lease's row.
type LeaseInfo struct {
	Name string
	LeaseHolder
	AcquiredAt  time.Time
	HeartbeatAt time.Time
	ExpiresAt   time.Time
}

// LeaseHold names a lease and the holder a write must still be done by. A
// writer that only checks its own memory could go on after a takeover it
// did not notice (its computer was suspended, its heartbeat was stuck); the
// check inside the write's transaction cannot.
type LeaseHold struct {
	Name     string
	HolderID string
}

// acquireLeaseQuery takes the lease when it is free, expired or already
// ours. acquired_at stays as it was while the same holder keeps it, so a
// holder can tell a renewal from a fresh start.
const acquireLeaseQuery = `
	INSERT INTO leases (name, holder, host, pid, acquired_at, heartbeat_at, expires_at)
	VALUES (?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (name) DO UPDATE SET
		acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
		holder = excluded.holder, host = excluded.host, pid = excluded.pid,
		heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
	WHERE leases.holder = excluded.holder OR leases.expires_at <= excluded.heartbeat_at`

const leaseCols = "name, holder, host, pid, acquired_at, heartbeat_at, expires_at"

// AcquireLease takes the lease name for h until now+ttl when nobody holds it,
// its holder let it expire, or h holds it already (then it is renewed). It
// reports whether h holds it now and the lease as it stands, whoever holds
// it. The check and the take are one write transaction, so of two processes
// trying at once exactly one gets it.
func (s *Store) AcquireLease(ctx context.Context, name string, h LeaseHolder, now time.Time, ttl time.Duration) (bool, LeaseInfo, error) {
	return s.changeLease(ctx, name, h, acquireLeaseQuery,
		name, h.ID, h.Host, h.PID, ms(now), ms(now), ms(now.Add(ttl)))
}

// changeLease runs a statement that may give the lease name to h, and
// reports whether h holds it then, with the lease as it is.
func (s *Store) changeLease(ctx context.Context, name string, h LeaseHolder, query string, args ...any) (bool, LeaseInfo, error) {
	var info LeaseInfo
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		var err error
		info, err = scanLease(tx.QueryRowContext(ctx, "SELECT "+leaseCols+" FROM leases WHERE name = ?", name))
		return err
	})
	if err != nil {
		return false, LeaseInfo{}, err
	}
	return info.ID == h.ID, info, nil
}

// TakeOverLease takes the lease name for h from the holder with id from,
// whose process is known to be gone (it ran on this machine and its pid no
// longer exists), without waiting for the lease to expire. It does nothing
// when the lease changed hands meanwhile. It reports whether h holds it now.
func (s *Store) TakeOverLease(ctx context.Context, name string, h LeaseHolder, from string, now time.Time, ttl time.Duration) (bool, LeaseInfo, error) {
	return s.changeLease(ctx, name, h, `
		UPDATE leases SET holder = ?, host = ?, pid = ?, acquired_at = ?, heartbeat_at = ?, expires_at = ?
		WHERE name = ? AND holder = ?`,
		h.ID, h.Host, h.PID, ms(now), ms(now), ms(now.Add(ttl)), name, from)
}

// RenewLease extends a lease the holder still holds to now+ttl. It returns
// ErrLeaseLost when another process took it over (or it was released). A
// holder whose lease expired but that nobody took keeps it: no one else can
// have acted under it meanwhile.
func (s *Store) RenewLease(ctx context.Context, hold LeaseHold, now time.Time, ttl time.Duration) (LeaseInfo, error) {
	info, err := scanLease(s.db.QueryRowContext(ctx, `
		UPDATE leases SET heartbeat_at = ?, expires_at = max(expires_at, ?)
		WHERE name = ? AND holder = ? RETURNING `+leaseCols,
		ms(now), ms(now.Add(ttl)), hold.Name, hold.HolderID))
	if errors.Is(err, sql.ErrNoRows) {
		return LeaseInfo{}, fmt.Errorf("lease %q: %w", hold.Name, ErrLeaseLost)
	}
	return info, err
}

// RenewLeaseHoldingBack is RenewLease for a holder whose lease ran out
// while it could not run (the computer slept, the process was stopped): in
// the same transaction it holds back as missed the queued deliveries that
// came due from from (when it last ran) until before cutoff, as the missed
// policy would have at a start. Nothing can be claimed under the renewed
// lease before they are marked. It returns the lease and the deliveries
// held back.
func (s *Store) RenewLeaseHoldingBack(ctx context.Context, hold LeaseHold, now time.Time, ttl time.Duration,
	from, cutoff time.Time) (LeaseInfo, []int64, error) {
	var info LeaseInfo
	var ids []int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		info, err = scanLease(tx.QueryRowContext(ctx, `
			UPDATE leases SET heartbeat_at = ?, expires_at = max(expires_at, ?)
			WHERE name = ? AND holder = ? RETURNING `+leaseCols,
			ms(now), ms(now.Add(ttl)), hold.Name, hold.HolderID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("lease %q: %w", hold.Name, ErrLeaseLost)
		}
		if err != nil || !cutoff.After(from) {
			return err
		}
		ids, err = markMissed(ctx, tx, 0, from, cutoff)
		return err
	})
	if err != nil {
		return LeaseInfo{}, nil, err
	}
	return info, ids, nil
}

// ReleaseLease gives a lease up, so another process can take it at once
// instead of waiting for it to expire. Releasing a lease held by someone
// else does nothing.
func (s *Store) ReleaseLease(ctx context.Context, hold LeaseHold) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM leases WHERE name = ? AND holder = ?", hold.Name, hold.HolderID)
	return err
}

// Lease reads a lease; ok is false when nobody has taken it.
func (s *Store) Lease(ctx context.Context, name string) (info LeaseInfo, ok bool, err error) {
	info, err = scanLease(s.db.QueryRowContext(ctx, "SELECT "+leaseCols+" FROM leases WHERE name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return LeaseInfo{}, false, nil
	}
	return info, err == nil, err
}

// checkHold fails with ErrLeaseLost unless hold's holder holds its lease
// and it has not expired at now (once expired, another process may take it
// over at any moment). It runs inside the write transaction it guards, which
// holds the database's write lock, so the lease cannot change hands before
// that write commits.
func checkHold(ctx context.Context, tx *sql.Tx, hold LeaseHold, now time.Time) error {
	var holder string
	var expires int64
	err := tx.QueryRowContext(ctx, "SELECT holder, expires_at FROM leases WHERE name = ?", hold.Name).
		Scan(&holder, &expires)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (holder != hold.HolderID || expires <= ms(now)) {
		return fmt.Errorf("lease %q: %w", hold.Name, ErrLeaseLost)
	}
	return err
}

func scanLease(row *sql.Row) (LeaseInfo, error) {
	var l LeaseInfo
	var acquired, beat, expires int64
	err := row.Scan(&l.Name, &l.ID, &l.Host, &l.PID, &acquired, &beat, &expires)
	l.AcquiredAt, l.HeartbeatAt, l.ExpiresAt = fromMS(acquired), fromMS(beat), fromMS(expires)
	return l, err
}
