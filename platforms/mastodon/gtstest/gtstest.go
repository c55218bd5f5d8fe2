// Package gtstest runs a real GoToSocial server for crier's tests: the
// Mastodon client API as a real server implements it, over SQLite, on a
// loopback port. scripts/gotosocial builds and caches the binary; a test
// that needs the server and cannot find it is skipped with a message that
// says how to install it, or fails when CRIER_REQUIRE_GOTOSOCIAL=1 (CI).
//
// The server is configured with host "localhost" and protocol http, the
// way a test setup without TLS must be: its session cookie is bound to that
// host name, so every step of the sign-in goes to http://localhost:PORT,
// never to 127.0.0.1. Accounts are made with its admin command line and
// confirmed there; user tokens come from its own OAuth pages (register an
// app, open the authorize page, sign in, approve, exchange the code), as a
// person's browser would go through them.
//
// Where GoToSocial differs from Mastodon is listed in mastotest's package
// documentation, next to the fake that unit tests use. Particular to this
// setup: the accounts are @user@localhost although the server listens on
// another port, and its paging links name http://localhost/ without it.
package gtstest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms/internal/testcache"
)

// Version is the GoToSocial release scripts/gotosocial installs.
const Version = "v0.17.3"

// startLimit bounds the wait for a new server to answer. A start with the
// WebAssembly cache warm takes about a second; without it, about 20.
const startLimit = 2 * time.Minute

// Install says how to get the server, for skip and failure messages.
const Install = `GoToSocial is not installed: run scripts/gotosocial install, then eval "$(scripts/gotosocial env)"`

// Paths are where the installed server lives.
type Paths struct {
	Binary    string // the gotosocial executable
	Web       string // its web folder (template/ and assets/)
	WASMCache string // wazero's compilation cache ("" for none)
}

// Find locates the installed server: $CRIER_GOTOSOCIAL, else the cache
// folder scripts/gotosocial installs into. The web folder and WebAssembly
// cache default to the ones beside the binary.
func Find() (Paths, error) {
	bin := os.Getenv("CRIER_GOTOSOCIAL")
	if bin == "" {
		bin = filepath.Join(testcache.Dir(), "gotosocial-"+Version, "gotosocial")
	}
	if st, err := os.Stat(bin); err != nil || st.IsDir() {
		return Paths{}, fmt.Errorf("%s (no server at %s)", Install, bin)
	}
	p := Paths{Binary: bin, Web: os.Getenv("CRIER_GOTOSOCIAL_WEB"), WASMCache: os.Getenv("CRIER_GOTOSOCIAL_WASM_CACHE")}
	if p.Web == "" {
		p.Web = filepath.Join(filepath.Dir(bin), "web")
	}
	if p.WASMCache == "" {
		if d := filepath.Join(filepath.Dir(bin), "wazero"); isDir(d) {
			p.WASMCache = d
		}
	}
	if !isDir(filepath.Join(p.Web, "template")) {
		return Paths{}, fmt.Errorf("%s (no templates in %s)", Install, p.Web)
	}
	return p, nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// Required reports whether the environment asks for the server to be
// there (CRIER_REQUIRE_GOTOSOCIAL=1), so that its tests fail, not skip.
func Required() bool { return os.Getenv("CRIER_REQUIRE_GOTOSOCIAL") == "1" }

// Server is a running GoToSocial.
type Server struct {
	URL  string // http://localhost:PORT, the address clients use
	Host string // localhost: the configured host, the accounts' domain
	Port int

	paths  Paths
	dir    string
	config string
	log    string
	cmd    *exec.Cmd
	exited chan struct{}

	mu       sync.Mutex
	accounts int
}

// Start starts a server for t, with a database of its own, and stops it
// when t ends. Without an installed server it skips t (fails it when
// Required).
func Start(t testing.TB) *Server {
	t.Helper()
	paths := find(t)
	s, err := start(paths, t.TempDir(), t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("GoToSocial's log (last lines):\n%s", s.LogTail(40))
		}
	})
	return s
}

// find locates the server or skips (fails) t.
func find(t testing.TB) Paths {
	t.Helper()
	paths, err := Find()
	if err != nil {
		if Required() {
			t.Fatalf("CRIER_REQUIRE_GOTOSOCIAL=1: %v", err)
		}
		skipped.Add(1)
		t.Skip(err.Error())
	}
	return paths
}

// skipped counts the tests of this binary skipped for want of the server.
var skipped atomic.Int64

// Report says in one line, when tests of this binary skipped for want of
// the server, how many and how to install it: go test shows a passing
// package's output only with -v, so an "ok" alone would hide that part of
// the suite did not run. The line goes to the terminal (/dev/tty) when
// there is one, else to stderr. Call it from TestMain after m.Run.
func Report() {
	n := skipped.Load()
	if n == 0 {
		return
	}
	line := fmt.Sprintf("crier: %s: %d test(s) against a real GoToSocial skipped (not installed here); %s\n", testedPackage(), n, Install)
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		fmt.Fprint(tty, line)
		tty.Close()
	} else {
		fmt.Fprint(os.Stderr, line)
	}
}

var shared struct {
	sync.Mutex
	s   *Server
	dir string
	err error
}

// Shared returns one server for every test of the package that calls it,
// started by the first; the package's TestMain stops it with StopShared.
// Tests on it make accounts of their own.
func Shared(t testing.TB) *Server {
	t.Helper()
	paths := find(t)
	shared.Lock()
	defer shared.Unlock()
	if shared.s == nil && shared.err == nil {
		shared.dir, shared.err = os.MkdirTemp("", "crier-gotosocial-")
		if shared.err == nil {
			shared.s, shared.err = start(paths, shared.dir, t.Logf)
		}
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	s := shared.s
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("GoToSocial's log (last lines):\n%s", s.LogTail(40))
		}
	})
	return s
}

// StopShared stops the server Shared started, if any, and removes its
// files.
func StopShared() {
	shared.Lock()
	defer shared.Unlock()
	if shared.s != nil {
		shared.s.Stop()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	shared.s, shared.dir, shared.err = nil, "", nil
}

func start(paths Paths, dir string, logf func(string, ...any)) (*Server, error) {
	var lastErr error
	// A port found free can be taken by someone else before the server
	// binds it: try a few.
	for try := 0; try < 3; try++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s := &Server{
			URL: fmt.Sprintf("http://localhost:%d", port), Host: "localhost", Port: port,
			paths: paths, dir: dir, config: filepath.Join(dir, "config.yaml"),
			log: filepath.Join(dir, fmt.Sprintf("server-%d.log", try)), exited: make(chan struct{}),
		}
		if err := s.writeConfig(); err != nil {
			return nil, err
		}
		if lastErr = s.run(logf); lastErr == nil {
			return s, nil
		}
	}
	return nil, lastErr
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// writeConfig writes the server's config: SQLite in the test's folder, no
// rate limits or throttling (the tests make many calls from one address;
// crier's handling of 429 is tested with a fault proxy), the web templates
// from the installed source tree.
func (s *Server) writeConfig() error {
	q := strconv.Quote
	cfg := strings.Join([]string{
		"host: " + q(s.Host),
		`protocol: "http"`,
		`bind-address: "127.0.0.1"`,
		"port: " + strconv.Itoa(s.Port),
		`db-type: "sqlite"`,
		"db-address: " + q(filepath.Join(s.dir, "gts.sqlite")),
		"storage-local-base-path: " + q(filepath.Join(s.dir, "storage")),
		"web-template-base-dir: " + q(filepath.Join(s.paths.Web, "template")+"/"),
		"web-asset-base-dir: " + q(filepath.Join(s.paths.Web, "assets")+"/"),
		`log-level: "info"`,
		"advanced-rate-limit-requests: 0",
		"advanced-throttling-multiplier: 0",
		`accounts-registration-open: false`,
		"",
	}, "\n")
	return os.WriteFile(s.config, []byte(cfg), 0o600)
}

// run starts the process and waits until it answers.
func (s *Server) run(logf func(string, ...any)) error {
	logFile, err := os.Create(s.log)
	if err != nil {
		return err
	}
	cmd := exec.Command(s.paths.Binary, "--config-path", s.config, "server", "start")
	cmd.Dir = s.dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = os.Environ()
	if s.paths.WASMCache != "" {
		cmd.Env = append(cmd.Env, "GTS_WAZERO_COMPILATION_CACHE="+s.paths.WASMCache)
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("starting %s: %w", s.paths.Binary, err)
	}
	s.cmd = cmd
	go func() {
		cmd.Wait()
		logFile.Close()
		close(s.exited)
	}()
	// Only asking tells when it answers; its exit ends the wait at once.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.exited:
			cancel()
		case <-ctx.Done():
		}
	}()
	err = waitfor.Wait(ctx, startLimit, "GoToSocial answering on "+s.URL, func() (bool, string) {
		resp, err := http.Get(s.URL + "/api/v2/instance")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, resp.Status
	})
	select {
	case <-s.exited:
		return fmt.Errorf("GoToSocial exited while starting on port %d:\n%s", s.Port, s.LogTail(20))
	default:
	}
	if err != nil {
		s.Stop()
		return fmt.Errorf("%w:\n%s", err, s.LogTail(20))
	}
	logf("GoToSocial %s answering on %s after %s", Version, s.URL, time.Since(began).Round(time.Millisecond))
	return nil
}

// Stop ends the server: SIGTERM, then SIGKILL if it takes too long.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	select {
	case <-s.exited:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// LogTail is the end of the server's log.
func (s *Server) LogTail(lines int) string {
	data, _ := os.ReadFile(s.log)
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// Account is a user on the server.
type Account struct {
	Username string
	Email    string
	Password string
	// Acct is how other accounts mention it: username@localhost.
	Acct string
}

// Handle is the account as crier's config writes it: @user@localhost.
func (a Account) Handle() string { return "@" + a.Acct }

// CreateAccount makes a confirmed account with the server's admin command
// line. username must be lower-case letters, digits and underscores; a
// number is added so that names never clash.
func (s *Server) CreateAccount(t testing.TB, username string) Account {
	t.Helper()
	s.mu.Lock()
	s.accounts++
	username = fmt.Sprintf("%s%d", username, s.accounts)
	s.mu.Unlock()
	a := Account{
		Username: username,
		Email:    username + "@example.org",
		// Long and random: the server refuses weak passwords.
		Password: "Crier-test-" + randomHex(12),
		Acct:     username + "@" + s.Host,
	}
	s.admin(t, "account", "create", "--username", a.Username, "--email", a.Email, "--password", a.Password)
	s.admin(t, "account", "confirm", "--username", a.Username)
	return a
}

func (s *Server) admin(t testing.TB, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	full := append([]string{"--config-path", s.config, "admin"}, args...)
	cmd := exec.CommandContext(ctx, s.paths.Binary, full...)
	cmd.Dir = s.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("gotosocial admin %s: %v\n%s", strings.Join(args[:2], " "), err, lastLines(string(out), 15))
	}
}

func lastLines(s string, n int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) > n {
		all = all[len(all)-n:]
	}
	return strings.Join(all, "\n")
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// testedPackage is the package under test as ./path from the module root
// (go test runs a test binary in its package's folder).
func testedPackage() string {
	wd, err := os.Getwd()
	if err != nil {
		return "?"
	}
	for root := wd; ; root = filepath.Dir(root) {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			if rel, err := filepath.Rel(root, wd); err == nil {
				return path.Join(".", filepath.ToSlash(rel)) // "." for the root
			}
			break
		}
		if filepath.Dir(root) == root {
			break
		}
	}
	return wd
}

// OOB is the redirect URI for which the server shows the code on a page.
const OOB = "urn:ietf:wg:oauth:2.0:oob"

// Scopes are the scopes Token asks for: everything the tests do as a user
// (read and write cover every narrower scope on GoToSocial).
const Scopes = "read write"

// Token signs a into the server through its OAuth pages and returns an
// access token with scopes (Scopes when "").
func (s *Server) Token(t testing.TB, a Account, scopes string) string {
	t.Helper()
	if scopes == "" {
		scopes = Scopes
	}
	var app struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	s.API(t, "", http.MethodPost, "/api/v1/apps", url.Values{
		"client_name": {"crier-tests"}, "redirect_uris": {OOB}, "scopes": {scopes},
	}, &app)
	authorize := s.URL + "/oauth/authorize?" + url.Values{
		"client_id": {app.ClientID}, "redirect_uri": {OOB}, "response_type": {"code"}, "scope": {scopes},
	}.Encode()
	code := s.Approve(t, authorize, a)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	s.API(t, "", http.MethodPost, "/oauth/token", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "redirect_uri": {OOB},
	}, &tok)
	if tok.AccessToken == "" {
		t.Fatal("the server returned no access token")
	}
	return tok.AccessToken
}

// codeOnPage is where the out-of-band page shows the code.
var codeOnPage = regexp.MustCompile(`<code>([^<]+)</code>`)

// Approve is what a person does in the browser with an authorize address
// such as crier login prints: open it, sign in as a, approve, and read the
// code off the page the server then shows. It returns the code.
func (s *Server) Approve(t testing.TB, authorizeURL string, a Account) string {
	t.Helper()
	code, err := s.approve(authorizeURL, a)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func (s *Server) approve(authorizeURL string, a Account) (string, error) {
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	page := func(method, target string, form url.Values) (string, string, error) {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, target, body)
		if err != nil {
			return "", "", err
		}
		req.Header.Set("Accept", "text/html")
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := browser.Do(req)
		if err != nil {
			return "", "", err
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return "", "", fmt.Errorf("%s %s: HTTP %d: %s", method, resp.Request.URL.Path, resp.StatusCode, lastLines(string(data), 5))
		}
		return resp.Request.URL.String(), string(data), nil
	}
	u, err := url.Parse(authorizeURL)
	if err != nil {
		return "", err
	}
	if u.Host != fmt.Sprintf("%s:%d", s.Host, s.Port) {
		return "", fmt.Errorf("the authorize address %s is not on %s: the server's sign-in cookie only works on its own host name", authorizeURL, s.URL)
	}
	at, html, err := page(http.MethodGet, authorizeURL, nil)
	if err != nil {
		return "", fmt.Errorf("opening the authorize page: %w", err)
	}
	if !strings.Contains(at, "/auth/sign_in") {
		return "", fmt.Errorf("the authorize page led to %s, not to the sign-in page", at)
	}
	at, html, err = page(http.MethodPost, s.URL+"/auth/sign_in", url.Values{"username": {a.Email}, "password": {a.Password}})
	if err != nil {
		return "", fmt.Errorf("signing in as %s: %w", a.Username, err)
	}
	if !strings.Contains(html, `action="/oauth/authorize"`) {
		return "", fmt.Errorf("after signing in the server showed %s, not the page to approve the app", at)
	}
	_, html, err = page(http.MethodPost, s.URL+"/oauth/authorize", url.Values{})
	if err != nil {
		return "", fmt.Errorf("approving the app: %w", err)
	}
	m := codeOnPage.FindStringSubmatch(html)
	if m == nil {
		return "", errors.New("the server's page after approving shows no code")
	}
	return strings.TrimSpace(m[1]), nil
}

// API calls the client API as the holder of token ("" for none), with
// form as the request body (nil for none), and decodes the JSON answer
// into out (when not nil). An answer other than 2xx fails t.
func (s *Server) API(t testing.TB, token, method, path string, form url.Values, out any) {
	t.Helper()
	status, body, err := s.Call(token, method, path, form)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if status/100 != 2 {
		t.Fatalf("%s %s: HTTP %d: %s", method, path, status, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, body)
		}
	}
}

// Call is API without a test: the status and body of the answer.
func (s *Server) Call(token, method, path string, form url.Values) (int, []byte, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	target := path
	if !strings.Contains(path, "://") {
		target = s.URL + path
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", "application/json")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, bytes.TrimSpace(data), err
}

// Status is the part of a status the tests look at.
type Status struct {
	ID          string  `json:"id"`
	CreatedAt   string  `json:"created_at"`
	Content     string  `json:"content"`
	Text        string  `json:"text"`
	Visibility  string  `json:"visibility"`
	InReplyToID *string `json:"in_reply_to_id"`
	Media       []struct {
		ID          string  `json:"id"`
		Description *string `json:"description"`
	} `json:"media_attachments"`
	RepliesCount    int `json:"replies_count"`
	ReblogsCount    int `json:"reblogs_count"`
	FavouritesCount int `json:"favourites_count"`
}

// AccountID is the id of the account token belongs to.
func (s *Server) AccountID(t testing.TB, token string) string {
	t.Helper()
	var me struct {
		ID string `json:"id"`
	}
	s.API(t, token, http.MethodGet, "/api/v1/accounts/verify_credentials", nil, &me)
	return me.ID
}

// Statuses lists every status of the account token belongs to, newest
// first, direct ones included: what is on the server, for counting
// duplicates and losses.
func (s *Server) Statuses(t testing.TB, token string) []Status {
	t.Helper()
	sts, err := s.ListStatuses(token)
	if err != nil {
		t.Fatal(err)
	}
	return sts
}

// ListStatuses is Statuses without a test.
func (s *Server) ListStatuses(token string) ([]Status, error) {
	status, body, err := s.Call(token, http.MethodGet, "/api/v1/accounts/verify_credentials", nil)
	if err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("verify_credentials: HTTP %d %v: %s", status, err, body)
	}
	var me struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &me); err != nil {
		return nil, err
	}
	var all []Status
	maxID := ""
	for {
		q := url.Values{"limit": {"40"}}
		if maxID != "" {
			q.Set("max_id", maxID)
		}
		status, body, err := s.Call(token, http.MethodGet, "/api/v1/accounts/"+me.ID+"/statuses?"+q.Encode(), nil)
		if err != nil || status != http.StatusOK {
			return nil, fmt.Errorf("listing statuses: HTTP %d %v: %s", status, err, body)
		}
		var page []Status
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return all, nil
		}
		all = append(all, page...)
		maxID = page[len(page)-1].ID
	}
}
