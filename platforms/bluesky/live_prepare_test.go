package bluesky

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
)

// calls counts the XRPC methods a client calls, by NSID.
type calls struct {
	mu sync.Mutex
	n  map[string]int
	rt http.RoundTripper
}

func (c *calls) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n[strings.TrimPrefix(r.URL.Path, "/xrpc/")]++
	c.mu.Unlock()
	return c.rt.RoundTrip(r)
}

func (c *calls) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = map[string]int{}
	return n
}

// A post with photos and a mention prepared ahead (Prepare) is published
// with one write at its time: its blobs are uploaded and its mention
// looked up before, and the record on the server carries them. A prepared
// post that is not the one published is not used for it.
func TestLivePrepareLeavesOnlyTheWrite(t *testing.T) {
	net := testnet.Shared(t)
	alice := newLiveAccount(t, net, "alice")
	bob := newLiveAccount(t, net, "bob")
	ctx := context.Background()
	counted := &calls{n: map[string]int{}, rt: http.DefaultTransport}
	c := New(net.PDS, alice.handle, WithAppPassword(alice.appPassword), WithHTTPClient(&http.Client{Transport: counted}))

	var images []platforms.Image
	for i, shade := range []uint8{40, 120, 200} {
		img := image.NewRGBA(image.Rect(0, 0, 32, 24))
		for x := range 32 {
			img.Set(x, x%24, color.RGBA{shade, 40, 40, 255})
		}
		var buf bytes.Buffer
		png.Encode(&buf, img)
		path := filepath.Join(t.TempDir(), "loaf.png")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		images = append(images, platforms.Image{Path: path, Mime: "image/png", AltText: "loaf " + string(rune('A'+i))})
	}
	p := livePost("prepared", "Fresh from the oven, thanks @"+bob.handle+" for the flour")
	p.Images = images
	prepared, err := c.Prepare(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	before := counted.take()
	if before["com.atproto.repo.uploadBlob"] != 3 || before["com.atproto.identity.resolveHandle"] != 1 {
		t.Fatalf("Prepare called %v; want the three uploads and the mention's lookup", before)
	}
	pub, err := c.Publish(ctx, prepared)
	if err != nil {
		t.Fatal(err)
	}
	if at := counted.take(); len(at) != 1 || at["com.atproto.repo.putRecord"] != 1 {
		t.Fatalf("Publish of the prepared post called %v; want the one write", at)
	}
	rec := getRecord(t, alice, pub.Ref.ID)
	embed := rec["embed"].(map[string]any)
	if ims := embed["images"].([]any); len(ims) != 3 || ims[2].(map[string]any)["alt"] != "loaf C" {
		t.Errorf("embed %v", embed)
	}
	facets, _ := rec["facets"].([]any)
	if len(facets) != 1 || !strings.Contains(facetsString(facets), bob.did) {
		t.Errorf("facets %v, want the mention of %s", facets, bob.did)
	}

	// Prepared for another text: not used, the post is built whole.
	other := livePost("prepared-other", "another post altogether")
	other.Images = images[:1]
	other.Prepared = prepared.Prepared
	if _, err := c.Publish(ctx, other); err != nil {
		t.Fatal(err)
	}
	if at := counted.take(); at["com.atproto.repo.uploadBlob"] != 1 {
		t.Fatalf("Publish with another post's preparation called %v; want its own upload", at)
	}
}

func facetsString(facets []any) string {
	var b strings.Builder
	for _, f := range facets {
		for _, feat := range f.(map[string]any)["features"].([]any) {
			for k, v := range feat.(map[string]any) {
				b.WriteString(k + "=" + strings.TrimSpace(toString(v)) + " ")
			}
		}
	}
	return b.String()
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}
