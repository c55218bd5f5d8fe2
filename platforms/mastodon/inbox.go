package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/httpx"
)

const (
	// notificationPage is the largest page the server gives (4.1 and later).
	notificationPage = 80
	// conversationPage is the largest page of conversations.
	conversationPage = 40
	// maxPages bounds one walk through newer pages, so a server that keeps
	// pointing forward cannot keep us looping.
	maxPages = 50
)

// notificationTypes are the kinds crier shows. Servers ignore types they
// do not know (quote arrived in 4.5).
var notificationTypes = []string{"mention", "reblog", "favourite", "follow", "quote"}

// Notifications implements platforms.Notifier. With an empty cursor it
// returns the most recent page only. With a cursor (the newest id seen) it
// asks for the page just after it (min_id) and follows rel="prev" links to
// newer pages until the server has none. The result is oldest first; the
// next cursor is the newest id seen, or cursor itself when nothing is new.
func (c *Client) Notifications(ctx context.Context, cursor string) ([]platforms.Notification, string, error) {
	q := url.Values{"types[]": notificationTypes, "limit": {fmt.Sprint(notificationPage)}}
	var raw []notification
	newest, err := walkNewer(ctx, c, "/api/v1/notifications", q, cursor, func(page []notification) string {
		raw = append(raw, page...)
		return newestID(page, func(n notification) string { return n.ID })
	})
	if err != nil {
		return nil, cursor, err
	}

	var ownID string
	if needsOwnID(raw) {
		// Only a reply to one of ours names a Subject; that needs our id.
		if ownID, err = c.ownID(ctx); err != nil {
			return nil, cursor, err
		}
	}
	out := make([]platforms.Notification, 0, len(raw))
	seen := map[string]bool{}
	for _, n := range raw {
		if seen[n.ID] {
			continue
		}
		seen[n.ID] = true
		if pn, ok := convertNotification(n, ownID); ok {
			out = append(out, pn)
		}
	}
	slices.SortFunc(out, func(a, b platforms.Notification) int { return CompareIDs(a.ID, b.ID) })
	if newest == "" {
		newest = cursor
	}
	return out, newest, nil
}

func needsOwnID(ns []notification) bool {
	for _, n := range ns {
		if n.Type == "mention" && n.Status != nil && n.Status.InReplyToID != nil {
			return true
		}
	}
	return false
}

// convertNotification maps a Mastodon notification to crier's kinds;
// kinds crier does not show are dropped.
func convertNotification(n notification, ownID string) (platforms.Notification, bool) {
	pn := platforms.Notification{ID: n.ID, Author: n.Account.author(), At: n.CreatedAt}
	switch n.Type {
	case "mention":
		if n.Status == nil {
			return pn, false
		}
		pn.Kind = platforms.NotifyMention
		pn.Post = n.Status.remotePost()
		if n.Status.InReplyToID != nil && *n.Status.InReplyToID != "" {
			pn.Kind = platforms.NotifyReply
			if n.Status.InReplyToAccountID != nil && *n.Status.InReplyToAccountID == ownID {
				pn.Subject = &platforms.Ref{ID: *n.Status.InReplyToID}
			}
		}
	case "favourite", "reblog":
		pn.Kind = platforms.NotifyLike
		if n.Type == "reblog" {
			pn.Kind = platforms.NotifyRepost
		}
		if n.Status != nil {
			pn.Subject = &platforms.Ref{ID: n.Status.ID}
		}
	case "follow":
		pn.Kind = platforms.NotifyFollow
	case "quote":
		if n.Status == nil {
			return pn, false
		}
		pn.Kind = platforms.NotifyQuote
		pn.Post = n.Status.remotePost()
		if q := n.Status.quotedID(); q != "" {
			pn.Subject = &platforms.Ref{ID: q}
		}
	default:
		return pn, false
	}
	return pn, true
}

// walkNewer reads a Mastodon list newest-first. Without a cursor it reads
// one page. With one it reads the page just after the cursor (min_id) and
// then each rel="prev" page, which holds newer items, until a page is
// empty or has no such link. add receives each page and returns its newest
// id; walkNewer returns the newest overall, or "".
func walkNewer[T any](ctx context.Context, c *Client, path string, q url.Values, cursor string,
	add func([]T) string) (string, error) {
	if cursor != "" {
		q.Set("min_id", cursor)
	}
	newest := ""
	err := linkPages(ctx, c, path, q, "prev", func(items []T) bool {
		if id := add(items); id != "" && (newest == "" || idLess(newest, id)) {
			newest = id
		}
		return cursor != ""
	})
	if err != nil {
		return "", err
	}
	return newest, nil
}

// linkPages walks a list the Mastodon way (httpx.Pages): path with q
// first, then the Link header's rel page of each answer ("next" for older
// items, "prev" for newer), at most maxPages pages; take sees each page's
// items and says whether to read on.
func linkPages[T any](ctx context.Context, c *Client, path string, q url.Values, rel string, take func([]T) bool) error {
	fetch := func(link string) ([]T, string, error) {
		cl := call{method: http.MethodGet, path: path, query: q}
		if link != "" {
			cl = call{method: http.MethodGet, rawURL: link}
		}
		r, err := c.do(ctx, cl)
		if err != nil {
			return nil, "", err
		}
		var items []T
		if err := decode(r, &items); err != nil {
			return nil, "", err
		}
		next, _ := c.nextLink(r, rel)
		return items, next, nil
	}
	return httpx.Pages(maxPages, fetch, take)
}

// nextLink returns the Link header's target for rel, made absolute.
func (c *Client) nextLink(r *reply, rel string) (string, bool) {
	target, ok := parseLinks(r.header.Values("Link"))[rel]
	if !ok || target == "" {
		return "", false
	}
	u, err := url.Parse(target)
	if err != nil {
		return "", false
	}
	return c.base.ResolveReference(u).String(), true
}

func newestID[T any](items []T, id func(T) string) string {
	newest := ""
	for _, it := range items {
		if v := id(it); newest == "" || idLess(newest, v) {
			newest = v
		}
	}
	return newest
}

// Messages implements platforms.DirectMessenger. Each conversation with a
// new last status since cursor yields that status; earlier messages in the
// same conversation that arrived between two calls are not fetched. The
// cursor is the newest last-status id seen (conversations page by it).
func (c *Client) Messages(ctx context.Context, cursor string) ([]platforms.Message, string, error) {
	q := url.Values{"limit": {fmt.Sprint(conversationPage)}}
	var convs []conversation
	newest, err := walkNewer(ctx, c, "/api/v1/conversations", q, cursor, func(page []conversation) string {
		convs = append(convs, page...)
		return newestID(page, lastStatusID)
	})
	if err != nil {
		return nil, cursor, err
	}
	ownID := ""
	if len(convs) > 0 {
		if ownID, err = c.ownID(ctx); err != nil {
			return nil, cursor, err
		}
	}
	var out []platforms.Message
	seen := map[string]bool{}
	for _, cv := range convs {
		if cv.LastStatus == nil || seen[cv.LastStatus.ID] {
			continue
		}
		seen[cv.LastStatus.ID] = true
		c.rememberConversation(cv)
		st := cv.LastStatus
		out = append(out, platforms.Message{
			ID:             st.ID,
			ConversationID: cv.ID,
			Author:         st.Account.author(),
			Text:           st.text(),
			At:             st.CreatedAt,
			FromMe:         st.Account.ID == ownID,
		})
	}
	slices.SortFunc(out, func(a, b platforms.Message) int { return CompareIDs(a.ID, b.ID) })
	if newest == "" {
		newest = cursor
	}
	return out, newest, nil
}

func lastStatusID(cv conversation) string {
	if cv.LastStatus == nil {
		return ""
	}
	return cv.LastStatus.ID
}

func (c *Client) rememberConversation(cv conversation) {
	if cv.LastStatus == nil {
		return
	}
	info := convInfo{lastStatusID: cv.LastStatus.ID}
	for _, a := range cv.Accounts {
		info.accts = append(info.accts, a.Acct)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.convs[cv.ID]; ok && idLess(info.lastStatusID, old.lastStatusID) {
		return
	}
	c.convs[cv.ID] = info
}

// conversationInfo returns what answering in conversation id needs,
// reading the list of conversations when Messages has not seen it.
func (c *Client) conversationInfo(ctx context.Context, id string) (convInfo, error) {
	c.mu.Lock()
	info, ok := c.convs[id]
	c.mu.Unlock()
	if ok {
		return info, nil
	}
	found := false
	q := url.Values{"limit": {fmt.Sprint(conversationPage)}}
	err := linkPages(ctx, c, "/api/v1/conversations", q, "next", func(convs []conversation) bool {
		for _, cv := range convs {
			c.rememberConversation(cv)
			found = found || (cv.ID == id && cv.LastStatus != nil)
		}
		return !found
	})
	if err != nil {
		return convInfo{}, err
	}
	if found {
		c.mu.Lock()
		info = c.convs[id]
		c.mu.Unlock()
		return info, nil
	}
	return convInfo{}, &platforms.Error{Class: platforms.Permanent, Status: http.StatusNotFound,
		Reason: "no conversation " + id}
}

// SendMessage implements platforms.DirectMessenger: a direct status
// answering the conversation's last status, made as Publish makes one for a
// post with Conversation set. key is sent as the Idempotency-Key when given.
func (c *Client) SendMessage(ctx context.Context, conversationID, text, key string) (platforms.Message, error) {
	form, err := c.directForm(ctx, conversationID, text, "")
	if err != nil {
		return platforms.Message{}, err
	}
	st, err := c.postStatus(ctx, form, key)
	if err != nil {
		return platforms.Message{}, err
	}
	c.noteLastStatus(conversationID, st.ID)
	return platforms.Message{
		ID:             st.ID,
		ConversationID: conversationID,
		Author:         st.Account.author(),
		Text:           text,
		At:             st.CreatedAt,
		FromMe:         true,
	}, nil
}

// directForm is a direct status in conversation id answering replyTo (the
// conversation's last status when ""). Mastodon delivers a direct status
// only to the accounts it mentions, so the text is prefixed with a mention
// of each participant it does not mention already.
func (c *Client) directForm(ctx context.Context, conversationID, text, replyTo string) (url.Values, error) {
	info, err := c.conversationInfo(ctx, conversationID)
	if err != nil {
		return nil, err
	}
	if replyTo == "" {
		replyTo = info.lastStatusID
	}
	body := text
	var prefix []string
	for _, acct := range info.accts {
		if !mentions(text, acct) {
			prefix = append(prefix, "@"+acct)
		}
	}
	if len(prefix) > 0 {
		body = strings.Join(prefix, " ") + " " + text
	}
	return url.Values{"status": {body}, "visibility": {"direct"}, "in_reply_to_id": {replyTo}}, nil
}

// noteLastStatus records that statusID, just sent, is now the last status
// of conversation id.
func (c *Client) noteLastStatus(conversationID, statusID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cur, ok := c.convs[conversationID]; ok && idLess(cur.lastStatusID, statusID) {
		cur.lastStatusID = statusID
		c.convs[conversationID] = cur
	}
}

// mentions reports whether text already mentions acct ("user" or
// "user@domain") as a whole word.
func mentions(text, acct string) bool {
	needle := "@" + strings.ToLower(acct)
	lower := strings.ToLower(text)
	for i := 0; ; {
		k := strings.Index(lower[i:], needle)
		if k < 0 {
			return false
		}
		end := i + k + len(needle)
		if end == len(lower) || !isMentionByte(lower[end]) {
			return true
		}
		// A full stop or hyphen ends the mention unless a name goes on.
		if (lower[end] == '.' || lower[end] == '-') && (end+1 == len(lower) || !isMentionByte(lower[end+1])) {
			return true
		}
		i = end
	}
}

func isMentionByte(b byte) bool {
	return b == '_' || b == '@' || b == '.' || b == '-' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z')
}
