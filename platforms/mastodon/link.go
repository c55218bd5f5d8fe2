package mastodon

import (
	"strings"
)

// parseLinks reads Link header values (RFC 8288) into a map from relation
// type to target, as Mastodon pages its lists:
//
//	Link: <https://example.social/api/v1/notifications?max_id=7>; rel="next",
//	      <https://example.social/api/v1/notifications?min_id=9>; rel="prev"
//
// Relation types are case-insensitive and are returned in lower case; a
// rel parameter may name several ("prev previous"). When two links share a
// relation the first wins, and only a link's first rel parameter counts, as
// the RFC says. Targets are returned as written (resolve relative ones
// against the request URL). Malformed parts are skipped, not fatal: a
// header we cannot read means no further pages, not a failure.
func parseLinks(values []string) map[string]string {
	out := map[string]string{}
	for _, s := range values {
		for {
			s = strings.TrimLeft(s, " \t,")
			if s == "" {
				break
			}
			if s[0] != '<' {
				s = skipToComma(s)
				continue
			}
			end := strings.IndexByte(s, '>')
			if end < 0 {
				break
			}
			target := strings.TrimSpace(s[1:end])
			s = s[end+1:]
			var rels []string
			relSeen := false
			for {
				s = strings.TrimLeft(s, " \t")
				if s == "" || s[0] == ',' {
					break
				}
				if s[0] != ';' {
					s = skipToComma(s)
					break
				}
				var name, value string
				name, value, s = readLinkParam(strings.TrimLeft(s[1:], " \t"))
				if name == "rel" && !relSeen {
					relSeen = true
					rels = strings.Fields(strings.ToLower(value))
				}
			}
			for _, r := range rels {
				if _, dup := out[r]; !dup {
					out[r] = target
				}
			}
		}
	}
	return out
}

// readLinkParam reads name[=value] where value is a token or a quoted
// string, and returns the rest of s after it.
func readLinkParam(s string) (name, value, rest string) {
	n := 0
	for n < len(s) && !strings.ContainsRune("=;, \t", rune(s[n])) {
		n++
	}
	name = strings.ToLower(s[:n])
	s = strings.TrimLeft(s[n:], " \t")
	if s == "" || s[0] != '=' {
		return name, "", s
	}
	s = strings.TrimLeft(s[1:], " \t")
	if s != "" && s[0] == '"' {
		var b strings.Builder
		i := 1
		for i < len(s) && s[i] != '"' {
			if s[i] == '\\' && i+1 < len(s) {
				i++
			}
			b.WriteByte(s[i])
			i++
		}
		if i < len(s) {
			i++ // the closing quote
		}
		return name, b.String(), s[i:]
	}
	n = 0
	for n < len(s) && s[n] != ';' && s[n] != ',' {
		n++
	}
	return name, strings.TrimSpace(s[:n]), s[n:]
}

// skipToComma drops s up to its next comma (kept), or all of it.
func skipToComma(s string) string {
	if k := strings.IndexByte(s, ','); k >= 0 {
		return s[k:]
	}
	return ""
}
