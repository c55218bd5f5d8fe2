package drafts

import (
	"context"
	"strings"
	"testing"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/photos"
)

// TestComposerCountsAsEachNetwork: for every network crier wires (its
// package's Spec, as main hands them to the composer), and for servers of
// one network that count differently, the composer's counter says what
// the network's own client says: the same count of a text, the same
// limit, and over it exactly when the client's own check refuses the
// post. The same for alt text, which the photo check measures. It fails
// when a spec and its client drift apart, or when the composer stops
// honouring what a server said of itself.
func TestComposerCountsAsEachNetwork(t *testing.T) {
	ctx := context.Background()
	nets := common.Specs(mastodon.Spec(), bluesky.Spec(), sandbox.Spec())

	masto := func(cfg mastotest.Config) platforms.Network {
		srv := mastotest.New(cfg)
		t.Cleanup(srv.Close)
		return mastodon.New(srv.URL, srv.Token())
	}
	cases := []struct {
		name     string
		platform string
		net      platforms.Network
		asked    bool // the composer has the server's Limits
	}{
		{"Mastodon before its server answers", store.PlatformMastodon, masto(mastotest.Config{}), false},
		{"a stock Mastodon server", store.PlatformMastodon, masto(mastotest.Config{}), true},
		{"a Mastodon server with its own limit and URL length", store.PlatformMastodon, masto(mastotest.Config{MaxChars: 120, URLChars: 30, DescriptionLimit: 40}), true},
		{"GoToSocial", store.PlatformMastodon, masto(mastotest.GoToSocial), true},
		{"a server of unknown software", store.PlatformMastodon, masto(mastotest.Config{Software: "pleroma", MaxChars: 90}), true},
		{"Bluesky", store.PlatformBluesky, bluesky.New("http://127.0.0.1:1", "shop.test"), true},
		{"Bluesky before Limits", store.PlatformBluesky, bluesky.New("http://127.0.0.1:1", "shop.test"), false},
		{"the sandbox", store.PlatformSandbox, sandbox.New("shop", nil), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			account := store.Account{ID: 7, Platform: tc.platform, Handle: "shop"}
			spec := nets[tc.platform]
			// What the network's client holds a post to: its server's
			// answer, or the spec's limits before it has asked.
			want := spec.Limits
			limits := map[int64]platforms.Limits{}
			if tc.asked {
				l, err := tc.net.Limits(ctx)
				if err != nil {
					t.Fatal(err)
				}
				limits[account.ID] = l
				want = l
			}
			if tc.net.Platform() != spec.Platform {
				t.Fatalf("the client is %q, its spec %q", tc.net.Platform(), spec.Platform)
			}
			for _, text := range textsAround(want.MaxChars) {
				got := measure(nets, limits, []store.Account{account}, []bool{true}, text, nil)
				if len(got) != 1 {
					t.Fatalf("measure: %+v", got)
				}
				n := got[0]
				if n.used != tc.net.Length(text) || n.max != want.MaxChars || n.maxBytes != want.MaxBytes {
					t.Errorf("%.40q: the composer counts %d/%d (bytes %d), the client %d/%d (bytes %d)",
						text, n.used, n.max, n.maxBytes, tc.net.Length(text), want.MaxChars, want.MaxBytes)
				}
				err := platforms.Validate(tc.net, want, platforms.Post{Text: text})
				if over := n.overBy(); (over != "") != (err != nil) {
					t.Errorf("%.40q (%d): the composer says %q, the client %v", text, n.used, over, err)
				}
			}
			target := photos.Target{Platform: tc.platform, Name: tc.name, Limits: spec.Limits}
			if tc.asked {
				target.Limits = spec.With(limits[account.ID])
			}
			for _, alt := range textsAround(target.Limits.MaxAltText) {
				problems := photos.Check([]photos.Photo{{Media: store.Media{Path: "/p/a.png", Mime: "image/png", AltText: alt},
					Info: photos.Info{Path: "/p/a.png", Mime: "image/png", Size: 100, Width: 10, Height: 10}}},
					[]photos.Target{target})
				refused := false
				for _, p := range problems {
					refused = refused || (p.Blocks && strings.Contains(p.Text, "alt text"))
				}
				err := platforms.Validate(tc.net, want, platforms.Post{Text: "x", Images: []platforms.Image{{AltText: alt}}})
				if refused != (err != nil) {
					t.Errorf("alt text %.40q: the photo check says %+v, the client %v", alt, problems, err)
				}
			}
		})
	}
}

// textsAround are texts the networks count differently (links, mentions,
// emoji sequences, Indic conjuncts, blank ends, bad UTF-8), and texts
// built to land on either side of limit by each network's rules.
func textsAround(limit int) []string {
	family := "👩‍👩‍👧"                                                // 1 grapheme, 5 code points, 18 bytes
	link := "https://shop.example/menu/" + strings.Repeat("rye", 20) // 86 code points
	texts := []string{
		"", " ", "Fresh rye today",
		"Menu: " + link + " #bread",
		"Thanks @ana@toot.example and @bob!",
		family + " क्ष é\u0301 🇩🇪",
		"  padded  \n\n",
		"bad \xff\xfe bytes",
	}
	if limit <= 0 {
		return texts
	}
	for _, n := range []int{limit - 1, limit, limit + 1} {
		texts = append(texts,
			strings.Repeat("a", n),
			strings.Repeat("é", n),
			strings.Repeat(family, n),
			strings.Repeat("x", max(n-len(link)-1, 0))+" "+link,
			strings.Repeat("y", max(n-24, 0))+" "+link,
			"@ana@toot.example "+strings.Repeat("z", max(n-5, 0)),
		)
	}
	return texts
}

// TestEachSpecIsItsClients: a network's spec, which the composer uses
// before a server has answered, holds what the network's client holds a
// post to on a stock server: the same limits where the server gives them,
// the same counting of text and of alt text, the same need for alt text.
func TestEachSpecIsItsClients(t *testing.T) {
	srv := mastotest.New(mastotest.Config{MaxChars: 500, DescriptionLimit: 1500, ImageSizeLimit: 16 << 20})
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		spec platforms.Spec
		net  platforms.Network
	}{
		{mastodon.Spec(), mastodon.New(srv.URL, srv.Token())},
		{bluesky.Spec(), bluesky.New("http://127.0.0.1:1", "shop.test")},
		{sandbox.Spec(), sandbox.New("shop", nil)},
	} {
		s := tc.spec.Limits
		l, err := tc.net.Limits(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		same := func(what string, spec, client int64) {
			if client != 0 && spec != client {
				t.Errorf("%s: the spec's %s is %d, the client's %d", tc.spec.Platform, what, spec, client)
			}
		}
		same("MaxChars", int64(s.MaxChars), int64(l.MaxChars))
		same("MaxBytes", int64(s.MaxBytes), int64(l.MaxBytes))
		same("MaxImages", int64(s.MaxImages), int64(l.MaxImages))
		same("MaxAltText", int64(s.MaxAltText), int64(l.MaxAltText))
		same("MaxImageBytes", s.MaxImageBytes, l.MaxImageBytes)
		same("MaxImagePixels", s.MaxImagePixels, l.MaxImagePixels)
		if s.AltTextRequired != l.AltTextRequired || s.Length == nil || tc.spec.Unit == "" {
			t.Errorf("%s: spec %+v, client %+v", tc.spec.Platform, s, l)
		}
		for _, text := range textsAround(s.MaxChars) {
			if s.Count(text) != l.Count(text) || s.Count(text) != tc.net.Length(text) {
				t.Errorf("%s: %.40q counts %d by the spec, %d by the client's limits, %d by the client",
					tc.spec.Platform, text, s.Count(text), l.Count(text), tc.net.Length(text))
			}
			if s.AltLength(text) != l.AltLength(text) {
				t.Errorf("%s: alt text %.40q counts %d by the spec, %d by the client", tc.spec.Platform, text, s.AltLength(text), l.AltLength(text))
			}
		}
	}
}
