package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Loader fills a database with many rows at once, for a generator that
// writes a whole history into a fresh store (the demo). Each Load is one
// transaction on a connection of its own; rows go in through prepared
// multi-row INSERTs (LoadTx.Rows), and the inbox's indexes and search
// triggers can be set aside while its rows go in and built once at the
// end (DeferInboxIndexes, RestoreInboxIndexes), which may be a later Load.
//
// A Loader writes what it is given as it is given: it is for a database no
// one else is writing to, and it checks nothing the schema does not.
type Loader struct {
	s    *Store
	fast bool
	// What DeferInboxIndexes set aside: the statements that create the
	// inbox's indexes and its search triggers again.
	inboxIndexes   []string
	searchTriggers []string
}

// NewLoader returns a Loader for s. A fast one relaxes durability while a
// Load runs (a crash loses the load, so only for a database that is thrown
// away when its build fails) and gives its connection a page cache of
// 16 MiB. A bigger cache buys little: tables loaded in key order fill each
// page once, and the indexes RestoreInboxIndexes builds are sorted in
// memory SQLite sizes from the cache too (a 256 MiB cache and temporary
// files held in memory took the large demo's build past 1 GB).
func (s *Store) NewLoader(fast bool) *Loader { return &Loader{s: s, fast: fast} }

// LoadTx is one Load's transaction. The embedded *sql.Tx is there for the
// odd statement a generator needs besides rows (an UPDATE, an INSERT …
// RETURNING id).
type LoadTx struct {
	*sql.Tx
	l *Loader
}

// Load runs steps in one transaction, in order, and commits when they all
// succeed; the first error rolls everything back.
func (l *Loader) Load(ctx context.Context, steps ...func(context.Context, *LoadTx) error) error {
	conn, err := l.s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if l.fast {
		for _, p := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -16384"} {
			if _, err := conn.ExecContext(ctx, p); err != nil {
				return err
			}
		}
		defer func() {
			// The connection goes back to the pool: leave it as Open made it.
			for _, p := range []string{"PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -2000"} {
				conn.ExecContext(context.WithoutCancel(ctx), p)
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	lt := &LoadTx{Tx: tx, l: l}
	for _, step := range steps {
		if err := step(ctx, lt); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// DeferInboxIndexes drops the inbox's secondary indexes and the triggers
// that keep its search index, so that rows go into inbox_items without
// updating a dozen b-trees each. RestoreInboxIndexes builds them again;
// until then the inbox is not searchable and its queries are slow. It does
// nothing when they are already set aside.
func (t *LoadTx) DeferInboxIndexes(ctx context.Context) error {
	if len(t.l.inboxIndexes) > 0 || len(t.l.searchTriggers) > 0 {
		return nil
	}
	indexes, err := t.dropSchema(ctx, "index", "tbl_name = 'inbox_items' AND sql IS NOT NULL")
	if err != nil {
		return err
	}
	t.l.inboxIndexes = indexes
	triggers, err := t.dropSchema(ctx, "trigger", "name LIKE 'inbox_search_%'")
	if err != nil {
		return err
	}
	t.l.searchTriggers = triggers
	return nil
}

// RestoreInboxIndexes builds what DeferInboxIndexes set aside: the inbox's
// indexes, each in one sort, and the search index over every item, as its
// triggers (migration 4) would have kept it row by row; then the triggers.
func (t *LoadTx) RestoreInboxIndexes(ctx context.Context) error {
	for _, def := range t.l.inboxIndexes {
		if _, err := t.ExecContext(ctx, def); err != nil {
			return err
		}
	}
	t.l.inboxIndexes = nil
	if len(t.l.searchTriggers) == 0 {
		return nil
	}
	for _, q := range append([]string{fillSearchSQL, "INSERT INTO inbox_search (inbox_search) VALUES ('optimize')"}, t.l.searchTriggers...) {
		if _, err := t.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	t.l.searchTriggers = nil
	return nil
}

// fillSearchSQL indexes every item for search, as the triggers of
// migration 4 would have one by one.
const fillSearchSQL = `INSERT INTO inbox_search (rowid, text, who, facets)
	SELECT search_key, body, author_handle || ' ' || author_name,
	       's' || state || ' k' || kind || ' a' || account_id || ' ' || label_keys
	FROM inbox_items`

// dropSchema drops the schema objects of a type (index, trigger) that
// where picks out of sqlite_master, and returns the statements that create
// them, by name.
func (t *LoadTx) dropSchema(ctx context.Context, typ, where string) ([]string, error) {
	rows, err := t.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = ? AND "+where+" ORDER BY name", typ)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := t.ExecContext(ctx, "DROP "+strings.ToUpper(typ)+` "`+name+`"`); err != nil {
			return nil, err
		}
	}
	return defs, nil
}

// maxParams is SQLite's default cap on bound parameters per statement.
const maxParams = 32766

// RowWriter writes rows into one table through a prepared multi-row
// INSERT, so a million rows cost a few thousand statement runs instead of
// a million. The first error sticks: later adds do nothing and Close
// reports it.
type RowWriter struct {
	ctx   context.Context
	tx    *sql.Tx
	table string
	cols  []string
	per   int // rows per full statement
	stmt  *sql.Stmt
	args  []any
	rows  int // rows waiting in args
	err   error
}

// Rows returns a writer of rows into table's columns cols.
func (t *LoadTx) Rows(ctx context.Context, table string, cols ...string) (*RowWriter, error) {
	per := min(128, maxParams/len(cols))
	stmt, err := t.PrepareContext(ctx, insertRowsSQL(table, cols, per))
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", table, err)
	}
	return &RowWriter{ctx: ctx, tx: t.Tx, table: table, cols: cols, per: per, stmt: stmt,
		args: make([]any, 0, per*len(cols))}, nil
}

func insertRowsSQL(table string, cols []string, rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// Add queues one row; its values must match the columns in number and
// order.
func (w *RowWriter) Add(vals ...any) {
	if w.err != nil {
		return
	}
	if len(vals) != len(w.cols) {
		w.err = fmt.Errorf("a row of %d values for %d columns", len(vals), len(w.cols))
		return
	}
	w.args = append(w.args, vals...)
	w.rows++
	if w.rows == w.per {
		_, w.err = w.stmt.ExecContext(w.ctx, w.args...)
		w.args, w.rows = w.args[:0], 0
	}
}

// Close writes the rows still waiting, with a statement of their size, and
// releases the statement. It reports the first error of the writer's.
func (w *RowWriter) Close() error {
	if w.err == nil && w.rows > 0 {
		_, w.err = w.tx.ExecContext(w.ctx, insertRowsSQL(w.table, w.cols, w.rows), w.args...)
		w.args, w.rows = w.args[:0], 0
	}
	w.stmt.Close()
	if w.err != nil {
		return fmt.Errorf("writing %s: %w", w.table, w.err)
	}
	return nil
}
