package report

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
)

// encodingJSON is the report as encoding/json writes it, indented: what
// WriteJSON must write byte for byte.
func encodingJSON(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r.JSON()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// trickyTexts are texts encoding/json escapes: markup, quotes, control
// characters, bytes that are not UTF-8, JavaScript's line separators.
var trickyTexts = []string{"", "plain", `<b>"bold" & 'x'</b>`, "tab\tnew\nline\r\x00\x01\x1f\x7f\b\f", "back\\slash",
	"bad \xff\xfe utf-8 \xe2\x82", "line\u2028para\u2029end", "émoji 🥖 ünïcode", "=SUM(A1)", strings.Repeat("long ", 400)}

func TestWriteJSONIsEncodingJSONs(t *testing.T) {
	st, camp := fixture(t)
	for _, o := range []Options{{Campaign: camp}, {From: store.DateDay(2026, 3, 1), To: store.DateDay(2026, 3, 7)},
		{From: store.DateDay(2025, 1, 1), To: store.DateDay(2025, 1, 2)}} {
		r := build(t, st, o)
		// Posts of every kind beside the fixture's (the span in 2025 has
		// none of its own: the list starts empty).
		for i, text := range trickyTexts {
			p := store.PostNumbers{PostID: int64(100 + i), CampaignID: []int64{0, camp, 999}[i%3], Platform: "mastodon",
				Handle: text, Text: text, URL: text, SentAt: time.Date(2026, 3, 2, 8, i, i, i*1000, time.UTC),
				Metrics: store.Metrics{Likes: i, Reposts: 2 * i, Replies: -i, Quotes: 1 << 40}}
			p.Links.Clicks, p.Links.Sessions, p.Links.Conversions = int64(i*7), -1, int64([]int{0, 1, 1500, -2, 1e15}[i%5])
			p.Links.Revenue = []money.Sums{nil, {{Currency: "EUR", Minor: 1}}, {{Currency: "EUR", Minor: 9000}, {Currency: "USD", Minor: -5}}}[i%3]
			if o.From.Date().Year() == 2025 && i == 0 {
				continue
			}
			r.Posts = append(r.Posts, p)
		}
		if o.From.Date().Year() == 2025 {
			r.Title = trickyTexts[2] + trickyTexts[5]
		}
		var buf bytes.Buffer
		if err := r.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		if want := encodingJSON(t, r); !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%+v: WriteJSON differs from encoding/json at byte %d:\n%s", o, firstDiff(buf.Bytes(), want), buf.String())
		}
		r.Posts = nil
		buf.Reset()
		if err := r.WriteJSON(&buf); err != nil || !bytes.Equal(buf.Bytes(), encodingJSON(t, r)) {
			t.Errorf("no posts: %v\n%s", err, buf.String())
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestJSONStringsAndNumbers checks the post writer's strings and numbers
// against encoding/json on random text and numbers of every size.
func TestJSONStringsAndNumbers(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "Z", " ", "<", ">", "&", `"`, `\`, "\x00", "\x1f", "\x7f", "\n", "\u2028", "\u2029", "é", "🥖",
		"\xff", "\xe2\x82", "\xc3", "/", "'", "\t"}
	for range 3000 {
		var s strings.Builder
		for range rng.IntN(12) {
			s.WriteString(pieces[rng.IntN(len(pieces))])
		}
		want, _ := json.Marshal(s.String())
		if got := appendJSONString(nil, s.String()); !bytes.Equal(got, want) {
			t.Fatalf("%q: %s, want %s", s.String(), got, want)
		}
	}
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 0.001, 2.5, 1e-6, 1e-7, 9.99e-7, 1.5e-12, 1e20, 1e21, 1.2345e22, -3e-9,
		123456789.125, math.MaxFloat64, math.SmallestNonzeroFloat64, 1e15 / 1000, 0.1 + 0.2}
	for range 2000 {
		floats = append(floats, float64(rng.Int64N(1<<53)-1<<52)/1000, math.Float64frombits(rng.Uint64()))
	}
	for _, f := range floats {
		want, err := json.Marshal(f)
		got, gerr := appendJSONFloat(nil, f)
		if (err != nil) != (gerr != nil) || err == nil && !bytes.Equal(got, want) {
			t.Fatalf("%v: %s %v, want %s %v", f, got, gerr, want, err)
		}
	}
}

// TestTopPostsAsAStableSort checks the one-pass pick against sorting all
// posts (most engagement first, then most link clicks, then the order
// they went out in), with many ties.
func TestTopPostsAsAStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{0, 1, 5, 50, 2000} {
		posts := make([]store.PostNumbers, size)
		for i := range posts {
			posts[i] = store.PostNumbers{PostID: int64(i), Metrics: store.Metrics{Likes: rng.IntN(5), Replies: rng.IntN(3)}}
			posts[i].Links.Clicks = int64(rng.IntN(4))
		}
		want := append([]store.PostNumbers(nil), posts...)
		sort.SliceStable(want, func(i, j int) bool {
			a, b := want[i], want[j]
			if a.Metrics.Engagement() != b.Metrics.Engagement() {
				return a.Metrics.Engagement() > b.Metrics.Engagement()
			}
			return a.Links.Clicks > b.Links.Clicks
		})
		for _, n := range []int{1, 3, 20, 5000} {
			r := &Report{Posts: posts, topPosts: n}
			got := r.TopPosts()
			if w := want[:min(n, size)]; len(got) != len(w) || len(w) > 0 && !reflect.DeepEqual(got, w) {
				t.Errorf("%d posts, top %d: %v, want %v", size, n, ids(got), ids(w))
			}
		}
	}
}

func ids(ps []store.PostNumbers) []int64 {
	var out []int64
	for _, p := range ps {
		out = append(out, p.PostID)
	}
	return out
}
