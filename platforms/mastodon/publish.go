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
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crier-app/crier/platforms"
)

const (
	// defaultMaxMedia is a stock server's max_media_attachments.
	defaultMaxMedia = 4
	// defaultDescriptionLimit is the alt-text limit servers before 4.4
	// apply without saying so (MediaAttachment::MAX_DESCRIPTION_LENGTH).
	defaultDescriptionLimit = 1500
	// quotesAPIVersion is the api_versions.mastodon that brought quotes (4.5).
	quotesAPIVersion = 7

	// idempotencyWindow is how long the server keeps an Idempotency-Key;
	// resendWindow leaves a margin for clocks and slow requests.
	idempotencyWindow = time.Hour
	resendWindow      = idempotencyWindow - 5*time.Minute
)

// Limits implements platforms.Network. The answer is read once from
// GET /api/v2/instance (GET /api/v1/instance on servers before 4.0) and
// kept for the client's life: servers raise max_characters, and the
// characters a URL counts for feed Length.
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
	}
	c.mu.Lock()
	c.limits = &l
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

// Length implements platforms.Network, counting URLs as the server says
// once Limits has asked it (DefaultURLChars before).
func (c *Client) Length(text string) int {
	c.mu.Lock()
	urlChars := 0
	if c.limits != nil {
		urlChars = c.limits.CharsPerURL
	}
	c.mu.Unlock()
	return Length(text, "", urlChars)
}

// Publish implements platforms.Network: it checks the post against the
// server's limits, uploads the images (waiting for their processing), then
// creates a status carrying p.IdempotencyKey, which the server remembers
// for an hour and answers a repeat with the first status.
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
	for i, im := range p.Images {
		// Mastodon measures alt text in code points, which can exceed the
		// grapheme count Validate used.
		if n := utf8.RuneCountInString(im.AltText); l.MaxAltText > 0 && n > l.MaxAltText {
			return platforms.Published{}, &platforms.Error{Class: platforms.Permanent,
				Reason: fmt.Sprintf("image %d: alt text is %d characters, the limit is %d", i+1, n, l.MaxAltText)}
		}
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
	for i, im := range p.Images {
		id, err := c.uploadImage(ctx, im, l)
		if err != nil {
			return platforms.Published{}, fmt.Errorf("image %d: %w", i+1, err)
		}
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
	deadline := time.Now().Add(c.pollTotal)
	for {
		if time.Now().Add(pause).After(deadline) {
			return &platforms.Error{Class: platforms.Transient,
				Reason: fmt.Sprintf("media %s still processing after %s", id, c.pollTotal)}
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return &platforms.Error{Class: platforms.Transient, Reason: "cancelled while media was processing", Err: ctx.Err()}
		case <-t.C:
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

// Reconcile implements platforms.Network.
//
// Mastodon cannot look a status up by its Idempotency-Key. What it does
// offer is that a status created with a key is returned again, and nothing
// new made, when the same key comes back within an hour. So:
//
//   - While the first attempt (p.CreatedAt) is less than 55 minutes old,
//     Reconcile sends the identical request again with the same key. If the
//     earlier attempt landed, the server answers with that status; if it
//     did not, this creates it now. Either way exactly one status exists
//     afterwards and Reconcile reports it as landed. The five minutes short
//     of the hour allow for clock skew and for the time the first request
//     took: the server's hour starts when it created the status, which is
//     after p.CreatedAt.
//   - Later, the key may be forgotten and a repeat would post twice, so
//     Reconcile only looks: it reads the account's own recent statuses
//     (direct ones included: the server shows its author every status) for
//     one created after p.CreatedAt (less a minute for clock skew) with the
//     same text, the same reply target and, for a direct message, direct
//     visibility. The text is the one Publish sends, mentions of the
//     conversation's participants included. It is compared after turning
//     the server's HTML back into text and ignoring whitespace and the
//     @domain of mentions, which the server's rendering drops. A direct
//     message sent without p.ReplyTo answered whatever was then the
//     conversation's last status, which cannot be known now: its reply
//     target is not compared.
func (c *Client) Reconcile(ctx context.Context, p platforms.Post) (platforms.Published, bool, error) {
	if !p.CreatedAt.IsZero() && c.now().Sub(p.CreatedAt) < resendWindow {
		pub, err := c.Publish(ctx, p)
		if err != nil {
			return platforms.Published{}, false, err
		}
		return pub, true, nil
	}
	return c.findOwnStatus(ctx, p)
}

// reconcilePages bounds how far back findOwnStatus reads (40 a page).
const reconcilePages = 5

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
	since := p.CreatedAt.Add(-time.Minute)
	want := comparableText(sent.Get("status"))
	direct := p.Conversation != ""
	wantReply, checkReply := sent.Get("in_reply_to_id"), !direct || p.ReplyTo != nil
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
			if (st.Visibility == "direct") != direct || (checkReply && st.inReplyTo() != wantReply) ||
				comparableText(htmlToText(st.Content)) != want {
				continue
			}
			return published(st), true, nil
		}
		if len(sts) == 0 {
			break
		}
		q.Set("max_id", sts[len(sts)-1].ID)
	}
	return platforms.Published{}, false, nil
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
