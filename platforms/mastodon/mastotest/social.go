package mastotest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Favourited reports whether accountID favourited statusID through the
// API.
func (s *Server) Favourited(accountID, statusID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.statuses[statusID]
	return ok && st.favouritedBy[accountID]
}

// Reblogged reports whether accountID boosted statusID through the API.
func (s *Server) Reblogged(accountID, statusID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.statuses[statusID]
	return ok && st.rebloggedBy[accountID] != ""
}

// postStatusAction serves POST /api/v1/statuses/:id/{favourite,
// unfavourite,reblog,unreblog}. As on Mastodon, each is idempotent: a
// repeat answers with the status as it stands, and undoing what is not
// there succeeds. Boosting a private or direct status of someone else is
// refused with 403 "This action is not allowed".
func (s *Server) postStatusAction(w http.ResponseWriter, rest, who string) {
	id, action, ok := strings.Cut(rest, "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	st, found := s.statuses[id]
	if !ok || !found || !s.visibleTo(st, who) {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	switch action {
	case "favourite":
		if !st.favouritedBy[who] {
			if st.favouritedBy == nil {
				st.favouritedBy = map[string]bool{}
			}
			st.favouritedBy[who] = true
			st.favs++
			if st.accountID == s.me && who != s.me {
				s.notify("favourite", who, st)
			}
		}
	case "unfavourite":
		if st.favouritedBy[who] {
			delete(st.favouritedBy, who)
			st.favs--
		}
	case "reblog":
		if (st.visibility == "private" || st.visibility == "direct") && st.accountID != who {
			writeError(w, http.StatusForbidden, "This action is not allowed")
			return
		}
		boost := st.rebloggedBy[who]
		if boost == "" {
			if st.rebloggedBy == nil {
				st.rebloggedBy = map[string]string{}
			}
			boost = s.newID()
			st.rebloggedBy[who] = boost
			st.reblogs++
			if st.accountID == s.me && who != s.me {
				s.notify("reblog", who, st)
			}
		}
		// The answer is the boost, a status wrapping the original.
		v := s.viewerStatus(st, who)
		writeJSON(w, http.StatusOK, map[string]any{
			"id":               boost,
			"created_at":       v["created_at"],
			"visibility":       "public",
			"content":          "",
			"spoiler_text":     "",
			"uri":              v["uri"].(string) + "/activity",
			"url":              nil,
			"account":          s.renderAccount(s.accounts[who]),
			"reblog":           v,
			"reblogged":        true,
			"favourited":       v["favourited"],
			"replies_count":    0,
			"reblogs_count":    0,
			"favourites_count": 0,
		})
		return
	case "unreblog":
		if st.rebloggedBy[who] != "" {
			delete(st.rebloggedBy, who)
			st.reblogs--
		}
	default:
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	writeJSON(w, http.StatusOK, s.viewerStatus(st, who))
}

// visibleTo reports whether who may see st: direct statuses only to their
// author and the accounts they mention.
func (s *Server) visibleTo(st *status, who string) bool {
	return st.visibility != "direct" || st.accountID == who || slices.Contains(s.mentionedAccounts(st.text), who)
}

// viewerStatus is a Status with the viewer's favourited and reblogged.
func (s *Server) viewerStatus(st *status, who string) map[string]any {
	v := s.renderStatus(st)
	v["favourited"] = st.favouritedBy[who]
	v["reblogged"] = st.rebloggedBy[who] != ""
	return v
}

// getTagTimeline serves GET /api/v1/timelines/tag/:hashtag: public
// statuses carrying the tag (case-insensitive), paged like notifications
// (20 by default, at most 40).
func (s *Server) getTagTimeline(w http.ResponseWriter, r *http.Request, tag string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []pageItem
	for _, st := range s.sortedStatuses() {
		if st.visibility == "public" && slices.Contains(hashtags(st.text), strings.ToLower(tag)) {
			items = append(items, pageItem{key: st.id, v: s.renderStatus(st)})
		}
	}
	s.writePage(w, r, items, 20, 40)
}

// hashtags lists the lower-cased tags in text.
func hashtags(text string) []string {
	var out []string
	for _, w := range strings.Fields(text) {
		tag, ok := strings.CutPrefix(w, "#")
		if !ok {
			continue
		}
		end := strings.IndexFunc(tag, func(r rune) bool { return !isTagRune(r) })
		if end >= 0 {
			tag = tag[:end]
		}
		if tag != "" {
			out = append(out, strings.ToLower(tag))
		}
	}
	return out
}

func isTagRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// getSearch serves GET /api/v2/search for type=statuses (or no type) the
// way a server with full-text search does: public statuses whose text
// holds every word of q (case-insensitive), newest first, min_id and
// max_id as bounds, limit 20 by default and at most 40, and no Link
// header. Accounts and hashtags are always empty.
func (s *Server) getSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if strings.TrimSpace(q.Get("q")) == "" {
		writeError(w, http.StatusBadRequest, "Validation failed: q is missing")
		return
	}
	limit := 20
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 {
		limit = min(l, 40)
	}
	words := strings.Fields(strings.ToLower(q.Get("q")))
	minID, maxID := q.Get("min_id"), q.Get("max_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	found := []any{}
	typ := q.Get("type")
	if !s.cfg.NoFullTextSearch && (typ == "" || typ == "statuses") {
		all := s.sortedStatuses()
		slices.Reverse(all)
		for _, st := range all {
			if len(found) == limit {
				break
			}
			if st.visibility != "public" || (minID != "" && !idLess(minID, st.id)) || (maxID != "" && !idLess(st.id, maxID)) {
				continue
			}
			text := strings.ToLower(st.text)
			match := true
			for _, w := range words {
				if !strings.Contains(text, w) {
					match = false
				}
			}
			if match {
				found = append(found, s.renderStatus(st))
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"accounts": []any{}, "statuses": found, "hashtags": []any{}})
}
