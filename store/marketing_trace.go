package store

import (
	"context"
	"strings"
)

// CountMarketingRows is how many stored rows a filter's figures add up:
// the length of the trace MarketingRows pages through.
func (s *Store) CountMarketingRows(ctx context.Context, f MarketingFilter) (int, error) {
	q, args := traceSQL(f)
	from := strings.Index(q, "FROM marketing_rows m")
	order := strings.Index(q, " ORDER BY")
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) "+q[from:order], args...).Scan(&n)
	return n, err
}
