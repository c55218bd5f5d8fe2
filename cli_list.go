package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// The JSON that crier accounts, crier queue, crier inbox and crier post
// print. Field names are stable snake_case; the README lists them. Text
// from the networks is printed as it came (JSON escapes control
// characters); the text output strips escape sequences.
type (
	accountJSON struct {
		ID          int64  `json:"id"`
		Name        string `json:"name"`
		Platform    string `json:"platform"`
		Handle      string `json:"handle"`
		Server      string `json:"server"`
		NeedsReauth bool   `json:"needs_reauth"`
	}
	postJSON struct {
		ID        int64      `json:"id"`
		State     string     `json:"state"`
		At        *string    `json:"at"`
		TimeZone  string     `json:"time_zone"`
		Platforms []string   `json:"platforms"`
		Text      string     `json:"text"`
		Images    int        `json:"images"`
		Copies    []copyJSON `json:"copies"`
	}
	copyJSON struct {
		AccountID int64   `json:"account_id"`
		Platform  string  `json:"platform"`
		Handle    string  `json:"handle"`
		State     string  `json:"state"`
		DueAt     *string `json:"due_at"`
		SentAt    *string `json:"sent_at"`
		URL       string  `json:"url"`
		Error     string  `json:"error"`
		OwnText   bool    `json:"own_text"`
		Held      bool    `json:"held"`
	}
	inboxJSON struct {
		ID           int64    `json:"id"`
		AccountID    int64    `json:"account_id"`
		Platform     string   `json:"platform"`
		Kind         string   `json:"kind"`
		State        string   `json:"state"`
		Read         bool     `json:"read"`
		AuthorHandle string   `json:"author_handle"`
		AuthorName   string   `json:"author_name"`
		Text         string   `json:"text"`
		URL          string   `json:"url"`
		ReceivedAt   string   `json:"received_at"`
		Class        string   `json:"class"`
		Sentiment    *float64 `json:"sentiment"`
		RepliedAt    *string  `json:"replied_at"`
		SnoozedUntil *string  `json:"snoozed_until"`
		Labels       []string `json:"labels"`
		Deleted      bool     `json:"deleted"`
	}
)

func rfc3339(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func toAccountJSON(a store.Account) accountJSON {
	return accountJSON{ID: a.ID, Name: a.DisplayName, Platform: a.Platform, Handle: a.Handle, Server: a.Server, NeedsReauth: a.NeedsReauth}
}

func toPostJSON(p store.PostSummary) postJSON {
	j := postJSON{ID: p.ID, State: string(p.State), At: rfc3339(p.ScheduledAt), TimeZone: p.ScheduledZone,
		Platforms: append([]string{}, p.Platforms...), Text: p.Body, Images: len(p.Media), Copies: []copyJSON{}}
	for _, c := range p.Copies {
		j.Copies = append(j.Copies, copyJSON{AccountID: c.AccountID, Platform: c.Platform, Handle: c.Handle,
			State: string(c.State), DueAt: rfc3339(c.DueAt), SentAt: rfc3339(c.SentAt), URL: c.RemoteURL,
			Error: c.LastError, OwnText: c.OwnText, Held: c.Held})
	}
	return j
}

func toInboxJSON(it store.InboxItem) inboxJSON {
	j := inboxJSON{ID: it.ID, AccountID: it.AccountID, Platform: it.Platform, Kind: string(it.Kind), State: string(it.State),
		Read: it.Read, AuthorHandle: it.AuthorHandle, AuthorName: it.AuthorName, Text: it.Body, URL: it.URL,
		ReceivedAt: it.ReceivedAt.UTC().Format(time.RFC3339), Class: string(it.Class), RepliedAt: rfc3339(it.RepliedAt),
		Labels: append([]string{}, it.Labels...), Deleted: !it.DeletedAt.IsZero()}
	if it.State == store.InboxSnoozed {
		j.SnoozedUntil = rfc3339(it.SnoozedUntil)
	}
	if it.HasSentiment {
		s := it.Sentiment
		j.Sentiment = &s
	}
	return j
}

func newAccountsCmd(env *cliEnv) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "accounts",
		Short: "the accounts crier posts to and reads from",
		Long: `crier accounts lists the accounts in the database (those in the config are
recorded there first): the id, the network, the handle and the name the
config gives it. crier post --to takes any of them.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, st, accounts, err := env.readStore(cmd.Context())
			if err != nil {
				return err
			}
			defer env.release(st)
			if asJSON {
				return writeJSONList(env.stdout, accounts, toAccountJSON)
			}
			if len(accounts) == 0 {
				fmt.Fprintln(env.stdout, noAccounts(cfg))
				return nil
			}
			writeAccounts(env.stdout, accounts)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON (fields documented in the README)")
	return c
}

func writeAccounts(w io.Writer, accounts []store.Account) {
	fmt.Fprintf(w, "%-4s %-9s %-32s %s\n", "id", "network", "handle", "name")
	for _, a := range accounts {
		name := a.DisplayName
		if a.NeedsReauth {
			name = strings.TrimSpace(name + " (needs signing in again)")
		}
		fmt.Fprintf(w, "%-4d %-9s %s %s\n", a.ID, a.Platform, common.Fit(common.Clean(a.Handle), 32), common.Clean(name))
	}
}

func newQueueCmd(env *cliEnv) *cobra.Command {
	var asJSON bool
	var limit int
	c := &cobra.Command{
		Use:   "queue",
		Short: "the posts on their way, soonest first",
		Long: `crier queue lists the posts that have not all gone out: queued, failed
(with the server's reason) and missed, soonest first, with each network's
copy. Drafts are in the app's Drafts pane.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit <= 0 {
				return usageErr("--limit %d: give a number of posts above 0", limit)
			}
			cfg, st, _, err := env.readStore(cmd.Context())
			if err != nil {
				return err
			}
			defer env.release(st)
			posts, err := st.Upcoming(cmd.Context(), limit)
			if err != nil {
				return dbErr(st, err)
			}
			if asJSON {
				return writeJSONList(env.stdout, posts, toPostJSON)
			}
			writeQueue(env.stdout, posts, cfg.Timezone)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON (fields documented in the README)")
	c.Flags().IntVar(&limit, "limit", 100, "list at most this many posts")
	return c
}

func writeQueue(w io.Writer, posts []store.PostSummary, loc *time.Location) {
	if len(posts) == 0 {
		fmt.Fprintln(w, "Nothing queued.")
		return
	}
	for _, p := range posts {
		var copies []string
		for _, c := range p.Copies {
			s := c.Platform + " " + string(c.State)
			if c.Held {
				s += " (held: its queue is paused)"
			}
			if c.LastError != "" && c.State != store.DeliverySent {
				s += " (" + common.OneLine(common.Clean(c.LastError)) + ")"
			}
			copies = append(copies, s)
		}
		head := fmt.Sprintf("%-6s %s  %-6s ", "#"+strconv.FormatInt(p.ID, 10), p.ScheduledAt.In(loc).Format("Mon 2 Jan 15:04"), p.State)
		fmt.Fprintln(w, strings.TrimRight(common.Truncate(head+common.OneLine(common.Clean(p.Body)), glanceWidth, "…"), " "))
		fmt.Fprintln(w, "       "+strings.Join(copies, " · "))
	}
}

func newInboxCmd(env *cliEnv) *cobra.Command {
	var asJSON, open bool
	var limit int
	c := &cobra.Command{
		Use:   "inbox",
		Short: "the inbox, newest first",
		Long: `crier inbox lists mentions, replies, quotes and direct messages from every
account, newest first: --open only those still open. What social listening
found is not in it (the app's Listening view has it).`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit <= 0 {
				return usageErr("--limit %d: give a number of items above 0", limit)
			}
			now, cfg, st, _, err := env.readAt(cmd.Context())
			if err != nil {
				return err
			}
			defer env.release(st)
			f := store.InboxFilter{}
			if open {
				f.State = store.InboxOpen
			}
			items, err := st.InboxPage(cmd.Context(), f, nil, nil, limit)
			if err != nil {
				return dbErr(st, err)
			}
			if asJSON {
				return writeJSONList(env.stdout, items, toInboxJSON)
			}
			writeInbox(env.stdout, items, now, cfg.Timezone)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON (fields documented in the README)")
	c.Flags().BoolVar(&open, "open", false, "only the items still open")
	c.Flags().IntVar(&limit, "limit", 50, "list at most this many items")
	return c
}

func writeInbox(w io.Writer, items []store.InboxItem, now time.Time, loc *time.Location) {
	if len(items) == 0 {
		fmt.Fprintln(w, "The inbox is empty.")
		return
	}
	for _, it := range items {
		mark := " "
		if !it.Read {
			mark = "●"
		}
		state := string(it.State)
		if !it.RepliedAt.IsZero() {
			state = "replied"
		}
		kind := string(it.Kind)
		if !it.DeletedAt.IsZero() {
			kind = "deleted"
		}
		author := it.AuthorName
		if strings.TrimSpace(author) == "" {
			author = it.AuthorHandle
		}
		head := fmt.Sprintf("%s %-7s %-7s %-9s %s %s ", mark, "#"+strconv.FormatInt(it.ID, 10), state, kind,
			common.Fit(it.Platform, 8), common.Fit(common.OneLine(common.Clean(author)), 14))
		age := " " + ago(now.Sub(it.ReceivedAt))
		room := glanceWidth - common.Width(head) - common.Width(age)
		fmt.Fprintln(w, head+common.Fit(common.OneLine(common.Clean(it.Body)), room)+age)
	}
}

// ago writes how long ago, in the inbox's way: 2m, 5h, 3d, 11w.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%2dm", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%2dh", int(d/time.Hour))
	case d < 14*24*time.Hour:
		return fmt.Sprintf("%2dd", int(d/(24*time.Hour)))
	}
	return fmt.Sprintf("%2dw", int(d/(7*24*time.Hour)))
}
