package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/store"
)

// Exit statuses every command keeps: 0 done, 1 failed (the database, a
// network, a file that could not be written), 2 a usage error (a bad flag
// or argument, a bad config, input that can't be used), with nothing done.
const (
	exitOK     = 0
	exitFailed = 1
)

// exitError carries the status a command ends with and what to print.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErr is bad input: exit 2, nothing done.
func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// failed is a command that could not do its work: exit 1.
func failed(err error) error { return &exitError{code: exitFailed, err: err} }

// legacyCommands are the commands crier had before the command tree: they
// read their own flags, as they always did.
var legacyCommands = map[string]bool{"demo": true, "run": true, "login": true, "init": true}

// legacyHelp is what crier help CMD and crier CMD --help say for those.
var legacyHelp = map[string]string{
	"demo": `crier demo opens the app on a throwaway demo database: about 90 days of a
bakery's history with a Mastodon and a Bluesky account, whose posts go to a
local sandbox network (nothing leaves the machine). The database is deleted
when the app closes.

Usage:
  crier demo [--seed N] [--large] [--keep] [--debug]

Flags:
  --seed N   the same sample data for the same N (0, the default, picks one)
  --large    a large database (100k posts, 500k inbox items), built once
             into your cache folder, to feel the speed
  --keep     keep the demo database and print where it is
  --debug    log more to the log file
`,
	"run": `crier run sends queued posts at their times without the app (headless),
and syncs the inbox and the figures, until it is interrupted (ctrl+c or
SIGTERM). Only one running crier sends at a time; the app, crier run and
crier serve on the same database agree which.

Usage:
  crier run [--config FILE] [--debug]

Flags:
  --config FILE   the config file (else $CRIER_CONFIG, else
                  ~/.config/crier/config.yaml)
  --debug         log more
`,
	"login": `crier login mastodon SERVER signs in to a Mastodon account: crier
registers itself with the server, prints an address to open in a browser,
and asks for the code the server shows. The token is kept in a file beside
the config that only you can read, and the lines to add to the config's
accounts: list are printed. Bluesky accounts use an app password instead
(crier init asks for it; config.example.yaml shows how).

Usage:
  crier login mastodon SERVER      for example: crier login mastodon mastodon.social
`,
	"init": `crier init writes a commented config file (readable only by you) and adds
your accounts, asking one by one: your time zone, then a Bluesky handle and
app password (checked by signing in) or a Mastodon server (signed in to as
crier login mastodon does). It says where everything lives, and never
changes a config file that exists.

Usage:
  crier init [--config FILE]

Flags:
  --config FILE   where to write it (else $CRIER_CONFIG, else
                  ~/.config/crier/config.yaml)
`,
}

// helpFor is the help of the command name: its own for the commands
// above, the usage text for crier itself.
func helpFor(name string) string {
	if h, ok := legacyHelp[name]; ok {
		return h + "\nEvery command: crier --help\n"
	}
	return usage
}

// cliEnv is what the commands read from outside: streams and the clock.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	configPath     string
	debug          bool
	now            string // hidden --now: a fixed instant for reproducible output

	// shared, when set, is the open store (and its config) the commands use
	// instead of opening the config's: crier serve's, for a command given
	// after the host (ssh host -p 2222 kpi).
	shared    *store.Store
	sharedCfg *config.Config
}

// release closes a store the command opened; a shared one stays open.
func (e *cliEnv) release(st *store.Store) {
	if st != e.shared {
		st.Close()
	}
}

func (e *cliEnv) clock() (time.Time, error) {
	if e.now == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, e.now)
	if err != nil {
		return time.Time{}, usageErr("--now %q is not a time written as RFC 3339 (2026-11-27T09:30:00+01:00)", e.now)
	}
	return t, nil
}

// loadConfig reads the config as crier does everywhere: --config, else
// $CRIER_CONFIG, else the XDG default; a bad file is a usage error.
func (e *cliEnv) loadConfig() (*config.Config, error) {
	home, _ := os.UserHomeDir()
	cfg, err := config.Load(config.LoadOptions{Flag: e.configPath, Getenv: os.Getenv, Home: home})
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return cfg, nil
}

// openStore opens the config's database with the config's accounts
// recorded in it, as the app does. A database crier can't use is a usage
// error (what a person must fix), as at the app's start.
func (e *cliEnv) openStore(ctx context.Context) (*config.Config, *store.Store, []store.Account, error) {
	return e.open(ctx, true)
}

// readStore is openStore for a command that only reads (kpi, queue,
// inbox, accounts, report, completion): a database that is not there is
// not made (a mistyped path would give an empty one, and figures of
// nothing), it is named as missing.
func (e *cliEnv) readStore(ctx context.Context) (*config.Config, *store.Store, []store.Account, error) {
	return e.open(ctx, false)
}

// databaseSource says where the database's path came from: the variable,
// the config file's database: key, or the default place (which a config
// file that leaves the key out does not change).
func databaseSource(cfg *config.Config) string {
	if os.Getenv(config.EnvVar("database")) != "" {
		return "set by " + config.EnvVar("database")
	}
	home, _ := os.UserHomeDir()
	if cfg.File != "" && cfg.Database != config.Defaults(os.Getenv, home).Database {
		return "the database setting of " + cfg.File
	}
	if cfg.File != "" {
		return "the default place, as " + cfg.File + " sets no database:"
	}
	file, _ := configForApp(cfg, os.Getenv, home)
	return "the default place, as there is no config file: crier init writes one at " + file
}

func (e *cliEnv) open(ctx context.Context, create bool) (*config.Config, *store.Store, []store.Account, error) {
	if e.shared != nil {
		accounts, err := e.shared.Accounts(ctx)
		if err != nil {
			return nil, nil, nil, dbErr(e.shared, err)
		}
		return e.sharedCfg, e.shared, accounts, nil
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return nil, nil, nil, err
	}
	if !create {
		where := databaseSource(cfg)
		info, err := os.Stat(cfg.Database)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil, usageErr("database %s: there is none (%s); crier makes it when the app, crier run or "+
				"crier serve first starts: check the path, or start crier first", cfg.Database, where)
		}
		// An empty file (touched, or cut short) with no write-ahead log
		// beside it holds no database: opening it would make one there.
		if wal, werr := os.Stat(cfg.Database + "-wal"); err == nil && info.Mode().IsRegular() && info.Size() == 0 &&
			(werr != nil || wal.Size() == 0) {
			return nil, nil, nil, usageErr("database %s: the file is empty, no crier database (%s); crier makes it when the app, "+
				"crier run or crier serve first starts: check the path, or start crier first", cfg.Database, where)
		}
	}
	// Another program holding the database (a backup, a sqlite3 shell
	// with an exclusive lock) passes: wait for it as a write does, and
	// if it outlasts the wait, that failed (exit 1), it is no usage error.
	said := false
	waiting := func() {
		if !said {
			said = true
			fmt.Fprintf(e.stderr, "crier: the database %s is busy with another program; waiting up to %s\n", cfg.Database, busyWait)
		}
	}
	var st *store.Store
	err = retryWhileBusy(ctx, busyWait, 250*time.Millisecond, waiting, func() (err error) {
		st, err = store.Open(ctx, cfg.Database)
		return err
	})
	if store.IsBusy(err) {
		return nil, nil, nil, failed(err)
	}
	if err != nil {
		return nil, nil, nil, &exitError{code: exitUsage, err: err}
	}
	var accounts []store.Account
	err = retryWhileBusy(ctx, busyWait, 250*time.Millisecond, waiting, func() (err error) {
		accounts, err = st.Accounts(ctx)
		return err
	})
	if err != nil {
		st.Close()
		return nil, nil, nil, dbErr(st, err)
	}
	// The config's accounts are recorded as the app records them, but only
	// those the database does not have as they are: a command that only
	// reads then never needs the write lock, which a backup or a sqlite3
	// shell may hold. One that must write waits for it, as crier post does.
	wrote := false
	for _, a := range cfg.Accounts {
		if recorded(accounts, a) {
			continue
		}
		err := whileBusy(ctx, e, st, func() error {
			_, err := st.UpsertAccount(ctx, storeAccount(a))
			return err
		})
		if err != nil {
			st.Close()
			return nil, nil, nil, failed(fmt.Errorf("database %s: recording account %s: %w", cfg.Database, a.Handle, err))
		}
		wrote = true
	}
	if wrote {
		if accounts, err = st.Accounts(ctx); err != nil {
			st.Close()
			return nil, nil, nil, dbErr(st, err)
		}
	}
	return cfg, st, accounts, nil
}

// recorded reports whether the database's accounts have a as the config
// gives it: the same network, handle and server (UpsertAccount's key) and,
// where the config names it, the same name.
func recorded(accounts []store.Account, a config.Account) bool {
	for _, r := range accounts {
		if r.Platform == a.Platform && r.Handle == a.Handle && r.Server == a.Server {
			return a.Name == "" || r.DisplayName == a.Name
		}
	}
	return false
}

// openAt is openStore with the time the command runs at (--now, else the
// clock), read first so a bad --now is reported before the database opens.
func (e *cliEnv) openAt(ctx context.Context) (time.Time, *config.Config, *store.Store, []store.Account, error) {
	return e.openAtFor(ctx, true)
}

// readAt is readStore with the time the command runs at.
func (e *cliEnv) readAt(ctx context.Context) (time.Time, *config.Config, *store.Store, []store.Account, error) {
	return e.openAtFor(ctx, false)
}

func (e *cliEnv) openAtFor(ctx context.Context, create bool) (time.Time, *config.Config, *store.Store, []store.Account, error) {
	now, err := e.clock()
	if err != nil {
		return time.Time{}, nil, nil, nil, err
	}
	cfg, st, accounts, err := e.open(ctx, create)
	return now, cfg, st, accounts, err
}

// dbErr is a failure reading or writing st, naming its file.
func dbErr(st *store.Store, err error) error {
	return failed(fmt.Errorf("database %s: %w", st.Path(), err))
}

// completeCampaigns offers the campaigns' slugs (with their names) to a
// --campaign flag's shell completion.
func (e *cliEnv) completeCampaigns(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	_, st, _, err := e.readStore(cmd.Context())
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer e.release(st)
	cs, _ := st.Campaigns(cmd.Context())
	var out []string
	for _, c := range cs {
		if c.Slug != "" {
			out = append(out, c.Slug+"\t"+c.Name)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// writeJSONList writes what each of items becomes with conv, as a JSON
// array ([] when there are none).
func writeJSONList[T, J any](w io.Writer, items []T, conv func(T) J) error {
	out := make([]J, 0, len(items))
	for _, it := range items {
		out = append(out, conv(it))
	}
	return writeJSON(w, out)
}

// writeJSON prints v as indented JSON with a final newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// newRootCmd builds crier's command tree. The root and the commands that
// came before it (demo, run, login, init) keep their own flag reading and
// help text; the rest are cobra commands with generated help and
// completion.
func newRootCmd(env *cliEnv) *cobra.Command {
	root := &cobra.Command{
		Use:   "crier",
		Short: "run a small business's social media from the terminal",
		// The root is the app: its flags are read by run, as before.
		DisableFlagParsing: true,
		Args:               cobra.ArbitraryArgs,
		SilenceErrors:      true,
		SilenceUsage:       true,
		CompletionOptions:  cobra.CompletionOptions{HiddenDefaultCmd: false},
		RunE: func(cmd *cobra.Command, args []string) error {
			return legacy(env, "", args)
		},
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	root.SetIn(env.stdin)
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&env.configPath, "config", "", "config file (else $CRIER_CONFIG, else ~/.config/crier/config.yaml)")
	pf.BoolVar(&env.debug, "debug", false, "log more")
	pf.StringVar(&env.now, "now", "", "the time to act as now (RFC 3339), for reproducible output")
	_ = pf.MarkHidden("now")
	root.RegisterFlagCompletionFunc("config", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
	})

	for _, l := range []struct{ name, short string }{
		{"demo", "open the app on a throwaway demo database"},
		{"run", "send queued posts without the app (headless)"},
		{"login", "sign in to a Mastodon account (OAuth with PKCE)"},
		{"init", "write a config file and add your accounts, asking"},
	} {
		name := l.name
		c := &cobra.Command{
			Use:                name,
			Short:              l.short,
			DisableFlagParsing: true,
			Args:               cobra.ArbitraryArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				return legacy(env, name, args)
			},
		}
		if name == "login" {
			c.ValidArgs = []string{"mastodon"}
		}
		root.AddCommand(c)
	}
	root.AddCommand(newKPICmd(env), newPostCmd(env), newQueueCmd(env), newInboxCmd(env), newAccountsCmd(env),
		newReportCmd(env), newImportCmd(env), newServeCmd(env))

	// crier help CMD names a command crier has, or it is a usage error
	// (cobra's own help shows crier's usage for any word, with status 0).
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: "help about any command",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return root.Help()
			}
			cmd, _, err := root.Find(args)
			if err != nil || cmd == root {
				var names []string
				for _, sub := range root.Commands() {
					if sub.IsAvailableCommand() {
						names = append(names, sub.Name())
					}
				}
				return usageErr("crier help: there is no command %q%s; the commands are %s",
					strings.Join(args, " "), didYouMean(args[0], names), strings.Join(names, ", "))
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		},
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			var names []string
			for _, sub := range root.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
	})

	// Help for the root is the one usage text, the older commands' their own; the
	// newer commands have cobra's, generated from their flags.
	defaultHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if c == root {
			fmt.Fprint(c.OutOrStdout(), usage)
			return
		}
		if legacyCommands[c.Name()] && c.Parent() == root {
			fmt.Fprint(c.OutOrStdout(), helpFor(c.Name()))
			return
		}
		defaultHelp(c, args)
	})
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%s: %v (see crier %s --help)", c.CommandPath(), err, c.Name())
	})
	return root
}

// legacy runs one of the commands that read their own flags.
func legacy(env *cliEnv, name string, args []string) error {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fmt.Fprint(env.stdout, helpFor(name))
			return nil
		}
	}
	var code int
	switch name {
	case "init":
		code = runInit(args, env.stdin, env.stdout, env.stderr)
	case "login":
		code = runLogin(args, env.stdin, env.stdout, env.stderr)
	case "":
		code = run(args, env.stderr)
	default:
		code = run(append([]string{name}, args...), env.stderr)
	}
	if code != 0 {
		return &exitError{code: code} // the command said why
	}
	return nil
}

// execute runs the command tree on args and returns the exit status.
func execute(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &cliEnv{stdin: stdin, stdout: stdout, stderr: stderr}
	return executeRoot(newRootCmd(env), env, args)
}

// executeRoot runs root on args and returns the exit status, the errors
// said on env's stderr.
func executeRoot(root *cobra.Command, env *cliEnv, args []string) int {
	stderr := env.stderr
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "crier: %v\n", ee.err)
		}
		return ee.code
	}
	// cobra's own errors are about the command line: an unknown command
	// or flag, a wrong number of arguments.
	fmt.Fprintf(stderr, "crier: %v\n", err)
	if strings.HasPrefix(err.Error(), "unknown command") {
		fmt.Fprint(stderr, "\n"+usage)
	}
	return exitUsage
}

// exactArgs is cobra.ExactArgs as a usage error that says what is wanted.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErr("%s takes %s (got %d argument%s): see crier %s --help", cmd.CommandPath(), what, len(args), plural(len(args)), cmd.Name())
		}
		return nil
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErr("%s: unexpected argument %q (see crier %s --help)", cmd.CommandPath(), args[0], cmd.Name())
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
