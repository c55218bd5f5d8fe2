package storetest

import (
	"context"
	"testing"

	"github.com/crier-app/crier/store"
)

// Each copy is a database of its own, up to date and empty.
func TestCopiesAreFreshAndApart(t *testing.T) {
	ctx := context.Background()
	a, b := Open(t), Open(t)
	if _, err := a.UpsertAccount(ctx, store.Account{Platform: store.PlatformSandbox, Handle: "a"}); err != nil {
		t.Fatal(err)
	}
	if got, err := b.Accounts(ctx); err != nil || len(got) != 0 {
		t.Fatalf("the second copy has accounts %v (%v)", got, err)
	}
	var v int
	if err := b.DB().QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != store.SchemaVersion() {
		t.Fatalf("user_version %d (%v), want %d", v, err, store.SchemaVersion())
	}
}
