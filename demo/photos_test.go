package demo

import (
	"image"
	"os"
	"testing"

	_ "image/png"
)

// TestDemoPhotosExist: every photo a demo post carries is a file that
// exists, is small, and is the picture its alt text describes.
func TestDemoPhotosExist(t *testing.T) {
	t.Parallel()
	// Built afresh: a copy's rows name the photos of the build it came from.
	st, _ := seededFresh(t, Options{Seed: 1, Now: testNow, Zone: berlin})
	paths := queryStrings(t, st.DB(), "SELECT DISTINCT path FROM post_media")
	if len(paths) < 2 {
		t.Fatalf("the demo has %d distinct photos", len(paths))
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatalf("a demo photo is missing: %v", err)
		}
		cfg, format, err := image.DecodeConfig(f)
		fi, _ := f.Stat()
		f.Close()
		if err != nil || format != "png" || cfg.Width != photoW || cfg.Height != photoH || fi.Size() > 20_000 {
			t.Errorf("%s: %s %dx%d, %d bytes (%v)", p, format, cfg.Width, cfg.Height, fi.Size(), err)
		}
	}
	if n := count(t, st.DB(), "SELECT count(*) FROM post_media m JOIN posts p ON p.id = m.post_id WHERE p.state = 'draft'"); n != 1 {
		t.Errorf("%d drafts carry a photo, want 1", n)
	}
}
