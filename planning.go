package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/feeds"
	"github.com/crier-app/crier/scheduler"
	"github.com/crier-app/crier/store"
)

// recordPlanning puts the config's feeds and competitors in the store,
// where the scheduler reads them, and removes those the config no longer
// names (a feed's memory of its entries goes with it).
func recordPlanning(ctx context.Context, st *store.Store, cfg *config.Config, accounts []store.Account, now time.Time) error {
	where := func(key string, i int) string {
		if cfg.File == "" {
			return fmt.Sprintf("%s[%d]", key, i)
		}
		return fmt.Sprintf("config %s: %s[%d]", cfg.File, key, i)
	}
	// A feed renamed in the config (same url, a name no longer there) is
	// the same feed: it keeps the entries it has seen, so none of them
	// comes again as a draft, or goes out again with fill_queue.
	stored, err := st.Feeds(ctx)
	if err != nil {
		return err
	}
	named := map[string]bool{}
	for _, f := range cfg.Feeds {
		named[f.Name] = true
	}
	storedNames := map[string]bool{}
	for _, f := range stored {
		storedNames[f.Name] = true
	}
	for _, f := range cfg.Feeds {
		if storedNames[f.Name] {
			continue
		}
		for _, old := range stored {
			if old.URL == f.URL && !named[old.Name] && storedNames[old.Name] {
				if err := st.RenameFeed(ctx, old.Name, f.Name); err != nil {
					return err
				}
				storedNames[old.Name], storedNames[f.Name] = false, true
				break
			}
		}
	}
	keep := map[string]bool{}
	for i, f := range cfg.Feeds {
		fc := store.FeedConfig{Name: f.Name, URL: f.URL, FillQueue: f.FillQueue}
		refs := f.Accounts
		if len(refs) == 0 {
			for _, a := range cfg.Accounts {
				refs = append(refs, a.Handle)
			}
		}
		for _, ref := range refs {
			if ca := cfg.AccountNamed(ref); ca != nil {
				if id := accountID(accounts, *ca); id != 0 {
					fc.Accounts = append(fc.Accounts, id)
				}
			}
		}
		if len(fc.Accounts) == 0 {
			return fmt.Errorf("%s: feed %q has no account to make drafts for; add one under accounts", where("feeds", i), f.Name)
		}
		if f.Campaign != "" {
			c, err := st.CampaignBySlug(ctx, f.Campaign)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("%s.campaign: no campaign has the slug %q (the Campaigns pane shows each campaign's slug)", where("feeds", i), f.Campaign)
			}
			if err != nil {
				return err
			}
			fc.CampaignID = c.ID
		}
		if _, err := st.UpsertFeed(ctx, fc, now); err != nil {
			return fmt.Errorf("%s: %w", where("feeds", i), err)
		}
		keep[f.Name] = true
	}
	if stored, err = st.Feeds(ctx); err != nil {
		return err
	}
	for _, f := range stored {
		if !keep[f.Name] {
			if err := st.RemoveFeed(ctx, f.Name); err != nil {
				return err
			}
		}
	}

	watched := map[string]bool{}
	for i, c := range cfg.Competitors {
		if _, err := st.UpsertCompetitor(ctx, c.Platform, c.Handle, now); err != nil {
			return fmt.Errorf("%s: %w", where("competitors", i), err)
		}
		watched[c.Platform+" "+strings.ToLower(c.Handle)] = true
	}
	cs, err := st.Competitors(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if !watched[c.Platform+" "+strings.ToLower(c.Handle)] {
			if err := st.RemoveCompetitor(ctx, c.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// planning is what the scheduler makes ahead and reads besides the
// inboxes; feed images are kept beside the database. A demo database's
// feed and competitors are made up and stay offline: it reads neither.
func planning(st *store.Store) scheduler.Planning {
	p := scheduler.Planning{Feeds: feeds.Options{ImageDir: filepath.Join(filepath.Dir(st.Path()), "feed-images")}}
	if v, _ := st.Meta(context.Background(), demo.MetaDemo); v == "1" {
		p.FeedEvery, p.CompetitorEvery = -1, -1
	}
	return p
}
