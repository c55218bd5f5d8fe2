package mastodon

import (
	"time"

	"github.com/crier-app/crier/platforms"
)

// The structs below hold the parts of Mastodon's entities crier reads
// (docs.joinmastodon.org/entities). Fields a server may leave out are
// pointers or default to their zero value.

// account is an Account.
type account struct {
	ID             string `json:"id"`
	Username       string `json:"username"`
	Acct           string `json:"acct"` // user, or user@domain for a remote account
	DisplayName    string `json:"display_name"`
	URL            string `json:"url"`
	FollowersCount *int   `json:"followers_count"`
	FollowingCount *int   `json:"following_count"`
	StatusesCount  *int   `json:"statuses_count"`
}

func (a account) author() platforms.Author {
	return platforms.Author{ID: a.ID, Handle: a.Acct, Name: a.DisplayName, Followers: platforms.CountOr(a.FollowersCount, -1)}
}

// status is a Status.
type status struct {
	ID                 string    `json:"id"`
	CreatedAt          time.Time `json:"created_at"`
	InReplyToID        *string   `json:"in_reply_to_id"`
	InReplyToAccountID *string   `json:"in_reply_to_account_id"`
	SpoilerText        string    `json:"spoiler_text"`
	Visibility         string    `json:"visibility"`
	URL                *string   `json:"url"`
	URI                string    `json:"uri"`
	Content            string    `json:"content"`
	Account            account   `json:"account"`
	RepliesCount       int       `json:"replies_count"`
	ReblogsCount       int       `json:"reblogs_count"`
	FavouritesCount    int       `json:"favourites_count"`
	QuotesCount        int       `json:"quotes_count"` // 4.5 and later; absent is 0
	Quote              *quote    `json:"quote"`
	// Text is the status's source text; GoToSocial sends it to the author.
	Text     string            `json:"text"`
	EditedAt *time.Time        `json:"edited_at"`
	Media    []mediaAttachment `json:"media_attachments"`
}

// statusEdit is a StatusEdit: one version of an edited status.
type statusEdit struct {
	Content   string    `json:"content"`
	CreatedAt time.Time `json:"created_at"`
}

// inReplyTo is the id of the status s answers, or "".
func (s *status) inReplyTo() string {
	if s.InReplyToID == nil {
		return ""
	}
	return *s.InReplyToID
}

// quote is a Status's quote: a Quote ({state, quoted_status}) or a
// ShallowQuote ({state, quoted_status_id}).
type quote struct {
	State          string  `json:"state"`
	QuotedStatus   *status `json:"quoted_status"`
	QuotedStatusID *string `json:"quoted_status_id"`
}

// quotedID is the id of the status s quotes, or "".
func (s *status) quotedID() string {
	switch {
	case s == nil || s.Quote == nil:
		return ""
	case s.Quote.QuotedStatus != nil:
		return s.Quote.QuotedStatus.ID
	case s.Quote.QuotedStatusID != nil:
		return *s.Quote.QuotedStatusID
	}
	return ""
}

// link is the status's web address: url, or uri for servers that leave
// url out.
func (s *status) link() string {
	if s.URL != nil && *s.URL != "" {
		return *s.URL
	}
	return s.URI
}

// text is the status as plain text, its content warning first.
func (s *status) text() string {
	body := htmlToText(s.Content)
	if s.SpoilerText != "" {
		return "CW: " + s.SpoilerText + "\n\n" + body
	}
	return body
}

// remotePost converts s for crier.
func (s *status) remotePost() *platforms.RemotePost {
	p := &platforms.RemotePost{
		Ref:       platforms.Ref{ID: s.ID},
		URL:       s.link(),
		Text:      s.text(),
		Author:    s.Account.author(),
		CreatedAt: s.CreatedAt,
	}
	if s.InReplyToID != nil && *s.InReplyToID != "" {
		p.ReplyTo = &platforms.Ref{ID: *s.InReplyToID}
	}
	return p
}

// mediaAttachment is a MediaAttachment (or a ProcessingMediaAttachment,
// whose url is null).
type mediaAttachment struct {
	ID          string  `json:"id"`
	URL         *string `json:"url"`
	Description *string `json:"description"`
}

// notification is a Notification.
type notification struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	CreatedAt time.Time `json:"created_at"`
	Account   account   `json:"account"`
	Status    *status   `json:"status"`
}

// conversation is a Conversation.
type conversation struct {
	ID         string    `json:"id"`
	Accounts   []account `json:"accounts"`
	LastStatus *status   `json:"last_status"`
}

// instance is the part of an Instance (v2, or v1 on older servers) that
// says what a status may hold.
type instance struct {
	Domain        string `json:"domain"` // v2: the account domain
	URI           string `json:"uri"`    // v1: the same
	Version       string `json:"version"`
	SourceURL     string `json:"source_url"` // v2 only
	Configuration struct {
		Statuses struct {
			MaxCharacters            int `json:"max_characters"`
			MaxMediaAttachments      int `json:"max_media_attachments"`
			CharactersReservedPerURL int `json:"characters_reserved_per_url"`
		} `json:"statuses"`
		MediaAttachments struct {
			SupportedMimeTypes []string `json:"supported_mime_types"`
			ImageSizeLimit     int64    `json:"image_size_limit"`
			ImageMatrixLimit   int64    `json:"image_matrix_limit"` // pixels
			DescriptionLimit   int      `json:"description_limit"`  // 4.4 and later
		} `json:"media_attachments"`
	} `json:"configuration"`
	APIVersions struct {
		Mastodon int `json:"mastodon"`
	} `json:"api_versions"`
}
