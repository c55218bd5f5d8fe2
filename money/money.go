// Package money keeps sums of money exactly: integer minor units (cents,
// pence, yen) of one ISO 4217 currency, never a float, and never two
// currencies added together. It is a leaf: it imports nothing of crier's.
package money

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Amount is a sum of money in minor units of one currency ("EUR", 1234 is
// €12.34).
type Amount struct {
	Currency string
	Minor    int64
}

// zeroDecimals and threeDecimals are the ISO 4217 currencies whose minor
// unit is not a hundredth; every other currency has two decimals.
var (
	zeroDecimals = map[string]bool{
		"BIF": true, "CLP": true, "DJF": true, "GNF": true, "ISK": true, "JPY": true, "KMF": true,
		"KRW": true, "PYG": true, "RWF": true, "UGX": true, "UYI": true, "VND": true, "VUV": true,
		"XAF": true, "XOF": true, "XPF": true,
	}
	threeDecimals = map[string]bool{
		"BHD": true, "IQD": true, "JOD": true, "KWD": true, "LYD": true, "OMR": true, "TND": true,
	}
	fourDecimals = map[string]bool{"CLF": true, "UYW": true}
)

// Decimals is how many decimal places a currency's minor unit has: 2 for
// most, 0 for JPY and KRW, 3 for KWD and BHD.
func Decimals(currency string) int {
	switch {
	case zeroDecimals[currency]:
		return 0
	case threeDecimals[currency]:
		return 3
	case fourDecimals[currency]:
		return 4
	}
	return 2
}

// ValidCode reports whether s looks like an ISO 4217 code: three capital
// letters.
func ValidCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// symbols are written before the number for the currencies that have a
// well-known sign; the rest get their code after it.
var symbols = map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}

// String writes the amount for people: "€1,234.56", "-$3.00", "1,234.500 KWD".
func (a Amount) String() string {
	num := FormatMinor(a.Minor, Decimals(a.Currency), true)
	sign := ""
	if strings.HasPrefix(num, "-") {
		sign, num = "-", num[1:]
	}
	if s, ok := symbols[a.Currency]; ok {
		return sign + s + num
	}
	if a.Currency == "" {
		return sign + num
	}
	return sign + num + " " + a.Currency
}

// Plain writes the amount as a plain decimal without grouping ("1234.56"),
// for files a program reads (CSV, JSON).
func (a Amount) Plain() string { return FormatMinor(a.Minor, Decimals(a.Currency), false) }

// Float is the amount in major units, for charts and ratios only: sums are
// kept in Minor.
func (a Amount) Float() float64 {
	f := float64(a.Minor)
	for range Decimals(a.Currency) {
		f /= 10
	}
	return f
}

// FormatMinor writes minor units as a decimal with the given number of
// decimals, with "," between thousands when grouped.
func FormatMinor(minor int64, decimals int, grouped bool) string {
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = uint64(-minor)
	}
	digits := strconv.FormatUint(u, 10)
	for len(digits) <= decimals {
		digits = "0" + digits
	}
	whole, frac := digits[:len(digits)-decimals], digits[len(digits)-decimals:]
	if grouped && len(whole) > 3 {
		var b strings.Builder
		lead := len(whole) % 3
		if lead > 0 {
			b.WriteString(whole[:lead])
		}
		for i := lead; i < len(whole); i += 3 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(whole[i : i+3])
		}
		whole = b.String()
	}
	s := whole
	if decimals > 0 {
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ErrTooLarge and ErrTooManyDecimals say why ParseMinor refused a number
// it could read.
var (
	ErrTooLarge        = errors.New("too large")
	ErrTooManyDecimals = errors.New("more decimals than the currency has")
)

// ParseMinor reads a plain decimal ("12.5", "-3", "1234.56"; a dot before
// the decimals and nothing between thousands) into minor units of a
// currency with the given decimals. More decimals than the currency has
// are an error, not a rounding.
func ParseMinor(s string, decimals int) (int64, error) {
	orig := s
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && frac == "" || !allDigits(whole) || !allDigits(frac) || hasDot && frac == "" && whole == "" {
		return 0, fmt.Errorf("%q is not a number", orig)
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > decimals {
		return 0, fmt.Errorf("%q has more decimals than the currency's %d: %w", orig, decimals, ErrTooManyDecimals)
	}
	frac += strings.Repeat("0", decimals-len(frac))
	if whole == "" {
		whole = "0"
	}
	v, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is %w", orig, ErrTooLarge)
	}
	if neg {
		v = -v
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Sums are amounts in several currencies, one entry per currency, sorted by
// code. Adding never converts: a sum in two currencies stays two amounts.
type Sums []Amount

// Add returns the sums with a added to its currency's entry.
func (s Sums) Add(a Amount) Sums {
	i, found := slices.BinarySearchFunc(s, a.Currency, func(x Amount, c string) int { return strings.Compare(x.Currency, c) })
	if found {
		out := slices.Clone(s)
		out[i].Minor += a.Minor
		return out
	}
	return slices.Insert(slices.Clone(s), i, a)
}

// AddAll returns the sums of s and t.
func (s Sums) AddAll(t Sums) Sums {
	for _, a := range t {
		s = s.Add(a)
	}
	return s
}

// In returns the amount in one currency (zero when there is none).
func (s Sums) In(currency string) Amount {
	for _, a := range s {
		if a.Currency == currency {
			return a
		}
	}
	return Amount{Currency: currency}
}

// Reduced is s without the currencies that hold nothing where another
// holds something (nothing in one currency is nothing in any, so leaving
// it out converts nothing); all zero, it is the first currency's zero
// alone. Figures that need one currency read it.
func (s Sums) Reduced() Sums {
	var out Sums
	for _, a := range s {
		if a.Minor != 0 {
			out = append(out, a)
		}
	}
	if len(out) == 0 && len(s) > 0 {
		return s[:1:1]
	}
	if len(out) == len(s) {
		return s
	}
	return out
}

// Single returns the one currency's amount when all of s is in one
// currency; false for none or several.
func (s Sums) Single() (Amount, bool) {
	if len(s) != 1 {
		return Amount{}, false
	}
	return s[0], true
}

// Currencies lists the codes in s.
func (s Sums) Currencies() []string {
	out := make([]string, len(s))
	for i, a := range s {
		out[i] = a.Currency
	}
	return out
}

// String writes every currency's amount, joined with " + ": "€12.00 + $3.50".
// Empty sums read "0".
func (s Sums) String() string {
	if len(s) == 0 {
		return "0"
	}
	parts := make([]string, len(s))
	for i, a := range s {
		parts[i] = a.String()
	}
	return strings.Join(parts, " + ")
}
