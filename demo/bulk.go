package demo

import (
	"context"
	"database/sql"
	"strings"
)

// maxParams is SQLite's default cap on bound parameters per statement.
const maxParams = 32766

// bulk writes rows into one table through a prepared multi-row INSERT, so a
// million rows cost a few thousand statement runs instead of a million. The
// first error sticks: later adds do nothing and close reports it.
type bulk struct {
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

func newBulk(ctx context.Context, tx *sql.Tx, table string, cols ...string) (*bulk, error) {
	per := min(128, maxParams/len(cols))
	stmt, err := tx.PrepareContext(ctx, insertSQL(table, cols, per))
	if err != nil {
		return nil, err
	}
	return &bulk{ctx: ctx, tx: tx, table: table, cols: cols, per: per, stmt: stmt,
		args: make([]any, 0, per*len(cols))}, nil
}

func insertSQL(table string, cols []string, rows int) string {
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

// add queues one row; its values must match the columns in number and order.
func (b *bulk) add(vals ...any) {
	if b.err != nil {
		return
	}
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows == b.per {
		_, b.err = b.stmt.ExecContext(b.ctx, b.args...)
		b.args, b.rows = b.args[:0], 0
	}
}

// flush writes the rows still waiting, with a statement of their size.
func (b *bulk) flush() error {
	if b.err == nil && b.rows > 0 {
		_, b.err = b.tx.ExecContext(b.ctx, insertSQL(b.table, b.cols, b.rows), b.args...)
		b.args, b.rows = b.args[:0], 0
	}
	if b.err != nil {
		return &bulkError{table: b.table, err: b.err}
	}
	return nil
}

// close flushes and releases the statement.
func (b *bulk) close() error {
	err := b.flush()
	b.stmt.Close()
	return err
}

type bulkError struct {
	table string
	err   error
}

func (e *bulkError) Error() string { return "writing " + e.table + ": " + e.err.Error() }
func (e *bulkError) Unwrap() error { return e.err }
