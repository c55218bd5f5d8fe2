package analytics

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crier-app/crier/analytics/utm"
	"github.com/crier-app/crier/store"
)

// Copy says how one account's copy of a post tags its links: the text it
// goes out with is FinalText's, wherever that text is needed (the
// composer's preview and counters, the scheduler's send, the command
// line), so what is shown, counted, sent and recorded is one text.
type Copy struct {
	PostID     int64  // 0 for a post not saved yet
	AccountID  int64  //
	Network    string // the account's platform: utm_source
	CampaignID int64  // 0 for none
	Slug       string // the campaign's slug: utm_campaign; "" for none
	// Content is utm_content: the post ("post-12"), the account's own
	// text of it ("post-12-a3") or the A/B variant it is ("ab3-b").
	Content string
}

// Tagged reports whether the copy's links are tagged at all: a post in a
// campaign, or an A/B test's post (whose variant's utm_content tells its
// clicks apart, with or without a campaign).
func (c Copy) Tagged() bool { return c.Slug != "" || c.variant() }

// variant reports whether Content names an A/B variant rather than a post.
func (c Copy) variant() bool { return c.Content != "" && store.PostOfContent(c.Content) == 0 }

// Tags are the parameters the copy's links get.
func (c Copy) Tags() utm.Tags {
	return utm.Tags{Source: c.Network, Medium: utm.MediumSocial, Campaign: c.Slug, Content: c.Content}
}

// NewCopy is the copy of a post on an account, for a post in the campaign
// with slug (or none), with the account's own text or not, or an A/B
// variant's post (variant its utm_content, "" for none).
func NewCopy(postID, accountID int64, network string, campaignID int64, slug string, ownText bool, variant string) Copy {
	c := Copy{PostID: postID, AccountID: accountID, Network: network, CampaignID: campaignID, Slug: slug, Content: variant}
	if c.Content == "" && (slug != "" || campaignID != 0) {
		c.Content = store.PostContent(postID, accountID, ownText)
	}
	return c
}

// CopyOf reads from the store what decides how a saved post's copy on an
// account is tagged: the post's campaign and its slug, whether the account
// has a text of its own, and the A/B variant the post is.
func CopyOf(ctx context.Context, st *store.Store, postID, accountID int64, network string) (Copy, error) {
	p, err := st.Post(ctx, postID)
	if err != nil {
		return Copy{}, fmt.Errorf("post %d: %w", postID, err)
	}
	own := false
	for _, t := range p.Targets {
		if t.AccountID == accountID && t.HasOverride {
			own = true
		}
	}
	slug := ""
	if p.CampaignID != 0 {
		camp, err := st.Campaign(ctx, p.CampaignID)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return Copy{}, fmt.Errorf("post %d: its campaign %d: %w", postID, p.CampaignID, err)
		default:
			slug = camp.Slug
		}
	}
	variant := ""
	if v, ok, err := st.ABVariantOfPost(ctx, postID); err != nil {
		return Copy{}, fmt.Errorf("post %d: its A/B variant: %w", postID, err)
	} else if ok {
		variant = v.UTMContent
	}
	return NewCopy(postID, accountID, network, p.CampaignID, slug, own, variant), nil
}

// FinalText is the text a copy goes out with: body with its links to the
// business's domains (tagger's; nil for none) tagged as the copy says, and
// the links found in it. A copy that is not tagged goes out as written.
// earlier are the links recorded when the copy was tried before
// (store.PostTaggedLinks; any account's are ignored but this one's): they
// go out as they did then, so a retry sends the same text.
func FinalText(tagger *utm.Tagger, body string, c Copy, earlier []store.TaggedLink) (string, []utm.Link) {
	if !c.Tagged() {
		tagger = nil
	}
	var was map[string]string
	for _, l := range earlier {
		if l.AccountID == c.AccountID && (c.PostID == 0 || l.PostID == c.PostID) {
			if was == nil {
				was = map[string]string{}
			}
			was[l.URL] = l.Tagged
		}
	}
	return tagger.TagTextKeeping(body, c.Tags(), was)
}

// TaggedLinks are the rows that keep a copy's tagged links (for
// store.RecordTaggedLinks), so a click that comes back can be traced to the
// post: the links FinalText changed.
func (c Copy) TaggedLinks(links []utm.Link, at time.Time) []store.TaggedLink {
	var out []store.TaggedLink
	seen := map[string]bool{}
	for _, l := range links {
		if !l.Tagged || seen[l.Original] {
			continue
		}
		seen[l.Original] = true
		out = append(out, store.TaggedLink{PostID: c.PostID, AccountID: c.AccountID, URL: l.Original, Tagged: l.Final,
			CampaignID: c.CampaignID, Source: strings.ToLower(c.Network), Content: c.Content, CreatedAt: at})
	}
	return out
}
