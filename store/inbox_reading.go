package store

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/crier-app/crier/sentiment"
)

// What an inbox message is (sentiment.Classify), as stored in
// inbox_items.class. Its place in the needs-attention order follows from it.
//
// Migration 4 reads the items stored before it with the same function as a
// sync does (ClassOf, through tone.Read), through SQLite: crier registers it with the driver
// (crier_inbox_class), and the labels' search tokens with it
// (crier_label_keys). Registered once for the process, before any database
// is opened.
func init() {
	registerTextFunc("crier_inbox_class", 2, func(kindAndBody []string) string {
		return string(classify(InboxKind(kindAndBody[0]), kindAndBody[1]))
	})
	registerTextFunc("crier_label_keys", 1, func(labels []string) string {
		return labelKeys(splitLabels(labels[0]))
	})
}

// channelOf is how an item of a kind reached the business.
func channelOf(kind InboxKind) sentiment.Channel {
	switch kind {
	case KindDM:
		return sentiment.Direct
	case KindMention:
		return sentiment.Mention
	case KindQuote:
		return sentiment.Quote
	case KindListening:
		return sentiment.Overheard
	}
	return sentiment.Reply
}

func classify(kind InboxKind, body string) sentiment.Class {
	return sentiment.Classify(body, channelOf(kind))
}

// ClassOf is what an inbox message of kind with body is: what the sync
// (tone.Read) and the demo store in InboxItem.Class, and what
// migration 4 read the items stored before it as.
func ClassOf(kind InboxKind, body string) InboxClass { return InboxClass(classify(kind, body)) }

// JoinLabels is labels as stored in inbox_items.labels, and LabelKeys as
// in label_keys: for writers that fill the table in bulk.
func JoinLabels(labels []string) string { return joinLabels(labels) }

// LabelKeys: see JoinLabels.
func LabelKeys(labels []string) string { return labelKeys(splitLabels(joinLabels(labels))) }

// labelKeys are labels as search tokens: "l" and each label's bytes in hex,
// so any label, punctuation and emoji included, is one whole token that no
// other label shares a prefix with.
func labelKeys(labels []string) string {
	keys := make([]string, 0, len(labels))
	for _, l := range labels {
		keys = append(keys, labelKey(l))
	}
	return strings.Join(keys, " ")
}

func labelKey(label string) string { return "l" + hex.EncodeToString([]byte(label)) }

// searchQuery turns what a person typed into an FTS5 query over the items'
// text and author: every word must appear, as a word or the start of one
// ("kenji" finds @kenjigarcia.com, "brot" finds Brötchen). A single letter
// is a word of its own: as the start of every word that has it, it would
// find most of the inbox, slowly. Words without a letter or digit are left
// out; "" means nothing to search for.
func searchQuery(typed string) string {
	var terms []string
	for _, w := range strings.Fields(typed) {
		if !strings.ContainsFunc(w, isWordRune) {
			continue
		}
		term := `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
		if utf8.RuneCountInString(w) > 1 {
			term += "*"
		}
		terms = append(terms, term)
	}
	if len(terms) == 0 {
		return ""
	}
	return "{text who} : (" + strings.Join(terms, " AND ") + ")"
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// match is the FTS5 query for a filter that searches or picks a label: the
// words, the label, and the filter's state, kind and account as facets.
func (f InboxFilter) match() string {
	var parts []string
	if q := searchQuery(f.Search); q != "" {
		parts = append(parts, "("+q+")")
	}
	if f.Label != "" {
		parts = append(parts, "facets : "+labelKey(f.Label))
	}
	if len(parts) == 0 {
		// Only a search of nothing but punctuation: it matches nothing.
		parts = append(parts, `facets : "none"`)
	}
	if f.State != "" {
		parts = append(parts, "facets : s"+string(f.State))
	}
	if f.Kind != "" {
		parts = append(parts, "facets : k"+string(f.Kind))
	}
	if f.AccountID != 0 {
		parts = append(parts, fmt.Sprintf("facets : a%d", f.AccountID))
	}
	q := "(" + strings.Join(parts, " AND ") + ")"
	if f.Kind == "" {
		q += " NOT facets : k" + string(KindListening) // listening has its own view
	}
	return q
}

// LabelCount is a label in use and how many items carry it.
type LabelCount struct {
	Label string
	Items int
}

// InboxLabels returns the labels items carry, the most used first, read
// from the index of labelled items alone.
func (s *Store) InboxLabels(ctx context.Context) ([]LabelCount, error) {
	counts := map[string]int{}
	err := eachRow(ctx, s.db, inboxLabelsSQL, nil, func(rows rowScanner) error {
		var labels string
		var n int
		if err := rows.Scan(&labels, &n); err != nil {
			return err
		}
		for _, l := range splitLabels(labels) {
			counts[l] += n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]LabelCount, 0, len(counts))
	for l, n := range counts {
		out = append(out, LabelCount{Label: l, Items: n})
	}
	slices.SortFunc(out, func(a, b LabelCount) int {
		if a.Items != b.Items {
			return b.Items - a.Items
		}
		return strings.Compare(a.Label, b.Label)
	})
	return out, nil
}

// Items with the same set of labels are counted together.
const inboxLabelsSQL = `SELECT labels, count(*) FROM inbox_items INDEXED BY inbox_labelled
	WHERE labels <> '' GROUP BY labels`
