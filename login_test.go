package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/gtstest"
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

// TestLoginServerArgument: what a person may type as SERVER, and what is
// refused with what is wrong (never turned into something else, as
// "https://" once became "https://https:").
func TestLoginServerArgument(t *testing.T) {
	for _, tc := range []struct{ arg, want string }{
		{"mastodon.social", "https://mastodon.social"},
		{" mastodon.social/ ", "https://mastodon.social"},
		{"https://mastodon.social/", "https://mastodon.social"},
		{"http://localhost:8080", "http://localhost:8080"},
		{"MASTODON.Social", "https://MASTODON.Social"},
		{"[::1]:3000", "https://[::1]:3000"},
	} {
		u, err := serverArg(tc.arg)
		if err != nil || u.String() != tc.want {
			t.Errorf("%q: %v, %v; want %s", tc.arg, u, err, tc.want)
		}
	}
	for _, tc := range []struct{ arg, want string }{
		{"", "give the address of your Mastodon server"},
		{"https://", `"https://" has no server name after https://`},
		{"http://", "has no server name"},
		{"https:", "has no server name"},
		{"ftp://mastodon.social", "starts with ftp://"},
		{"@me@mastodon.social", "looks like an account, not a server: give the server it is on, as in: crier login mastodon mastodon.social"},
		{"me@mastodon.social", "looks like an account"},
		{"https://mastodon.social/@me", "is a page on a server; give only the server's address: crier login mastodon mastodon.social"},
		{"mastodon.social/about?x=1", "is a page on a server"},
		{"mastodon social", `invalid character " " in host name`},
		{"mastodon.social:", "no port number after the colon"},
		{"mastodon!social", "cannot contain '!'"},
		{"mastodon.social:port", "is not a server address"},
		{"mastodon..social", "is not a server name"},
		{"https://user:pw@mastodon.social", "has an account or password in it"},
	} {
		_, err := serverArg(tc.arg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v; want an error saying %q", tc.arg, err, tc.want)
		}
	}
}

// TestLoginServerThatNeverAnswers: a server that takes the connection and
// never answers is waited for as long as announced, no longer, and the
// message says what happened and what to do.
func TestLoginServerThatNeverAnswers(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	dir := t.TempDir()
	var out strings.Builder
	began := time.Now()
	err = loginMastodon(context.Background(), "http://"+l.Addr().String(),
		loginIO{in: strings.NewReader(""), out: &out, configDir: dir, timeout: 300 * time.Millisecond})
	took := time.Since(began)
	if !strings.Contains(out.String(), "Registering crier with "+l.Addr().String()+" (waiting up to 300ms)... failed.") {
		t.Errorf("the wait was not announced:\n%s", out.String())
	}
	if err == nil || !strings.HasPrefix(err.Error(), l.Addr().String()+" did not answer within 300ms; nothing was saved. Check the address") {
		t.Errorf("error = %v", err)
	}
	if took > 5*time.Second {
		t.Errorf("gave up after %s, want about the 300ms announced", took)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files were left: %v", entries)
	}
}

// TestLoginFailuresInWords: each way a login fails says what happened in
// the user's words and what to do, with Go's error only after it.
func TestLoginFailuresInWords(t *testing.T) {
	notMastodon := httptest.NewServer(http.NotFoundHandler())
	defer notMastodon.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	srv := mastotest.New(mastotest.Config{})
	defer srv.Close()

	for _, tc := range []struct {
		name, server, code, want string
	}{
		{"not a Mastodon server", notMastodon.URL, "", "does not look like a Mastodon server"},
		{"nothing there", closedURL, "", "crier could not register itself with " + strings.TrimPrefix(closedURL, "http://") + ": nothing answers at"},
		{"wrong code", srv.URL, "not-the-code", "did not accept the code: it may be mistyped, or already used"},
		{"no code", srv.URL, "", "no code was pasted; nothing was saved"},
	} {
		err := loginMastodon(context.Background(), tc.server,
			loginIO{in: strings.NewReader(tc.code + "\n"), out: io.Discard, configDir: t.TempDir(), timeout: 5 * time.Second})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want it to say %q", tc.name, err, tc.want)
			continue
		}
		first, _, _ := strings.Cut(err.Error(), "\n")
		if strings.Contains(first, "dial tcp") || strings.Contains(first, "HTTP 4") {
			t.Errorf("%s: the message a person reads carries Go's words: %q", tc.name, first)
		}
	}
}

// TestLoginMastodonGoToSocial is crier login mastodon against a real
// server: its own OAuth pages (sign in, approve, the page with the code),
// gone through as a person's browser would, with the address crier prints.
func TestLoginMastodonGoToSocial(t *testing.T) {
	if testing.Short() {
		t.Skip("runs GoToSocial")
	}
	gts := gtstest.Start(t)
	acct := gts.CreateAccount(t, "bakery")
	dir := t.TempDir()

	pr, pw := io.Pipe()
	var out strings.Builder
	browser := func(authorizeURL string) (string, error) { return gts.Approve(t, authorizeURL, acct), nil }
	err := loginMastodon(context.Background(), gts.URL,
		loginIO{in: pr, out: approvingWriter{&out, pw, browser}, configDir: dir})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	path := filepath.Join(dir, "mastodon-"+strings.TrimPrefix(gts.URL, "http://")+".token")
	token, err := mastodon.LoadToken(path)
	if err != nil {
		t.Fatal(err)
	}
	if id := gts.AccountID(t, token); id == "" {
		t.Fatal("the saved token does not work")
	}
	for _, want := range []string{`handle: "` + acct.Handle() + `"`, "server: " + gts.URL, "credential: file:" + path,
		"Signed in as " + acct.Handle()} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// approvingWriter records the flow's output and, when it shows the
// authorize address, has browser approve it and pastes the code back.
type approvingWriter struct {
	out     *strings.Builder
	in      *io.PipeWriter
	browser func(authorizeURL string) (string, error)
}

func (w approvingWriter) Write(p []byte) (int, error) {
	w.out.Write(p)
	s := string(p)
	if i := strings.Index(s, "/oauth/authorize?"); i >= 0 {
		start := strings.LastIndex(s[:i], " ") + 1
		end := strings.IndexAny(s[i:], " \n")
		code, err := w.browser(s[start : i+end])
		if err != nil {
			return 0, err
		}
		go w.in.Write([]byte(code + "\n"))
	}
	return len(p), nil
}
