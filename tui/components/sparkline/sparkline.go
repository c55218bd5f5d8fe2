// Package sparkline draws a series of numbers as one line of block
// characters (▁▂▃▄▅▆▇█), fitted to a width, with optional min and max labels.
package sparkline

import (
	"math"
	"strconv"
	"strings"

	"github.com/crier-app/crier/tui/common"
)

// blocks are the eight bar heights, lowest first.
var blocks = []rune("▁▂▃▄▅▆▇█")

// Options say how to draw a series.
type Options struct {
	// Width is the number of cells the result takes, labels included.
	Width int
	// Labels puts the smallest value on the left of the bars and the
	// largest on the right ("3 ▁▃█▅ 12"), when that leaves room for at
	// least MinBars bars; otherwise they are left out.
	Labels bool
	// FromZero scales the bars from 0 rather than from the series' minimum,
	// for counts whose size matters more than their spread. Negative values
	// still lower the floor.
	FromZero bool
	// Format writes a label; whole numbers as digits when nil.
	Format func(float64) string
}

// MinBars is the fewest bars drawn next to labels.
const MinBars = 5

// Render draws values (oldest first) in o.Width cells. NaN is a value not
// known (say, before an account existed) and is drawn as a blank. A flat
// series draws every bar at the lowest height.
func Render(values []float64, o Options) string {
	if o.Width <= 0 {
		return ""
	}
	lo, hi, ok := bounds(values)
	if ok && o.FromZero {
		lo = math.Min(lo, 0)
	}
	bars := o.Width
	var left, right string
	if o.Labels && ok {
		format := o.Format
		if format == nil {
			format = formatNumber
		}
		left, right = format(lo)+" ", " "+format(hi)
		bars = o.Width - common.Width(left) - common.Width(right)
		if bars < MinBars {
			left, right, bars = "", "", o.Width
		}
	}
	var b strings.Builder
	b.WriteString(left)
	for _, v := range Resample(values, bars) {
		b.WriteRune(bar(v, lo, hi))
	}
	b.WriteString(right)
	return b.String()
}

// Resample fits values to width points. A longer series is split into width
// runs of consecutive values and each run is averaged (ignoring NaN); a
// shorter one repeats values to stretch over the width. Empty input gives
// NaN everywhere.
func Resample(values []float64, width int) []float64 {
	if width <= 0 {
		return nil
	}
	out := make([]float64, width)
	n := len(values)
	switch {
	case n == 0:
		for i := range out {
			out[i] = math.NaN()
		}
	case n <= width:
		for i := range out {
			out[i] = values[i*n/width]
		}
	default:
		for i := range out {
			out[i] = mean(values[i*n/width : (i+1)*n/width])
		}
	}
	return out
}

// bar picks the block for v on the scale [lo, hi].
func bar(v, lo, hi float64) rune {
	if math.IsNaN(v) {
		return ' '
	}
	if hi <= lo {
		return blocks[0]
	}
	level := int(math.Round((v - lo) / (hi - lo) * float64(len(blocks)-1)))
	return blocks[max(0, min(level, len(blocks)-1))]
}

// bounds are the smallest and largest known values; ok is false when none
// is known.
func bounds(values []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if math.IsNaN(v) {
			continue
		}
		lo, hi, ok = math.Min(lo, v), math.Max(hi, v), true
	}
	return lo, hi, ok
}

func mean(values []float64) float64 {
	sum, n := 0.0, 0
	for _, v := range values {
		if !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}
