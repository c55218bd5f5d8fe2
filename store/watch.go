package store

import (
	"context"
	"database/sql"
)

// ChangeWatcher tells when the database has changed: a commit by another
// process (the app, crier run, a script) or by another of this store's
// connections. It asks SQLite's PRAGMA data_version on a connection of its
// own, which costs no disk read when nothing changed, so it can be asked
// often.
type ChangeWatcher struct {
	conn *sql.Conn
	last int64
}

// WatchChanges opens a watcher on a connection of its own. Close it when
// done.
func (s *Store) WatchChanges(ctx context.Context) (*ChangeWatcher, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	w := &ChangeWatcher{conn: conn}
	if w.last, err = w.version(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return w, nil
}

func (w *ChangeWatcher) version(ctx context.Context) (int64, error) {
	var v int64
	err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
	return v, err
}

// Changed reports whether anything was committed since the last call (or
// since the watcher was opened).
func (w *ChangeWatcher) Changed(ctx context.Context) (bool, error) {
	v, err := w.version(ctx)
	if err != nil {
		return false, err
	}
	changed := v != w.last
	w.last = v
	return changed, nil
}

// Close returns the watcher's connection.
func (w *ChangeWatcher) Close() error { return w.conn.Close() }
