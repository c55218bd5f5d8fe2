package scheduler

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crier-app/crier/analytics/utm"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/store"
)

func bakeryTagger(t *testing.T) *utm.Tagger {
	t.Helper()
	tg, err := utm.NewTagger([]string{"ryeandshine.bakery"})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func (h *harness) campaign(name string) store.Campaign {
	h.t.Helper()
	ctx := context.Background()
	id, err := h.st.CreateCampaign(ctx, store.Campaign{Name: name}, t0.Add(-72*time.Hour))
	if err != nil {
		h.t.Fatal(err)
	}
	c, err := h.st.Campaign(ctx, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// A campaign's post goes out with its links to the business's own site
// tagged and the rest as written, and the tagged links are kept; a post in
// no campaign goes out as written.
func TestCampaignPostGoesOutWithTaggedLinks(t *testing.T) {
	h := newHarness(t)
	h.opts.Tagger = bakeryTagger(t)
	camp := h.campaign("Sourdough School (May)")
	body := "Seats left: https://shop.ryeandshine.bakery/school?seats=4, directions https://maps.example.org/rye."
	post, d := h.queue(store.Post{Body: body, CampaignID: camp.ID}, t0)
	_, plain := h.queue(store.Post{Body: "no campaign: https://ryeandshine.bakery/"}, t0.Add(time.Minute))
	h.start()
	h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	h.clock.Set(t0.Add(time.Minute))
	h.waitEvent(EventSent, plain.ID, EventFailed, EventRetrying)

	tagged := fmt.Sprintf("https://shop.ryeandshine.bakery/school?seats=4&utm_source=sandbox&utm_medium=social&utm_campaign=%s&utm_content=post-%d",
		camp.Slug, post)
	rec := h.received()
	if len(rec) != 2 || rec[0].Body != "Seats left: "+tagged+", directions https://maps.example.org/rye." ||
		rec[1].Body != "no campaign: https://ryeandshine.bakery/" {
		t.Fatalf("the sandbox received %+v", rec)
	}
	links, err := h.st.PostTaggedLinks(context.Background(), post)
	if err != nil {
		t.Fatal(err)
	}
	want := store.TaggedLink{PostID: post, AccountID: h.acct, URL: "https://shop.ryeandshine.bakery/school?seats=4", Tagged: tagged,
		CampaignID: camp.ID, Source: "sandbox", Content: fmt.Sprintf("post-%d", post), CreatedAt: t0}
	if len(links) != 1 || links[0] != want {
		t.Fatalf("tagged links %+v, want %+v", links, want)
	}
}

// An account's own text is its own variant (post-N-aA), and a link that
// carries utm_ parameters already keeps them.
func TestOwnTextIsItsOwnContentAndTagsAreKept(t *testing.T) {
	h := newHarness(t)
	h.opts.Tagger = bakeryTagger(t)
	camp := h.campaign("Spring")
	own := "Short one https://ryeandshine.bakery/spring?utm_source=newsletter&utm_campaign=keep-me"
	post, d := h.queue(store.Post{Body: "for all", CampaignID: camp.ID,
		Targets: []store.Target{{AccountID: h.acct, BodyOverride: own, HasOverride: true}}}, t0)
	h.start()
	h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	want := fmt.Sprintf("Short one https://ryeandshine.bakery/spring?utm_source=newsletter&utm_campaign=keep-me&utm_medium=social&utm_content=post-%d-a%d",
		post, h.acct)
	if rec := h.received(); len(rec) != 1 || rec[0].Body != want {
		t.Fatalf("the sandbox received %+v, want %q", rec, want)
	}
}

// A retry sends the text the first attempt sent, though the campaign's
// slug changed between them: what may have landed is what is looked for
// and what goes out again.
func TestRetrySendsTheFirstAttemptsText(t *testing.T) {
	busy := &platforms.Error{Class: platforms.Transient, Status: 503, Reason: "server busy"}
	h := newHarness(t, sandbox.Fault{Err: busy})
	h.opts.Tagger = bakeryTagger(t)
	camp := h.campaign("Harvest")
	post, d := h.queue(store.Post{Body: "https://ryeandshine.bakery/harvest", CampaignID: camp.ID}, t0)
	h.start()
	e := h.waitEvent(EventRetrying, d.ID, EventSent, EventFailed)

	camp.Name, camp.Slug = "Harvest Festival", "harvest-festival"
	if err := h.st.UpdateCampaign(context.Background(), camp, t0); err != nil {
		t.Fatal(err)
	}
	h.clock.waitTimer(t, e.RetryAt.Add(-store.ClaimAhead))
	h.clock.Set(e.RetryAt)
	h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	want := fmt.Sprintf("https://ryeandshine.bakery/harvest?utm_source=sandbox&utm_medium=social&utm_campaign=harvest&utm_content=post-%d", post)
	if rec := h.received(); len(rec) != 1 || rec[0].Body != want {
		t.Fatalf("the sandbox received %+v, want %q", rec, want)
	}
}

// Without domains nothing is tagged; the post goes out as written.
func TestNoDomainsNoTags(t *testing.T) {
	h := newHarness(t)
	camp := h.campaign("Spring")
	_, d := h.queue(store.Post{Body: "https://ryeandshine.bakery/spring", CampaignID: camp.ID}, t0)
	h.start()
	h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	if rec := h.received(); len(rec) != 1 || rec[0].Body != "https://ryeandshine.bakery/spring" {
		t.Fatalf("the sandbox received %+v", rec)
	}
}
