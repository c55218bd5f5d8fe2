package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/crier-app/crier/store"
)

// savedReply is one of the bakery's templates and how much it has been used
// (the picker offers the most used first).
type savedReply struct {
	name, body string
	uses       int
	lastUsed   time.Duration // before Now; ignored when uses is 0
}

// savedReplies answer what the demo inbox asks most: opening hours,
// allergens, big orders, complaints. Each fits a Bluesky reply (300
// graphemes) with a long name filled in.
var savedReplies = []savedReply{
	{"Thanks", "Thank you so much, {first_name}! 🥐 That made the bakers' morning. See you at the counter!",
		31, 3 * time.Hour},
	{"Opening hours", "Hi {first_name}! We're open Tue–Fri 7:00–18:00, Sat 7:00–15:00 and Sun 8:00–13:00; " +
		"closed on Mondays. Fresh loaves come out at 7, 10 and 15.", 14, 26 * time.Hour},
	{"Allergens", "Good question, {first_name}. Everything is baked in one kitchen that handles wheat, nuts, " +
		"sesame, milk and eggs, so we can't promise anything is free of them. Ask at the counter and we'll " +
		"show you the full ingredient list of any bake.", 9, 2 * 24 * time.Hour},
	{"Big orders", "Hi {first_name}, we'd love to bake for you! For 20 pieces or more, send us a direct " +
		"message with the day, the pickup time and what you'd like. We need 48 hours' notice.", 6, 4 * 24 * time.Hour},
	{"Sorry, we'll make it right", "{name}, we're really sorry, that's not how it should be. Could you send " +
		"us a direct message with the day and what you bought? We'll make it right. — {me}", 4, 6 * 24 * time.Hour},
	{"Move to DMs", "Thanks {first_name}! That's easier to sort out in private: could you send us a direct " +
		"message here on {network}? We answer within the day.", 3, 9 * 24 * time.Hour},
	{"Giveaway winner", "Congratulations {handle}, you won this week's loaf! 🎉 Send us a direct message to " +
		"pick the day you'd like to collect it.", 0, 0},
}

// writeSavedReplies stores the bakery's templates the way the app does,
// then backdates their use. A name already taken is left as it is.
func (g *gen) writeSavedReplies(ctx context.Context, st *store.Store) error {
	created := g.now.Add(-60 * 24 * time.Hour).Truncate(time.Millisecond)
	for _, r := range savedReplies {
		id, err := st.CreateSavedReply(ctx, r.name, r.body, created)
		var exists *store.SavedReplyExistsError
		if errors.As(err, &exists) {
			continue
		}
		if err != nil {
			return fmt.Errorf("saved reply %q: %w", r.name, err)
		}
		if r.uses == 0 {
			continue
		}
		if _, err := st.DB().ExecContext(ctx, "UPDATE saved_replies SET uses = ?, last_used_at = ? WHERE id = ?",
			r.uses, g.now.Add(-r.lastUsed).UnixMilli(), id); err != nil {
			return fmt.Errorf("saved reply %q: %w", r.name, err)
		}
	}
	return nil
}
