package csvimport

import (
	"fmt"
	"testing"
)

// The short ways of reading numbers (plainNumber, plainAmount) agree with
// the long ones wherever they answer, and answer for the usual amounts.
func TestShortNumberReadingAgrees(t *testing.T) {
	var texts []string
	parts := []string{"", "0", "7", "12", "123", "1234", "0012", "999999999999999", "1000000000000000"}
	for _, whole := range parts {
		for _, sep := range []string{"", ".", ",", ".,", ",,"} {
			for _, frac := range []string{"", "0", "5", "50", "05", "123", "1230", "9999"} {
				if sep == "" && frac != "" {
					continue
				}
				texts = append(texts, whole+sep+frac)
			}
		}
	}
	texts = append(texts, " 12.50", "-3", "(3.00)", "€12", "EUR 12.50", "12,50 EUR", "1 234,56", "1.234.567,8", "+4", "12%", "x")
	shortAnswers := 0
	for _, s := range texts {
		wantNum, wantCode, wantSign, wantNeg, wantErr := cleanNumberLong(s)
		num, code, sign, neg, err := cleanNumber(s)
		if num != wantNum || code != wantCode || sign != wantSign || neg != wantNeg || (err == nil) != (wantErr == nil) {
			t.Errorf("cleanNumber(%q) = %q %q %q %v %v, the long way %q %q %q %v %v", s, num, code, sign, neg, err,
				wantNum, wantCode, wantSign, wantNeg, wantErr)
		}
		for _, decimal := range []rune{'.', ','} {
			for _, cur := range []string{"EUR", "JPY", "KWD"} {
				v, got, err := parseMoney(s, decimal, cur)
				wantV, wantCur, wantErr := parseMoneyLong(s, decimal, cur)
				if v != wantV || got != wantCur || fmt.Sprint(err) != fmt.Sprint(wantErr) {
					t.Errorf("parseMoney(%q, %q, %s) = %d %s %v, the long way %d %s %v", s, decimal, cur, v, got, err, wantV, wantCur, wantErr)
				}
				if _, ok := plainAmount(s, decimal, 2); ok {
					shortAnswers++
				}
			}
		}
	}
	if shortAnswers < 100 {
		t.Errorf("the short way answered %d times: it reads too little", shortAnswers)
	}
	for _, c := range []struct {
		s       string
		decimal rune
		want    int64
	}{{"1234.5", '.', 123450}, {"1234,56", ',', 123456}, {"7", '.', 700}, {"0.07", '.', 7}} {
		if v, ok := plainAmount(c.s, c.decimal, 2); !ok || v != c.want {
			t.Errorf("plainAmount(%q) = %d %v, want %d", c.s, v, ok, c.want)
		}
	}
}
