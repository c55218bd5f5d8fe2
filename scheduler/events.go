package scheduler

import "time"

// EventKind says what happened in the background.
type EventKind string

const (
	EventSent      EventKind = "sent"       // a delivery went out
	EventFailed    EventKind = "failed"     // a delivery failed for good (Err says why)
	EventRetrying  EventKind = "retrying"   // a delivery failed and will be retried at RetryAt
	EventMissed    EventKind = "missed"     // a delivery came due while crier was closed and was held back
	EventSynced    EventKind = "synced"     // a sync finished; Count new inbox items
	EventSyncError EventKind = "sync-error" // a sync failed (Err); publishing goes on
	EventState     EventKind = "state"      // the scheduler's own state changed (see Status)
	// EventNeedsReauth: the network refused an account's credentials (Err
	// says how). Its posts wait, unsent and unfailed, until the user signs
	// in again and the account's flag is cleared.
	EventNeedsReauth EventKind = "needs-reauth"
)

// Event is one thing the scheduler tells the UI. The UI reads Status for the
// status bar and reloads its data on any event.
type Event struct {
	Kind       EventKind
	At         time.Time
	PostID     int64
	DeliveryID int64
	AccountID  int64
	ReplyItem  int64 // the inbox item the post answers, for a reply; else 0
	Count      int
	Err        string
	RetryAt    time.Time
	// DueAt and SentAt are set on EventSent: when the delivery was due and
	// when the network accepted it, so a post that went out late can say
	// by how much.
	DueAt  time.Time
	SentAt time.Time
	// Text is what went to the account (or failed to, or will be tried
	// again), on a delivery's EventSent, EventFailed and EventRetrying:
	// the app names the post without asking the database again.
	Text   string
	Status Status
}

// Status is the scheduler's state as the status bar shows it.
type Status struct {
	Running   bool
	Sender    bool      // this process holds the right to send
	Holder    string    // who sends, when it is not us
	NextDueAt time.Time // zero when nothing is queued
	NextPost  int64
	LastSync  time.Time // when the last sync of the accounts that worked began
	LastError string
	// WaitingOn names the accounts (their handles, comma-separated) whose
	// server has kept a write waiting for longer than a few seconds; ""
	// when none is. Their own posts wait; other accounts' go out on time.
	// WaitingSince is when the longest of those waits began.
	WaitingOn    string
	WaitingSince time.Time
}
