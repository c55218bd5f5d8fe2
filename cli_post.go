package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timeparse"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/photos"
)

// postFlags are crier post's flags.
type postFlags struct {
	stdin, editor  bool
	to             []string
	at             string
	queue, draft   bool
	images, alts   []string
	campaign       string
	asJSON         bool
	limitsDeadline time.Duration
}

func newPostCmd(env *cliEnv) *cobra.Command {
	f := &postFlags{limitsDeadline: 10 * time.Second}
	c := &cobra.Command{
		Use:   "post [TEXT]",
		Short: "write a post and queue it, with the composer's checks",
		Long: `crier post queues a post, checked as the composer checks it: each
network's own counter and limits (the account's server's, where it answers
within a few seconds), the photos (type, size, alt text each network needs),
a time it can read and that is ahead. The text comes from the argument,
--stdin or --editor ($VISUAL or $EDITOR). It goes to every account unless
--to names some (by name, handle or id, comma-separated); at --at TIME
(typed as in the app: "tomorrow 9am", "fri 14:30", "+2h", "2026-12-03
09:00"), else into each account's next free queue slot with --queue, else
now. --draft saves it as a draft instead. A running crier (the app, crier
run, crier serve) notices it at once and sends it at its time.

Bad input (a text over a limit, an unknown account, a time in the past, a
missing image, a file that isn't one) is named with where it is, exit 2,
and nothing is saved.`,
		Example: `  crier post "Fresh sourdough at 8!" --to shop-mastodon --at "tomorrow 7:30"
  crier post --stdin --queue < announcement.txt
  crier post "New loaf" --image loaf.jpg --alt "A dark rye loaf on a board"
  crier post --editor --draft --campaign spring-sale`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErr("crier post takes the text as one argument (quote it): got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPost(cmd.Context(), env, f, args)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&f.stdin, "stdin", false, "read the text from standard input")
	fl.BoolVar(&f.editor, "editor", false, "write the text in $VISUAL or $EDITOR")
	fl.StringSliceVar(&f.to, "to", nil, "the accounts, by name, handle or id (default: every account)")
	fl.StringVar(&f.at, "at", "", `when it goes out: "tomorrow 9am", "fri 14:30", "+2h", "2026-12-03 09:00", "now"`)
	fl.BoolVar(&f.queue, "queue", false, "into each account's next free queue slot")
	fl.BoolVar(&f.draft, "draft", false, "save it as a draft; nothing goes out")
	fl.StringArrayVar(&f.images, "image", nil, "attach an image (repeat for more)")
	fl.StringArrayVar(&f.alts, "alt", nil, "the alt text of the image given before it (repeat for each)")
	fl.StringVar(&f.campaign, "campaign", "", "the campaign it belongs to, by slug")
	fl.BoolVar(&f.asJSON, "json", false, "print the post as JSON (fields documented in the README)")
	c.MarkFlagsMutuallyExclusive("stdin", "editor")
	c.MarkFlagsMutuallyExclusive("at", "queue")
	c.MarkFlagsMutuallyExclusive("queue", "draft")
	c.RegisterFlagCompletionFunc("to", func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		_, st, accounts, err := env.openStore(cmd.Context())
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		env.release(st)
		var out []string
		for _, a := range accounts {
			name := a.DisplayName
			if name == "" {
				name = a.Handle
			}
			out = append(out, name+"\t"+a.Platform+" "+a.Handle)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
	c.RegisterFlagCompletionFunc("campaign", env.completeCampaigns)
	return c
}

func runPost(ctx context.Context, env *cliEnv, f *postFlags, args []string) error {
	sources := 0
	for _, on := range []bool{len(args) == 1, f.stdin, f.editor} {
		if on {
			sources++
		}
	}
	if sources != 1 {
		return usageErr("crier post needs its text from one place: an argument, --stdin or --editor")
	}
	if len(f.alts) > len(f.images) {
		return usageErr("--alt %q has no --image before it: give each image with --image FILE --alt TEXT", f.alts[len(f.images)])
	}
	if env.shared == nil {
		// No accounts in the config and no database yet: there is nothing
		// to post to, and no database is made for it.
		cfg, err := env.loadConfig()
		if err != nil {
			return err
		}
		if _, err := os.Stat(cfg.Database); len(cfg.Accounts) == 0 && errors.Is(err, fs.ErrNotExist) {
			return usageErr("there are no accounts to post to. %s", noAccounts(cfg))
		}
	}
	now, cfg, st, accounts, err := env.openAt(ctx)
	if err != nil {
		return err
	}
	defer env.release(st)

	var text string
	switch {
	case len(args) == 1:
		text = args[0]
	case f.stdin:
		b, err := io.ReadAll(env.stdin)
		if err != nil {
			return failed(fmt.Errorf("reading the text from standard input: %w", err))
		}
		text = strings.TrimRight(string(b), "\n")
	case f.editor:
		if text, err = editText(env); err != nil {
			return err
		}
	}

	if len(accounts) == 0 {
		return usageErr("there are no accounts to post to. %s", noAccounts(cfg))
	}
	targets, err := pickAccounts(accounts, f.to)
	if err != nil {
		return err
	}
	p := store.Post{Body: text}
	for _, a := range targets {
		p.Targets = append(p.Targets, store.Target{AccountID: a.ID})
	}
	if f.campaign != "" {
		c, err := st.CampaignBySlug(ctx, f.campaign)
		if errors.Is(err, store.ErrNotFound) {
			return usageErr("--campaign %q: %s", f.campaign, knownSlugs(ctx, st, f.campaign))
		}
		if err != nil {
			return dbErr(st, err)
		}
		p.CampaignID = c.ID
	}
	var ims []photos.Photo
	for i, path := range f.images {
		abs, err := filepath.Abs(path)
		if err != nil {
			return usageErr("--image %q: %v", path, err)
		}
		ph := photos.Photo{Media: store.Media{Path: abs}}
		if i < len(f.alts) {
			ph.AltText = f.alts[i]
		}
		ph.Info, ph.Err = photos.Inspect(abs)
		ph.Mime = ph.Info.Mime
		ims = append(ims, ph)
		p.Media = append(p.Media, ph.Media)
	}

	limits := serverLimits(ctx, cfg, accounts, targets, f.limitsDeadline, env.stderr)
	if strings.TrimSpace(text) == "" {
		return usageErr("the post's text is empty: write something (as the argument, on --stdin or in --editor)")
	}
	if over := overLimits(targets, limits, text); over != "" {
		return usageErr("the text is too long: %s; nothing was queued", over)
	}
	var ptargets []photos.Target
	for _, a := range targets {
		ptargets = append(ptargets, photos.Target{Platform: a.Platform, Name: accountName(a), Limits: limits[a.ID]})
	}
	for _, prob := range photos.Check(ims, ptargets) {
		if prob.Blocks {
			where := ""
			if prob.Image > 0 {
				where = fmt.Sprintf("--image %q: ", f.images[prob.Image-1])
			}
			return usageErr("%s%s; nothing was queued", where, prob.Text)
		}
		fmt.Fprintf(env.stderr, "crier: note: %s\n", prob.Text)
	}

	var at time.Time
	zone := cfg.Timezone
	switch {
	case f.at != "":
		at, err = timeparse.Parse(f.at, now, zone)
		if err != nil {
			return usageErr("--at %q: %v", f.at, err)
		}
		if strings.EqualFold(strings.TrimSpace(f.at), "now") {
			at = now
		} else if at.Before(now) {
			return usageErr("--at %q is %s, which is in the past; nothing was queued", f.at, at.In(zone).Format("Mon 2 Jan 2006 15:04 MST"))
		}
	case f.queue:
		for _, a := range targets {
			sch, err := st.QueueSchedule(ctx, a.ID)
			if err != nil {
				return dbErr(st, err)
			}
			if len(sch.Slots) == 0 {
				return usageErr("--queue: %s has no weekly queue slots (set them in the app's Drafts pane); nothing was queued", accountName(a))
			}
		}
	case !f.draft:
		at = now
	}

	if !at.IsZero() {
		p.ScheduledAt, p.ScheduledZone = at.UTC(), zone.String()
	}
	var id int64
	err = whileBusy(ctx, env, st, func() (err error) { id, err = st.SaveDraft(ctx, p, now); return err })
	if err != nil {
		return failed(fmt.Errorf("database %s: saving the post: %w", st.Path(), err))
	}
	kept := func(err error) error {
		return failed(fmt.Errorf("%w; nothing was queued, and the text is kept as draft #%d", err, id))
	}
	switch {
	case f.draft:
	case f.queue:
		if err := whileBusy(ctx, env, st, func() error { _, err := st.AddToQueue(ctx, id, now); return err }); err != nil {
			return kept(err)
		}
	default:
		if err := whileBusy(ctx, env, st, func() error { return st.QueuePost(ctx, id, at, zone.String(), now) }); err != nil {
			return kept(err)
		}
	}
	summary, err := st.Summary(ctx, id)
	if err != nil {
		return failed(fmt.Errorf("database %s: reading post %d back: %w", st.Path(), id, err))
	}
	if f.asJSON {
		return writeJSON(env.stdout, toPostJSON(summary))
	}
	var names []string
	for _, a := range targets {
		names = append(names, accountName(a))
	}
	switch {
	case f.draft:
		fmt.Fprintf(env.stdout, "#%d saved as a draft for %s\n", id, strings.Join(names, ", "))
	default:
		when := summary.ScheduledAt
		goes := "goes out " + timeparse.Describe(when, now, zone)
		if !slices.ContainsFunc(summary.Copies, func(c store.Copy) bool { return !c.Held }) {
			goes = "held in a paused queue, not before the queue runs again,"
		}
		fmt.Fprintf(env.stdout, "#%d queued: %s to %s\n", id, goes, strings.Join(names, ", "))
		// A credential this process cannot read may be one the sender
		// can (it may run with other variables), so it is said, not refused.
		for _, a := range targets {
			for _, ca := range cfg.Accounts {
				if accountID([]store.Account{a}, ca) == a.ID {
					if _, err := ca.Secret(os.Getenv); err != nil {
						fmt.Fprintf(env.stderr, "crier: warning: %v; crier cannot send it to %s until it can read it\n", err, accountName(a))
					}
				}
			}
		}
		for _, c := range summary.Copies {
			switch {
			case c.Held:
				fmt.Fprintf(env.stdout, "    %s %s: held, its queue is paused: it waits until the queue runs again (its slot %s)\n",
					c.Platform, c.Handle, timeparse.Describe(c.DueAt, now, zone))
			case !c.DueAt.Equal(when) && !c.DueAt.IsZero():
				fmt.Fprintf(env.stdout, "    %s %s: %s\n", c.Platform, c.Handle, timeparse.Describe(c.DueAt, now, zone))
			}
		}
	}
	return nil
}

// accountName is how an account is named to people: its network and
// handle (two accounts may share a name).
func accountName(a store.Account) string {
	return common.NetworkName(a.Platform) + " " + a.Handle
}

// noAccounts says, as the app's panes do, which config file to add
// accounts to, and with which command.
func noAccounts(cfg *config.Config) string {
	home, _ := os.UserHomeDir()
	file, missing := configForApp(cfg, os.Getenv, home)
	c := common.Common{ConfigFile: file, ConfigMissing: missing}
	return c.NoAccounts()
}

// pickAccounts reads --to: each entry an account's name, handle (with or
// without @), id or network (when it has one account). None means every
// account.
func pickAccounts(accounts []store.Account, to []string) ([]store.Account, error) {
	if len(accounts) == 0 {
		return nil, usageErr("there are no accounts to post to: crier init adds them to a new config; crier login mastodon SERVER signs in to Mastodon")
	}
	if len(to) == 0 {
		return accounts, nil
	}
	var out []store.Account
	seen := map[int64]bool{}
	for _, want := range to {
		w := strings.TrimSpace(want)
		if w == "" {
			continue
		}
		var match []store.Account
		for _, a := range accounts {
			id, _ := strconv.ParseInt(w, 10, 64)
			if strings.EqualFold(a.DisplayName, w) || id == a.ID ||
				strings.EqualFold(strings.TrimPrefix(a.Handle, "@"), strings.TrimPrefix(w, "@")) {
				match = append(match, a)
			}
		}
		if len(match) == 0 {
			for _, a := range accounts {
				if strings.EqualFold(a.Platform, w) {
					match = append(match, a)
				}
			}
			if len(match) > 1 {
				return nil, usageErr("--to %q: there are %d %s accounts; name one: %s", w, len(match), w, accountList(match))
			}
		}
		if len(match) == 0 {
			var names []string
			for _, a := range accounts {
				names = append(names, a.DisplayName, strings.TrimPrefix(a.Handle, "@"))
			}
			return nil, usageErr("--to %q: no such account%s; the accounts are %s", w, didYouMean(w, names), accountList(accounts))
		}
		for _, a := range match {
			if !seen[a.ID] {
				seen[a.ID] = true
				out = append(out, a)
			}
		}
	}
	if len(out) == 0 {
		return nil, usageErr("--to names no account; the accounts are %s", accountList(accounts))
	}
	return out, nil
}

func accountList(accounts []store.Account) string {
	var parts []string
	for _, a := range accounts {
		s := fmt.Sprintf("%d %s %s", a.ID, a.Platform, a.Handle)
		if a.DisplayName != "" {
			s += " (" + a.DisplayName + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func knownSlugs(ctx context.Context, st *store.Store, typed string) string {
	cs, err := st.Campaigns(ctx)
	if err != nil || len(cs) == 0 {
		return "no campaign has that slug (there are no campaigns yet)"
	}
	var slugs []string
	for _, c := range cs {
		if c.Slug != "" {
			slugs = append(slugs, c.Slug)
		}
	}
	return "no campaign has that slug" + didYouMean(typed, slugs) + "; the slugs are " + strings.Join(slugs, ", ")
}

// didYouMean offers the one of names nearest to typed, as " (did you mean
// "x"?)", when it is near enough to be a typo (at most two letters
// changed, added or dropped, ignoring case, and fewer than typed has); ""
// otherwise.
func didYouMean(typed string, names []string) string {
	t := []rune(strings.ToLower(strings.TrimPrefix(strings.TrimSpace(typed), "@")))
	best, bestDist := "", 3
	for _, n := range names {
		if n == "" {
			continue
		}
		if d := editDistance(t, []rune(strings.ToLower(n))); d < bestDist && d < len(t) {
			best, bestDist = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// serverLimits is what each target may post: its network's spec, completed
// by what its server says within deadline (a Mastodon server's limit is
// often not 500), as the composer does. Accounts not in the config (a demo
// database's) and servers that don't answer keep the network's own.
func serverLimits(ctx context.Context, cfg *config.Config, accounts, targets []store.Account, deadline time.Duration, stderr io.Writer) map[int64]platforms.Limits {
	specs := networkSpecs()
	out := map[int64]platforms.Limits{}
	for _, a := range targets {
		spec, ok := specs[a.Platform]
		if !ok {
			spec = platforms.Spec{Platform: a.Platform, Unit: "graphemes"}
		}
		out[a.ID] = spec.Limits
		for _, ca := range cfg.Accounts {
			if accountID(accounts, ca) != a.ID {
				continue
			}
			n, err := network(ca, filepath.Join(filepath.Dir(cfg.Database), "sessions"))
			if err != nil || n == nil {
				break
			}
			lctx, cancel := context.WithTimeout(ctx, deadline)
			l, err := n.Limits(lctx)
			cancel()
			if err != nil {
				fmt.Fprintf(stderr, "crier: note: %s's server did not say its limits (%v); counting by %s's usual ones\n",
					accountName(a), err, common.NetworkName(a.Platform))
				break
			}
			out[a.ID] = spec.With(l)
		}
	}
	return out
}

// overLimits names every account the text is too long for, by how much and
// in that network's units; "" when it fits everywhere.
func overLimits(targets []store.Account, limits map[int64]platforms.Limits, text string) string {
	specs := networkSpecs()
	var over []string
	for _, a := range targets {
		l := limits[a.ID]
		unit := specs[a.Platform].Unit
		if unit == "" {
			unit = "characters"
		}
		if n := l.Count(text); l.MaxChars > 0 && n > l.MaxChars {
			about := ""
			if l.Approximate {
				about = "about "
			}
			over = append(over, fmt.Sprintf("%s: %s%d %s, %d over its limit of %d", accountName(a), about, n, unit, n-l.MaxChars, l.MaxChars))
		}
		if b := len(text); l.MaxBytes > 0 && b > l.MaxBytes {
			over = append(over, fmt.Sprintf("%s: %d bytes, %d over its limit of %d bytes", accountName(a), b, b-l.MaxBytes, l.MaxBytes))
		}
	}
	return strings.Join(over, "; ")
}

// editText opens $VISUAL or $EDITOR on an empty file and returns what was
// written there.
func editText(env *cliEnv) (string, error) {
	ed := editor()
	if strings.TrimSpace(ed) == "" {
		return "", usageErr("--editor: neither $VISUAL nor $EDITOR is set: set one (export EDITOR=nano) or give the text as an argument or on --stdin")
	}
	f, err := os.CreateTemp("", "crier-post-*.txt")
	if err != nil {
		return "", failed(fmt.Errorf("--editor: making a file to write in: %w", err))
	}
	path := f.Name()
	f.Close()
	defer os.Remove(path)
	parts := strings.Fields(ed)
	cmd := exec.Command(parts[0], append(parts[1:], path)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if in, ok := env.stdin.(*os.File); ok {
		cmd.Stdin = in
	}
	if err := cmd.Run(); err != nil {
		return "", failed(fmt.Errorf("--editor: %s ended with %v; nothing was queued", ed, err))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", failed(fmt.Errorf("--editor: reading what was written: %w", err))
	}
	return strings.TrimRight(string(b), "\n"), nil
}

// busyWait is how long a write of the CLI waits for a database another
// crier is writing to (a sender's long transaction, the app saving), past
// SQLite's own busy timeout, before it gives up.
const busyWait = time.Minute

// whileBusy runs write, again while the database is busy with another
// writer, for up to busyWait, saying once on stderr that it waits. A busy
// write changed nothing (crier's transactions take the write lock first),
// so running it again cannot save a post twice.
func whileBusy(ctx context.Context, env *cliEnv, st *store.Store, write func() error) error {
	return retryWhileBusy(ctx, busyWait, 250*time.Millisecond, func() {
		fmt.Fprintf(env.stderr, "crier: the database %s is busy with another crier; waiting up to %s\n", st.Path(), busyWait)
	}, write)
}
