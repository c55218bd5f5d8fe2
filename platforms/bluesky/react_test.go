package bluesky

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
)

// TestReactWritesOneRecordPerSubject checks the records Like and Repost
// write and that a repeat (answered InvalidSwap) is a success.
func TestReactWritesOneRecordPerSubject(t *testing.T) {
	f := newFakePDS(t)
	var mu sync.Mutex
	records := map[string]map[string]any{} // collection/rkey -> record
	f.handle("com.atproto.repo.putRecord", func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		key := in["collection"].(string) + "/" + in["rkey"].(string)
		mu.Lock()
		defer mu.Unlock()
		if v, ok := in["swapRecord"]; !ok || v != nil {
			writeXRPCError(w, 400, "InvalidRequest", "want swapRecord null")
			return
		}
		if records[key] != nil {
			writeXRPCError(w, 400, "InvalidSwap", "Record was at bafy...")
			return
		}
		records[key] = in["record"].(map[string]any)
		writeJSON(w, map[string]string{"uri": "at://" + fakeDID + "/" + key, "cid": "bafyrec"})
	})
	f.handle("com.atproto.repo.deleteRecord", func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		mu.Lock()
		delete(records, in["collection"].(string)+"/"+in["rkey"].(string))
		mu.Unlock()
		writeJSON(w, map[string]any{})
	})
	c := f.client()
	ctx := context.Background()
	ref := platforms.Ref{ID: "at://did:plc:other/app.bsky.feed.post/3kabc", CID: "bafypost"}
	for i := 0; i < 2; i++ {
		if err := c.Like(ctx, ref); err != nil {
			t.Fatal(err)
		}
		if err := c.Repost(ctx, ref); err != nil {
			t.Fatal(err)
		}
	}
	like := records[LikeCollection+"/"+SubjectKey(LikeCollection, ref.ID)]
	repost := records[RepostCollection+"/"+SubjectKey(RepostCollection, ref.ID)]
	if len(records) != 2 || like == nil || repost == nil {
		t.Fatalf("records %v", records)
	}
	subj := like["subject"].(map[string]any)
	if like["$type"] != LikeCollection || subj["uri"] != ref.ID || subj["cid"] != ref.CID || like["createdAt"] == nil {
		t.Errorf("like record %v", like)
	}
	if err := c.Unlike(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if err := c.Unrepost(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if len(records) != 0 {
		t.Errorf("after undo: %v", records)
	}
	if err := c.Like(ctx, platforms.Ref{ID: ref.ID}); platforms.ClassOf(err) != platforms.Permanent {
		t.Errorf("like without a cid: %v", err)
	}

	// A lost answer is safe to retry: transient, not an unknown outcome.
	f.handle("com.atproto.repo.putRecord", func(w http.ResponseWriter, r *http.Request) {
		writeXRPCError(w, 502, "UpstreamFailure", "try later")
	})
	if err := c.Repost(ctx, ref); platforms.ClassOf(err) != platforms.Transient {
		t.Errorf("502 on repost: %v", err)
	}
}

func TestSubjectKey(t *testing.T) {
	a := SubjectKey(LikeCollection, "at://did:plc:x/app.bsky.feed.post/1")
	if !validTID(a) || a != SubjectKey(LikeCollection, "at://did:plc:x/app.bsky.feed.post/1") {
		t.Errorf("key %q", a)
	}
	if a == SubjectKey(RepostCollection, "at://did:plc:x/app.bsky.feed.post/1") || a == SubjectKey(LikeCollection, "at://did:plc:x/app.bsky.feed.post/2") {
		t.Error("keys collide")
	}
	if y := tidTime(a).Year(); y != 2023 {
		t.Errorf("key time %v", tidTime(a))
	}
}

// fakeSearch serves searchPosts from posts (newest first), pages of limit.
func fakeSearch(f *fakePDS, posts func() []map[string]any) {
	f.handle("app.bsky.feed.searchPosts", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		all := posts()
		var match []map[string]any
		for _, p := range all {
			if strings.Contains(p["record"].(map[string]any)["text"].(string), q.Get("q")) {
				match = append(match, p)
			}
		}
		start := 0
		fmt.Sscan(q.Get("cursor"), &start)
		limit := 100
		fmt.Sscan(q.Get("limit"), &limit)
		end := min(start+limit, len(match))
		out := map[string]any{"posts": match[start:end]}
		if end < len(match) {
			out["cursor"] = fmt.Sprint(end)
		}
		writeJSON(w, out)
	})
}

func TestSearchPosts(t *testing.T) {
	f := newFakePDS(t)
	var mu sync.Mutex
	var posts []map[string]any // newest first
	base := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	add := func(i int, text string, reply bool) {
		at := base.Add(time.Duration(i) * time.Second).Format(time.RFC3339Nano)
		rec := map[string]any{"text": text, "createdAt": at}
		if reply {
			rec["reply"] = map[string]any{
				"root":   map[string]string{"uri": "at://r/app.bsky.feed.post/root", "cid": "bafyroot"},
				"parent": map[string]string{"uri": "at://r/app.bsky.feed.post/parent", "cid": "bafyparent"},
			}
		}
		mu.Lock()
		posts = append([]map[string]any{{
			"uri": fmt.Sprintf("at://did:plc:other/app.bsky.feed.post/%d", i), "cid": fmt.Sprintf("bafy%d", i),
			"author":    map[string]any{"did": "did:plc:other", "handle": "other.test", "displayName": "Other"},
			"record":    rec,
			"indexedAt": at,
		}}, posts...)
		mu.Unlock()
	}
	fakeSearch(f, func() []map[string]any { mu.Lock(); defer mu.Unlock(); return posts })
	c := f.client()
	ctx := context.Background()

	add(0, "crier sourdough", false)
	add(1, "unrelated", false)
	add(2, "more crier sourdough", true)
	got, cursor, err := c.Search(ctx, "sourdough", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Text != "crier sourdough" || got[1].Ref.CID != "bafy2" ||
		got[1].Root == nil || got[1].Root.CID != "bafyroot" || got[1].ReplyTo.ID != "at://r/app.bsky.feed.post/parent" ||
		got[1].Author.Handle != "other.test" || got[1].URL != "https://bsky.app/profile/other.test/post/2" {
		t.Fatalf("Search = %+v", got)
	}
	req := f.last("app.bsky.feed.searchPosts")
	if !strings.Contains(req.query, "sort=latest") || !strings.Contains(req.query, "q=sourdough") {
		t.Errorf("query %s", req.query)
	}
	if got, _, err := c.Search(ctx, "sourdough", cursor); err != nil || len(got) != 0 {
		t.Fatalf("nothing new: %+v, %v", got, err)
	}
	// 250 new ones over three pages, oldest first, none again.
	for i := 3; i < 253; i++ {
		add(i, fmt.Sprintf("sourdough %d", i), false)
	}
	got, cursor, err = c.Search(ctx, "sourdough", cursor)
	if err != nil || len(got) != 250 || got[0].Text != "sourdough 3" || got[249].Text != "sourdough 252" {
		t.Fatalf("%d posts, %v", len(got), err)
	}
	if got, _, err := c.Search(ctx, "sourdough", cursor); err != nil || len(got) != 0 {
		t.Fatalf("again: %d, %v", len(got), err)
	}
	if _, _, err := c.Search(ctx, "sourdough", "garbage"); platforms.ClassOf(err) != platforms.Permanent {
		t.Errorf("bad cursor: %v", err)
	}
}
