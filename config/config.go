// Package config finds crier's settings file, layers CRIER_* environment
// variables over it, and checks every value before the TUI starts, so a typo
// is reported with its file and key instead of surfacing later as odd
// behaviour. Panes receive the plain *Config; nothing outside main and this
// package sees viper.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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

// Config is the checked configuration handed to the rest of crier.
type Config struct {
	File         string         // the file that was read, "" if none
	Database     string         // path of the SQLite database
	Timezone     *time.Location // never nil after Load or Defaults
	TimezoneName string         // as written, or "Local"
	LogFile      string
	Scheduler    Scheduler
	UI           UI
	Accounts     []Account
}

// Scheduler holds the settings of the embedded scheduler.
type Scheduler struct {
	Enabled      bool
	MissedPolicy string // one of the MissedPolicy* constants
	MissedGrace  time.Duration
	SyncInterval time.Duration
}

// UI holds display preferences.
type UI struct {
	WeekStart     time.Weekday // time.Monday or time.Sunday
	SnoozePresets []time.Duration
}

// Account is one social network account. After Load, Platform is lower case,
// Server is an http(s) URL without a trailing slash, and a file: Credential
// holds an absolute path.
type Account struct {
	Name       string // optional label, unique among accounts when set
	Platform   string // one of the Platform* constants
	Handle     string
	Server     string
	Credential string // env:VAR, file:PATH or the secret itself
	// Listen are the keywords and hashtags ("#sourdough") social listening
	// searches for on every sync, inner spaces collapsed, unique ignoring
	// case; nil for none.
	Listen []string
}

// Error reports one bad setting. File is "" when the value came from an
// environment variable, in which case Key names that variable.
type Error struct {
	File    string
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
	}
}

// Load finds the config file (opts.Flag, then $CRIER_CONFIG, then the XDG
// default), applies CRIER_* overrides and validates the result. Any problem
// is returned as a *Error.
func Load(opts LoadOptions) (*Config, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg := Defaults(getenv, opts.Home)

	path, namedBy, err := locate(opts.Flag, getenv, opts.Home)
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	var mode fs.FileMode
	if path != "" {
		data, m, found, err := readFile(path, namedBy)
		if err != nil {
			return nil, err
		}
		if found {
			cfg.File = path
			mode = m
			if raw, err = parseYAML(path, data); err != nil {
				return nil, err
			}
		}
	}

	// Unknown keys and misshapen sections are caught on the file alone,
	// before viper merges anything over it.
	if err := checkKeys(cfg.File, raw); err != nil {
		return nil, err
	}

	v := viper.New()
	if raw != nil {
		if err := v.MergeConfigMap(raw); err != nil {
			return nil, &Error{File: cfg.File, Problem: err.Error()}
		}
	}
	// Environment overrides go through opts.Getenv rather than viper's
	// AutomaticEnv, which would read os.Getenv behind the caller's back and
	// leave no way to say which variable held a bad value.
	l := &loader{file: cfg.File, fileMode: mode, home: opts.Home, env: map[string]string{}}
	for _, key := range envKeys {
		name := EnvVar(key)
		if val := getenv(name); val != "" {
			v.Set(key, val)
			l.env[key] = name
		}
	}

	if err := l.fill(cfg, v); err != nil {
		return nil, err
	}
	return cfg, nil
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

// parseYAML decodes the file into plain maps with lower-case keys, matching
// viper's case-insensitive lookups.
func parseYAML(path string, data []byte) (map[string]any, error) {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = strings.TrimPrefix(msg, "unmarshal errors:")
		msg = strings.Join(strings.Fields(msg), " ")
		return nil, &Error{File: path, Problem: "not valid YAML: " + msg}
	}
	if doc == nil {
		return nil, nil
	}
	top, ok := normalize(doc).(map[string]any)
	if !ok {
		return nil, &Error{File: path, Problem: "want keys such as timezone: and accounts: at the top level, got " + kind(doc)}
	}
	return top, nil
}

// normalize turns every YAML mapping into map[string]any with lower-case keys.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[strings.ToLower(k)] = normalize(val)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[strings.ToLower(fmt.Sprint(k))] = normalize(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = normalize(val)
		}
		return out
	}
	return v
}

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
