// Command crier runs a small business's social media from the terminal:
// calendar, drafts, inbox and KPIs over a local SQLite file, with an embedded
// scheduler that sends queued posts while it runs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/scheduler"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/keys"
	"github.com/crier-app/crier/tui/styles"
)

const usage = `crier: run a small business's social media from the terminal.

Usage:
  crier [--config FILE] [--debug]          open the app on your accounts
  crier demo [--seed N] [--large] [--keep] open the app on a throwaway demo database
  crier run [--config FILE] [--debug]      send queued posts without the app (headless)
  crier login mastodon SERVER              sign in to a Mastodon account (OAuth with PKCE)
  crier init [--config FILE]               write a config file and add your accounts, asking
  crier serve [--listen :2222]             the app over SSH, one scheduler for every session
  crier version, crier --version           which crier this is
  crier help, crier --help                 this text

For scripts (each with --help; --json prints fields the README documents):
  crier kpi [--period 7d|30d|90d]          is it working? one screen of figures
  crier post TEXT|--stdin|--editor         write a post and queue it (--to, --at, --image...)
  crier queue                              the posts on their way, soonest first
  crier inbox [--open]                     the inbox, newest first
  crier accounts                           the accounts crier posts to
  crier report --format md|csv|html|json   a campaign's or a span's report, -o FILE
  crier import FILE [--preset NAME]        bring in an analytics or ads export (preview, then --yes)
  crier completion bash|zsh|fish|powershell   shell completion

Exit status: 0 done, 1 failed, 2 a usage error (nothing was done).

Config is read from --config FILE, else $CRIER_CONFIG, else
$XDG_CONFIG_HOME/crier/config.yaml (~/.config/crier/config.yaml). See
config.example.yaml for every key.
`

// exitUsage is the status for bad flags, a bad config or an unusable database.
const exitUsage = 2

func main() {
	os.Exit(cli(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "login" {
		return runLogin(args, os.Stdin, os.Stdout, stderr)
	}
	fs := flag.NewFlagSet("crier "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	configPath := fs.String("config", "", "config file")
	debug := fs.Bool("debug", false, "log more to the log file")
	seed := fs.Int64("seed", 0, "demo: seed for the sample data (0 picks one)")
	large := fs.Bool("large", false, "demo: the large benchmark database (100k posts, 500k inbox items)")
	keep := fs.Bool("keep", false, "demo: keep the demo database and print where it is")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "crier: unexpected argument %q\n\n%s", fs.Arg(0), usage)
		return exitUsage
	}
	if cmd != "demo" && (*seed != 0 || *large || *keep) {
		fmt.Fprintf(stderr, "crier: --seed, --large and --keep only apply to crier demo\n")
		return exitUsage
	}

	home, _ := os.UserHomeDir()
	switch cmd {
	case "":
		cfg, err := config.Load(config.LoadOptions{Flag: *configPath, Getenv: os.Getenv, Home: home})
		if err != nil {
			return fail(stderr, err)
		}
		return runApp(cfg, appOptions{debug: *debug}, stderr)
	case "demo":
		cfg := config.Defaults(os.Getenv, home)
		return runDemo(cfg, demoOptions{seed: *seed, large: *large, keep: *keep, debug: *debug}, stderr)
	case "run":
		cfg, err := config.Load(config.LoadOptions{Flag: *configPath, Getenv: os.Getenv, Home: home})
		if err != nil {
			return fail(stderr, err)
		}
		return runHeadless(cfg, *debug, stderr)
	}
	fmt.Fprintf(stderr, "crier: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

// fail prints an error as one paragraph and returns the usage status.
func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "crier: %v\n", err)
	return exitUsage
}

type appOptions struct {
	debug bool
	demo  bool
	st    *store.Store // already open (the demo); nil to open cfg.Database
}

type demoOptions struct {
	seed  int64
	large bool
	keep  bool
	debug bool
}

func runDemo(cfg *config.Config, o demoOptions, stderr io.Writer) int {
	ctx := context.Background()
	var (
		st  *store.Store
		err error
	)
	if o.large {
		path := filepath.Join(cacheDir(), "crier", "demo-large.db")
		fmt.Fprintf(stderr, "crier: opening the large demo database %s (built once; this can take a minute)\n", path)
		st, err = demo.EnsureLarge(ctx, path, 1)
		if err != nil {
			return fail(stderr, err)
		}
	} else {
		dir, err := os.MkdirTemp("", "crier-demo-")
		if err != nil {
			return fail(stderr, fmt.Errorf("cannot make a folder for the demo database: %w", err))
		}
		if o.keep {
			fmt.Fprintf(stderr, "crier: the demo database is kept at %s\n", filepath.Join(dir, "crier.db"))
		} else {
			defer os.RemoveAll(dir)
		}
		st, err = store.Open(ctx, filepath.Join(dir, "crier.db"))
		if err != nil {
			return fail(stderr, err)
		}
		seed := o.seed
		if seed == 0 {
			seed = time.Now().UnixNano() % 1_000_000
		}
		now := time.Now()
		if err := demo.Seed(ctx, st, demo.Options{Seed: seed, Now: now, Zone: cfg.Timezone}); err != nil {
			st.Close()
			return fail(stderr, fmt.Errorf("seeding the demo: %w", err))
		}
		if _, err := demo.QueueLive(ctx, st, now, cfg.Timezone); err != nil {
			st.Close()
			return fail(stderr, fmt.Errorf("seeding the demo: %w", err))
		}
	}
	cfg.LogFile = filepath.Join(os.TempDir(), "crier-demo.log")
	cfg.Marketing.Domains = []string{demo.SiteDomain} // the demo bakery's links are tagged
	return runApp(cfg, appOptions{debug: o.debug, demo: true, st: st}, stderr)
}

func cacheDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return d
	}
	return os.TempDir()
}

// openLog opens the log file; the TUI owns the terminal, so logs go there.
// A log file that cannot be written is an error, as a database that cannot
// be made is: what went wrong while the app ran (a post refused, a sync
// failing) would otherwise be lost without a word.
func openLog(cfg *config.Config, debug bool) (*log.Logger, func(), error) {
	if cfg.LogFile == "" {
		return log.New(io.Discard, "", 0), func() {}, nil
	}
	where := "the default place"
	if os.Getenv(config.EnvVar("log_file")) != "" {
		where = "set by " + config.EnvVar("log_file")
	} else if home, _ := os.UserHomeDir(); cfg.File != "" && cfg.LogFile != config.Defaults(os.Getenv, home).LogFile {
		where = "the log_file setting of " + cfg.File
	}
	if err := os.MkdirAll(filepath.Dir(cfg.LogFile), 0o700); err != nil {
		return nil, nil, fmt.Errorf("log file %s (%s): cannot make its folder: %v; set log_file to a place crier can write", cfg.LogFile, where, unwrapPathErr(err))
	}
	f, err := os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("log file %s (%s): cannot write it: %v; set log_file to a place crier can write", cfg.LogFile, where, unwrapPathErr(err))
	}
	flags := log.LstdFlags
	if debug {
		flags |= log.Lmicroseconds | log.Lshortfile
	}
	return log.New(f, "", flags), func() { f.Close() }, nil
}

// unwrapPathErr is err without the operation and path a *fs.PathError
// repeats.
func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// networkSpecs are how the composer counts for each platform, before any
// server has told us its own limits: each network's own Spec, by platform.
func networkSpecs() map[string]common.NetworkSpec {
	return common.Specs(mastodon.Spec(), bluesky.Spec(), sandbox.Spec())
}

// setup opens what both the app and headless mode need.
func setup(ctx context.Context, cfg *config.Config, o appOptions) (*store.Store, []store.Account, map[int64]platforms.Network, error) {
	st := o.st
	if st == nil {
		var err error
		st, err = store.Open(ctx, cfg.Database)
		if err != nil {
			return nil, nil, nil, err
		}
		if err := checkPlausible(cfg); err != nil {
			st.Close()
			return nil, nil, nil, err
		}
		for _, a := range cfg.Accounts {
			if _, err := st.UpsertAccount(ctx, storeAccount(a)); err != nil {
				st.Close()
				return nil, nil, nil, fmt.Errorf("database %s: recording account %s: %w", cfg.Database, a.Handle, err)
			}
		}
	}
	accounts, err := st.Accounts(ctx)
	if err != nil {
		st.Close()
		return nil, nil, nil, fmt.Errorf("database %s: %w", st.Path(), err)
	}
	if o.st == nil && !o.demo {
		if err := recordPlanning(ctx, st, cfg, accounts, time.Now()); err != nil {
			st.Close()
			return nil, nil, nil, err
		}
	}
	nets := map[int64]platforms.Network{}
	if o.demo {
		// The demo's accounts look like Mastodon and Bluesky but publish to
		// the local sandbox, which records what it was sent in the database.
		for _, a := range accounts {
			nets[a.ID] = sandbox.New(a.Handle, st)
		}
		return st, accounts, nets, nil
	}
	for _, ca := range cfg.Accounts {
		id := accountID(accounts, ca)
		if id == 0 {
			continue
		}
		n, err := network(ca, filepath.Join(filepath.Dir(st.Path()), "sessions"))
		if err != nil {
			st.Close()
			return nil, nil, nil, err
		}
		if n != nil {
			nets[id] = n
		}
	}
	return st, accounts, nets, nil
}

// setupWaiting is setup that waits out a database another program holds
// locked (a backup, a sqlite3 shell, a migration in another crier): that
// passes, and a service that exited on it would only be restarted into the
// same lock. say announces the wait once. It gives up only when ctx ends.
func setupWaiting(ctx context.Context, cfg *config.Config, o appOptions, say func(string)) (st *store.Store, accounts []store.Account, nets map[int64]platforms.Network, err error) {
	err = retryWhileBusy(ctx, 0, time.Second, func() {
		say(fmt.Sprintf("the database %s is locked by another program; waiting for it to be free (crier carries on by itself)", cfg.Database))
	}, func() (err error) {
		st, accounts, nets, err = setup(ctx, cfg, o)
		return err
	})
	return st, accounts, nets, err
}

func accountID(accounts []store.Account, ca config.Account) int64 {
	for _, a := range accounts {
		if a.Platform == ca.Platform && a.Handle == ca.Handle && a.Server == ca.Server {
			return a.ID
		}
	}
	return 0
}

// network builds the client for a configured account. A Bluesky session
// (whose refresh token rotates) is kept in sessionDir, beside the database,
// readable only by the user.
func network(ca config.Account, sessionDir string) (platforms.Network, error) {
	secret, err := ca.Secret(os.Getenv)
	if err != nil {
		return nil, err
	}
	switch ca.Platform {
	case store.PlatformMastodon:
		return mastodon.New(ca.Server, secret), nil
	case store.PlatformBluesky:
		if err := os.MkdirAll(sessionDir, 0o700); err != nil {
			return nil, fmt.Errorf("account %s: cannot make the folder for its session: %w", ca.Handle, err)
		}
		session := filepath.Join(sessionDir, "bluesky-"+strings.TrimPrefix(ca.Handle, "@")+".json")
		return bluesky.New(ca.Server, ca.Handle,
			bluesky.WithAppPassword(secret),
			bluesky.WithSessionStore(bluesky.FileSessionStore(session))), nil
	}
	return nil, fmt.Errorf("account %s: crier has no client for %q", ca.Handle, ca.Platform)
}

// resolveAccount sets up the network of an account added since crier
// started (crier login in another terminal, a config edited by hand): it
// reads the config file again, as it is now, and builds the account's
// client as at the start. Nothing is found without a config file.
func resolveAccount(cfg *config.Config, st *store.Store) func(context.Context, int64) (platforms.Network, error) {
	return func(ctx context.Context, id int64) (platforms.Network, error) {
		if cfg.File == "" {
			return nil, nil
		}
		// Neither a database that is busy nor a config caught half saved
		// is the post's fault: the scheduler tries again later.
		a, err := st.Account(ctx, id)
		if err != nil {
			return nil, &platforms.Error{Class: platforms.Transient, Reason: "reading the account: " + err.Error(), Err: err}
		}
		now, err := reloadConfig(cfg)
		if err != nil {
			return nil, &platforms.Error{Class: platforms.Transient, Reason: "reading the config again: " + err.Error(), Err: err}
		}
		for _, ca := range now.Accounts {
			if ca.Platform == a.Platform && ca.Handle == a.Handle && ca.Server == a.Server {
				return network(ca, filepath.Join(filepath.Dir(st.Path()), "sessions"))
			}
		}
		return nil, nil
	}
}

// reloadConfig reads cfg's file again, as it is now.
func reloadConfig(cfg *config.Config) (*config.Config, error) {
	home, _ := os.UserHomeDir()
	return config.Load(config.LoadOptions{Flag: cfg.File, Getenv: os.Getenv, Home: home})
}

// storeAccount is a config account as the database records it.
func storeAccount(a config.Account) store.Account {
	return store.Account{Platform: a.Platform, Handle: a.Handle, Server: a.Server, DisplayName: a.Name}
}

// recordAddedAccounts records in the database the accounts added to the
// config file since crier started (by hand, or with crier init), as the
// app and the commands do when they open it, so that the scheduler's next
// sync finds them. A config that cannot be read just now (half saved) is
// left for the next round.
func recordAddedAccounts(cfg *config.Config, st *store.Store) func(context.Context) error {
	return func(ctx context.Context) error {
		if cfg.File == "" {
			return nil
		}
		now, err := reloadConfig(cfg)
		if err != nil {
			return nil
		}
		accounts, err := st.Accounts(ctx)
		if err != nil {
			return err
		}
		for _, a := range now.Accounts {
			if recorded(accounts, a) {
				continue
			}
			if _, err := st.UpsertAccount(ctx, storeAccount(a)); err != nil {
				return fmt.Errorf("recording account %s: %w", a.Handle, err)
			}
		}
		return nil
	}
}

// debug turns on the scheduler's Debug lines (--debug).
func newScheduler(cfg *config.Config, st *store.Store, accounts []store.Account, nets map[int64]platforms.Network, logger *log.Logger, events chan<- scheduler.Event, debug bool) *scheduler.Scheduler {
	// Listening terms by account id; the demo's accounts are not in the
	// config, and their sandbox cannot search anyway.
	listen := map[int64][]string{}
	for _, ca := range cfg.Accounts {
		if id := accountID(accounts, ca); id != 0 && len(ca.Listen) > 0 {
			listen[id] = ca.Listen
		}
	}
	return scheduler.New(scheduler.Options{
		Store:        st,
		Networks:     nets,
		Resolve:      resolveAccount(cfg, st),
		RecordAdded:  recordAddedAccounts(cfg, st),
		Now:          time.Now,
		Events:       events,
		Log:          logger,
		MissedPolicy: cfg.Scheduler.MissedPolicy,
		MissedGrace:  cfg.Scheduler.MissedGrace,
		SyncInterval: cfg.Scheduler.SyncInterval,
		MaxBackoff:   30 * time.Minute,
		Listen:       listen,
		Planning:     planning(st),
		Tagger:       marketingTagger(cfg, logger),
		Plausible:    plausibleSync(cfg, logger),
		Debug:        debug,
	})
}

func runApp(cfg *config.Config, o appOptions, stderr io.Writer) int {
	// The styles are made on the terminal's own renderer, as an SSH
	// session's will be on its own. NO_COLOR takes the colour away but
	// keeps bold, underline and reverse video (the cursor shows).
	look := styles.For(lipgloss.NewRenderer(os.Stdout), os.Getenv("NO_COLOR") != "")
	logger, closeLog, err := openLog(cfg, o.debug)
	if err != nil {
		return fail(stderr, err)
	}
	defer closeLog()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Before the TUI owns the terminal, Ctrl-C gives up a wait for a
	// locked database.
	setupCtx, stopSetup := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	st, accounts, nets, err := setupWaiting(setupCtx, cfg, o, func(msg string) {
		fmt.Fprintf(stderr, "crier: %s; Ctrl-C gives up\n", msg)
	})
	interrupted := setupCtx.Err() != nil
	stopSetup()
	if interrupted {
		if err == nil {
			st.Close()
		}
		return 0
	}
	if err != nil {
		return fail(stderr, err)
	}
	defer st.Close()

	c := &common.Common{
		Styles:   look,
		Store:    st,
		Now:      time.Now,
		Zone:     cfg.Timezone,
		Accounts: accounts,
		Networks: networkSpecs(),
		Settings: common.Settings{WeekStart: cfg.UI.WeekStart, SnoozePresets: cfg.UI.SnoozePresets,
			MarketingDomains: cfg.Marketing.Domains},
		Log:    logger,
		Demo:   o.demo,
		Editor: editor(),
	}
	c.Nav = keys.DefaultNav()
	home, _ := os.UserHomeDir()
	c.ConfigFile, c.ConfigMissing = configForApp(cfg, os.Getenv, home)

	var sched *scheduler.Scheduler
	events := make(chan scheduler.Event, 64)
	if cfg.Scheduler.Enabled {
		sched = newScheduler(cfg, st, accounts, nets, logger, events, o.debug)
		c.Waker, c.Reactor = sched, sched
	}
	var view tui.SchedulerView
	if sched != nil {
		view = sched
	}
	model := tui.New(c, view)
	p := tea.NewProgram(model, tea.WithAltScreen())

	done := make(chan struct{})
	if sched != nil {
		go func() {
			defer close(done)
			if err := sched.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				logger.Printf("scheduler stopped: %v", err)
			}
		}()
		go forward(ctx, events, p, logger)
	} else {
		close(done)
	}

	// What other processes commit (a post queued by crier post, sent by
	// crier run, saved in an SSH session) reaches the pane on show as the
	// scheduler's own events do.
	go watchForApp(ctx, st, appWatchEvery, p.Send, nil)

	if !o.demo {
		// The demo's accounts publish to the sandbox, whose limits are not
		// the networks' they stand for: keep the platforms' own there.
		go fetchLimits(ctx, nets, p, logger)
	}
	_, runErr := p.Run()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		logger.Printf("scheduler did not stop within 5s")
	}
	if runErr != nil {
		fmt.Fprintf(stderr, "crier: %v\n", runErr)
		return 1
	}
	return 0
}

// forward passes scheduler events to the program until ctx ends. It is the
// only goroutine that talks to the program from the background.
func forward(ctx context.Context, events <-chan scheduler.Event, p *tea.Program, logger *log.Logger) {
	defer func() {
		if r := recover(); r != nil {
			logger.Printf("event forwarder: %v", r)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-events:
			p.Send(tui.SchedulerMsg{Event: e})
		}
	}
}

// appWatchEvery is how often the app asks the database whether another
// process committed something it shows.
const appWatchEvery = 100 * time.Millisecond

// watchForApp tells the app, through send, each time what it shows was
// changed by a commit it did not announce itself: another crier queued,
// sent or edited a post, a sync by another process brought inbox items.
// The pane on show reloads, as for a scheduler event. The lease's
// heartbeats and the sync cursors are commits too; they are not told.
// opened, when set, is called each time the watch begins (a test knows by
// it that what is committed from then on is seen).
func watchForApp(ctx context.Context, st *store.Store, every time.Duration, send func(tea.Msg), opened func()) {
	st.Watch(ctx, every, store.WatchHooks{
		Opened: opened,
		Changed: func(c store.Change) {
			if c.Content {
				send(common.DataChangedMsg{What: "database"})
			}
		},
	})
}

// fetchLimits asks each account's server what it accepts and hands the
// answers to the program, so the composer counts against the real limit (a
// Mastodon server's is often not 500). Failures only leave the defaults.
func fetchLimits(ctx context.Context, nets map[int64]platforms.Network, p *tea.Program, logger *log.Logger) {
	defer func() {
		if r := recover(); r != nil {
			logger.Printf("reading server limits: %v", r)
		}
	}()
	for id, n := range nets {
		lctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		l, err := n.Limits(lctx)
		cancel()
		if err != nil {
			logger.Printf("account %d: reading its server's limits: %v (the composer uses the platform's defaults)", id, err)
			continue
		}
		p.Send(tui.LimitsMsg{AccountID: id, Limits: l})
	}
}

func runHeadless(cfg *config.Config, debug bool, stderr io.Writer) int {
	flags := log.LstdFlags
	if debug {
		flags |= log.Lmicroseconds
	}
	logger := log.New(stderr, "crier: ", flags)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, accounts, nets, err := setupWaiting(ctx, cfg, appOptions{}, func(msg string) { logger.Print(msg) })
	if ctx.Err() != nil {
		logger.Printf("stopped before the database could be opened")
		return 0
	}
	if err != nil {
		return fail(stderr, err)
	}
	defer st.Close()
	logger.Printf("database %s, %d account(s); sending queued posts until interrupted", st.Path(), len(accounts))
	if len(accounts) == 0 {
		logger.Print(noAccounts(cfg))
	}
	sched := newScheduler(cfg, st, accounts, nets, logger, nil, debug)
	if err := sched.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		logger.Printf("scheduler stopped: %v", err)
		return 1
	}
	logger.Printf("stopped")
	return 0
}

func editor() string {
	if e := os.Getenv("VISUAL"); e != "" {
		return e
	}
	return os.Getenv("EDITOR")
}
