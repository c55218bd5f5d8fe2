package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
)

// schemaOf is what sqlite_master holds of a type (index, trigger), as
// "name: sql" lines.
func schemaOf(t *testing.T, st *Store, typ string) []string {
	t.Helper()
	rows, err := st.db.Query("SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = ? ORDER BY name", typ)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		out = append(out, name+": "+def)
	}
	return out
}

// The demo's way of filling a big inbox: its indexes and search triggers
// set aside in one load, rows written, and everything built again in a
// later one, the same as the migrations made it, with every row searchable.
func TestLoaderSetsTheInboxIndexesAsideAndBuildsThemAgain(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc, err := st.UpsertAccount(ctx, Account{Platform: PlatformMastodon, Handle: "bakery@example.social"})
	if err != nil {
		t.Fatal(err)
	}
	indexes, triggers := schemaOf(t, st, "index"), schemaOf(t, st, "trigger")
	l := st.NewLoader(true)
	bodies := []string{"the rye was wonderful", "is the stollen back", "cold coffee again"}
	err = l.Load(ctx, func(ctx context.Context, tx *LoadTx) error {
		if err := tx.DeferInboxIndexes(ctx); err != nil {
			return err
		}
		w, err := tx.Rows(ctx, "inbox_items", "id", "account_id", "platform", "remote_id", "kind", "author_handle",
			"body", "received_at", "class", "search_key")
		if err != nil {
			return err
		}
		for i, b := range bodies {
			at := ms(inboxT0) + int64(i)
			w.Add(i+1, acc, PlatformMastodon, string(rune('a'+i)), string(KindReply), "someone", b, at, string(ClassOf(KindReply, b)), at*1048576)
		}
		return w.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	gone := schemaOf(t, st, "index")
	if len(gone) >= len(indexes) || slices.ContainsFunc(gone, func(s string) bool { return strings.Contains(s, "ON inbox_items") }) {
		t.Fatalf("inbox indexes while set aside: %v", gone)
	}
	if err := l.Load(ctx, func(ctx context.Context, tx *LoadTx) error { return tx.RestoreInboxIndexes(ctx) }); err != nil {
		t.Fatal(err)
	}
	if got := schemaOf(t, st, "index"); !slices.Equal(got, indexes) {
		t.Errorf("indexes after the load:\n got %v\nwant %v", got, indexes)
	}
	if got := schemaOf(t, st, "trigger"); !slices.Equal(got, triggers) {
		t.Errorf("triggers after the load:\n got %v\nwant %v", got, triggers)
	}
	page, err := st.InboxPage(ctx, InboxFilter{Search: "stollen"}, nil, nil, 10)
	if err != nil || len(page) != 1 || page[0].RemoteID != "b" {
		t.Fatalf("search after the load = %v, %v; want item b", page, err)
	}
	// Later items reach the search index through the triggers again.
	if _, err := addRead(ctx, st, []InboxItem{{AccountID: acc, Platform: PlatformMastodon, RemoteID: "d", Kind: KindReply,
		AuthorHandle: "other", AuthorFollowers: -1, Body: "more stollen please", ReceivedAt: inboxT0.Add(1e9)}}); err != nil {
		t.Fatal(err)
	}
	if page, err = st.InboxPage(ctx, InboxFilter{Search: "stollen"}, nil, nil, 10); err != nil || len(page) != 2 {
		t.Fatalf("search after an item came in = %d items, %v; want 2", len(page), err)
	}
}

// A load that fails leaves nothing behind, and a row of the wrong width is
// an error that names the table.
func TestLoaderRollsBackAFailedLoad(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	err := st.NewLoader(false).Load(ctx, func(ctx context.Context, tx *LoadTx) error {
		w, err := tx.Rows(ctx, "meta", "key", "value")
		if err != nil {
			return err
		}
		w.Add("demo-a", "1")
		w.Add("demo-b")
		return w.Close()
	})
	if err == nil || !strings.Contains(err.Error(), "writing meta") {
		t.Fatalf("a short row: %v; want an error writing meta", err)
	}
	var v string
	if err := st.db.QueryRow("SELECT value FROM meta WHERE key = 'demo-a'").Scan(&v); !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("a failed load left %q behind (%v)", v, err)
	}
}
