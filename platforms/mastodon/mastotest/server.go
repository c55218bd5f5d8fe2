// Package mastotest is an in-memory Mastodon server for tests. It follows
// the request and response shapes of Mastodon's documented client API for
// the calls crier makes: instance configuration, statuses (with
// Idempotency-Key and server-side length validation), media with
// asynchronous processing, notifications and conversations with Link
// paging, favourites and boosts, hashtag timelines and status search,
// account statuses, verify_credentials, app registration and OAuth
// with PKCE, bearer-token auth and rate limits. Faults can be injected per
// request, and helpers act as other users (mentions, favourites, follows,
// direct messages), or give a test a token to act as one through the API.
//
// mastotest is for fast unit tests. The same client is also tested against
// a real Mastodon-API server, GoToSocial v0.17.3 (platforms/mastodon's
// live tests, with gtstest). Where that server behaves otherwise than this
// one (and than the documentation it follows), as seen there:
//
//   - Idempotency-Key is ignored: the same POST twice makes two statuses
//     (Config.IgnoreIdempotencyKey).
//   - GET /api/v1/statuses?id[] answers 405; single reads work
//     (Config.StatusesIndexStatus).
//   - The length of a status is its code points as written, links and
//     mentions' domains included, though the instance reports
//     characters_reserved_per_url 25; an overlong status is refused with
//     400 and the count ("status too long, 5035 characters provided"), not
//     422 (Config.Software "gotosocial"; GoToSocial sets all of these).
//   - The instance answers version "0.17.3" and its source_url, 5000
//     characters, 6 attachments, and no media description_limit.
//   - A status carries its source "text" for its author.
//   - Ids are 26-character ULIDs, not numbers.
//   - Paging Link headers name the configured host without its port.
//   - New accounts are locked: a follow is a request until approved
//     (Follow here simply adds a follower).
//   - PKCE is ignored: code_challenge and code_verifier are dropped.
//   - A search for words finds no statuses (no full-text search); the
//     hashtag timeline works (Config.NoFullTextSearch).
package mastotest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/crier-app/crier/platforms/mastodon"
)

// Config is what the server allows. Zero fields take Default's values.
type Config struct {
	MaxChars         int   // configuration.statuses.max_characters
	URLChars         int   // characters_reserved_per_url
	MaxMedia         int   // max_media_attachments
	DescriptionLimit int   // media_attachments.description_limit
	ImageSizeLimit   int64 // media_attachments.image_size_limit
	APIVersion       int   // api_versions.mastodon

	// SyncMedia makes POST /api/v2/media answer 200 at once; otherwise it
	// answers 202 and GET /api/v1/media/:id answers 206 MediaPolls times
	// before 200.
	SyncMedia  bool
	MediaPolls int

	// RateLimit is the number of calls a token may make in a five-minute
	// window (0: unlimited, and no rate-limit headers).
	RateLimit int

	// NoStatusesIndex makes GET /api/v1/statuses answer 404, as servers
	// before 4.3 do.
	NoStatusesIndex bool
	// StatusesIndexMax is how many ids GET /api/v1/statuses honours; the
	// rest are ignored.
	StatusesIndexMax int
	// NoFullTextSearch makes GET /api/v2/search find no statuses, as on a
	// server without Elasticsearch.
	NoFullTextSearch bool

	// Software is what the server says it runs: "" is Mastodon 4.5;
	// "gotosocial" answers the instance as GoToSocial v0.17.3 does and
	// counts a status as it does (code points, links as written, refused
	// with 400 and the count); any other name is an unknown server
	// (version "2.7.2 (compatible; NAME)", no source_url) that counts as
	// Mastodon does.
	Software string
	// IgnoreIdempotencyKey makes a repeated status POST with the same key
	// create a second status, as GoToSocial v0.17.3 does.
	IgnoreIdempotencyKey bool
	// StatusesIndexStatus, when set, is the status GET /api/v1/statuses
	// answers with instead of the statuses (GoToSocial v0.17.3: 405).
	StatusesIndexStatus int
	// Markdown renders **bold** and *emphasis* in status HTML, as
	// GoToSocial does for an account whose posts are Markdown: the HTML no
	// longer reads back as the text that was sent.
	Markdown bool

	// Now is the server's clock; the Date header of every answer reads it.
	Now func() time.Time
}

// GoToSocial is a server that behaves as GoToSocial v0.17.3 does where
// crier has seen it differ from Mastodon: its instance answer and counting
// (Software), 5000 characters and 25 per URL reported, six attachments,
// the Idempotency-Key ignored, the batch status read answered 405.
var GoToSocial = Config{
	Software:             "gotosocial",
	MaxChars:             5000,
	URLChars:             25,
	MaxMedia:             6,
	IgnoreIdempotencyKey: true,
	StatusesIndexStatus:  http.StatusMethodNotAllowed,
}

// Default is a server with a raised character limit (1000), so a client
// that assumes the stock 500 is caught.
var Default = Config{
	MaxChars:         1000,
	URLChars:         23,
	MaxMedia:         4,
	DescriptionLimit: 1500,
	ImageSizeLimit:   16 << 20,
	APIVersion:       7,
	MediaPolls:       1,
	StatusesIndexMax: 20,
}

// Fault is an injected failure for the next matching request.
type Fault struct {
	Status int    // answer with this status (and Body, or {"error": ...})
	Body   string // JSON body for Status
	Header http.Header
	// Land processes the request normally first, then answers with the
	// fault: the server acted but the client is told otherwise.
	Land bool
	// Drop reads the request (processing it when Land is set) and closes
	// the connection without answering.
	Drop bool
	// Hang reads the request and answers nothing until the client gives up.
	Hang bool
	// Times is how many matching requests the fault applies to (1 if 0).
	Times int
}

// Account is a user on (or known to) the server.
type Account struct {
	ID       string
	Username string
	Acct     string // username, or username@domain for a remote account
}

// Status is a snapshot of a status, for assertions.
type Status struct {
	ID          string
	AccountID   string
	Text        string
	Visibility  string
	InReplyToID string
	MediaIDs    []string
	CreatedAt   time.Time
	Favourites  int
	Reblogs     int
}

// Media is a snapshot of an uploaded attachment.
type Media struct {
	ID          string
	Description string
	ContentType string
	Size        int
}

// Server is a running test server. It is safe for concurrent use.
type Server struct {
	URL string
	ts  *httptest.Server

	mu       sync.Mutex
	cfg      Config
	nextID   int64
	me       string
	token    string
	accounts map[string]*account
	tokens   map[string]string // bearer token -> account id
	statuses map[string]*status
	idem     map[string]idemEntry
	media    map[string]*media
	notifs   []*notif
	convs    map[string]*conv
	apps     map[string]*app
	codes    map[string]*authCode
	faults   []*faultRule
	windows  map[string]*window
	requests []string
	failNext bool // media processing fails
	closed   chan struct{}
}

type account struct {
	id, username, domain, displayName string
	followers                         int
}

func (a *account) acct() string {
	if a.domain == "" {
		return a.username
	}
	return a.username + "@" + a.domain
}

type status struct {
	id, accountID, text, spoiler, visibility string
	inReplyTo, inReplyToAccount, quoteOf     string
	mediaIDs                                 []string
	conv                                     string
	createdAt                                time.Time
	favs, reblogs, replies, quotes           int
	favouritedBy                             map[string]bool   // through the API
	rebloggedBy                              map[string]string // account id -> the boost's id
	editedAt                                 time.Time         // zero when never edited
	versions                                 []version         // earlier texts, oldest first
}

// version is a status's text before an edit.
type version struct {
	text string
	at   time.Time
}

type idemEntry struct {
	statusID string
	at       time.Time
}

type media struct {
	id, accountID, description, contentType string
	size, pollsLeft                         int
	failed                                  bool
}

type notif struct {
	id, typ, accountID, statusID string
	at                           time.Time
}

// conv is a thread of direct statuses. Every member lists it among their
// conversations under the same id (a real server gives each member an id
// of their own), with the other members as its accounts.
type conv struct {
	id         string
	members    []string // the ids of the author and the mentioned of its first status
	lastStatus string
	unread     map[string]bool // by member: a status from someone else is unread
}

type app struct {
	clientID, secret, name, redirect string
	scopes                           []string
}

type authCode struct {
	clientID, challenge, method, redirect string
	used                                  bool
}

type faultRule struct {
	method, path string
	f            Fault
	left         int
}

type window struct {
	start time.Time
	count int
}

// orDefault sets *v to def where it is zero.
func orDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// New starts a server with cfg; zero fields of cfg take Default's values.
// The account the default token belongs to is "crier" with 42 followers.
func New(cfg Config) *Server {
	def := Default
	orDefault(&cfg.MaxChars, def.MaxChars)
	orDefault(&cfg.URLChars, def.URLChars)
	orDefault(&cfg.MaxMedia, def.MaxMedia)
	orDefault(&cfg.DescriptionLimit, def.DescriptionLimit)
	orDefault(&cfg.ImageSizeLimit, def.ImageSizeLimit)
	orDefault(&cfg.APIVersion, def.APIVersion)
	orDefault(&cfg.StatusesIndexMax, def.StatusesIndexMax)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{
		cfg:      cfg,
		nextID:   110000000000000000,
		accounts: map[string]*account{},
		tokens:   map[string]string{},
		statuses: map[string]*status{},
		idem:     map[string]idemEntry{},
		media:    map[string]*media{},
		convs:    map[string]*conv{},
		apps:     map[string]*app{},
		codes:    map[string]*authCode{},
		windows:  map[string]*window{},
		closed:   make(chan struct{}),
	}
	me := s.addAccount("crier", "", "Crier Shop")
	me.followers = 42
	s.me = me.id
	s.token = "token-" + randomString(8)
	s.tokens[s.token] = me.id

	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.ts.URL
	return s
}

// Close shuts the server down, releasing any hanging requests.
func (s *Server) Close() {
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
	s.ts.Close()
}

// Token is a valid bearer token of the server's own account.
func (s *Server) Token() string { return s.token }

// Me is the account Token belongs to.
func (s *Server) Me() Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accounts[s.me].snapshot()
}

func (a *account) snapshot() Account {
	return Account{ID: a.id, Username: a.username, Acct: a.acct()}
}

// AddAccount creates another user: "alice" on this server or
// "alice@other.example" on another.
func (s *Server) AddAccount(acct string) Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	user, domain, _ := strings.Cut(acct, "@")
	return s.addAccount(user, domain, strings.ToUpper(user[:1])+user[1:]).snapshot()
}

func (s *Server) addAccount(user, domain, name string) *account {
	a := &account{id: s.newID(), username: user, domain: domain, displayName: name}
	s.accounts[a.id] = a
	return a
}

// TokenFor returns a new bearer token for accountID, a local account made
// with AddAccount, so a test can act as that user through the API (with a
// second client, say). Notifications are kept for the server's own account
// only: other accounts have none.
func (s *Server) TokenFor(accountID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok || a.domain != "" {
		panic("mastotest: no local account " + accountID)
	}
	tok := "token-" + randomString(8)
	s.tokens[tok] = a.id
	return tok
}

// SetFollowers sets the server's own account's follower count.
func (s *Server) SetFollowers(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[s.me].followers = n
}

// SetMaxChars changes max_characters, as an admin might.
func (s *Server) SetMaxChars(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.MaxChars = n
}

// SetRateLimit changes the calls a token may make per window, starting a
// new window.
func (s *Server) SetRateLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.RateLimit = n
	s.windows = map[string]*window{}
}

// FailMediaProcessing makes media uploaded from now on fail processing
// (GET /api/v1/media/:id answers 422).
func (s *Server) FailMediaProcessing(fail bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = fail
}

// Inject makes the next requests with method to path fail as f says.
// method "" matches any method.
func (s *Server) Inject(method, path string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := f.Times
	if n <= 0 {
		n = 1
	}
	s.faults = append(s.faults, &faultRule{method: method, path: path, f: f, left: n})
}

// ClearFaults drops the faults not yet used.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Requests lists the requests served so far, as "METHOD /path?query".
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Count is how many requests with method went to path (query ignored).
func (s *Server) Count(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		m, rest, _ := strings.Cut(r, " ")
		p, _, _ := strings.Cut(rest, "?")
		if m == method && p == path {
			n++
		}
	}
	return n
}

// Statuses returns the statuses of accountID, oldest first.
func (s *Server) Statuses(accountID string) []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Status
	for _, st := range s.sortedStatuses() {
		if st.accountID == accountID {
			out = append(out, st.snapshot())
		}
	}
	return out
}

// Status returns one status.
func (s *Server) Status(id string) (Status, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return found(s.statuses[id], (*status).snapshot)
}

// found is conv(p), true, or the zero R and false where p is nil (not in
// the server's maps).
func found[P, R any](p *P, conv func(*P) R) (R, bool) {
	if p == nil {
		var zero R
		return zero, false
	}
	return conv(p), true
}

func (st *status) snapshot() Status {
	return Status{ID: st.id, AccountID: st.accountID, Text: st.text, Visibility: st.visibility,
		InReplyToID: st.inReplyTo, MediaIDs: slices.Clone(st.mediaIDs), CreatedAt: st.createdAt,
		Favourites: st.favs, Reblogs: st.reblogs}
}

// ConversationOf is the id of the conversation holding direct status
// statusID, or "".
func (s *Server) ConversationOf(statusID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.statuses[statusID]; ok {
		return st.conv
	}
	return ""
}

// Media returns an uploaded attachment.
func (s *Server) Media(id string) (Media, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return found(s.media[id], (*media).snapshot)
}

func (m *media) snapshot() Media {
	return Media{ID: m.id, Description: m.description, ContentType: m.contentType, Size: m.size}
}

// Post creates a status by accountID, as another user would: visibility
// "public" or "direct", inReplyTo "" or a status id. A status mentioning
// the server's own account notifies it (mention); a direct one joins or
// starts a conversation.
func (s *Server) Post(accountID, text, visibility, inReplyTo string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.createStatus(accountID, text, "", visibility, inReplyTo, "", nil)
	if err != nil {
		panic("mastotest: " + err.Error())
	}
	return st.id
}

// Edit changes the text of status id, as its author would in their app: it
// is marked edited and its earlier text is kept in its history.
func (s *Server) Edit(id, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.mustStatus(id)
	if len(st.versions) == 0 {
		st.versions = append(st.versions, version{text: st.text, at: st.createdAt})
	}
	st.text, st.editedAt = text, s.cfg.Now()
	st.versions = append(st.versions, version{text: text, at: st.editedAt})
}

// Delete removes status id, as its author would.
func (s *Server) Delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustStatus(id)
	delete(s.statuses, id)
}

// Favourite has accountID favourite statusID.
func (s *Server) Favourite(accountID, statusID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.mustStatus(statusID)
	st.favs++
	s.notify("favourite", accountID, st)
}

// Reblog has accountID boost statusID.
func (s *Server) Reblog(accountID, statusID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.mustStatus(statusID)
	st.reblogs++
	s.notify("reblog", accountID, st)
}

// Follow has accountID follow the server's own account.
func (s *Server) Follow(accountID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[s.me].followers++
	s.notify("follow", accountID, nil)
}

// Quote has accountID quote statusID with text and returns the new status.
func (s *Server) Quote(accountID, statusID, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	quoted := s.mustStatus(statusID)
	st, err := s.createStatus(accountID, text, "", "public", "", statusID, nil)
	if err != nil {
		panic("mastotest: " + err.Error())
	}
	quoted.quotes++
	if quoted.accountID == s.me {
		s.notify("quote", accountID, st)
	}
	return st.id
}

func (s *Server) mustStatus(id string) *status {
	st, ok := s.statuses[id]
	if !ok {
		panic("mastotest: no status " + id)
	}
	return st
}

func (s *Server) notify(typ, from string, st *status) {
	n := &notif{id: s.newID(), typ: typ, accountID: from, at: s.cfg.Now()}
	if st != nil {
		n.statusID = st.id
	}
	s.notifs = append(s.notifs, n)
}

// Authorize stands in for the user approving the app at authorizeURL (as
// built by mastodon.AuthorizeURL) and returns the code the server shows.
func (s *Server) Authorize(authorizeURL string) (string, error) {
	u, err := url.Parse(authorizeURL)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authorize(u.Query())
}

func (s *Server) authorize(q url.Values) (string, error) {
	if q.Get("response_type") != "code" {
		return "", fmt.Errorf("response_type must be code")
	}
	a, ok := s.apps[q.Get("client_id")]
	if !ok {
		return "", fmt.Errorf("unknown client")
	}
	if q.Get("redirect_uri") != a.redirect {
		return "", fmt.Errorf("redirect_uri does not match the app's")
	}
	for _, sc := range strings.Fields(q.Get("scope")) {
		if !slices.Contains(a.scopes, sc) {
			return "", fmt.Errorf("scope %s was not registered", sc)
		}
	}
	method := q.Get("code_challenge_method")
	if q.Get("code_challenge") != "" && method != "S256" {
		return "", fmt.Errorf("code_challenge_method must be S256")
	}
	code := randomString(16)
	s.codes[code] = &authCode{clientID: a.clientID, challenge: q.Get("code_challenge"), method: method, redirect: a.redirect}
	return code, nil
}

// newID returns a fresh id, greater than every earlier one.
func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ---- serving ----

type ctxKey struct{}

// serve records the request, checks auth and the rate limit, applies any
// fault, and hands over to the route.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.RequestURI())
	w.Header().Set("Date", s.cfg.Now().UTC().Format(http.TimeFormat))
	s.mu.Unlock()

	public := r.URL.Path == "/api/v2/instance" || r.URL.Path == "/api/v1/instance" ||
		r.URL.Path == "/api/v1/apps" || strings.HasPrefix(r.URL.Path, "/oauth/")
	var who string
	if !public {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		who = s.tokens[tok]
		s.mu.Unlock()
		if !ok || who == "" {
			writeError(w, http.StatusUnauthorized, "The access token is invalid")
			return
		}
		if !s.allow(w, tok) {
			return
		}
	}

	s.mu.Lock()
	fault := s.takeFault(r)
	s.mu.Unlock()
	if fault != nil {
		s.applyFault(w, r, who, fault)
		return
	}
	s.route(w, r, who)
}

// takeFault returns the fault for r, if one is queued.
func (s *Server) takeFault(r *http.Request) *Fault {
	for i, fr := range s.faults {
		if (fr.method == "" || fr.method == r.Method) && fr.path == r.URL.Path {
			fr.left--
			if fr.left <= 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
			f := fr.f
			return &f
		}
	}
	return nil
}

func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, who string, f *Fault) {
	if f.Land {
		s.route(httptest.NewRecorder(), r, who)
	} else {
		_, _ = io.Copy(io.Discard, r.Body)
	}
	switch {
	case f.Drop:
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic("mastotest: cannot drop the connection")
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			conn.Close()
		}
	case f.Hang:
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
	default:
		for k, vs := range f.Header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		if f.Body != "" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(f.Status)
			_, _ = io.WriteString(w, f.Body)
			return
		}
		writeError(w, f.Status, http.StatusText(f.Status))
	}
}

// allow counts a call against the token's window and answers 429 when the
// budget is spent. Headers follow Mastodon: Reset is an ISO 8601 time.
func (s *Server) allow(w http.ResponseWriter, tok string) bool {
	s.mu.Lock()
	limit := s.cfg.RateLimit
	if limit <= 0 {
		s.mu.Unlock()
		return true
	}
	now := s.cfg.Now()
	win, ok := s.windows[tok]
	if !ok || !now.Before(win.start.Add(5*time.Minute)) {
		win = &window{start: now.Truncate(5 * time.Minute)}
		s.windows[tok] = win
	}
	win.count++
	remaining := max(limit-win.count, 0)
	reset := win.start.Add(5 * time.Minute)
	over := win.count > limit
	s.mu.Unlock()

	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", ResetHeader(reset))
	if over {
		writeError(w, http.StatusTooManyRequests, "Too many requests")
		return false
	}
	return true
}

// ResetHeader formats t as Mastodon's X-RateLimit-Reset does.
func ResetHeader(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (s *Server) route(w http.ResponseWriter, r *http.Request, who string) {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodGet && p == "/api/v2/instance":
		s.getInstance(w, 2)
	case r.Method == http.MethodGet && p == "/api/v1/instance":
		s.getInstance(w, 1)
	case r.Method == http.MethodPost && p == "/api/v1/statuses":
		s.postStatus(w, r, who)
	case r.Method == http.MethodGet && p == "/api/v1/statuses":
		s.getStatuses(w, r)
	case r.Method == http.MethodPost && strings.HasPrefix(p, "/api/v1/statuses/"):
		s.postStatusAction(w, strings.TrimPrefix(p, "/api/v1/statuses/"), who)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v1/timelines/tag/"):
		s.getTagTimeline(w, r, strings.TrimPrefix(p, "/api/v1/timelines/tag/"))
	case r.Method == http.MethodGet && p == "/api/v2/search":
		s.getSearch(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v1/statuses/") && strings.HasSuffix(p, "/source"):
		s.getStatusSource(w, strings.TrimSuffix(strings.TrimPrefix(p, "/api/v1/statuses/"), "/source"), who)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v1/statuses/") && strings.HasSuffix(p, "/history"):
		s.getStatusHistory(w, strings.TrimSuffix(strings.TrimPrefix(p, "/api/v1/statuses/"), "/history"))
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v1/statuses/"):
		s.getStatus(w, strings.TrimPrefix(p, "/api/v1/statuses/"))
	case r.Method == http.MethodPost && p == "/api/v2/media":
		s.postMedia(w, r, who)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v1/media/"):
		s.getMedia(w, strings.TrimPrefix(p, "/api/v1/media/"), who)
	case r.Method == http.MethodGet && p == "/api/v1/notifications":
		s.getNotifications(w, r, who)
	case r.Method == http.MethodGet && p == "/api/v1/conversations":
		s.getConversations(w, r, who)
	case r.Method == http.MethodGet && p == "/api/v1/accounts/verify_credentials":
		s.mu.Lock()
		a := s.renderAccount(s.accounts[who])
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, a)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v1/accounts/") && strings.HasSuffix(p, "/statuses"):
		s.getAccountStatuses(w, r, strings.TrimSuffix(strings.TrimPrefix(p, "/api/v1/accounts/"), "/statuses"), who)
	case r.Method == http.MethodPost && p == "/api/v1/apps":
		s.postApp(w, r)
	case r.Method == http.MethodGet && p == "/oauth/authorize":
		s.mu.Lock()
		code, err := s.authorize(r.URL.Query())
		s.mu.Unlock()
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": err.Error()})
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, code)
	case r.Method == http.MethodPost && p == "/oauth/token":
		s.postToken(w, r)
	default:
		writeError(w, http.StatusNotFound, "Record not found")
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// getInstance answers the v2 Instance, or for version 1 the v1 shape of
// its configuration (no description_limit, no api_versions).
func (s *Server) getInstance(w http.ResponseWriter, version int) {
	s.mu.Lock()
	cfg := s.cfg
	s.mu.Unlock()
	if version == 1 {
		writeJSON(w, http.StatusOK, map[string]any{
			"uri":     "mastotest.example",
			"title":   "mastotest",
			"version": "3.5.0",
			"configuration": map[string]any{
				"statuses": map[string]any{
					"max_characters":              cfg.MaxChars,
					"max_media_attachments":       cfg.MaxMedia,
					"characters_reserved_per_url": cfg.URLChars,
				},
				"media_attachments": map[string]any{"image_size_limit": cfg.ImageSizeLimit},
			},
		})
		return
	}
	software, source := "4.5.0", "https://github.com/mastodon/mastodon"
	switch cfg.Software {
	case "":
	case "gotosocial":
		software, source = "0.17.3", "https://github.com/superseriousbusiness/gotosocial"
	default:
		software, source = "2.7.2 (compatible; "+cfg.Software+")", ""
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"domain":     "mastotest.example",
		"title":      "mastotest",
		"version":    software,
		"source_url": source,
		"configuration": map[string]any{
			"statuses": map[string]any{
				"max_characters":              cfg.MaxChars,
				"max_media_attachments":       cfg.MaxMedia,
				"characters_reserved_per_url": cfg.URLChars,
			},
			"media_attachments": map[string]any{
				"supported_mime_types": []string{"image/jpeg", "image/png", "image/gif", "image/webp"},
				"description_limit":    cfg.DescriptionLimit,
				"image_size_limit":     cfg.ImageSizeLimit,
				"image_matrix_limit":   33177600,
			},
		},
		"api_versions": map[string]int{"mastodon": cfg.APIVersion},
	})
}

// ---- statuses ----

func (s *Server) postStatus(w http.ResponseWriter, r *http.Request, who string) {
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := r.Header.Get("Idempotency-Key")
	idemKey := who + "\x00" + key
	if key != "" && !s.cfg.IgnoreIdempotencyKey {
		if e, ok := s.idem[idemKey]; ok && s.cfg.Now().Sub(e.at) < time.Hour {
			if st, ok := s.statuses[e.statusID]; ok {
				writeJSON(w, http.StatusOK, s.renderStatus(st))
				return
			}
		}
	}
	vis := r.PostForm.Get("visibility")
	if vis == "" {
		vis = "public"
	}
	st, err := s.createStatus(who, r.PostForm.Get("status"), r.PostForm.Get("spoiler_text"), vis,
		r.PostForm.Get("in_reply_to_id"), "", r.PostForm["media_ids[]"])
	if err != nil {
		writeError(w, err.code, err.msg)
		return
	}
	if key != "" {
		s.idem[idemKey] = idemEntry{statusID: st.id, at: s.cfg.Now()}
	}
	writeJSON(w, http.StatusOK, s.renderStatus(st))
}

type httpErr struct {
	code int
	msg  string
}

func (e *httpErr) Error() string { return e.msg }

// createStatus validates and stores a status, with its side effects:
// reply counts, mention notifications for the server's own account, and
// conversations for direct statuses.
func (s *Server) createStatus(who, text, spoiler, vis, inReplyTo, quoteOf string, mediaIDs []string) (*status, *httpErr) {
	switch vis {
	case "public", "unlisted", "private", "direct":
	default:
		return nil, &httpErr{http.StatusUnprocessableEntity, "Validation failed: Visibility is not included in the list"}
	}
	if strings.TrimSpace(text) == "" && len(mediaIDs) == 0 {
		return nil, &httpErr{http.StatusUnprocessableEntity, "Validation failed: Text can't be blank"}
	}
	if s.cfg.Software == "gotosocial" {
		if n := utf8.RuneCountInString(text) + utf8.RuneCountInString(spoiler); n > s.cfg.MaxChars {
			return nil, &httpErr{http.StatusBadRequest, fmt.Sprintf(
				"Bad Request: status too long, %d characters provided (including content warning) but limit is %d", n, s.cfg.MaxChars)}
		}
	} else if n := mastodon.Length(text, spoiler, s.cfg.URLChars); n > s.cfg.MaxChars {
		return nil, &httpErr{http.StatusUnprocessableEntity,
			fmt.Sprintf("Validation failed: Text character limit of %d exceeded", s.cfg.MaxChars)}
	}
	if len(mediaIDs) > s.cfg.MaxMedia {
		return nil, &httpErr{http.StatusUnprocessableEntity,
			fmt.Sprintf("Validation failed: Cannot attach more than %d files", s.cfg.MaxMedia)}
	}
	for _, id := range mediaIDs {
		m, ok := s.media[id]
		if !ok || m.accountID != who {
			return nil, &httpErr{http.StatusUnprocessableEntity, "Validation failed: Media attachments are invalid"}
		}
		if m.pollsLeft > 0 || m.failed {
			return nil, &httpErr{http.StatusUnprocessableEntity,
				"Cannot attach files that have not finished processing. Try again in a moment!"}
		}
	}
	var parent *status
	if inReplyTo != "" {
		var ok bool
		if parent, ok = s.statuses[inReplyTo]; !ok {
			return nil, &httpErr{http.StatusNotFound, "Record not found"}
		}
	}
	st := &status{id: s.newID(), accountID: who, text: text, spoiler: spoiler, visibility: vis,
		quoteOf: quoteOf, mediaIDs: slices.Clone(mediaIDs), createdAt: s.cfg.Now()}
	if parent != nil {
		st.inReplyTo, st.inReplyToAccount = parent.id, parent.accountID
		parent.replies++
	}
	s.statuses[st.id] = st

	mentioned := s.mentionedAccounts(text)
	if who != s.me && slices.Contains(mentioned, s.me) {
		s.notify("mention", who, st)
	}
	if vis == "direct" {
		s.joinConversation(st, parent, mentioned)
	}
	return st, nil
}

// joinConversation files a direct status under its parent's conversation,
// or starts one whose members are its author and the accounts it mentions.
func (s *Server) joinConversation(st, parent *status, mentioned []string) {
	var cv *conv
	if parent != nil && parent.conv != "" {
		cv = s.convs[parent.conv]
	}
	if cv == nil {
		cv = &conv{id: s.newID(), unread: map[string]bool{}}
		for _, p := range append([]string{st.accountID}, mentioned...) {
			if !slices.Contains(cv.members, p) {
				cv.members = append(cv.members, p)
			}
		}
		s.convs[cv.id] = cv
	}
	st.conv = cv.id
	cv.lastStatus = st.id
	for _, m := range cv.members {
		cv.unread[m] = m != st.accountID
	}
}

// mentionedAccounts returns the ids of known accounts mentioned in text.
func (s *Server) mentionedAccounts(text string) []string {
	var out []string
	for _, m := range findMentions(text) {
		if a := s.accountByAcct(m.user, m.domain); a != nil && !slices.Contains(out, a.id) {
			out = append(out, a.id)
		}
	}
	return out
}

func (s *Server) accountByAcct(user, domain string) *account {
	for _, a := range s.accounts {
		if strings.EqualFold(a.username, user) && strings.EqualFold(a.domain, domain) {
			return a
		}
	}
	return nil
}

func (s *Server) getStatuses(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.NoStatusesIndex {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	if s.cfg.StatusesIndexStatus != 0 {
		writeError(w, s.cfg.StatusesIndexStatus, http.StatusText(s.cfg.StatusesIndexStatus))
		return
	}
	ids := r.URL.Query()["id[]"]
	if len(ids) > s.cfg.StatusesIndexMax {
		ids = ids[:s.cfg.StatusesIndexMax]
	}
	out := []any{}
	for _, id := range ids {
		if st, ok := s.statuses[id]; ok {
			out = append(out, s.renderStatus(st))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// findStatus is status id (only its author's, when who is set), or a 404
// written to w, as Mastodon answers for a status it does not have or does
// not show. The caller holds s.mu.
func (s *Server) findStatus(w http.ResponseWriter, id, who string) (*status, bool) {
	st, ok := s.statuses[id]
	if !ok || who != "" && st.accountID != who {
		writeError(w, http.StatusNotFound, "Record not found")
		return nil, false
	}
	return st, true
}

func (s *Server) getStatus(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.findStatus(w, id, "")
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, s.renderStatus(st))
}

// getStatusSource answers GET /api/v1/statuses/:id/source: the text as
// its author wrote it (only to its author).
func (s *Server) getStatusSource(w http.ResponseWriter, id, who string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.findStatus(w, id, who)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": st.id, "text": st.text, "spoiler_text": st.spoiler})
}

// getStatusHistory answers GET /api/v1/statuses/:id/history: every version
// of the status, oldest first (only the current one if never edited).
func (s *Server) getStatusHistory(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.findStatus(w, id, "")
	if !ok {
		return
	}
	versions := st.versions
	if len(versions) == 0 {
		versions = []version{{text: st.text, at: st.createdAt}}
	}
	out := []any{}
	for _, v := range versions {
		out = append(out, map[string]any{
			"content": s.formatContent(v.text), "spoiler_text": st.spoiler, "sensitive": false,
			"created_at": v.at.UTC().Format(time.RFC3339Nano), "account": s.renderAccount(s.accounts[st.accountID]),
			"media_attachments": s.renderAttachments(st.mediaIDs), "emojis": []any{},
		})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getAccountStatuses(w http.ResponseWriter, r *http.Request, accountID, who string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[accountID]; !ok {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	var items []pageItem
	for _, st := range s.sortedStatuses() {
		if st.accountID == accountID && s.listedTo(st, who) {
			items = append(items, pageItem{key: st.id, v: s.renderStatus(st)})
		}
	}
	s.writePage(w, r, items, 20, 40)
}

// listedTo reports whether an account's statuses list st to who, as
// Mastodon's AccountStatusesFilter does: its author sees every status,
// direct ones included; others see public and unlisted statuses and those
// that mention them. (Followers also see private statuses there; mastotest
// does not keep who follows whom.)
func (s *Server) listedTo(st *status, who string) bool {
	switch {
	case st.accountID == who, st.visibility == "public", st.visibility == "unlisted":
		return true
	}
	return slices.Contains(s.mentionedAccounts(st.text), who)
}

// sortedStatuses returns all statuses, oldest first.
func (s *Server) sortedStatuses() []*status {
	out := make([]*status, 0, len(s.statuses))
	for _, st := range s.statuses {
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b *status) int { return mastodon.CompareIDs(a.id, b.id) })
	return out
}

// ---- media ----

func (s *Server) postMedia(w http.ResponseWriter, r *http.Request, who string) {
	if err := r.ParseMultipartForm(64 << 20); err != nil {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: File can't be blank")
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: File can't be blank")
		return
	}
	data, _ := io.ReadAll(file)
	file.Close()
	ctype := hdr.Header.Get("Content-Type")
	desc := r.FormValue("description")

	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case !strings.HasPrefix(ctype, "image/"):
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: File content type is invalid, File is invalid")
		return
	case int64(len(data)) > s.cfg.ImageSizeLimit:
		writeError(w, http.StatusUnprocessableEntity,
			fmt.Sprintf("Validation failed: File file size must be less than %d Bytes", s.cfg.ImageSizeLimit))
		return
	case utf8.RuneCountInString(desc) > s.cfg.DescriptionLimit: // Ruby counts code points here
		writeError(w, http.StatusUnprocessableEntity,
			fmt.Sprintf("Validation failed: Description is too long (maximum is %d characters)", s.cfg.DescriptionLimit))
		return
	}
	m := &media{id: s.newID(), accountID: who, description: desc, contentType: ctype, size: len(data), failed: s.failNext}
	if !s.cfg.SyncMedia {
		m.pollsLeft = s.cfg.MediaPolls
	}
	s.media[m.id] = m
	if s.cfg.SyncMedia {
		writeJSON(w, http.StatusOK, s.renderMedia(m, true))
		return
	}
	writeJSON(w, http.StatusAccepted, s.renderMedia(m, false))
}

func (s *Server) getMedia(w http.ResponseWriter, id, who string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	switch {
	case !ok || m.accountID != who:
		writeError(w, http.StatusNotFound, "Record not found")
	case m.failed:
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: File could not be processed")
	case m.pollsLeft > 0:
		m.pollsLeft--
		w.WriteHeader(http.StatusPartialContent)
	default:
		writeJSON(w, http.StatusOK, s.renderMedia(m, true))
	}
}

// ---- notifications and conversations ----

func (s *Server) getNotifications(w http.ResponseWriter, r *http.Request, who string) {
	q := r.URL.Query()
	types, exclude := q["types[]"], q["exclude_types[]"]
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []pageItem
	for _, n := range s.notifs {
		if who != s.me || (len(types) > 0 && !slices.Contains(types, n.typ)) || slices.Contains(exclude, n.typ) {
			continue
		}
		v := map[string]any{
			"id":         n.id,
			"type":       n.typ,
			"created_at": n.at.UTC().Format(time.RFC3339Nano),
			"account":    s.renderAccount(s.accounts[n.accountID]),
		}
		if st, ok := s.statuses[n.statusID]; ok {
			v["status"] = s.renderStatus(st)
		}
		items = append(items, pageItem{key: n.id, v: v})
	}
	s.writePage(w, r, items, 40, 80)
}

func (s *Server) getConversations(w http.ResponseWriter, r *http.Request, who string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []pageItem
	for _, cv := range s.convs {
		if !slices.Contains(cv.members, who) {
			continue
		}
		accts := []any{}
		for _, m := range cv.members {
			if m != who {
				accts = append(accts, s.renderAccount(s.accounts[m]))
			}
		}
		items = append(items, pageItem{key: cv.lastStatus, v: map[string]any{
			"id":          cv.id,
			"unread":      cv.unread[who],
			"accounts":    accts,
			"last_status": s.renderStatus(s.statuses[cv.lastStatus]),
		}})
	}
	slices.SortFunc(items, func(a, b pageItem) int { return mastodon.CompareIDs(a.key, b.key) })
	s.writePage(w, r, items, 20, 40)
}

// pageItem is one entry of a paged list, with the id it pages by.
type pageItem struct {
	key string
	v   any
}

// writePage answers one page of items (given oldest first) the way
// Mastodon pages: max_id and since_id bound the ids, min_id selects the
// items just after it; the page is newest first; Link has rel="next"
// (older, max_id) and rel="prev" (newer, min_id) when the page is not
// empty, keeping the other query parameters.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, items []pageItem, def, most int) {
	q := r.URL.Query()
	limit := def
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 {
		limit = min(l, most)
	}
	maxID, sinceID, minID := q.Get("max_id"), q.Get("since_id"), q.Get("min_id")
	var kept []pageItem
	for _, it := range items {
		if (maxID != "" && !idLess(it.key, maxID)) || (sinceID != "" && !idLess(sinceID, it.key)) ||
			(minID != "" && !idLess(minID, it.key)) {
			continue
		}
		kept = append(kept, it)
	}
	if minID != "" {
		kept = kept[:min(limit, len(kept))] // the oldest after min_id
	} else {
		kept = kept[max(len(kept)-limit, 0):] // the newest
	}
	slices.Reverse(kept)

	out := make([]any, len(kept))
	for i, it := range kept {
		out[i] = it.v
	}
	if len(kept) > 0 {
		link := func(param, id string) string {
			lq := url.Values{}
			for k, v := range q {
				if k != "max_id" && k != "min_id" && k != "since_id" {
					lq[k] = v
				}
			}
			lq.Set(param, id)
			return fmt.Sprintf("<%s%s?%s>", s.URL, r.URL.Path, lq.Encode())
		}
		w.Header().Set("Link", link("max_id", kept[len(kept)-1].key)+`; rel="next", `+link("min_id", kept[0].key)+`; rel="prev"`)
	}
	writeJSON(w, http.StatusOK, out)
}

func idLess(a, b string) bool { return mastodon.CompareIDs(a, b) < 0 }

// ---- apps and OAuth ----

func (s *Server) postApp(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	name := r.PostForm.Get("client_name")
	redirect := r.PostForm.Get("redirect_uris")
	switch {
	case name == "":
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Name can't be blank")
		return
	case redirect == "":
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Redirect URI must be an absolute URI.")
		return
	}
	scopes := strings.Fields(r.PostForm.Get("scopes"))
	if len(scopes) == 0 {
		scopes = []string{"read"}
	}
	s.mu.Lock()
	a := &app{clientID: randomString(16), secret: randomString(16), name: name, redirect: redirect, scopes: scopes}
	s.apps[a.clientID] = a
	id := s.newID()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"id":                       id,
		"name":                     name,
		"website":                  nil,
		"scopes":                   scopes,
		"redirect_uri":             redirect,
		"redirect_uris":            []string{redirect},
		"client_id":                a.clientID,
		"client_secret":            a.secret,
		"client_secret_expires_at": 0,
	})
}

func (s *Server) postToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	f := r.PostForm
	oauthErr := func(code int, name, desc string) {
		writeJSON(w, code, map[string]string{"error": name, "error_description": desc})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[f.Get("client_id")]
	if !ok || a.secret != f.Get("client_secret") {
		oauthErr(http.StatusUnauthorized, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")
		return
	}
	if f.Get("grant_type") != "authorization_code" {
		oauthErr(http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
		return
	}
	invalidGrant := func() {
		oauthErr(http.StatusBadRequest, "invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.")
	}
	code, ok := s.codes[f.Get("code")]
	if !ok || code.used || code.clientID != a.clientID || code.redirect != f.Get("redirect_uri") {
		invalidGrant()
		return
	}
	if code.challenge != "" {
		sum := sha256.Sum256([]byte(f.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != code.challenge {
			invalidGrant()
			return
		}
	}
	code.used = true
	tok := randomString(20)
	s.tokens[tok] = s.me
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"scope":        strings.Join(a.scopes, " "),
		"created_at":   s.cfg.Now().Unix(),
	})
}
