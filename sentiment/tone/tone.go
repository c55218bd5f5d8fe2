// Package tone reads inbox items the way crier files them, for the syncs
// that fetch them (the store keeps what it is given).
package tone

import (
	"github.com/crier-app/crier/sentiment"
	"github.com/crier-app/crier/store"
)

// Read reads each inbox item the way crier files it: its sentiment
// score (sentiment.Score, unless the item carries one from its network),
// whether it asks something, and what it is (store.ClassOf), which places it
// in the needs-attention order. A sync reads what it fetched before storing
// it; the store keeps what it is given. It returns items, read in place.
func Read(items []store.InboxItem) []store.InboxItem {
	for i := range items {
		it := &items[i]
		if !it.HasSentiment {
			it.Sentiment, it.HasSentiment = sentiment.Score(it.Body), true
		}
		it.Question = sentiment.IsQuestion(it.Body)
		it.Class = store.ClassOf(it.Kind, it.Body)
	}
	return items
}
