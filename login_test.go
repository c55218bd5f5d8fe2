package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

// TestLoginMastodon plays the user through the whole OAuth flow against the
// Mastodon test server: register, approve (the server shows a code), paste
// the code, and find a working token in a file only the user can read.
func TestLoginMastodon(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	defer srv.Close()
	dir := t.TempDir()

	pr, pw := io.Pipe()
	var out strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- loginMastodon(context.Background(), srv.URL, loginIO{in: pr, out: syncWriter{&out, pw, srv}, configDir: dir})
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(strings.TrimPrefix(srv.URL, "http://"), "https://")
	path := filepath.Join(dir, "mastodon-"+host+".token")
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("token file mode %v, want 0600", info.Mode().Perm())
	}
	token, err := mastodon.LoadToken(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mastodon.New(srv.URL, token).Followers(context.Background()); err != nil {
		t.Fatalf("the saved token does not work: %v", err)
	}
	for _, want := range []string{"platform: mastodon", "credential: file:" + path, "server: " + srv.URL} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// syncWriter records the flow's output and, when it shows the authorize
// address, approves it on the test server and pastes the code back.
type syncWriter struct {
	out *strings.Builder
	in  *io.PipeWriter
	srv *mastotest.Server
}

func (w syncWriter) Write(p []byte) (int, error) {
	w.out.Write(p)
	s := string(p)
	if i := strings.Index(s, "/oauth/authorize?"); i >= 0 {
		start := strings.LastIndex(s[:i], " ") + 1
		end := strings.IndexAny(s[i:], " \n")
		code, err := w.srv.Authorize(s[start : i+end])
		if err != nil {
			return 0, err
		}
		go w.in.Write([]byte(code + "\n"))
	}
	return len(p), nil
}

func TestLoginWithoutCodeSavesNothing(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	defer srv.Close()
	dir := t.TempDir()
	err := loginMastodon(context.Background(), srv.URL, loginIO{in: strings.NewReader("\n"), out: io.Discard, configDir: dir})
	if err == nil || !strings.Contains(err.Error(), "no code") {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("files were left: %v", entries)
	}
}
