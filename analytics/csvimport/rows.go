package csvimport

import (
	"errors"
	"fmt"
	"strings"

	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
)

// isTotals reports a line that adds up the others (Google Ads' "Total:
// Account", "Total: Campaigns", French "Total : compte", German "Gesamt:
// Konto", ...): its first cell is the word, alone or before a colon. A
// campaign whose name begins with the word ("Total Wellness Week") is a
// campaign.
func (l *layout) isTotals(rec []string) bool {
	if !l.totalsFirstCell {
		return false
	}
	for _, c := range rec {
		if c = strings.TrimSpace(c); c != "" {
			return isTotalsCell(c)
		}
	}
	return false
}

// isTotalsCell reports a cell that says its line adds up the others:
// "Total", "Total: Account", "Grand total", "Gesamt: Konto", "Summe".
func isTotalsCell(c string) bool {
	word, _, _ := strings.Cut(c, ":")
	return totalsWords[strings.Join(strings.Fields(strings.ToLower(word)), " ")]
}

// totalsWords are the words that begin a totals line, in the languages
// whose column names the presets read.
var totalsWords = map[string]bool{"total": true, "totals": true, "grand total": true, "sum": true, "gesamt": true,
	"insgesamt": true, "summe": true, "gesamtsumme": true, "totaal": true, "totale": true, "total general": true}

// notSet are the values exports write for a dimension that has none.
var notSet = map[string]bool{"(not set)": true, "(none)": true, "(direct)": true, "(organic)": true, "(referral)": true,
	"(not provided)": true, "--": true, "-": true}

// notReported are the values exports write for a metric that does not
// apply to a line: not reported, unlike an empty cell, which is 0.
var notReported = map[string]bool{"--": true, " --": true, "-": true, "—": true, "n/a": true, "N/A": true, "NA": true}

// conversionIndicators are the Meta result indicators whose results are
// conversions (purchases, leads, sign-ups), not clicks or views.
var conversionIndicators = []string{"purchase", "lead", "registration", "conversion", "subscribe", "schedule",
	"submit_application", "contact", "donate", "start_trial", "add_payment_info", "checkout"}

// converter turns a file's lines into rows.
type converter struct {
	file     string
	l        *layout
	dates    dateParser
	decimal  rune
	currency string // the options' default
	warned   map[string]bool
	p        *Preview
}

func newConverter(p *Preview) *converter {
	return &converter{file: p.Name, l: p.layout, dates: dateParser{order: p.DateOrder, zone: p.opts.Zone},
		decimal: p.Decimal, currency: p.opts.Currency, warned: map[string]bool{}, p: p}
}

func (c *converter) fail(line int, col int, value, msg string) *LineError {
	e := &LineError{File: c.file, Line: line, Col: col + 1, Value: value, Msg: msg}
	if col >= 0 && col < len(c.l.header) {
		e.Column = c.l.header[col]
	}
	return e
}

func (c *converter) warn(msg string) {
	if !c.warned[msg] && c.p != nil {
		c.warned[msg] = true
		c.p.Warnings = append(c.p.Warnings, msg)
	}
}

// text is a name the line gives (campaign, source, content), on one line
// (store.OneLineName).
func (c *converter) text(rec []string, f Field) string {
	if i, ok := c.l.col[f]; ok {
		v := store.OneLineName(rec[i])
		if notSet[v] {
			return ""
		}
		return v
	}
	return ""
}

// row reads one line. It returns why a line is skipped (a totals line), or
// the error naming the line and column.
func (c *converter) row(rec []string, line int) (store.MarketingRow, string, *LineError) {
	l := c.l
	r := store.MarketingRow{Line: line}
	if l.isTotals(rec) {
		return r, "a totals line", nil
	}
	r.Campaign = c.text(rec, FieldCampaign)
	r.Content = c.text(rec, FieldContent)
	// The day.
	switch {
	case l.has(FieldDate):
		i := l.col[FieldDate]
		v := strings.TrimSpace(rec[i])
		if v == "" && r.Campaign == "" && r.Content == "" && c.text(rec, FieldSource) == "" {
			return r, "a totals line (no date and no campaign)", nil
		}
		if isTotalsCell(v) { // a sheet's sums at its foot: never a date
			return r, "a totals line", nil
		}
		d, err := c.dates.parse(v)
		if errors.Is(err, errAmbiguousDate) {
			return r, "", c.fail(line, i, v, "could be day/month or month/day: choose the order")
		}
		if err != nil {
			return r, "", c.fail(line, i, v, err.Error())
		}
		r.Day = d
	case l.reportStart >= 0:
		start := strings.TrimSpace(rec[l.reportStart])
		end := start
		if l.reportEnd >= 0 {
			end = strings.TrimSpace(rec[l.reportEnd])
		}
		if start == "" && r.Campaign == "" {
			return r, "a summary line (no date and no campaign)", nil
		}
		d, err := c.dates.parse(start)
		if err != nil {
			return r, "", c.fail(line, l.reportStart, start, err.Error())
		}
		if end != start {
			e, err := c.dates.parse(end)
			if err != nil {
				return r, "", c.fail(line, l.reportEnd, end, err.Error())
			}
			if e != d {
				return r, "", c.fail(line, l.reportStart, "",
					fmt.Sprintf("covers %s to %s: export it broken down by day (Breakdown → By time → Day)", d, e))
			}
		}
		r.Day = d
	}
	// The source.
	switch {
	case l.has(FieldSource):
		r.Source = c.text(rec, FieldSource)
		if l.sourceMedium {
			r.Source, _, _ = strings.Cut(r.Source, " / ")
		}
		if r.Source == "" && l.sourceFallback >= 0 {
			if v := store.OneLineName(rec[l.sourceFallback]); !notSet[v] {
				r.Source = v
			}
		}
	}
	if r.Source == "" {
		r.Source = l.fixedSource
	}
	if l.socialOnly && r.Campaign == "" && r.Content == "" && c.text(rec, FieldSource) == "" && !store.IsSocialSource(r.Source) {
		return r, "not from social: untagged, from " + r.Source, nil
	}
	// Counts.
	var err *LineError
	if r.Impressions, err = c.count(rec, line, FieldImpressions); err != nil {
		return r, "", err
	}
	if r.Clicks, err = c.count(rec, line, FieldClicks); err != nil {
		return r, "", err
	}
	if r.Sessions, err = c.count(rec, line, FieldSessions); err != nil {
		return r, "", err
	}
	if l.clicksFromSessions && !l.has(FieldClicks) {
		r.Clicks = r.Sessions
	}
	if i, ok := l.col[FieldConversions]; ok {
		v := strings.TrimSpace(rec[i])
		counts := true
		if l.indicator >= 0 {
			ind := strings.ToLower(rec[l.indicator])
			counts = false
			for _, w := range conversionIndicators {
				counts = counts || strings.Contains(ind, w)
			}
			if !counts && v != "" && v != "0" && ind != "" {
				c.warn(fmt.Sprintf("results of %q are not conversions: left out", strings.TrimSpace(rec[l.indicator])))
			}
		} else if l.preset == PresetMeta {
			c.warn("the export has no Result indicator column: its Results are counted as conversions")
		}
		switch {
		case !counts || notReported[v]:
		case v == "":
			r.Conversions = store.Known(0)
		default:
			n, perr := parseMilli(v, c.decimal)
			if perr != nil {
				return r, "", c.fail(line, i, v, perr.Error())
			}
			r.Conversions = store.Known(n)
		}
	}
	// Money, in one currency per line.
	cur := c.currency
	if l.fixedCurrency != "" {
		cur = l.fixedCurrency
	}
	if i, ok := l.col[FieldCurrency]; ok {
		if v := strings.ToUpper(strings.TrimSpace(rec[i])); v != "" {
			if !money.ValidCode(v) {
				return r, "", c.fail(line, i, rec[i], "is not a currency code such as EUR")
			}
			cur = v
		}
	}
	for _, f := range []Field{FieldRevenue, FieldSpend} {
		i, ok := l.col[f]
		if !ok {
			continue
		}
		colCur := cur
		if cc := l.columnCurrency[f]; cc != "" {
			if colCur != "" && colCur != cc && l.has(FieldCurrency) {
				return r, "", c.fail(line, i, rec[i], fmt.Sprintf("is in %s (the header says) but the line's currency is %s", cc, colCur))
			}
			colCur = cc
		}
		v := strings.TrimSpace(rec[i])
		var n store.Num
		switch {
		case notReported[v]:
			continue
		case v == "" || isZero(v):
			n = store.Known(0)
		default:
			minor, got, perr := parseMoney(v, c.decimal, colCur)
			if perr != nil {
				return r, "", c.fail(line, i, v, perr.Error())
			}
			if r.Currency != "" && got != r.Currency {
				return r, "", c.fail(line, i, v, fmt.Sprintf("is in %s, another amount on the line in %s: one currency a line", got, r.Currency))
			}
			if f == FieldSpend && minor < 0 {
				return r, "", c.fail(line, i, v, "is negative: spend cannot be")
			}
			r.Currency, n = got, store.Known(minor)
		}
		if f == FieldRevenue {
			r.Revenue = n
		} else {
			r.Spend = n
		}
	}
	if r.Currency == "" && (r.Revenue.OK || r.Spend.OK) {
		// Only zeros: they need no currency, but the line keeps the one it has.
		if colCur := l.columnCurrency[FieldSpend]; colCur != "" {
			r.Currency = colCur
		} else {
			r.Currency = cur
		}
	}
	return r, "", nil
}

func isZero(v string) bool {
	seen := false
	for _, r := range v {
		switch {
		case r == '0':
			seen = true
		case r == '.' || r == ',' || r == ' ' || r == '€' || r == '$' || r == '£' || r == '-':
		default:
			return false
		}
	}
	return seen
}

// count reads a count column: an empty cell is 0, "--" not reported.
func (c *converter) count(rec []string, line int, f Field) (store.Num, *LineError) {
	i, ok := c.l.col[f]
	if !ok {
		return store.Num{}, nil
	}
	v := strings.TrimSpace(rec[i])
	switch {
	case v == "":
		return store.Known(0), nil
	case notReported[v]:
		return store.Num{}, nil
	}
	n, err := parseCount(v, c.decimal)
	if err != nil {
		return store.Num{}, c.fail(line, i, v, err.Error())
	}
	return store.Known(n), nil
}
