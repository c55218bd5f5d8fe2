package config

import (
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/viper"
)

// The known keys. checkKeys rejects anything else; envKeys are the scalar
// keys a CRIER_* variable may override (accounts, being a list, cannot be).
var (
	topKeys     = []string{"database", "timezone", "log_file", "scheduler", "ui", "accounts"}
	sectionKeys = map[string][]string{
		"scheduler": {"enabled", "missed_policy", "missed_grace", "sync_interval"},
		"ui":        {"week_start", "snooze_presets"},
	}
	accountKeys = []string{"name", "platform", "handle", "server", "credential", "listen"}

	envKeys = []string{
		"database", "timezone", "log_file",
		"scheduler.enabled", "scheduler.missed_policy", "scheduler.missed_grace", "scheduler.sync_interval",
		"ui.week_start", "ui.snooze_presets",
	}
)

// Words people reach for instead of the key crier uses, checked in order.
var keyAliases = []struct{ alias, key string }{
	{"password", "credential"},
	{"app_password", "credential"},
	{"token", "credential"},
	{"access_token", "credential"},
	{"secret", "credential"},
	{"username", "handle"},
	{"instance", "server"},
	{"url", "server"},
	{"network", "platform"},
	{"tz", "timezone"},
	{"time_zone", "timezone"},
	{"db", "database"},
	{"logfile", "log_file"},
}

const maxSnoozePresets = 9

// Limits on an account's listening terms. Each term is a search request on
// every sync, so the count is kept to what a rate limit comfortably allows.
const (
	MaxListenTerms   = 20
	MaxListenTermLen = 100 // characters; longer ones are sentences, not search terms
)

// checkKeys walks the decoded file and reports the first unknown key or
// section of the wrong shape, in a stable order.
func checkKeys(file string, raw map[string]any) error {
	for _, k := range sortedKeys(raw) {
		if !slices.Contains(topKeys, k) {
			return unknownKey(file, k, k, topKeys)
		}
		val := raw[k]
		switch k {
		case "scheduler", "ui":
			if val == nil {
				continue
			}
			sec, ok := val.(map[string]any)
			if !ok {
				return &Error{File: file, Key: k, Problem: "want a section of indented keys, got " + kind(val)}
			}
			for _, sub := range sortedKeys(sec) {
				if !slices.Contains(sectionKeys[k], sub) {
					return unknownKey(file, k+"."+sub, sub, sectionKeys[k])
				}
			}
		case "accounts":
			if val == nil {
				continue
			}
			list, ok := val.([]any)
			if !ok {
				return &Error{File: file, Key: k, Problem: "want a list of accounts, each starting with -, got " + kind(val)}
			}
			for i, item := range list {
				key := fmt.Sprintf("accounts[%d]", i)
				acct, ok := item.(map[string]any)
				if !ok {
					return &Error{File: file, Key: key, Problem: "want an account with keys such as platform: and handle:, got " + kind(item)}
				}
				for _, sub := range sortedKeys(acct) {
					if !slices.Contains(accountKeys, sub) {
						return unknownKey(file, key+"."+sub, sub, accountKeys)
					}
				}
			}
		}
	}
	return nil
}

func unknownKey(file, path, leaf string, siblings []string) *Error {
	return &Error{File: file, Key: path, Problem: "unknown key" + suggest(leaf, siblings)}
}

// suggest offers the nearest sibling key, then a known synonym, then the
// section where a stray key belongs.
func suggest(leaf string, siblings []string) string {
	best, bestDist := "", 3
	for _, s := range siblings {
		if d := editDistance(leaf, s); d < bestDist && nearMiss(leaf, s, d) {
			best, bestDist = s, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	for _, a := range keyAliases {
		// Short aliases like "db" are a near miss for too many words.
		slack := 2
		if len(a.alias) <= 4 {
			slack = 0
		}
		if slices.Contains(siblings, a.key) && editDistance(leaf, a.alias) <= slack {
			return fmt.Sprintf(" (did you mean %q?)", a.key)
		}
	}
	for section, keys := range sectionKeys {
		if slices.Contains(keys, leaf) {
			return fmt.Sprintf(" (it belongs under %s:)", section)
		}
	}
	if slices.Contains(accountKeys, leaf) {
		return " (it belongs inside an entry under accounts:)"
	}
	return ""
}

// nearMiss reports whether two words at edit distance d are plausibly a typo
// of each other: at most 2 edits, and fewer edits than either has letters,
// so "db" is not taken for "ui".
func nearMiss(a, b string, d int) bool {
	return d <= 2 && d < len([]rune(a)) && d < len([]rune(b))
}

// editDistance is the Levenshtein distance between two keys.
func editDistance(a, b string) int {
	ar, br := []rune(a), []rune(b)
	prev := make([]int, len(br)+1)
	cur := make([]int, len(br)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ar); i++ {
		cur[0] = i
		for j := 1; j <= len(br); j++ {
			cost := 1
			if ar[i-1] == br[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(br)]
}

// loader turns the merged viper values into a Config, attributing each
// problem to the file key or to the CRIER_* variable that supplied it.
type loader struct {
	file     string
	fileMode fs.FileMode
	home     string
	env      map[string]string // key → variable that overrode it
}

func (l *loader) fail(key, problem string) *Error {
	if name, ok := l.env[key]; ok {
		return &Error{Key: name, Problem: problem}
	}
	return &Error{File: l.file, Key: key, Problem: problem}
}

func (l *loader) failItem(key string, i int, problem string) *Error {
	if name, ok := l.env[key]; ok {
		return &Error{Key: name, Problem: fmt.Sprintf("item %d: %s", i+1, problem)}
	}
	return &Error{File: l.file, Key: fmt.Sprintf("%s[%d]", key, i), Problem: problem}
}

func (l *loader) fill(cfg *Config, v *viper.Viper) error {
	for _, p := range []struct {
		key string
		dst *string
	}{{"database", &cfg.Database}, {"log_file", &cfg.LogFile}} {
		if s, err := l.text(p.key, v.Get(p.key)); err != nil {
			return err
		} else if s != "" {
			path, err := expandHome(s, l.home)
			if err != nil {
				return l.fail(p.key, err.Error())
			}
			*p.dst = path
		}
		if *p.dst == "" {
			return l.fail(p.key, "no default location, because the home directory is unknown; set a path")
		}
	}

	if name, err := l.text("timezone", v.Get("timezone")); err != nil {
		return err
	} else if name != "" {
		loc, err := time.LoadLocation(name)
		if err != nil {
			return l.fail("timezone", fmt.Sprintf("%q is not a known time zone (write an IANA name like Europe/Berlin or America/New_York, or UTC)", name))
		}
		cfg.Timezone, cfg.TimezoneName = loc, name
	}

	if val := v.Get("scheduler.enabled"); val != nil {
		b, ok := parseBool(val)
		if !ok {
			return l.fail("scheduler.enabled", "want true or false, got "+show(val))
		}
		cfg.Scheduler.Enabled = b
	}
	if policy, err := l.choice("scheduler.missed_policy", v.Get("scheduler.missed_policy"),
		MissedPolicyGrace, MissedPolicySend, MissedPolicySkip); err != nil {
		return err
	} else if policy != "" {
		cfg.Scheduler.MissedPolicy = policy
	}
	if val := v.Get("scheduler.missed_grace"); val != nil {
		d, problem := parseDuration(val)
		if problem == "" && d <= 0 {
			problem = "must be longer than 0 (use missed_policy: skip to never send late posts)"
		}
		if problem != "" {
			return l.fail("scheduler.missed_grace", problem)
		}
		cfg.Scheduler.MissedGrace = d
	}
	if val := v.Get("scheduler.sync_interval"); val != nil {
		d, problem := parseDuration(val)
		if problem == "" && d < 10*time.Second {
			problem = fmt.Sprintf("%s is too often; the shortest allowed is 10s", show(val))
		}
		if problem != "" {
			return l.fail("scheduler.sync_interval", problem)
		}
		cfg.Scheduler.SyncInterval = d
	}

	if day, err := l.choice("ui.week_start", v.Get("ui.week_start"), "monday", "sunday"); err != nil {
		return err
	} else if day == "sunday" {
		cfg.UI.WeekStart = time.Sunday
	} else if day == "monday" {
		cfg.UI.WeekStart = time.Monday
	}
	if val := v.Get("ui.snooze_presets"); val != nil {
		presets, err := l.snoozePresets(val)
		if err != nil {
			return err
		}
		cfg.UI.SnoozePresets = presets
	}

	accounts, err := l.accounts(v.Get("accounts"))
	if err != nil {
		return err
	}
	cfg.Accounts = accounts
	return nil
}

func (l *loader) snoozePresets(val any) ([]time.Duration, error) {
	const key = "ui.snooze_presets"
	var items []any
	switch x := val.(type) {
	case []any:
		items = x
	case string: // from CRIER_UI_SNOOZE_PRESETS: "1h,3h 24h"
		for _, f := range strings.FieldsFunc(x, func(r rune) bool { return r == ',' || r == ' ' }) {
			items = append(items, f)
		}
	default:
		return nil, l.fail(key, "want a list of durations like [1h, 3h, 24h], got "+kind(val))
	}
	if len(items) == 0 || len(items) > maxSnoozePresets {
		return nil, l.fail(key, fmt.Sprintf("want 1 to %d durations, got %d", maxSnoozePresets, len(items)))
	}
	out := make([]time.Duration, len(items))
	for i, item := range items {
		d, problem := parseDuration(item)
		if problem == "" && d <= 0 {
			problem = "must be longer than 0"
		}
		if problem != "" {
			return nil, l.failItem(key, i, problem)
		}
		out[i] = d
	}
	return out, nil
}

func (l *loader) accounts(val any) ([]Account, error) {
	list, _ := val.([]any) // shape already checked by checkKeys
	var out []Account
	named := map[string]int{}
	for i, item := range list {
		m, _ := item.(map[string]any)
		key := func(field string) string { return fmt.Sprintf("accounts[%d].%s", i, field) }
		var a Account
		for _, f := range []struct {
			field string
			dst   *string
		}{{"name", &a.Name}, {"platform", &a.Platform}, {"handle", &a.Handle}, {"server", &a.Server}, {"credential", &a.Credential}} {
			s, problem := text(m[f.field])
			if problem != "" {
				return nil, &Error{File: l.file, Key: key(f.field), Problem: problem}
			}
			*f.dst = s
		}

		if a.Name != "" {
			folded := strings.ToLower(a.Name)
			if j, dup := named[folded]; dup {
				return nil, &Error{File: l.file, Key: key("name"), Problem: fmt.Sprintf("%q is already the name of accounts[%d]; names must be unique", a.Name, j)}
			}
			named[folded] = i
		}

		a.Platform = strings.ToLower(a.Platform)
		switch a.Platform {
		case PlatformMastodon, PlatformBluesky:
		case "":
			return nil, &Error{File: l.file, Key: key("platform"), Problem: "missing; write mastodon or bluesky"}
		default:
			return nil, &Error{File: l.file, Key: key("platform"), Problem: fmt.Sprintf("%q is not one of mastodon, bluesky%s", a.Platform, nearest(a.Platform, PlatformMastodon, PlatformBluesky))}
		}

		if a.Handle == "" {
			return nil, &Error{File: l.file, Key: key("handle"), Problem: "missing; write the account's handle, like @shop@example.social or shop.bsky.social"}
		}

		if a.Server == "" {
			if a.Platform == PlatformMastodon {
				return nil, &Error{File: l.file, Key: key("server"), Problem: "missing; a mastodon account needs its server, like https://mastodon.social"}
			}
			a.Server = DefaultBlueskyServer
		}
		u, err := url.Parse(a.Server)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, &Error{File: l.file, Key: key("server"), Problem: fmt.Sprintf("%q is not an http(s) URL (write it like https://example.social)", a.Server)}
		}
		a.Server = strings.TrimRight(a.Server, "/")

		cred, problem := l.credential(a.Credential)
		if problem != "" {
			return nil, &Error{File: l.file, Key: key("credential"), Problem: problem}
		}
		a.Credential = cred

		if a.Listen, err = l.listen(fmt.Sprintf("accounts[%d].listen", i), m["listen"]); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// listen checks an account's listening terms: a list of keywords and
// hashtags, none empty, too long or there twice (ignoring case and runs of
// spaces, as the networks' searches do).
func (l *loader) listen(key string, val any) ([]string, error) {
	if val == nil {
		return nil, nil
	}
	items, ok := val.([]any)
	if !ok {
		return nil, &Error{File: l.file, Key: key, Problem: `want a list of keywords and hashtags like ["#sourdough", "rye and shine"], got ` + kind(val)}
	}
	if len(items) > MaxListenTerms {
		return nil, &Error{File: l.file, Key: key, Problem: fmt.Sprintf("at most %d terms per account (each is a search on every sync), got %d", MaxListenTerms, len(items))}
	}
	var out []string
	seen := map[string]int{}
	for i, item := range items {
		itemKey := fmt.Sprintf("%s[%d]", key, i)
		s, problem := text(item)
		if problem != "" {
			return nil, &Error{File: l.file, Key: itemKey, Problem: problem}
		}
		term := strings.Join(strings.Fields(s), " ")
		switch {
		case item == nil:
			// `- #sourdough` unquoted is a comment to YAML, leaving nothing.
			return nil, &Error{File: l.file, Key: itemKey, Problem: `empty; write a hashtag in quotes, like "#sourdough" (unquoted, YAML reads # as the start of a comment)`}
		case term == "":
			return nil, &Error{File: l.file, Key: itemKey, Problem: "empty; write a keyword or a hashtag"}
		case term == "#":
			return nil, &Error{File: l.file, Key: itemKey, Problem: `a hashtag needs a name after the #, like "#sourdough"`}
		case utf8.RuneCountInString(term) > MaxListenTermLen:
			return nil, &Error{File: l.file, Key: itemKey, Problem: fmt.Sprintf("longer than %d characters; a search term is a few words", MaxListenTermLen)}
		case strings.ContainsFunc(term, unicode.IsControl):
			return nil, &Error{File: l.file, Key: itemKey, Problem: "contains a control character"}
		}
		folded := strings.ToLower(term)
		if j, dup := seen[folded]; dup {
			return nil, &Error{File: l.file, Key: itemKey, Problem: fmt.Sprintf("%q is already %s[%d]", term, key, j)}
		}
		seen[folded] = i
		out = append(out, term)
	}
	return out, nil
}

// credential checks a credential's form without resolving it; the secret
// itself is read only when an account is used (Account.Secret). Problems
// never quote an inline value.
func (l *loader) credential(c string) (string, string) {
	switch {
	case c == "":
		return "", "missing; write env:VAR, file:PATH or the secret itself"
	case strings.HasPrefix(c, "env:"):
		if strings.TrimSpace(c[len("env:"):]) == "" {
			return "", "env: needs a variable name, like env:CRIER_MASTODON_TOKEN"
		}
		return "env:" + strings.TrimSpace(c[len("env:"):]), ""
	case strings.HasPrefix(c, "file:"):
		p := strings.TrimSpace(c[len("file:"):])
		if p == "" {
			return "", "file: needs a path, like file:~/.config/crier/bluesky-password"
		}
		p, err := expandHome(p, l.home)
		if err != nil {
			return "", err.Error()
		}
		// A relative path means relative to the config file, not to
		// wherever crier happens to be started from.
		if !filepath.IsAbs(p) && l.file != "" {
			p = filepath.Join(filepath.Dir(l.file), p)
		}
		return "file:" + p, ""
	default:
		// Windows does not report group/other permission bits.
		if runtime.GOOS != "windows" && l.fileMode&0o077 != 0 {
			return "", fmt.Sprintf("an inline secret in a file others can read; run chmod 600 %s or use env:VAR / file:PATH", l.file)
		}
		return c, ""
	}
}

// text reads a value as trimmed text. Scalars such as numbers are accepted
// as written; lists and sections are not. An empty string is "not set".
func (l *loader) text(key string, val any) (string, error) {
	s, problem := text(val)
	if problem != "" {
		return "", l.fail(key, problem)
	}
	return s, nil
}

// choice reads a case-insensitive value that must be one of allowed;
// "" means not set.
func (l *loader) choice(key string, val any, allowed ...string) (string, error) {
	s, err := l.text(key, val)
	if err != nil || s == "" {
		return "", err
	}
	s = strings.ToLower(s)
	if !slices.Contains(allowed, s) {
		return "", l.fail(key, fmt.Sprintf("%q is not one of %s%s", s, strings.Join(allowed, ", "), nearest(s, allowed...)))
	}
	return s, nil
}

func text(val any) (string, string) {
	switch x := val.(type) {
	case nil:
		return "", ""
	case string:
		return strings.TrimSpace(x), ""
	case bool, int, int64, uint64, float64:
		return fmt.Sprint(x), ""
	}
	return "", "want text, got " + kind(val)
}

func parseBool(val any) (bool, bool) {
	switch x := val.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "yes", "on", "1":
			return true, true
		case "false", "no", "off", "0":
			return false, true
		}
	}
	return false, false
}

// parseDuration accepts Go duration text (15m, 1h30m). Bare numbers are
// refused: 15 could mean seconds or minutes.
func parseDuration(val any) (time.Duration, string) {
	const hint = " is not a duration (write it like 15m or 1h30m)"
	s, ok := val.(string)
	if !ok {
		return 0, show(val) + hint
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		problem := show(val) + hint
		if strings.ContainsAny(s, "dw") {
			problem += "; there are no day or week units, write 24h for a day"
		}
		return 0, problem
	}
	return d, ""
}

// nearest suggests the closest allowed value for a likely typo.
func nearest(got string, allowed ...string) string {
	for _, a := range allowed {
		if nearMiss(got, a, editDistance(got, a)) {
			return fmt.Sprintf(" (did you mean %s?)", a)
		}
	}
	return ""
}

// show renders a non-secret value for an error message.
func show(val any) string {
	switch x := val.(type) {
	case string:
		return strconv.Quote(x)
	case bool, int, int64, uint64, float64:
		return fmt.Sprint(x)
	}
	return kind(val)
}

// kind names a value's type without revealing it, for values that might be
// secrets and for shapes.
func kind(val any) string {
	switch val.(type) {
	case nil:
		return "nothing"
	case string:
		return "text"
	case bool:
		return "true/false"
	case int, int64, uint64, float64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any, map[any]any:
		return "a section of keys"
	}
	return fmt.Sprintf("%T", val)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
