package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestSandboxPostsAreIdempotent(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

	id, err := st.RecordSandboxPost(ctx, "bakery", "key-1", "rye is out", "", 2, at)
	if err != nil {
		t.Fatal(err)
	}
	again, err := st.RecordSandboxPost(ctx, "bakery", "key-1", "a different text", "", 0, at.Add(time.Minute))
	if err != nil || again != id {
		t.Fatalf("repeat with the same key = %d, %v, want the first id %d", again, err, id)
	}
	reply, err := st.RecordSandboxPost(ctx, "bakery", "key-2", "and spelt", "sandbox:1", 0, at.Add(time.Second))
	if err != nil || reply == id {
		t.Fatalf("second post = %d, %v", reply, err)
	}
	if _, err := st.RecordSandboxPost(ctx, "cafe", "key-3", "elsewhere", "", 0, at); err != nil {
		t.Fatal(err)
	}

	got, err := st.SandboxPosts(ctx, "bakery")
	if err != nil || len(got) != 2 {
		t.Fatalf("SandboxPosts = %+v, %v", got, err)
	}
	first := got[0]
	if first.ID != id || first.Body != "rye is out" || first.MediaCount != 2 || first.IdempotencyKey != "key-1" ||
		first.Account != "bakery" || !first.ReceivedAt.Equal(at) || first.ReplyTo != "" {
		t.Fatalf("first sandbox post = %+v (a repeat must write nothing)", first)
	}
	if got[1].ReplyTo != "sandbox:1" {
		t.Fatalf("reply = %+v", got[1])
	}

	gotID, gotAt, ok, err := st.SandboxPostByKey(ctx, "key-1")
	if err != nil || !ok || gotID != id || !gotAt.Equal(at) {
		t.Fatalf("SandboxPostByKey = %d %v %v %v", gotID, gotAt, ok, err)
	}
	if _, _, ok, err := st.SandboxPostByKey(ctx, "never-sent"); ok || err != nil {
		t.Fatalf("unknown key = %v, %v", ok, err)
	}
}

func TestSandboxLookupUsesTheKeyIndex(t *testing.T) {
	st := openTest(t)
	plan := explain(t, st, "SELECT id, received_at FROM sandbox_posts WHERE idempotency_key = ?", "k")
	if !strings.Contains(plan, "sqlite_autoindex_sandbox_posts_1") {
		t.Fatalf("lookup by key does not use the unique index:\n%s", plan)
	}
}
