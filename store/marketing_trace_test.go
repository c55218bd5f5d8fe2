package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A trace pages by key both ways and meets itself: every row once, in
// key order, whichever end it starts from; and its query seeks by the
// primary key without sorting.
func TestTracePagesByKey(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)
	id, err := st.CreateCampaign(ctx, Campaign{Name: "Spring Sale"}, now)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := st.BeginImport(ctx, ImportBatch{Feed: "sheet", Class: ClassSheet, Origin: "s.csv", ExportedAt: now}, now)
	if err != nil {
		t.Fatal(err)
	}
	first := DateDay(2026, 3, 1)
	for d := 0; d < 4; d++ {
		for _, src := range []string{"mastodon", "bluesky"} {
			if err := imp.Add(MarketingRow{Day: first.Add(d), Campaign: "spring-sale", Source: src, Content: "post-1", Clicks: Known(int64(d))}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	f := MarketingFilter{Campaign: id}.EveryDay()
	n, err := st.CountMarketingRows(ctx, f)
	if err != nil || n != 8 {
		t.Fatalf("count %d %v", n, err)
	}
	var forward []TraceRow
	var after *TraceKey
	for {
		page, err := st.TraceAfter(ctx, f, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		forward = append(forward, page...)
		if len(page) < 3 {
			break
		}
		k := page[len(page)-1].Key()
		after = &k
	}
	var backward []TraceRow
	var before *TraceKey
	for {
		page, err := st.TraceBefore(ctx, f, before, 3)
		if err != nil {
			t.Fatal(err)
		}
		backward = append(page, backward...)
		if len(page) < 3 {
			break
		}
		k := page[0].Key()
		before = &k
	}
	if len(forward) != 8 || len(backward) != 8 {
		t.Fatalf("forward %d, backward %d rows", len(forward), len(backward))
	}
	for i := range forward {
		if forward[i].Key() != backward[i].Key() {
			t.Errorf("row %d: %+v forward, %+v backward", i, forward[i].Key(), backward[i].Key())
		}
		if i > 0 && !(forward[i-1].Day < forward[i].Day || forward[i-1].Day == forward[i].Day && forward[i-1].Source < forward[i].Source) {
			t.Errorf("rows %d and %d out of order", i-1, i)
		}
	}
	// One network's rows.
	f.Source = "bluesky"
	page, err := st.TraceAfter(ctx, f, nil, 10)
	if err != nil || len(page) != 4 {
		t.Fatalf("bluesky rows %d %v", len(page), err)
	}
	w, args := traceFilterSQL(MarketingFilter{Campaign: id}.EveryDay())
	k := forward[3].Key()
	plan := explain(t, st, "SELECT m.day FROM marketing_rows m WHERE "+w+" AND "+traceKeyColumns+" > (?, ?, ?, ?, ?, ?, ?) ORDER BY m.campaign_id, m.day, m.source, m.class, m.content, m.feed, m.ext_campaign LIMIT 3",
		append(args, k.args()...)...)
	if !strings.Contains(plan, "USING PRIMARY KEY") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("the trace does not read by key:\n%s", plan)
	}
}
