package tui

// A post with a photo and a text of its own for one network, written in the
// composer as a person would (the photo attached by typing its path, its
// alt text typed), queued for now, sent by the scheduler to the Mastodon test
// server and the reference Bluesky network, and read back there: each
// network got its own text, the image with its alt text, type and size.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
	"github.com/crier-app/crier/store"
)

// flowPhoto writes a small PNG and returns its path and size.
func flowPhoto(t *testing.T) (string, int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		img.Set(x, x*48/64, color.RGBA{180, 60, 60, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plum-cake.png")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, b.Len()
}

const (
	flowText     = "Plum cake season: the first trays are out at 10"
	flowOwnExtra = " - Bluesky, come early"
	flowAlt      = "Three plum cakes cooling on a rack"
)

// composePhotoPost writes the post in the composer: the text for all, then
// (when ownFor names an account's version) that account's own text, the
// time "now", the photo with its alt text; and queues it.
func (a *flowApp) composePhotoPost(photo, ownFor string) {
	a.t.Helper()
	a.send("2")
	a.waitFor("Drafts & queue")
	a.send("n")
	a.waitFor("New post")
	a.app.Type(flowText)
	a.waitFor("out at 10")
	if ownFor != "" {
		for range 3 {
			a.send("ctrl+o")
			if a.waitFor("▸All networks", "▸Mastodon", "▸Bluesky") == "▸"+ownFor {
				break
			}
		}
		a.app.Type(flowOwnExtra)
		a.waitFor("come early")
	}
	a.send("tab", "tab")
	a.app.Type("now")
	a.send("tab", "a")
	a.waitFor("Attach")
	a.app.Type(photo)
	a.send("enter")
	a.waitFor("1 plum-cake.png")
	a.send("enter")
	a.waitFor("Alt 1")
	a.app.Type(flowAlt)
	a.send("enter")
	a.waitFor("cooling")
	a.send("ctrl+s")
	a.waitFor("queued for", "sent to ")
}

// sentPost waits until every copy of the only post has gone out and
// returns them by account.
func (a *flowApp) sentPost() map[int64]store.Delivery {
	a.t.Helper()
	ctx := context.Background()
	out := map[int64]store.Delivery{}
	ok := within(a.t, "the post sent everywhere", func() (bool, string) {
		var id int64
		if err := a.st.DB().QueryRow("SELECT id FROM posts").Scan(&id); err != nil {
			return false, err.Error()
		}
		ds, err := a.st.PostDeliveries(ctx, id)
		if err != nil {
			return false, err.Error()
		}
		var states []string
		done := len(ds) > 0
		for _, d := range ds {
			out[d.AccountID] = d
			states = append(states, fmt.Sprintf("%s %s", d.State, d.LastError))
			done = done && d.State == store.DeliverySent
		}
		return done, strings.Join(states, "; ")
	})
	if !ok {
		a.t.FailNow()
	}
	return out
}

// checkMastodonCopy reads the status on the Mastodon test server: the text
// for all, one image, its alt text, type and size.
func checkMastodonCopy(t *testing.T, srv *mastotest.Server, d store.Delivery, size int) {
	t.Helper()
	s, ok := srv.Status(d.RemoteID)
	if !ok {
		t.Fatalf("the Mastodon server has no status %s", d.RemoteID)
	}
	if s.Text != flowText || len(s.MediaIDs) != 1 {
		t.Fatalf("Mastodon status: %q with %d media", s.Text, len(s.MediaIDs))
	}
	m, ok := srv.Media(s.MediaIDs[0])
	if !ok || m.Description != flowAlt || m.ContentType != "image/png" || m.Size != size {
		t.Fatalf("Mastodon media: %+v", m)
	}
}

func TestPhotoPostFlowMastodon(t *testing.T) {
	photo, size := flowPhoto(t)
	srv := mastotest.New(mastotest.Config{})
	t.Cleanup(srv.Close)
	me := srv.Me()
	st, id := newFlowStore(t, store.Account{Platform: store.PlatformMastodon, Handle: me.Acct, Server: srv.URL})
	app := startFlowApp(t, st, map[int64]platforms.Network{id: mastodon.New(srv.URL, srv.Token())}, nil)
	app.composePhotoPost(photo, "")
	checkMastodonCopy(t, srv, app.sentPost()[id], size)
}

// TestPhotoPostFlowBlueskyAndMastodon sends one post to both: Bluesky with
// its own text, Mastodon with the text for all, both with the photo.
func TestPhotoPostFlowBlueskyAndMastodon(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the reference Bluesky network; run without -short")
	}
	net := testnet.Shared(t)
	photo, size := flowPhoto(t)
	srv := mastotest.New(mastotest.Config{})
	t.Cleanup(srv.Close)
	me := srv.Me()
	bizAcct := net.CreateAccount(t, net.UniqueHandle("bakery"))
	biz := blueskyClient(t, net, bizAcct)

	st, mid := newFlowStore(t, store.Account{Platform: store.PlatformMastodon, Handle: me.Acct, Server: srv.URL})
	bid, err := st.UpsertAccount(context.Background(), store.Account{Platform: store.PlatformBluesky, Handle: bizAcct.Handle, Server: net.PDS})
	if err != nil {
		t.Fatal(err)
	}
	app := startFlowApp(t, st, map[int64]platforms.Network{mid: mastodon.New(srv.URL, srv.Token()), bid: biz}, nil)
	app.composePhotoPost(photo, "Bluesky")
	sent := app.sentPost()
	checkMastodonCopy(t, srv, sent[mid], size)

	// The Bluesky copy, as the AppView shows it.
	var got struct {
		Posts []struct {
			Record struct{ Text string }
			Embed  struct {
				Type   string `json:"$type"`
				Images []struct {
					Alt         string
					Fullsize    string
					AspectRatio struct{ Width, Height int }
				}
			}
		}
	}
	within(t, "the Bluesky post in the AppView", func() (bool, string) {
		err := appViewGet(context.Background(), net, bizAcct.AccessJwt, "app.bsky.feed.getPosts",
			url.Values{"uris": {sent[bid].RemoteID}}, &got)
		return err == nil && len(got.Posts) == 1, fmt.Sprint(err)
	})
	if len(got.Posts) != 1 {
		t.FailNow()
	}
	p := got.Posts[0]
	if p.Record.Text != flowText+flowOwnExtra {
		t.Errorf("Bluesky text %q, want its own %q", p.Record.Text, flowText+flowOwnExtra)
	}
	if p.Embed.Type != "app.bsky.embed.images#view" || len(p.Embed.Images) != 1 ||
		p.Embed.Images[0].Alt != flowAlt || p.Embed.Images[0].Fullsize == "" ||
		p.Embed.Images[0].AspectRatio.Width != 64 || p.Embed.Images[0].AspectRatio.Height != 48 {
		t.Errorf("Bluesky embed %+v", p.Embed)
	}
}
