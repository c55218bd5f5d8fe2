package csvimport

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
)

// DateOrder says how to read a date written with the day and month both
// 12 or less and a slash between ("03/04/2026").
type DateOrder string

const (
	DateOrderAuto DateOrder = ""    // from the file: a day above 12 tells; else the error asks
	DayFirst      DateOrder = "dmy" // 03/04/2026 is 3 April
	MonthFirst    DateOrder = "mdy" // 03/04/2026 is March 4
)

var monthNames = map[string]time.Month{}

func init() {
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		monthNames[name] = m
		monthNames[name[:3]] = m
	}
	monthNames["sept"] = time.September
	// A few other languages' short names, as exports write them.
	for name, m := range map[string]time.Month{
		"jan.": 1, "feb.": 2, "mär": 3, "märz": 3, "mrz": 3, "mai": 5, "juni": 6, "juli": 7, "okt": 10, "dez": 12,
		"janv": 1, "févr": 2, "mars": 3, "avr": 4, "juin": 6, "juil": 7, "août": 8, "déc": 12,
		"ene": 1, "abr": 4, "ago": 8, "dic": 12, "mei": 5, "okt.": 10, "mrt": 3,
	} {
		monthNames[name] = m
	}
}

// errAmbiguousDate is a slash date that reads either way; the caller
// decides from the rest of the file or asks.
var errAmbiguousDate = errors.New("ambiguous day and month")

// dateParser reads the dates of one column.
type dateParser struct {
	order DateOrder
	zone  *time.Location
	// The last date read: exports repeat a day on many lines.
	last    string
	lastDay store.Day
}

// parse reads a date: 2026-03-04, 20260304, 2026/03/04, 04.03.2026,
// 4.3.26, 03/04/2026 (by order), Mar 4, 2026, 4 March 2026, or a time
// stamp (2026-03-04T23:30:00Z, 2026-03-04 23:30:00), whose day is the
// day it was in zone (a stamp without a zone is taken as written).
func (p *dateParser) parse(s string) (store.Day, error) {
	if s == p.last && s != "" {
		return p.lastDay, nil
	}
	d, err := p.parseNew(strings.TrimSpace(s))
	if err == nil {
		p.last, p.lastDay = s, d
	}
	return d, err
}

func (p *dateParser) parseNew(s string) (store.Day, error) {
	if s == "" {
		return 0, errors.New("is not a date: the date is empty")
	}
	// YYYY-MM-DD, the common case, without allocating.
	if len(s) == 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4] {
		if y, ok := digits(s[0:4]); ok {
			if m, ok := digits(s[5:7]); ok {
				if d, ok := digits(s[8:10]); ok {
					return dayOf(y, m, d, s)
				}
			}
		}
	}
	// YYYYMMDD (GA4).
	if len(s) == 8 {
		if v, ok := digits(s); ok {
			return dayOf(v/10000, v/100%100, v%100, s)
		}
	}
	// A time stamp.
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') && s[4] == '-' {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05Z07:00",
			"2006-01-02 15:04:05 -0700", "2006-01-02T15:04:05-0700"} {
			if t, err := time.Parse(layout, s); err == nil {
				return store.DayOf(t.In(p.zone)), nil
			}
		}
		for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04",
			"2006-01-02 15:04:05.000"} {
			if t, err := time.Parse(layout, s); err == nil {
				return store.DayOf(t), nil
			}
		}
		return 0, errors.New("is not a date or time crier reads")
	}
	// D.M.YYYY (German and most of Europe): always day first.
	if parts := strings.Split(s, "."); len(parts) == 3 && parts[2] != "" {
		d, ok1 := digits(parts[0])
		m, ok2 := digits(parts[1])
		y, ok3 := digits(strings.TrimSpace(parts[2]))
		if ok1 && ok2 && ok3 {
			return dayOf(fullYear(y, parts[2]), m, d, s)
		}
	}
	// A/B/YYYY: by the order.
	if parts := strings.Split(s, "/"); len(parts) == 3 {
		a, ok1 := digits(parts[0])
		b, ok2 := digits(parts[1])
		y, ok3 := digits(parts[2])
		if ok1 && ok2 && ok3 && len(parts[0]) <= 2 && len(parts[1]) <= 2 {
			y = fullYear(y, parts[2])
			switch {
			case a > 12 && b <= 12:
				return dayOf(y, b, a, s)
			case b > 12 && a <= 12:
				return dayOf(y, a, b, s)
			case a == b:
				return dayOf(y, a, b, s)
			case p.order == DayFirst:
				return dayOf(y, b, a, s)
			case p.order == MonthFirst:
				return dayOf(y, a, b, s)
			}
			return 0, errAmbiguousDate
		}
	}
	// Dates with month names: "Mar 4, 2026", "March 4 2026", "4 Mar 2026",
	// "4. März 2026", "Thu, Mar 4, 2026".
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == ',' || r == '-' })
	var day, year int
	var month time.Month
	for _, w := range words {
		if m, ok := monthNames[strings.TrimSuffix(w, ".")]; ok && month == 0 {
			month = m
			continue
		}
		if m, ok := monthNames[w]; ok && month == 0 {
			month = m
			continue
		}
		if v, ok := digits(strings.TrimSuffix(w, ".")); ok {
			switch {
			case len(strings.TrimSuffix(w, ".")) == 4 && year == 0:
				year = v
			case day == 0 && v >= 1 && v <= 31:
				day = v
			default:
				return 0, errors.New("is not a date crier reads")
			}
		}
	}
	if month != 0 && day != 0 && year != 0 {
		return dayOf(year, int(month), day, s)
	}
	return 0, errors.New("is not a date crier reads (2026-03-04, 04.03.2026, 03/04/2026 or Mar 4, 2026)")
}

// slashParts reads a slash date's first two numbers, for telling the
// order from the file.
func slashParts(s string) (a, b int, ok bool) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return 0, 0, false
	}
	a, ok1 := digits(parts[0])
	b, ok2 := digits(parts[1])
	_, ok3 := digits(parts[2])
	return a, b, ok1 && ok2 && ok3
}

func fullYear(y int, written string) int {
	if len(strings.TrimSpace(written)) == 2 {
		return 2000 + y
	}
	return y
}

func digits(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	v, ok := digits64(s)
	return int(v), ok
}

func dayOf(y, m, d int, s string) (store.Day, error) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2999 {
		return 0, errors.New("is not a date: no such day")
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return 0, fmt.Errorf("is not a date: %s has no day %d", time.Month(m), d)
	}
	return store.DateDay(y, time.Month(m), d), nil
}

// numberStyle is how a file writes numbers: which character separates
// the decimals. Unknown until a number shows it.
type numberStyle struct {
	decimal rune // '.', ',' or 0 while unknown
	// Where a number first showed each reading, for the error when a file
	// mixes them.
	pointLine, commaLine int
	pointText, commaText string
}

// cleanNumber strips what numbers carry besides digits: spaces and other
// grouping marks, a currency sign or code. A percent sign is an error. It returns the
// text left, the ISO code it named ("EUR 12.50", "12,50 EUR"), the sign it
// carried ('€', '$', '£', '¥') and whether it was negative ("-3",
// "(3.00)").
func cleanNumber(s string) (num, code string, sign rune, neg bool, err error) {
	if plainNumber(s) { // the common case, without copying
		return s, "", 0, false, nil
	}
	return cleanNumberLong(s)
}

// cleanNumberLong is cleanNumber for any text.
func cleanNumberLong(s string) (num, code string, sign rune, neg bool, err error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") { // accounting's negative
		neg, s = true, strings.TrimSpace(s[1:len(s)-1])
	}
	if len(s) > 4 {
		if money.ValidCode(s[:3]) && !unicode.IsLetter(rune(s[3])) {
			code, s = s[:3], strings.TrimSpace(s[3:])
		} else if money.ValidCode(s[len(s)-3:]) && !unicode.IsLetter(rune(s[len(s)-4])) {
			code, s = s[len(s)-3:], strings.TrimSpace(s[:len(s)-3])
		}
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '.', r == ',':
			b.WriteRune(r)
		case r == '-' || r == '−':
			if b.Len() > 0 {
				return "", "", 0, false, errors.New("is not a number")
			}
			neg = !neg
		case r == '+':
		case r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'' || r == '’':
			// thousands, as France, Switzerland and others write them
		case r == '€' || r == '$' || r == '£' || r == '¥':
			sign = r
		case r == '%':
			// A rate (conversion rate, CTR) where a count or an amount
			// goes: read as one, 2.5% would be 2.5 conversions.
			return "", "", 0, false, errors.New("is a percentage, where a count or an amount goes (a rate's column read as this one?)")
		default:
			return "", "", 0, false, errors.New("is not a number")
		}
	}
	if b.Len() == 0 {
		return "", "", 0, false, errors.New("is not a number")
	}
	return b.String(), code, sign, neg, nil
}

// plainNumber reports a number written with digits, '.' and ',' alone.
func plainNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return true
}

// plainAmount reads the amount most lines have, digits with the file's
// decimal separator or none ("1234.5" where the file writes '.'), in minor
// units with the given decimals, without allocating. It reports false for
// anything else (thousands marks, signs, codes, more decimals than the
// currency has), which parseMoney reads the long way: for what it
// accepts, the two agree.
func plainAmount(s string, decimal rune, decimals int) (int64, bool) {
	if decimal != '.' && decimal != ',' {
		return 0, false
	}
	whole, frac, hasSep := strings.Cut(s, string(decimal))
	if whole == "" || len(whole) > 15 || (hasSep && frac == "") || len(frac) > decimals {
		return 0, false
	}
	w, ok := digits64(whole)
	if !ok {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		if f, ok = digits64(frac); !ok {
			return 0, false
		}
	}
	for range decimals - len(frac) {
		f *= 10
	}
	for range decimals {
		w *= 10
	}
	return w + f, true
}

func digits64(s string) (int64, bool) {
	v := int64(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// decimalOf tells what a number's separators mean: the decimal separator
// it shows ('.' or ','), 0 when it could be either ("1,234": a thousands
// mark or three decimals), or -1 when it has none.
func decimalOf(s string) rune {
	dot, comma := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dot == 0 && comma == 0:
		return -1
	case dot > 0 && comma > 0:
		if strings.LastIndex(s, ".") > strings.LastIndex(s, ",") {
			return '.'
		}
		return ','
	case dot > 1:
		return ',' // 1.234.567: dots between thousands
	case comma > 1:
		return '.'
	}
	sep := "."
	if comma == 1 {
		sep = ","
	}
	after := len(s) - strings.Index(s, sep) - 1
	before := strings.Index(s, sep)
	if after == 3 && before >= 1 && before <= 3 && s[0] != '0' {
		return 0 // "1,234" or "1.234"
	}
	return rune(sep[0])
}

// note records what a number says about the file's decimal separator; a
// number that contradicts another is an error naming both lines.
func (ns *numberStyle) note(s string, line int) error {
	d := decimalOf(s)
	switch d {
	case '.':
		if ns.pointLine == 0 {
			ns.pointLine, ns.pointText = line, s
		}
	case ',':
		if ns.commaLine == 0 {
			ns.commaLine, ns.commaText = line, s
		}
	default:
		return nil
	}
	if ns.pointLine != 0 && ns.commaLine != 0 {
		return fmt.Errorf("mixes decimal separators: line %d writes %q (a decimal point) and line %d writes %q (a decimal comma)",
			ns.pointLine, ns.pointText, ns.commaLine, ns.commaText)
	}
	ns.decimal = d
	return nil
}

// normalize writes a cleaned number with '.' as the decimal point and no
// thousands marks, given the file's decimal separator (0: unknown, and
// then "1,234" is a thousand and more, as counts and cents read it).
func normalize(s string, decimal rune) (string, error) {
	d := decimalOf(s)
	switch {
	case d == -1:
		return s, nil
	case d == 0 && decimal == 0:
		d = '.' // the separator is a thousands mark: read as a decimal point below, it would be "1.234"
		if strings.Contains(s, ".") {
			d = ','
		}
	case d == 0:
		d = decimal
	case decimal != 0 && d != decimal:
		return "", fmt.Errorf("writes %q as a decimal separator, where the file uses %q", d, decimal)
	}
	group := ","
	if d == ',' {
		group = "."
	}
	s = strings.ReplaceAll(s, group, "")
	if d == ',' {
		s = strings.Replace(s, ",", ".", 1)
	}
	if strings.Count(s, ".") > 1 {
		return "", errors.New("is not a number")
	}
	return s, nil
}

// MaxCount and MaxMinor are the largest value one line of an export (or a
// figure typed in) may give: no campaign, network and ad has more in a
// day, and a million lines of them still add up within int64 (a sum past
// it would stop every figure being read).
const (
	MaxCount = 1_000_000_000_000 // clicks, impressions, sessions, conversions
	MaxMinor = 1_000_000_000_000 // an amount, in minor units
)

var errCountTooLarge = errors.New("is too large: no line of an export counts more than 1,000,000,000,000")

// amountTooLarge is the error of an amount past MaxMinor in cur.
func amountTooLarge(cur string) error {
	return fmt.Errorf("is %w: no line of an export has more than %s",
		money.ErrTooLarge, money.Amount{Currency: cur, Minor: MaxMinor}.String())
}

// ParseAmount reads an amount in cur as a person types it into a form,
// the way an export's cell is read: with a sign or code of its own ("€45",
// "45 EUR"), a decimal comma or point ("45,00", "45.5"), thousands marks
// ("1.234,56", "1 234"). An amount past MaxMinor is money.ErrTooLarge.
// A number that reads two ways ("12.345": twelve thousand, or twelve and
// a bit) is refused rather than guessed. Its errors follow the amount as
// written ("is not a number").
func ParseAmount(s, cur string) (int64, error) {
	if clean, _, _, _, err := cleanNumber(s); err == nil && decimalOf(clean) == 0 {
		whole, dec := strings.NewReplacer(",", "", ".", "").Replace(clean), strings.ReplaceAll(clean, ",", ".")
		return 0, fmt.Errorf("reads two ways (%s or %s): write the thousands without a mark", whole, dec)
	}
	v, _, err := parseMoneyLong(s, 0, cur)
	return v, err
}

// PlainNumber writes a number as a person types it ("2,5", "1.234,5",
// "1 234", "+2,5") with '.' as its decimal point and no thousands marks,
// for strconv; "1,234" (a thousands mark or three decimals) is read as a
// thousand and more, as counts are. A sign and other characters are left
// for strconv to judge.
func PlainNumber(s string) (string, error) {
	return normalize(strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s), 0)
}

// parseCount reads a whole count (clicks, impressions, sessions): "1,234",
// "1.234", "1 234" are all 1234. Fractions are an error; a negative count
// too.
func parseCount(s string, decimal rune) (int64, error) {
	if v, ok := digits(s); ok { // the common case
		return int64(v), nil
	}
	clean, _, _, neg, err := cleanNumber(s)
	if err != nil {
		return 0, err
	}
	if neg {
		return 0, errors.New("is negative: a count cannot be")
	}
	if d := decimalOf(clean); d == 0 || (d != -1 && d != decimal && decimal != 0) {
		// "1,234" in a count is a thousands mark whatever the file's decimal.
		clean = strings.NewReplacer(",", "", ".", "").Replace(clean)
	} else if clean, err = normalize(clean, decimal); err != nil {
		return 0, err
	}
	whole, frac, _ := strings.Cut(clean, ".")
	if strings.Trim(frac, "0") != "" {
		return 0, errors.New("has a fraction: a count is a whole number")
	}
	v, err := strconv.ParseInt(whole, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange), err == nil && v > MaxCount:
		return 0, errCountTooLarge
	case err != nil:
		return 0, errors.New("is not a number")
	}
	return v, nil
}

// parseMilli reads a number that may have up to three decimals
// (conversions: "12", "2.5", "1,5") into thousandths.
func parseMilli(s string, decimal rune) (int64, error) {
	if v, ok := digits(s); ok {
		return int64(v) * 1000, nil
	}
	clean, _, _, neg, err := cleanNumber(s)
	if err != nil {
		return 0, err
	}
	if neg {
		return 0, errors.New("is negative")
	}
	if clean, err = normalize(clean, decimal); err != nil {
		return 0, err
	}
	v, err := money.ParseMinor(clean, 3)
	switch {
	case errors.Is(err, money.ErrTooLarge), err == nil && v > MaxCount*1000:
		return 0, errCountTooLarge
	case err != nil:
		return 0, errors.New("has more than three decimals")
	}
	return v, nil
}

// parseMoney reads an amount ("1.234,56", "1,234.56", "€12", "EUR 12.50",
// "(3.00)") in minor units of its currency: the code it names, else cur
// (the column's or the file's), else the one its sign stands for. More
// decimals than the currency has are an error, not a rounding.
func parseMoney(s string, decimal rune, cur string) (int64, string, error) {
	if cur != "" {
		if v, ok := plainAmount(s, decimal, money.Decimals(cur)); ok && v <= MaxMinor {
			return v, cur, nil
		}
	}
	return parseMoneyLong(s, decimal, cur)
}

// parseMoneyLong is parseMoney for any amount.
func parseMoneyLong(s string, decimal rune, cur string) (int64, string, error) {
	clean, code, sign, neg, err := cleanNumber(s)
	if err != nil {
		return 0, "", err
	}
	if code != "" {
		if cur != "" && code != cur {
			return 0, "", fmt.Errorf("is in %s where the column is in %s", code, cur)
		}
		cur = code
	}
	if sign != 0 {
		// € and £ are one currency each; $ and ¥ stand for several, so
		// the column's currency decides.
		own := map[rune]string{'€': "EUR", '£': "GBP", '$': "USD", '¥': "JPY"}[sign]
		switch {
		case cur == "":
			cur = own
		case (sign == '€' || sign == '£') && cur != own:
			return 0, "", fmt.Errorf("is in %s where the column is in %s", own, cur)
		}
	}
	if cur == "" {
		return 0, "", errors.New("has no currency: the file names none (give one with the import)")
	}
	if clean, err = normalize(clean, decimal); err != nil {
		return 0, "", err
	}
	v, err := money.ParseMinor(clean, money.Decimals(cur))
	switch {
	case errors.Is(err, money.ErrTooLarge), err == nil && v > MaxMinor:
		return 0, "", amountTooLarge(cur)
	case err != nil:
		return 0, "", fmt.Errorf("has more decimals than %s has (%d)", cur, money.Decimals(cur))
	}
	if neg {
		v = -v
	}
	return v, cur, nil
}
