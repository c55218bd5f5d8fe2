package scheduler

import (
	"context"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/store"
)

// finalText is the text d goes out with (analytics.FinalText): in a
// campaign's post, or an A/B test's, the links to the business's own
// domains (Options.Tagger) carry the campaign. The links it tags are
// recorded (store tagged_links) before anything is sent, so a click that
// comes back can be traced to the copy, and so a retry, or a reconcile
// after an unclear outcome, sends and looks for the very text of the first
// attempt, whatever became of the campaign's slug or the config since.
func (s *Scheduler) finalText(ctx context.Context, d store.DueDelivery) (string, error) {
	if d.ReplyItem != 0 {
		return d.Text, nil // an answer to someone, never a campaign's post
	}
	c, err := analytics.CopyOf(ctx, s.st, d.PostID, d.AccountID, d.Platform)
	if err != nil || !c.Tagged() {
		return d.Text, err
	}
	earlier, err := s.st.PostTaggedLinks(ctx, d.PostID)
	if err != nil {
		return "", err
	}
	text, links := analytics.FinalText(s.o.Tagger, d.Text, c, earlier)
	var fresh []store.TaggedLink
	for _, l := range c.TaggedLinks(links, s.o.Now()) {
		if !recorded(earlier, l) {
			fresh = append(fresh, l)
		}
	}
	if len(fresh) > 0 {
		if err := s.st.RecordTaggedLinks(ctx, fresh, s.o.Now()); err != nil {
			return "", err
		}
	}
	return text, nil
}

// recorded reports whether l is among the links kept already, as it is.
func recorded(earlier []store.TaggedLink, l store.TaggedLink) bool {
	for _, e := range earlier {
		if e.PostID == l.PostID && e.AccountID == l.AccountID && e.URL == l.URL && e.Tagged == l.Tagged &&
			e.CampaignID == l.CampaignID && e.Source == l.Source && e.Content == l.Content {
			return true
		}
	}
	return false
}
