package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/sentiment"
)

// The needs-attention view judged on labelled messages (sentiment/testdata,
// and any set named in CRIER_TRIAGE_SET): each message is read by the store,
// many inboxes of 40 open items are drawn from a set and put in the view's
// order (see rankSet). For each inbox:
//
//   - precision of the top 10: the share of the first ten that are
//     complaints or questions, what the business must act on;
//   - recall of complaints in the top 20: the share of the inbox's
//     complaints among its first twenty.
//
// An inbox's mix follows the demo's (a third questions, 30% praise, 14%
// complaints, the rest chatter), its times are spread over two days and
// its authors' reach is ordinary, with a few larger accounts. The figures
// are means over the inboxes; the README quotes them.

const (
	rankInboxes  = 400
	rankInboxLen = 40
)

var rankMix = map[sentiment.Class]float64{
	sentiment.Question: 0.34, sentiment.Praise: 0.30, sentiment.Complaint: 0.14, sentiment.Other: 0.22,
}

type rankScore struct{ precision10, recall20 float64 }

func TestNeedsAttentionRanking(t *testing.T) {
	sets, err := filepath.Glob(filepath.Join("..", "sentiment", "testdata", "triage_*.tsv"))
	if err != nil || len(sets) < 2 {
		t.Fatalf("labelled sets: found %v (%v), want the development and held-out sets", sets, err)
	}
	if extra := os.Getenv("CRIER_TRIAGE_SET"); extra != "" {
		sets = append(sets, strings.Split(extra, string(os.PathListSeparator))...)
	}
	for _, path := range sets {
		set, err := loadLabelled(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			got, vader := rankSet(t, set)
			t.Logf("%d inboxes of %d from %d messages: precision of the top 10 %.2f, recall of complaints in the top 20 %.2f "+
				"(VADER and a question mark alone, as before: %.2f, %.2f)",
				rankInboxes, rankInboxLen, len(set), got.precision10, got.recall20, vader.precision10, vader.recall20)
			// The development sets hold the cues to account; a held-out
			// set (or a reviewer's) is held to the targets the README
			// states.
			wantP, wantR := 0.9, 0.75
			if strings.Contains(path, "triage_dev") {
				wantP, wantR = 0.85, 0.9
			}
			if got.precision10 < wantP || got.recall20 < wantR {
				t.Errorf("precision of the top 10 %.2f, recall of complaints in the top 20 %.2f; want at least %.2f and %.2f",
					got.precision10, got.recall20, wantP, wantR)
			}
		})
	}
}

// rankSet reads every message of set through the store once (as
// AddInboxItems reads what a sync brings: its class, and so its place in
// the needs-attention order), then draws rankInboxes inboxes from it and
// orders each as the view does: by that place, then by the waiting time
// the view computes (received, less reach and privacy), oldest first. That
// this is the view's order is TestNeedsAttentionPagesEveryFilterBothWays'
// business; reading each message once keeps the test quick under -race.
// It scores each inbox, and the order VADER's cut-off and a question mark
// alone would give.
func rankSet(t *testing.T, set []labelled) (got, vader rankScore) {
	t.Helper()
	st := openTest(t)
	ctx := context.Background()
	acc := mustAccount(t, st, PlatformBluesky, "bakery.example.com")
	items := make([]InboxItem, len(set))
	for i, m := range set {
		items[i] = InboxItem{AccountID: acc, Platform: PlatformBluesky, RemoteID: fmt.Sprint("m", i), Kind: m.kind,
			AuthorHandle: fmt.Sprint("m", i, ".example.com"), AuthorFollowers: -1, Body: m.text, ReceivedAt: inboxT0}
	}
	if _, err := addRead(ctx, st, items); err != nil {
		t.Fatal(err)
	}
	read, err := st.InboxPage(ctx, InboxFilter{Attention: true, AccountID: acc}, nil, nil, len(set)+1)
	if err != nil || len(read) != len(set) {
		t.Fatalf("needs attention = %d items, %v; want %d", len(read), err, len(set))
	}
	stored := map[string]InboxItem{}
	for _, it := range read {
		stored[it.RemoteID] = it
	}

	r := rand.New(rand.NewPCG(7, uint64(len(set))))
	byClass := map[sentiment.Class][]int{}
	for i, m := range set {
		byClass[m.class] = append(byClass[m.class], i)
	}
	classes := []sentiment.Class{sentiment.Complaint, sentiment.Question, sentiment.Praise, sentiment.Other}
	for range rankInboxes {
		var inbox []InboxItem
		labels := map[string]sentiment.Class{}
		for n := 0; len(inbox) < rankInboxLen; n++ {
			pool := byClass[pickClass(r, classes)]
			if len(pool) == 0 {
				continue
			}
			i := pool[r.IntN(len(pool))]
			it := stored[fmt.Sprint("m", i)]
			it.RemoteID = fmt.Sprint("m", i, "#", n) // the same message may come twice, from two people
			it.AuthorFollowers = int(r.ExpFloat64() * 150)
			if r.IntN(20) == 0 {
				it.AuthorFollowers = 2000 + r.IntN(30000)
			}
			it.ReceivedAt = inboxT0.Add(-time.Duration(r.IntN(48*60)) * time.Minute)
			it.ID = int64(n)
			inbox = append(inbox, it)
			labels[it.RemoteID] = set[i].class
		}
		s := scoreOrder(viewOrder(inbox), labels)
		got.precision10 += s.precision10
		got.recall20 += s.recall20
		s = scoreOrder(vaderOrder(inbox), labels)
		vader.precision10 += s.precision10
		vader.recall20 += s.recall20
	}
	got.precision10 /= rankInboxes
	got.recall20 /= rankInboxes
	vader.precision10 /= rankInboxes
	vader.recall20 /= rankInboxes
	return got, vader
}

// viewOrder orders open items as the needs-attention view does.
func viewOrder(items []InboxItem) []string {
	items = slices.Clone(items)
	waited := func(it InboxItem) time.Time {
		at := it.ReceivedAt
		switch n := it.AuthorFollowers; {
		case n >= 100000:
			at = at.Add(-24 * time.Hour)
		case n >= 10000:
			at = at.Add(-12 * time.Hour)
		case n >= 1000:
			at = at.Add(-4 * time.Hour)
		}
		if it.Kind == KindDM {
			at = at.Add(-6 * time.Hour)
		}
		return at
	}
	slices.SortStableFunc(items, func(a, b InboxItem) int {
		if a.Attention != b.Attention {
			return a.Attention - b.Attention
		}
		if c := waited(a).Compare(waited(b)); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.RemoteID
	}
	return out
}

func pickClass(r *rand.Rand, classes []sentiment.Class) sentiment.Class {
	x := r.Float64()
	for _, c := range classes {
		if x -= rankMix[c]; x < 0 {
			return c
		}
	}
	return classes[len(classes)-1]
}

// scoreOrder scores one inbox's order; an inbox without complaints has
// found all of them.
func scoreOrder(order []string, labels map[string]sentiment.Class) rankScore {
	var s rankScore
	for _, id := range order[:10] {
		if c := labels[id]; c == sentiment.Complaint || c == sentiment.Question {
			s.precision10 += 0.1
		}
	}
	complaints, found := 0, 0
	for i, id := range order {
		if labels[id] == sentiment.Complaint {
			complaints++
			if i < 20 {
				found++
			}
		}
	}
	s.recall20 = 1
	if complaints > 0 {
		s.recall20 = float64(found) / float64(complaints)
	}
	return s
}

// vaderOrder is the needs-attention order of crier before messages were
// read for what they are: VADER's negative cut-off, then a question mark,
// then the rest, each oldest first with reach as waiting time.
func vaderOrder(items []InboxItem) []string {
	items = slices.Clone(items)
	rank := func(it InboxItem) int {
		switch {
		case it.Sentiment <= sentiment.NegativeAt:
			return 0
		case it.Question:
			return 1
		}
		return 2
	}
	waited := func(it InboxItem) time.Time {
		switch n := it.AuthorFollowers; {
		case n >= 10000:
			return it.ReceivedAt.Add(-12 * time.Hour)
		case n >= 1000:
			return it.ReceivedAt.Add(-4 * time.Hour)
		}
		return it.ReceivedAt
	}
	sort.SliceStable(items, func(i, j int) bool {
		if a, b := rank(items[i]), rank(items[j]); a != b {
			return a < b
		}
		return waited(items[i]).Before(waited(items[j]))
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.RemoteID
	}
	return out
}

// labelled is one message of a labelled set (see sentiment/testdata).
type labelled struct {
	class sentiment.Class
	kind  InboxKind
	text  string
}

func loadLabelled(path string) ([]labelled, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	kinds := map[string]InboxKind{"reply": KindReply, "mention": KindMention, "quote": KindQuote, "dm": KindDM}
	var out []labelled
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.SplitN(line, "\t", 4)
		if len(cols) != 4 || !slices.Contains(sentiment.Classes, sentiment.Class(cols[0])) || kinds[cols[1]] == "" {
			return nil, fmt.Errorf("%s:%d: want class, channel (reply, mention, quote, dm), language and text, tab-separated", path, i+1)
		}
		out = append(out, labelled{class: sentiment.Class(cols[0]), kind: kinds[cols[1]], text: cols[3]})
	}
	return out, nil
}
