package kpis

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/crier-app/crier/analytics/periods"
	"github.com/crier-app/crier/store"
)

// scrollToLine scrolls the pane so the first line starting with prefix is
// at the top, and fails when there is none.
func scrollToLine(t *testing.T, m *Model, prefix string) {
	t.Helper()
	for i, l := range m.lines {
		if strings.HasPrefix(ansi.Strip(l), prefix) {
			m.scrollTo(i)
			return
		}
	}
	t.Fatalf("no line starts with %q", prefix)
}

// TestGoldenInsights snapshots the "is it working?" part of the pane: each
// figure against the previous period, the best-time heatmap, the
// competitors and the audience.
func TestGoldenInsights(t *testing.T) {
	for _, size := range [][2]int{{80, 21}, {120, 37}} {
		for _, section := range []string{"Last 30 days", "Best times", "Top fans"} {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], strings.ReplaceAll(section, " ", "_")), func(t *testing.T) {
				f := newFixture(t)
				m := newModel(t, f, size[0], size[1])
				scrollToLine(t, m, section)
				golden.RequireEqual(t, []byte(m.View()))
			})
		}
	}
}

// TestPostNumbersOverTime picks the best post with ], opens it with enter,
// and reads the readings recorded for it, newest first; esc goes back.
func TestPostNumbersOverTime(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 120, 37)
	top := m.report.Top[0]
	readings := map[time.Duration]store.Metrics{
		time.Hour:      {Likes: 20, Reposts: 4},
		6 * time.Hour:  {Likes: 70, Reposts: 20, Replies: 3},
		48 * time.Hour: {Likes: 118, Reposts: 40, Replies: 9, Quotes: 6},
	}
	for after, mt := range readings {
		if err := f.st.RecordMetrics(context.Background(), top.SentAt.Add(after), map[int64]store.Metrics{top.DeliveryID: mt}); err != nil {
			t.Fatal(err)
		}
	}
	if cmd := press(m, "enter"); cmd == nil || m.post != nil {
		t.Fatal("enter with no post picked opened something or said nothing")
	}
	press(m, "]")
	if m.pick != 0 || !strings.Contains(m.View(), "›1") {
		t.Fatalf("] did not mark the first top post:\n%s", m.View())
	}
	feed(t, m, press(m, "enter"))
	view := ansi.Strip(m.View())
	for _, want := range []string{"Post numbers over time", "Cardamom buns are here!", "2d", "6h", "1h", "173", "Engagement rate: "} {
		if !strings.Contains(view, want) {
			t.Errorf("the post's view lacks %q:\n%s", want, view)
		}
	}
	if strings.Index(view, "2d     Sun") > strings.Index(view, "6h     Fri") {
		t.Errorf("readings not newest first:\n%s", view)
	}
	golden.RequireEqual(t, []byte(view))
	press(m, "esc")
	if m.post != nil || !strings.Contains(m.View(), "KPIs") {
		t.Errorf("esc did not go back:\n%s", m.View())
	}
}

// TestChangeWords checks the words of each kind of change.
func TestChangeWords(t *testing.T) {
	for _, c := range []struct {
		name        string
		now, before float64
		want        string
	}{
		{"posts", 12, 10, "▲ 20%"},
		{"posts", 9, 10, "▼ 10%"},
		{"posts", 5, 0, "▲ from 0"},
		{"posts", 0, 0, "="},
		{"engagement rate", 0.021, 0.025, "▼ 0.40 pts"},
	} {
		if got := changeWords(c.name, periods.Compare(c.now, c.before)); got != c.want {
			t.Errorf("%s %v vs %v: %q, want %q", c.name, c.now, c.before, got, c.want)
		}
	}
}

// TestRankLevel shades cells by their rank among the cells with enough
// posts: quarters, whatever the spread of the values.
func TestRankLevel(t *testing.T) {
	sorted := []float64{0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.5}
	for v, want := range map[float64]int{0.01: 0, 0.02: 0, 0.03: 0, 0.04: 1, 0.05: 1, 0.06: 2, 0.07: 2, 0.08: 3, 0.5: 3} {
		if got := rankLevel(v, sorted, 4); got != want {
			t.Errorf("rankLevel(%v) = %d, want %d", v, got, want)
		}
	}
	if got := rankLevel(0.2, nil, 4); got != 0 {
		t.Errorf("no cells: %d", got)
	}
}

// TestHeatmapPerAccount: a picks whose history the heatmap reads (all, then
// each account, then all again) and # shows the posts behind each cell,
// too-few ones marked; over all accounts, each account's best times are
// named apart.
func TestHeatmapPerAccount(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 120, 37)
	heat := func() (title string, posts int, few int) {
		t.Helper()
		inHeat := false
		for _, l := range m.lines {
			l = ansi.Strip(l)
			if strings.HasPrefix(l, "Best times to post") {
				title, inHeat = l, true
				continue
			}
			if !inHeat {
				continue
			}
			day, cells, _ := strings.Cut(l, " ")
			if len(day) != 3 || !strings.Contains("MonTueWedThuFriSatSun", day) {
				if posts > 0 || strings.HasPrefix(l, "msg") || strings.HasPrefix(l, "posts per cell") {
					break
				}
				continue
			}
			for _, field := range strings.Fields(cells) {
				if strings.HasPrefix(field, fewMark) {
					few++
				}
				var n int
				fmt.Sscan(strings.TrimPrefix(field, fewMark), &n)
				posts += n
			}
		}
		return title, posts, few
	}
	if title, _, _ := heat(); !strings.Contains(title, "all accounts") || !strings.Contains(title, "8 posts") {
		t.Fatalf("first: %q", title)
	}
	press(m, "#")
	if title, posts, few := heat(); posts != 8 || few == 0 {
		t.Errorf("all accounts' counts: %d posts, %d too few (%s)\n%s", posts, few, title, m.View())
	}
	view := ansi.Strip(strings.Join(m.lines, "\n"))
	for _, want := range []string{"mastodon @crumbs@bakery.social: ", "bluesky crumbs.bsky.social: "} {
		if !strings.Contains(view, want) {
			t.Errorf("no best times of %q", want)
		}
	}
	for _, want := range []struct {
		who   string
		posts int
	}{{"mastodon @crumbs@bakery.social", 5}, {"bluesky crumbs.bsky.social", 3}, {"all accounts", 8}} {
		feed(t, m, press(m, "a"))
		title, posts, _ := heat()
		if !strings.Contains(title, want.who) || !strings.Contains(title, fmt.Sprintf("%d posts", want.posts)) || posts != want.posts {
			t.Errorf("after a: %q with %d posts in the cells, want %s's %d", title, posts, want.who, want.posts)
		}
	}
	press(m, "#")
	if _, posts, _ := heat(); posts != 0 {
		t.Errorf("# again still shows counts")
	}
}
