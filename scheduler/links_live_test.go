package scheduler

// A campaign's post sent by the scheduler to the real Bluesky servers: the
// stored record shows the link shortened, and its link facet carries the
// whole tagged URL the scheduler recorded.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/analytics/utm"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

func TestLiveCampaignPostCarriesItsTaggedLink(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the Bluesky reference network")
	}
	net := testnet.Shared(t)
	ctx := context.Background()
	bizAcct := net.CreateAccount(t, net.UniqueHandle("campaign"))
	biz := liveClient(t, net, bizAcct)

	st := storetest.Open(t)
	acct, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: bizAcct.Handle, Server: net.PDS})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	camp, err := st.CreateCampaign(ctx, store.Campaign{Name: "Winter Stollen 2026"}, now)
	if err != nil {
		t.Fatal(err)
	}
	link := "https://shop.ryeandshine.bakery/stollen/pre-order?size=large"
	body := "Stollen season 🎄 " + strings.Repeat("Baked by hand, forty a day. ", 8) + "Pre-order: " + link
	post, err := st.SaveDraft(ctx, store.Post{Body: body, CampaignID: camp, Targets: []store.Target{{AccountID: acct}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.QueuePost(ctx, post, now.Add(-time.Second), "UTC", now); err != nil {
		t.Fatal(err)
	}
	tagger, err := utm.NewTagger([]string{"ryeandshine.bakery"})
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan Event, 64)
	sched := New(Options{Store: st, Networks: map[int64]platforms.Network{acct: biz}, Events: events, Tagger: tagger})
	runCtx, cancel := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() { defer close(ran); sched.Run(runCtx) }()
	defer func() { cancel(); <-ran }()

	var sent Event
	for sent.Kind != EventSent {
		select {
		case e := <-events:
			if e.Kind == EventFailed || e.Kind == EventRetrying {
				t.Fatalf("%+v", e)
			}
			if e.Kind == EventSent {
				sent = e
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the post did not go out")
		}
	}
	tagged := fmt.Sprintf("%s&utm_source=bluesky&utm_medium=social&utm_campaign=winter-stollen-2026&utm_content=post-%d", link, post)
	links, err := st.PostTaggedLinks(ctx, post)
	if err != nil || len(links) != 1 || links[0].Tagged != tagged {
		t.Fatalf("tagged links %+v, %v; want %s", links, err, tagged)
	}
	d, err := st.Delivery(ctx, sent.DeliveryID)
	if err != nil {
		t.Fatal(err)
	}

	// The record as the PDS keeps it.
	var out struct {
		Value struct {
			Text   string `json:"text"`
			Facets []struct {
				Index struct {
					ByteStart int `json:"byteStart"`
					ByteEnd   int `json:"byteEnd"`
				} `json:"index"`
				Features []struct {
					URI string `json:"uri"`
				} `json:"features"`
			} `json:"facets"`
		} `json:"value"`
	}
	parts := strings.Split(strings.TrimPrefix(d.RemoteID, "at://"), "/")
	q := url.Values{"repo": {parts[0]}, "collection": {parts[1]}, "rkey": {parts[2]}}
	resp, err := http.Get(net.PDS + "/xrpc/com.atproto.repo.getRecord?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	short := bluesky.ShortLink(tagged)
	if !strings.HasSuffix(out.Value.Text, "Pre-order: "+short) || len(out.Value.Facets) != 1 {
		t.Fatalf("record %+v", out.Value)
	}
	f := out.Value.Facets[0]
	if got := out.Value.Text[f.Index.ByteStart:f.Index.ByteEnd]; got != short || len(f.Features) != 1 || f.Features[0].URI != tagged {
		t.Errorf("facet over %q to %+v; want over %q to %s", got, f.Features, short, tagged)
	}
}
