package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/crier-app/crier/platforms"
)

const (
	// maxConvoPages bounds how far back one catch-up reads, in pages of 100.
	maxConvoPages = 10

	// MaxMessageGraphemes and MaxMessageBytes bound a chat message's text
	// (chat.bsky.convo.defs#messageInput); they are wider than a post's.
	MaxMessageGraphemes = 1000
	MaxMessageBytes     = 10000
)

type convoView struct {
	ID          string          `json:"id"`
	Members     []profileView   `json:"members"`
	LastMessage json.RawMessage `json:"lastMessage"`
}

type messageView struct {
	Type   string `json:"$type"`
	ID     string `json:"id"`
	Text   string `json:"text"`
	Sender struct {
		DID string `json:"did"`
	} `json:"sender"`
	SentAt string `json:"sentAt"`
}

// noDMAccess is what crier says when the chat service refuses the session.
const noDMAccess = "this app password has no access to direct messages: create one with 'Allow access to your direct messages' checked"

// chatCall runs a chat.bsky.* call through the PDS's chat proxy and turns
// the ways a session can be barred from chat into one clear permanent error.
func (c *Client) chatCall(ctx context.Context, x xrpcCall) error {
	x.proxy = ChatProxy
	x.auth = authAccess
	err := c.call(ctx, x)
	if err == nil {
		return nil
	}
	var pe *platforms.Error
	if !errors.As(err, &pe) {
		return err
	}
	name := errorName(err)
	var msg string
	if xe := (*remoteError)(nil); errors.As(pe.Err, &xe) {
		msg = strings.ToLower(xe.message)
	}
	switch {
	case pe.Status == http.StatusBadRequest && name == "InvalidToken" && strings.Contains(msg, "bad token method"),
		pe.Status == http.StatusForbidden,
		pe.Reauth && strings.Contains(msg, "scope"):
		return &platforms.Error{Class: platforms.Permanent, Status: pe.Status, Reason: noDMAccess, Err: err}
	case strings.Contains(msg, "could not resolve proxy did"),
		// The PDS answers 500 when it cannot resolve the chat service's DID
		// (as on a dev network, which has none); a chat service that fails
		// comes back as 502 UpstreamFailure instead, so a bare 500 means
		// the request never left the PDS: nothing was sent.
		pe.Status == http.StatusInternalServerError && name == "InternalServerError",
		strings.Contains(msg, "no service configured"),
		name == "MethodNotImplemented", pe.Status == http.StatusNotImplemented:
		return &platforms.Error{Class: platforms.Permanent, Status: pe.Status,
			Reason: "direct messages are not available from this server: its chat service (" + ChatProxy + ") cannot be reached", Err: err}
	}
	return err
}

// Messages implements platforms.DirectMessenger. The cursor is the sentAt
// of the newest message seen; an empty cursor reads the latest page of each
// conversation.
func (c *Client) Messages(ctx context.Context, cursor string) ([]platforms.Message, string, error) {
	var since time.Time
	if cursor != "" {
		t, err := time.Parse(time.RFC3339Nano, cursor)
		if err != nil {
			return nil, cursor, errorf("message cursor %q is not a time", cursor)
		}
		since = t
	}
	sess, err := c.session(ctx)
	if err != nil {
		return nil, cursor, err
	}
	var convos []convoView
	err = listPages(ctx, c.chatCall, xrpcCall{nsid: "chat.bsky.convo.listConvos"}, "convos", maxConvoPages,
		func(page []convoView) bool { convos = append(convos, page...); return true })
	if err != nil {
		return nil, cursor, err
	}
	var out []platforms.Message
	newest, newestAt := cursor, since
	for _, cv := range convos {
		var last messageView
		if json.Unmarshal(cv.LastMessage, &last) == nil && last.SentAt != "" && !since.IsZero() {
			if t, err := time.Parse(time.RFC3339Nano, last.SentAt); err == nil && !t.After(since) {
				continue // nothing new here
			}
		}
		members := map[string]profileView{}
		for _, m := range cv.Members {
			members[m.DID] = m
		}
		msgs, err := c.convoMessages(ctx, cv.ID, since)
		if err != nil {
			return nil, cursor, err
		}
		for _, m := range msgs {
			at, _ := time.Parse(time.RFC3339Nano, m.SentAt)
			if at.After(newestAt) {
				newest, newestAt = m.SentAt, at
			}
			author := members[m.Sender.DID].author()
			author.ID = m.Sender.DID
			out = append(out, platforms.Message{
				ID:             m.ID,
				ConversationID: cv.ID,
				Author:         author,
				Text:           m.Text,
				At:             at,
				FromMe:         m.Sender.DID == sess.DID,
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, newest, nil
}

// convoMessages reads a conversation newest first back to since (the
// latest page only when since is zero), leaving out deleted messages.
func (c *Client) convoMessages(ctx context.Context, convoID string, since time.Time) ([]messageView, error) {
	var out []messageView
	x := xrpcCall{nsid: "chat.bsky.convo.getMessages", query: url.Values{"convoId": {convoID}}}
	err := listPages(ctx, c.chatCall, x, "messages", maxConvoPages, func(page []messageView) bool {
		reachedOld := false
		for _, m := range page {
			if m.Type != "" && m.Type != "chat.bsky.convo.defs#messageView" {
				continue
			}
			at, err := time.Parse(time.RFC3339Nano, m.SentAt)
			if err != nil {
				continue
			}
			if !since.IsZero() && !at.After(since) {
				reachedOld = true
				continue
			}
			out = append(out, m)
		}
		return !since.IsZero() && !reachedOld
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SendMessage implements platforms.DirectMessenger. Bluesky's chat has no
// idempotency key, so key is not used: after an unclear outcome, read the
// conversation before sending again (Reconcile does, for a post with
// Conversation set).
func (c *Client) SendMessage(ctx context.Context, conversationID, text, key string) (platforms.Message, error) {
	sess, err := c.session(ctx)
	if err != nil {
		return platforms.Message{}, err
	}
	m, err := c.sendChat(ctx, conversationID, text)
	if err != nil {
		return platforms.Message{}, err
	}
	at, _ := time.Parse(time.RFC3339Nano, m.SentAt)
	return platforms.Message{
		ID:             m.ID,
		ConversationID: conversationID,
		Author:         platforms.Author{ID: sess.DID, Handle: sess.Handle, Followers: -1},
		Text:           m.Text,
		At:             at,
		FromMe:         true,
	}, nil
}

// sendChat sends text as a message in conversation convoID
// (chat.bsky.convo.sendMessage) and returns the message the service made.
func (c *Client) sendChat(ctx context.Context, convoID, text string) (messageView, error) {
	var m messageView
	err := c.chatCall(ctx, xrpcCall{
		nsid:      "chat.bsky.convo.sendMessage",
		procedure: true,
		input: map[string]any{
			"convoId": convoID,
			"message": map[string]string{"text": validText(text)},
		},
		out: &m,
	})
	return m, err
}

// publishMessage is Publish for a post with Conversation set: a chat
// message, which carries text only and answers no message in particular
// (chat threads are flat), so p.ReplyTo is not sent. It sends once: with no
// idempotency key in Bluesky's chat, a retry after an unclear outcome must
// go through Reconcile first, as the scheduler's always does.
func (c *Client) publishMessage(ctx context.Context, p platforms.Post) (platforms.Published, error) {
	text := validText(p.Text)
	switch g, b := Length(text); {
	case len(p.Images) > 0:
		return platforms.Published{}, errorf("Bluesky direct messages carry no images")
	case strings.TrimSpace(text) == "":
		return platforms.Published{}, errorf("a direct message needs text")
	case g > MaxMessageGraphemes:
		return platforms.Published{}, errorf("%d characters, a Bluesky direct message takes at most %d", g, MaxMessageGraphemes)
	case b > MaxMessageBytes:
		return platforms.Published{}, errorf("%d bytes, a Bluesky direct message takes at most %d", b, MaxMessageBytes)
	}
	m, err := c.sendChat(ctx, p.Conversation, text)
	if err != nil {
		return platforms.Published{}, err
	}
	return messagePublished(m), nil
}

// reconcileMessage is Reconcile for a post with Conversation set. Without a
// key to look it up by, it reads the conversation back to a minute before
// p.CreatedAt (for clock skew) for a message from the account with the
// same text, and takes the oldest such message as the post. Two messages
// with the same text sent to the same conversation within that minute
// cannot be told apart.
func (c *Client) reconcileMessage(ctx context.Context, p platforms.Post) (platforms.Published, bool, error) {
	sess, err := c.session(ctx)
	if err != nil {
		return platforms.Published{}, false, err
	}
	var since time.Time
	if !p.CreatedAt.IsZero() {
		since = p.CreatedAt.Add(-time.Minute)
	}
	msgs, err := c.convoMessages(ctx, p.Conversation, since)
	if err != nil {
		return platforms.Published{}, false, err
	}
	want := strings.TrimSpace(validText(p.Text))
	var found *messageView
	for i := range msgs { // newest first
		m := &msgs[i]
		if m.Sender.DID != sess.DID || strings.TrimSpace(m.Text) != want {
			continue
		}
		// The same words sent before as another of crier's messages are
		// that message, not this one.
		if taken, err := p.ClaimedElsewhere(ctx, m.ID, "messages"); err != nil {
			return platforms.Published{}, false, err
		} else if taken {
			continue
		}
		found = m
	}
	if found == nil {
		return platforms.Published{}, false, nil
	}
	return messagePublished(*found), true, nil
}

// messagePublished is what Publish reports for a chat message: its id, and
// no web address (chat messages have none).
func messagePublished(m messageView) platforms.Published {
	at, _ := time.Parse(time.RFC3339Nano, m.SentAt)
	return platforms.Published{Ref: platforms.Ref{ID: m.ID}, At: at}
}
