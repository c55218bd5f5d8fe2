package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
)

// configAndStore is a config file with no accounts and the database it
// names; write replaces what the file says after its database line.
func configAndStore(t *testing.T) (cfg *config.Config, st *store.Store, write func(body string)) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	db := filepath.Join(dir, "crier.db")
	write = func(body string) {
		t.Helper()
		if err := os.WriteFile(path, []byte("database: "+db+"\n"+body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("")
	cfg, err := config.Load(config.LoadOptions{Flag: path, Getenv: func(string) string { return "" }, Home: dir})
	if err != nil {
		t.Fatal(err)
	}
	if st, err = store.Open(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return cfg, st, write
}

// An account added to the config file after crier started is set up from
// the file as it is when one of its posts is due; one the file does not
// have is not, and one it has without a usable credential says why.
func TestResolveReadsTheConfigAsItIsNow(t *testing.T) {
	ctx := context.Background()
	cfg, st, write := configAndStore(t)
	id := func(platform, handle, server string) int64 {
		t.Helper()
		id, err := st.UpsertAccount(ctx, store.Account{Platform: platform, Handle: handle, Server: server})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	added := id(store.PlatformMastodon, "@bakery@example.social", "https://example.social")
	unset := id(store.PlatformMastodon, "@cafe@example.social", "https://example.social")
	absent := id(store.PlatformBluesky, "bakery.example.com", "https://bsky.example.com")
	resolve := resolveAccount(cfg, st)

	// Started before the accounts were in the file.
	if n, err := resolve(ctx, added); n != nil || err != nil {
		t.Fatalf("before the file has it: %v, %v", n, err)
	}
	write(`accounts:
  - platform: mastodon
    handle: "@bakery@example.social"
    server: https://example.social
    credential: a-token
  - platform: mastodon
    handle: "@cafe@example.social"
    server: https://example.social
    credential: env:CRIER_TEST_UNSET_CAFE_TOKEN
`)
	n, err := resolve(ctx, added)
	if err != nil || n == nil || n.Platform() != store.PlatformMastodon {
		t.Fatalf("once the file has it: %v, %v", n, err)
	}
	if n, err := resolve(ctx, absent); n != nil || err != nil {
		t.Fatalf("an account the file does not have: %v, %v", n, err)
	}
	if _, err := resolve(ctx, unset); err == nil || !strings.Contains(err.Error(), "CRIER_TEST_UNSET_CAFE_TOKEN") ||
		platforms.ClassOf(err) == platforms.Transient {
		t.Fatalf("an account whose credential is not set: %v (class %v); want an error that fails the post", err, platforms.ClassOf(err))
	}
	// A file caught half saved by an editor: the post waits and is tried
	// again, rather than failing for good.
	write("accounts:\n  - platform: mastodon\n    handle: \"@cafe")
	if _, err := resolve(ctx, unset); err == nil || platforms.ClassOf(err) != platforms.Transient ||
		!strings.Contains(err.Error(), "reading the config again") {
		t.Fatalf("a config that cannot be read: %v (class %v); want a transient error", err, platforms.ClassOf(err))
	}
}

// An account added to the config file after crier started is recorded in
// the database at the next sync, so that the sync finds it; a file caught
// half saved records nothing and is no error.
func TestRecordAddedAccountsReadsTheConfigAsItIsNow(t *testing.T) {
	ctx := context.Background()
	cfg, st, write := configAndStore(t)
	record := recordAddedAccounts(cfg, st)
	count := func() int {
		t.Helper()
		as, err := st.Accounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(as)
	}
	write("accounts:\n  - platform: mastodon\n    handle: \"@cafe")
	if err := record(ctx); err != nil || count() != 0 {
		t.Fatalf("a config caught half saved: %v, %d accounts recorded", err, count())
	}
	write(`accounts:
  - platform: mastodon
    handle: "@bakery@example.social"
    server: https://example.social
    credential: a-token
`)
	for range 2 {
		if err := record(ctx); err != nil {
			t.Fatal(err)
		}
	}
	as, err := st.Accounts(ctx)
	if err != nil || len(as) != 1 || as[0].Handle != "@bakery@example.social" || as[0].Server != "https://example.social" {
		t.Fatalf("recorded %+v, %v; want the added account once", as, err)
	}
}
