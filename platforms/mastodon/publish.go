package mastodon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crier-app/crier/platforms"
)

// quotesAPIVersion is the api_versions.mastodon that brought quotes (4.5).
const quotesAPIVersion = 7

// Limits implements platforms.Network. The answer is read once from
// GET /api/v2/instance (GET /api/v1/instance on servers before 4.0) and
// kept for the client's life: servers raise max_characters, and count
// differently (see Counting): Limits.Length counts as this server does,
// and Limits.Approximate says when that is a guess.
func (c *Client) Limits(ctx context.Context) (platforms.Limits, error) {
	c.mu.Lock()
	if c.limits != nil {
		l := *c.limits
		c.mu.Unlock()
		return l, nil
	}
	c.mu.Unlock()

	var in instance
	_, err := c.getJSON(ctx, "/api/v2/instance", nil, &in)
	if pe := asError(err); pe != nil && pe.Status == http.StatusNotFound {
		in = instance{}
		_, err = c.getJSON(ctx, "/api/v1/instance", nil, &in)
	}
	if err != nil {
		return platforms.Limits{}, err
	}
	st, media := in.Configuration.Statuses, in.Configuration.MediaAttachments
	counting := CountingFor(in.Version, in.SourceURL, st.CharactersReservedPerURL)
	l := platforms.Limits{
		MaxChars:       orDefault(st.MaxCharacters, DefaultMaxChars),
		CharsPerURL:    orDefault(st.CharactersReservedPerURL, DefaultURLChars),
		MaxImages:      orDefault(st.MaxMediaAttachments, defaultMaxMedia),
		MaxAltText:     orDefault(media.DescriptionLimit, defaultDescriptionLimit),
		MaxImageBytes:  media.ImageSizeLimit,
		MaxImagePixels: media.ImageMatrixLimit,
		ImageTypes:     imageTypes(media.SupportedMimeTypes),
		SupportsDMs:    true,
		SupportsQuotes: in.APIVersions.Mastodon >= quotesAPIVersion,
		Length:         counting.Length,
		Approximate:    !counting.Exact,
		AltTextLength:  utf8.RuneCountInString,
	}
	if counting.Rules == RulesGoToSocial {
		l.CharsPerURL = 0 // links count as written there
	}
	c.mu.Lock()
	c.limits, c.counting = &l, counting
	c.mu.Unlock()
	return l, nil
}

// imageTypes keeps the image types of a server's supported_mime_types
// (which lists video and audio too).
func imageTypes(mimes []string) string {
	var out []string
	for _, m := range mimes {
		if strings.HasPrefix(m, "image/") {
			out = append(out, m)
		}
	}
	return strings.Join(out, ",")
}

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// Length implements platforms.Network, counting as the server does once
// Limits has asked it (as a stock Mastodon server before).
func (c *Client) Length(text string) int {
	c.mu.Lock()
	counting := c.counting
	c.mu.Unlock()
	return counting.Length(text)
}

// Publish implements platforms.Network: it checks the post against the
// server's limits, uploads the images (waiting for their processing), then
// creates a status carrying p.IdempotencyKey. Mastodon remembers the key for
// an hour and answers a repeat with the first status; other servers
// (GoToSocial) ignore it, so after an unclear outcome the scheduler asks
// Reconcile before it calls Publish again.
//
// The status is public, or with p.Conversation set a direct status in that
// conversation (see directForm): it answers p.ReplyTo (the conversation's
// last status when nil) and begins with mentions of the participants the
// text does not mention, whom Mastodon delivers it to.
//
// Images are uploaded again on every attempt; attachments left over from a
// failed attempt are never posted and the server removes them.
func (c *Client) Publish(ctx context.Context, p platforms.Post) (platforms.Published, error) {
	if p.IdempotencyKey == "" {
		return platforms.Published{}, &platforms.Error{Class: platforms.Permanent,
			Reason: "a post needs an idempotency key"}
	}
	l, err := c.Limits(ctx)
	if err != nil {
		return platforms.Published{}, err
	}
	if err := platforms.Validate(c, l, p); err != nil {
		return platforms.Published{}, err
	}

	form, err := c.statusForm(ctx, p)
	if err != nil {
		return platforms.Published{}, err
	}
	if body := form.Get("status"); body != p.Text && l.MaxChars > 0 {
		if n := c.Length(body); n > l.MaxChars {
			return platforms.Published{}, &platforms.Error{Class: platforms.Permanent,
				Reason: fmt.Sprintf("with the mentions of the conversation's participants, %d characters; the limit is %d", n, l.MaxChars)}
		}
	}
	ids, ok := preparedMedia(p)
	if !ok {
		if ids, err = c.uploadImages(ctx, p, l); err != nil {
			return platforms.Published{}, err
		}
	}
	for _, id := range ids {
		form.Add("media_ids[]", id)
	}

	st, err := c.postStatus(ctx, form, p.IdempotencyKey)
	if err != nil {
		return platforms.Published{}, err
	}
	if p.Conversation != "" {
		c.noteLastStatus(p.Conversation, st.ID)
	}
	return published(st), nil
}

// uploadImages uploads p's images, each processed by the server, and
// returns their media ids in order.
func (c *Client) uploadImages(ctx context.Context, p platforms.Post, l platforms.Limits) ([]string, error) {
	var ids []string
	for i, im := range p.Images {
		id, err := c.uploadImage(ctx, im, l)
		if err != nil {
			return nil, fmt.Errorf("image %d: %w", i+1, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Prepare implements platforms.Preparer: a post's images are uploaded, and
// processed by the server, before its time, so that Publish only creates
// the status. Media that no status takes up is the server's to clear away.
func (c *Client) Prepare(ctx context.Context, p platforms.Post) (platforms.Post, error) {
	if len(p.Images) == 0 {
		return p, nil
	}
	l, err := c.Limits(ctx)
	if err != nil {
		return p, err
	}
	if err := platforms.Validate(c, l, p); err != nil {
		return p, err
	}
	ids, err := c.uploadImages(ctx, p, l)
	if err != nil {
		return p, err
	}
	p.Prepared = &prepared{key: p.IdempotencyKey, images: p.Images, ids: ids}
	return p, nil
}

// prepared is the media Prepare uploaded for a post, and what for.
type prepared struct {
	key    string
	images []platforms.Image
	ids    []string
}

// preparedMedia is the media ids Prepare uploaded for p, if it uploaded
// them for this very post and its images as they are.
func preparedMedia(p platforms.Post) ([]string, bool) {
	pr, ok := p.Prepared.(*prepared)
	if !ok || pr.key != p.IdempotencyKey || !slices.Equal(pr.images, p.Images) {
		return nil, false
	}
	return pr.ids, true
}

// statusForm is the status p becomes, without its media: public, or direct
// in p.Conversation. The same post always gives the same form, so Reconcile
// can compare what the server holds with what was sent.
func (c *Client) statusForm(ctx context.Context, p platforms.Post) (url.Values, error) {
	replyTo := ""
	if p.ReplyTo != nil {
		replyTo = p.ReplyTo.ID
	}
	if p.Conversation != "" {
		return c.directForm(ctx, p.Conversation, p.Text, replyTo)
	}
	form := url.Values{"status": {p.Text}, "visibility": {"public"}}
	if replyTo != "" {
		form.Set("in_reply_to_id", replyTo)
	}
	return form, nil
}

// postStatus creates a status from form. key, when given, is sent as the
// Idempotency-Key.
func (c *Client) postStatus(ctx context.Context, form url.Values, key string) (*status, error) {
	r, err := c.do(ctx, call{method: http.MethodPost, path: "/api/v1/statuses", form: form, key: key, mayLand: true})
	if err != nil {
		return nil, err
	}
	var st status
	if err := decodeLanded(r, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

func published(st *status) platforms.Published {
	return platforms.Published{Ref: platforms.Ref{ID: st.ID}, URL: st.link(), At: st.CreatedAt}
}

// uploadImage sends one image with its alt text and returns the attachment
// id once the server has processed it.
func (c *Client) uploadImage(ctx context.Context, im platforms.Image, l platforms.Limits) (string, error) {
	data, err := os.ReadFile(im.Path)
	if err != nil {
		return "", &platforms.Error{Class: platforms.Permanent, Reason: "cannot read the image", Err: err}
	}
	if l.MaxImageBytes > 0 && int64(len(data)) > l.MaxImageBytes {
		return "", &platforms.Error{Class: platforms.Permanent,
			Reason: fmt.Sprintf("%d bytes, the server takes images up to %d", len(data), l.MaxImageBytes)}
	}
	mime := im.Mime
	if mime == "" {
		mime = http.DetectContentType(data)
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filepath.Base(im.Path)))
	h.Set("Content-Type", mime) // the server refuses a file without its type
	part, err := mw.CreatePart(h)
	if err == nil {
		_, err = part.Write(data)
	}
	if err == nil && im.AltText != "" {
		err = mw.WriteField("description", im.AltText)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return "", &platforms.Error{Class: platforms.Permanent, Reason: "cannot encode the upload", Err: err}
	}

	// An upload whose answer is lost leaves at most an unused attachment,
	// so it is retried like any transient failure.
	r, err := c.do(ctx, call{method: http.MethodPost, path: "/api/v2/media",
		body: body.Bytes(), ctype: mw.FormDataContentType()})
	if err != nil {
		return "", err
	}
	var m mediaAttachment
	if err := decode(r, &m); err != nil {
		return "", err
	}
	if m.ID == "" {
		return "", &platforms.Error{Class: platforms.Transient, Status: r.status, Reason: "the server returned no media id"}
	}
	if r.status == http.StatusAccepted {
		if err := c.waitForMedia(ctx, m.ID); err != nil {
			return "", err
		}
	}
	return m.ID, nil
}

// waitForMedia polls GET /api/v1/media/:id until the server has processed
// the file (200), backing off between polls. 206 means still processing;
// 422 means processing failed.
func (c *Client) waitForMedia(ctx context.Context, id string) error {
	pause := c.pollFirst
	// Polled by the wall clock, not c.now: a clock a test holds still
	// must not make this wait for ever.
	deadline := time.Now().Add(c.pollTotal)
	for {
		if time.Now().Add(pause).After(deadline) {
			return &platforms.Error{Class: platforms.Transient,
				Reason: fmt.Sprintf("media %s still processing after %s", id, c.pollTotal)}
		}
		if err := sleepCtx(ctx, pause); err != nil {
			return &platforms.Error{Class: platforms.Transient, Reason: "cancelled while media was processing", Err: err}
		}
		r, err := c.do(ctx, call{method: http.MethodGet, path: "/api/v1/media/" + url.PathEscape(id)})
		if err != nil {
			return err
		}
		if r.status == http.StatusOK {
			return nil
		}
		pause = min(pause*2, c.pollMax)
	}
}

// Reconcile implements platforms.Network: it settles an unknown outcome by
// looking, never by sending. It finds the post among the account's own
// recent statuses (direct ones included: the server shows its author every
// status) and reports it landed; when it is not there it reports so, and
// the scheduler sends it again with the same Idempotency-Key. Looking comes
// first on every server: not every Mastodon-API server honours the key
// (GoToSocial makes a second status), and Mastodon forgets it after an hour.
//
// A status is the post when it was created after p.CreatedAt (on the
// server's clock, read from its Date header, less a minute) and has the
// same visibility, reply target and media (their count and alt texts) and
// the same text. The text is the one Publish sends, with the mentions of a
// direct conversation's participants. It is compared after whitespace runs
// are made one space and mentions lose their @domain, in this order:
//
//   - the source text, where the server sends it with the status
//     (GoToSocial does, to its author);
//   - the status's HTML turned back into text;
//   - when visibility, reply and media match but neither text does, the
//     source from GET /api/v1/statuses/:id/source (a server that renders
//     Markdown, or HTML this package reads differently), and for an edited
//     status the first version in its history: an edit after the post
//     went out must not make crier post it again.
//
// A direct message sent without p.ReplyTo answered whatever was then the
// conversation's last status, which cannot be known now: its reply target
// is not compared.
//
// What can make the search miss, and what is done about it:
//
//   - The earlier request may still be on its way or in the server's hands
//     (crier was killed mid-request, or a proxy holds it). Before saying
//     "not there", Reconcile waits until the last attempt of this key is at
//     least the settle time (5 s) old and looks once more (see settleLeft).
//   - More statuses since the first attempt than it reads (400): it gives
//     up with a Permanent error that asks the person to look, rather than
//     risk posting twice.
//   - Another post with the same text (a daily post, the same words
//     queued twice): a status that crier already recorded as another
//     post's is passed over (p.Claimed), so each post is matched to a
//     status of its own and none is taken for sent on another's strength.
//   - A status the user deleted before Reconcile ran is not found, and
//     the post goes out again. Nothing on the account tells a deleted
//     status from one never made.
func (c *Client) Reconcile(ctx context.Context, p platforms.Post) (platforms.Published, bool, error) {
	began := c.now()
	pub, found, err := c.findOwnStatus(ctx, p)
	if err != nil || found {
		return pub, found, err
	}
	wait := c.settleLeft(p.IdempotencyKey, began)
	if wait <= 0 {
		return platforms.Published{}, false, nil
	}
	if err := c.sleep(ctx, wait); err != nil {
		return platforms.Published{}, false, &platforms.Error{Class: platforms.UnknownOutcome,
			Reason: "stopped while waiting to look again whether the post went out", Err: err}
	}
	return c.findOwnStatus(ctx, p)
}

// settleLeft is how much longer Reconcile, which began its search at
// began, must wait before it may conclude that the last attempt with key
// did not land: until that attempt is c.settle old. An attempt this client
// made is dated; one it did not make was made by another crier process, at
// a time this one cannot know (it may have been killed a moment ago while
// this one waited to take over), so the search itself is dated instead.
// Attempts this client made that never went out (refused connections and
// the like) need no wait.
func (c *Client) settleLeft(key string, began time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.attempts[key]
	switch {
	case !ok:
		return c.settle - c.now().Sub(began)
	case a.sent.IsZero():
		return 0
	}
	return c.settle - c.now().Sub(a.sent)
}

// attempt is what this client knows of its own attempts with one key.
type attempt struct {
	at   time.Time // the last attempt
	sent time.Time // the last attempt that may have reached the server
}

// noteAttempt records an attempt with key, and whether it may have reached
// the server.
func (c *Client) noteAttempt(key string, wrote bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for k, a := range c.attempts {
		if now.Sub(a.at) > time.Hour {
			delete(c.attempts, k)
		}
	}
	a := c.attempts[key]
	a.at = now
	if wrote {
		a.sent = now
	}
	c.attempts[key] = a
}

const (
	// reconcilePages bounds how far back findOwnStatus reads, 40 a page.
	reconcilePages = 10
	// reconcileLookups bounds the extra reads (source, history) for
	// statuses that match a post in all but the text.
	reconcileLookups = 10
	// clockMargin widens the search beyond the first attempt, for a Date
	// header's one-second steps and the time the request took.
	clockMargin = time.Minute
)

// sentStatus is what the server should hold for a post.
type sentStatus struct {
	text       string // comparableText of the status text sent
	visibility string
	replyTo    string
	checkReply bool
	alts       []string // comparableText of each image's alt text
}

// findOwnStatus looks for p among the account's own statuses.
func (c *Client) findOwnStatus(ctx context.Context, p platforms.Post) (platforms.Published, bool, error) {
	id, err := c.ownID(ctx)
	if err != nil {
		return platforms.Published{}, false, err
	}
	sent, err := c.statusForm(ctx, p)
	if err != nil {
		return platforms.Published{}, false, err
	}
	want := sentStatus{
		text:       comparableText(sent.Get("status")),
		visibility: sent.Get("visibility"),
		replyTo:    sent.Get("in_reply_to_id"),
		checkReply: p.Conversation == "" || p.ReplyTo != nil,
	}
	for _, im := range p.Images {
		want.alts = append(want.alts, comparableText(im.AltText))
	}
	since := c.serverTime(p.CreatedAt).Add(-clockMargin)
	lookups := 0
	q := url.Values{"limit": {"40"}, "exclude_reblogs": {"true"}}
	for page := 0; page < reconcilePages; page++ {
		var sts []status
		if _, err := c.getJSON(ctx, "/api/v1/accounts/"+url.PathEscape(id)+"/statuses", q, &sts); err != nil {
			return platforms.Published{}, false, err
		}
		for i := range sts {
			st := &sts[i]
			if st.CreatedAt.Before(since) {
				return platforms.Published{}, false, nil // newest first: the rest is older
			}
			if !want.sameShape(st) {
				continue
			}
			// Another of crier's posts with the same text made this one:
			// it is not this post's.
			if taken, err := p.ClaimedElsewhere(ctx, st.ID, "statuses"); err != nil {
				return platforms.Published{}, false, err
			} else if taken {
				continue
			}
			if want.sameText(st) {
				return published(st), true, nil
			}
			if lookups < reconcileLookups {
				lookups++
				ok, err := c.sameSource(ctx, st, want.text)
				if err != nil {
					return platforms.Published{}, false, err
				}
				if ok {
					return published(st), true, nil
				}
			}
		}
		if len(sts) == 0 {
			return platforms.Published{}, false, nil
		}
		q.Set("max_id", sts[len(sts)-1].ID)
	}
	return platforms.Published{}, false, &platforms.Error{Class: platforms.Permanent,
		Reason: fmt.Sprintf("crier cannot tell whether this post already went out: the account has more than %d posts since it was first tried; "+
			"look for it on the account, then send it again or drop it", reconcilePages*40)}
}

// sameShape compares what the server keeps as it was sent: visibility,
// reply target, and the images with their alt texts.
func (w sentStatus) sameShape(st *status) bool {
	if st.Visibility != w.visibility || (w.checkReply && st.inReplyTo() != w.replyTo) || len(st.Media) != len(w.alts) {
		return false
	}
	for i, m := range st.Media {
		desc := ""
		if m.Description != nil {
			desc = *m.Description
		}
		if comparableText(desc) != w.alts[i] {
			return false
		}
	}
	return true
}

// sameText compares the status's own text, as the server gives it.
func (w sentStatus) sameText(st *status) bool {
	if st.Text != "" && comparableText(st.Text) == w.text {
		return true
	}
	return comparableText(htmlToText(st.Content)) == w.text
}

// sameSource reads the source of st, and for an edited status its first
// version, and compares it with text. A server without these endpoints
// (404, 405, 501) is remembered and not asked again.
func (c *Client) sameSource(ctx context.Context, st *status, text string) (bool, error) {
	base := "/api/v1/statuses/" + url.PathEscape(st.ID)
	if st.EditedAt != nil && !c.noHistory.Load() {
		var versions []statusEdit
		_, err := c.getJSON(ctx, base+"/history", nil, &versions)
		switch {
		case unsupported(err):
			c.noHistory.Store(true)
		case err != nil:
			return false, err
		case len(versions) > 0:
			first := versions[0]
			for _, v := range versions[1:] {
				if v.CreatedAt.Before(first.CreatedAt) {
					first = v
				}
			}
			if comparableText(htmlToText(first.Content)) == text {
				return true, nil
			}
		}
		return false, nil // the source is the edited text
	}
	if c.noSource.Load() {
		return false, nil
	}
	var src struct {
		Text string `json:"text"`
	}
	_, err := c.getJSON(ctx, base+"/source", nil, &src)
	switch {
	case unsupported(err):
		c.noSource.Store(true)
		return false, nil
	case err != nil:
		return false, err
	}
	return src.Text != "" && comparableText(src.Text) == text, nil
}

// unsupported reports whether err is a server's way of saying it has no
// such call: 404, 405 or 501.
func unsupported(err error) bool {
	pe := asError(err)
	return pe != nil && (pe.Status == http.StatusNotFound || pe.Status == http.StatusMethodNotAllowed ||
		pe.Status == http.StatusNotImplemented)
}

// mentionDomain matches the @domain of a mention @user@domain.
var mentionDomain = regexp.MustCompile(`(^|[^\w/=@])(@\w+(?:[.-]+\w+)*)@[\w-]+(?:\.[\w-]+)+`)

// comparableText reduces text to what survives the server's rendering:
// mentions without their domain, whitespace runs as one space.
func comparableText(s string) string {
	s = mentionDomain.ReplaceAllString(s, "$1$2")
	return strings.Join(strings.Fields(s), " ")
}

// asError returns err as a *platforms.Error, or nil.
func asError(err error) *platforms.Error {
	var pe *platforms.Error
	if errors.As(err, &pe) {
		return pe
	}
	return nil
}
