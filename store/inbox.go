package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The inbox is read newest first, a page at a time, by keyset: a page starts
// after (or before) the (received_at, id) of a row already shown. Nothing uses
// OFFSET, so the last page of 500k items costs what the first one does. Every
// filter combination has an index whose columns are the filter's equalities
// followed by (received_at, id); see the inbox_* indexes in 0001_init.sql.
//
// The needs-attention view (InboxFilter.Attention) reads open items in
// another order, (attention, attention_at, id) ascending, from the partial
// inbox_attention* indexes, and pages the same way.
//
// A search, or a label filter, reads the FTS5 index inbox_search instead
// (see migration 4): newest first by search_key, its rowid, with the
// filter's state, kind and account matched in the index too, so neither a
// page nor the count reads an item that is not in the list.

// InboxFilter narrows the inbox. A zero field means "any".
type InboxFilter struct {
	State InboxState // "" = every state
	// Kind "" is every kind said to the business: what listening found
	// (KindListening) is only in its own view.
	Kind      InboxKind
	AccountID int64 // 0 = every account
	// Attention asks for the needs-attention view: open items (State is
	// ignored) their authors have not deleted, complaints first, then
	// questions, then concerns, then praise, then the rest, each group
	// oldest first with
	// the author's reach and a private message counting as waiting time.
	Attention bool
	// Search keeps the items whose text or author has every word typed
	// (each also as the start of a longer word); Label those that carry
	// the label. Either lists newest first, Attention aside.
	Search string
	Label  string
}

// searching reports whether the filter reads the search index.
func (f InboxFilter) searching() bool { return strings.TrimSpace(f.Search) != "" || f.Label != "" }

// InboxKey is where an item sits in the newest-first order (ReceivedAt, ID),
// in the needs-attention order (Attention, AttentionAt, ID) and in search
// results (SearchKey).
type InboxKey struct {
	ReceivedAt  time.Time
	ID          int64
	Attention   int
	AttentionAt time.Time
	SearchKey   int64
}

// Key returns the item's place in the inbox orders.
func (it InboxItem) Key() InboxKey {
	return InboxKey{ReceivedAt: it.ReceivedAt, ID: it.ID, Attention: it.Attention, AttentionAt: it.AttentionAt,
		SearchKey: it.SearchKey}
}

// inboxOrder is how a filter's list is sorted: by cols, descending or
// ascending, ids breaking ties.
type inboxOrder struct {
	cols   string // the row value compared with a key, "(received_at, id)"
	desc   bool
	search bool // by search_key alone, the index's rowid
}

// table is what the filter's queries read from. Without statistics SQLite
// takes "state = 'open'" for a rare value and would read every open item
// through inbox_state and sort them; the needs-attention view names its
// index, which holds only open items, already in order.
func (f InboxFilter) table() string {
	switch {
	case f.searching():
		// The index first, then each match's row by its key.
		return "inbox_search CROSS JOIN inbox_items INDEXED BY inbox_search_key ON inbox_items.search_key = inbox_search.rowid"
	case !f.Attention:
		return "inbox_items"
	case f.Kind != "":
		return "inbox_items INDEXED BY inbox_attention_kind"
	}
	return "inbox_items INDEXED BY inbox_attention"
}

func (f InboxFilter) order() inboxOrder {
	if f.searching() {
		return inboxOrder{cols: "inbox_search.rowid", desc: true, search: true}
	}
	if f.Attention {
		return inboxOrder{cols: "(attention, attention_at, id)"}
	}
	return inboxOrder{cols: "(received_at, id)", desc: true}
}

// args are a key's values in the order of cols.
func (o inboxOrder) args(k InboxKey) []any {
	if o.search {
		return []any{k.SearchKey}
	}
	if !o.desc {
		return []any{k.Attention, ms(k.AttentionAt), k.ID}
	}
	return []any{ms(k.ReceivedAt), k.ID}
}

// after is the condition "the row comes after k in the list"; before, "the
// row comes before k".
func (o inboxOrder) after(k InboxKey) (string, []any) {
	if o.desc {
		return " AND " + o.cols + " < " + o.params(), o.args(k)
	}
	return " AND " + o.cols + " > " + o.params(), o.args(k)
}

func (o inboxOrder) before(k InboxKey) (string, []any) {
	if o.desc {
		return " AND " + o.cols + " > " + o.params(), o.args(k)
	}
	return " AND " + o.cols + " < " + o.params(), o.args(k)
}

func (o inboxOrder) params() string {
	if o.search {
		return "?"
	}
	if o.desc {
		return "(?, ?)"
	}
	return "(?, ?, ?)"
}

// orderBy sorts in list order, or against it when reversed.
func (o inboxOrder) orderBy(reversed bool) string {
	dir := " ASC"
	if o.desc != reversed {
		dir = " DESC"
	}
	if o.search {
		return " ORDER BY inbox_search.rowid" + dir
	}
	if o.desc {
		return " ORDER BY received_at" + dir + ", id" + dir
	}
	return " ORDER BY attention" + dir + ", attention_at" + dir + ", id" + dir
}

// justBefore is a key that sorts immediately before k, so that "after it"
// means "from k on". Ids are integers, and unique.
func (o inboxOrder) justBefore(k InboxKey) InboxKey {
	if o.search {
		k.SearchKey++
		return k
	}
	if o.desc {
		k.ID++
	} else {
		k.ID--
	}
	return k
}

// where returns the filter's conditions (in the order of the index columns) and
// their arguments, or "1" when the filter is empty.
func (f InboxFilter) where() (string, []any) {
	if f.searching() {
		return "inbox_search MATCH ?", []any{f.match()}
	}
	var conds []string
	var args []any
	if f.AccountID != 0 {
		conds = append(conds, "account_id = ?")
		args = append(args, f.AccountID)
	}
	switch {
	case f.Attention:
		// Literals, not parameters, so SQLite may use the partial
		// inbox_attention* indexes.
		conds = append(conds, "state = 'open' AND deleted_at IS NULL")
	case f.State != "":
		conds = append(conds, "state = ?")
		args = append(args, string(f.State))
	}
	switch {
	case f.Kind != "":
		conds = append(conds, "kind = ?")
		args = append(args, string(f.Kind))
	case f.Attention:
		// What listening found comes last in that order (attention 5):
		// leaving it out is a range on the index's first column.
		conds = append(conds, "attention < 5")
	default:
		// Every kind said to the business; listening has its own view.
		conds = append(conds, "heard = 0")
	}
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}

const inboxCols = `inbox_items.id, account_id, platform, remote_id, kind, author_handle, author_name, author_followers,
	body, url, thread_root, in_reply_to, received_at, state, snoozed_until, is_read, sentiment,
	question, attention, attention_at, remote_cid, root_cid, term, liked, reposted, labels, replied_at,
	class, deleted_at, search_key`

// queryer is what both *sql.DB and *sql.Tx offer, so a query can run alone or
// inside a consistent read.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queryInts runs a query of one integer column (ids, times) and returns
// its values in order.
func queryInts(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	return queryAll(ctx, q, func(row rowScanner) (v int64, err error) {
		err = row.Scan(&v)
		return v, err
	}, query, args...)
}

func scanInboxItem(row rowScanner) (InboxItem, error) {
	var it InboxItem
	var followers, snoozed, replied, deleted, searchKey sql.NullInt64
	var received, attentionAt int64
	var sentiment sql.NullFloat64
	var labels, class string
	if err := row.Scan(&it.ID, &it.AccountID, &it.Platform, &it.RemoteID, &it.Kind, &it.AuthorHandle,
		&it.AuthorName, &followers, &it.Body, &it.URL, &it.ThreadRoot, &it.InReplyTo, &received,
		&it.State, &snoozed, &it.Read, &sentiment, &it.Question, &it.Attention, &attentionAt,
		&it.RemoteCID, &it.RootCID, &it.Term, &it.Liked, &it.Reposted, &labels, &replied,
		&class, &deleted, &searchKey); err != nil {
		return it, err
	}
	it.Class = InboxClass(class)
	it.DeletedAt = fromNullMS(deleted)
	it.SearchKey = searchKey.Int64
	it.Labels = splitLabels(labels)
	it.RepliedAt = fromNullMS(replied)
	it.AuthorFollowers = -1
	if followers.Valid {
		it.AuthorFollowers = int(followers.Int64)
	}
	it.ReceivedAt = fromMS(received)
	it.AttentionAt = fromMS(attentionAt)
	it.SnoozedUntil = fromNullMS(snoozed)
	it.Sentiment, it.HasSentiment = sentiment.Float64, sentiment.Valid
	return it, nil
}

// InboxCount is how many items match f.
func (s *Store) InboxCount(ctx context.Context, f InboxFilter) (int, error) {
	return inboxCount(ctx, s.db, f)
}

func inboxCount(ctx context.Context, q queryer, f InboxFilter) (int, error) {
	query, args := inboxCountSQL(f, nil)
	var n int
	err := q.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}

// inboxCountSQL counts the items matching f, only those before the key
// (newer) when one is given.
func inboxCountSQL(f InboxFilter, before *InboxKey) (string, []any) {
	w, args := f.where()
	if before != nil {
		cond, a := f.order().before(*before)
		w += cond
		args = append(args, a...)
	}
	table := f.table()
	if f.searching() {
		table = "inbox_search" // the count needs no row but the index's
	}
	return "SELECT count(*) FROM " + table + " WHERE " + w, args
}

// InboxPage returns up to limit items matching f, newest first (or in
// attention order, for f.Attention). With after set
// it returns the items that follow that key (older ones); with before set, the
// items that precede it (newer ones), still newest first. With neither it
// returns the first page; with both, the items between them.
func (s *Store) InboxPage(ctx context.Context, f InboxFilter, after, before *InboxKey, limit int) ([]InboxItem, error) {
	return inboxPage(ctx, s.db, f, after, before, limit)
}

func inboxPage(ctx context.Context, q queryer, f InboxFilter, after, before *InboxKey, limit int) ([]InboxItem, error) {
	if limit <= 0 {
		return nil, nil
	}
	query, args, upwards := inboxPageSQL(f, after, before, limit)
	items, err := queryAll(ctx, q, scanInboxItem, query, args...)
	if upwards {
		slices.Reverse(items)
	}
	return items, err
}

// inboxPageSQL builds InboxPage's query. upwards reports that it reads in
// ascending order, so its rows must be turned round.
func inboxPageSQL(f InboxFilter, after, before *InboxKey, limit int) (query string, args []any, upwards bool) {
	w, args := f.where()
	o := f.order()
	if after != nil {
		cond, a := o.after(*after)
		w += cond
		args = append(args, a...)
	}
	if before != nil {
		cond, a := o.before(*before)
		w += cond
		args = append(args, a...)
	}
	// Only `before` alone reads upwards: the rows nearest the key are the
	// last of the earlier ones, so they are fetched against list order.
	upwards = before != nil && after == nil
	query = "SELECT " + inboxCols + " FROM " + f.table() + " WHERE " + w + o.orderBy(upwards) + " LIMIT ?"
	return query, append(args, limit), upwards
}

// InboxLast returns the last limit items of f's list (the oldest, in the
// newest-first order), in list order: the end of the list, reached without
// counting through it.
func (s *Store) InboxLast(ctx context.Context, f InboxFilter, limit int) ([]InboxItem, error) {
	if limit <= 0 {
		return nil, nil
	}
	query, args := inboxLastSQL(f, limit)
	items, err := queryAll(ctx, s.db, scanInboxItem, query, args...)
	slices.Reverse(items)
	return items, err
}

func inboxLastSQL(f InboxFilter, limit int) (string, []any) {
	w, args := f.where()
	return "SELECT " + inboxCols + " FROM " + f.table() + " WHERE " + w + f.order().orderBy(true) + " LIMIT ?",
		append(args, limit)
}

// InboxWindow is a run of items from the filtered list: Items[0] is at index
// Start of Total, newest first.
type InboxWindow struct {
	Total int
	Start int
	Items []InboxItem
	// Index is where the key InboxAround was given sits: the index of its
	// item, or of the item that now follows where it was.
	Index int
}

// InboxAround reads, in one consistent snapshot, the count of items matching f
// and a window around the key at: up to newer items before it and up to older
// items from it on (the item at the key itself first, when it still matches).
// A nil key reads the first older items. It is how a list reloads without
// losing its place: when the item at the key has left the filter, the window's
// row at the key's old index is the item that followed it.
//
// Finding the index counts the items before the key, so it costs in
// proportion to how deep the key is; paging (InboxPage) does not.
func (s *Store) InboxAround(ctx context.Context, f InboxFilter, at *InboxKey, newer, older int) (InboxWindow, error) {
	var win InboxWindow
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return win, err
	}
	defer tx.Rollback()
	if win.Total, err = inboxCount(ctx, tx, f); err != nil {
		return win, err
	}
	if at == nil {
		win.Items, err = inboxPage(ctx, tx, f, nil, nil, older)
		return win, err
	}
	query, args := inboxCountSQL(f, at)
	var rank int
	if err := tx.QueryRowContext(ctx, query, args...).Scan(&rank); err != nil {
		return win, err
	}
	above, err := inboxPage(ctx, tx, f, nil, at, newer)
	if err != nil {
		return win, err
	}
	from := f.order().justBefore(*at)
	below, err := inboxPage(ctx, tx, f, &from, nil, older)
	if err != nil {
		return win, err
	}
	win.Index = rank
	win.Start = rank - len(above)
	win.Items = append(above, below...)
	return win, nil
}

// ErrBadInboxState is returned for a state change crier does not know.
var ErrBadInboxState = errors.New("unknown inbox state")

// SetInboxState moves items to state. Snoozing needs the time the items come
// back (see WakeSnoozed); any other state forgets it.
func (s *Store) SetInboxState(ctx context.Context, ids []int64, state InboxState, snoozedUntil time.Time) error {
	switch state {
	case InboxOpen, InboxDone:
		snoozedUntil = time.Time{}
	case InboxSnoozed:
		if snoozedUntil.IsZero() {
			return errors.New("snoozing needs a time to come back")
		}
	default:
		return fmt.Errorf("%w: %q", ErrBadInboxState, state)
	}
	if len(ids) == 0 {
		return nil
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, setInboxStateSQL)
		if err != nil {
			return err
		}
		defer stmt.Close()
		changed := 0
		for _, id := range ids {
			res, err := stmt.ExecContext(ctx, string(state), nullMS(snoozedUntil), id)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			changed += int(n)
		}
		if changed == 0 {
			return fmt.Errorf("inbox items %v: %w", ids, ErrNotFound)
		}
		return nil
	})
}

const (
	setInboxStateSQL = "UPDATE inbox_items SET state = ?, snoozed_until = ? WHERE id = ?"
	markInboxReadSQL = "UPDATE inbox_items SET is_read = 1 WHERE id = ? AND is_read = 0"
)

// MarkInboxRead records that the user has seen an item.
func (s *Store) MarkInboxRead(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, markInboxReadSQL, id)
	return err
}

// Without statistics SQLite would pick inbox_state (state = ?) and read
// every snoozed item; the partial index holds only those, ordered by time.
const wakeSnoozedSQL = `
	UPDATE inbox_items INDEXED BY inbox_snoozed SET state = 'open', snoozed_until = NULL, is_read = 0
	WHERE state = 'snoozed' AND snoozed_until <= ?`

// WakeSnoozed reopens the snoozed items whose time has come, returning how
// many. They come back unread: a snooze is a reminder.
func (s *Store) WakeSnoozed(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, wakeSnoozedSQL, ms(now))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// AddInboxItems stores items pulled from a network, skipping ones already
// stored (same account and remote id), and returns how many were new. State,
// read mark and snooze of the new rows start as given (open, unread by default).
// Each item's tone is stored as given: its sentiment score (NULL without
// HasSentiment), its question mark and its class (ClassOther when empty),
// which places it in the needs-attention order. Whoever fetched the items
// reads them (tone.Read) before they come here.
func (s *Store) AddInboxItems(ctx context.Context, items []InboxItem) (int, error) {
	added := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `
			INSERT INTO inbox_items (account_id, platform, remote_id, kind, author_handle, author_name,
				author_followers, body, url, thread_root, in_reply_to, received_at, state, snoozed_until,
				is_read, sentiment, question, remote_cid, root_cid, term, liked, reposted, labels, replied_at, heard,
				class, label_keys)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (account_id, remote_id) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, it := range items {
			state := it.State
			if state == "" {
				state = InboxOpen
			}
			var followers any
			if it.AuthorFollowers >= 0 {
				followers = it.AuthorFollowers
			}
			var score any
			if it.HasSentiment {
				score = it.Sentiment
			}
			class := it.Class
			if class == "" {
				class = ClassOther
			}
			res, err := stmt.ExecContext(ctx, it.AccountID, it.Platform, it.RemoteID, string(it.Kind),
				it.AuthorHandle, it.AuthorName, followers, it.Body, it.URL, it.ThreadRoot, it.InReplyTo,
				ms(it.ReceivedAt), string(state), nullMS(it.SnoozedUntil), it.Read, score,
				it.Question, it.RemoteCID, it.RootCID, it.Term, it.Liked, it.Reposted,
				joinLabels(it.Labels), nullMS(it.RepliedAt), it.Kind == KindListening,
				string(class), labelKeys(splitLabels(joinLabels(it.Labels))))
			if err != nil {
				return fmt.Errorf("inbox item %s: %w", it.RemoteID, err)
			}
			n, _ := res.RowsAffected()
			added += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// ThreadEntry is one message in the conversation around an inbox item: one
// of our own posts or another inbox item.
type ThreadEntry struct {
	Ours         bool   // our post (a delivery); otherwise an inbox item
	PostID       int64  // ours: the post
	ItemID       int64  // theirs: the inbox item
	AuthorHandle string // theirs: who wrote it; ours: the account's handle
	AuthorName   string
	Body         string
	URL          string
	At           time.Time
	// Ours and a reply written in crier's inbox: where it is on its way,
	// and why it failed, if it did.
	Reply     bool
	State     DeliveryState
	LastError string
}

// MaxThreadEntries caps how many earlier inbox items InboxThread returns.
const MaxThreadEntries = 20

const (
	// The literal `remote_id <> ''` and `thread_root <> ''` let SQLite use
	// the partial indexes deliveries_remote and inbox_thread. inbox_thread is
	// named because the planner would otherwise walk inbox_account through
	// every older item of the account.
	threadOursSQL = `
		SELECT d.post_id, d.remote_url, coalesce(d.sent_at, d.due_at), coalesce(t.body_override, p.body),
		       coalesce(a.handle, ''), coalesce(a.display_name, '')
		FROM deliveries d
		JOIN posts p ON p.id = d.post_id
		LEFT JOIN post_targets t ON t.post_id = d.post_id AND t.account_id = d.account_id
		LEFT JOIN accounts a ON a.id = d.account_id
		WHERE d.account_id = ? AND d.remote_id IN (?, ?) AND d.remote_id <> ''`
	threadTheirsSQL = "SELECT " + inboxCols + ` FROM inbox_items INDEXED BY inbox_thread
		WHERE account_id = ? AND thread_root = ? AND thread_root <> '' AND (received_at, id) < (?, ?)
		ORDER BY received_at DESC, id DESC LIMIT ?`
	inboxByRemoteSQL = "SELECT " + inboxCols + " FROM inbox_items WHERE account_id = ? AND remote_id = ?"
)

// InboxThread returns the conversation around an item, oldest first: our
// own post it replies to (or the one that started its thread), the items
// that came before it in the same thread on the same account, at most
// MaxThreadEntries of them (the latest), and our replies to the item and
// to those, sent or on their way.
func (s *Store) InboxThread(ctx context.Context, item InboxItem) ([]ThreadEntry, error) {
	out, err := s.inboxThread(ctx, item)
	if err != nil {
		return nil, err
	}
	ids := []int64{item.ID}
	for _, e := range out {
		if e.ItemID != 0 {
			ids = append(ids, e.ItemID)
		}
	}
	replies, err := s.InboxReplies(ctx, ids)
	if err != nil {
		return nil, err
	}
	if len(replies) == 0 {
		return out, nil
	}
	accounts := map[int64]Account{}
	for _, r := range replies {
		if slices.ContainsFunc(out, func(e ThreadEntry) bool { return e.Ours && e.PostID == r.PostID }) {
			continue // already there, as the post a later item answers
		}
		a, ok := accounts[r.AccountID]
		if !ok {
			if a, err = s.Account(ctx, r.AccountID); err != nil && !errors.Is(err, ErrNotFound) {
				return nil, err
			}
			accounts[r.AccountID] = a
		}
		out = append(out, ThreadEntry{Ours: true, Reply: true, PostID: r.PostID, AuthorHandle: a.Handle,
			AuthorName: a.DisplayName, Body: r.Body, URL: r.URL, At: r.At, State: r.State, LastError: r.LastError})
	}
	slices.SortStableFunc(out, func(a, b ThreadEntry) int { return a.At.Compare(b.At) })
	return out, nil
}

func (s *Store) inboxThread(ctx context.Context, item InboxItem) ([]ThreadEntry, error) {
	if item.InReplyTo == "" && item.ThreadRoot == "" {
		return nil, nil
	}
	var out []ThreadEntry
	err := eachRow(ctx, s.db, threadOursSQL, []any{item.AccountID, item.InReplyTo, item.ThreadRoot}, func(rows rowScanner) error {
		e := ThreadEntry{Ours: true}
		var at int64
		if err := rows.Scan(&e.PostID, &e.URL, &at, &e.Body, &e.AuthorHandle, &e.AuthorName); err != nil {
			return err
		}
		e.At = fromMS(at)
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, err
	}

	var theirs []InboxItem
	if item.ThreadRoot != "" {
		if theirs, err = queryAll(ctx, s.db, scanInboxItem, threadTheirsSQL,
			item.AccountID, item.ThreadRoot, ms(item.ReceivedAt), item.ID, MaxThreadEntries); err != nil {
			return nil, err
		}
	}
	// The message it answers may be someone else's that is in the inbox but
	// carries no thread root (or another one).
	if item.InReplyTo != "" && !slices.ContainsFunc(theirs, func(it InboxItem) bool { return it.RemoteID == item.InReplyTo }) {
		parent, err := queryAll(ctx, s.db, scanInboxItem, inboxByRemoteSQL, item.AccountID, item.InReplyTo)
		if err != nil {
			return nil, err
		}
		theirs = append(theirs, parent...)
	}
	for _, it := range theirs {
		out = append(out, ThreadEntry{
			ItemID: it.ID, AuthorHandle: it.AuthorHandle, AuthorName: it.AuthorName,
			Body: it.Body, URL: it.URL, At: it.ReceivedAt,
		})
	}
	slices.SortStableFunc(out, func(a, b ThreadEntry) int { return a.At.Compare(b.At) })
	return out, nil
}

// rowScanner is a row of a query's answer: *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(...any) error }

// queryAll runs a query and reads each row with scan, in order.
func queryAll[T any](ctx context.Context, q queryer, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	var out []T
	err := eachRow(ctx, q, query, args, func(row rowScanner) error {
		v, err := scan(row)
		out = append(out, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachRow runs a query and hands each row to fn, in order, until fn
// returns an error.
func eachRow(ctx context.Context, q queryer, query string, args []any, fn func(rowScanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// execer is what both *sql.DB and *sql.Tx offer to run a statement.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// mustChange runs a statement that is meant to change a row; when it
// changes none, it returns none, the error that says why.
func mustChange(ctx context.Context, db execer, none error, query string, args ...any) error {
	res, err := db.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return none
	}
	return nil
}
