package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/money"
)

// CSVHeader are the columns of the posts CSV: one line per copy of a post
// sent to one account, as Buffer's posts report lists them, with what its
// links brought in.
var CSVHeader = []string{"Date", "Time", "Network", "Account", "Post", "Post URL", "Campaign", "Likes", "Reposts",
	"Replies", "Quotes", "Engagement", "Link clicks", "Sessions", "Conversions", "Revenue", "Currency"}

// spreadsheetSafe keeps a cell a spreadsheet would read as a formula
// (=, +, -, @ first) as text.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes the posts and their numbers. Dates and times are in the
// report's zone; numbers are plain (a point before decimals, no thousands
// marks).
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	record := make([]string, len(CSVHeader))
	var at []byte
	for i := range r.Posts {
		p := &r.Posts[i]
		// One string for the date and the time, cut in two.
		at = p.SentAt.In(r.Zone).AppendFormat(at[:0], "2006-01-02 15:04")
		when := string(at)
		rev, cur := "", ""
		switch a, one := p.Links.Revenue.Single(); {
		case one:
			rev, cur = a.Plain(), a.Currency
		case len(p.Links.Revenue) > 1:
			parts := make([]string, len(p.Links.Revenue))
			for i, x := range p.Links.Revenue {
				parts[i] = x.Plain() + " " + x.Currency
			}
			rev = strings.Join(parts, " + ")
		}
		record = append(record[:0], when[:len(when)-6], when[len(when)-5:], analytics.NetworkName(p.Platform),
			spreadsheetSafe(p.Handle), spreadsheetSafe(p.Text), p.URL, r.CampaignSlugs[p.CampaignID],
			strconv.Itoa(p.Metrics.Likes), strconv.Itoa(p.Metrics.Reposts), strconv.Itoa(p.Metrics.Replies),
			strconv.Itoa(p.Metrics.Quotes), strconv.Itoa(p.Metrics.Engagement()),
			strconv.FormatInt(p.Links.Clicks, 10), strconv.FormatInt(p.Links.Sessions, 10),
			plainMilli(p.Links.Conversions), rev, cur)
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// plainMilli writes thousandths as a plain decimal ("2.5", "12").
func plainMilli(v int64) string {
	if v%1000 == 0 {
		return strconv.FormatInt(v/1000, 10)
	}
	s := money.FormatMinor(v, 3, false)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
