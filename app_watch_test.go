package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// TestAppHearsOfWhatOthersCommit: a post queued by another process (crier
// post, crier run, an SSH session) while the app sits on a pane reaches
// the app as a data change, so the pane on show lists it: the app no
// longer says "nothing waiting to go out" beside a queued post.
func TestAppHearsOfWhatOthersCommit(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := filepath.Join(t.TempDir(), "crier.db")
	app, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	other, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	acct, err := other.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "shop", Server: "example.org"})
	if err != nil {
		t.Fatal(err)
	}

	got := make(chan tea.Msg, 16)
	done := make(chan struct{})
	opened := make(chan struct{}, 1)
	go func() {
		defer close(done)
		watchForApp(ctx, app, 5*time.Millisecond, func(m tea.Msg) { got <- m }, func() {
			select {
			case opened <- struct{}{}:
			default:
			}
		})
	}()
	select {
	case <-opened:
	case <-time.After(10 * time.Second):
		t.Fatal("the watch did not begin")
	}

	now := time.Now()
	id, err := other.SaveDraft(ctx, store.Post{Body: "queued elsewhere", Targets: []store.Target{{AccountID: acct}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.QueuePost(ctx, id, now.Add(time.Hour), "UTC", now); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		if _, ok := m.(common.DataChangedMsg); !ok {
			t.Fatalf("the app was told %#v, want a data change", m)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the app was not told of a post queued by another process")
	}
	cancel()
	<-done
}
