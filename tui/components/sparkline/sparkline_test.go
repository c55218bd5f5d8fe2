package sparkline

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestRenderScalesMinToMax(t *testing.T) {
	got := Render([]float64{0, 1, 2, 3, 4, 5, 6, 7}, Options{Width: 8})
	if got != "▁▂▃▄▅▆▇█" {
		t.Errorf("got %q", got)
	}
	// The scale runs from the series' own minimum...
	if got := Render([]float64{100, 107, 114}, Options{Width: 3}); got != "▁▅█" {
		t.Errorf("min-max scale: got %q", got)
	}
	// ...or from zero.
	if got := Render([]float64{100, 107, 114}, Options{Width: 3, FromZero: true}); got != "▇██" {
		t.Errorf("zero-based scale: got %q", got)
	}
}

func TestRenderFlatAndEmpty(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []float64
		o      Options
		want   string
	}{
		{"flat", []float64{5, 5, 5, 5}, Options{Width: 4}, "▁▁▁▁"},
		{"flat zeros with labels", []float64{0, 0, 0, 0, 0}, Options{Width: 9, Labels: true}, "0 ▁▁▁▁▁ 0"},
		{"flat from zero", []float64{5, 5}, Options{Width: 2, FromZero: true}, "██"},
		{"single value", []float64{3}, Options{Width: 3}, "▁▁▁"},
		{"empty", nil, Options{Width: 3, Labels: true}, "   "},
		{"all unknown", []float64{math.NaN(), math.NaN()}, Options{Width: 2}, "  "},
		{"zero width", []float64{1, 2}, Options{Width: 0}, ""},
	} {
		if got := Render(tc.values, tc.o); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestRenderUnknownValuesAreBlank(t *testing.T) {
	nan := math.NaN()
	got := Render([]float64{nan, nan, 10, 20}, Options{Width: 4, Labels: false})
	if got != "  ▁█" {
		t.Errorf("got %q", got)
	}
}

func TestRenderLabels(t *testing.T) {
	got := Render([]float64{111, 150, 208}, Options{Width: 14, Labels: true})
	if got != "111 ▁▁▄▄██ 208" {
		t.Errorf("got %q", got)
	}
	got = Render([]float64{1.5, 3}, Options{Width: 15, Labels: true, Format: func(v float64) string { return fmt.Sprintf("%.2f", v) }})
	if got != "1.50 ▁▁▁██ 3.00" {
		t.Errorf("custom format: got %q", got)
	}
	// Too narrow for labels and MinBars bars: bars only.
	got = Render([]float64{111, 150, 208}, Options{Width: 12, Labels: true})
	if got != "▁▁▁▁▄▄▄▄████" {
		t.Errorf("narrow: got %q", got)
	}
}

func TestRenderIsExactlyWidth(t *testing.T) {
	series := make([]float64, 30)
	for i := range series {
		series[i] = float64(i * i)
	}
	for w := 1; w <= 90; w++ {
		for _, labels := range []bool{false, true} {
			got := Render(series, Options{Width: w, Labels: labels})
			if ansi.StringWidth(got) != w {
				t.Fatalf("width %d labels %v: %q is %d cells", w, labels, got, ansi.StringWidth(got))
			}
		}
	}
}

func TestResample(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name   string
		values []float64
		width  int
		want   []float64
	}{
		{"same length", []float64{1, 2, 3}, 3, []float64{1, 2, 3}},
		{"stretch", []float64{1, 2}, 5, []float64{1, 1, 1, 2, 2}},
		{"shrink averages runs", []float64{1, 3, 5, 7, 9, 11}, 3, []float64{2, 6, 10}},
		{"shrink uneven", []float64{1, 2, 3, 4, 5}, 2, []float64{1.5, 4}},
		{"shrink ignores unknown", []float64{nan, 4, 6, 8}, 2, []float64{4, 7}},
	} {
		if got := Resample(tc.values, tc.width); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	got := Resample([]float64{nan, nan, 1, 2}, 2)
	if !math.IsNaN(got[0]) || got[1] != 1.5 {
		t.Errorf("a run of unknowns stays unknown: %v", got)
	}
	if got := Resample(nil, 2); len(got) != 2 || !math.IsNaN(got[0]) {
		t.Errorf("empty: %v", got)
	}
}
