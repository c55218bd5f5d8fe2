package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky"
)

// initIO is what crier init talks through, so a test can play the user.
type initIO struct {
	in     *bufio.Reader
	out    io.Writer
	getenv func(string) string
	home   string
	// secret reads an app password; it does not echo it when stdin is a
	// terminal. nil reads a line from in.
	secret func() (string, error)
	// checkTimeout bounds each sign-in check with a server.
	checkTimeout time.Duration
}

// initAccount is an account crier init checked with its server and will
// write into the config.
type initAccount struct {
	Platform   string
	Handle     string
	Server     string
	Credential string // file:PATH
}

// errStopped is the answer to end of input: the person left before the end.
var errStopped = errors.New("stopped before the end: no config was written")

func runInit(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("crier init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "where to write the config file")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "crier init: unexpected argument %q (usage: crier init [--config FILE])\n", fs.Arg(0))
		return exitUsage
	}
	home, _ := os.UserHomeDir()
	path, err := initTarget(*configPath, os.Getenv, home)
	if err != nil {
		fmt.Fprintf(stderr, "crier init: %v\n", err)
		return exitUsage
	}
	in := bufio.NewReader(stdin)
	u := initIO{in: in, out: stdout, getenv: os.Getenv, home: home, checkTimeout: 30 * time.Second}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
		u.secret = func() (string, error) {
			b, err := term.ReadPassword(f.Fd())
			fmt.Fprintln(stdout)
			return string(b), err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if err := initConfig(ctx, path, u); err != nil {
		fmt.Fprintf(stderr, "crier init: %v\n", err)
		return 1
	}
	return 0
}

// initTarget is where crier init writes: --config, else $CRIER_CONFIG, else
// the XDG default, the places crier reads from in that order.
func initTarget(flagPath string, getenv func(string) string, home string) (string, error) {
	p := flagPath
	if p == "" {
		p = getenv("CRIER_CONFIG")
	}
	if p == "" {
		p = defaultConfigPath(getenv, home)
	}
	if p == "" {
		return "", errors.New("no home folder and no XDG_CONFIG_HOME: say where the config goes with --config FILE")
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok && home != "" {
		p = filepath.Join(home, rest)
	}
	return filepath.Abs(p)
}

// defaultConfigPath is the config file crier reads when neither --config nor
// $CRIER_CONFIG names one.
func defaultConfigPath(getenv func(string) string, home string) string {
	if !filepath.IsAbs(getenv("XDG_CONFIG_HOME")) && home == "" {
		return ""
	}
	return filepath.Join(configDir(getenv, home), "config.yaml")
}

// tildePath writes p as a person would type it: ~/ for the home folder.
func tildePath(p, home string) string {
	if home != "" {
		if rest, ok := strings.CutPrefix(p, home+string(filepath.Separator)); ok {
			return "~/" + filepath.ToSlash(rest)
		}
	}
	return p
}

// configForApp is the config file the app names in its panes, and whether
// it is missing.
func configForApp(cfg *config.Config, getenv func(string) string, home string) (string, bool) {
	if cfg.File != "" {
		return tildePath(cfg.File, home), false
	}
	return tildePath(defaultConfigPath(getenv, home), home), true
}

// initConfig asks for the time zone and the accounts, checks each account
// with its server, writes the config at path (readable only by the user)
// and says where everything lives. It never changes a file that exists.
func initConfig(ctx context.Context, path string, u initIO) error {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("%s is a folder: name the config file, like crier init --config %s", path, filepath.Join(path, "config.yaml"))
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists, and crier init does not change it. Add accounts to its accounts: list "+
			"(config.example.yaml shows every key; crier login mastodon SERVER signs in to Mastodon and prints the lines to add), "+
			"or write a new file with crier init --config OTHER.yaml", path)
	}
	dir := filepath.Dir(path)
	// Before any question: a folder the config cannot be written to would
	// cost every answer at the end.
	if err := canWriteIn(dir); err != nil {
		return fmt.Errorf("cannot write the config %s: %v; nothing was asked or written. Name another place with crier init --config FILE", path, err)
	}
	out := u.out
	fmt.Fprintf(out, "crier init writes your config file, adds your accounts and says where everything lives.\n"+
		"Press enter to take what is in [brackets]; ctrl+c stops without writing the config.\n\n"+
		"The config file will be %s\n\n", path)

	zone, err := askZone(u)
	if err != nil {
		return err
	}
	var accounts []initAccount
	for {
		which := "an account"
		if len(accounts) > 0 {
			which = "another account"
		}
		answer, err := askLine(u, "Add "+which+"? b for Bluesky, m for Mastodon, enter when done", "done")
		if err != nil {
			return err
		}
		var a *initAccount
		switch strings.ToLower(answer) {
		case "done", "":
		case "b", "bluesky":
			a, err = addBluesky(ctx, u, dir, accounts)
		case "m", "mastodon":
			a, err = addMastodon(ctx, u, dir, accounts)
		default:
			fmt.Fprintf(out, "  %q is not b, m or enter.\n", answer)
			continue
		}
		if err != nil {
			return err
		}
		if a != nil {
			accounts = append(accounts, *a)
			continue
		}
		if strings.EqualFold(answer, "done") || answer == "" {
			break
		}
	}

	if err := writeInitConfig(path, zone, accounts); err != nil {
		return err
	}
	cfg, err := config.Load(config.LoadOptions{Flag: path, Getenv: u.getenv, Home: u.home})
	if err != nil {
		return fmt.Errorf("the config was written to %s, but crier cannot read it back (%v); please report this", path, err)
	}
	fmt.Fprintf(out, "\nWrote %s (readable only by you).\n\nWhere everything lives:\n", path)
	rows := [][2]string{{"config", path}}
	for _, a := range accounts {
		what := "Mastodon token"
		if a.Platform == config.PlatformBluesky {
			what = "Bluesky app password"
		}
		rows = append(rows, [2]string{what, strings.TrimPrefix(a.Credential, "file:")})
	}
	rows = append(rows,
		[2]string{"database", cfg.Database + " (made when crier first starts)"},
		[2]string{"sessions", filepath.Join(filepath.Dir(cfg.Database), "sessions") + " (Bluesky sign-ins, kept between starts)"},
		[2]string{"log", cfg.LogFile})
	w := 0
	for _, r := range rows {
		w = max(w, len(r[0]))
	}
	for _, r := range rows {
		fmt.Fprintf(out, "  %-*s  %s\n", w, r[0], r[1])
	}
	if len(accounts) == 0 {
		fmt.Fprintf(out, "\nNo accounts yet: add them to the config's accounts: list (config.example.yaml shows how).\n")
	}
	fmt.Fprintf(out, "\nStart the app with: crier\nSend queued posts without it: crier run\n")
	return nil
}

// askLine prints a question and reads one line; an empty answer takes def.
func askLine(u initIO, question, def string) (string, error) {
	if def != "" {
		fmt.Fprintf(u.out, "%s [%s]: ", question, def)
	} else {
		fmt.Fprintf(u.out, "%s: ", question)
	}
	line, err := u.in.ReadString('\n')
	line = strings.TrimSpace(line)
	switch {
	case errors.Is(err, io.EOF) && line == "":
		fmt.Fprintln(u.out)
		return "", errStopped
	case err != nil && !errors.Is(err, io.EOF):
		return "", fmt.Errorf("reading the answer: %w", err)
	}
	if line == "" {
		return def, nil
	}
	return line, nil
}

func askZone(u initIO) (string, error) {
	def := config.Defaults(u.getenv, u.home).TimezoneName
	if def == "" || def == "Local" {
		def = "UTC"
	}
	for {
		zone, err := askLine(u, "Time zone for showing and scheduling posts", def)
		if err != nil {
			return "", err
		}
		if _, err := time.LoadLocation(zone); err != nil || zone == "Local" {
			fmt.Fprintf(u.out, "  %q is not a time zone crier knows: write it like Europe/Berlin, America/New_York or UTC.\n", zone)
			continue
		}
		return zone, nil
	}
}

// yesNo asks a yes/no question, yes by default.
func yesNo(u initIO, question string) (bool, error) {
	a, err := askLine(u, question, "Y/n")
	if err != nil {
		return false, err
	}
	return !strings.HasPrefix(strings.ToLower(a), "n"), nil
}

func addBluesky(ctx context.Context, u initIO, dir string, have []initAccount) (*initAccount, error) {
	out := u.out
	for {
		handle, err := askLine(u, "  Bluesky handle (like shop.bsky.social)", "")
		if err != nil {
			return nil, err
		}
		handle = strings.TrimPrefix(strings.TrimSpace(handle), "@")
		if handle == "" {
			fmt.Fprintln(out, "  No handle: no Bluesky account added.")
			return nil, nil
		}
		server, err := askLine(u, "  Server", config.DefaultBlueskyServer)
		if err != nil {
			return nil, err
		}
		server = normalServer(server)
		if alreadyAdded(have, config.PlatformBluesky, handle, server) {
			fmt.Fprintf(out, "  %s is already added.\n", handle)
			return nil, nil
		}
		fmt.Fprint(out, "  App password (in the Bluesky app: Settings → Privacy and security → App passwords;\n"+
			"  tick \"Allow access to your direct messages\" for crier to read and answer them): ")
		var pw string
		if u.secret != nil {
			pw, err = u.secret()
		} else {
			pw, err = u.in.ReadString('\n')
			if errors.Is(err, io.EOF) && strings.TrimSpace(pw) != "" {
				err = nil
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errStopped
			}
			return nil, fmt.Errorf("reading the app password: %w", err)
		}
		pw = strings.TrimSpace(pw)
		fmt.Fprintf(out, "  Checking with %s…\n", server)
		cctx, cancel := context.WithTimeout(ctx, u.checkTimeout)
		sess, err := bluesky.New(server, handle, bluesky.WithAppPassword(pw)).Session(cctx)
		cancel()
		if err != nil {
			var pe *platforms.Error
			if errors.As(err, &pe) && pe.Reauth {
				fmt.Fprintf(out, "  %s did not sign in %s: the handle or the app password is wrong (%v)\n", server, handle, err)
			} else {
				fmt.Fprintf(out, "  %s did not sign in %s: %v\n", server, handle, err)
			}
			again, err := yesNo(u, "  Try again?")
			if err != nil || !again {
				if err == nil {
					fmt.Fprintln(out, "  No Bluesky account added.")
				}
				return nil, err
			}
			continue
		}
		if sess.Handle != "" {
			handle = sess.Handle
		}
		file := filepath.Join(dir, "bluesky-"+safeName(handle)+".app-password")
		if err := writePrivate(file, []byte(pw+"\n")); err != nil {
			return nil, fmt.Errorf("saving the app password: %w", err)
		}
		fmt.Fprintf(out, "  Signed in as %s. The app password is in %s (readable only by you).\n", handle, file)
		return &initAccount{Platform: config.PlatformBluesky, Handle: handle, Server: server, Credential: "file:" + file}, nil
	}
}

func addMastodon(ctx context.Context, u initIO, dir string, have []initAccount) (*initAccount, error) {
	for {
		server, err := askLine(u, "  Mastodon server (like mastodon.social)", "")
		if err != nil {
			return nil, err
		}
		if server == "" {
			fmt.Fprintln(u.out, "  No server: no Mastodon account added.")
			return nil, nil
		}
		var got *initAccount
		lio := loginIO{in: lineReader{u.in}, out: u.out, configDir: dir,
			signedIn: func(handle, server, tokenPath string) {
				got = &initAccount{Platform: config.PlatformMastodon, Handle: handle, Server: server, Credential: "file:" + tokenPath}
			}}
		err = loginMastodon(ctx, server, lio)
		if err == nil && got != nil {
			if alreadyAdded(have, got.Platform, got.Handle, got.Server) {
				fmt.Fprintf(u.out, "  %s is already added.\n", got.Handle)
				return nil, nil
			}
			return got, nil
		}
		if err != nil {
			fmt.Fprintf(u.out, "\n  %v\n", err)
		}
		again, err := yesNo(u, "  Try again?")
		if err != nil || !again {
			if err == nil {
				fmt.Fprintln(u.out, "  No Mastodon account added.")
			}
			return nil, err
		}
	}
}

func alreadyAdded(have []initAccount, platform, handle, server string) bool {
	for _, a := range have {
		if a.Platform == platform && strings.EqualFold(a.Handle, handle) && a.Server == server {
			return true
		}
	}
	return false
}

// normalServer writes a server the way the config wants it: https:// unless
// given, no trailing slash.
func normalServer(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	return s
}

// safeName keeps a handle usable as part of a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_', r == '@':
			return r
		}
		return '_'
	}, s)
}

// lineReader hands on one line per Read, so a reader wrapped around it (the
// login flow's) never takes more of the input than the line it asked for.
type lineReader struct{ r *bufio.Reader }

func (l lineReader) Read(p []byte) (int, error) {
	line, err := l.r.ReadSlice('\n')
	n := copy(p, line)
	if n < len(line) {
		// The rest of the line stays for the next Read.
		return n, nil
	}
	if errors.Is(err, bufio.ErrBufferFull) {
		err = nil
	}
	return n, err
}

// writePrivate writes data to path, readable only by the user, replacing
// any file there at once (a crash leaves the old file or the new one).
func writePrivate(path string, data []byte) error { return platforms.WritePrivate(path, data) }

// canWriteIn checks, without making anything that stays, that files can be
// made in dir: in dir itself when it is there, else in the nearest folder
// above it that is (crier init makes the ones between).
func canWriteIn(dir string) error {
	for d := dir; ; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		switch {
		case err == nil && !info.IsDir():
			return fmt.Errorf("%s is a file, not a folder", d)
		case err == nil:
			f, err := os.CreateTemp(d, ".crier-init-*")
			if err != nil {
				return fmt.Errorf("files cannot be made in the folder %s (%v)", d, unwrapPathError(err))
			}
			f.Close()
			return os.Remove(f.Name())
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("%s: %v", d, unwrapPathError(err))
		case filepath.Dir(d) == d:
			return fmt.Errorf("no folder of %s exists", dir)
		}
	}
}

// unwrapPathError is err without the operation and path a *fs.PathError
// repeats.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// writeInitConfig writes the commented config crier init makes, failing if the
// file has appeared meanwhile.
func writeInitConfig(path, zone string, accounts []initAccount) error {
	var b strings.Builder
	err := configTemplate.Execute(&b, struct {
		Zone     string
		Accounts []initAccount
		Written  string
	}{zone, accounts, time.Now().Format("2006-01-02")})
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s appeared while crier init ran; it was left as it is", path)
	}
	if err := writePrivate(path, []byte(b.String())); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

var configTemplate = template.Must(template.New("config").Funcs(template.FuncMap{"q": strconv.Quote}).Parse(
	`# crier configuration, written by crier init on {{.Written}}.
#
# config.example.yaml (in crier's source, and in the README) lists every key
# with what it does. Unknown keys are errors, so a typo is reported when crier
# starts. Keys can be overridden by environment variables: CRIER_ and the key
# path in capitals, such as CRIER_TIMEZONE=UTC.

# The SQLite database with posts, inbox and figures.
# "" is $XDG_DATA_HOME/crier/crier.db, or ~/.local/share/crier/crier.db.
database: ""

# Time zone for showing times and for the times you schedule posts at.
timezone: {{q .Zone}}

# Where crier writes its log. "" is $XDG_STATE_HOME/crier/crier.log, or
# ~/.local/state/crier/crier.log.
log_file: ""

scheduler:
  # Send queued posts and sync the inbox and figures while crier is open.
  enabled: true
  # Posts that came due while crier was closed: grace sends those at most
  # missed_grace late and holds older ones back for you; send sends them
  # all; skip holds them all back.
  missed_policy: grace
  missed_grace: 15m
  # How often the inbox and the figures are fetched.
  sync_interval: 1m

ui:
  # First day of the week in the calendar: monday or sunday.
  week_start: monday
  # Choices offered when snoozing an inbox item (1 to 9 durations).
  snooze_presets: [1h, 3h, 24h, 168h]

# The accounts crier posts to and reads from. credential is file:PATH (a
# file only you can read), env:VAR, or the secret itself in this file.
# listen: ["#sourdough", "your shop"] searches for posts about you on
# every sync (social listening).
{{- if .Accounts}}
accounts:
{{- range .Accounts}}
  - platform: {{.Platform}}
    handle: {{q .Handle}}
    server: {{q .Server}}
    credential: {{q .Credential}}
{{- end}}
{{- else}}
accounts: []
# For example:
#   - platform: bluesky
#     handle: shop.bsky.social
#     credential: file:~/.config/crier/bluesky-app-password
#   - platform: mastodon
#     handle: "@shop@example.social"
#     server: https://example.social
#     credential: file:~/.config/crier/mastodon-example.social.token
{{- end}}
`))
