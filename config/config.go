// Package config finds crier's settings file, layers CRIER_* environment
// variables over it, and checks every value before the TUI starts, so a typo
// is reported with its file and key instead of surfacing later as odd
// behaviour. Panes receive the plain *Config; nothing outside main and this
// package sees viper.
//
// The mapstructure tags on Config and the types inside it are the whole
// list of keys: viper reads the file and decodes it into them (decode.go),
// unknown keys and their "did you mean" come from the same tags (keys.go),
// and one pass checks the decoded values (check.go).
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	// Embedded zone data keeps `timezone: Europe/Berlin` working on machines
	// without /usr/share/zoneinfo (minimal containers, Windows).
	_ "time/tzdata"

	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// Values allowed for Scheduler.MissedPolicy.
const (
	MissedPolicyGrace = "grace" // send if at most MissedGrace late, else mark missed
	MissedPolicySend  = "send"  // send however late
	MissedPolicySkip  = "skip"  // mark every late post missed
)

// Values allowed for Account.Platform.
const (
	PlatformMastodon = "mastodon"
	PlatformBluesky  = "bluesky"
)

// DefaultBlueskyServer is used for a bluesky account that names no server.
const DefaultBlueskyServer = "https://bsky.social"

// LoadOptions carries everything Load reads from the outside world, so tests
// can run without touching the real environment or home directory.
type LoadOptions struct {
	Flag   string              // value of --config, "" if not given
	Getenv func(string) string // os.Getenv in production; nil means os.Getenv
	Home   string              // the user's home directory
}

// Config is the checked configuration handed to the rest of crier. The
// mapstructure tags name the keys of the file; a field tagged "-" is not
// one.
type Config struct {
	File     string         `mapstructure:"-"`        // the file that was read, "" if none
	Database string         `mapstructure:"database"` // path of the SQLite database
	Timezone *time.Location `mapstructure:"-"`        // never nil after Load or Defaults; loaded from TimezoneName
	// TimezoneName is the timezone: key as written, or "Local".
	TimezoneName string    `mapstructure:"timezone"`
	LogFile      string    `mapstructure:"log_file"`
	Scheduler    Scheduler `mapstructure:"scheduler"`
	UI           UI        `mapstructure:"ui"`
	Marketing    Marketing `mapstructure:"marketing"`
	Accounts     []Account `mapstructure:"accounts"`
	// Feeds are RSS or Atom feeds whose new entries become drafts.
	Feeds []Feed `mapstructure:"feeds"`
	// Competitors are public accounts watched side by side with the
	// business's own.
	Competitors []Competitor `mapstructure:"competitors"`
}

// Feed is an RSS or Atom feed whose new entries become drafts for some of
// the accounts (all of them when Accounts is empty).
type Feed struct {
	Name string `mapstructure:"name"` // unique; how crier names it
	URL  string `mapstructure:"url"`
	// Accounts are the accounts its drafts are for, each by its name or
	// its handle.
	Accounts []string `mapstructure:"accounts"`
	Campaign string   `mapstructure:"campaign"` // a campaign's slug, "" for none
	// FillQueue queues each new entry into the next free queue slots;
	// without it nothing of a feed goes out unless the person queues it.
	FillQueue bool `mapstructure:"fill_queue"`
}

// Competitor is a public account on Bluesky or Mastodon to watch.
type Competitor struct {
	Platform string `mapstructure:"platform"`
	Handle   string `mapstructure:"handle"`
}

// Marketing holds what crier needs to know of the business's own site: its
// domains, whose links a campaign's posts tag, and where its web analytics
// are read.
type Marketing struct {
	// Domains are the business's own domains ("ryeandshine.bakery"; each
	// covers its subdomains), trimmed, unique ignoring case; nil for none.
	Domains   DomainList `mapstructure:"domains"`
	Plausible Plausible  `mapstructure:"plausible"`
}

// DomainList is marketing.domains: a list of domains.
type DomainList []string

// GoalList is marketing.plausible.goals: Plausible goal names.
type GoalList []string

// Plausible is the Plausible Analytics site the scheduler's sync reads
// visits, conversions and revenue from (Stats API v2). It is off while
// SiteID is "".
type Plausible struct {
	SiteID  string `mapstructure:"site_id"`  // the site's domain as Plausible knows it
	BaseURL string `mapstructure:"base_url"` // Plausible's address, without a trailing slash
	// APIKey is the Stats API key: env:VAR, file:PATH or the key itself
	// (read with Plausible.Secret).
	APIKey   string        `mapstructure:"api_key"`
	Goals    GoalList      `mapstructure:"goals"`    // goals counted as conversions; nil for all
	Interval time.Duration `mapstructure:"interval"` // how often it is pulled
	Days     int           `mapstructure:"days"`     // how many days, today included, each pull reads

	where string // as Account's
}

// Enabled reports whether a Plausible site is configured.
func (p Plausible) Enabled() bool { return p.SiteID != "" }

// DefaultPlausibleURL is Plausible's own service.
const DefaultPlausibleURL = "https://plausible.io"

// Scheduler holds the settings of the embedded scheduler.
type Scheduler struct {
	Enabled      bool          `mapstructure:"enabled"`
	MissedPolicy string        `mapstructure:"missed_policy"` // one of the MissedPolicy* constants
	MissedGrace  time.Duration `mapstructure:"missed_grace"`
	SyncInterval time.Duration `mapstructure:"sync_interval"`
}

// UI holds display preferences.
type UI struct {
	WeekStart     time.Weekday    `mapstructure:"week_start"` // time.Monday or time.Sunday
	SnoozePresets []time.Duration `mapstructure:"snooze_presets"`
}

// Account is one social network account. After Load, Platform is lower case,
// Server is an http(s) URL without a trailing slash, and a file: Credential
// holds an absolute path.
type Account struct {
	Name       string `mapstructure:"name"`     // optional label, unique among accounts when set
	Platform   string `mapstructure:"platform"` // one of the Platform* constants
	Handle     string `mapstructure:"handle"`
	Server     string `mapstructure:"server"`
	Credential string `mapstructure:"credential"` // env:VAR, file:PATH or the secret itself
	// Listen are the keywords and hashtags ("#sourdough") social listening
	// searches for on every sync, inner spaces collapsed, unique ignoring
	// case; nil for none.
	Listen []string `mapstructure:"listen"`

	// where names the credential's setting in the file ("accounts[0].credential
	// in config.yaml, line 6"), for a credential that cannot be read later.
	where string
}

// Error reports one bad setting. File is "" when the value came from an
// environment variable, in which case Key names that variable.
type Error struct {
	File    string
	Line    int // of the key in File, from 1; 0 when not known
	Key     string
	Problem string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("config")
	if e.File != "" {
		b.WriteString(" ")
		b.WriteString(e.File)
	}
	b.WriteString(": ")
	if e.Line > 0 {
		b.WriteString("line " + strconv.Itoa(e.Line) + ": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

// Defaults returns the configuration crier runs with when there is no file
// and no CRIER_* override: XDG locations for the database and log, the local
// time zone, and no accounts. The database and log paths are "" when neither
// the XDG variable nor home is known.
func Defaults(getenv func(string) string, home string) *Config {
	if getenv == nil {
		getenv = os.Getenv
	}
	zone, zoneName := localZone(getenv)
	return &Config{
		Database:     xdgPath(getenv, "XDG_DATA_HOME", home, ".local/share", "crier.db"),
		Timezone:     zone,
		TimezoneName: zoneName,
		LogFile:      xdgPath(getenv, "XDG_STATE_HOME", home, ".local/state", "crier.log"),
		Scheduler: Scheduler{
			Enabled:      true,
			MissedPolicy: MissedPolicyGrace,
			MissedGrace:  15 * time.Minute,
			SyncInterval: time.Minute,
		},
		UI: UI{
			WeekStart:     time.Monday,
			SnoozePresets: []time.Duration{time.Hour, 3 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour},
		},
		Marketing: Marketing{Plausible: Plausible{BaseURL: DefaultPlausibleURL, Interval: time.Hour, Days: 7}},
	}
}

// keyPath joins the levels of a key inside viper. It is not the dot, so that
// a key written with dots in the file (`ui.week_start: sunday` at the top)
// is the unknown key it looks like rather than a second spelling of ui:'s
// week_start, and no YAML key is likely to hold it.
const keyPath = "\x00"

// Load finds the config file (opts.Flag, then $CRIER_CONFIG, then the XDG
// default), applies CRIER_* overrides and validates the result. Any problem
// is returned as a *Error.
func Load(opts LoadOptions) (*Config, error) {
	cfg, data, err := load(opts)
	if err == nil && cfg.File != "" {
		for i := range cfg.Accounts {
			cfg.Accounts[i].where = settingIn(data, cfg.File, fmt.Sprintf("accounts[%d].credential", i))
		}
		if cfg.Marketing.Plausible.Enabled() {
			cfg.Marketing.Plausible.where = settingIn(data, cfg.File, "marketing.plausible.api_key")
		}
	}
	var e *Error
	if errors.As(err, &e) && e.Line == 0 && e.Key != "" && e.File != "" && len(data) > 0 {
		e.Line = lineOf(data, e.Key)
	}
	return cfg, err
}

func load(opts LoadOptions) (_ *Config, data []byte, _ error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg := Defaults(getenv, opts.Home)
	l := &loader{home: opts.Home, env: map[string]string{}}

	path, namedBy, err := locate(opts.Flag, getenv, opts.Home)
	if err != nil {
		return nil, data, err
	}
	v := viper.NewWithOptions(viper.KeyDelimiter(keyPath))
	v.SetConfigType("yaml") // whatever the file is called
	if path != "" {
		var mode fs.FileMode
		var found bool
		data, mode, found, err = readFile(path, namedBy)
		if err != nil {
			return nil, data, err
		}
		if found {
			cfg.File, l.file, l.fileMode = path, path, mode
			if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
				return nil, data, parseError(path, data, err)
			}
		}
	}

	// Environment overrides go through opts.Getenv rather than viper's
	// AutomaticEnv, which would read os.Getenv behind the caller's back and
	// leave no way to say which variable held a bad value.
	overrides := map[string]string{}
	for _, key := range envKeys {
		if val := getenv(EnvVar(key)); val != "" {
			overrides[key], l.env[key] = val, EnvVar(key)
		}
	}

	// Unknown keys and misshapen sections are caught on the file alone,
	// before the environment is layered over it.
	err = checkKeys(cfg.File, v.AllSettings(), func(key, problem string) {
		if list := indexed.FindStringSubmatch(key); list == nil || overrides[list[1]] == "" {
			l.note(key, problem) // unless a variable replaces the whole list
		}
	})
	if err != nil {
		return nil, data, err
	}
	for key, val := range overrides {
		v.Set(strings.ReplaceAll(key, ".", keyPath), val)
	}

	if err := v.Unmarshal(cfg, decoding); err != nil {
		l.noteDecodeErrors(err)
	}
	if err := l.check(cfg); err != nil {
		return nil, data, err
	}
	return cfg, data, nil
}

// EnvVar returns the environment variable that overrides a dotted key,
// e.g. "scheduler.missed_grace" → "CRIER_SCHEDULER_MISSED_GRACE".
func EnvVar(key string) string {
	return "CRIER_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// locate picks the config file path and says who named it ("--config",
// "CRIER_CONFIG", or "" for the XDG default, which may be absent).
func locate(flag string, getenv func(string) string, home string) (path, namedBy string, err error) {
	if flag != "" {
		p, err := expandHome(flag, home)
		if err != nil {
			return "", "", &Error{File: flag, Problem: err.Error()}
		}
		return p, "--config", nil
	}
	if env := getenv("CRIER_CONFIG"); env != "" {
		p, err := expandHome(env, home)
		if err != nil {
			return "", "", &Error{File: env, Problem: err.Error() + " (named by CRIER_CONFIG)"}
		}
		return p, "CRIER_CONFIG", nil
	}
	return xdgPath(getenv, "XDG_CONFIG_HOME", home, ".config", "config.yaml"), "", nil
}

// readFile reads the config file. A missing file is an error only when the
// user named it; found reports whether there was a file to read.
func readFile(path, namedBy string) (data []byte, mode fs.FileMode, found bool, err error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if namedBy == "" {
				return nil, 0, false, nil
			}
			return nil, 0, false, &Error{File: path, Problem: "no such file (named by " + namedBy + ")"}
		}
		return nil, 0, false, &Error{File: path, Problem: "cannot read it: " + unwrapPath(err).Error()}
	}
	if info.IsDir() {
		return nil, 0, false, &Error{File: path, Problem: "is a directory, not a config file"}
	}
	data, err = os.ReadFile(path)
	if err != nil {
		return nil, 0, false, &Error{File: path, Problem: "cannot read it: " + unwrapPath(err).Error()}
	}
	return data, info.Mode().Perm(), true, nil
}

// parseError reports a file viper could not read as YAML, in YAML's words
// but without its Go-isms, or, for a document that is YAML but not a set of
// keys, what it is instead.
func parseError(path string, data []byte, err error) *Error {
	var pe viper.ConfigParseError
	if errors.As(err, &pe) {
		err = pe.Unwrap()
	}
	var doc any
	if yaml.Unmarshal(data, &doc) == nil {
		if _, ok := doc.(map[string]any); !ok {
			return &Error{File: path, Problem: "want keys such as timezone: and accounts: at the top level, got " + kind(doc)}
		}
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:")
	msg = strings.Join(strings.Fields(msg), " ")
	// YAML names the line, except on the first one and for a character it
	// cannot read at all: find those here.
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	} else if i := bytes.IndexFunc(data, func(r rune) bool {
		return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
	}); strings.Contains(msg, "control characters") && i >= 0 {
		line = 1 + bytes.Count(data[:i], []byte("\n"))
	} else if !strings.Contains(msg, "line ") {
		line = 1
	}
	return &Error{File: path, Line: line, Problem: "not valid YAML: " + msg}
}

var yamlLine = regexp.MustCompile(`^line (\d+): `)

// xdgPath returns $VAR/crier/name, or home/fallback/crier/name when the
// variable is unset or, against the XDG spec, not an absolute path.
func xdgPath(getenv func(string) string, variable, home, fallback, name string) string {
	if dir := getenv(variable); filepath.IsAbs(dir) {
		return filepath.Join(dir, "crier", name)
	}
	if home == "" {
		return ""
	}
	return filepath.Join(home, filepath.FromSlash(fallback), "crier", name)
}

// expandHome replaces a leading ~ or ~/ with home.
func expandHome(p, home string) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") && !strings.HasPrefix(p, `~`+string(filepath.Separator)) {
		return p, nil
	}
	if home == "" {
		return "", errors.New("cannot expand ~: the home directory is unknown")
	}
	return filepath.Join(home, p[1:]), nil
}

// localZone finds the IANA name of the local zone, so that times a person
// chooses are stored with a zone name other machines understand, not "Local".
// It reads $TZ, then the /etc/localtime link; failing both it keeps time.Local.
func localZone(getenv func(string) string) (*time.Location, string) {
	name := strings.TrimPrefix(getenv("TZ"), ":")
	if name == "" {
		if target, err := os.Readlink("/etc/localtime"); err == nil {
			if _, after, ok := strings.Cut(target, "zoneinfo/"); ok {
				name = after
			}
		}
	}
	if name != "" && !strings.HasPrefix(name, "/") {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc, name
		}
	}
	return time.Local, "Local"
}

// settingIn names key's place in the file: "key in FILE, line N".
func settingIn(data []byte, file, key string) string {
	if line := lineOf(data, key); line > 0 {
		return key + " in " + file + ", line " + strconv.Itoa(line)
	}
	return key + " in " + file
}

// lineOf finds the line of a key such as "accounts[1].name" or
// "ui.snooze_presets[2]" in a YAML file (keys compared ignoring case, as
// crier reads them). Where the path ends before the key (a required key
// left out), it is the line of the nearest part that is there; 0 when
// nothing of it is.
func lineOf(data []byte, key string) int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return 0
	}
	node, line := doc.Content[0], 0
	for _, part := range strings.Split(key, ".") {
		name, index := part, -1
		if m := indexed.FindStringSubmatch(part); m != nil {
			name = m[1]
			index, _ = strconv.Atoi(m[2])
		}
		if node.Kind != yaml.MappingNode {
			return line
		}
		var next *yaml.Node
		for i := 0; i+1 < len(node.Content); i += 2 {
			if strings.EqualFold(node.Content[i].Value, name) {
				line, next = node.Content[i].Line, node.Content[i+1]
			}
		}
		if next == nil {
			return line
		}
		node = next
		if index >= 0 {
			if node.Kind != yaml.SequenceNode || index >= len(node.Content) {
				return line
			}
			node = node.Content[index]
			line = node.Line
		}
	}
	return line
}
