package mastotest

import (
	"html"
	"regexp"
	"strings"
	"time"
)

// renderAccount is an Account entity.
func (s *Server) renderAccount(a *account) map[string]any {
	return map[string]any{
		"id":              a.id,
		"username":        a.username,
		"acct":            a.acct(),
		"display_name":    a.displayName,
		"locked":          false,
		"bot":             false,
		"url":             s.accountURL(a),
		"note":            "",
		"followers_count": a.followers,
		"following_count": 0,
		"statuses_count":  0,
		"emojis":          []any{},
		"fields":          []any{},
	}
}

func (s *Server) accountURL(a *account) string {
	if a.domain != "" {
		return "https://" + a.domain + "/@" + a.username
	}
	return s.URL + "/@" + a.username
}

// renderStatus is a Status entity.
func (s *Server) renderStatus(st *status) map[string]any {
	a := s.accounts[st.accountID]
	v := map[string]any{
		"id":                     st.id,
		"created_at":             st.createdAt.UTC().Format(time.RFC3339Nano),
		"in_reply_to_id":         nil,
		"in_reply_to_account_id": nil,
		"sensitive":              false,
		"spoiler_text":           st.spoiler,
		"visibility":             st.visibility,
		"language":               "en",
		"uri":                    s.URL + "/users/" + a.username + "/statuses/" + st.id,
		"url":                    s.URL + "/@" + a.username + "/" + st.id,
		"replies_count":          st.replies,
		"reblogs_count":          st.reblogs,
		"favourites_count":       st.favs,
		"quotes_count":           st.quotes,
		"content":                s.formatContent(st.text),
		"reblog":                 nil,
		"account":                s.renderAccount(a),
		"media_attachments":      s.renderAttachments(st.mediaIDs),
		"mentions":               s.renderMentions(st.text),
		"tags":                   []any{},
		"emojis":                 []any{},
		"card":                   nil,
		"poll":                   nil,
	}
	if !st.editedAt.IsZero() {
		v["edited_at"] = st.editedAt.UTC().Format(time.RFC3339Nano)
	} else {
		v["edited_at"] = nil
	}
	if st.inReplyTo != "" {
		v["in_reply_to_id"] = st.inReplyTo
		v["in_reply_to_account_id"] = st.inReplyToAccount
	}
	if st.quoteOf != "" {
		if q, ok := s.statuses[st.quoteOf]; ok {
			v["quote"] = map[string]any{"state": "accepted", "quoted_status": s.renderStatus(q)}
		}
	}
	return v
}

func (s *Server) renderAttachments(ids []string) []any {
	out := []any{}
	for _, id := range ids {
		if m, ok := s.media[id]; ok {
			out = append(out, s.renderMedia(m, true))
		}
	}
	return out
}

// renderMedia is a MediaAttachment; url is null while processing.
func (s *Server) renderMedia(m *media, ready bool) map[string]any {
	v := map[string]any{
		"id":          m.id,
		"type":        "image",
		"url":         nil,
		"preview_url": s.URL + "/media/small/" + m.id + ".png",
		"remote_url":  nil,
		"description": m.description,
		"blurhash":    "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
		"meta":        map[string]any{},
	}
	if ready {
		v["url"] = s.URL + "/media/original/" + m.id + ".png"
	}
	return v
}

func (s *Server) renderMentions(text string) []any {
	out := []any{}
	for _, m := range findMentions(text) {
		if a := s.accountByAcct(m.user, m.domain); a != nil {
			out = append(out, map[string]any{"id": a.id, "username": a.username, "url": s.accountURL(a), "acct": a.acct()})
		}
	}
	return out
}

type mention struct {
	start, end   int // byte offsets of "@user[@domain]"
	user, domain string
}

// mentionPattern is a simplified Account::MENTION_RE; the character before
// is checked separately (Go's regexp has no look-behind).
var mentionPattern = regexp.MustCompile(`@([A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*)(?:@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+))?`)

func findMentions(text string) []mention {
	var out []mention
	for _, m := range mentionPattern.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > 0 {
			if c := text[m[0]-1]; c == '=' || c == '/' || c == '_' || c == '@' ||
				(c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') {
				continue
			}
		}
		mt := mention{start: m[0], end: m[1], user: text[m[2]:m[3]]}
		if m[4] >= 0 {
			mt.domain = text[m[4]:m[5]]
		}
		out = append(out, mt)
	}
	return out
}

var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// formatContent renders plain text as Mastodon does: paragraphs on blank
// lines, <br /> for single newlines, links shortened with invisible spans,
// mentions of known accounts as h-cards.
func (s *Server) formatContent(text string) string {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	var paras []string
	for _, p := range regexp.MustCompile(`\n{2,}`).Split(text, -1) {
		lines := strings.Split(p, "\n")
		for i, l := range lines {
			lines[i] = s.formatLine(l)
		}
		paras = append(paras, "<p>"+strings.Join(lines, "<br />")+"</p>")
	}
	return strings.Join(paras, "")
}

func (s *Server) formatLine(line string) string {
	type span struct {
		start, end int
		html       string
	}
	var spans []span
	for _, m := range urlPattern.FindAllStringIndex(line, -1) {
		u := strings.TrimRight(line[m[0]:m[1]], ".,;:!?)")
		spans = append(spans, span{m[0], m[0] + len(u), linkHTML(u)})
	}
	for _, m := range findMentions(line) {
		overlaps := false
		for _, sp := range spans {
			if m.start < sp.end && sp.start < m.end {
				overlaps = true
			}
		}
		a := s.accountByAcct(m.user, m.domain)
		if overlaps || a == nil {
			continue
		}
		spans = append(spans, span{m.start, m.end, `<span class="h-card" translate="no"><a href="` +
			html.EscapeString(s.accountURL(a)) + `" class="u-url mention">@<span>` + html.EscapeString(a.username) + `</span></a></span>`})
	}
	// Stitch text and spans in order.
	for i := range spans {
		for j := i + 1; j < len(spans); j++ {
			if spans[j].start < spans[i].start {
				spans[i], spans[j] = spans[j], spans[i]
			}
		}
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(html.EscapeString(line[last:sp.start]))
		b.WriteString(sp.html)
		last = sp.end
	}
	b.WriteString(html.EscapeString(line[last:]))
	if s.cfg.Markdown {
		return markdownEmphasis.ReplaceAllStringFunc(b.String(), func(m string) string {
			if strings.HasPrefix(m, "**") {
				return "<strong>" + m[2:len(m)-2] + "</strong>"
			}
			return "<em>" + m[1:len(m)-1] + "</em>"
		})
	}
	return b.String()
}

// markdownEmphasis is **bold** or *emphasis* (Config.Markdown).
var markdownEmphasis = regexp.MustCompile(`\*\*[^*]+\*\*|\*[^*\s][^*]*\*`)

// linkHTML shortens a link the way Mastodon displays it: the scheme (and
// "www.") hidden, at most 30 characters shown with an ellipsis, the rest
// hidden.
func linkHTML(u string) string {
	prefix := ""
	rest := u
	for _, p := range []string{"https://www.", "http://www.", "https://", "http://"} {
		if strings.HasPrefix(u, p) {
			prefix, rest = p, u[len(p):]
			break
		}
	}
	shown, hidden, class := rest, "", ""
	if r := []rune(rest); len(r) > 30 {
		shown, hidden, class = string(r[:30]), string(r[30:]), "ellipsis"
	}
	return `<a href="` + html.EscapeString(u) + `" target="_blank" rel="nofollow noopener" translate="no">` +
		`<span class="invisible">` + html.EscapeString(prefix) + `</span>` +
		`<span class="` + class + `">` + html.EscapeString(shown) + `</span>` +
		`<span class="invisible">` + html.EscapeString(hidden) + `</span></a>`
}
