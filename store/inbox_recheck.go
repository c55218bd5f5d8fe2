package store

import (
	"context"
	"database/sql"
	"time"
)

// A sync asks the network whether the open items it has are still there:
// one whose author deleted it is marked, stays in the inbox for the record,
// leaves the needs-attention view and cannot be answered.

// InboxToRecheck returns up to limit of an account's open items that their
// authors have not (as far as crier knows) deleted, never asked about
// first, then the longest unasked. What listening found is not asked about:
// it waits for no answer.
func (s *Store) InboxToRecheck(ctx context.Context, accountID int64, limit int) ([]InboxItem, error) {
	return queryAll(ctx, s.db, scanInboxItem, inboxToRecheckSQL, accountID, limit)
}

// The literals match the partial index inbox_recheck; NULL checked_at sorts
// first in it.
const inboxToRecheckSQL = "SELECT " + inboxCols + ` FROM inbox_items INDEXED BY inbox_recheck
	WHERE account_id = ? AND state = 'open' AND deleted_at IS NULL AND kind <> 'listening'
	ORDER BY checked_at LIMIT ?`

// MarkInboxChecked records that the items in checked were asked about at
// at, and that those in gone (a subset) are no longer on their network:
// their authors deleted them. It returns how many were newly marked gone.
func (s *Store) MarkInboxChecked(ctx context.Context, checked, gone []int64, at time.Time) (int, error) {
	marked := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range checked {
			if _, err := tx.ExecContext(ctx, "UPDATE inbox_items SET checked_at = ? WHERE id = ?", ms(at), id); err != nil {
				return err
			}
		}
		for _, id := range gone {
			res, err := tx.ExecContext(ctx,
				"UPDATE inbox_items SET deleted_at = ?, checked_at = ? WHERE id = ? AND deleted_at IS NULL", ms(at), ms(at), id)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			marked += int(n)
		}
		return nil
	})
	return marked, err
}
