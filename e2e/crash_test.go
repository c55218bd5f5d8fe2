//go:build unix

package e2e

// The crash tests run the real crier binary headless (crier run) against
// test networks served from this process, kill it with SIGKILL at random
// moments while it sends, start it again each time, and then check that every
// queued post reached the network exactly once and every delivery reads
// sent. They are the end-to-end proof of the scheduler's promise: nothing
// sent twice, nothing queued dropped.
//
// What is particular to a network is kept to one function that starts it
// (startMastodon, startBluesky): it returns the accounts to write into the
// config and a way to list what each account holds on the server. A variant
// for another network is that function and a three-line test calling
// crashTest.
//
// Run them with
//
//	go test -run 'TestCrashKill|TestHeadlessStopsCleanly' -v ./e2e
//
// TestCrashKillBluesky runs the reference Bluesky servers
// (platforms/bluesky/testnet) and is skipped, like the other testnet tests,
// when Node 22 or PostgreSQL is missing; see that package for setting up.
//
// CRIER_CRASH_SEED=n replays a run's choice of kill moments (the timing of
// the machine still varies); each run logs the seed it used.

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms/bluesky"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
	"github.com/crier-app/crier/store"
)

const (
	// crashPosts are queued due now across two accounts; half go to both.
	crashPosts = 160
	// minKillsWhileSending is how many SIGKILLs must land while crier is
	// sending: after it claimed a delivery, with deliveries outstanding.
	minKillsWhileSending = 20
	// killPhaseLimit bounds the killing, so a crier that makes no progress
	// fails the test instead of running it into go test's timeout.
	killPhaseLimit = 2 * time.Minute
	// settleLimit is how long a last, undisturbed run may take to send the
	// rest. It covers a retry after a transient error (the scheduler's
	// first backoff is 15–30 s).
	settleLimit = 75 * time.Second
	// stopLimit is how soon crier must exit after SIGINT or SIGTERM.
	stopLimit = 5 * time.Second
)

var (
	// sentLine is the line the scheduler logs once it has written a
	// delivery's sent state to the database.
	sentLine = regexp.MustCompile(`delivery \d+ of post \d+ sent to`)
	// readyLine is crier run's startup line, logged once the database is
	// open and the networks are set up.
	readyLine = regexp.MustCompile(`sending queued posts until interrupted`)
	// leadLine is logged when a crier takes the sender lease.
	leadLine = regexp.MustCompile(`this crier \(.*\) sends`)
)

// TestCrashKillMastodon kills crier run at least 20 times while it sends 50
// posts to two Mastodon accounts, and checks that each post is on each of
// its accounts exactly once and every delivery reads sent.
func TestCrashKillMastodon(t *testing.T) {
	if testing.Short() {
		t.Skip("builds crier and kills it again and again")
	}
	t.Parallel()
	rng := seededRand(t)
	crashTest(t, startMastodon(t, rng), rng)
}

// TestCrashKillBluesky is TestCrashKillMastodon against a Bluesky network of
// the reference servers: two accounts on one PDS, signed in with app
// passwords. Besides the posts it checks that restarts reuse the session
// crier saved instead of signing in again, which a real PDS allows only 30
// times in five minutes.
func TestCrashKillBluesky(t *testing.T) {
	if testing.Short() {
		t.Skip("builds crier, runs a Bluesky network and kills crier again and again")
	}
	t.Parallel()
	rng := seededRand(t)
	crashTest(t, startBluesky(t, rng), rng)
}

// TestHeadlessStopsCleanly checks that SIGTERM stops crier run promptly with
// status 0, leaving every delivery in a state that says what happened.
func TestHeadlessStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs crier")
	}
	t.Parallel()
	rng := seededRand(t)
	bin := buildCrier(t)

	t.Run("nothing due", func(t *testing.T) {
		net := startMastodon(t, rng)
		h := newHarness(t, bin, net)
		want := h.queue(1, time.Now().Add(time.Hour), func(int) []int { return []int{0} })

		c := h.start("future post")
		h.waitReady(c)
		// Into the scheduler's sleep: it has looked at the queue and
		// found nothing due.
		h.waitLine(c, 0, idleLine, 30*time.Second, "its worker asleep with nothing due")
		h.stop(c, syscall.SIGTERM)

		if got := h.states(); got[store.DeliveryQueued] != 1 || len(got) != 1 {
			t.Errorf("after SIGTERM the deliveries are %v, want the one still queued", got)
		}
		st := h.openStore()
		defer st.Close()
		if p, err := st.Post(context.Background(), want[0].postID); err != nil || p.State != store.PostQueued {
			t.Errorf("post %d is %q (%v), want queued", want[0].postID, p.State, err)
		}
		if n := net.Publishes(); n != 0 {
			t.Errorf("the server received %d publish requests, want none", n)
		}
	})

	t.Run("stopped while sending", func(t *testing.T) {
		net := startMastodon(t, rng)
		h := newHarness(t, bin, net)
		// Several posts, so the stop lands while the next is on its way.
		want := h.queue(4, time.Now(), func(int) []int { return []int{0} })

		// Right after the first send is logged, or a moment later, while
		// the next post is on its way.
		delay := time.Duration(rng.Int64N(int64(20 * time.Millisecond)))
		c := h.start(fmt.Sprintf("SIGTERM %s after the first send", delay))
		h.waitSent(c, 10*time.Second)
		// The kill point, random in real time, is the scenario: wherever
		// the stop lands in the next send, nothing may be left half done.
		time.Sleep(delay)
		h.stop(c, syscall.SIGTERM)
		after := h.states()
		t.Logf("SIGTERM %s after the first send left the deliveries %v", delay, after)
		if after[store.DeliverySending] != 0 {
			t.Errorf("%d deliveries left in sending: the write in flight was not finished", after[store.DeliverySending])
		}
		if after[store.DeliverySent] == 0 {
			t.Errorf("no delivery reads sent although crier logged a send")
		}

		c = h.start("restart to finish")
		h.waitSettled(settleLimit)
		h.stop(c, syscall.SIGTERM)
		h.checkDelivered(want)
	})
}

// crashTest is the crash test on one network: queue, kill and restart,
// finish, check.
func crashTest(t *testing.T, net testNetwork, rng *rand.Rand) {
	bin := buildCrier(t)
	h := newHarness(t, bin, net)
	// Even posts go to both accounts, odd ones alternate between them.
	want := h.queue(crashPosts, time.Now(), func(i int) []int {
		switch {
		case i%2 == 0:
			return []int{0, 1}
		case i%4 == 1:
			return []int{0}
		}
		return []int{1}
	})
	t.Logf("%d posts queued as %d deliveries to %d accounts", crashPosts, len(want), len(net.Accounts))

	// A kill counts as landing while sending when the run had claimed a
	// delivery (claiming counts an attempt) and work was still
	// outstanding; it caught a delivery in flight when that run's claim
	// was still in sending (a network may ask for MinInFlight of those).
	// Kills before a run got going are made too, but not counted.
	began := time.Now()
	var kills, whileSending, midSend, landedUnrecorded, onSend int
	for whileSending < minKillsWhileSending || midSend < net.MinInFlight {
		if time.Since(began) > killPhaseLimit {
			t.Fatalf("after %s and %d kills only %d landed while crier was sending, %d with a delivery in flight; deliveries: %v; %s",
				killPhaseLimit, kills, whileSending, midSend, h.states(), h.lease())
		}
		waitForSend := rng.IntN(3) == 0
		delay := 20*time.Millisecond + time.Duration(rng.Int64N(int64(280*time.Millisecond)))
		what := fmt.Sprintf("SIGKILL %s after start", delay)
		if waitForSend {
			what = "SIGKILL right after it logs a send"
		}
		before := h.attempts()
		c := h.start(what)
		if waitForSend {
			select {
			case <-c.sent:
				onSend++
			case <-time.After(5 * time.Second):
			case <-c.exited:
			}
		} else {
			select {
			case <-time.After(delay):
			case <-c.exited:
			}
		}
		h.kill(c)
		kills++

		states := h.states()
		if states[store.DeliveryFailed] > 0 || states[store.DeliveryMissed] > 0 {
			t.Fatalf("kill %d: deliveries failed or were held back: %v\n%s", kills, states, h.problems())
		}
		// A delivery left in sending is one the kill caught between its
		// claim and its outcome. If the server already has it, crier died
		// after the post landed and before it could say so: the case the
		// next start must settle without posting again.
		caught := h.inFlight(before)
		working := sum(h.attempts()) > sum(before)
		h.logf("kill %d: %v; caught in flight: %d", kills, states, len(caught))
		if pending(states) == 0 {
			t.Fatalf("every delivery was sent after %d kills, %d of them while crier was sending and %d with a delivery in flight; "+
				"the test needs %d and %d: slow the test network or queue more posts",
				kills, whileSending, midSend, minKillsWhileSending, net.MinInFlight)
		}
		if !working {
			continue
		}
		whileSending++
		if len(caught) > 0 {
			midSend++
		}
		landed := net.Landed()
		for _, d := range caught {
			if hasText(landed[d.handle], d.text) {
				landedUnrecorded++
			}
		}
	}
	t.Logf("%d SIGKILLs in %s, %d of them while crier was sending (%d right after a logged send); "+
		"%d caught a delivery in flight, %d of those after its post had landed on the server",
		kills, time.Since(began).Round(time.Millisecond), whileSending, onSend, midSend, landedUnrecorded)

	left := pending(h.states())
	c := h.start("run to completion, then SIGINT")
	finish := time.Now()
	h.waitSettled(settleLimit)
	t.Logf("an undisturbed run settled the %d deliveries left in %s", left, time.Since(finish).Round(time.Millisecond))
	h.stop(c, syscall.SIGINT)
	h.checkDelivered(want)
	t.Logf("%d deliveries, %d publish requests to the servers (repeats were answered by their idempotency key)",
		len(want), net.Publishes())
	if net.Finish != nil {
		net.Finish(t)
	}
}

// ---- the networks ----

// testAccount is an account on a test network, as crier's config names it.
type testAccount struct {
	Platform, Handle, Server string
	TokenVar, Token          string // the credential, passed as env:TokenVar
}

// remotePost is a post as the test network holds it.
type remotePost struct{ ID, Text string }

// testNetwork is what the crash tests need of a network.
type testNetwork struct {
	Accounts []testAccount
	// Landed lists what each account holds on the server, by handle.
	Landed func() map[string][]remotePost
	// Publishes counts the publish requests the server received.
	Publishes func() int
	// MinInFlight is how many kills must also catch a delivery in flight
	// (claimed, its outcome not yet recorded), where the network's pace
	// allows that many before everything is sent.
	MinInFlight int
	// Dir, when set, is the folder the harness keeps crier's database,
	// config and sessions in; else it makes one.
	Dir string
	// Finish, when set, checks what is particular to the network once
	// everything was delivered.
	Finish func(t *testing.T)
}

// startMastodon starts two Mastodon test servers, one account each, behind
// proxies that make them answer at a believable pace.
func startMastodon(t *testing.T, rng *rand.Rand) testNetwork {
	var net testNetwork
	var servers []*mastotest.Server
	for _, name := range []string{"bakery", "cafe"} {
		srv := mastotest.New(mastotest.Config{SyncMedia: true})
		t.Cleanup(srv.Close)
		servers = append(servers, srv)
		net.Accounts = append(net.Accounts, testAccount{
			Platform: "mastodon",
			Handle:   "@crier@" + name + ".example",
			Server:   slowProxy(t, srv.URL, rng.Uint64(), nil),
			TokenVar: "CRASHTEST_TOKEN_" + strings.ToUpper(name),
			Token:    srv.Token(),
		})
	}
	net.Landed = func() map[string][]remotePost {
		out := map[string][]remotePost{}
		for i, srv := range servers {
			for _, st := range srv.Statuses(srv.Me().ID) {
				h := net.Accounts[i].Handle
				out[h] = append(out[h], remotePost{ID: st.ID, Text: st.Text})
			}
		}
		return out
	}
	net.Publishes = func() int {
		n := 0
		for _, srv := range servers {
			n += srv.Count(http.MethodPost, "/api/v1/statuses")
		}
		return n
	}
	return net
}

// startBluesky starts a network of the reference Bluesky servers with two
// accounts on its PDS. Each account reaches the PDS through a proxy of its
// own (the pace of slowProxy), which counts the account's publish requests
// and sign-ins.
func startBluesky(t *testing.T, rng *rand.Rand) testNetwork {
	bsky := testnet.Start(t)
	net := testNetwork{Dir: t.TempDir(), MinInFlight: minKillsWhileSending}
	type account struct {
		did, session string
		// Forwarded requests: putRecord, createSession, refreshSession,
		// and createSession while a saved session was there to use.
		publishes, signIns, refreshes, needless int
	}
	var mu sync.Mutex
	var accounts []*account
	for _, name := range []string{"bakery", "cafe"} {
		acct := bsky.CreateAccount(t, bsky.UniqueHandle(name))
		// The session file as main.go names it, beside the database.
		session := filepath.Join(net.Dir, "sessions", "bluesky-"+acct.Handle+".json")
		a := &account{did: acct.DID, session: session}
		accounts = append(accounts, a)
		seen := func(r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			switch strings.TrimPrefix(r.URL.Path, "/xrpc/") {
			case "com.atproto.repo.putRecord":
				a.publishes++
			case "com.atproto.server.refreshSession":
				a.refreshes++
			case "com.atproto.server.createSession":
				a.signIns++
				// crier signs in only when it has no session: runs
				// before one was saved, or a kill between the answer
				// and the save. One saved must be used or refreshed.
				if _, err := os.Stat(session); err == nil {
					a.needless++
				}
			}
		}
		net.Accounts = append(net.Accounts, testAccount{
			Platform: "bluesky",
			Handle:   acct.Handle,
			Server:   slowProxy(t, bsky.PDS, rng.Uint64(), seen),
			TokenVar: "CRASHTEST_BSKY_PASSWORD_" + strings.ToUpper(name),
			Token:    acct.AppPassword,
		})
	}
	net.Landed = func() map[string][]remotePost {
		out := map[string][]remotePost{}
		for i, a := range accounts {
			out[net.Accounts[i].Handle] = listPosts(t, bsky, a.did)
		}
		return out
	}
	net.Publishes = func() int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, a := range accounts {
			n += a.publishes
		}
		return n
	}
	net.Finish = func(t *testing.T) {
		mu.Lock()
		defer mu.Unlock()
		for i, a := range accounts {
			h := net.Accounts[i].Handle
			t.Logf("%s: %d sign-ins, %d session refreshes", h, a.signIns, a.refreshes)
			if _, err := os.Stat(a.session); err != nil {
				t.Errorf("%s: crier kept no session: %v", h, err)
			}
			if a.needless > 0 {
				t.Errorf("%s: crier signed in %d times although it had a session saved", h, a.needless)
			}
		}
	}
	return net
}

// listPosts lists the posts in did's repository on the PDS, page by page.
func listPosts(t *testing.T, bsky *testnet.Network, did string) []remotePost {
	var out []remotePost
	params := url.Values{"repo": {did}, "collection": {bluesky.PostCollection}, "limit": {"100"}}
	for {
		var page struct {
			Cursor  string `json:"cursor"`
			Records []struct {
				URI   string `json:"uri"`
				Value struct {
					Text string `json:"text"`
				} `json:"value"`
			} `json:"records"`
		}
		bsky.Get(t, "", "com.atproto.repo.listRecords", params, &page)
		for _, r := range page.Records {
			out = append(out, remotePost{ID: r.URI, Text: r.Value.Text})
		}
		if page.Cursor == "" || len(page.Records) == 0 {
			return out
		}
		params.Set("cursor", page.Cursor)
	}
}

// slowProxy serves target through a proxy on 127.0.0.1 that holds each
// request, and then each answer, for a random 5–20 ms, as a real network
// would, so that kills land while a request is on its way, while the server
// acts on it, and after it acted but before crier heard back. seen, when
// not nil, is told of each request as it goes on to target.
func slowProxy(t *testing.T, target string, seed uint64, seen func(*http.Request)) string {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	pause := func(ctx context.Context) bool {
		mu.Lock()
		d := 5*time.Millisecond + time.Duration(rng.Int64N(int64(15*time.Millisecond)))
		mu.Unlock()
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
			return true
		case <-ctx.Done():
			return false
		}
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(transport.CloseIdleConnections)
	var self string
	proxy := &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(u) },
		Transport: transport,
		ModifyResponse: func(resp *http.Response) error {
			// Paging links must point back through the proxy.
			if l := resp.Header.Get("Link"); l != "" {
				resp.Header.Set("Link", strings.ReplaceAll(l, target, self))
			}
			pause(resp.Request.Context())
			return nil
		},
		// A client killed mid-request is the point of the test, not news.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !pause(r.Context()) {
			return
		}
		if seen != nil {
			seen(r)
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	self = srv.URL
	return srv.URL
}

func hasText(posts []remotePost, text string) bool {
	for _, p := range posts {
		if p.Text == text {
			return true
		}
	}
	return false
}

// ---- the harness ----

// harness runs crier on one database and config against one network.
type harness struct {
	t      *testing.T
	bin    string
	net    testNetwork
	dbPath string
	config string
	env    []string
	ro     *sql.DB  // read-only view of the database, for polling
	log    *os.File // every run's stderr, for diagnosis
	runs   int
}

// wantDelivery is a post expected on one account.
type wantDelivery struct {
	postID    int64
	accountID int64
	handle    string
	text      string
}

func newHarness(t *testing.T, bin string, net testNetwork) *harness {
	dir := net.Dir
	if dir == "" {
		dir = t.TempDir()
	}
	h := &harness{t: t, bin: bin, net: net, dbPath: filepath.Join(dir, "crier.db")}
	h.config = writeConfig(t, dir, h.dbPath, net.Accounts)
	h.env = childEnv(net.Accounts)

	var err error
	if h.log, err = os.Create(filepath.Join(dir, "crier-stderr.log")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		h.log.Close()
		if t.Failed() {
			if data, err := os.ReadFile(h.log.Name()); err == nil {
				t.Logf("crier's stderr over all runs:\n%s", data)
			}
		}
	})
	return h
}

// writeConfig writes a private config file for accounts, with the database
// in dir and every late post sent rather than held back as missed.
func writeConfig(t *testing.T, dir, dbPath string, accounts []testAccount) string {
	var b strings.Builder
	fmt.Fprintf(&b, "database: %q\ntimezone: UTC\nlog_file: %q\n", dbPath, filepath.Join(dir, "crier.log"))
	b.WriteString("scheduler:\n  missed_policy: send\naccounts:\n")
	for _, a := range accounts {
		fmt.Fprintf(&b, "  - platform: %s\n    handle: %q\n    server: %q\n    credential: env:%s\n",
			a.Platform, a.Handle, a.Server, a.TokenVar)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// childEnv is this process's environment without CRIER_* settings (which
// would override the config), plus the accounts' credentials.
func childEnv(accounts []testAccount) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CRIER_") {
			env = append(env, kv)
		}
	}
	for _, a := range accounts {
		env = append(env, a.TokenVar+"="+a.Token)
	}
	return env
}

// queue records the accounts as crier's setup does and queues n posts due
// at due; to(i) picks post i's accounts by index. It returns a delivery per
// post and account.
func (h *harness) queue(n int, due time.Time, to func(i int) []int) []wantDelivery {
	return h.queueAt("Crash test", n, func(int) time.Time { return due }, to)
}

func (h *harness) openStore() *store.Store {
	st, err := store.Open(context.Background(), h.dbPath)
	if err != nil {
		h.t.Fatal(err)
	}
	return st
}

// logf notes something in the stderr log, between runs.
func (h *harness) logf(format string, args ...any) {
	fmt.Fprintf(h.log, "--- "+format+"\n", args...)
}

// readOnly is the test's own read-only connection to the database, so that
// polling never writes to the file crier is writing.
func (h *harness) readOnly() *sql.DB {
	if h.ro != nil {
		return h.ro
	}
	path := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(h.dbPath)
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		h.t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	h.t.Cleanup(func() { db.Close() })
	h.ro = db
	return db
}

// states counts the deliveries by state.
func (h *harness) states() map[store.DeliveryState]int {
	rows, err := h.readOnly().Query("SELECT state, count(*) FROM deliveries GROUP BY state")
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	out := map[store.DeliveryState]int{}
	for rows.Next() {
		var s store.DeliveryState
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			h.t.Fatal(err)
		}
		out[s] = n
	}
	if err := rows.Err(); err != nil {
		h.t.Fatal(err)
	}
	return out
}

func pending(states map[store.DeliveryState]int) int {
	return states[store.DeliveryQueued] + states[store.DeliverySending] + states[store.DeliveryUnknown]
}

// attempts reads each delivery's attempt count, which its claim raises.
func (h *harness) attempts() map[int64]int {
	rows, err := h.readOnly().Query("SELECT id, attempts FROM deliveries")
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			h.t.Fatal(err)
		}
		out[id] = n
	}
	if err := rows.Err(); err != nil {
		h.t.Fatal(err)
	}
	return out
}

func sum(m map[int64]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// inFlight lists the deliveries in sending that were claimed since attempts
// were read as before: those a kill caught mid-send.
func (h *harness) inFlight(before map[int64]int) []wantDelivery {
	rows, err := h.readOnly().Query(`
		SELECT d.id, d.attempts, d.post_id, d.account_id, a.handle, p.body FROM deliveries d
		JOIN accounts a ON a.id = d.account_id JOIN posts p ON p.id = d.post_id
		WHERE d.state = 'sending'`)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	var out []wantDelivery
	for rows.Next() {
		var id int64
		var attempts int
		var d wantDelivery
		if err := rows.Scan(&id, &attempts, &d.postID, &d.accountID, &d.handle, &d.text); err != nil {
			h.t.Fatal(err)
		}
		if attempts > before[id] {
			out = append(out, d)
		}
	}
	if err := rows.Err(); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// problems lists the deliveries that failed or were held back, with why.
func (h *harness) problems() string {
	rows, err := h.readOnly().Query(
		"SELECT id, state, last_error FROM deliveries WHERE state IN ('failed', 'missed') ORDER BY id")
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id int64
		var state, reason string
		if err := rows.Scan(&id, &state, &reason); err != nil {
			return err.Error()
		}
		fmt.Fprintf(&b, "delivery %d: %s: %s\n", id, state, reason)
	}
	return b.String()
}

// lease describes the sender lease as the database holds it, for a
// failure message.
func (h *harness) lease() string {
	var holder, host string
	var pid, expires int64
	err := h.readOnly().QueryRow("SELECT holder, host, pid, expires_at FROM leases WHERE name = 'sender'").
		Scan(&holder, &host, &pid, &expires)
	if err != nil {
		return "sender lease: " + err.Error()
	}
	return fmt.Sprintf("sender lease held by %s on %s (pid %d) until %s",
		holder, host, pid, time.UnixMilli(expires).Format(time.StampMilli))
}

// waitSettled waits until no delivery is queued, sending or unknown: only
// asking crier's database tells.
func (h *harness) waitSettled(limit time.Duration) {
	h.t.Helper()
	var states map[store.DeliveryState]int
	if err := waitfor.Wait(context.Background(), limit, "every delivery settled", func() (bool, string) {
		states = h.states()
		return pending(states) == 0, fmt.Sprint(states)
	}); err != nil {
		h.t.Fatalf("%v; %s\n%s", err, h.lease(), h.problems())
	}
}

// checkDelivered checks the end state: the database is sound, every
// delivery and post reads sent, and each account holds exactly its posts on
// the server, once each, under the ids crier recorded.
func (h *harness) checkDelivered(want []wantDelivery) {
	t := h.t
	var check string
	if err := h.readOnly().QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q, %v", check, err)
	}

	ctx := context.Background()
	st := h.openStore()
	defer st.Close()
	recorded := map[wantDelivery]string{} // remote id crier recorded
	posts := map[int64]bool{}
	for _, w := range want {
		if !posts[w.postID] {
			posts[w.postID] = true
			if p, err := st.Post(ctx, w.postID); err != nil || p.State != store.PostSent {
				t.Errorf("post %d is %q (%v), want sent", w.postID, p.State, err)
			}
		}
		ds, err := st.PostDeliveries(ctx, w.postID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.AccountID != w.accountID {
				continue
			}
			if d.State != store.DeliverySent || d.RemoteID == "" {
				t.Errorf("post %d to %s: delivery reads %s (remote id %q, %s), want sent", w.postID, w.handle, d.State, d.RemoteID, d.LastError)
			}
			recorded[w] = d.RemoteID
		}
	}

	landed := h.net.Landed()
	perAccount := map[string]int{}
	for _, w := range want {
		perAccount[w.handle]++
	}
	for _, a := range h.net.Accounts {
		seen := map[string]int{}
		for _, p := range landed[a.Handle] {
			if seen[p.Text]++; seen[p.Text] == 2 {
				t.Errorf("%s holds %q more than once", a.Handle, p.Text)
			}
		}
		if got := len(landed[a.Handle]); got != perAccount[a.Handle] {
			t.Errorf("%s holds %d posts, want %d", a.Handle, got, perAccount[a.Handle])
		}
	}
	for _, w := range want {
		found := false
		for _, p := range landed[w.handle] {
			if p.Text == w.text {
				found = true
				if p.ID != recorded[w] {
					t.Errorf("post %d to %s: crier recorded remote id %q, the server has it as %q", w.postID, w.handle, recorded[w], p.ID)
				}
			}
		}
		if !found {
			t.Errorf("post %d never reached %s", w.postID, w.handle)
		}
	}
}

// ---- the crier process ----

// crierRun is one crier run process.
type crierRun struct {
	cmd    *exec.Cmd
	ready  chan struct{} // closed at the startup line
	sent   chan struct{} // a value for each logged send, dropped when full
	leads  chan struct{} // closed when it first logs that it took the lease
	ledAt  time.Time     // when it did, once leads is closed
	exited chan struct{} // closed once it exited and its stderr is read
	err    error         // from Wait, once exited is closed

	// logged is what it has logged so far, a line a write.
	logged waitfor.Buffer
}

// mark is where what c logs from now on begins: waitLine looks after it.
func (c *crierRun) mark() int { return c.logged.Len() }

// waitLine waits until c logs, after from (a mark), a line re matches,
// and returns the mark after that line. It fails the test if c exits or
// limit passes first.
func (h *harness) waitLine(c *crierRun, from int, re *regexp.Regexp, limit time.Duration, what string) int {
	h.t.Helper()
	after := -1
	_, ok := c.logged.AwaitOr(c.exited, from, limit, func(logged string) bool {
		for at := 0; at < len(logged); {
			line, _, _ := strings.Cut(logged[at:], "\n")
			if re.MatchString(line) {
				after = from + at + len(line) + 1
				return true
			}
			at += len(line) + 1
		}
		return false
	})
	if !ok {
		select {
		case <-c.exited:
			h.t.Fatalf("crier exited before it logged %s: %v", what, c.err)
		default:
		}
		h.t.Fatalf("crier did not log %s within %s (/%s/)", what, limit, re)
	}
	return after
}

// idleLine is crier run --debug's line for an account's worker going to
// sleep with nothing more due (scheduler Options.Debug); followLine the
// line of a crier that looked at the lease and does not send.
var (
	idleLine   = regexp.MustCompile(`scheduler: debug: .*: nothing more due as of`)
	followLine = regexp.MustCompile(`scheduler: debug: .* sends as of .*; looking again at`)
)

// The end-to-end tests (crash, on-time, GoToSocial) share one crier
// binary, built without -race the first time one asks for it; TestMain
// removes it.
var (
	crierOnce  sync.Once
	crierBin   string
	crierDir   string
	crierErr   error
	crierBuilt time.Duration
)

// buildCrier is the crier binary built from the module's main package.
func buildCrier(t *testing.T) string {
	t.Helper()
	crierOnce.Do(func() {
		if crierDir, crierErr = os.MkdirTemp("", "crier-e2e-bin-"); crierErr != nil {
			return
		}
		crierBin = filepath.Join(crierDir, "crier")
		began := time.Now()
		out, err := exec.Command("go", "build", "-o", crierBin, "github.com/crier-app/crier").CombinedOutput()
		if err != nil {
			crierErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
		crierBuilt = time.Since(began).Round(time.Millisecond)
	})
	if crierErr != nil {
		t.Fatal(crierErr)
	}
	t.Logf("crier built once for the end-to-end tests, in %s", crierBuilt)
	return crierBin
}

// removeCrierBinary is called by TestMain when the tests are done.
func removeCrierBinary() {
	if crierDir != "" {
		os.RemoveAll(crierDir)
	}
}

// start starts crier run, noting why in the stderr log.
func (h *harness) start(why string) *crierRun {
	h.runs++
	h.logf("run %d: %s", h.runs, why)
	cmd := exec.Command(h.bin, "run", "--config", h.config, "--debug")
	cmd.Env = h.env
	r, w, err := os.Pipe()
	if err != nil {
		h.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	w.Close()
	c := &crierRun{cmd: cmd, ready: make(chan struct{}), sent: make(chan struct{}, 1), leads: make(chan struct{}),
		exited: make(chan struct{})}
	h.t.Cleanup(func() { // a test that failed mid-run leaves no crier behind
		select {
		case <-c.exited:
		default:
			_ = cmd.Process.Kill()
			<-c.exited
		}
	})
	go func() {
		sc := bufio.NewScanner(r)
		ready, led := false, false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(h.log, line)
			c.logged.Write([]byte(line + "\n"))
			if !led && leadLine.MatchString(line) {
				led = true
				c.ledAt = time.Now()
				close(c.leads)
			}
			if !ready && readyLine.MatchString(line) {
				ready = true
				close(c.ready)
			}
			if sentLine.MatchString(line) {
				select {
				case c.sent <- struct{}{}:
				default:
				}
			}
		}
		r.Close()
		c.err = cmd.Wait()
		close(c.exited)
	}()
	return c
}

// kill ends c with SIGKILL; it must not have stopped by itself.
func (h *harness) kill(c *crierRun) {
	select {
	case <-c.exited:
		h.t.Fatalf("crier stopped before it was killed: %v", c.err)
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.exited
}

// stop sends sig and checks crier exits with status 0 within stopLimit.
func (h *harness) stop(c *crierRun, sig syscall.Signal) {
	sent := time.Now()
	if err := c.cmd.Process.Signal(sig); err != nil {
		h.t.Fatalf("%v: %v", sig, err)
	}
	select {
	case <-c.exited:
	case <-time.After(stopLimit):
		_ = c.cmd.Process.Kill()
		<-c.exited
		h.t.Fatalf("crier did not exit within %s of %v", stopLimit, sig)
	}
	took := time.Since(sent).Round(time.Millisecond)
	if c.err != nil {
		h.t.Fatalf("after %v crier exited with %v (in %s), want status 0", sig, c.err, took)
	}
	h.t.Logf("%v: crier exited with status 0 in %s", sig, took)
}

func (h *harness) waitReady(c *crierRun) {
	select {
	case <-c.ready:
	case <-c.exited:
		h.t.Fatalf("crier exited before it started: %v", c.err)
	case <-time.After(10 * time.Second):
		h.t.Fatalf("crier did not log its startup line within 10s")
	}
}

func (h *harness) waitSent(c *crierRun, limit time.Duration) {
	select {
	case <-c.sent:
	case <-c.exited:
		h.t.Fatalf("crier exited before it sent anything: %v", c.err)
	case <-time.After(limit):
		h.t.Fatalf("crier logged no send within %s", limit)
	}
}

// seededRand returns the test's random source, seeded from
// CRIER_CRASH_SEED or the clock, and logs the seed.
func seededRand(t *testing.T) *rand.Rand {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("CRIER_CRASH_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("CRIER_CRASH_SEED=%q: %v", s, err)
		}
		seed = v
	}
	t.Logf("seed %d (set CRIER_CRASH_SEED=%d to replay the choices)", seed, seed)
	return rand.New(&lockedSource{src: rand.NewPCG(seed, 0)})
}

// lockedSource lets the parallel subtests of one test draw from its one
// seeded source.
type lockedSource struct {
	mu  sync.Mutex
	src rand.Source
}

func (l *lockedSource) Uint64() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.src.Uint64()
}
