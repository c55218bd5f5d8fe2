package common

import (
	"strings"
	"testing"
)

func TestFitAndPads(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{Fit("bread", 8), "bread   "},
		{Fit("sourdough", 6), "sourd…"},
		{Fit("パン屋さん", 6), "パン… "}, // a wide character does not split: a space fills the cell
		{Fit("x", 0), ""},
		{Pad("rye", 5), "rye  "},
		{Pad("rye", 2), "rye"},
		{PadLeft("7", 3), "  7"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// Spread keeps the right side whole and cuts the left to make room.
func TestSpread(t *testing.T) {
	for _, c := range []struct {
		left, right string
		w           int
		want        string
	}{
		{"Saved replies", "3 of 5", 24, "Saved replies     3 of 5"},
		{"Saved replies", "3 of 5", 14, "Saved … 3 of 5"},
		{"title", "", 8, "title   "},
		{"title", "", 3, "ti…"},
		{"a", "a long right side", 6, "a lon…"},
		{"", "12", 4, "  12"},
	} {
		got := Spread(c.left, c.right, c.w)
		if got != c.want {
			t.Errorf("Spread(%q, %q, %d) = %q, want %q", c.left, c.right, c.w, got, c.want)
		}
		if Width(got) != c.w {
			t.Errorf("Spread(%q, %q, %d) is %d wide", c.left, c.right, c.w, Width(got))
		}
	}
}

func TestBlocks(t *testing.T) {
	if got := Block("one\ntwo\nthree", 3, 2); got != "one\ntwo" {
		t.Errorf("Block cut to 2 lines = %q", got)
	}
	if got := Block("a long line", 4, 3); got != "a lo\n\n" {
		t.Errorf("Block filled to 3 lines = %q", got)
	}
	if got := Box("ab\nc", 3, 3); strings.Join(got, "|") != "ab |c  |   " {
		t.Errorf("Box = %q", got)
	}
	if got := Box("", 2, 1); len(got) != 1 || got[0] != "  " {
		t.Errorf("Box of nothing = %q", got)
	}
}

func TestOneLine(t *testing.T) {
	if got := OneLine("  Fresh\trye\n\nat 7  "); got != "Fresh rye at 7" {
		t.Errorf("OneLine = %q", got)
	}
	long := strings.Repeat("crumb ", 100000)
	if got := OneLineIn("Fresh\nrye "+long, 12); got != "Fresh rye c…" {
		t.Errorf("OneLineIn = %q", got)
	}
	if got := OneLineIn("x", 0); got != "" {
		t.Errorf("OneLineIn at 0 = %q", got)
	}
}

func TestWrapAtMost(t *testing.T) {
	got := WrapAtMost("Plum cake season: the first trays are out at ten", 16, 2)
	if len(got) != 2 || got[0] != "Plum cake" || !strings.HasSuffix(got[1], "…") || Width(got[1]) > 16 {
		t.Errorf("WrapAtMost = %q", got)
	}
	if got := Wrap("a\tb", 10); got[0] != "a    b" {
		t.Errorf("a tab is drawn as %q", got[0])
	}
}

func TestCountAndPlural(t *testing.T) {
	if Count(1, "post", "posts") != "1 post" || Count(0, "reply", "replies") != "0 replies" || Plural(2, "item", "items") != "items" {
		t.Error("Count or Plural picked the wrong word")
	}
}

func TestMoreHint(t *testing.T) {
	for _, tc := range []struct {
		top, shown, total int
		want              string
	}{
		{0, 10, 5, ""}, {0, 10, 10, ""}, {0, 10, 11, "↓ more"}, {1, 10, 11, "↑ more"}, {1, 10, 12, "↑↓ more"},
	} {
		if got := MoreHint(tc.top, tc.shown, tc.total); got != tc.want {
			t.Errorf("MoreHint(%d, %d, %d) = %q, want %q", tc.top, tc.shown, tc.total, got, tc.want)
		}
	}
}
