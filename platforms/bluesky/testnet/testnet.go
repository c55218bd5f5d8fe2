// Package testnet runs a real Bluesky network on this machine for integration
// tests: the AT Protocol reference servers from the npm package
// @atproto/dev-env (PLC directory, PDS and AppView, with PostgreSQL behind the
// AppView), started by node/start.mjs on free ports of 127.0.0.1.
//
// Setting up (once per machine; safe to repeat), from the repository root:
//
//	scripts/bsky-testnet install
//	eval "$(scripts/bsky-testnet env)"
//
// Without the env line the package still finds Node 22 in the cache that the
// install uses and the PostgreSQL cluster on its default port. When Node 22,
// the node_modules or PostgreSQL are missing, Start and Shared skip the test
// with those instructions, or fail it when CRIER_REQUIRE_TESTNET=1 (as CI sets).
//
// One network takes 5-10 s to start (more on a busy machine) and about 370 MB
// of memory besides PostgreSQL. Tests in one package should share it:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		testnet.StopShared()
//		os.Exit(code)
//	}
//
//	func TestSomething(t *testing.T) {
//		net := testnet.Shared(t)
//		alice := net.CreateAccount(t, net.UniqueHandle("alice"))
//		...
//	}
//
// Accounts on a shared network outlive the test that made them, so give each
// test handles of its own (UniqueHandle). Without the TestMain the network
// still stops when the test binary exits, because start.mjs shuts down when
// its stdin closes.
//
// Environment:
//
//	CRIER_BSKY_NODE             Node 22 binary (else the cached one, else node on PATH if 22+)
//	CRIER_BSKY_PG_URL           postgres:// URL (else the install's default)
//	CRIER_BSKY_TESTNET_DIR      folder holding start.mjs and node_modules (else ./node beside this file)
//	CRIER_BSKY_TESTNET_TIMEOUT  how long to wait for the network (Go duration, default 3m: several networks may boot at once on a busy machine)
//	CRIER_BSKY_TESTNET_VERBOSE=1  copy the servers' stderr to the test's stderr
//	CRIER_BSKY_TESTNET_LOG=1      turn on the servers' own logging (with VERBOSE to see it)
//	CRIER_REQUIRE_TESTNET=1       fail instead of skip when the network cannot run
package testnet

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms/internal/testcache"
)

// Setup is how to make the network available; it ends every skip message.
const Setup = `run scripts/bsky-testnet install and then eval "$(scripts/bsky-testnet env)" from the repository root`

// DefaultPGURL is the database scripts/bsky-testnet install sets up.
const DefaultPGURL = "postgres://crier_testnet:crier-testnet-local@127.0.0.1:55432/crier_testnet"

const (
	defaultStartTimeout = 3 * time.Minute
	// start.mjs gives the servers 10 s to close and 5 s to drop its schemas.
	stopGrace = 20 * time.Second
	logKeep   = 64 << 10
)

// Network is a running local Bluesky network. Its fields are base URLs such as
// http://127.0.0.1:40123; app.bsky.* reads go through the PDS, which proxies
// them to the AppView, as on the real network.
type Network struct {
	PDS     string
	AppView string
	PLC     string

	// HTTP is the client the helpers use.
	HTTP *http.Client
	// BootTime is how long the network took to start.
	BootTime time.Duration

	cmd      *exec.Cmd
	stdin    *os.File
	exited   chan struct{}
	waitErr  error
	logs     *tailBuffer
	stopOnce sync.Once
	seq      atomic.Int64
}

// unavailableError means something the network needs is not installed or not
// running: a reason to skip, not a failure of the code under test.
type unavailableError struct{ reason string }

func (e *unavailableError) Error() string { return e.reason }

// Start starts a network of the test's own and stops it when the test (or
// benchmark) and its subtests finish.
func Start(t testing.TB) *Network {
	t.Helper()
	n, err := launch()
	if err != nil {
		fail(t, err)
		return nil
	}
	t.Logf("bluesky testnet up in %s: pds %s, appview %s, plc %s", n.BootTime.Round(time.Millisecond), n.PDS, n.AppView, n.PLC)
	t.Cleanup(n.Stop)
	return n
}

var shared struct {
	once sync.Once
	mu   sync.Mutex
	n    *Network
	err  error
}

// Shared returns the test binary's one shared network, starting it on first
// use. It is not stopped by any test's cleanup: call StopShared at the end of
// TestMain (or leave it to the binary's exit, which closes the network's stdin).
func Shared(t testing.TB) *Network {
	t.Helper()
	shared.once.Do(func() {
		n, err := launch()
		shared.mu.Lock()
		shared.n, shared.err = n, err
		shared.mu.Unlock()
		if err == nil {
			t.Logf("bluesky testnet up in %s: pds %s, appview %s, plc %s", n.BootTime.Round(time.Millisecond), n.PDS, n.AppView, n.PLC)
		}
	})
	shared.mu.Lock()
	n, err := shared.n, shared.err
	shared.mu.Unlock()
	if err != nil {
		fail(t, err)
		return nil
	}
	return n
}

// StopShared stops the shared network if one was started. Call it from
// TestMain after m.Run.
func StopShared() {
	shared.mu.Lock()
	n := shared.n
	shared.mu.Unlock()
	if n != nil {
		n.Stop()
	}
}

func fail(t testing.TB, err error) {
	t.Helper()
	var ua *unavailableError
	if !errors.As(err, &ua) {
		t.Fatalf("bluesky testnet: %v", err)
		return
	}
	msg := fmt.Sprintf("bluesky testnet unavailable: %s; %s", ua.reason, Setup)
	if os.Getenv("CRIER_REQUIRE_TESTNET") == "1" {
		t.Fatal(msg + " (CRIER_REQUIRE_TESTNET=1, so this fails instead of skipping)")
		return
	}
	skipped.Add(1)
	t.Skip(msg)
}

// skipped counts the tests of this binary skipped for want of a network.
var skipped atomic.Int64

// packageDir names the package under test by its folder in the module
// (go test runs a test binary in its package's folder), as ./platforms/bluesky.
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return filepath.Base(os.Args[0])
	}
	for root := wd; ; {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			if rel, err := filepath.Rel(root, wd); err == nil {
				return path.Join(".", filepath.ToSlash(rel)) // "." for the root
			}
			break
		}
		up := filepath.Dir(root)
		if up == root {
			break
		}
		root = up
	}
	return wd
}

// Main runs a test binary's tests, stops the shared network, and returns
// the exit code. When tests skipped for want of the network it says so in
// one line where the person who ran `go test ./...` sees it: go test shows a
// passing package's output only with -v, so an "ok" would hide that part of
// the suite did not run. The line goes to the terminal (/dev/tty) when there
// is one, else to stderr. Use it as os.Exit(testnet.Main(m)) in TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	StopShared()
	if n := skipped.Load(); n > 0 {
		line := fmt.Sprintf("crier: %s: %d test(s) against the real Bluesky network skipped (not installed here); %s\n",
			packageDir(), n, Setup)
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			fmt.Fprint(tty, line)
			tty.Close()
		} else {
			fmt.Fprint(os.Stderr, line)
		}
	}
	return code
}

// config is what launch needs, found from the environment or by looking in the
// places scripts/bsky-testnet installs to.
type config struct {
	node  string
	dir   string
	pgURL string
}

func discover() (config, error) {
	var c config
	var err error
	if c.node, err = findNode(); err != nil {
		return c, err
	}
	if c.dir, err = findDir(); err != nil {
		return c, err
	}
	if c.pgURL, err = findPostgres(); err != nil {
		return c, err
	}
	return c, nil
}

func findNode() (string, error) {
	if p := os.Getenv("CRIER_BSKY_NODE"); p != "" {
		if major, err := nodeMajor(p); err != nil || major < 22 {
			return "", &unavailableError{fmt.Sprintf("CRIER_BSKY_NODE=%s is not a Node.js 22 or newer", p)}
		}
		return p, nil
	}
	var candidates []string
	if d := testcache.Dir(); d != "" {
		candidates = append(candidates, filepath.Join(d, "node22", "bin", "node"))
	}
	if p, err := exec.LookPath("node"); err == nil {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		if major, err := nodeMajor(p); err == nil && major >= 22 {
			return p, nil
		}
	}
	return "", &unavailableError{"Node.js 22 not found (the machine's node is older, and none is cached)"}
}

func nodeMajor(path string) (int, error) {
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		return 0, err
	}
	v := strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
	major, _, _ := strings.Cut(v, ".")
	return strconv.Atoi(major)
}

func findDir() (string, error) {
	dir := os.Getenv("CRIER_BSKY_TESTNET_DIR")
	if dir == "" {
		_, file, _, ok := runtime.Caller(0)
		if !ok {
			return "", &unavailableError{"cannot locate the testnet package's folder; set CRIER_BSKY_TESTNET_DIR"}
		}
		dir = filepath.Join(filepath.Dir(file), "node")
	}
	if _, err := os.Stat(filepath.Join(dir, "start.mjs")); err != nil {
		return "", &unavailableError{fmt.Sprintf("no start.mjs in %s", dir)}
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@atproto", "dev-env", "package.json")); err != nil {
		return "", &unavailableError{fmt.Sprintf("@atproto/dev-env is not installed in %s", dir)}
	}
	return dir, nil
}

func findPostgres() (string, error) {
	raw := os.Getenv("CRIER_BSKY_PG_URL")
	if raw == "" {
		raw = DefaultPGURL
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return "", fmt.Errorf("CRIER_BSKY_PG_URL is not a postgres:// URL with a host")
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "5432")
	}
	conn, err := net.DialTimeout("tcp", host, 2*time.Second)
	if err != nil {
		return "", &unavailableError{fmt.Sprintf("PostgreSQL is not answering on %s", host)}
	}
	conn.Close()
	return raw, nil
}

func startTimeout() time.Duration {
	if s := os.Getenv("CRIER_BSKY_TESTNET_TIMEOUT"); s != "" {
		if d, err := time.ParseDuration(s); err == nil && d > 0 {
			return d
		}
	}
	return defaultStartTimeout
}

func launch() (*Network, error) {
	began := time.Now()
	cfg, err := discover()
	if err != nil {
		return nil, err
	}

	// Pipes of our own rather than cmd.StdoutPipe, so reading them does not
	// race with cmd.Wait, and stdin stays open exactly as long as we want.
	stdinR, stdinW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		stdinR.Close()
		stdinW.Close()
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		stdinR.Close()
		stdinW.Close()
		outR.Close()
		outW.Close()
		return nil, err
	}

	cmd := exec.Command(cfg.node, "start.mjs")
	cmd.Dir = cfg.dir
	cmd.Env = append(os.Environ(), "CRIER_BSKY_PG_URL="+cfg.pgURL)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdinR, outW, errW
	setProcessGroup(cmd)
	err = cmd.Start()
	stdinR.Close()
	outW.Close()
	errW.Close()
	if err != nil {
		stdinW.Close()
		outR.Close()
		errR.Close()
		return nil, fmt.Errorf("starting %s: %w", cfg.node, err)
	}

	n := &Network{
		HTTP:   &http.Client{Timeout: 30 * time.Second},
		cmd:    cmd,
		stdin:  stdinW,
		exited: make(chan struct{}),
		logs:   &tailBuffer{max: logKeep},
	}
	var echo io.Writer = io.Discard
	if os.Getenv("CRIER_BSKY_TESTNET_VERBOSE") == "1" {
		echo = os.Stderr
	}
	var readers sync.WaitGroup
	readers.Add(2)
	go func() {
		defer readers.Done()
		defer errR.Close()
		io.Copy(io.MultiWriter(n.logs, echo), errR)
	}()
	ready := make(chan addrs, 1)
	go func() {
		defer readers.Done()
		defer outR.Close()
		sc := bufio.NewScanner(outR)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			line := sc.Bytes()
			var a addrs
			if !sent && json.Unmarshal(line, &a) == nil && a.PDS != "" {
				sent = true
				ready <- a
				continue
			}
			// Stray stdout output from a library: keep it with the logs.
			fmt.Fprintf(io.MultiWriter(n.logs, echo), "%s\n", line)
		}
		io.Copy(io.Discard, outR)
	}()
	go func() {
		readers.Wait()
		n.waitErr = cmd.Wait()
		close(n.exited)
	}()

	timeout := startTimeout()
	select {
	case a := <-ready:
		if err := a.check(); err != nil {
			n.Stop()
			return nil, fmt.Errorf("%v\n%s", err, n.logTail(4096))
		}
		n.PDS, n.AppView, n.PLC = a.PDS, a.AppView, a.PLC
		n.BootTime = time.Since(began)
		return n, nil
	case <-n.exited:
		return nil, fmt.Errorf("start.mjs exited before the network was ready (%v):\n%s", n.waitErr, n.logTail(8192))
	case <-time.After(timeout):
		n.kill()
		<-n.exited
		return nil, fmt.Errorf("the network was not ready within %s (CRIER_BSKY_TESTNET_TIMEOUT):\n%s", timeout, n.logTail(8192))
	}
}

// addrs is start.mjs's ready line.
type addrs struct {
	PDS     string `json:"pds"`
	AppView string `json:"appview"`
	PLC     string `json:"plc"`
}

func (a addrs) check() error {
	for name, s := range map[string]string{"pds": a.PDS, "appview": a.AppView, "plc": a.PLC} {
		u, err := url.Parse(s)
		if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Port() == "" {
			return fmt.Errorf("start.mjs reported %s=%q, not an http://127.0.0.1:port URL", name, s)
		}
	}
	return nil
}

// Stop shuts the network down: it closes start.mjs's stdin, waits for a clean
// exit, and kills the process group if that takes longer than a grace period.
// It is safe to call more than once.
func (n *Network) Stop() {
	n.stopOnce.Do(func() {
		n.stdin.Close()
		select {
		case <-n.exited:
		case <-time.After(stopGrace):
			n.kill()
			<-n.exited
		}
	})
}

func (n *Network) kill() {
	killProcessGroup(n.cmd)
}

// Logs returns the last part of what the servers wrote to stderr.
func (n *Network) Logs() string { return n.logs.String() }

func (n *Network) logTail(max int) string {
	s := n.logs.String()
	if len(s) > max {
		s = "…" + s[len(s)-max:]
	}
	return s
}

// UniqueHandle returns a handle not used before on this network, built from
// prefix (letters and digits; cut to fit the PDS's 18-character limit).
func (n *Network) UniqueHandle(prefix string) string {
	suffix := strconv.FormatInt(n.seq.Add(1), 10)
	if max := 18 - len(suffix); len(prefix) > max {
		prefix = prefix[:max]
	}
	for len(prefix)+len(suffix) < 3 {
		prefix += "x"
	}
	return prefix + suffix + ".test"
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if over := b.buf.Len() - b.max; over > 0 {
		b.buf.Next(over)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
