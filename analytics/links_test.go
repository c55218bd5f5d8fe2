package analytics

import (
	"context"
	"testing"
	"time"

	"github.com/crier-app/crier/analytics/utm"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

func tagger(t *testing.T) *utm.Tagger {
	t.Helper()
	tg, err := utm.NewTagger([]string{"ryeandshine.bakery"})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestFinalText(t *testing.T) {
	tg := tagger(t)
	body := "New: https://ryeandshine.bakery/box and https://example.org/ (thanks!)"
	for _, tt := range []struct {
		name string
		c    Copy
		want string
	}{
		{"campaign", NewCopy(12, 3, "bluesky", 7, "spring-sale", false, ""),
			"New: https://ryeandshine.bakery/box?utm_source=bluesky&utm_medium=social&utm_campaign=spring-sale&utm_content=post-12 and https://example.org/ (thanks!)"},
		{"own text", NewCopy(12, 3, "Mastodon", 7, "spring-sale", true, ""),
			"New: https://ryeandshine.bakery/box?utm_source=mastodon&utm_medium=social&utm_campaign=spring-sale&utm_content=post-12-a3 and https://example.org/ (thanks!)"},
		{"A/B variant in a campaign", NewCopy(12, 3, "bluesky", 7, "spring-sale", false, "ab4-b"),
			"New: https://ryeandshine.bakery/box?utm_source=bluesky&utm_medium=social&utm_campaign=spring-sale&utm_content=ab4-b and https://example.org/ (thanks!)"},
		{"A/B variant alone", NewCopy(12, 3, "bluesky", 0, "", false, "ab4-a"),
			"New: https://ryeandshine.bakery/box?utm_source=bluesky&utm_medium=social&utm_content=ab4-a and https://example.org/ (thanks!)"},
		{"no campaign", NewCopy(12, 3, "bluesky", 0, "", false, ""), body},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := FinalText(tg, body, tt.c, nil)
			if got != tt.want {
				t.Errorf("FinalText =\n%s\nwant\n%s", got, tt.want)
			}
			if got, _ := FinalText(nil, body, tt.c, nil); got != body {
				t.Errorf("without domains: %s", got)
			}
		})
	}
}

// Links recorded for the copy go out as they were recorded; another
// account's records do not.
func TestFinalTextKeepsWhatWentOutBefore(t *testing.T) {
	tg := tagger(t)
	c := NewCopy(12, 3, "bluesky", 7, "renamed", false, "")
	earlier := []store.TaggedLink{
		{PostID: 12, AccountID: 3, URL: "https://ryeandshine.bakery/a", Tagged: "https://ryeandshine.bakery/a?utm_campaign=old"},
		{PostID: 12, AccountID: 4, URL: "https://ryeandshine.bakery/b", Tagged: "https://ryeandshine.bakery/b?utm_campaign=other-account"},
	}
	got, links := FinalText(tg, "https://ryeandshine.bakery/a https://ryeandshine.bakery/b", c, earlier)
	want := "https://ryeandshine.bakery/a?utm_campaign=old " +
		"https://ryeandshine.bakery/b?utm_source=bluesky&utm_medium=social&utm_campaign=renamed&utm_content=post-12"
	if got != want {
		t.Fatalf("FinalText =\n%s\nwant\n%s", got, want)
	}
	rows := c.TaggedLinks(links, time.Unix(0, 0))
	if len(rows) != 2 || rows[1].URL != "https://ryeandshine.bakery/b" || rows[1].Source != "bluesky" || rows[1].Content != "post-12" ||
		rows[1].CampaignID != 7 {
		t.Errorf("rows %+v", rows)
	}
}

func TestCopyOf(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	acct, _ := st.UpsertAccount(ctx, store.Account{Platform: "bluesky", Handle: "bakery.test"})
	other, _ := st.UpsertAccount(ctx, store.Account{Platform: "mastodon", Handle: "@bakery@example.social"})
	camp, err := st.CreateCampaign(ctx, store.Campaign{Name: "Spring Sale"}, now)
	if err != nil {
		t.Fatal(err)
	}
	post, err := st.SaveDraft(ctx, store.Post{Body: "x", CampaignID: camp, Targets: []store.Target{{AccountID: acct},
		{AccountID: other, BodyOverride: "y", HasOverride: true}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	c, err := CopyOf(ctx, st, post, acct, "bluesky")
	if err != nil || c != (Copy{PostID: post, AccountID: acct, Network: "bluesky", CampaignID: camp, Slug: "spring-sale", Content: store.PostContent(post, acct, false)}) {
		t.Errorf("CopyOf = %+v, %v", c, err)
	}
	if c, err := CopyOf(ctx, st, post, other, "mastodon"); err != nil || c.Content != store.PostContent(post, other, true) || !c.Tagged() {
		t.Errorf("CopyOf the own text = %+v, %v", c, err)
	}
	plain, _ := st.SaveDraft(ctx, store.Post{Body: "z", Targets: []store.Target{{AccountID: acct}}}, now)
	if c, err := CopyOf(ctx, st, plain, acct, "bluesky"); err != nil || c.Tagged() {
		t.Errorf("CopyOf a post in no campaign = %+v, %v", c, err)
	}
}
