package money

import "testing"

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		a    Amount
		want string
	}{
		{Amount{"EUR", 123456}, "€1,234.56"},
		{Amount{"EUR", -5}, "-€0.05"},
		{Amount{"USD", 100000000}, "$1,000,000.00"},
		{Amount{"JPY", 1500}, "¥1,500"},
		{Amount{"KWD", 1234500}, "1,234.500 KWD"},
		{Amount{"CHF", 990}, "9.90 CHF"},
		{Amount{"EUR", 0}, "€0.00"},
	} {
		if got := c.a.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.a, got, c.want)
		}
	}
	if got := (Amount{"EUR", 123456}).Plain(); got != "1234.56" {
		t.Errorf("plain: %q", got)
	}
}

func TestParseMinor(t *testing.T) {
	for _, c := range []struct {
		in   string
		dec  int
		want int64
		bad  bool
	}{
		{"12.5", 2, 1250, false},
		{"12", 2, 1200, false},
		{"-3.07", 2, -307, false},
		{".5", 2, 50, false},
		{"12.50", 0, 0, true},
		{"12.00", 0, 12, false},
		{"1.2345", 3, 0, true},
		{"1.234", 3, 1234, false},
		{"", 2, 0, true},
		{"1e5", 2, 0, true},
		{"12.", 2, 1200, false},
		{"99999999999999999999", 2, 0, true},
	} {
		got, err := ParseMinor(c.in, c.dec)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("ParseMinor(%q, %d) = %d, %v; want %d (bad %v)", c.in, c.dec, got, err, c.want, c.bad)
		}
	}
}

func TestSumsNeverMix(t *testing.T) {
	var s Sums
	s = s.Add(Amount{"USD", 350}).Add(Amount{"EUR", 1200}).Add(Amount{"EUR", 100})
	if len(s) != 2 || s[0] != (Amount{"EUR", 1300}) || s[1] != (Amount{"USD", 350}) {
		t.Fatalf("sums %+v", s)
	}
	if _, ok := s.Single(); ok {
		t.Error("two currencies read as one")
	}
	if got := s.String(); got != "€13.00 + $3.50" {
		t.Errorf("String %q", got)
	}
	one := Sums{}.Add(Amount{"EUR", 5})
	if a, ok := one.Single(); !ok || a.Minor != 5 {
		t.Errorf("single %+v %v", a, ok)
	}
}
