package main

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/crier-app/crier/demo/demotest"
)

// BenchmarkCLIKPI measures crier kpi's work on the large demo database
// (100k posts, 500k inbox items, 1M metric snapshots, the marketing rows):
// every query of the glance (the period against the one before, the inbox,
// the running goals, the next posts) and its screen, per period. The
// target is 100 ms.
func BenchmarkCLIKPI(b *testing.B) {
	ctx := context.Background()
	st, now := demotest.Large(b)
	loc, _ := time.LoadLocation("Europe/Berlin")
	for _, days := range []int{7, 30, 90} {
		b.Run(fmt.Sprintf("%dd", days), func(b *testing.B) {
			for b.Loop() {
				g, err := readGlance(ctx, st, now, days, loc)
				if err != nil {
					b.Fatal(err)
				}
				g.writeText(io.Discard)
			}
		})
	}
}
