package drafts

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// A post has one text for all its networks, and any account may have a
// text of its own instead (a shorter one for Bluesky, say). The composer's
// text box holds one version at a time: ctrl+o moves it to the next
// account's, and back to the text for all.

// allNetworks is the version that is the post's own text.
const allNetworks int64 = 0

// ownText is the text an account has of its own, and whether it has one.
func (m *composer) ownText(account int64) (string, bool) {
	t, ok := m.own[account]
	return t, ok
}

// mainText is the text for all networks, wherever it is kept right now.
func (m *composer) mainText() string {
	if m.version == allNetworks {
		return m.text.Value()
	}
	return m.main
}

// textOf is the text an account sends: its own, or the text for all.
func (m *composer) textOf(account int64) string {
	if t, ok := m.ownText(account); ok {
		return t
	}
	return m.mainText()
}

// keepVersion stores what the box holds into the version it shows. An
// account's text that is empty, or the same as the text for all, is no text
// of its own: the account sends the text for all.
func (m *composer) keepVersion() {
	v := m.text.Value()
	if m.version == allNetworks {
		m.main = v
		return
	}
	if strings.TrimSpace(v) == "" || v == m.main {
		delete(m.own, m.version)
	} else {
		m.own[m.version] = v
	}
}

// versions are what ctrl+o cycles through: the text for all, then each
// chosen account.
func (m *composer) versions() []int64 {
	out := []int64{allNetworks}
	for i, a := range m.c.Accounts {
		if m.selected[i] {
			out = append(out, a.ID)
		}
	}
	return out
}

// showVersion puts version v in the box. An account without a text of its
// own starts from the text for all, to shorten or change.
func (m *composer) showVersion(v int64) {
	m.keepVersion()
	m.version = v
	text := m.main
	if v != allNetworks {
		if t, ok := m.own[v]; ok {
			text = t
		}
	}
	m.text.SetValue(text)
	m.text.CursorEnd()
	m.lockedTried = false
}

func (m *composer) nextVersion() {
	vs := m.versions()
	i := 0
	for j, v := range vs {
		if v == m.version {
			i = j
		}
	}
	m.showVersion(vs[(i+1)%len(vs)])
}

// gone is the copy of the post that went out on an account, if one did.
func (m *composer) gone(account int64) (store.Copy, bool) {
	c, ok := m.copies[account]
	return c, ok && c.Gone()
}

// versionLocked says why a version can't change, or "": an account's text
// can't once its copy went out, nor the text for all while a copy that went
// out was sent with it.
func (m *composer) versionLocked(v int64) string {
	if v != allNetworks {
		if c, ok := m.gone(v); ok {
			return fmt.Sprintf("%s went out with this text: it can't change", m.accountName(c.AccountID))
		}
		return ""
	}
	for _, a := range m.c.Accounts {
		if _, own := m.own[a.ID]; own {
			continue
		}
		if c, ok := m.gone(a.ID); ok {
			return fmt.Sprintf("%s went out with the text for all networks: it can't change; ctrl+o gives another network a text of its own",
				m.accountName(c.AccountID))
		}
	}
	return ""
}

// accountName is an account as the composer names it: its network, and
// its handle where two accounts share a network.
func (m *composer) accountName(id int64) string {
	a, ok := m.c.Account(id)
	if !ok {
		return fmt.Sprintf("account %d", id)
	}
	name := common.NetworkName(a.Platform)
	for _, b := range m.c.Accounts {
		if b.ID != a.ID && b.Platform == a.Platform {
			return name + " @" + strings.TrimPrefix(common.Clean(a.Handle), "@")
		}
	}
	return name
}

// ---- the $EDITOR file ----

// The file holds the text for all networks first, then, when the post goes
// to more than one account or an account has its own text, one block per
// account under a marker line. An empty block means the account sends the
// text for all.

const markerPrefix = "~~~ crier · "

var markerRE = regexp.MustCompile(`^~~~ crier · text for (\S+) @(\S+)(?: · .*)? ~~~$`)

func marker(a store.Account, note string) string {
	return markerPrefix + "text for " + a.Platform + " @" + strings.TrimPrefix(a.Handle, "@") + " · " + note + " ~~~"
}

// editorFile is what the editor is handed.
func (m *composer) editorFile() string {
	m.keepVersion()
	var accounts []store.Account
	for i, a := range m.c.Accounts {
		if m.selected[i] {
			accounts = append(accounts, a)
		}
	}
	if len(accounts) <= 1 && len(m.own) == 0 {
		return m.main
	}
	var b strings.Builder
	b.WriteString(m.main)
	for _, a := range accounts {
		note := "leave empty to send the text above"
		if _, ok := m.gone(a.ID); ok {
			note = "went out with this text: changes here are not kept"
		}
		b.WriteString("\n\n" + marker(a, note) + "\n")
		if t, ok := m.own[a.ID]; ok {
			b.WriteString(t)
		}
	}
	return b.String()
}

// editorResult is what was read back from the editor's file.
type editorResult struct {
	main string
	own  map[int64]string // accounts with a text of their own
	// seen are the accounts that had a block; an account without one
	// keeps what it had.
	seen    map[int64]bool
	unknown []string // markers that name no account of crier's
}

// parseEditorFile reads the file back. Lines that are not exactly a marker
// are text, so a post may say anything.
func parseEditorFile(text string, accounts []store.Account) editorResult {
	r := editorResult{own: map[int64]string{}, seen: map[int64]bool{}}
	var cur int64 = -1 // -1: the text for all; 0: a block for no known account
	var buf []string
	flush := func() {
		body := strings.Trim(strings.Join(buf, "\n"), "\n")
		switch {
		case cur == -1:
			r.main = body
		case cur > 0 && strings.TrimSpace(body) != "":
			r.own[cur] = body
		}
		buf = nil
	}
	for _, line := range strings.Split(text, "\n") {
		sm := markerRE.FindStringSubmatch(strings.TrimRight(line, "\r"))
		if sm == nil {
			buf = append(buf, strings.TrimRight(line, "\r"))
			continue
		}
		flush()
		cur = 0
		for _, a := range accounts {
			if a.Platform == sm[1] && strings.TrimPrefix(a.Handle, "@") == sm[2] {
				cur = a.ID
			}
		}
		if cur == 0 {
			r.unknown = append(r.unknown, sm[1]+" @"+sm[2])
		} else {
			r.seen[cur] = true
		}
	}
	flush()
	return r
}
