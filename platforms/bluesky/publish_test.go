package bluesky

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/crier-app/crier/platforms"
)

// repoFake adds a post collection, blobs and handle resolution to a fakePDS.
type repoFake struct {
	*fakePDS
	mu      sync.Mutex
	records map[string]json.RawMessage // by rkey
	blobs   [][]byte
}

func newRepoFake(t *testing.T) *repoFake {
	r := &repoFake{fakePDS: newFakePDS(t), records: map[string]json.RawMessage{}}
	r.handle("com.atproto.repo.putRecord", func(w http.ResponseWriter, req *http.Request) {
		var in struct {
			Repo, Collection, Rkey string
			Record                 json.RawMessage
		}
		json.NewDecoder(req.Body).Decode(&in)
		if in.Repo != fakeDID || in.Collection != PostCollection || !validTID(in.Rkey) {
			writeXRPCError(w, 400, "InvalidRequest", fmt.Sprintf("bad put %+v", in))
			return
		}
		r.mu.Lock()
		r.records[in.Rkey] = in.Record
		r.mu.Unlock()
		writeJSON(w, map[string]string{"uri": "at://" + fakeDID + "/" + PostCollection + "/" + in.Rkey, "cid": cidOf(in.Record)})
	})
	r.handle("com.atproto.repo.getRecord", func(w http.ResponseWriter, req *http.Request) {
		rkey := req.URL.Query().Get("rkey")
		r.mu.Lock()
		rec, ok := r.records[rkey]
		r.mu.Unlock()
		if !ok {
			writeXRPCError(w, 400, "RecordNotFound", "Could not locate record")
			return
		}
		writeJSON(w, map[string]any{"uri": "at://" + fakeDID + "/" + PostCollection + "/" + rkey, "cid": cidOf(rec), "value": rec})
	})
	r.handle("com.atproto.repo.uploadBlob", func(w http.ResponseWriter, req *http.Request) {
		data, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.blobs = append(r.blobs, data)
		r.mu.Unlock()
		writeJSON(w, map[string]any{"blob": map[string]any{
			"$type": "blob", "ref": map[string]string{"$link": cidOf(data)},
			"mimeType": req.Header.Get("Content-Type"), "size": len(data),
		}})
	})
	r.handle("com.atproto.identity.resolveHandle", func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Query().Get("handle") == "alice.test" {
			writeJSON(w, map[string]string{"did": "did:plc:alice"})
			return
		}
		writeXRPCError(w, 400, "InvalidRequest", "Unable to resolve handle")
	})
	return r
}

func (r *repoFake) raw(rkey string) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.records[rkey]
}

func cidOf(b []byte) string {
	s := sha256.Sum256(b)
	return fmt.Sprintf("bafy%x", s[:8])
}

func (r *repoFake) record(t *testing.T, rkey string) map[string]any {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	raw, ok := r.records[rkey]
	if !ok {
		t.Fatalf("no record %s", rkey)
	}
	var m map[string]any
	json.Unmarshal(raw, &m)
	return m
}

func TestPublishWritesFrozenRecordUnderDerivedKey(t *testing.T) {
	r := newRepoFake(t)
	c := r.client(WithLangs("en"))
	p := testPost("🎉 hi @alice.test and @nobody.test, see https://example.com/x. #launch")
	pub, err := c.Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	rkey, _ := RecordKey(p.IdempotencyKey, p.CreatedAt)
	if pub.Ref.ID != "at://"+fakeDID+"/app.bsky.feed.post/"+rkey || pub.Ref.CID == "" {
		t.Errorf("ref %+v", pub.Ref)
	}
	if pub.URL != "https://bsky.app/profile/me.test/post/"+rkey {
		t.Errorf("URL %s", pub.URL)
	}
	rec := r.record(t, rkey)
	shown := strings.Replace(p.Text, "https://example.com/x", "example.com/x", 1) // as the Bluesky app shows a link
	if rec["$type"] != "app.bsky.feed.post" || rec["text"] != shown {
		t.Errorf("record %v", rec)
	}
	if rec["createdAt"] != "2025-03-14T15:09:26.535Z" {
		t.Errorf("createdAt %v, want RFC 3339 UTC with milliseconds", rec["createdAt"])
	}
	if langs, _ := rec["langs"].([]any); len(langs) != 1 || langs[0] != "en" {
		t.Errorf("langs %v", rec["langs"])
	}
	facets, _ := rec["facets"].([]any)
	var got []string
	for _, f := range facets {
		fm := f.(map[string]any)
		idx := fm["index"].(map[string]any)
		start, end := int(idx["byteStart"].(float64)), int(idx["byteEnd"].(float64))
		feat := fm["features"].([]any)[0].(map[string]any)
		got = append(got, fmt.Sprintf("%s %q %v%v%v", feat["$type"], shown[start:end], feat["did"], feat["uri"], feat["tag"]))
	}
	want := []string{
		`app.bsky.richtext.facet#mention "@alice.test" did:plc:alice<nil><nil>`,
		`app.bsky.richtext.facet#link "example.com/x" <nil>https://example.com/x<nil>`,
		`app.bsky.richtext.facet#tag "#launch" <nil><nil>launch`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("facets\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A retry writes the same record under the same key.
	before := r.raw(rkey)
	pub2, err := c.Publish(context.Background(), p)
	if err != nil || pub2.Ref != pub.Ref {
		t.Fatalf("retry: %+v, %v; first %+v", pub2, err, pub.Ref)
	}
	r.mu.Lock()
	n := len(r.records)
	r.mu.Unlock()
	if !bytes.Equal(before, r.raw(rkey)) || n != 1 {
		t.Errorf("retry changed the record or added one")
	}

	got2, ok, err := c.Reconcile(context.Background(), p)
	if err != nil || !ok || got2.Ref != pub.Ref {
		t.Errorf("Reconcile = %+v, %v, %v", got2, ok, err)
	}
	other := p
	other.IdempotencyKey = "never-sent"
	if _, ok, err := c.Reconcile(context.Background(), other); ok || err != nil {
		t.Errorf("Reconcile of an unsent post = %v, %v", ok, err)
	}
}

func TestReconcileRefusesAnotherPostsRecord(t *testing.T) {
	r := newRepoFake(t)
	c := r.client()
	p := testPost("first")
	if _, err := c.Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	changed := p
	changed.Text = "something else"
	if _, ok, err := c.Reconcile(context.Background(), changed); ok || err == nil {
		t.Errorf("Reconcile matched a different post: %v, %v", ok, err)
	}
}

func TestPublishReply(t *testing.T) {
	r := newRepoFake(t)
	c := r.client()
	root := &platforms.Ref{ID: "at://did:plc:x/app.bsky.feed.post/3root", CID: "bafyroot"}
	parent := &platforms.Ref{ID: "at://did:plc:x/app.bsky.feed.post/3parent", CID: "bafyparent"}
	cases := []struct {
		name             string
		replyTo, thread  *platforms.Ref
		wantRoot, wantPa string
	}{
		{"first reply: root is the parent", root, nil, root.ID, root.ID},
		{"deeper reply", parent, root, root.ID, parent.ID},
	}
	for i, tc := range cases {
		p := testPost("reply")
		p.IdempotencyKey = fmt.Sprint("reply-", i)
		p.ReplyTo, p.ThreadRoot = tc.replyTo, tc.thread
		pub, err := c.Publish(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		rec := r.record(t, rkeyOf(pub.Ref.ID))
		reply := rec["reply"].(map[string]any)
		gotRoot := reply["root"].(map[string]any)
		gotParent := reply["parent"].(map[string]any)
		if gotRoot["uri"] != tc.wantRoot || gotParent["uri"] != tc.wantPa || gotRoot["cid"] == "" || gotParent["cid"] == "" {
			t.Errorf("%s: reply %v", tc.name, reply)
		}
	}
	p := testPost("reply without cid")
	p.ReplyTo = &platforms.Ref{ID: root.ID}
	if _, err := c.Publish(context.Background(), p); platforms.ClassOf(err) != platforms.Permanent {
		t.Errorf("reply without cid: %v", err)
	}
}

func writePNG(t *testing.T, dir string, w, h int) string {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("img-%dx%d.png", w, h))
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPublishImages(t *testing.T) {
	r := newRepoFake(t)
	c := r.client()
	dir := t.TempDir()
	p := testPost("a picture")
	p.Images = []platforms.Image{{Path: writePNG(t, dir, 40, 30), AltText: "a grey rectangle"}}
	pub, err := c.Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	rec := r.record(t, rkeyOf(pub.Ref.ID))
	embed := rec["embed"].(map[string]any)
	if embed["$type"] != "app.bsky.embed.images" {
		t.Fatalf("embed %v", embed)
	}
	img := embed["images"].([]any)[0].(map[string]any)
	blob := img["image"].(map[string]any)
	if img["alt"] != "a grey rectangle" || blob["mimeType"] != "image/png" || blob["$type"] != "blob" {
		t.Errorf("image %v", img)
	}
	ar := img["aspectRatio"].(map[string]any)
	if ar["width"] != 40.0 || ar["height"] != 30.0 {
		t.Errorf("aspectRatio %v", ar)
	}
}

func TestPublishRefusesLocally(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.jpg")
	if err := os.WriteFile(big, make([]byte, MaxBlobBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	exact := filepath.Join(dir, "exact.png")
	os.WriteFile(exact, make([]byte, MaxBlobBytes), 0o644)
	small := writePNG(t, dir, 2, 2)
	cases := []struct {
		name string
		post func(p *platforms.Post)
		want string
	}{
		{"301 graphemes", func(p *platforms.Post) { p.Text = strings.Repeat("é", 301) }, "301 characters, the limit is 300"},
		{"3001 bytes", func(p *platforms.Post) { p.Text = strings.Repeat("👩‍👩‍👧", 170) }, "bytes, the limit is 3000"},
		{"five images", func(p *platforms.Post) {
			for range 5 {
				p.Images = append(p.Images, platforms.Image{Path: small, AltText: "x"})
			}
		}, "5 images, the limit is 4"},
		{"no alt text", func(p *platforms.Post) { p.Images = []platforms.Image{{Path: small, AltText: "  "}} }, "no alt text"},
		{"image over 2 MB", func(p *platforms.Post) { p.Images = []platforms.Image{{Path: big, AltText: "big"}} }, "2000001 bytes; Bluesky takes at most 2000000"},
		{"no key", func(p *platforms.Post) { p.IdempotencyKey = "" }, "idempotency key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRepoFake(t)
			c := r.client()
			p := testPost("text")
			tc.post(&p)
			_, err := c.Publish(context.Background(), p)
			if pe := asError(t, err); pe.Class != platforms.Permanent || !strings.Contains(pe.Reason, tc.want) {
				t.Fatalf("err %v (%v), want permanent containing %q", err, platforms.ClassOf(err), tc.want)
			}
			r.fakePDS.mu.Lock()
			defer r.fakePDS.mu.Unlock()
			if len(r.requests) != 0 {
				t.Errorf("%d requests sent for a post refused locally", len(r.requests))
			}
		})
	}
	// Exactly 300 graphemes and exactly 2,000,000 bytes pass the local checks.
	r := newRepoFake(t)
	c := r.client()
	p := testPost(strings.Repeat("é", 300))
	p.Images = []platforms.Image{{Path: exact, Mime: "image/png", AltText: "edge"}}
	if _, err := c.Publish(context.Background(), p); err != nil {
		t.Errorf("300 graphemes and a 2,000,000 byte image: %v", err)
	}
}

func TestLimitsAndLength(t *testing.T) {
	c := New("http://unused", "me.test")
	l, err := c.Limits(context.Background())
	if err != nil || l.MaxChars != 300 || l.MaxBytes != 3000 || l.MaxImages != 4 || l.MaxImageBytes != 2_000_000 {
		t.Errorf("Limits = %+v, %v", l, err)
	}
	if n := c.Length("👩‍👩‍👧 क्ष é"); n != 5 {
		t.Errorf("Length = %d, want 5 graphemes", n)
	}
}

func TestInvalidUTF8FacetOffsetsMatchWhatIsSent(t *testing.T) {
	r := newRepoFake(t)
	c := r.client()
	p := testPost("\xff\xfe #tag")
	pub, err := c.Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	rec := r.record(t, rkeyOf(pub.Ref.ID))
	text := rec["text"].(string)
	idx := rec["facets"].([]any)[0].(map[string]any)["index"].(map[string]any)
	if got := text[int(idx["byteStart"].(float64)):int(idx["byteEnd"].(float64))]; got != "#tag" {
		t.Errorf("facet slices the sent text as %q", got)
	}
}
