package store

import (
	"context"

	"github.com/crier-app/crier/sentiment"
)

// addRead stores items read the way a sync reads what it fetched
// (tone.Read, which the store's own tests cannot import): the
// store keeps the tone it is given.
func addRead(ctx context.Context, st *Store, items []InboxItem) (int, error) {
	for i := range items {
		it := &items[i]
		if !it.HasSentiment {
			it.Sentiment, it.HasSentiment = sentiment.Score(it.Body), true
		}
		it.Question = sentiment.IsQuestion(it.Body)
		it.Class = ClassOf(it.Kind, it.Body)
	}
	return st.AddInboxItems(ctx, items)
}
