package store

import (
	"context"
	"slices"
)

// TraceKey is where a row stands in a trace: the marketing_rows primary
// key, in its order, so a trace pages by key from any point as fast as
// from its start.
type TraceKey struct {
	CampaignID int64
	Day        Day
	Source     string
	Class      MarketingClass
	Content    string
	Feed       string
	ExtCamp    string
}

// Key is the row's place in a trace.
func (r TraceRow) Key() TraceKey {
	return TraceKey{r.CampaignID, r.Day, r.Source, r.Class, r.Content, r.Feed, r.Campaign}
}

// traceFilterSQL is the WHERE clause of a filter's rows (marketing_rows m).
func traceFilterSQL(f MarketingFilter) (string, []any) {
	return filterWhere(f, "m.", "m.campaign_id IN (SELECT id FROM campaigns UNION ALL SELECT 0)")
}

const traceKeyColumns = "(m.campaign_id, m.day, m.source, m.class, m.content, m.feed, m.ext_campaign)"

func (k TraceKey) args() []any {
	return []any{k.CampaignID, int64(k.Day), k.Source, int64(k.Class), k.Content, k.Feed, k.ExtCamp}
}

// TraceAfter lists up to limit of the rows a filter's figures add up,
// in key order, after the row keyed after (from the first when nil).
func (s *Store) TraceAfter(ctx context.Context, f MarketingFilter, after *TraceKey, limit int) ([]TraceRow, error) {
	w, args := traceFilterSQL(f)
	if after != nil {
		w += " AND " + traceKeyColumns + " > (?, ?, ?, ?, ?, ?, ?)"
		args = append(args, after.args()...)
	}
	return s.trace(ctx, w, "", args, limit)
}

// TraceBefore lists up to limit of the rows before the row keyed before
// (the last rows when nil), in key order.
func (s *Store) TraceBefore(ctx context.Context, f MarketingFilter, before *TraceKey, limit int) ([]TraceRow, error) {
	w, args := traceFilterSQL(f)
	if before != nil {
		w += " AND " + traceKeyColumns + " < (?, ?, ?, ?, ?, ?, ?)"
		args = append(args, before.args()...)
	}
	rows, err := s.trace(ctx, w, " DESC", args, limit)
	slices.Reverse(rows)
	return rows, err
}

func (s *Store) trace(ctx context.Context, where, dir string, args []any, limit int) ([]TraceRow, error) {
	q := `SELECT ` + traceColumns + ` FROM marketing_rows m
		LEFT JOIN marketing_days d ON d.campaign_id = m.campaign_id AND d.day = m.day AND d.source = m.source
		LEFT JOIN marketing_imports i ON i.id = m.batch_id
		WHERE ` + where + ` ORDER BY m.campaign_id` + dir + `, m.day` + dir + `, m.source` + dir + `, m.class` + dir +
		`, m.content` + dir + `, m.feed` + dir + `, m.ext_campaign` + dir + ` LIMIT ?`
	return queryAll(ctx, s.db, scanTraceRow, q, append(args, limit)...)
}

// CountMarketingRows is how many stored rows a filter's figures add up:
// the length of its trace.
func (s *Store) CountMarketingRows(ctx context.Context, f MarketingFilter) (int, error) {
	w, args := traceFilterSQL(f)
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM marketing_rows m WHERE "+w, args...).Scan(&n)
	return n, err
}
