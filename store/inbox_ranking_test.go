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
// and any set named in CRIER_TRIAGE_SET): many inboxes of 40 open items are
// drawn from a set, each stored as one account's, and the view read back
// as the pane reads it. For each inbox:
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
	rankInboxes  = 100
	rankInboxLen = 40
)

var rankMix = map[sentiment.Class]float64{
	sentiment.Question: 0.34, sentiment.Praise: 0.30, sentiment.Complaint: 0.14, sentiment.Other: 0.22,
}

type rankScore struct{ precision10, recall20 float64 }

func TestNeedsAttentionRanking(t *testing.T) {
	sets := []string{"triage_dev.tsv", "triage_dev2.tsv", "triage_dev3.tsv", "triage_dev4.tsv", "triage_dev5.tsv", "triage_heldout.tsv"}
	for i := range sets {
		sets[i] = filepath.Join("..", "sentiment", "testdata", sets[i])
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

// rankSet stores rankInboxes inboxes drawn from set, each as one account's
// open items, and scores the needs-attention view of each, and the order
// VADER's cut-off and a question mark alone would give.
func rankSet(t *testing.T, set []labelled) (got, vader rankScore) {
	t.Helper()
	st := openTest(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, uint64(len(set))))
	byClass := map[sentiment.Class][]labelled{}
	for _, m := range set {
		byClass[m.class] = append(byClass[m.class], m)
	}
	classes := []sentiment.Class{sentiment.Complaint, sentiment.Question, sentiment.Praise, sentiment.Other}
	n := 0
	for inbox := range rankInboxes {
		acc := mustAccount(t, st, PlatformBluesky, fmt.Sprintf("inbox%d.example.com", inbox))
		drawn := map[string]bool{}
		var items []InboxItem
		labels := map[string]sentiment.Class{}
		for len(items) < rankInboxLen {
			c := pickClass(r, classes)
			pool := byClass[c]
			if len(pool) == 0 {
				continue
			}
			m := pool[r.IntN(len(pool))]
			if drawn[m.text] && len(drawn) < len(set) {
				continue
			}
			drawn[m.text] = true
			n++
			id := fmt.Sprint("m", n)
			followers := int(r.ExpFloat64() * 150)
			if r.IntN(20) == 0 {
				followers = 2000 + r.IntN(30000)
			}
			items = append(items, InboxItem{AccountID: acc, Platform: PlatformBluesky, RemoteID: id, Kind: m.kind,
				AuthorHandle: id + ".example.com", AuthorFollowers: followers, Body: m.text,
				ReceivedAt: inboxT0.Add(-time.Duration(r.IntN(48*60)) * time.Minute)})
			labels[id] = m.class
		}
		if _, err := st.AddInboxItems(ctx, items); err != nil {
			t.Fatal(err)
		}
		view, err := st.InboxPage(ctx, InboxFilter{Attention: true, AccountID: acc}, nil, nil, rankInboxLen)
		if err != nil || len(view) != rankInboxLen {
			t.Fatalf("needs attention = %d items, %v", len(view), err)
		}
		order := make([]string, len(view))
		for i, it := range view {
			order[i] = it.RemoteID
		}
		s := scoreOrder(order, labels)
		got.precision10 += s.precision10
		got.recall20 += s.recall20
		s = scoreOrder(vaderOrder(view), labels)
		vader.precision10 += s.precision10
		vader.recall20 += s.recall20
	}
	got.precision10 /= rankInboxes
	got.recall20 /= rankInboxes
	vader.precision10 /= rankInboxes
	vader.recall20 /= rankInboxes
	return got, vader
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
