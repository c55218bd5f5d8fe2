package store_test

import (
	"context"
	"testing"

	"github.com/crier-app/crier/demo/demotest"
	"github.com/crier-app/crier/store"
)

// BenchmarkInboxSearch measures a search on the large demo database (500k
// inbox items): "load" is what the pane does for each search typed (the
// count and the first page around the top, in one read transaction), for
// words as they are typed, common and rare, across every state and in the
// default open view, and for the label filter; "page" is the next page of
// 100 from the middle of a search's results (a page down), and "last" its
// end.
func BenchmarkInboxSearch(b *testing.B) {
	ctx := context.Background()
	st, _ := demotest.Large(b)
	labels, err := st.InboxLabels(ctx)
	if err != nil || len(labels) == 0 {
		b.Fatalf("labels %v, %v", labels, err)
	}
	cases := []struct {
		name string
		f    store.InboxFilter
	}{
		{"load/k", store.InboxFilter{Search: "k"}},
		{"load/ke", store.InboxFilter{Search: "ke"}},
		{"load/kenji", store.InboxFilter{Search: "kenji"}},
		{"load/open/kenji", store.InboxFilter{Search: "kenji", State: store.InboxOpen}},
		{"load/the", store.InboxFilter{Search: "the"}},
		{"load/open/the", store.InboxFilter{Search: "the", State: store.InboxOpen}},
		{"load/sourdough-rye", store.InboxFilter{Search: "sourdough rye"}},
		{"load/nothing", store.InboxFilter{Search: "zzyzx"}},
		{"load/label", store.InboxFilter{Label: labels[0].Label}},
		{"load/open/label", store.InboxFilter{Label: labels[0].Label, State: store.InboxOpen}},
	}
	for _, c := range cases {
		win, err := st.InboxAround(ctx, c.f, nil, 0, 1)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportMetric(float64(win.Total), "found")
			for b.Loop() {
				if _, err := st.InboxAround(ctx, c.f, nil, 50, 100); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	f := store.InboxFilter{Search: "the"}
	n, err := st.InboxCount(ctx, f)
	if err != nil || n < 1000 {
		b.Fatalf("%d found, %v", n, err)
	}
	mid, err := st.InboxPage(ctx, f, nil, nil, n/2)
	if err != nil || len(mid) == 0 {
		b.Fatal(err)
	}
	key := mid[len(mid)-1].Key()
	b.Run("page/the", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.InboxPage(ctx, f, &key, nil, 100); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("last/the", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.InboxLast(ctx, f, 100); err != nil {
				b.Fatal(err)
			}
		}
	})
}
