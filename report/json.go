package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
)

// The JSON report. Every field is snake_case; a figure no source reported,
// or one that cannot be computed, is null (never 0), and the figure's
// "not_available" entry says why. Money is a list of amounts, one per
// currency, never added across currencies. Conversions may have
// fractions (ad platforms report parts of one).

// JSONReport is the whole file.
type JSONReport struct {
	Title       string        `json:"title"`
	GeneratedAt time.Time     `json:"generated_at"` // RFC 3339
	TimeZone    string        `json:"time_zone"`    // the zone of every date and day
	From        string        `json:"from"`         // first day, YYYY-MM-DD
	To          string        `json:"to"`           // last day, included
	Campaign    *JSONCampaign `json:"campaign"`     // null for a report over a span of days
	Figures     JSONFigures   `json:"figures"`
	Networks    []JSONNetwork `json:"networks"` // figures per source (network)
	Days        []JSONDay     `json:"days"`     // every day of the span
	Goals       []JSONGoal    `json:"goals"`
	Links       []JSONLink    `json:"links"` // a campaign's contents (links, variants, ads); empty for a span and for some of a campaign's days (they are kept for the whole campaign)
	Posts       []JSONPost    `json:"posts"` // every copy sent in the span, oldest first
	Social      JSONSocial    `json:"social"`
}

// JSONCampaign is the campaign a report is about.
type JSONCampaign struct {
	ID       int64       `json:"id"`
	Name     string      `json:"name"`
	Slug     string      `json:"slug"` // its utm_campaign
	StartsOn string      `json:"starts_on,omitempty"`
	EndsOn   string      `json:"ends_on,omitempty"`
	State    string      `json:"state"` // planned, running or ended
	Budget   *JSONAmount `json:"budget"`
	Spent    *float64    `json:"budget_spent"` // share of the budget spent, in its currency, over the whole campaign
	Goal     string      `json:"goal,omitempty"`
	Audience string      `json:"audience,omitempty"`
}

// JSONAmount is money in one currency.
type JSONAmount struct {
	Currency string `json:"currency"` // ISO 4217
	Amount   string `json:"amount"`   // decimal, a point before the decimals: "1234.56"
	Minor    int64  `json:"minor"`    // in minor units (cents): 123456
}

// JSONFigures are the figures of a campaign, a network or a span.
type JSONFigures struct {
	Impressions       *int64            `json:"impressions"`
	LinkClicks        *int64            `json:"link_clicks"`
	Sessions          *int64            `json:"sessions"`
	Conversions       *float64          `json:"conversions"`
	Revenue           []JSONAmount      `json:"revenue"`
	Spend             []JSONAmount      `json:"spend"`
	CTR               *float64          `json:"ctr"`                 // link clicks / impressions, where impressions are known
	ClicksPerFollower *float64          `json:"clicks_per_follower"` // clicks from Mastodon and Bluesky / their followers
	ConversionRate    *float64          `json:"conversion_rate"`
	ConversionBasis   string            `json:"conversion_basis,omitempty"` // "sessions" or "clicks": what the rate divides by
	CPC               *JSONAmount       `json:"cpc"`                        // spend per link click
	CPA               *JSONAmount       `json:"cpa"`                        // spend per conversion
	ROAS              *float64          `json:"roas"`                       // revenue / spend
	ROI               *float64          `json:"roi"`                        // (revenue - spend) / spend
	NotAvailable      map[string]string `json:"not_available,omitempty"`    // figure → why it is null
}

// JSONNetwork is one source's figures.
type JSONNetwork struct {
	Source  string      `json:"source"`
	Figures JSONFigures `json:"figures"`
}

// JSONDay is one day of the chart.
type JSONDay struct {
	Date       string `json:"date"`
	LinkClicks int64  `json:"link_clicks"`
	JSONResults
}

// JSONResults are what a day or a link brought in and what it cost (the
// last fields of each).
type JSONResults struct {
	Conversions float64      `json:"conversions"`
	Revenue     []JSONAmount `json:"revenue"`
	Spend       []JSONAmount `json:"spend"`
}

func jsonResults(conversions int64, revenue, spend money.Sums) JSONResults {
	return JSONResults{Conversions: float64(conversions) / 1000, Revenue: amounts(revenue), Spend: amounts(spend)}
}

// JSONGoal is a goal as measured when the report was made.
type JSONGoal struct {
	ID          int64    `json:"id"`
	Metric      string   `json:"metric"`
	Kind        string   `json:"kind"` // absolute or relative
	Description string   `json:"description"`
	StartsOn    string   `json:"starts_on"`
	Deadline    string   `json:"deadline"`
	State       string   `json:"state"` // not started, no data, reached, on track, behind, missed
	Current     *float64 `json:"current"`
	Baseline    *float64 `json:"baseline"`
	Target      *float64 `json:"target"`
	Progress    float64  `json:"progress"` // 0 at the start (or baseline), 1 at the target
	Projected   *float64 `json:"projected"`
	ReachOn     *string  `json:"reach_on"`           // the day the trend reaches the target; null when it does not
	Currency    string   `json:"currency,omitempty"` // money metrics: the values' currency
	Note        string   `json:"note,omitempty"`
}

// JSONLink is one content of a campaign: what each source reported for it.
type JSONLink struct {
	Source      string   `json:"source"`
	Content     string   `json:"content"` // utm_content, or the ad's name
	PostID      *int64   `json:"post_id"`
	URLs        []string `json:"urls"` // the tagged links that went out with it
	Impressions *int64   `json:"impressions"`
	LinkClicks  *int64   `json:"link_clicks"` // null where no source reported them (as sessions)
	Sessions    *int64   `json:"sessions"`    // null where no source reported them (an ad's)
	JSONResults
	// Counted says, for each metric reported for the link (impressions,
	// link_clicks, sessions, conversions, revenue, spend), whether the
	// figures count its number: "counted", "another source counts
	// instead" (where two kinds of source report a network's metric, one
	// counts) or "counted on some days".
	Counted map[string]string `json:"counted"`
}

// JSONPost is one copy of a post sent to one account.
type JSONPost struct {
	PostID      int64        `json:"post_id"`
	Network     string       `json:"network"`
	Account     string       `json:"account"`
	SentAt      time.Time    `json:"sent_at"`
	Text        string       `json:"text"`
	URL         string       `json:"url"`
	Campaign    string       `json:"campaign,omitempty"` // its slug
	Likes       int          `json:"likes"`
	Reposts     int          `json:"reposts"`
	Replies     int          `json:"replies"`
	Quotes      int          `json:"quotes"`
	Engagement  int          `json:"engagement"`
	LinkClicks  int64        `json:"link_clicks"` // what its links brought in on this network
	Sessions    int64        `json:"sessions"`
	Conversions float64      `json:"conversions"`
	Revenue     []JSONAmount `json:"revenue"`
}

// JSONSocial is the accounts' side of the span.
type JSONSocial struct {
	PostsSent      int    `json:"posts_sent"`
	Engagement     int    `json:"engagement"`
	FollowersStart *int64 `json:"followers_start"`
	FollowersEnd   *int64 `json:"followers_end"`
}

func amounts(s money.Sums) []JSONAmount {
	out := make([]JSONAmount, 0, len(s))
	for _, a := range s {
		out = append(out, JSONAmount{Currency: a.Currency, Amount: a.Plain(), Minor: a.Minor})
	}
	return out
}

// known is v when it is known, else nil (JSON's null).
func known[T any](ok bool, v T) *T {
	if !ok {
		return nil
	}
	return &v
}

func num(n store.Num) *int64 { return known(n.OK, n.V) }

func milli(n store.Num) *float64 { return known(n.OK, float64(n.V)/1000) }

func value(v analytics.Value) *float64 { return known(v.OK, v.V) }

func ratio(r analytics.Ratio, name string, na map[string]string) *float64 {
	if !r.OK {
		na[name] = r.Why
	}
	return known(r.OK, r.Value)
}

func moneyRatio(r analytics.Ratio, name string, na map[string]string) *JSONAmount {
	if !r.OK {
		na[name] = r.Why
		return nil
	}
	minor := r.Value
	for range money.Decimals(r.Currency) {
		minor *= 10
	}
	a := money.Amount{Currency: r.Currency, Minor: int64(minor + 0.5)}
	return &JSONAmount{Currency: a.Currency, Amount: a.Plain(), Minor: a.Minor}
}

func jsonFigures(f analytics.Figures) JSONFigures {
	na := map[string]string{}
	j := JSONFigures{
		Impressions: num(f.Impressions), LinkClicks: num(f.LinkClicks), Sessions: num(f.Sessions),
		Conversions: milli(f.Conversions), Revenue: amounts(f.Revenue), Spend: amounts(f.Spend),
		CTR: ratio(f.CTR, "ctr", na), ClicksPerFollower: ratio(f.ClicksPerFollower, "clicks_per_follower", na),
		ConversionRate: ratio(f.ConversionRate, "conversion_rate", na), ConversionBasis: f.ConversionBasis,
		CPC: moneyRatio(f.CPC, "cpc", na), CPA: moneyRatio(f.CPA, "cpa", na),
		ROAS: ratio(f.ROAS, "roas", na), ROI: ratio(f.ROI, "roi", na),
	}
	if len(na) > 0 {
		j.NotAvailable = na
	}
	return j
}

// JSON is the report as its JSON document.
func (r *Report) JSON() JSONReport {
	j := r.jsonHead()
	j.Posts = make([]JSONPost, 0, len(r.Posts))
	for i := range r.Posts {
		j.Posts = append(j.Posts, r.jsonPost(&r.Posts[i]))
	}
	return j
}

// jsonHead is the document without its posts.
func (r *Report) jsonHead() JSONReport {
	j := JSONReport{Title: r.Title, GeneratedAt: r.Generated.In(r.Zone), TimeZone: r.Zone.String(), From: r.From.String(),
		To: r.To.String(), Figures: jsonFigures(r.Figures), Networks: []JSONNetwork{}, Days: []JSONDay{}, Goals: []JSONGoal{},
		Links: []JSONLink{}, Posts: []JSONPost{},
		Social: JSONSocial{PostsSent: len(r.Posts), Engagement: r.Engagement, FollowersStart: num(r.FollowersStart),
			FollowersEnd: num(r.FollowersEnd)}}
	if c := r.Campaign; c != nil {
		jc := &JSONCampaign{ID: c.ID, Name: c.Name, Slug: c.Slug, StartsOn: c.StartsOn, EndsOn: c.EndsOn, State: string(r.State),
			Goal: c.Goal, Audience: c.Audience}
		if c.BudgetCents > 0 {
			b := c.Budget()
			jc.Budget = &JSONAmount{Currency: b.Currency, Amount: b.Plain(), Minor: b.Minor}
			jc.Spent = ratio(r.Budget, "budget_spent", map[string]string{})
		}
		j.Campaign = jc
	}
	for _, n := range r.Networks {
		j.Networks = append(j.Networks, JSONNetwork{Source: n.Source, Figures: jsonFigures(n.Figures)})
	}
	for _, d := range r.Days {
		j.Days = append(j.Days, JSONDay{Date: d.Day.String(), LinkClicks: d.Clicks,
			JSONResults: jsonResults(d.Conversions, d.Revenue, d.Spend)})
	}
	for _, g := range r.Goals {
		kind := "absolute"
		if g.Goal.Relative {
			kind = "relative"
		}
		jg := JSONGoal{ID: g.Goal.ID, Metric: string(g.Goal.Metric), Kind: kind, Description: analytics.Describe(g.Goal),
			StartsOn: g.Goal.StartsOn.String(), Deadline: g.Goal.Deadline.String(), State: string(g.State),
			Current: value(g.Current), Baseline: value(g.Baseline), Target: value(g.Target), Progress: g.Progress,
			Projected: value(g.Projected), Currency: g.Current.Currency, Note: g.Why}
		if g.ReachOn != 0 {
			s := g.ReachOn.String()
			jg.ReachOn = &s
		}
		j.Goals = append(j.Goals, jg)
	}
	for _, l := range r.Links {
		jl := JSONLink{Source: l.Source, Content: l.Content, URLs: []string{}, LinkClicks: num(l.ClicksNum()), Sessions: num(l.SessionsNum()),
			JSONResults: jsonResults(l.Conversions, l.Revenue, l.Spend)}
		jl.PostID, jl.Impressions = known(l.PostID != 0, l.PostID), num(l.ImpressionsNum())
		jl.Counted = map[string]string{}
		for k, c := range map[string]analytics.Counting{"impressions": l.Counted.Impressions, "link_clicks": l.Counted.Clicks,
			"sessions": l.Counted.Sessions, "conversions": l.Counted.Conversions, "revenue": l.Counted.Revenue,
			"spend": l.Counted.Spend} {
			if c != analytics.NotReported {
				jl.Counted[k] = c.String()
			}
		}
		for _, t := range l.Links {
			jl.URLs = append(jl.URLs, t.Tagged)
		}
		j.Links = append(j.Links, jl)
	}
	return j
}

// jsonPost is one copy as the JSON lists it.
func (r *Report) jsonPost(p *store.PostNumbers) JSONPost {
	return JSONPost{PostID: p.PostID, Network: p.Platform, Account: p.Handle, SentAt: p.SentAt.In(r.Zone),
		Text: p.Text, URL: p.URL, Campaign: r.CampaignSlugs[p.CampaignID], Likes: p.Metrics.Likes,
		Reposts: p.Metrics.Reposts, Replies: p.Metrics.Replies, Quotes: p.Metrics.Quotes,
		Engagement: p.Metrics.Engagement(), LinkClicks: p.Links.Clicks, Sessions: p.Links.Sessions,
		Conversions: float64(p.Links.Conversions) / 1000, Revenue: amounts(p.Links.Revenue)}
}

// WriteJSON writes the report as indented JSON, byte for byte what an
// encoding/json Encoder indenting by two spaces writes for r.JSON(), in
// one pass: the posts (a year's are tens of thousands) are written one by
// one as they are turned into JSON, never held as one document that is
// then indented again. The rest, a few hundred lines, is encoding/json's.
func (r *Report) WriteJSON(w io.Writer) error {
	head := reflect.ValueOf(r.jsonHead())
	fields := head.Type()
	b := make([]byte, 0, 64<<10)
	b = append(b, "{\n"...)
	for i := range fields.NumField() {
		f := fields.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if opts != "" {
			return fmt.Errorf("report: JSONReport.%s: the JSON writer knows no %q", f.Name, opts)
		}
		b = append(b, "  "...)
		b = appendJSONString(b, name)
		b = append(b, ": "...)
		if f.Name == "Posts" {
			var err error
			if b, err = r.appendJSONPosts(w, b); err != nil {
				return err
			}
		} else {
			v, err := json.MarshalIndent(head.Field(i).Interface(), "  ", "  ")
			if err != nil {
				return err
			}
			b = append(b, v...)
		}
		if i < fields.NumField()-1 {
			b = append(b, ',')
		}
		b = append(b, '\n')
	}
	b = append(b, "}\n"...)
	_, err := w.Write(b)
	return err
}

// appendJSONPosts writes the posts' array at the document's second level
// into b, handing b to w whenever it fills.
func (r *Report) appendJSONPosts(w io.Writer, b []byte) ([]byte, error) {
	if len(r.Posts) == 0 {
		return append(b, "[]"...), nil
	}
	b = append(b, '[')
	for i := range r.Posts {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendJSONPost(b, r.jsonPost(&r.Posts[i])); err != nil {
			return b, err
		}
		if len(b) >= 60<<10 {
			if _, err := w.Write(b); err != nil {
				return b, err
			}
			b = b[:0]
		}
	}
	return append(b, "\n  ]"...), nil
}

// appendJSONPost writes one post, an element of the posts' array, as
// encoding/json would at that depth (its fields in JSONPost's order).
func appendJSONPost(b []byte, p JSONPost) ([]byte, error) {
	const field = ",\n      \""
	b = append(b, "\n    {\n      \"post_id\": "...)
	b = strconv.AppendInt(b, p.PostID, 10)
	b = appendJSONString(append(b, field+`network": `...), p.Network)
	b = appendJSONString(append(b, field+`account": `...), p.Account)
	b = append(b, field+`sent_at": "`...)
	b, err := p.SentAt.AppendText(b)
	if err != nil {
		return b, fmt.Errorf("report: post %d: %w", p.PostID, err)
	}
	b = append(b, '"')
	b = appendJSONString(append(b, field+`text": `...), p.Text)
	b = appendJSONString(append(b, field+`url": `...), p.URL)
	if p.Campaign != "" {
		b = appendJSONString(append(b, field+`campaign": `...), p.Campaign)
	}
	b = strconv.AppendInt(append(b, field+`likes": `...), int64(p.Likes), 10)
	b = strconv.AppendInt(append(b, field+`reposts": `...), int64(p.Reposts), 10)
	b = strconv.AppendInt(append(b, field+`replies": `...), int64(p.Replies), 10)
	b = strconv.AppendInt(append(b, field+`quotes": `...), int64(p.Quotes), 10)
	b = strconv.AppendInt(append(b, field+`engagement": `...), int64(p.Engagement), 10)
	b = strconv.AppendInt(append(b, field+`link_clicks": `...), p.LinkClicks, 10)
	b = strconv.AppendInt(append(b, field+`sessions": `...), p.Sessions, 10)
	if b, err = appendJSONFloat(append(b, field+`conversions": `...), p.Conversions); err != nil {
		return b, err
	}
	b = append(b, field+`revenue": `...)
	if len(p.Revenue) == 0 {
		b = append(b, "[]"...)
	} else {
		b = append(b, '[')
		for i, a := range p.Revenue {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(append(b, "\n        {\n          \"currency\": "...), a.Currency)
			b = appendJSONString(append(b, ",\n          \"amount\": "...), a.Amount)
			b = strconv.AppendInt(append(b, ",\n          \"minor\": "...), a.Minor, 10)
			b = append(b, "\n        }"...)
		}
		b = append(b, "\n      ]"...)
	}
	return append(b, "\n    }"...), nil
}

// appendJSONString writes s as a JSON string as encoding/json does: <, >
// and & escaped (the file may be pasted into a page), other control
// characters as \u00XX but for \b \f \n \r \t, bytes that are not UTF-8
// as U+FFFD, and U+2028 and U+2029 escaped (JSONP breaks on them).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

// appendJSONFloat writes a number as encoding/json does: as ES6 turns a
// number into text, the shortest that reads back the same, with an
// exponent only below 1e-6 or from 1e21.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, fmt.Errorf("report: %v is not a JSON number", f)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-07, as strconv writes it, is e-7
		b = b[:n-1]
	}
	return b, nil
}
