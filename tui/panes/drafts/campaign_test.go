package drafts

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/tuitest"
)

const orderLink = "https://rosebakery.example/order?item=pumpkin"

var (
	keyLeft  = tuitest.Key("left")
	keyRight = tuitest.Key("right")
)

// campaignHarness is a harness with the bakery's domain configured and
// two campaigns to pick from.
func campaignHarness(t *testing.T, w, h int) (*harness, []int64) {
	t.Helper()
	hs := newHarness(t, w, h)
	hs.c.Settings.MarketingDomains = []string{"rosebakery.example"}
	var ids []int64
	// Listed the latest to start first: Pumpkin Season, then Sourdough School.
	for _, c := range []store.Campaign{{Name: "Sourdough School", StartsOn: "2026-11-01"}, {Name: "Pumpkin Season", StartsOn: "2026-11-07"}} {
		id, err := hs.c.Store.CreateCampaign(context.Background(), c, frozen)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return hs, ids
}

// The Campaign field puts the post in a campaign; the links to the
// business's site then show as each network gets them, the counters count
// them so, and the post is saved in the campaign.
func TestComposerPicksACampaignAndShowsTheFinalLink(t *testing.T) {
	h, ids := campaignHarness(t, 160, 30)
	h.do(typed("n"))
	h.do(typed("Pumpkin brioche: " + orderLink + " and https://elsewhere.example/x"))
	h.requireInView("Campaign none")
	for range 4 {
		h.do(keyTab)
	}
	if h.m.comp.focus != fieldCampaign {
		t.Fatalf("four tabs reached field %d, want the Campaign field", h.m.comp.focus)
	}
	h.do(keyRight)
	h.requireInView("Campaign Pumpkin Season · pumpkin-season")
	post := h.m.comp.base.ID
	if post == 0 {
		t.Fatal("the post was not saved")
	}
	h.requireInView(fmt.Sprintf("mastodon: %s&utm_source=mastodon&utm_medium=social&utm_campaign=pumpkin-season&utm_content=post-%d",
		orderLink, post))
	h.requireInView("bluesky: the same with utm_source=bluesky")
	if strings.Contains(h.view(), "elsewhere.example/x?") {
		t.Error("a link to another site was tagged")
	}

	// The counters count what goes out: for Mastodon any link is 23; for
	// Bluesky the link as it shows.
	acct := h.c.Accounts[1]
	final := h.m.comp.finalText(acct, h.m.comp.mainText(), false)
	c, err := analytics.CopyOf(context.Background(), h.c.Store, post, acct.ID, acct.Platform)
	if err != nil {
		t.Fatal(err)
	}
	tagger := h.m.comp.camp.tagger
	if want, _ := analytics.FinalText(tagger, h.m.comp.mainText(), c, nil); final != want {
		t.Errorf("the composer's final text\n%s\nis not the scheduler's\n%s", final, want)
	}
	if got, want := countFor(t, h.m, "bluesky").used, h.c.Networks["bluesky"].Limits.Count(final); got != want {
		t.Errorf("bluesky counts %d, want %d", got, want)
	}
	if got, want := countFor(t, h.m, "mastodon").used, len("Pumpkin brioche: ")+23+len(" and ")+23; got != want {
		t.Errorf("mastodon counts %d, want %d", got, want)
	}

	// ← goes back to none; → twice to the second campaign.
	h.do(keyLeft)
	h.requireInView("Campaign none")
	if strings.Contains(h.view(), "utm_") {
		t.Error("links still tagged with no campaign")
	}
	h.do(keyRight)
	h.do(keyRight)
	h.requireInView("Campaign Sourdough School · sourdough-school")
	h.do(keyEsc)
	p, err := h.c.Store.Post(context.Background(), post)
	if err != nil {
		t.Fatal(err)
	}
	if p.CampaignID != ids[0] {
		t.Errorf("saved in campaign %d, want %d", p.CampaignID, ids[0])
	}
}

// Without campaigns the field is not there, and tab goes past it.
func TestNoCampaignsNoField(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	if strings.Contains(h.view(), "Campaign") {
		t.Fatalf("a Campaign field without campaigns:\n%s", h.view())
	}
	for range 4 {
		h.do(keyTab)
	}
	if h.m.comp.focus != fieldText {
		t.Fatalf("four tabs reached field %d, want back at the text", h.m.comp.focus)
	}
}

// A campaign picked without domains in the config says why links stay
// as written.
func TestCampaignWithoutDomainsSaysSo(t *testing.T) {
	h, _ := campaignHarness(t, 120, 30)
	h.c.Settings.MarketingDomains = nil
	h.do(typed("n"))
	h.do(typed("Order: " + orderLink))
	h.do(keyShiftTab) // from the text back to the Campaign field
	h.do(keyRight)
	h.requireInView("links go out as written: marketing.domains")
}

func TestComposerCampaignGolden(t *testing.T) {
	for _, sz := range paneSizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			h, _ := campaignHarness(t, sz.w, sz.h)
			h.do(typed("n"))
			h.do(typed("Pumpkin brioche is back 🎃 Order ahead: " + orderLink))
			h.do(keyShiftTab)
			h.do(keyRight)
			v := h.view()
			requireFits(t, v, sz.w, sz.h)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// A server that counts links as written (GoToSocial) counts the tagged
// link whole: the counter is of the text that goes out.
func TestCounterOfAServerCountingLinksAsWritten(t *testing.T) {
	h, _ := campaignHarness(t, 160, 30)
	mast := h.c.Accounts[0]
	h.c.Limits = map[int64]platforms.Limits{mast.ID: {MaxChars: 5000, Length: utf8.RuneCountInString}}
	h.do(typed("n"))
	h.do(typed("Order: " + orderLink))
	before := countFor(t, h.m, "mastodon").used
	h.do(keyShiftTab)
	h.do(keyRight)
	final := h.m.comp.finalText(mast, h.m.comp.mainText(), false)
	if !strings.Contains(final, "utm_campaign=pumpkin-season") {
		t.Fatalf("final text %q", final)
	}
	if got := countFor(t, h.m, "mastodon").used; got != utf8.RuneCountInString(final) || got <= before {
		t.Errorf("mastodon counts %d (before the campaign %d), want the final text's %d", got, before, utf8.RuneCountInString(final))
	}
}
