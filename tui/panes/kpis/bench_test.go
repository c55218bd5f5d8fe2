package kpis

import (
	"context"
	"testing"
	"time"
)

// BenchmarkKeypressScroll measures a key that scrolls the pane and the
// frame drawn after it, with every section (heatmap, competitors, fans)
// laid out: a keypress only moves the window over lines drawn at load.
func BenchmarkKeypressScroll(b *testing.B) {
	m := benchModel(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			press(m, "down")
		} else {
			press(m, "up")
		}
		_ = m.View()
	}
}

// BenchmarkKeypressPickTopPost measures ] (mark the next top post, which
// lays the report out again) and the frame after it.
func BenchmarkKeypressPickTopPost(b *testing.B) {
	m := benchModel(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		press(m, "]")
		_ = m.View()
	}
}

// BenchmarkLoadInsights measures reading the "is it working?" part (the
// previous period, the heatmap, the comparison, fans, new followers) on
// the pane's test data.
func BenchmarkLoadInsights(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := loadInsights(ctx, f.st, now, time.UTC, nil, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func benchModel(b *testing.B) *Model {
	f := newFixture(b)
	m := New(f.c)
	m.SetSize(120, 37)
	msg := m.Init()()
	m.Update(msg)
	if !m.loaded {
		b.Fatal("not loaded")
	}
	return m
}
