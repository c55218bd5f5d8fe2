package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

// The config's feeds and competitors are what the store holds: added,
// changed and removed with the config; a campaign named by slug is found,
// and one that does not exist is refused naming the file and key.
func TestRecordPlanningFollowsTheConfig(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	cfg := &config.Config{File: "/home/me/.config/crier/config.yaml", Accounts: []config.Account{
		{Name: "shop-mastodon", Platform: store.PlatformMastodon, Handle: "@shop@example.social", Server: "https://example.social"},
		{Name: "shop-bluesky", Platform: store.PlatformBluesky, Handle: "shop.bsky.social", Server: "https://bsky.social"},
	}}
	for _, a := range cfg.Accounts {
		if _, err := st.UpsertAccount(ctx, store.Account{Platform: a.Platform, Handle: a.Handle, Server: a.Server}); err != nil {
			t.Fatal(err)
		}
	}
	accounts, _ := st.Accounts(ctx)
	campaign, err := st.CreateCampaign(ctx, store.Campaign{Name: "Stollen season", Slug: "stollen"}, now)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Feeds = []config.Feed{
		{Name: "blog", URL: "https://bakery.example/feed.xml", Accounts: []string{"shop-bluesky"}, Campaign: "stollen"},
		{Name: "supplier", URL: "https://mill.example/news.atom"},
	}
	cfg.Competitors = []config.Competitor{{Platform: store.PlatformBluesky, Handle: "crumbandco.bsky.social"}, {Platform: store.PlatformMastodon, Handle: "baker@mastodon.example"}}
	if err := recordPlanning(ctx, st, cfg, accounts, now); err != nil {
		t.Fatal(err)
	}
	fs, _ := st.Feeds(ctx)
	cs, _ := st.Competitors(ctx)
	if len(fs) != 2 || fs[0].Name != "blog" || len(fs[0].Accounts) != 1 || fs[0].CampaignID != campaign || len(fs[1].Accounts) != 2 || len(cs) != 2 {
		t.Fatalf("feeds %+v, competitors %+v", fs, cs)
	}

	cfg.Feeds, cfg.Competitors = cfg.Feeds[:1], cfg.Competitors[1:]
	if err := recordPlanning(ctx, st, cfg, accounts, now); err != nil {
		t.Fatal(err)
	}
	fs, _ = st.Feeds(ctx)
	cs, _ = st.Competitors(ctx)
	if len(fs) != 1 || fs[0].Name != "blog" || len(cs) != 1 || cs[0].Handle != "baker@mastodon.example" {
		t.Fatalf("after removing from the config: feeds %+v, competitors %+v", fs, cs)
	}

	cfg.Feeds[0].Campaign = "stolen"
	err = recordPlanning(ctx, st, cfg, accounts, now)
	if err == nil || !strings.Contains(err.Error(), "config /home/me/.config/crier/config.yaml: feeds[0].campaign: no campaign has the slug \"stolen\"") {
		t.Fatalf("unknown campaign: %v", err)
	}
}

// TestRenamedFeedKeepsItsEntries: a feed renamed in the config (same url)
// is the same feed: the entries it has seen are not drafted (or, with
// fill_queue, posted) again. One whose url changes too is a new feed.
func TestRenamedFeedKeepsItsEntries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	cfg := &config.Config{Accounts: []config.Account{
		{Name: "shop-bluesky", Platform: store.PlatformBluesky, Handle: "shop.bsky.social", Server: "https://bsky.social"},
	}}
	if _, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "shop.bsky.social", Server: "https://bsky.social"}); err != nil {
		t.Fatal(err)
	}
	accounts, _ := st.Accounts(ctx)
	cfg.Feeds = []config.Feed{{Name: "blog", URL: "https://bakery.example/feed.xml", FillQueue: true}}
	if err := recordPlanning(ctx, st, cfg, accounts, now); err != nil {
		t.Fatal(err)
	}
	fs, _ := st.Feeds(ctx)
	if _, _, err := st.AddFeedEntry(ctx, store.FeedEntry{FeedID: fs[0].ID, EntryID: "urn:post:1", Title: "Stollen are back"}, nil, now); err != nil {
		t.Fatal(err)
	}
	cfg.Feeds[0].Name = "shop blog"
	if err := recordPlanning(ctx, st, cfg, accounts, now); err != nil {
		t.Fatal(err)
	}
	fs, _ = st.Feeds(ctx)
	if len(fs) != 1 || fs[0].Name != "shop blog" {
		t.Fatalf("feeds after the rename: %+v", fs)
	}
	if seen, err := st.FeedEntrySeen(ctx, fs[0].ID, "urn:post:1"); err != nil || !seen {
		t.Errorf("the renamed feed forgot its entry: seen %v, %v", seen, err)
	}
	cfg.Feeds[0] = config.Feed{Name: "news", URL: "https://bakery.example/news.xml"}
	if err := recordPlanning(ctx, st, cfg, accounts, now); err != nil {
		t.Fatal(err)
	}
	fs, _ = st.Feeds(ctx)
	if len(fs) != 1 || fs[0].Name != "news" {
		t.Fatalf("feeds after a new one replaced it: %+v", fs)
	}
	if seen, _ := st.FeedEntrySeen(ctx, fs[0].ID, "urn:post:1"); seen {
		t.Error("a new feed has the old one's entries")
	}
}
