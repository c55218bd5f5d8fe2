package store_test

import (
	"context"
	"testing"

	"github.com/crier-app/crier/demo/demotest"
	"github.com/crier-app/crier/store"
)

// BenchmarkNeedsAttention measures the needs-attention view's queries on the
// large demo database (500k inbox items, the open ones in the view): "load"
// is what the pane does on entering it (count and a window at the top, one
// read transaction), "page" one keyset page of 100 from the middle of the
// view, "page-account" the same with an account filter, which the partial
// index serves by skipping the other accounts' rows.
func BenchmarkNeedsAttention(b *testing.B) {
	ctx := context.Background()
	st, _ := demotest.Large(b)
	f := store.InboxFilter{Attention: true}
	win, err := st.InboxAround(ctx, f, nil, 0, 1)
	if err != nil || win.Total == 0 {
		b.Fatalf("InboxAround = %+v, %v", win, err)
	}
	b.Logf("%d items need attention", win.Total)
	// A key half way down the view.
	mid, err := st.InboxPage(ctx, f, nil, nil, win.Total/2)
	if err != nil || len(mid) == 0 {
		b.Fatal(err)
	}
	key := mid[len(mid)-1].Key()
	accounts, err := st.Accounts(ctx)
	if err != nil || len(accounts) == 0 {
		b.Fatal(err)
	}
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.InboxAround(ctx, f, nil, 50, 100); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("page", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.InboxPage(ctx, f, &key, nil, 100); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("page-account", func(b *testing.B) {
		fa := f
		fa.AccountID = accounts[len(accounts)-1].ID
		for b.Loop() {
			if _, err := st.InboxPage(ctx, fa, &key, nil, 100); err != nil {
				b.Fatal(err)
			}
		}
	})
}
