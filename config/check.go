package config

import (
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/crier-app/crier/analytics/utm"
)

const maxSnoozePresets = 9

// Limits on an account's listening terms. Each term is a search request on
// every sync, so the count is kept to what a rate limit comfortably allows.
const (
	MaxListenTerms   = 20
	MaxListenTermLen = 100 // characters; longer ones are sentences, not search terms
)

// loader checks the decoded Config, attributing each problem to the file
// key or to the CRIER_* variable that supplied it.
type loader struct {
	file     string
	fileMode fs.FileMode
	home     string
	env      map[string]string // key → variable that overrode it
	// noted are the values that could not be decoded, by key, in the order
	// found; check reports the first it comes to.
	noted []notedProblem
}

type notedProblem struct{ key, problem string }

func (l *loader) note(key, problem string) {
	l.noted = append(l.noted, notedProblem{key, problem})
}

// bad reports the problem noted for a key, if any: a value of the wrong
// type, or one a converter refused.
func (l *loader) bad(key string) error {
	for _, n := range l.noted {
		if n.key == key {
			return l.failKey(n.key, n.problem)
		}
	}
	return nil
}

// itemKey is the key of a field of list[i], as errors name it:
// itemKey("feeds", 2)("url") is "feeds[2].url".
func itemKey(list string, i int) func(field string) string {
	return func(field string) string { return fmt.Sprintf("%s[%d].%s", list, i, field) }
}

// badFields is bad for each of an item's fields, key making their keys.
func (l *loader) badFields(key func(string) string, fields ...string) error {
	for _, field := range fields {
		if err := l.bad(key(field)); err != nil {
			return err
		}
	}
	return nil
}

// indexed splits a key of a list item, "ui.snooze_presets[1]", into the
// list's key and the item's index.
var indexed = regexp.MustCompile(`^(.*)\[(\d+)\]$`)

// failKey is fail or failItem, as the key says.
func (l *loader) failKey(key, problem string) *Error {
	if m := indexed.FindStringSubmatch(key); m != nil {
		i, _ := strconv.Atoi(m[2])
		return l.failItem(m[1], i, problem)
	}
	return l.fail(key, problem)
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

// check is the one pass over the decoded values: what the types alone do
// not say (ranges, choices, required keys, uniqueness), and the paths and
// zone that depend on where crier runs. It also puts values in the form the
// rest of crier expects (lower case, absolute paths, a loaded zone).
func (l *loader) check(cfg *Config) error {
	for _, p := range []struct {
		key string
		dst *string
	}{{"database", &cfg.Database}, {"log_file", &cfg.LogFile}} {
		if err := l.bad(p.key); err != nil {
			return err
		}
		path, err := expandHome(*p.dst, l.home)
		if err != nil {
			return l.fail(p.key, err.Error())
		}
		if path == "" {
			return l.fail(p.key, "no default location, because the home directory is unknown; set a path")
		}
		*p.dst = path
	}

	// TimezoneName differs from the default zone's name only when the file
	// or the environment set it.
	if err := l.bad("timezone"); err != nil {
		return err
	}
	if name := cfg.TimezoneName; name != cfg.Timezone.String() {
		loc, err := time.LoadLocation(name)
		if err != nil {
			return l.fail("timezone", fmt.Sprintf("%q is not a known time zone (write an IANA name like Europe/Berlin or America/New_York, or UTC)", name))
		}
		cfg.Timezone = loc
	}

	s := &cfg.Scheduler
	if err := l.bad("scheduler.enabled"); err != nil {
		return err
	}
	if err := l.bad("scheduler.missed_policy"); err != nil {
		return err
	}
	s.MissedPolicy = strings.ToLower(s.MissedPolicy)
	if policies := []string{MissedPolicyGrace, MissedPolicySend, MissedPolicySkip}; !slices.Contains(policies, s.MissedPolicy) {
		return l.fail("scheduler.missed_policy", notOneOf(s.MissedPolicy, policies...))
	}
	if err := l.bad("scheduler.missed_grace"); err != nil {
		return err
	}
	if s.MissedGrace <= 0 {
		return l.fail("scheduler.missed_grace", "must be longer than 0 (use missed_policy: skip to never send late posts)")
	}
	if err := l.bad("scheduler.sync_interval"); err != nil {
		return err
	}
	if s.SyncInterval < 10*time.Second {
		return l.fail("scheduler.sync_interval", fmt.Sprintf("%q is too often; the shortest allowed is 10s", s.SyncInterval.String()))
	}

	if err := l.bad("ui.week_start"); err != nil {
		return err
	}
	const snooze = "ui.snooze_presets"
	if err := l.bad(snooze); err != nil {
		return err
	}
	if n := len(cfg.UI.SnoozePresets); n == 0 || n > maxSnoozePresets {
		return l.fail(snooze, fmt.Sprintf("want 1 to %d durations, got %d", maxSnoozePresets, n))
	}
	for i, d := range cfg.UI.SnoozePresets {
		if err := l.bad(fmt.Sprintf("%s[%d]", snooze, i)); err != nil {
			return err
		}
		if d <= 0 {
			return l.failItem(snooze, i, "must be longer than 0")
		}
	}

	if err := l.marketing(&cfg.Marketing); err != nil {
		return err
	}

	if len(cfg.Accounts) == 0 {
		cfg.Accounts = nil // none, however the file said so
	}
	named := map[string]int{}
	same := map[string]int{}
	for i := range cfg.Accounts {
		if err := l.account(i, &cfg.Accounts[i], named); err != nil {
			return err
		}
		// The same account written twice (handles ignore case and a
		// leading @; a Mastodon handle may leave out its server) would
		// get every post twice.
		a := cfg.Accounts[i]
		id := a.Platform + " " + accountKey(a)
		if j, dup := same[id]; dup {
			return l.fail(itemKey("accounts", i)("handle"), fmt.Sprintf("%s on %s is already accounts[%d]: each account once, or every post goes to it twice",
				a.Handle, a.Server, j))
		}
		same[id] = i
	}
	if err := l.feeds(cfg); err != nil {
		return err
	}
	if err := l.competitors(cfg); err != nil {
		return err
	}
	if len(l.noted) > 0 { // a key this pass does not know: never, but never silently
		return l.failKey(l.noted[0].key, l.noted[0].problem)
	}
	return nil
}

// accountKey is the account's handle and server as the networks compare
// them: without case or a leading @, a Mastodon handle with its server's
// host.
func accountKey(a Account) string {
	handle := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(a.Handle), "@"))
	server := strings.ToLower(a.Server)
	if a.Platform == PlatformMastodon && !strings.Contains(handle, "@") {
		if u, err := url.Parse(server); err == nil {
			handle += "@" + u.Hostname()
		}
	}
	return handle + " " + server
}

// account checks accounts[i]; named holds the names of the ones before it,
// folded to lower case.
func (l *loader) account(i int, a *Account, named map[string]int) error {
	key := itemKey("accounts", i)
	if err := l.badFields(key, "name", "platform", "handle", "server", "credential"); err != nil {
		return err
	}

	if a.Name != "" {
		folded := strings.ToLower(a.Name)
		if j, dup := named[folded]; dup {
			return l.fail(key("name"), fmt.Sprintf("%q is already the name of accounts[%d]; names must be unique", a.Name, j))
		}
		named[folded] = i
	}

	a.Platform = strings.ToLower(a.Platform)
	switch a.Platform {
	case PlatformMastodon, PlatformBluesky:
	case "":
		return l.fail(key("platform"), "missing; write mastodon or bluesky")
	default:
		return l.fail(key("platform"), notOneOf(a.Platform, PlatformMastodon, PlatformBluesky))
	}

	if a.Handle == "" {
		return l.fail(key("handle"), "missing; write the account's handle, like @shop@example.social or shop.bsky.social")
	}

	if a.Server == "" {
		if a.Platform == PlatformMastodon {
			return l.fail(key("server"), "missing; a mastodon account needs its server, like https://mastodon.social")
		}
		a.Server = DefaultBlueskyServer
	}
	u, err := url.Parse(a.Server)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return l.fail(key("server"), fmt.Sprintf("%q is not an http(s) URL (write it like https://example.social)", a.Server))
	}
	a.Server = strings.TrimRight(a.Server, "/")

	cred, problem := l.credential(a.Credential)
	if problem != "" {
		return l.fail(key("credential"), problem)
	}
	a.Credential = cred

	return l.listen(key("listen"), a)
}

// listen checks an account's listening terms: keywords and hashtags, none
// empty, too long or there twice (ignoring case and runs of spaces, as the
// networks' searches do).
func (l *loader) listen(key string, a *Account) error {
	if len(a.Listen) == 0 {
		a.Listen = nil // none, however the file said so
	}
	if err := l.bad(key); err != nil {
		return err
	}
	if len(a.Listen) > MaxListenTerms {
		return l.fail(key, fmt.Sprintf("at most %d terms per account (each is a search on every sync), got %d", MaxListenTerms, len(a.Listen)))
	}
	seen := map[string]int{}
	for i, term := range a.Listen {
		if err := l.bad(fmt.Sprintf("%s[%d]", key, i)); err != nil {
			return err
		}
		term = strings.Join(strings.Fields(term), " ")
		switch {
		case term == "":
			return l.failItem(key, i, "empty; write a keyword or a hashtag")
		case term == "#":
			return l.failItem(key, i, `a hashtag needs a name after the #, like "#sourdough"`)
		case utf8.RuneCountInString(term) > MaxListenTermLen:
			return l.failItem(key, i, fmt.Sprintf("longer than %d characters; a search term is a few words", MaxListenTermLen))
		case strings.ContainsFunc(term, unicode.IsControl):
			return l.failItem(key, i, "contains a control character")
		}
		folded := strings.ToLower(term)
		if j, dup := seen[folded]; dup {
			return l.failItem(key, i, fmt.Sprintf("%q is already %s[%d]", term, key, j))
		}
		seen[folded] = i
		a.Listen[i] = term
	}
	return nil
}

// feeds checks the feeds: a unique name, an http(s) URL, and accounts
// that are in the config (by name or handle, folded to the account's name
// or handle as written there).
func (l *loader) feeds(cfg *Config) error {
	if len(cfg.Feeds) == 0 {
		cfg.Feeds = nil
	}
	names := map[string]int{}
	for i := range cfg.Feeds {
		f := &cfg.Feeds[i]
		key := itemKey("feeds", i)
		if err := l.badFields(key, "name", "url", "accounts", "campaign", "fill_queue"); err != nil {
			return err
		}
		f.Name = strings.TrimSpace(f.Name)
		if f.Name == "" {
			return l.fail(key("name"), "missing; give the feed a short name, like blog")
		}
		if j, dup := names[strings.ToLower(f.Name)]; dup {
			return l.fail(key("name"), fmt.Sprintf("%q is already the name of feeds[%d]; names must be unique", f.Name, j))
		}
		names[strings.ToLower(f.Name)] = i
		u, err := url.Parse(strings.TrimSpace(f.URL))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return l.fail(key("url"), fmt.Sprintf("%q is not an http(s) URL (write the feed's address, like https://example.com/feed.xml)", f.URL))
		}
		f.URL = u.String()
		for j, ref := range f.Accounts {
			a := cfg.AccountNamed(ref)
			if a == nil {
				return l.failItem(key("accounts"), j, fmt.Sprintf("%q is not the name or handle of an account in accounts", ref))
			}
		}
		f.Campaign = strings.TrimSpace(f.Campaign)
	}
	return nil
}

// competitors checks the watched accounts: a platform crier reads and a
// handle, each account once.
func (l *loader) competitors(cfg *Config) error {
	if len(cfg.Competitors) == 0 {
		cfg.Competitors = nil
	}
	seen := map[string]int{}
	for i := range cfg.Competitors {
		c := &cfg.Competitors[i]
		key := itemKey("competitors", i)
		if err := l.badFields(key, "platform", "handle"); err != nil {
			return err
		}
		c.Platform = strings.ToLower(strings.TrimSpace(c.Platform))
		switch c.Platform {
		case PlatformMastodon, PlatformBluesky:
		case "":
			return l.fail(key("platform"), "missing; write mastodon or bluesky")
		default:
			return l.fail(key("platform"), notOneOf(c.Platform, PlatformMastodon, PlatformBluesky))
		}
		c.Handle = strings.TrimPrefix(strings.TrimSpace(c.Handle), "@")
		if c.Handle == "" || strings.ContainsAny(c.Handle, " /") {
			return l.fail(key("handle"), fmt.Sprintf("%q is not a handle; write it like crumbandco.bsky.social or baker@mastodon.social", c.Handle))
		}
		id := c.Platform + " " + strings.ToLower(c.Handle)
		if j, dup := seen[id]; dup {
			return l.fail(key("handle"), fmt.Sprintf("%s is already competitors[%d]", c.Handle, j))
		}
		seen[id] = i
	}
	return nil
}

// AccountNamed returns the account whose name or handle is ref (ignoring
// case and a leading @), or nil.
func (c *Config) AccountNamed(ref string) *Account {
	ref = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(ref), "@"))
	for i := range c.Accounts {
		a := &c.Accounts[i]
		if ref != "" && (strings.ToLower(a.Name) == ref || strings.ToLower(strings.TrimPrefix(a.Handle, "@")) == ref) {
			return a
		}
	}
	return nil
}

// Bounds of marketing.plausible.
const (
	MinPlausibleInterval = 5 * time.Minute // each pull is a few requests of 600 an hour
	MaxPlausibleDays     = 92
)

// marketing checks the business's domains and its Plausible site.
func (l *loader) marketing(m *Marketing) error {
	const domains = "marketing.domains"
	if err := l.bad(domains); err != nil {
		return err
	}
	if len(m.Domains) == 0 {
		m.Domains = nil
	}
	seen := map[string]int{}
	for i, d := range m.Domains {
		if err := l.bad(fmt.Sprintf("%s[%d]", domains, i)); err != nil {
			return err
		}
		d = strings.TrimSpace(d)
		tagger, err := utm.NewTagger([]string{d})
		if u, perr := url.Parse(d); err == nil && strings.Contains(d, "://") && (perr != nil || strings.Trim(u.Path, "/") != "" || u.RawQuery != "") {
			err = fmt.Errorf("%q is not a domain such as example.com", d)
		}
		if err != nil {
			return l.failItem(domains, i, err.Error()+", without a path")
		}
		host := tagger.Domains()[0]
		if j, dup := seen[host]; dup {
			return l.failItem(domains, i, fmt.Sprintf("%q is already %s[%d]", d, domains, j))
		}
		seen[host] = i
		m.Domains[i] = d
	}

	p := &m.Plausible
	for _, k := range []string{"site_id", "base_url", "api_key", "goals", "interval", "days"} {
		if err := l.bad("marketing.plausible." + k); err != nil {
			return err
		}
	}
	if len(p.Goals) == 0 {
		p.Goals = nil
	}
	for i, g := range p.Goals {
		if err := l.bad(fmt.Sprintf("marketing.plausible.goals[%d]", i)); err != nil {
			return err
		}
		if p.Goals[i] = strings.TrimSpace(g); p.Goals[i] == "" {
			return l.failItem("marketing.plausible.goals", i, "empty; write a goal's name as Plausible shows it")
		}
	}
	u, err := url.Parse(p.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return l.fail("marketing.plausible.base_url", fmt.Sprintf("%q is not an http(s) URL (write it like %s)", p.BaseURL, DefaultPlausibleURL))
	}
	p.BaseURL = strings.TrimRight(p.BaseURL, "/")
	if p.Interval < MinPlausibleInterval {
		return l.fail("marketing.plausible.interval", fmt.Sprintf("%q is too often; the shortest allowed is %s (Plausible allows 600 requests an hour)",
			p.Interval.String(), "5m"))
	}
	if p.Days < 1 || p.Days > MaxPlausibleDays {
		return l.fail("marketing.plausible.days", fmt.Sprintf("%d is out of range; write 1 to %d", p.Days, MaxPlausibleDays))
	}
	if p.SiteID == "" {
		if p.APIKey != "" {
			return l.fail("marketing.plausible.site_id", "missing; api_key is set, so write the site's domain as Plausible knows it, like example.com")
		}
		return nil
	}
	if strings.Contains(p.SiteID, "://") || strings.ContainsAny(p.SiteID, " /") {
		return l.fail("marketing.plausible.site_id", fmt.Sprintf("%q is not a site id; write the site's domain as Plausible knows it, like example.com", p.SiteID))
	}
	key, problem := l.credential(p.APIKey)
	if problem != "" {
		if p.APIKey == "" {
			problem = "missing; Plausible needs a Stats API key: write env:VAR, file:PATH or the key itself"
		}
		return l.fail("marketing.plausible.api_key", problem)
	}
	p.APIKey = key
	return nil
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

// notOneOf says that got is not an allowed value, suggesting the closest
// one for a likely typo.
func notOneOf(got string, allowed ...string) string {
	problem := fmt.Sprintf("%q is not one of %s", got, strings.Join(allowed, ", "))
	for _, a := range allowed {
		if nearMiss(got, a, editDistance(got, a)) {
			return problem + fmt.Sprintf(" (did you mean %s?)", a)
		}
	}
	return problem
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
