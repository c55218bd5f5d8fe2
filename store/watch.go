package store

import (
	"context"
	"database/sql"
	"time"
)

// ChangeWatcher tells when the database has changed: a commit by another
// process (the app, crier run, a script) or by another of this store's
// connections. It asks SQLite's PRAGMA data_version on a connection of its
// own, which costs no disk read when nothing changed, so it can be asked
// often; only after a commit does it read the content revision, which says
// whether the commit changed something the app shows (see
// migrations/0007_content_revision.sql) or only bookkeeping: the sender
// lease's heartbeat, the sync cursors.
type ChangeWatcher struct {
	conn    *sql.Conn
	version int64 // PRAGMA data_version when last asked
	content int64 // content_revision.n when last read
}

// Change is what a watcher saw since it was last asked.
type Change struct {
	// Committed: anything at all was committed, bookkeeping included.
	Committed bool
	// Content: something the app shows changed (posts, deliveries,
	// drafts, the inbox, campaigns, goals, analytics, accounts...).
	Content bool
}

// WatchChanges opens a watcher on a connection of its own. Close it when
// done.
func (s *Store) WatchChanges(ctx context.Context) (*ChangeWatcher, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	w := &ChangeWatcher{conn: conn}
	if w.version, err = w.dataVersion(ctx); err == nil {
		w.content, err = w.contentRevision(ctx)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return w, nil
}

func (w *ChangeWatcher) dataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
	return v, err
}

func (w *ChangeWatcher) contentRevision(ctx context.Context) (int64, error) {
	var n int64
	err := w.conn.QueryRowContext(ctx, "SELECT n FROM content_revision WHERE id = 1").Scan(&n)
	return n, err
}

// Poll reports what was committed since the last call (or since the
// watcher was opened).
func (w *ChangeWatcher) Poll(ctx context.Context) (Change, error) {
	v, err := w.dataVersion(ctx)
	if err != nil || v == w.version {
		return Change{}, err
	}
	// Read after data_version: a commit landing in between is seen now
	// and counted again next time, never missed.
	n, err := w.contentRevision(ctx)
	if err != nil {
		return Change{}, err
	}
	c := Change{Committed: true, Content: n != w.content}
	w.version, w.content = v, n
	return c, nil
}

// Close returns the watcher's connection.
func (w *ChangeWatcher) Close() error { return w.conn.Close() }

// WatchHooks are what Watch tells its caller.
type WatchHooks struct {
	// Opened is called each time a watch begins (again): what was
	// committed before it was not seen. May be nil.
	Opened func()
	// Changed is called with what a poll saw when something was committed.
	Changed func(Change)
	// Failing is called with the error when watching stops working, once
	// until it works again (a locked or closed database passes); the
	// watcher is opened again at the next poll. May be nil.
	Failing func(error)
}

// Watch polls for commits at once and then every interval until ctx ends,
// on a watcher of its own that it opens again after an error.
func (s *Store) Watch(ctx context.Context, every time.Duration, h WatchHooks) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	var w *ChangeWatcher
	defer func() {
		if w != nil {
			w.Close()
		}
	}()
	failing := false
	fail := func(err error) {
		if !failing && ctx.Err() == nil && h.Failing != nil {
			h.Failing(err)
		}
		failing = true
	}
	for first := true; ; first = false {
		if !first {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
		if w == nil {
			var err error
			if w, err = s.WatchChanges(ctx); err != nil {
				w = nil
				fail(err)
				continue
			}
			if h.Opened != nil {
				h.Opened()
			}
		}
		c, err := w.Poll(ctx)
		if err != nil {
			fail(err)
			w.Close()
			w = nil
			continue
		}
		failing = false
		if c.Committed {
			h.Changed(c)
		}
	}
}
