package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

var savedT0 = time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)

func mustSavedReply(t *testing.T, st *Store, name, body string) int64 {
	t.Helper()
	id, err := st.CreateSavedReply(context.Background(), name, body, savedT0)
	if err != nil {
		t.Fatalf("create %q: %v", name, err)
	}
	return id
}

func savedNames(t *testing.T, st *Store) []string {
	t.Helper()
	all, err := st.SavedReplies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range all {
		names = append(names, r.Name)
	}
	return names
}

func TestSavedRepliesRoundTrip(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	if got, err := st.SavedReplies(ctx); err != nil || len(got) != 0 {
		t.Fatalf("empty store: %v, %v", got, err)
	}
	body := "Thanks {first_name}! 🥐\nSee you soon."
	id := mustSavedReply(t, st, "  Merci beaucoup  ", body)
	all, err := st.SavedReplies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := SavedReply{ID: id, Name: "Merci beaucoup", Body: body, CreatedAt: savedT0, UpdatedAt: savedT0}
	if len(all) != 1 || all[0] != want {
		t.Fatalf("read back %+v, want %+v", all, want)
	}

	later := savedT0.Add(time.Hour)
	if err := st.UpdateSavedReply(ctx, id, "Thanks", "Thank you, {name}!", later); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkSavedReplyUsed(ctx, id, later.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkSavedReplyUsed(ctx, id, later.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	all, _ = st.SavedReplies(ctx)
	want = SavedReply{ID: id, Name: "Thanks", Body: "Thank you, {name}!", Uses: 2,
		LastUsedAt: later.Add(2 * time.Minute), CreatedAt: savedT0, UpdatedAt: later}
	if len(all) != 1 || all[0] != want {
		t.Fatalf("after update and two uses %+v, want %+v", all, want)
	}

	if err := st.DeleteSavedReply(ctx, id); err != nil {
		t.Fatal(err)
	}
	if names := savedNames(t, st); len(names) != 0 {
		t.Fatalf("after delete: %v", names)
	}
}

func TestSavedRepliesOrder(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	ids := map[string]int64{}
	for _, n := range []string{"opening hours", "Allergens", "thanks", "DM us", "Sorry"} {
		ids[n] = mustSavedReply(t, st, n, "text of "+n)
	}
	// Names alone: alphabetical, ignoring case.
	if got, want := strings.Join(savedNames(t, st), ","), "Allergens,DM us,opening hours,Sorry,thanks"; got != want {
		t.Fatalf("unused order %s, want %s", got, want)
	}
	use := func(name string, n int) {
		for range n {
			if err := st.MarkSavedReplyUsed(ctx, ids[name], savedT0); err != nil {
				t.Fatal(err)
			}
		}
	}
	use("thanks", 3)
	use("Sorry", 1)
	use("DM us", 1)
	if got, want := strings.Join(savedNames(t, st), ","), "thanks,DM us,Sorry,Allergens,opening hours"; got != want {
		t.Fatalf("order by use %s, want %s", got, want)
	}
}

func TestSavedReplyRefused(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	thanks := mustSavedReply(t, st, "Thanks", "Thank you!")
	other := mustSavedReply(t, st, "Hours", "We open at 7.")

	cases := []struct {
		name, body string
		want       string
	}{
		{"", "text", "a saved reply needs a name"},
		{"   ", "text", "a saved reply needs a name"},
		{"two\nlines", "text", "one line"},
		{"tab\there", "text", "one line"},
		{strings.Repeat("é", MaxSavedReplyName+1), "text", "at most 60 characters"},
		{"Empty", "", `saved reply "Empty" has no text`},
		{"Blank", " \n\t ", `saved reply "Blank" has no text`},
		{"thanks", "again", `a saved reply named "Thanks" exists`},
		{" THANKS ", "again", `a saved reply named "Thanks" exists`},
	}
	for _, c := range cases {
		_, err := st.CreateSavedReply(ctx, c.name, c.body, savedT0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("create %q %q: error %v, want one saying %q", c.name, c.body, err, c.want)
		}
		err = st.UpdateSavedReply(ctx, other, c.name, c.body, savedT0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("update to %q %q: error %v, want one saying %q", c.name, c.body, err, c.want)
		}
	}
	var exists *SavedReplyExistsError
	if _, err := st.CreateSavedReply(ctx, "THANKS", "x", savedT0); !errors.As(err, &exists) || exists.Name != "Thanks" {
		t.Errorf("duplicate: %v, want a *SavedReplyExistsError naming Thanks", err)
	}
	// A reply may keep its own name, or change only its case.
	if err := st.UpdateSavedReply(ctx, thanks, "THANKS", "Thank you!!", savedT0); err != nil {
		t.Errorf("renaming to its own name in capitals: %v", err)
	}
	if got, want := strings.Join(savedNames(t, st), ","), "Hours,THANKS"; got != want {
		t.Errorf("after the refusals: %s, want %s", got, want)
	}

	for what, err := range map[string]error{
		"update": st.UpdateSavedReply(ctx, 999, "Gone", "text", savedT0),
		"delete": st.DeleteSavedReply(ctx, 999),
		"mark":   st.MarkSavedReplyUsed(ctx, 999, savedT0),
	} {
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "saved reply 999") {
			t.Errorf("%s of a missing reply: %v, want ErrNotFound naming it", what, err)
		}
	}
}

func TestSavedRepliesUseIndex(t *testing.T) {
	st := openTest(t)
	plan := explain(t, st, savedRepliesSQL)
	if !strings.Contains(plan, "USING INDEX saved_replies_order") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("the picker's order should come from saved_replies_order, plan:\n%s", plan)
	}
	plan = explain(t, st, savedReplyNamedSQL, "x", 0)
	if !strings.Contains(plan, "INDEX sqlite_autoindex_saved_replies_1") {
		t.Errorf("the name check should use the unique index, plan:\n%s", plan)
	}
}
