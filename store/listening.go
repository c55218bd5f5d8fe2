package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"
)

// Inbox KPIs (how much waits for an answer, and how fast answers go out)
// and the listening trend (what is said about the business, per term and
// day). Both read partial indexes that hold only the rows they count:
// inbox_replied and inbox_listening.

// NegativeSentiment is VADER's cut-off for a negative text: a compound
// score at or below it. The needs-attention order uses the same one.
const NegativeSentiment = -0.05

// InboxKPIs are the inbox figures of the KPIs pane at one instant.
type InboxKPIs struct {
	Now time.Time
	// Open counts the items waiting in the open state, whenever they
	// arrived. What listening found is left out: it was said about the
	// business, not to it, and waits for nobody; so are items their authors
	// deleted, which cannot be answered.
	Open  int
	Week  ResponseFigures // answered in the 7 calendar days up to Now
	Month ResponseFigures // answered in the 30 calendar days up to Now
}

// ResponseFigures are the items whose first reply went out within a window,
// and how long they waited for it.
type ResponseFigures struct {
	Answered int
	// MedianFirstResponse is the median of replied_at - received_at over
	// them (the mean of the middle two for an even count); 0 when none was
	// answered.
	MedianFirstResponse time.Duration
	// WaitingLonger counts the items received in the window that have no
	// reply yet (open or snoozed, listening's and deleted ones left out) and have already
	// waited longer than the median: the median of the answered alone
	// leaves out the slowest, so it is shown beside it.
	WaitingLonger int
}

const (
	// Open items but not what listening found, nor those their authors
	// deleted (they left the needs-attention view and cannot be answered).
	// inbox_state gives the open items; deleted_at is read from their rows
	// (a partial index that leaves the deleted out is not covering here),
	// and they are few: an inbox is worked through (1,500 of the large
	// demo's 500k).
	inboxOpenSQL = `
		SELECT count(*) FROM inbox_items INDEXED BY inbox_state
		WHERE state = 'open' AND heard = 0 AND deleted_at IS NULL`

	// The items first answered in (from, to], and the median of how long
	// each waited, both off inbox_replied: the range gives the rows, and the
	// index holds both instants. The median sorts the window's waits (there
	// is no index on a difference) and reads the middle one or two. A wait
	// below zero (the network's clock ahead of ours) counts as none.
	inboxResponseSQL = `
		WITH waits(ms) AS (
			SELECT max(replied_at - received_at, 0) FROM inbox_items
			WHERE replied_at IS NOT NULL AND replied_at > ?1 AND replied_at <= ?2),
		n(c) AS (SELECT count(*) FROM waits)
		SELECT (SELECT c FROM n),
		       (SELECT avg(ms) FROM (SELECT ms FROM waits ORDER BY ms
		                             LIMIT 2 - (SELECT c FROM n) % 2 OFFSET ((SELECT c FROM n) - 1) / 2))`

	// The items received in (?1, ?2) that still wait for a first reply.
	// inbox_state gives the range; replied_at is read from the rows it
	// finds (an item answered and then reopened is open but not waiting),
	// which are no more than the window's open items.
	inboxWaitingSQL = `
		SELECT count(*) FROM inbox_items INDEXED BY inbox_state
		WHERE state IN ('open', 'snoozed') AND heard = 0 AND replied_at IS NULL AND deleted_at IS NULL
		  AND received_at > ?1 AND received_at < ?2`
)

// InboxKPIs computes the inbox figures at now, in one read snapshot. The
// windows are the 7 and 30 calendar days in loc up to now (as the KPIs'
// periods are: across a daylight-saving change a week is 167 or 169
// hours); a nil loc is UTC.
func (s *Store) InboxKPIs(ctx context.Context, now time.Time, loc *time.Location) (InboxKPIs, error) {
	if loc == nil {
		loc = time.UTC
	}
	k := InboxKPIs{Now: now.UTC()}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return k, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, inboxOpenSQL).Scan(&k.Open); err != nil {
		return k, fmt.Errorf("open inbox items: %w", err)
	}
	for _, w := range []struct {
		days int
		dst  *ResponseFigures
	}{{7, &k.Week}, {30, &k.Month}} {
		var median sql.NullFloat64
		from := now.In(loc).AddDate(0, 0, -w.days)
		if err := tx.QueryRowContext(ctx, inboxResponseSQL, ms(from), ms(now)).Scan(&w.dst.Answered, &median); err != nil {
			return k, fmt.Errorf("answered inbox items over %d days: %w", w.days, err)
		}
		if median.Valid {
			w.dst.MedianFirstResponse = time.Duration(median.Float64 * float64(time.Millisecond))
		}
		longer := ms(now) - int64(math.Ceil(median.Float64))
		if err := tx.QueryRowContext(ctx, inboxWaitingSQL, ms(from), longer).Scan(&w.dst.WaitingLonger); err != nil {
			return k, fmt.Errorf("unanswered inbox items over %d days: %w", w.days, err)
		}
	}
	return k, tx.Commit()
}

// ListeningTrend is what social listening found, per term and local day.
type ListeningTrend struct {
	// Days are the local midnights starting each day of the series,
	// oldest first: the day holding From through the day holding To.
	Days     []time.Time
	From, To time.Time // the instants counted, [From, To], UTC
	// Terms are the terms that found something in [From, To], the busiest
	// first (ties by name).
	Terms []TermTrend
}

// TermTrend is one term's series.
type TermTrend struct {
	Term  string
	Days  []ListeningDay // one per ListeningTrend.Days
	Total ListeningDay   // the whole range
}

// ListeningDay counts the posts a term found on one day (or in a range).
type ListeningDay struct {
	Count int
	// Negative counts those at or below NegativeSentiment.
	Negative int
	// Scored counts those with a sentiment score, and SentimentSum adds
	// their scores up (every item is scored when stored; the counts stay
	// apart so that one that is not cannot drag the mean to 0).
	Scored       int
	SentimentSum float64
}

// MeanSentiment is the mean score of the scored posts (0 without any).
func (d ListeningDay) MeanSentiment() float64 {
	return Ratio(d.SentimentSum, d.Scored)
}

// NegativeShare is the fraction of the posts that were negative (0 without any).
func (d ListeningDay) NegativeShare() float64 {
	return Ratio(d.Negative, d.Count)
}

func (d *ListeningDay) add(o ListeningDay) {
	d.Count += o.Count
	d.Negative += o.Negative
	d.Scored += o.Scored
	d.SentimentSum += o.SentimentSum
}

// MaxListeningDays bounds the days one trend covers.
const MaxListeningDays = 400

const (
	// The terms listening has ever filed something under, one index seek
	// each: the smallest term, then the smallest after it, and so on.
	// SELECT DISTINCT would read every entry of the index. The index is
	// named: without statistics SQLite takes inbox_kind for kind = ? and
	// reads every listening item to find a minimum.
	listeningTermsSQL = `
		WITH RECURSIVE terms(term) AS (
			SELECT min(term) FROM inbox_items INDEXED BY inbox_listening WHERE kind = 'listening'
			UNION ALL
			SELECT (SELECT min(i.term) FROM inbox_items i INDEXED BY inbox_listening
			        WHERE i.kind = 'listening' AND i.term > terms.term)
			FROM terms WHERE terms.term IS NOT NULL)
		SELECT term FROM terms WHERE term IS NOT NULL`

	// Each term's counts in each [from, to) range of a JSON array of pairs,
	// as [count, negative, scored, sum of scores]: a scalar subquery per
	// range aggregates straight off inbox_listening, which holds term,
	// time and score.
	listeningDaysSQL = `
		SELECT t.value, r.key,
		       (SELECT json_array(count(*), count(CASE WHEN i.sentiment <= -0.05 THEN 1 END),
		                          count(i.sentiment), total(i.sentiment))
		        FROM inbox_items i
		        WHERE i.kind = 'listening' AND i.term = t.value
		          AND i.received_at >= r.value ->> 0 AND i.received_at < r.value ->> 1)
		FROM json_each(?1) t CROSS JOIN json_each(?2) r`
)

// listeningQueries are the statements ListeningTrend and InboxKPIs run, for
// the query plan test.
var listeningQueries = map[string]string{
	"open items":     inboxOpenSQL,
	"response":       inboxResponseSQL,
	"waiting":        inboxWaitingSQL,
	"listening term": listeningTermsSQL,
	"listening days": listeningDaysSQL,
}

// ListeningTrend counts what listening found from `from` to `to`
// (inclusive), per term and calendar day in loc, in one read snapshot.
// Terms that found nothing in the range are left out.
func (s *Store) ListeningTrend(ctx context.Context, from, to time.Time, loc *time.Location) (ListeningTrend, error) {
	if loc == nil {
		loc = time.UTC
	}
	tr := ListeningTrend{From: from.UTC(), To: to.UTC()}
	if to.Before(from) {
		return tr, fmt.Errorf("listening trend from %s to %s: the range ends before it starts", from, to)
	}
	first, last := from.In(loc), to.In(loc)
	for d := DayStart(first.Year(), first.Month(), first.Day(), loc); !d.After(last); d = DayStart(d.Year(), d.Month(), d.Day()+1, loc) {
		if len(tr.Days) == MaxListeningDays {
			return tr, fmt.Errorf("listening trend from %s to %s: more than %d days", from, to, MaxListeningDays)
		}
		tr.Days = append(tr.Days, d)
	}
	// Day i counts [its midnight, the next), cut to [from, to].
	ranges := make([][2]int64, len(tr.Days))
	for i, d := range tr.Days {
		end := ms(to) + 1
		if i+1 < len(tr.Days) {
			end = ms(tr.Days[i+1])
		}
		ranges[i] = [2]int64{max(ms(d), ms(from)), end}
	}
	rangesJSON, err := json.Marshal(ranges)
	if err != nil {
		return tr, err
	}

	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return tr, err
	}
	defer tx.Rollback()
	var terms []string
	if err := eachRow(ctx, tx, listeningTermsSQL, nil, func(rows rowScanner) error {
		var term string
		if err := rows.Scan(&term); err != nil {
			return err
		}
		terms = append(terms, term)
		return nil
	}); err != nil {
		return tr, fmt.Errorf("listening terms: %w", err)
	}
	if len(terms) == 0 {
		return tr, tx.Commit()
	}
	termsJSON, err := json.Marshal(terms)
	if err != nil {
		return tr, err
	}
	byTerm := make(map[string]*TermTrend, len(terms))
	for _, term := range terms {
		byTerm[term] = &TermTrend{Term: term, Days: make([]ListeningDay, len(tr.Days))}
	}
	if err := eachRow(ctx, tx, listeningDaysSQL, []any{string(termsJSON), string(rangesJSON)}, func(rows rowScanner) error {
		var term, counts string
		var day int
		if err := rows.Scan(&term, &day, &counts); err != nil {
			return err
		}
		var c [4]float64
		if err := json.Unmarshal([]byte(counts), &c); err != nil {
			return fmt.Errorf("term %q, day %d: %w", term, day, err)
		}
		t, ok := byTerm[term]
		if !ok || day < 0 || day >= len(t.Days) {
			return nil
		}
		d := ListeningDay{Count: int(c[0]), Negative: int(c[1]), Scored: int(c[2]), SentimentSum: c[3]}
		t.Days[day] = d
		t.Total.add(d)
		return nil
	}); err != nil {
		return tr, fmt.Errorf("listening by day: %w", err)
	}
	for _, term := range terms {
		if t := byTerm[term]; t.Total.Count > 0 {
			tr.Terms = append(tr.Terms, *t)
		}
	}
	slices.SortStableFunc(tr.Terms, func(a, b TermTrend) int { return b.Total.Count - a.Total.Count })
	return tr, tx.Commit()
}
