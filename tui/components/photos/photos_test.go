package photos

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crier-app/crier/platforms"
	bsky "github.com/crier-app/crier/platforms/bluesky"
	masto "github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/store"
)

func writeImage(t *testing.T, name string, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{200, 120, 40, 255})
	var b bytes.Buffer
	var err error
	switch filepath.Ext(name) {
	case ".png":
		err = png.Encode(&b, img)
	case ".jpg":
		err = jpeg.Encode(&b, img, nil)
	case ".gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return writeBytes(t, name, b.Bytes())
}

func writeBytes(t *testing.T, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// webpVP8X is the start of an extended WebP file with a 4000×3000 canvas.
func webpVP8X() []byte {
	b := []byte("RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00")
	w, h := 4000-1, 3000-1
	b = append(b, byte(w), byte(w>>8), byte(w>>16), byte(h), byte(h>>8), byte(h>>16))
	return append(b, make([]byte, 16)...)
}

// webpVP8L is a lossless WebP header for 640×480.
func webpVP8L() []byte {
	b := []byte("RIFF\x00\x00\x00\x00WEBPVP8L\x00\x00\x00\x00\x2f")
	v := uint32(640-1) | uint32(480-1)<<14
	b = append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
	return append(b, make([]byte, 16)...)
}

func TestInspect(t *testing.T) {
	heic := append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 40)...)
	for _, c := range []struct {
		path     string
		mime     string
		w, h     int
		sizeOver int64
	}{
		{writeImage(t, "rye.png", 120, 80), "image/png", 120, 80, 50},
		{writeImage(t, "rye.jpg", 64, 48), "image/jpeg", 64, 48, 100},
		{writeImage(t, "rye.gif", 30, 20), "image/gif", 30, 20, 20},
		{writeBytes(t, "cake.webp", webpVP8X()), "image/webp", 4000, 3000, 20},
		{writeBytes(t, "bun.webp", webpVP8L()), "image/webp", 640, 480, 20},
		{writeBytes(t, "IMG_0001.HEIC", heic), "image/heic", 0, 0, 20},
		{writeBytes(t, "menu.pdf", []byte("%PDF-1.4 a menu")), "application/pdf", 0, 0, 5},
	} {
		info, err := Inspect(c.path)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if info.Mime != c.mime || info.Width != c.w || info.Height != c.h || info.Size < c.sizeOver {
			t.Errorf("%s: %+v", filepath.Base(c.path), info)
		}
	}
	if _, err := Inspect(filepath.Join(t.TempDir(), "gone.jpg")); !os.IsNotExist(err) {
		t.Errorf("a missing file: %v", err)
	}
	if _, err := Inspect(t.TempDir()); err == nil {
		t.Error("a folder inspected as an image")
	}
	info := Info{Path: "/p/rye.jpg", Size: 245_000, Width: 1200, Height: 800}
	if got := info.Summary(); got != "rye.jpg · 245 kB · 1200×800" {
		t.Errorf("summary %q", got)
	}
}

// The networks' own image limits, as their packages say them.
var (
	bluesky  = Target{Platform: store.PlatformBluesky, Name: "Bluesky", Limits: bsky.Spec().Limits}
	mastodon = Target{Platform: store.PlatformMastodon, Name: "Mastodon", Limits: masto.Spec().Limits}
	// pictures is a network where every post is a picture, as on Instagram.
	pictures = Target{Platform: "pictures", Name: "Pictures", Limits: platforms.Limits{MinImages: 1, MaxImages: 10}}
)

func photo(name, mime string, size int64, w, h int, alt string) Photo {
	return Photo{Media: store.Media{Path: "/pics/" + name, Mime: mime, AltText: alt},
		Info: Info{Path: "/pics/" + name, Mime: mime, Size: size, Width: w, Height: h}}
}

func texts(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		if p.Blocks {
			b.WriteString("BLOCK ")
		}
		b.WriteString(p.Text + "\n")
	}
	return b.String()
}

func TestCheckAgainstEachNetwork(t *testing.T) {
	ok := photo("rye.jpg", "image/jpeg", 900_000, 1600, 1200, "A rye loaf on a board")
	if got := Check([]Photo{ok}, []Target{bluesky, mastodon, pictures}); len(got) != 0 {
		t.Fatalf("a good photo: %s", texts(got))
	}
	for name, c := range map[string]struct {
		photos  []Photo
		targets []Target
		want    []string // each must be a line of the result
	}{
		"too big for Bluesky only": {
			[]Photo{photo("big.jpg", "image/jpeg", 2_400_000, 4000, 3000, "A cake")}, []Target{bluesky, mastodon},
			[]string{"BLOCK photo 1 (big.jpg) is 2.4 MB; Bluesky takes images up to 2.0 MB"}},
		"HEIC to Bluesky": {
			[]Photo{photo("IMG_1.heic", "image/heic", 800_000, 0, 0, "Buns")}, []Target{bluesky, mastodon},
			[]string{"BLOCK photo 1 (IMG_1.heic) is HEIC, which Bluesky doesn't take (it takes JPEG, PNG, GIF, WebP)"}},
		"no alt for Bluesky blocks": {
			[]Photo{photo("a.png", "image/png", 1000, 10, 10, " ")}, []Target{mastodon, bluesky},
			[]string{"BLOCK photo 1 (a.png) has no alt text, which Bluesky needs: describe it (enter)"}},
		"no alt for Mastodon warns": {
			[]Photo{photo("a.png", "image/png", 1000, 10, 10, "")}, []Target{mastodon},
			[]string{"photo 1 (a.png) has no alt text: people who can't see it won't know what it shows"}},
		"alt too long for Mastodon, counted in code points": {
			[]Photo{photo("a.png", "image/png", 1000, 10, 10, strings.Repeat("🇩🇪", 800))}, []Target{mastodon, bluesky},
			[]string{"BLOCK photo 1 (a.png): alt text is 1600 characters, 100 over Mastodon's 1500"}},
		"five images": {
			[]Photo{ok, ok, ok, ok, ok}, []Target{bluesky},
			[]string{"BLOCK Bluesky takes at most 4 images; this post has 5"}},
		"a network whose posts are pictures": {
			nil, []Target{mastodon, pictures},
			[]string{"BLOCK Pictures posts need a photo; this post has none"}},
		"a network that wants two": {
			[]Photo{ok}, []Target{{Platform: "pictures", Name: "Pictures", Limits: platforms.Limits{MinImages: 2, MaxImages: 10}}},
			[]string{"BLOCK Pictures posts need at least 2 photos; this post has 1"}},
		"too many pixels": {
			[]Photo{photo("pano.jpg", "image/jpeg", 9_000_000, 12000, 4000, "A panorama")}, []Target{mastodon},
			[]string{"BLOCK photo 1 (pano.jpg) is 12000×4000 pixels; Mastodon takes up to 33.2 megapixels"}},
		"not an image": {
			[]Photo{photo("menu.pdf", "application/pdf", 1000, 0, 0, "Menu")}, []Target{mastodon},
			[]string{"BLOCK photo 1 (menu.pdf) is not an image (application/pdf)"}},
		"gone": {
			[]Photo{{Media: store.Media{Path: "/pics/gone.jpg", AltText: "x"}, Err: os.ErrNotExist}}, []Target{mastodon},
			[]string{"BLOCK photo 1 (gone.jpg): the file is not there any more (moved or deleted?)"}},
	} {
		got := texts(Check(c.photos, c.targets))
		for _, w := range c.want {
			if !strings.Contains(got, w+"\n") {
				t.Errorf("%s: missing %q in\n%s", name, w, got)
			}
		}
	}
}
