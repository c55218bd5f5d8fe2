package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// env builds a fake Getenv from name/value pairs, so no test sees the real
// environment.
func env(pairs ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return func(k string) string { return m[k] }
}

// writeFile writes body to dir/name with exactly the given mode (umask
// notwithstanding) and returns the path.
func writeFile(t *testing.T, dir, name, body string, mode fs.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// loadBody writes body as a private config file and loads it with --config.
func loadBody(t *testing.T, body string, getenv func(string) string) (*Config, string, error) {
	t.Helper()
	dir := t.TempDir()
	path := writeFile(t, dir, "config.yaml", body, 0o600)
	cfg, err := Load(LoadOptions{Flag: path, Getenv: getenv, Home: filepath.Join(dir, "home")})
	return cfg, path, err
}

func asConfigError(t *testing.T, err error) *Error {
	t.Helper()
	if err == nil {
		t.Fatal("Load succeeded, want an error")
	}
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T) is not a *config.Error", err, err)
	}
	return ce
}

func TestLoadFullFile(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	path := writeFile(t, dir, "conf/crier.yaml", `
database: ~/data/shop.db
timezone: Europe/Berlin
log_file: /var/tmp/crier.log
scheduler:
  enabled: false
  missed_policy: SEND
  missed_grace: 1h30m
  sync_interval: 10s
ui:
  week_start: Sunday
  snooze_presets: [30m, 2h]
accounts:
  - name: shop-mastodon
    platform: Mastodon
    handle: "@shop@example.social"
    server: https://example.social/
    credential: env:CRIER_MASTODON_TOKEN
  - platform: bluesky
    handle: shop.bsky.social
    credential: file:secrets/bsky
  - name: backup
    platform: bluesky
    handle: backup.example.com
    server: http://localhost:2583
    credential: inline-secret-value
`, 0o600)

	cfg, err := Load(LoadOptions{Flag: path, Getenv: env(), Home: home})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Timezone == nil || cfg.Timezone.String() != "Europe/Berlin" || cfg.TimezoneName != "Europe/Berlin" {
		t.Errorf("timezone = %v / %q, want Europe/Berlin", cfg.Timezone, cfg.TimezoneName)
	}
	cfg.Timezone = nil
	want := &Config{
		File:         path,
		Database:     filepath.Join(home, "data/shop.db"),
		TimezoneName: "Europe/Berlin",
		LogFile:      "/var/tmp/crier.log",
		Scheduler:    Scheduler{Enabled: false, MissedPolicy: MissedPolicySend, MissedGrace: 90 * time.Minute, SyncInterval: 10 * time.Second},
		UI:           UI{WeekStart: time.Sunday, SnoozePresets: []time.Duration{30 * time.Minute, 2 * time.Hour}},
		Marketing:    Defaults(env(), home).Marketing,
		Accounts: []Account{
			{Name: "shop-mastodon", Platform: PlatformMastodon, Handle: "@shop@example.social", Server: "https://example.social", Credential: "env:CRIER_MASTODON_TOKEN"},
			{Platform: PlatformBluesky, Handle: "shop.bsky.social", Server: DefaultBlueskyServer, Credential: "file:" + filepath.Join(dir, "conf/secrets/bsky")},
			{Name: "backup", Platform: PlatformBluesky, Handle: "backup.example.com", Server: "http://localhost:2583", Credential: "inline-secret-value"},
		},
	}
	// Where each credential is written is checked in
	// TestUnreadableCredentialNamesItsPlace.
	for i := range want.Accounts {
		want.Accounts[i].where = cfg.Accounts[i].where
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("Load =\n%+v\nwant\n%+v", cfg, want)
	}
}

func TestDefaultsWithoutFile(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		name          string
		getenv        func(string) string
		database, log string
	}{
		{
			name:     "home fallbacks",
			getenv:   env(),
			database: filepath.Join(home, ".local/share/crier/crier.db"),
			log:      filepath.Join(home, ".local/state/crier/crier.log"),
		},
		{
			name:     "XDG directories",
			getenv:   env("XDG_DATA_HOME", "/xdg/data", "XDG_STATE_HOME", "/xdg/state", "XDG_CONFIG_HOME", filepath.Join(home, "nowhere")),
			database: "/xdg/data/crier/crier.db",
			log:      "/xdg/state/crier/crier.log",
		},
		{
			name:     "relative XDG values are ignored",
			getenv:   env("XDG_DATA_HOME", "data", "XDG_STATE_HOME", "state"),
			database: filepath.Join(home, ".local/share/crier/crier.db"),
			log:      filepath.Join(home, ".local/state/crier/crier.log"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load(LoadOptions{Getenv: tt.getenv, Home: home})
			if err != nil {
				t.Fatal(err)
			}
			if cfg.File != "" {
				t.Errorf("File = %q, want none", cfg.File)
			}
			if cfg.Database != tt.database || cfg.LogFile != tt.log {
				t.Errorf("paths = %q, %q; want %q, %q", cfg.Database, cfg.LogFile, tt.database, tt.log)
			}
			if _, name := localZone(tt.getenv); cfg.Timezone.String() != name || cfg.TimezoneName != name {
				t.Errorf("timezone = %v %q, want the local zone %q", cfg.Timezone, cfg.TimezoneName, name)
			}
			wantSched := Scheduler{Enabled: true, MissedPolicy: "grace", MissedGrace: 15 * time.Minute, SyncInterval: time.Minute}
			if cfg.Scheduler != wantSched {
				t.Errorf("Scheduler = %+v, want %+v", cfg.Scheduler, wantSched)
			}
			wantUI := UI{WeekStart: time.Monday, SnoozePresets: []time.Duration{time.Hour, 3 * time.Hour, 24 * time.Hour, 168 * time.Hour}}
			if !reflect.DeepEqual(cfg.UI, wantUI) {
				t.Errorf("UI = %+v, want %+v", cfg.UI, wantUI)
			}
			if len(cfg.Accounts) != 0 {
				t.Errorf("Accounts = %v, want none", cfg.Accounts)
			}
			if d := Defaults(tt.getenv, home); !reflect.DeepEqual(d, cfg) {
				t.Errorf("Defaults = %+v, differs from Load without a file %+v", d, cfg)
			}
		})
	}
}

func TestNoHomeAndNoXDG(t *testing.T) {
	_, err := Load(LoadOptions{Getenv: env()})
	ce := asConfigError(t, err)
	if ce.Key != "database" || !strings.Contains(ce.Problem, "home directory is unknown") {
		t.Errorf("got %v, want a database error about the unknown home", err)
	}
	cfg, err := Load(LoadOptions{Getenv: env("CRIER_DATABASE", "/db/crier.db", "CRIER_LOG_FILE", "/log/crier.log")})
	if err != nil {
		t.Fatalf("with explicit paths and no home: %v", err)
	}
	if cfg.Database != "/db/crier.db" || cfg.LogFile != "/log/crier.log" {
		t.Errorf("paths = %q, %q", cfg.Database, cfg.LogFile)
	}
}

func TestLookupOrder(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	flagFile := writeFile(t, dir, "flag.yaml", "timezone: Asia/Tokyo\n", 0o600)
	envFile := writeFile(t, dir, "env.yaml", "timezone: America/New_York\n", 0o600)
	xdgFile := writeFile(t, dir, "xdg/crier/config.yaml", "timezone: Europe/Paris\n", 0o600)
	homeFile := writeFile(t, home, ".config/crier/config.yaml", "timezone: Australia/Sydney\n", 0o600)
	xdg := filepath.Join(dir, "xdg")

	tests := []struct {
		name, flag string
		getenv     func(string) string
		file, zone string
	}{
		{"flag beats CRIER_CONFIG and XDG", flagFile, env("CRIER_CONFIG", envFile, "XDG_CONFIG_HOME", xdg), flagFile, "Asia/Tokyo"},
		{"CRIER_CONFIG beats XDG", "", env("CRIER_CONFIG", envFile, "XDG_CONFIG_HOME", xdg), envFile, "America/New_York"},
		{"XDG_CONFIG_HOME", "", env("XDG_CONFIG_HOME", xdg), xdgFile, "Europe/Paris"},
		{"~/.config when XDG_CONFIG_HOME is empty", "", env("XDG_CONFIG_HOME", ""), homeFile, "Australia/Sydney"},
		{"~ in --config expands", "~/.config/crier/config.yaml", env("CRIER_CONFIG", envFile), homeFile, "Australia/Sydney"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load(LoadOptions{Flag: tt.flag, Getenv: tt.getenv, Home: home})
			if err != nil {
				t.Fatal(err)
			}
			if cfg.File != tt.file || cfg.TimezoneName != tt.zone {
				t.Errorf("read %q (zone %s), want %q (zone %s)", cfg.File, cfg.TimezoneName, tt.file, tt.zone)
			}
		})
	}
}

func TestNamedFileMissing(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.yaml")
	tests := []struct {
		name, flag string
		getenv     func(string) string
		problem    string
	}{
		{"--config", missing, env(), "no such file (named by --config)"},
		{"CRIER_CONFIG", "", env("CRIER_CONFIG", missing), "no such file (named by CRIER_CONFIG)"},
		{"a directory", dir, env(), "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(LoadOptions{Flag: tt.flag, Getenv: tt.getenv, Home: dir})
			ce := asConfigError(t, err)
			if ce.Key != "" || !strings.Contains(ce.Problem, tt.problem) {
				t.Errorf("got %v, want problem %q", err, tt.problem)
			}
			if !strings.HasPrefix(err.Error(), "config "+ce.File+": ") || ce.File == "" {
				t.Errorf("message %q does not start by naming the file", err)
			}
		})
	}
}

func TestBadFiles(t *testing.T) {
	// account builds one valid account entry with a field replaced or added.
	account := func(extra string) string {
		return "  - platform: mastodon\n    handle: \"@a@example.social\"\n    server: https://example.social\n    credential: env:TOKEN\n" + extra
	}
	tests := []struct {
		name, body string
		key        string
		problem    string // the Problem must contain this
	}{
		{"unknown top key", "timezon: UTC\n", "timezon", `unknown key (did you mean "timezone"?)`},
		{"unknown key, nothing near", "colour: red\n", "colour", "unknown key"},
		{"unknown nested key", "scheduler:\n  missed_grce: 5m\n", "scheduler.missed_grce", `unknown key (did you mean "missed_grace"?)`},
		{"key in the wrong section", "missed_policy: send\n", "missed_policy", "unknown key (it belongs under scheduler:)"},
		{"unknown key in an account", "accounts:\n" + account("") + account("    passwrd: x\n"), "accounts[1].passwrd", `unknown key (did you mean "credential"?)`},
		{"dotted key", "scheduler.enabled: false\n", "scheduler.enabled", "unknown key"},
		{"bool given as a number", "scheduler:\n  enabled: 1\n", "scheduler.enabled", "want true or false, got 1"},
		{"snooze preset empty", "ui:\n  snooze_presets:\n    - 1h\n    -\n", "ui.snooze_presets[1]", "nothing is not a duration"},
		{"snooze presets text", "ui:\n  snooze_presets: 1h, 0s\n", "ui.snooze_presets[1]", "must be longer than 0"},
		{"week_start a number", "ui:\n  week_start: 1\n", "ui.week_start", `"1" is not one of monday, sunday`},
		{"scheduler not a section", "scheduler: true\n", "scheduler", "want a section of indented keys, got true/false"},
		{"accounts not a list", "accounts:\n  platform: mastodon\n", "accounts", "want a list of accounts"},
		{"account not a section", "accounts:\n  - hello\n", "accounts[0]", "want an account"},
		{"bool of the wrong type", "scheduler:\n  enabled: maybe\n", "scheduler.enabled", `want true or false, got "maybe"`},
		{"text of the wrong type", "timezone: [UTC]\n", "timezone", "want text, got a list"},
		{"database of the wrong type", "database:\n  path: x\n", "database", "want text, got a section of keys"},
		{"bad YAML", "timezone: UTC\nscheduler:\n  enabled: [true\n", "", "not valid YAML: did not find"},
		{"repeated key", "timezone: UTC\ntimezone: UTC\n", "", `"timezone" already defined at line 1`},
		{"top level is a list", "- timezone: UTC\n", "", "at the top level, got a list"},
		{"unknown time zone", "timezone: Europe/Berln\n", "timezone", `"Europe/Berln" is not a known time zone`},
		{"bad duration", "scheduler:\n  missed_grace: 15x\n", "scheduler.missed_grace", `"15x" is not a duration (write it like 15m or 1h30m)`},
		{"duration in days", "scheduler:\n  missed_grace: 1d\n", "scheduler.missed_grace", "write 24h for a day"},
		{"duration without unit", "scheduler:\n  sync_interval: 60\n", "scheduler.sync_interval", "60 is not a duration"},
		{"negative duration", "scheduler:\n  missed_grace: -5m\n", "scheduler.missed_grace", "must be longer than 0"},
		{"zero duration", "scheduler:\n  missed_grace: 0s\n", "scheduler.missed_grace", "must be longer than 0"},
		{"sync too often", "scheduler:\n  sync_interval: 9s\n", "scheduler.sync_interval", `"9s" is too often; the shortest allowed is 10s`},
		{"missed_policy not in set", "scheduler:\n  missed_policy: later\n", "scheduler.missed_policy", `"later" is not one of grace, send, skip`},
		{"missed_policy typo", "scheduler:\n  missed_policy: sned\n", "scheduler.missed_policy", "(did you mean send?)"},
		{"week_start not in set", "ui:\n  week_start: tuesday\n", "ui.week_start", `"tuesday" is not one of monday, sunday`},
		{"no snooze presets", "ui:\n  snooze_presets: []\n", "ui.snooze_presets", "want 1 to 9 durations, got 0"},
		{"ten snooze presets", "ui:\n  snooze_presets: [1m, 2m, 3m, 4m, 5m, 6m, 7m, 8m, 9m, 10m]\n", "ui.snooze_presets", "want 1 to 9 durations, got 10"},
		{"zero snooze preset", "ui:\n  snooze_presets: [1h, 0s]\n", "ui.snooze_presets[1]", "must be longer than 0"},
		{"bad snooze preset", "ui:\n  snooze_presets: [1h, soon]\n", "ui.snooze_presets[1]", `"soon" is not a duration`},
		{"snooze presets a section", "ui:\n  snooze_presets: {a: 1h}\n", "ui.snooze_presets", "want a list of durations"},
		{"platform not in set", "accounts:\n  - platform: twitter\n    handle: x\n    credential: env:T\n", "accounts[0].platform", `"twitter" is not one of mastodon, bluesky`},
		{"platform missing", "accounts:\n  - handle: x\n    credential: env:T\n", "accounts[0].platform", "missing"},
		{"handle missing", "accounts:\n  - platform: bluesky\n    credential: env:T\n", "accounts[0].handle", "missing"},
		{"mastodon without server", "accounts:\n  - platform: mastodon\n    handle: \"@a@b.c\"\n    credential: env:T\n", "accounts[0].server", "a mastodon account needs its server"},
		{"server without scheme", "accounts:\n  - platform: bluesky\n    handle: a.b\n    server: example.social\n    credential: env:T\n", "accounts[0].server", `"example.social" is not an http(s) URL`},
		{"server not http", "accounts:\n  - platform: bluesky\n    handle: a.b\n    server: ftp://example.social\n    credential: env:T\n", "accounts[0].server", "not an http(s) URL"},
		{"duplicate names", "accounts:\n" + account("    name: shop\n") + account("    name: Shop\n"), "accounts[1].name", `"Shop" is already the name of accounts[0]`},
		{"credential missing", "accounts:\n  - platform: bluesky\n    handle: a.b\n", "accounts[0].credential", "missing; write env:VAR, file:PATH or the secret itself"},
		{"credential env: without a name", "accounts:\n  - platform: bluesky\n    handle: a.b\n    credential: \"env:\"\n", "accounts[0].credential", "env: needs a variable name"},
		{"credential file: without a path", "accounts:\n  - platform: bluesky\n    handle: a.b\n    credential: \"file:\"\n", "accounts[0].credential", "file: needs a path"},
		{"credential a list", "accounts:\n  - platform: bluesky\n    handle: a.b\n    credential: [a]\n", "accounts[0].credential", "want text, got a list"},
		{"listen not a list", "accounts:\n" + account("    listen: sourdough\n"), "accounts[0].listen", "want a list of keywords and hashtags"},
		{"listen term a section", "accounts:\n" + account("    listen: [{a: b}]\n"), "accounts[0].listen[0]", "want text, got a section of keys"},
		{"listen hashtag unquoted", "accounts:\n" + account("    listen:\n      - rye\n      - #sourdough\n"), "accounts[0].listen[1]", `write a hashtag in quotes, like "#sourdough"`},
		{"listen term blank", "accounts:\n" + account("    listen: [rye, \"  \"]\n"), "accounts[0].listen[1]", "empty; write a keyword or a hashtag"},
		{"listen bare hash", "accounts:\n" + account("    listen: [\"#\"]\n"), "accounts[0].listen[0]", "a hashtag needs a name"},
		{"listen term too long", "accounts:\n" + account("    listen: [\""+strings.Repeat("é", MaxListenTermLen+1)+"\"]\n"), "accounts[0].listen[0]", "longer than 100 characters"},
		{"listen term with a newline", "accounts:\n" + account("    listen: [\"rye\\u0007bread\"]\n"), "accounts[0].listen[0]", "control character"},
		{"listen duplicate", "accounts:\n" + account("    listen: [\"#Sourdough\", rye  and shine, \"#sourdough\"]\n"), "accounts[0].listen[2]", `"#sourdough" is already accounts[0].listen[0]`},
		{"domains not a list", "marketing:\n  domains: {a: b}\n", "marketing.domains", "want a list of domains"},
		{"domain a link with a path", "marketing:\n  domains: [\"https://example.com/shop\"]\n", "marketing.domains[0]", `"https://example.com/shop" is not a domain`},
		{"domain without a dot", "marketing:\n  domains: [example.com, localhost]\n", "marketing.domains[1]", `"localhost" is not a domain such as example.com`},
		{"domain twice", "marketing:\n  domains: [example.com, WWW.Example.com]\n", "marketing.domains[1]", `"WWW.Example.com" is already marketing.domains[0]`},
		{"domain item empty", "marketing:\n  domains:\n    - example.com\n    -\n", "marketing.domains[1]", "empty; write a name"},
		{"domains misspelt", "marketing:\n  domain: [example.com]\n", "marketing.domain", `unknown key (did you mean "domains"?)`},
		{"plausible key misspelt", "marketing:\n  plausible:\n    site: example.com\n", "marketing.plausible.site", "unknown key"},
		{"plausible without a key", "marketing:\n  plausible:\n    site_id: example.com\n", "marketing.plausible.api_key", "missing; Plausible needs a Stats API key"},
		{"plausible key without a site", "marketing:\n  plausible:\n    api_key: env:PLAUSIBLE\n", "marketing.plausible.site_id", "missing; api_key is set"},
		{"plausible site a link", "marketing:\n  plausible:\n    site_id: https://example.com\n    api_key: env:P\n", "marketing.plausible.site_id", "is not a site id"},
		{"plausible url not http", "marketing:\n  plausible:\n    base_url: plausible.example.com\n", "marketing.plausible.base_url", "is not an http(s) URL"},
		{"plausible too often", "marketing:\n  plausible:\n    interval: 1m\n", "marketing.plausible.interval", `"1m0s" is too often; the shortest allowed is 5m`},
		{"plausible days out of range", "marketing:\n  plausible:\n    days: 0\n", "marketing.plausible.days", "0 is out of range; write 1 to 92"},
		{"plausible days not a number", "marketing:\n  plausible:\n    days: week\n", "marketing.plausible.days", `want a whole number, got "week"`},
		{"plausible env key empty", "marketing:\n  plausible:\n    site_id: example.com\n    api_key: \"env:\"\n", "marketing.plausible.api_key", "env: needs a variable name"},
		{"plausible goal blank", "marketing:\n  plausible:\n    goals: [Purchase, \" \"]\n", "marketing.plausible.goals[1]", "empty; write a goal's name"},
		{"listen too many", "accounts:\n" + account("    listen: ["+listenTerms(MaxListenTerms+1)+"]\n"), "accounts[0].listen", "at most 20 terms per account"},
		{"feed without a name", "feeds:\n  - url: https://example.com/feed.xml\n", "feeds[0].name", "missing; give the feed a short name"},
		{"feed url not http", "feeds:\n  - name: blog\n    url: ftp://example.com/feed\n", "feeds[0].url", `"ftp://example.com/feed" is not an http(s) URL`},
		{"feed names twice", "feeds:\n  - name: Blog\n    url: https://a.example/f\n  - name: blog\n    url: https://b.example/f\n", "feeds[1].name", `"blog" is already the name of feeds[0]`},
		{"feed for an unknown account", "accounts:\n" + account("    name: shop\n") + "feeds:\n  - name: blog\n    url: https://a.example/f\n    accounts: [shop, shopp]\n", "feeds[0].accounts[1]", `"shopp" is not the name or handle of an account`},
		{"feed key misspelt", "feeds:\n  - name: blog\n    url: https://a.example/f\n    fill_queu: true\n", "feeds[0].fill_queu", `did you mean "fill_queue"?`},
		{"competitor platform", "competitors:\n  - platform: blusky\n    handle: a.bsky.social\n", "competitors[0].platform", "(did you mean bluesky?)"},
		{"competitor without a handle", "competitors:\n  - platform: bluesky\n", "competitors[0].handle", "is not a handle"},
		{"an account twice, in other case", "accounts:\n  - platform: bluesky\n    handle: shop.bsky.social\n    credential: env:X\n  - platform: bluesky\n    handle: \"@Shop.BSKY.social\"\n    server: https://bsky.social/\n    credential: env:X\n", "accounts[1].handle", "is already accounts[0]"},
		{"a mastodon account twice, once without its server", "accounts:\n  - platform: mastodon\n    handle: \"@shop@example.social\"\n    server: https://example.social\n    credential: env:X\n" +
			"  - platform: mastodon\n    handle: shop\n    server: https://EXAMPLE.social/\n    credential: env:X\n", "accounts[1].handle", "is already accounts[0]"},
		{"competitor twice", "competitors:\n  - platform: bluesky\n    handle: A.bsky.social\n  - platform: bluesky\n    handle: \"@a.bsky.social\"\n", "competitors[1].handle", "already competitors[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path, err := loadBody(t, tt.body, env())
			ce := asConfigError(t, err)
			if ce.File != path || ce.Key != tt.key || !strings.Contains(ce.Problem, tt.problem) {
				t.Fatalf("got File=%q Key=%q Problem=%q\nwant File=%q Key=%q Problem containing %q", ce.File, ce.Key, ce.Problem, path, tt.key, tt.problem)
			}
			at := ""
			if ce.Line > 0 {
				at = fmt.Sprintf("line %d: ", ce.Line)
			}
			want := "config " + path + ": " + at + tt.key + ": " + ce.Problem
			if tt.key == "" {
				want = "config " + path + ": " + at + ce.Problem
			}
			if err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
}

// listenTerms writes n distinct terms as a YAML flow list's contents.
func listenTerms(n int) string {
	terms := make([]string, n)
	for i := range terms {
		terms[i] = fmt.Sprintf("term%d", i)
	}
	return strings.Join(terms, ", ")
}

// TestListenTerms checks what an account's listen list becomes: spaces
// collapsed, case and order kept, numbers read as text, the full 20 allowed.
func TestListenTerms(t *testing.T) {
	cfg, _, err := loadBody(t, `
accounts:
  - platform: bluesky
    handle: shop.bsky.social
    credential: env:T
    listen: ["#Sourdough", "  rye   and shine ", 1984, "Café Ünter"]
  - platform: bluesky
    handle: other.bsky.social
    credential: env:T
    listen: [`+listenTerms(MaxListenTerms)+`]
  - platform: bluesky
    handle: quiet.bsky.social
    credential: env:T
`, env())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Accounts[0].Listen, []string{"#Sourdough", "rye and shine", "1984", "Café Ünter"}; !slices.Equal(got, want) {
		t.Errorf("listen = %q, want %q", got, want)
	}
	if n := len(cfg.Accounts[1].Listen); n != MaxListenTerms {
		t.Errorf("%d terms kept, want %d", n, MaxListenTerms)
	}
	if cfg.Accounts[2].Listen != nil {
		t.Errorf("an account without listen: got %q", cfg.Accounts[2].Listen)
	}
}

func TestErrorMessageShape(t *testing.T) {
	_, path, err := loadBody(t, "scheduler:\n  missed_grace: 15x\n", env())
	want := fmt.Sprintf(`config %s: line 2: scheduler.missed_grace: "15x" is not a duration (write it like 15m or 1h30m)`, path)
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestInlineSecretNeedsPrivateFile(t *testing.T) {
	const secret = "s3cr3t-token-value"
	body := "accounts:\n  - platform: bluesky\n    handle: a.bsky.social\n    credential: " + secret + "\n"
	for _, tt := range []struct {
		mode fs.FileMode
		ok   bool
	}{{0o600, true}, {0o400, true}, {0o644, false}, {0o640, false}, {0o604, false}} {
		t.Run(tt.mode.String(), func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, dir, "config.yaml", body, tt.mode)
			cfg, err := Load(LoadOptions{Flag: path, Getenv: env(), Home: dir})
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if got, _ := cfg.Accounts[0].Secret(env()); got != secret {
					t.Errorf("Secret() = %q, want the inline value", got)
				}
				return
			}
			ce := asConfigError(t, err)
			wantProblem := "an inline secret in a file others can read; run chmod 600 " + path + " or use env:VAR / file:PATH"
			if ce.File != path || ce.Key != "accounts[0].credential" || ce.Problem != wantProblem {
				t.Errorf("got %#v", ce)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q reveals the secret", err)
			}
		})
	}

	t.Run("env and file credentials need no private file", func(t *testing.T) {
		dir := t.TempDir()
		path := writeFile(t, dir, "config.yaml", "accounts:\n  - platform: bluesky\n    handle: a.b\n    credential: env:X\n  - platform: bluesky\n    handle: c.d\n    credential: file:/x\n", 0o644)
		if _, err := Load(LoadOptions{Flag: path, Getenv: env(), Home: dir}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSecretsStayOutOfErrors(t *testing.T) {
	// A secret typed under a misspelled key, or next to a bad value, must not
	// be echoed back.
	const secret = "hunter2-very-secret"
	for _, body := range []string{
		"accounts:\n  - platform: bluesky\n    handle: a.b\n    pasword: " + secret + "\n",
		"accounts:\n  - platform: nope\n    handle: a.b\n    credential: " + secret + "\n",
		"accounts:\n  - platform: bluesky\n    handle: a.b\n    credential: {k: " + secret + "}\n",
	} {
		_, _, err := loadBody(t, body, env())
		if err == nil {
			t.Fatalf("%q loaded, want an error", body)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q reveals the secret", err)
		}
	}
}

func TestFileCredentialPaths(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	path := writeFile(t, dir, "etc/config.yaml", `
accounts:
  - {platform: bluesky, handle: a.b, credential: "file:~/bsky"}
  - {platform: bluesky, handle: c.d, credential: "file:keys/bsky"}
  - {platform: bluesky, handle: e.f, credential: "file:/abs/bsky"}
`, 0o600)
	cfg, err := Load(LoadOptions{Flag: path, Getenv: env(), Home: home})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"file:" + filepath.Join(home, "bsky"),
		"file:" + filepath.Join(dir, "etc/keys/bsky"),
		"file:/abs/bsky",
	}
	for i, a := range cfg.Accounts {
		if a.Credential != want[i] {
			t.Errorf("accounts[%d].Credential = %q, want %q", i, a.Credential, want[i])
		}
	}
}

func TestEnvOverrides(t *testing.T) {
	body := "timezone: UTC\nscheduler:\n  missed_grace: 15m\n"
	cfg, _, err := loadBody(t, body, env(
		"CRIER_SCHEDULER_MISSED_GRACE", "45m",
		"CRIER_TIMEZONE", "Asia/Tokyo",
		"CRIER_SCHEDULER_ENABLED", "false",
		"CRIER_SCHEDULER_MISSED_POLICY", "skip",
		"CRIER_SCHEDULER_SYNC_INTERVAL", "5m",
		"CRIER_UI_WEEK_START", "Sunday",
		"CRIER_UI_SNOOZE_PRESETS", "2h, 4h",
		"CRIER_DATABASE", "/tmp/other.db",
		"CRIER_LOG_FILE", "/tmp/other.log",
	))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Scheduler.MissedGrace != 45*time.Minute {
		t.Errorf("MissedGrace = %v, want 45m from the environment", cfg.Scheduler.MissedGrace)
	}
	if cfg.TimezoneName != "Asia/Tokyo" || cfg.Timezone.String() != "Asia/Tokyo" {
		t.Errorf("timezone = %q, want Asia/Tokyo from the environment", cfg.TimezoneName)
	}
	wantSched := Scheduler{Enabled: false, MissedPolicy: "skip", MissedGrace: 45 * time.Minute, SyncInterval: 5 * time.Minute}
	if cfg.Scheduler != wantSched {
		t.Errorf("Scheduler = %+v, want %+v", cfg.Scheduler, wantSched)
	}
	if cfg.UI.WeekStart != time.Sunday || !slices.Equal(cfg.UI.SnoozePresets, []time.Duration{2 * time.Hour, 4 * time.Hour}) {
		t.Errorf("UI = %+v", cfg.UI)
	}
	if cfg.Database != "/tmp/other.db" || cfg.LogFile != "/tmp/other.log" {
		t.Errorf("paths = %q, %q", cfg.Database, cfg.LogFile)
	}

	t.Run("without a file", func(t *testing.T) {
		home := t.TempDir()
		cfg, err := Load(LoadOptions{Getenv: env("CRIER_TIMEZONE", "UTC", "CRIER_DATABASE", "~/x.db"), Home: home})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.File != "" || cfg.Timezone != time.UTC || cfg.Database != filepath.Join(home, "x.db") {
			t.Errorf("got File=%q zone=%v db=%q", cfg.File, cfg.Timezone, cfg.Database)
		}
	})
}

func TestBadEnvOverrides(t *testing.T) {
	tests := []struct{ variable, value, problem string }{
		{"CRIER_SCHEDULER_MISSED_GRACE", "15x", `"15x" is not a duration`},
		{"CRIER_SCHEDULER_SYNC_INTERVAL", "1s", "the shortest allowed is 10s"},
		{"CRIER_TIMEZONE", "Mars/Olympus", `"Mars/Olympus" is not a known time zone`},
		{"CRIER_SCHEDULER_ENABLED", "maybe", `want true or false, got "maybe"`},
		{"CRIER_SCHEDULER_MISSED_POLICY", "never", `"never" is not one of grace, send, skip`},
		{"CRIER_UI_WEEK_START", "friday", `"friday" is not one of monday, sunday`},
		{"CRIER_UI_SNOOZE_PRESETS", "1h,nope", `item 2: "nope" is not a duration`},
		{"CRIER_UI_SNOOZE_PRESETS", ",", "want 1 to 9 durations, got 0"},
	}
	for _, tt := range tests {
		t.Run(tt.variable+"="+tt.value, func(t *testing.T) {
			// The file holds a good value; the bad override must still be caught
			// and blamed on the variable, not the file.
			_, _, err := loadBody(t, "scheduler:\n  missed_grace: 15m\n", env(tt.variable, tt.value))
			ce := asConfigError(t, err)
			if ce.File != "" || ce.Key != tt.variable || !strings.Contains(ce.Problem, tt.problem) {
				t.Errorf("got %#v, want Key %s and problem %q", ce, tt.variable, tt.problem)
			}
			if want := "config: " + tt.variable + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Error() = %q, want prefix %q", err, want)
			}
		})
	}
}

// With several problems, the first reported is the first in the order of
// the keys (as the example lists them), whether the decoder or the checks
// found it, and whether it came from the file or a variable.
func TestFirstProblemInKeyOrder(t *testing.T) {
	tests := []struct {
		name, body string
		getenv     func(string) string
		file       bool
		key        string
	}{
		{"a range before a type", "scheduler:\n  sync_interval: 1s\nui:\n  week_start: friday\n", env(), true, "scheduler.sync_interval"},
		{"a type before a range", "scheduler:\n  missed_grace: soon\n  sync_interval: 1s\n", env(), true, "scheduler.missed_grace"},
		{"a variable before the file", "ui:\n  week_start: friday\n", env("CRIER_SCHEDULER_MISSED_GRACE", "0s"), false, "CRIER_SCHEDULER_MISSED_GRACE"},
		{"the file before a variable", "timezone: Mars/Base\n", env("CRIER_SCHEDULER_MISSED_GRACE", "soon"), true, "timezone"},
		{"an account's fields in order", "accounts:\n  - platform: [x]\n    handle: a\n    credential: [y]\n", env(), true, "accounts[0].platform"},
		{"a list's items in order", "ui:\n  snooze_presets: [0s, soon]\n", env(), true, "ui.snooze_presets[0]"},
		{"an empty item in its turn", "scheduler:\n  missed_grace: 0s\nui:\n  snooze_presets: [1h, ~]\n", env(), true, "scheduler.missed_grace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path, err := loadBody(t, tt.body, tt.getenv)
			ce := asConfigError(t, err)
			if want := map[bool]string{true: path, false: ""}[tt.file]; ce.Key != tt.key || ce.File != want {
				t.Errorf("got %v, want the problem with %s first", err, tt.key)
			}
		})
	}
}

// A variable replaces the file's value whole: what was wrong with the file's
// list does not matter any more.
func TestEnvReplacesAList(t *testing.T) {
	cfg, _, err := loadBody(t, "ui:\n  snooze_presets:\n    - 1h\n    -\n", env("CRIER_UI_SNOOZE_PRESETS", "2h"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.UI.SnoozePresets, []time.Duration{2 * time.Hour}) {
		t.Errorf("SnoozePresets = %v, want the variable's [2h]", cfg.UI.SnoozePresets)
	}
}

// Decoding never touches the zone Defaults chose (time.Local among them):
// the file's zone is loaded afresh.
func TestZoneFromFileLeavesLocalAlone(t *testing.T) {
	before := time.Local.String()
	for _, zone := range []string{"Asia/Tokyo", "UTC", "Local"} {
		cfg, _, err := loadBody(t, "timezone: "+zone+"\n", env())
		if err != nil {
			t.Fatal(err)
		}
		if cfg.TimezoneName != zone || cfg.Timezone.String() != zone {
			t.Errorf("timezone: %s gave %v / %q", zone, cfg.Timezone, cfg.TimezoneName)
		}
	}
	if cfg, _, _ := loadBody(t, "timezone: UTC\n", env()); cfg.Timezone != time.UTC {
		t.Errorf("timezone: UTC gave %p, not time.UTC", cfg.Timezone)
	}
	if time.Local.String() != before {
		t.Errorf("time.Local is now %v, was %s", time.Local, before)
	}
}

func TestEnvVar(t *testing.T) {
	for key, want := range map[string]string{
		"timezone":               "CRIER_TIMEZONE",
		"log_file":               "CRIER_LOG_FILE",
		"scheduler.missed_grace": "CRIER_SCHEDULER_MISSED_GRACE",
	} {
		if got := EnvVar(key); got != want {
			t.Errorf("EnvVar(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestSecret(t *testing.T) {
	dir := t.TempDir()
	tokenFile := writeFile(t, dir, "token", "  app-password\n", 0o600)
	emptyFile := writeFile(t, dir, "empty", "\n", 0o600)
	missing := filepath.Join(dir, "missing")
	getenv := env("SHOP_TOKEN", "from-env", "BLANK", "")

	tests := []struct {
		name       string
		account    Account
		want       string
		errHas     []string
		errIsNoent bool
	}{
		{name: "env", account: Account{Name: "shop", Credential: "env:SHOP_TOKEN"}, want: "from-env"},
		{name: "file", account: Account{Name: "shop", Credential: "file:" + tokenFile}, want: "app-password"},
		{name: "inline", account: Account{Name: "shop", Credential: "inline"}, want: "inline"},
		{name: "env unset", account: Account{Name: "shop", Credential: "env:NOPE"}, errHas: []string{`account "shop"`, "env:NOPE", "unset or empty"}},
		{name: "env empty", account: Account{Handle: "a.b", Platform: "bluesky", Credential: "env:BLANK"}, errHas: []string{"account a.b on bluesky", "env:BLANK"}},
		{name: "env without name", account: Account{Name: "shop", Credential: "env:"}, errHas: []string{`account "shop"`, "names no variable"}},
		{name: "file missing", account: Account{Name: "shop", Credential: "file:" + missing}, errHas: []string{`account "shop"`, "file:" + missing, "cannot read it"}, errIsNoent: true},
		{name: "file is a directory", account: Account{Name: "shop", Credential: "file:" + dir}, errHas: []string{"file:" + dir, "cannot read it"}},
		{name: "file empty", account: Account{Name: "shop", Credential: "file:" + emptyFile}, errHas: []string{"file:" + emptyFile, "the file is empty"}},
		{name: "no credential", account: Account{Name: "shop"}, errHas: []string{`account "shop"`, "no credential"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.account.Secret(getenv)
			if tt.errHas == nil {
				if err != nil || got != tt.want {
					t.Fatalf("Secret() = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Secret() = %q, want an error", got)
			}
			for _, s := range tt.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if tt.errIsNoent && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("error %v is not fs.ErrNotExist", err)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	topKeys := fileKeys.keys()
	accounts, _ := fileKeys.field("accounts")
	accountKeys := accounts.sub.keys()
	marketing, _ := fileKeys.field("marketing")
	marketingKeys := marketing.sub.keys()
	tests := []struct {
		leaf     string
		siblings []string
		want     string
	}{
		{"handel", accountKeys, ` (did you mean "handle"?)`},
		{"token", accountKeys, ` (did you mean "credential"?)`},
		{"id", accountKeys, ""},
		{"week_start", topKeys, " (it belongs under ui:)"},
		{"platform", topKeys, " (it belongs inside an entry under accounts:)"},
		{"db", topKeys, ` (did you mean "database"?)`},
		// Two letters swapped, the commonest typo, are one slip, not two:
		// with one more, "domian" is still "domains".
		{"domian", marketingKeys, ` (did you mean "domains"?)`},
		{"tiemzone", topKeys, ` (did you mean "timezone"?)`},
		{"acocunts", topKeys, ` (did you mean "accounts"?)`},
	}
	for _, tt := range tests {
		if got := suggest(tt.leaf, tt.siblings); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.leaf, got, tt.want)
		}
	}
}

// The example must load cleanly, name every known key, and show the
// defaults it claims to show.
func TestExampleConfig(t *testing.T) {
	const example = "../config.example.yaml"
	home := t.TempDir()
	getenv := env("CRIER_MASTODON_TOKEN", "token-from-env")
	cfg, err := Load(LoadOptions{Flag: example, Getenv: getenv, Home: home})
	if err != nil {
		t.Fatalf("config.example.yaml does not validate: %v", err)
	}

	defaults := Defaults(getenv, home)
	if cfg.Scheduler != defaults.Scheduler || !reflect.DeepEqual(cfg.UI, defaults.UI) || !reflect.DeepEqual(cfg.Marketing, defaults.Marketing) ||
		cfg.Database != defaults.Database || cfg.LogFile != defaults.LogFile || cfg.TimezoneName != defaults.TimezoneName {
		t.Errorf("the example's values differ from Defaults:\n%+v\n%+v", cfg, defaults)
	}

	platforms := map[string]Account{}
	for _, a := range cfg.Accounts {
		platforms[a.Platform] = a
	}
	if m := platforms[PlatformMastodon]; !strings.HasPrefix(m.Credential, "env:") {
		t.Errorf("want a mastodon example with an env: credential, got %+v", m)
	} else if s, err := m.Secret(getenv); err != nil || s != "token-from-env" {
		t.Errorf("mastodon example Secret() = %q, %v", s, err)
	}
	if b := platforms[PlatformBluesky]; !strings.HasPrefix(b.Credential, "file:") {
		t.Errorf("want a bluesky example with a file: credential, got %+v", b)
	}

	data, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range missingKeys(doc, fileKeys, "") {
		t.Errorf("config.example.yaml does not show %s", key)
	}
}

// missingKeys lists the keys of s that m does not show; a list of entries
// shows a key when one of its entries does.
func missingKeys(m map[string]any, s section, path string) []string {
	var missing []string
	for _, f := range s {
		val, ok := m[f.key]
		switch {
		case !ok:
			missing = append(missing, path+f.key)
		case f.list:
			entries, _ := val.([]any)
			for _, sub := range f.sub {
				shown := false
				for _, e := range entries {
					entry, _ := e.(map[string]any)
					if _, ok := entry[sub.key]; ok {
						shown = true
					}
				}
				if !shown {
					missing = append(missing, path+f.key+"[]."+sub.key)
				}
			}
		case f.sub != nil:
			sec, _ := val.(map[string]any)
			missing = append(missing, missingKeys(sec, f.sub, path+f.key+".")...)
		}
	}
	return missing
}

// The keys are the struct's mapstructure tags; these are the ones the
// README and config.example.yaml document, and the variables that override
// them.
func TestKeysComeFromTheStruct(t *testing.T) {
	if got, want := fileKeys.keys(), []string{"database", "timezone", "log_file", "scheduler", "ui", "marketing", "accounts", "feeds", "competitors"}; !slices.Equal(got, want) {
		t.Errorf("top-level keys = %q, want %q", got, want)
	}
	accounts, _ := fileKeys.field("accounts")
	if got, want := accounts.sub.keys(), []string{"name", "platform", "handle", "server", "credential", "listen"}; !accounts.list || !slices.Equal(got, want) {
		t.Errorf("account keys = %q (list %v), want %q in a list", got, accounts.list, want)
	}
	wantEnv := []string{
		"database", "timezone", "log_file",
		"scheduler.enabled", "scheduler.missed_policy", "scheduler.missed_grace", "scheduler.sync_interval",
		"ui.week_start", "ui.snooze_presets",
		"marketing.domains", "marketing.plausible.site_id", "marketing.plausible.base_url", "marketing.plausible.api_key",
		"marketing.plausible.goals", "marketing.plausible.interval", "marketing.plausible.days",
	}
	if !slices.Equal(envKeys, wantEnv) {
		t.Errorf("envKeys = %q, want %q", envKeys, wantEnv)
	}
}

func TestEmptyFileAndSections(t *testing.T) {
	for _, body := range []string{"", "# nothing yet\n", "scheduler:\nui:\naccounts:\ntimezone:\n", "accounts: []\n",
		"scheduler: {}\nui: {}\n",
		// Empty text is "not set": the default stays.
		"database: \"\"\ntimezone: \" \"\nscheduler:\n  missed_policy: \"\"\nui:\n  week_start: \"\"\n"} {
		cfg, _, err := loadBody(t, body, env())
		if err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		d := Defaults(env(), "")
		if cfg.Scheduler != d.Scheduler || !reflect.DeepEqual(cfg.UI, d.UI) || cfg.TimezoneName != d.TimezoneName || cfg.Accounts != nil {
			t.Errorf("%q did not give the defaults: %+v", body, cfg)
		}
	}
}

func TestLocalZoneHasAnIANAName(t *testing.T) {
	loc, name := localZone(func(k string) string {
		if k == "TZ" {
			return ":America/New_York"
		}
		return ""
	})
	if name != "America/New_York" || loc.String() != "America/New_York" {
		t.Fatalf("TZ=:America/New_York gave %v %q", loc, name)
	}
	// A TZ that names no zone falls back to the system's, never to an error.
	if loc, name := localZone(func(k string) string {
		if k == "TZ" {
			return "Nowhere/Special"
		}
		return ""
	}); loc == nil || name == "" {
		t.Fatalf("bad TZ gave %v %q", loc, name)
	}
}

// TestMarketing checks what marketing: becomes: domains as written (a link
// or a bare name), the Plausible site with its key resolved like an
// account's credential, its defaults, and variables that override it.
func TestMarketing(t *testing.T) {
	cfg, _, err := loadBody(t, `
marketing:
  domains: [ryeandshine.bakery, "https://shop.example.com/"]
  plausible:
    site_id: ryeandshine.bakery
    base_url: https://stats.example.com/
    api_key: env:PLAUSIBLE_KEY
    goals: [Purchase, "Workshop booked"]
    interval: 30m
    days: 14
`, env("PLAUSIBLE_KEY", " k3y "))
	if err != nil {
		t.Fatal(err)
	}
	want := Marketing{
		Domains: DomainList{"ryeandshine.bakery", "https://shop.example.com/"},
		Plausible: Plausible{SiteID: "ryeandshine.bakery", BaseURL: "https://stats.example.com", APIKey: "env:PLAUSIBLE_KEY",
			Goals: GoalList{"Purchase", "Workshop booked"}, Interval: 30 * time.Minute, Days: 14,
			where: "marketing.plausible.api_key in " + cfg.File + ", line 7"},
	}
	if !reflect.DeepEqual(cfg.Marketing, want) {
		t.Errorf("marketing = %+v, want %+v", cfg.Marketing, want)
	}
	if key, err := cfg.Marketing.Plausible.Secret(env("PLAUSIBLE_KEY", " k3y ")); err != nil || key != "k3y" {
		t.Errorf("Secret() = %q, %v; want k3y", key, err)
	}
	if _, err := cfg.Marketing.Plausible.Secret(env()); err == nil || !strings.Contains(err.Error(), "marketing.plausible: api_key env:PLAUSIBLE_KEY: the variable is unset") {
		t.Errorf("Secret() without the variable: %v", err)
	}

	// Off by default, with the defaults filled in.
	cfg, _, err = loadBody(t, "marketing:\n  domains: []\n", env())
	if err != nil {
		t.Fatal(err)
	}
	if p := cfg.Marketing.Plausible; p.Enabled() || p.BaseURL != DefaultPlausibleURL || p.Interval != time.Hour || p.Days != 7 || cfg.Marketing.Domains != nil {
		t.Errorf("defaults: %+v", cfg.Marketing)
	}

	// Variables, a list as text.
	cfg, _, err = loadBody(t, "", env("CRIER_MARKETING_DOMAINS", "a.example, b.example", "CRIER_MARKETING_PLAUSIBLE_SITE_ID", "a.example",
		"CRIER_MARKETING_PLAUSIBLE_API_KEY", "env:K", "CRIER_MARKETING_PLAUSIBLE_DAYS", "3"))
	if err != nil {
		t.Fatal(err)
	}
	if m := cfg.Marketing; !slices.Equal(m.Domains, []string{"a.example", "b.example"}) || m.Plausible.SiteID != "a.example" || m.Plausible.Days != 3 {
		t.Errorf("from variables: %+v", m)
	}
	_, _, err = loadBody(t, "", env("CRIER_MARKETING_DOMAINS", "a.example,nodot"))
	if ce := asConfigError(t, err); ce.Key != "CRIER_MARKETING_DOMAINS" || !strings.Contains(ce.Problem, `item 2: "nodot" is not a domain`) {
		t.Errorf("bad domain from a variable: %v", err)
	}

	// An inline key needs a private file, as an account's does.
	dir := t.TempDir()
	path := writeFile(t, dir, "config.yaml", "marketing:\n  plausible:\n    site_id: a.example\n    api_key: s3cret\n", 0o644)
	_, err = Load(LoadOptions{Flag: path, Getenv: env(), Home: dir})
	if ce := asConfigError(t, err); ce.Key != "marketing.plausible.api_key" || !strings.Contains(ce.Problem, "chmod 600") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("inline key in a shared file: %v", err)
	}
}

// A mistake in the file is named with its line, whatever kind it is: an
// unknown key, a wrong type, a bad value, a required key left out (the
// line of its item), a duplicate, in sections, lists and list items, and
// with keys written in other case; a YAML syntax error on the first line
// too (YAML itself names no line there).
func TestErrorsNameTheLine(t *testing.T) {
	tests := []struct {
		name, body string
		line       int
	}{
		{"unknown top-level key", "database: \"\"\ntimezon: UTC\n", 2},
		{"unknown key in a section", "ui:\n  week_start: monday\n  snooze: [1h]\n", 3},
		{"wrong type", "scheduler:\n  missed_policy: grace\n\n  enabled: maybe\n", 4},
		{"bad time zone", "# a comment\nTimeZone: Mars/Olympus\n", 2},
		{"bad list item", "ui:\n  snooze_presets:\n    - 1h\n    - soon\n", 4},
		{"misspelt key of an account", "accounts:\n  - name: a\n    platfrom: bluesky\n", 3},
		{"required key left out", "accounts:\n  - name: a\n    platform: bluesky\n    handle: a.bsky.social\n    credential: env:A\n  - name: b\n    platform: bluesky\n", 6},
		{"duplicate name", "accounts:\n  - name: a\n    platform: bluesky\n    handle: a.bsky.social\n    credential: env:A\n  - name: a\n    platform: bluesky\n    handle: b.bsky.social\n    credential: env:A\n", 6},
		{"YAML error on the first line", "this is: not: yaml\n", 1},
		{"control character", "timezone: UTC\nui:\n  week_start: mon\x01day\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := loadBody(t, tt.body, env())
			ce := asConfigError(t, err)
			if ce.Line != tt.line || !strings.Contains(err.Error(), fmt.Sprintf(": line %d: ", tt.line)) {
				t.Errorf("line %d, want %d: %v", ce.Line, tt.line, err)
			}
		})
	}
}

// A credential that cannot be read when crier starts (a variable unset, a
// file gone) is named with its setting's place in the file, as a mistake
// in the file is.
func TestUnreadableCredentialNamesItsPlace(t *testing.T) {
	cfg, path, err := loadBody(t, "accounts:\n  - name: a\n    platform: bluesky\n    handle: a.bsky.social\n    credential: env:A\n"+
		"  - name: b\n    platform: bluesky\n    handle: b.bsky.social\n\n    credential: file:gone.txt\n"+
		"marketing:\n  plausible:\n    site_id: example.com\n    api_key: env:P\n", env())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{func() error { _, err := cfg.Accounts[0].Secret(env()); return err }(), `account "a": credential env:A: the variable is unset or empty (accounts[0].credential in ` + path + ", line 5)"},
		{func() error { _, err := cfg.Accounts[1].Secret(env()); return err }(), "(accounts[1].credential in " + path + ", line 10)"},
		{func() error { _, err := cfg.Marketing.Plausible.Secret(env()); return err }(), "(marketing.plausible.api_key in " + path + ", line 14)"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("got %v, want %q", tc.err, tc.want)
		}
	}
}
