package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/charmbracelet/wish/logging"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/scheduler"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/keys"
	"github.com/crier-app/crier/tui/styles"
)

// Roles a key in crier's authorized keys file has.
const (
	roleFull   = "full"   // everything the app does
	roleGlance = "glance" // read-only: KPIs, calendar, inbox; no posting, replying, liking or editing
)

// serveOptions are crier serve's limits and files.
type serveOptions struct {
	Listen      string
	MaxSessions int
	IdleTimeout time.Duration
	// PerMinute is how many connections one address may open a minute
	// (a burst of as many, then one every 60/PerMinute seconds).
	PerMinute   int
	HostKeyPath string // the server's key, made once, 0600
	KeysPath    string // the authorized keys, each with a role
	// WatchEvery is how often the server asks the database whether
	// another session or process saved something.
	WatchEvery time.Duration
	// Debug logs the scheduler's Debug lines (--debug).
	Debug bool
}

// sshServer is crier over SSH: one store, one scheduler, a program per
// session.
type sshServer struct {
	o          serveOptions
	cfg        *config.Config
	st         *store.Store
	accounts   []store.Account
	sched      *scheduler.Scheduler // nil when the config turns it off
	events     chan scheduler.Event
	log        *log.Logger
	demo       bool
	configFile string
	configGone bool

	srv         *ssh.Server
	ln          net.Listener
	fingerprint string

	mu       sync.Mutex
	sessions map[*sshSession]struct{}
	limits   map[int64]platforms.Limits
	addrs    map[string]*addrLimit
	open     atomic.Int32
	// running counts the session handlers that have not returned: Serve
	// returns only when every program has quit and saved, so nothing
	// uses the store after it.
	running sync.WaitGroup
	// watched, when set, hears from the watch: a zero Change when it
	// begins (again), and each commit it saw once the sessions were told
	// of it. Tests wait on it instead of waiting a while.
	watched func(store.Change)
}

type addrLimit struct {
	lim  *rate.Limiter
	seen time.Time
}

// sshSession is one connected program and the outbox its forwarder drains.
type sshSession struct {
	role   string
	user   string
	addr   string
	p      *tea.Program
	outbox chan tea.Msg
	// changed holds one "the database changed" for the forwarder: however
	// often it changes while the program is busy, it reloads once, and
	// the scheduler's events are never pushed out by reloads.
	changed chan struct{}
	last    atomic.Int64 // unix nanoseconds of the last keypress
	screen  *screen      // draws the program on the client's terminal
}

// touch tells the session the database changed.
func (ss *sshSession) touch() {
	select {
	case ss.changed <- struct{}{}:
	default:
	}
}

// push hands a message to the session's program without ever blocking the
// sender: a full outbox drops its oldest message.
func (ss *sshSession) push(m tea.Msg) {
	for {
		select {
		case ss.outbox <- m:
			return
		default:
		}
		select {
		case <-ss.outbox:
		default:
		}
	}
}

type sessionKey struct{}

// newSSHServer checks the files and makes the server; nothing listens yet.
func newSSHServer(cfg *config.Config, st *store.Store, accounts []store.Account, nets map[int64]platforms.Network,
	logger *log.Logger, demo bool, o serveOptions) (*sshServer, error) {
	s := &sshServer{o: o, cfg: cfg, st: st, accounts: accounts, log: logger, demo: demo,
		sessions: map[*sshSession]struct{}{}, limits: map[int64]platforms.Limits{}, addrs: map[string]*addrLimit{}}
	if o.WatchEvery <= 0 {
		s.o.WatchEvery = 100 * time.Millisecond
	}
	if _, err := readAuthorizedKeys(o.KeysPath); err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	signer, err := hostKey(o.HostKeyPath)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	s.fingerprint = gossh.FingerprintSHA256(signer.PublicKey())
	if cfg.Scheduler.Enabled {
		s.events = make(chan scheduler.Event, 64)
		s.sched = newScheduler(cfg, st, accounts, nets, logger, s.events, o.Debug)
	}
	home, _ := os.UserHomeDir()
	s.configFile, s.configGone = configForApp(cfg, os.Getenv, home)

	srv, err := wish.NewServer(
		wish.WithAddress(o.Listen),
		func(srv *ssh.Server) error { srv.AddHostKey(signer); return nil },
		wish.WithPublicKeyAuth(s.authorize),
		ssh.WrapConn(s.admit),
		wish.WithMiddleware(
			bm.MiddlewareWithProgramHandler(s.program, termenv.Ascii),
			s.commands,
			s.session,
			logging.MiddlewareWithLogger(logger),
		),
	)
	if err != nil {
		return nil, err
	}
	srv.ConnectionFailedCallback = func(conn net.Conn, err error) {
		logger.Printf("%s: connection refused: %v", conn.RemoteAddr(), err)
	}
	s.srv = srv
	return s, nil
}

// hostKey reads the server's ed25519 key, making it the first time (0600,
// its folder 0700). A key others may read is refused, as sshd refuses it.
func hostKey(path string) (gossh.Signer, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		block, err := gossh.MarshalPrivateKey(priv, "crier serve host key")
		if err != nil {
			return nil, err
		}
		b = pem.EncodeToMemory(block)
		if err := platforms.WritePrivate(path, b); err != nil {
			return nil, fmt.Errorf("host key %s: cannot write it: %w", path, err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	} else if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("host key %s: others may read it (mode %04o): chmod 600 %s", path, info.Mode().Perm(), path)
	}
	signer, err := gossh.ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("host key %s: not a private key crier can use: %w", path, err)
	}
	return signer, nil
}

// authorizedKey is one line of the authorized keys file.
type authorizedKey struct {
	key     gossh.PublicKey
	role    string
	comment string
}

// readAuthorizedKeys reads crier's authorized keys file: OpenSSH's
// authorized_keys lines, each beginning with its role (full or glance).
// Blank lines and # comments are skipped; any other line that can't be
// read stops it, naming the file and the line.
func readAuthorizedKeys(path string) ([]authorizedKey, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s does not exist: crier serve lets in only the keys listed there. Add yours with its role, e.g.\n  echo \"full $(cat ~/.ssh/id_ed25519.pub)\" >> %s\n(glance instead of full for a read-only key)", path, path)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []authorizedKey
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, comment, options, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("%s, line %d: not a public key line (%v): write the role, then the key as ssh-keygen prints it", path, n, err)
		}
		if len(options) != 1 || (options[0] != roleFull && options[0] != roleGlance) {
			return nil, fmt.Errorf("%s, line %d: start the line with its role, full or glance (found %q)", path, n, strings.Join(options, ","))
		}
		out = append(out, authorizedKey{key: key, role: options[0], comment: comment})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

type roleKey struct{}

// authorize lets in a key listed in the authorized keys file (read anew
// each time, so a key added or removed counts at once) and notes its role.
func (s *sshServer) authorize(ctx ssh.Context, key ssh.PublicKey) bool {
	keys, err := readAuthorizedKeys(s.o.KeysPath)
	if err != nil {
		s.log.Printf("%s: refused: %v", ctx.RemoteAddr(), err)
		return false
	}
	for _, k := range keys {
		if ssh.KeysEqual(key, k.key) {
			ctx.SetValue(roleKey{}, k.role)
			return true
		}
	}
	s.log.Printf("%s: refused key %s (user %s): not in %s", ctx.RemoteAddr(), gossh.FingerprintSHA256(key), ctx.User(), s.o.KeysPath)
	return false
}

// admit applies the per-address connection rate, before any SSH is
// spoken.
func (s *sshServer) admit(ctx ssh.Context, conn net.Conn) net.Conn {
	host, _, err := net.SplitHostPort(conn.RemoteAddr().String())
	if err != nil {
		host = conn.RemoteAddr().String()
	}
	now := time.Now()
	s.mu.Lock()
	if len(s.addrs) > 4096 {
		for a, l := range s.addrs {
			if now.Sub(l.seen) > 10*time.Minute {
				delete(s.addrs, a)
			}
		}
	}
	l, ok := s.addrs[host]
	if !ok {
		l = &addrLimit{lim: rate.NewLimiter(rate.Every(time.Minute/time.Duration(max(s.o.PerMinute, 1))), max(s.o.PerMinute, 1))}
		s.addrs[host] = l
	}
	l.seen = now
	allowed := l.lim.AllowN(now, 1)
	s.mu.Unlock()
	if !allowed {
		s.log.Printf("%s: refused: more than %d connections a minute from it", conn.RemoteAddr(), s.o.PerMinute)
		return nil
	}
	return conn
}

// session registers a session for the limits and the events, and lets it
// go when it ends.
func (s *sshServer) session(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.running.Add(1)
		defer s.running.Done()
		role, _ := sess.Context().Value(roleKey{}).(string)
		if role == "" {
			wish.Fatalln(sess, "crier serve: this key has no role")
			return
		}
		if n := s.open.Add(1); s.o.MaxSessions > 0 && int(n) > s.o.MaxSessions {
			s.open.Add(-1)
			s.log.Printf("%s: refused: %d sessions are open, the most crier serve takes (--max-sessions)", sess.RemoteAddr(), s.o.MaxSessions)
			wish.Fatalln(sess, fmt.Sprintf("crier serve: %d sessions are open already, the most it takes: try again later", s.o.MaxSessions))
			return
		}
		defer s.open.Add(-1)
		ss := &sshSession{role: role, user: sess.User(), addr: sess.RemoteAddr().String(),
			outbox: make(chan tea.Msg, 64), changed: make(chan struct{}, 1)}
		ss.last.Store(time.Now().UnixNano())
		sess.Context().SetValue(sessionKey{}, ss)
		s.log.Printf("%s: %s key %s (%s) connected", ss.addr, role, fingerprintOf(sess), sess.User())
		next(sess)
		if ss.screen != nil {
			ss.screen.close() // the last frame, and the terminal as it was
		}
		s.mu.Lock()
		delete(s.sessions, ss)
		s.mu.Unlock()
		s.log.Printf("%s: %s session ended", ss.addr, role)
	}
}

func fingerprintOf(sess ssh.Session) string {
	if k := sess.PublicKey(); k != nil {
		return gossh.FingerprintSHA256(k)
	}
	return "?"
}

// commands runs a command given after the host (ssh host -p 2222 kpi): the
// CLI's read-only commands on the server's store, then the session ends
// with the command's exit status.
func (s *sshServer) commands(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		args := sess.Command()
		if len(args) == 0 {
			next(sess)
			return
		}
		allowed := map[string]bool{"kpi": true, "queue": true, "inbox": true, "accounts": true}
		if !allowed[args[0]] {
			wish.Errorf(sess, "crier serve: %q is not a command over SSH: kpi, queue, inbox and accounts are (with --json), or connect with ssh -t for the app\n", args[0])
			_ = sess.Exit(exitUsage)
			return
		}
		env := &cliEnv{stdin: strings.NewReader(""), stdout: sess, stderr: sess.Stderr(), shared: s.st, sharedCfg: s.cfg}
		root := newRootCmd(env)
		for _, c := range root.Commands() {
			if !allowed[c.Name()] {
				root.RemoveCommand(c)
			}
		}
		code := executeRoot(root, env, args)
		_ = sess.Exit(code)
	}
}

// program makes the session's program: its own renderer (the client's
// terminal, colour profile and NO_COLOR), its own Common (read-only for a
// glance key), on the shared store and scheduler.
func (s *sshServer) program(sess ssh.Session) *tea.Program {
	ss, _ := sess.Context().Value(sessionKey{}).(*sshSession)
	if ss == nil {
		return nil
	}
	if _, _, ok := sess.Pty(); !ok {
		// ssh -T, or ssh from a script with no command: no terminal to
		// draw on. Say what works instead, and draw nothing.
		wish.Errorln(sess, "crier serve: the app needs a terminal: connect with ssh -t, or give a command: kpi, queue, inbox or accounts (with --json)")
		_ = sess.Exit(exitUsage)
		return nil
	}
	renderer := sessionRenderer(sess)
	noColor := false
	for _, kv := range sess.Environ() {
		if strings.HasPrefix(kv, "NO_COLOR=") && kv != "NO_COLOR=" {
			noColor = true
		}
	}
	readOnly := ss.role != roleFull
	s.mu.Lock()
	limits := make(map[int64]platforms.Limits, len(s.limits))
	for id, l := range s.limits {
		limits[id] = l
	}
	s.mu.Unlock()
	c := &common.Common{
		Styles:   sessionStyles(renderer, noColor),
		Store:    s.st,
		Now:      time.Now,
		Zone:     s.cfg.Timezone,
		Accounts: s.accounts,
		Networks: networkSpecs(),
		Limits:   limits,
		Settings: common.Settings{WeekStart: s.cfg.UI.WeekStart, SnoozePresets: s.cfg.UI.SnoozePresets},
		Log:      s.log,
		Demo:     s.demo,
		ReadOnly: readOnly,
		Remote:   true,
		// $EDITOR would run on the server, not in the client's terminal.
		Editor:        "",
		ConfigFile:    s.configFile,
		ConfigMissing: s.configGone,
	}
	c.Nav = keys.DefaultNav()
	var view tui.SchedulerView
	if s.sched != nil {
		c.Waker = s.sched
		if !readOnly {
			c.Reactor = s.sched
		}
		view = s.sched
	}
	in := &activityReader{r: sess, last: &ss.last}
	dropped := false
	ss.screen = newScreen(sess)
	p := tea.NewProgram(drawn{Model: tui.New(c, view), screen: ss.screen, pace: &pace{}},
		tea.WithInput(in), tea.WithOutput(sess),
		// The session's screen draws each frame when it changes; Bubble
		// Tea's own renderer draws on a clock (see screen).
		tea.WithoutRenderer(),
		// A dropped connection ends the program through the app's own
		// ctrl+c, which saves what every pane holds (a half-typed post or
		// reply) before it quits; wish's middleware quits it bluntly.
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			if _, ok := msg.(tea.QuitMsg); ok && !dropped && sess.Context().Err() != nil {
				dropped = true
				return tea.KeyMsg{Type: tea.KeyCtrlC}
			}
			return msg
		}))
	ss.p = p
	s.mu.Lock()
	s.sessions[ss] = struct{}{}
	s.mu.Unlock()
	go s.forward(sess.Context(), ss)
	if s.o.IdleTimeout > 0 {
		go s.idle(sess, ss)
	}
	return p
}

// sessionStyles are the app's styles on the session's renderer, the
// theme's colours turned into the client's palette once: lipgloss would
// otherwise find the nearest of a 256-colour terminal's colours to each
// hex colour (in HSLuv) on every render, which was a tenth of what fifty
// sessions drawing their calendars cost.
func sessionStyles(r *lipgloss.Renderer, noColor bool) *styles.Styles {
	if noColor {
		return styles.For(r, true)
	}
	t := styles.DefaultTheme()
	for _, c := range []*lipgloss.TerminalColor{&t.Text, &t.Muted, &t.Subtle, &t.Accent, &t.Ok, &t.Warn,
		&t.Danger, &t.Info, &t.Border, &t.Surface} {
		*c = paletteColor(r, *c)
	}
	return styles.New(r, t)
}

// paletteColor is c as the session's terminal shows it: the light or dark
// choice made, and on a 256- or 16-colour terminal, the palette's index.
func paletteColor(r *lipgloss.Renderer, c lipgloss.TerminalColor) lipgloss.TerminalColor {
	ac, ok := c.(lipgloss.AdaptiveColor)
	if !ok {
		return c
	}
	hex := ac.Light
	if r.HasDarkBackground() {
		hex = ac.Dark
	}
	switch tc := r.ColorProfile().Color(hex).(type) {
	case termenv.ANSI256Color:
		return lipgloss.Color(strconv.Itoa(int(tc)))
	case termenv.ANSIColor:
		return lipgloss.Color(strconv.Itoa(int(tc)))
	case termenv.NoColor:
		return lipgloss.NoColor{}
	}
	return lipgloss.Color(hex)
}

// drawn is the app with its frames drawn on the session's screen.
type drawn struct {
	tea.Model
	screen *screen
	pace   *pace
}

// pace decides which messages' frames are made at once: those of a key,
// and of anything in the moments after one (the answer to what the key
// asked for). A frame of the background alone (a reload after another
// session saved, the clock) waits until calmFrame after the last one, and
// the ones in between are not made: fifty idle sessions each making a
// frame for every message of a reload took most of the server's time
// while someone typed.
type pace struct {
	lastKey, lastFrame time.Time
	skip               bool // this message's frame waits
	pending            bool // a redraw is on its way
}

const (
	calmFrame = 40 * time.Millisecond  // between two frames of the background
	keyBusy   = 250 * time.Millisecond // after a key, frames are made at once
)

// redrawMsg asks for the frame that waited.
type redrawMsg struct{}

func (d drawn) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	now := time.Now()
	urgent := false
	switch msg := msg.(type) {
	case redrawMsg:
		d.pace.pending, d.pace.skip = false, false
		return d, nil
	case tea.WindowSizeMsg:
		d.screen.resize(msg.Width, msg.Height)
		urgent = true
	case tea.KeyMsg, tea.MouseMsg:
		d.pace.lastKey = now
		urgent = true
	}
	m, cmd := d.Model.Update(msg)
	d.Model = m
	wait := calmFrame - now.Sub(d.pace.lastFrame)
	d.pace.skip = !urgent && now.Sub(d.pace.lastKey) > keyBusy && wait > 0
	if d.pace.skip && !d.pace.pending {
		d.pace.pending = true
		cmd = tea.Batch(cmd, tea.Tick(wait, func(time.Time) tea.Msg { return redrawMsg{} }))
	}
	return d, cmd
}

// View hands the frame to the screen; Bubble Tea, without a renderer,
// draws nothing itself.
func (d drawn) View() string {
	if d.pace.skip {
		return ""
	}
	d.pace.lastFrame = time.Now()
	d.screen.show(d.Model.View())
	return ""
}

// screen draws one session's frames on its terminal (the alternate
// screen), each as soon as it differs from the last, and only the lines
// that changed.
//
// Bubble Tea v1's renderer draws on a clock instead, at most 120 frames a
// second: a keypress waits up to 8 ms for the next tick before it shows,
// and every tick of every session copies and compares the whole frame
// even when nothing changed, which with fifty sessions open was half of
// all the server allocated. Here a frame is drawn by a goroutine of the
// session's own, so a slow client never holds up its program, and frames
// made while one is being written fold into the newest.
type screen struct {
	out     io.Writer
	kick    chan struct{}
	stop    chan struct{}
	stopped chan struct{}
	once    sync.Once

	mu            sync.Mutex
	view          string // the newest frame
	dirty         bool   // view is not drawn yet
	repaint       bool   // draw every line (a new size)
	width, height int

	lines []string // what is on the terminal; the drawing goroutine's own
	buf   bytes.Buffer
}

func newScreen(out io.Writer) *screen {
	sc := &screen{out: out, kick: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{})}
	go sc.run()
	return sc
}

// show takes the program's newest frame.
func (sc *screen) show(view string) {
	sc.mu.Lock()
	if view != sc.view || sc.repaint {
		sc.view, sc.dirty = view, true
	}
	dirty := sc.dirty
	sc.mu.Unlock()
	if dirty {
		select {
		case sc.kick <- struct{}{}:
		default:
		}
	}
}

// resize takes the terminal's new size: the next frame is drawn whole.
func (sc *screen) resize(w, h int) {
	sc.mu.Lock()
	sc.width, sc.height, sc.repaint, sc.dirty = w, h, true, true
	sc.mu.Unlock()
}

// close draws the last frame and gives the terminal back as it was. A
// client that takes nothing more holds it up no longer than 2 s.
func (sc *screen) close() {
	sc.once.Do(func() { close(sc.stop) })
	select {
	case <-sc.stopped:
	case <-time.After(2 * time.Second):
	}
}

func (sc *screen) run() {
	defer close(sc.stopped)
	io.WriteString(sc.out, ansi.SetModeAltScreenSaveCursor+ansi.EraseEntireScreen+ansi.CursorHomePosition+
		ansi.HideCursor+ansi.SetModeBracketedPaste)
	for {
		select {
		case <-sc.kick:
			sc.draw()
		case <-sc.stop:
			sc.draw()
			io.WriteString(sc.out, ansi.ResetModeBracketedPaste+ansi.ShowCursor+ansi.ResetModeAltScreenSaveCursor)
			return
		}
	}
}

// draw writes the newest frame: from the top left, each line that
// differs from what the terminal shows, cut to the width and cleared to
// its end; an unchanged line is stepped over.
func (sc *screen) draw() {
	sc.mu.Lock()
	if !sc.dirty {
		sc.mu.Unlock()
		return
	}
	view, w, h, repaint := sc.view, sc.width, sc.height, sc.repaint
	sc.dirty, sc.repaint = false, false
	sc.mu.Unlock()

	lines := strings.Split(view, "\n")
	if h > 0 && len(lines) > h {
		lines = lines[len(lines)-h:] // as Bubble Tea does: the bottom shows
	}
	if repaint {
		sc.lines = nil
	}
	b := &sc.buf
	b.Reset()
	b.WriteString(ansi.CursorHomePosition)
	for i, line := range lines {
		if i < len(sc.lines) && sc.lines[i] == line {
			if i < len(lines)-1 {
				b.WriteByte('\n')
			}
			continue
		}
		if w > 0 {
			line = ansi.Truncate(line, w, "")
		}
		b.WriteString(line)
		if ansi.StringWidth(line) < w || w <= 0 {
			b.WriteString(ansi.EraseLineRight)
		}
		if i < len(lines)-1 {
			b.WriteString("\r\n")
		}
	}
	if repaint || len(sc.lines) > len(lines) {
		b.WriteString(ansi.EraseScreenBelow)
	}
	sc.lines = lines
	_, _ = sc.out.Write(b.Bytes())
}

// sessionRenderer is the session's own lipgloss renderer: the colour
// profile its client's TERM and COLORTERM give. Unlike wish's MakeRenderer
// it never asks the terminal for its background: a client that does not
// answer (a phone's SSH app, a script with a pty) would hold the session
// up, and an answer arriving late would be read as keys. The background is
// taken as dark.
func sessionRenderer(sess ssh.Session) *lipgloss.Renderer {
	pty, _, ok := sess.Pty()
	if !ok || pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii))
	}
	env := append(append([]string{}, sess.Environ()...), "TERM="+pty.Term)
	r := lipgloss.NewRenderer(sess, termenv.WithEnvironment(sshEnviron(env)), termenv.WithUnsafe(), termenv.WithColorCache(true))
	r.SetHasDarkBackground(true)
	return r
}

// sshEnviron is the client's environment, as termenv reads one.
type sshEnviron []string

func (e sshEnviron) Environ() []string { return e }

func (e sshEnviron) Getenv(k string) string {
	for _, v := range e {
		if strings.HasPrefix(v, k+"=") {
			return v[len(k)+1:]
		}
	}
	return ""
}

// activityReader notes when the client last typed.
type activityReader struct {
	r    io.Reader
	last *atomic.Int64
}

func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.last.Store(time.Now().UnixNano())
	}
	return n, err
}

// idle ends a session nobody typed in for the idle timeout; what it held
// is saved as on any drop.
func (s *sshServer) idle(sess ssh.Session, ss *sshSession) {
	check := min(s.o.IdleTimeout/4, 30*time.Second)
	t := time.NewTicker(max(check, 10*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-sess.Context().Done():
			return
		case <-t.C:
			if time.Since(time.Unix(0, ss.last.Load())) >= s.o.IdleTimeout {
				s.log.Printf("%s: idle for %s: closing the session", ss.addr, s.o.IdleTimeout)
				// The app quits as on ctrl+c, saving what it holds; the
				// session ends when it has.
				ss.push(tea.KeyMsg{Type: tea.KeyCtrlC})
				select {
				case <-sess.Context().Done():
				case <-time.After(10 * time.Second):
					_ = sess.Close()
				}
				return
			}
		}
	}
}

// forward passes the session's outbox to its program until the session
// ends: the only goroutine that sends to that program.
func (s *sshServer) forward(ctx context.Context, ss *sshSession) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("%s: event forwarder: %v", ss.addr, r)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-ss.outbox:
			ss.p.Send(m)
		case <-ss.changed:
			ss.p.Send(common.DataChangedMsg{What: "store"})
		}
	}
}

// broadcast hands msg to every session's outbox.
func (s *sshServer) broadcast(msg tea.Msg) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ss := range s.sessions {
		ss.push(msg)
	}
}

// Listen binds the address; Addr says which it got (for :0).
func (s *sshServer) Listen() error {
	ln, err := net.Listen("tcp", s.o.Listen)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("--listen %s: %w", s.o.Listen, err)}
	}
	s.ln = ln
	return nil
}

func (s *sshServer) Addr() string { return s.ln.Addr().String() }

// Serve runs the scheduler, the event fan-out, the change watcher and the
// SSH server until ctx ends, then closes the sessions (each saves what it
// holds) and stops the scheduler.
func (s *sshServer) Serve(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	if s.sched != nil {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if err := s.sched.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				s.log.Printf("scheduler stopped: %v", err)
			}
		}()
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case e := <-s.events:
					s.broadcast(tui.SchedulerMsg{Event: e})
				}
			}
		}()
	}
	wg.Add(1)
	go func() { defer wg.Done(); s.watch(ctx) }()

	served := make(chan error, 1)
	go func() { served <- s.srv.Serve(s.ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	// Each app quits as on ctrl+c, saving what it holds, before the
	// connections are closed.
	s.broadcast(tea.KeyMsg{Type: tea.KeyCtrlC})
	shut, stop := context.WithTimeout(context.Background(), 3*time.Second)
	defer stop()
	_ = s.srv.Shutdown(shut) // waits for the connections to end
	_ = s.srv.Close()
	// A closed connection ends its program; each saves and quits.
	ended := make(chan struct{})
	go func() { s.running.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-time.After(15 * time.Second):
		s.log.Printf("sessions still closing after 15 s; stopping without them")
	}
	cancel()
	wg.Wait()
	if errors.Is(err, ssh.ErrServerClosed) {
		err = nil
	}
	return err
}

// watch tells every session when what it shows changed (another session
// or process saved): the panes reload what they show.
func (s *sshServer) watch(ctx context.Context) {
	watched := s.watched
	if watched == nil {
		watched = func(store.Change) {}
	}
	s.st.Watch(ctx, s.o.WatchEvery, store.WatchHooks{
		Opened: func() { watched(store.Change{}) },
		// Only what the sessions show: the sender lease's heartbeat and
		// the sync cursors are commits too, every few seconds, and fifty
		// sessions reloading together for them would stall the keys.
		Changed: func(c store.Change) {
			if c.Content {
				s.touchAll(ctx)
			}
			watched(c)
		},
	})
}

// reloadPace is how far apart the sessions are told of a change, and
// reloadSpread the longest it takes to tell them all: fifty apps
// reloading at once would take both of a small machine's cores for tens
// of milliseconds, and every key typed meanwhile would wait. One after
// the other they leave a core free; the one typing last hears first.
const (
	reloadPace   = 10 * time.Millisecond
	reloadSpread = 500 * time.Millisecond
)

// touchAll tells every session the data changed, one after another,
// the most recently typed in first.
func (s *sshServer) touchAll(ctx context.Context) {
	s.mu.Lock()
	all := make([]*sshSession, 0, len(s.sessions))
	for ss := range s.sessions {
		all = append(all, ss)
	}
	s.mu.Unlock()
	slices.SortFunc(all, func(a, b *sshSession) int { return cmp.Compare(b.last.Load(), a.last.Load()) })
	pace := reloadPace
	if len(all) > 1 {
		pace = min(pace, reloadSpread/time.Duration(len(all)-1))
	}
	for i, ss := range all {
		if i > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(pace):
			}
		}
		ss.touch()
	}
}

// fetchLimits asks each account's server what it takes, once, and hands
// the answers to the sessions open and to come.
func (s *sshServer) fetchLimits(ctx context.Context, nets map[int64]platforms.Network) {
	for id, n := range nets {
		lctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		l, err := n.Limits(lctx)
		cancel()
		if err != nil {
			s.log.Printf("account %d: reading its server's limits: %v (the composer uses the platform's defaults)", id, err)
			continue
		}
		s.mu.Lock()
		s.limits[id] = l
		s.mu.Unlock()
		s.broadcast(tui.LimitsMsg{AccountID: id, Limits: l})
	}
}
