package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
)

// chatFake adds a chat service to a repoFake (the dev network has none):
// conversations whose messages chat.bsky.convo.getMessages pages newest
// first and chat.bsky.convo.sendMessage appends to, in the lexicons'
// shapes, behind the atproto-proxy header.
type chatFake struct {
	*repoFake
	chatMu sync.Mutex
	clock  time.Time // the sentAt of the next message; each message moves it on a second
	nextID int
	convos map[string][]chatMessage // oldest first
	faults []chatFault              // for the next sendMessage calls, in order
}

type chatMessage struct {
	id, sender, text string
	at               time.Time
}

// chatFault answers a sendMessage with status, after storing the message
// when land is set (the service took it but the answer went wrong).
type chatFault struct {
	status int
	land   bool
}

func newChatFake(t *testing.T, clock time.Time, convoIDs ...string) *chatFake {
	f := &chatFake{repoFake: newRepoFake(t), clock: clock, convos: map[string][]chatMessage{}}
	for _, id := range convoIDs {
		f.convos[id] = nil
	}
	f.handle("chat.bsky.convo.getMessages", f.getMessages)
	f.handle("chat.bsky.convo.sendMessage", f.sendMessage)
	return f
}

// add stores a message from sender, as if sent through the service.
func (f *chatFake) add(convoID, sender, text string) chatMessage {
	f.chatMu.Lock()
	defer f.chatMu.Unlock()
	return f.addLocked(convoID, sender, text)
}

func (f *chatFake) addLocked(convoID, sender, text string) chatMessage {
	f.nextID++
	m := chatMessage{id: fmt.Sprintf("msg%03d", f.nextID), sender: sender, text: text, at: f.clock}
	f.clock = f.clock.Add(time.Second)
	f.convos[convoID] = append(f.convos[convoID], m)
	return m
}

func (f *chatFake) inject(faults ...chatFault) {
	f.chatMu.Lock()
	defer f.chatMu.Unlock()
	f.faults = append(f.faults, faults...)
}

func (f *chatFake) messages(convoID string) []chatMessage {
	f.chatMu.Lock()
	defer f.chatMu.Unlock()
	return append([]chatMessage(nil), f.convos[convoID]...)
}

func (m chatMessage) view() map[string]any {
	return map[string]any{
		"$type":  "chat.bsky.convo.defs#messageView",
		"id":     m.id,
		"rev":    m.id,
		"text":   m.text,
		"sender": map[string]string{"did": m.sender},
		"sentAt": m.at.UTC().Format("2006-01-02T15:04:05.000Z"),
	}
}

func (f *chatFake) viaProxy(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("atproto-proxy") != ChatProxy {
		writeXRPCError(w, 400, "InvalidRequest", "chat calls go through the chat proxy")
		return false
	}
	return true
}

// getMessages pages a conversation newest first: limit 1-100 (50 by
// default); the cursor is where the next, older page starts.
func (f *chatFake) getMessages(w http.ResponseWriter, r *http.Request) {
	if !f.viaProxy(w, r) {
		return
	}
	q := r.URL.Query()
	limit := 50
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 1 || n > 100 {
			writeXRPCError(w, 400, "InvalidRequest", "limit must be between 1 and 100")
			return
		}
		limit = n
	}
	f.chatMu.Lock()
	msgs, ok := f.convos[q.Get("convoId")]
	f.chatMu.Unlock()
	if !ok {
		writeXRPCError(w, 400, "InvalidConvo", "Convo not found")
		return
	}
	end := len(msgs) // exclusive, in oldest-first order
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 || n > len(msgs) {
			writeXRPCError(w, 400, "InvalidRequest", "bad cursor")
			return
		}
		end = n
	}
	start := max(end-limit, 0)
	out := map[string]any{"messages": []any{}}
	page := []any{}
	for i := end - 1; i >= start; i-- {
		page = append(page, msgs[i].view())
	}
	out["messages"] = page
	if start > 0 {
		out["cursor"] = strconv.Itoa(start)
	}
	writeJSON(w, out)
}

func (f *chatFake) sendMessage(w http.ResponseWriter, r *http.Request) {
	if !f.viaProxy(w, r) {
		return
	}
	var in struct {
		ConvoID string `json:"convoId"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Message.Text == "" {
		writeXRPCError(w, 400, "InvalidRequest", "Input must have the property \"message\" with text")
		return
	}
	f.chatMu.Lock()
	defer f.chatMu.Unlock()
	if _, ok := f.convos[in.ConvoID]; !ok {
		writeXRPCError(w, 400, "InvalidConvo", "Convo not found")
		return
	}
	var fault *chatFault
	if len(f.faults) > 0 {
		fault, f.faults = &f.faults[0], f.faults[1:]
	}
	if fault != nil && !fault.land {
		writeXRPCError(w, fault.status, "UpstreamFailure", "Upstream Failure")
		return
	}
	m := f.addLocked(in.ConvoID, fakeDID, in.Message.Text)
	if fault != nil {
		writeXRPCError(w, fault.status, "UpstreamFailure", "Upstream Failure")
		return
	}
	writeJSON(w, m.view())
}

var chatT0 = time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)

// dmReply is an answer to message in convo, first attempted at at.
func dmReply(text, convo string, to chatMessage, at time.Time) platforms.Post {
	return platforms.Post{Text: text, Conversation: convo, ReplyTo: &platforms.Ref{ID: to.id},
		ThreadRoot: &platforms.Ref{ID: convo}, IdempotencyKey: "dm-" + to.id, CreatedAt: at}
}

func TestPublishInAConversationSendsAChatMessage(t *testing.T) {
	f := newChatFake(t, chatT0, "convo1")
	c := f.client()
	ctx := context.Background()
	asked := f.add("convo1", "did:plc:bob", "is the rye vegan?")

	p := dmReply("Yes, it is.", "convo1", asked, chatT0.Add(time.Minute))
	pub, err := c.Publish(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.messages("convo1")
	if len(msgs) != 2 || msgs[1].sender != fakeDID || msgs[1].text != "Yes, it is." {
		t.Fatalf("conversation holds %+v", msgs)
	}
	if pub.Ref.ID != msgs[1].id || pub.URL != "" || !pub.At.Equal(msgs[1].at) {
		t.Errorf("Published = %+v, want message %s at %s", pub, msgs[1].id, msgs[1].at)
	}
	if n := f.count("com.atproto.repo.putRecord"); n != 0 {
		t.Errorf("%d post records written for a direct message", n)
	}

	found, ok, err := c.Reconcile(ctx, p)
	if err != nil || !ok || found.Ref.ID != pub.Ref.ID {
		t.Fatalf("Reconcile = %+v, %v, %v; want %s", found, ok, err, pub.Ref.ID)
	}
	if n := f.count("chat.bsky.convo.sendMessage"); n != 1 {
		t.Errorf("%d messages sent, want 1", n)
	}

	// A reply to a post is still a post record answering its thread.
	root := &platforms.Ref{ID: "at://did:plc:x/app.bsky.feed.post/3root", CID: "bafyroot"}
	parent := &platforms.Ref{ID: "at://did:plc:x/app.bsky.feed.post/3parent", CID: "bafyparent"}
	reply := testPost("thread reply")
	reply.ReplyTo, reply.ThreadRoot = parent, root
	rp, err := c.Publish(ctx, reply)
	if err != nil {
		t.Fatal(err)
	}
	rec := f.record(t, rkeyOf(rp.Ref.ID))["reply"].(map[string]any)
	if rec["root"].(map[string]any)["uri"] != root.ID || rec["parent"].(map[string]any)["uri"] != parent.ID {
		t.Errorf("reply refs %v", rec)
	}
	if n := f.count("chat.bsky.convo.sendMessage"); n != 1 {
		t.Errorf("a post reply went to the chat (%d messages sent)", n)
	}
}

func TestReconcileAChatMessageAfterAnUnclearOutcome(t *testing.T) {
	f := newChatFake(t, chatT0, "convo1")
	c := f.client()
	ctx := context.Background()
	asked := f.add("convo1", "did:plc:bob", "open on Sunday?")

	// The service took the message, but its answer was a 502.
	f.inject(chatFault{status: 502, land: true})
	p := dmReply("From 8 to 12.", "convo1", asked, chatT0.Add(time.Minute))
	_, err := c.Publish(ctx, p)
	if pe := asError(t, err); pe.Class != platforms.UnknownOutcome {
		t.Fatalf("class %v (%v), want unknown outcome", pe.Class, err)
	}
	// More than a page of newer messages from bob: Reconcile has to page.
	for i := 0; i < 150; i++ {
		f.add("convo1", "did:plc:bob", fmt.Sprint("and another thing ", i))
	}
	landed := f.messages("convo1")[1]
	pub, ok, err := c.Reconcile(ctx, p)
	if err != nil || !ok || pub.Ref.ID != landed.id {
		t.Fatalf("Reconcile = %+v, %v, %v; want %s", pub, ok, err, landed.id)
	}
	if n := f.count("chat.bsky.convo.getMessages"); n < 2 {
		t.Errorf("%d pages read, want the conversation read back past the first page", n)
	}
	if n := f.count("chat.bsky.convo.sendMessage"); n != 1 {
		t.Errorf("%d sends, want the one attempt", n)
	}

	// Refused outright: nothing landed, so Reconcile finds nothing and the
	// retry sends it.
	f.inject(chatFault{status: 502})
	q := dmReply("See you then!", "convo1", asked, chatT0.Add(2*time.Minute))
	_, err = c.Publish(ctx, q)
	if pe := asError(t, err); pe.Class != platforms.UnknownOutcome {
		t.Fatalf("class %v (%v), want unknown outcome", pe.Class, err)
	}
	if _, ok, err := c.Reconcile(ctx, q); err != nil || ok {
		t.Fatalf("Reconcile of a message that never landed = %v, %v", ok, err)
	}
	if _, err := c.Publish(ctx, q); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Reconcile(ctx, q); err != nil || !ok {
		t.Errorf("Reconcile after the retry = %v, %v; want found", ok, err)
	}
}

func TestReconcileAChatMessageIgnoresLookalikes(t *testing.T) {
	f := newChatFake(t, chatT0, "convo1")
	c := f.client()
	ctx := context.Background()
	asked := f.add("convo1", "did:plc:bob", "thanks?")
	f.add("convo1", fakeDID, "Thanks!")       // ours, but from before the post
	f.clock = f.clock.Add(time.Hour)          // the post is due an hour later
	f.add("convo1", "did:plc:bob", "Thanks!") // the same text, from bob
	p := dmReply("Thanks!", "convo1", asked, f.clock)
	if pub, ok, err := c.Reconcile(ctx, p); err != nil || ok {
		t.Fatalf("Reconcile = %+v, %v, %v; want not found", pub, ok, err)
	}
	if _, ok, err := c.Reconcile(ctx, dmReply("Thanks!", "nope", asked, f.clock)); ok || platforms.ClassOf(err) != platforms.Permanent {
		t.Errorf("Reconcile in an unknown conversation = %v, %v; want a permanent error", ok, err)
	}
}

func TestPublishInAConversationRefusesLocally(t *testing.T) {
	f := newChatFake(t, chatT0, "convo1")
	c := f.client()
	asked := f.add("convo1", "did:plc:bob", "hi")
	withImage := dmReply("look", "convo1", asked, chatT0)
	withImage.Images = []platforms.Image{{Path: "/nonexistent.png", AltText: "a loaf"}}
	cases := map[string]platforms.Post{
		"an image":       withImage,
		"no text":        dmReply("  ", "convo1", asked, chatT0),
		"too long":       dmReply(strings.Repeat("é", MaxMessageGraphemes+1), "convo1", asked, chatT0),
		"too many bytes": dmReply(strings.Repeat("👩‍👩‍👧‍👦", MaxMessageGraphemes), "convo1", asked, chatT0),
	}
	for name, p := range cases {
		if _, err := c.Publish(context.Background(), p); platforms.ClassOf(err) != platforms.Permanent {
			t.Errorf("%s: %v, want a permanent error", name, err)
		}
	}
	if n := f.count("chat.bsky.convo.sendMessage"); n != 0 {
		t.Errorf("%d messages sent, want none", n)
	}
	// Longer than a post may be, within what a message may be.
	if _, err := c.Publish(context.Background(), dmReply(strings.Repeat("a", MaxGraphemes+1), "convo1", asked, chatT0)); err != nil {
		t.Errorf("a message over a post's limit: %v", err)
	}
}

// TestReconcileAChatMessagePassesOverClaimedOnes: "Thanks!" sent a moment
// ago answered another message, and crier recorded it. A second "Thanks!"
// whose send was refused before it reached the service must not be taken
// for sent on the strength of the first.
func TestReconcileAChatMessagePassesOverClaimedOnes(t *testing.T) {
	f := newChatFake(t, chatT0, "convo1")
	c := f.client()
	ctx := context.Background()
	asked := f.add("convo1", "did:plc:bob", "thanks?")
	first := f.add("convo1", fakeDID, "Thanks!")
	p := dmReply("Thanks!", "convo1", asked, f.clock)
	p.Claimed = func(_ context.Context, id string) (bool, error) { return id == first.id, nil }
	if pub, ok, err := c.Reconcile(ctx, p); err != nil || ok {
		t.Fatalf("Reconcile = %+v, %v, %v; want not found (the only Thanks! is another post's)", pub, ok, err)
	}
	p.Claimed = func(context.Context, string) (bool, error) { return false, errors.New("database is locked") }
	if _, ok, err := c.Reconcile(ctx, p); ok || platforms.ClassOf(err) != platforms.Transient {
		t.Errorf("Reconcile when crier cannot read its records = %v, %v; want a transient error", ok, err)
	}
}
