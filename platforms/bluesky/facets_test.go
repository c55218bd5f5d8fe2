package bluesky

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDetectFacets(t *testing.T) {
	type want struct {
		kind  FacetKind
		match string // text[Start:End]
		value string
	}
	cases := []struct {
		text string
		want []want
	}{
		{"plain text", nil},
		{"see https://example.com", []want{{FacetLink, "https://example.com", "https://example.com"}}},
		{"see https://example.com/a?b=c#d.", []want{{FacetLink, "https://example.com/a?b=c#d", "https://example.com/a?b=c#d"}}},
		{"(https://example.com/wiki/Go_(lang))", []want{{FacetLink, "https://example.com/wiki/Go_(lang)", "https://example.com/wiki/Go_(lang)"}}},
		{"(see https://example.com/x)", []want{{FacetLink, "https://example.com/x", "https://example.com/x"}}},
		{"is it http://example.com/?!", []want{{FacetLink, "http://example.com/", "http://example.com/"}}},
		{"ftp://example.com and https:// alone", nil},
		{"nothttps://example.com", nil},
		{"🎉🎉 https://例え.jp/パス 次", []want{{FacetLink, "https://例え.jp/パス", "https://例え.jp/パス"}}},
		{"hi @alice.test!", []want{{FacetMention, "@alice.test", "alice.test"}}},
		{"hi @alice.test.", []want{{FacetMention, "@alice.test", "alice.test"}}},
		{"👩‍👩‍👧 @bob.bsky.social 你好", []want{{FacetMention, "@bob.bsky.social", "bob.bsky.social"}}},
		{"(@carol.test)", []want{{FacetMention, "@carol.test", "carol.test"}}},
		{"mail bob@alice.test or @nodot or @x.123", nil},
		{"#crier rocks", []want{{FacetTag, "#crier", "crier"}}},
		{"日本語 #タグ。 です", []want{{FacetTag, "#タグ", "タグ"}}},
		{"日本語 #タグ、です", []want{{FacetTag, "#タグ、です", "タグ、です"}}},
		{"x #tag. #tag!? #c++", []want{{FacetTag, "#tag", "tag"}, {FacetTag, "#tag", "tag"}, {FacetTag, "#c++", "c++"}}},
		{"#123 #1st #️⃣ a#b", []want{{FacetTag, "#1st", "1st"}}},
		{"full-width ＃タグ", []want{{FacetTag, "＃タグ", "タグ"}}},
		{"zero\u200bwidth #ab\u200bcd", []want{{FacetTag, "#ab", "ab"}}},
		{"#" + strings.Repeat("a", 64) + " #" + strings.Repeat("b", 65), []want{{FacetTag, "#" + strings.Repeat("a", 64), strings.Repeat("a", 64)}}},
		{"🇫🇷 @a.test https://x.test #t", []want{
			{FacetMention, "@a.test", "a.test"},
			{FacetLink, "https://x.test", "https://x.test"},
			{FacetTag, "#t", "t"},
		}},
		{"https://x.test/#frag is one link", []want{{FacetLink, "https://x.test/#frag", "https://x.test/#frag"}}},
	}
	for _, tc := range cases {
		var got []want
		for _, f := range DetectFacets(tc.text) {
			got = append(got, want{f.Kind, tc.text[f.Start:f.End], f.Value})
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("DetectFacets(%q)\n got %q\nwant %q", tc.text, got, tc.want)
		}
	}
}

func TestFacetOffsetsAreBytes(t *testing.T) {
	text := "✨👩‍💻 日本 @alice.test"
	fs := DetectFacets(text)
	if len(fs) != 1 {
		t.Fatalf("facets %v", fs)
	}
	// ✨ is 3 bytes, 👩‍💻 11, each CJK character 3, two spaces: the mention starts at byte 22.
	if fs[0].Start != 22 || fs[0].End != 22+len("@alice.test") {
		t.Errorf("mention at %d..%d, want 22..%d", fs[0].Start, fs[0].End, 22+len("@alice.test"))
	}
}

func FuzzFacets(f *testing.F) {
	for _, s := range []string{
		"see https://example.com/a(b)c). @alice.test #tag",
		"🎉 #タグ ＃全角 @bob.bsky.social",
		"(https://x.test/?q=1!) #123 #a1",
		"#\ufe0f\u20e3 @-bad.test @good.test-",
		"\xff\xfe #bad\xffutf8 https://x.test/\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		text = validText(text) // what Publish hands to DetectFacets
		prevEnd := 0
		for _, fc := range DetectFacets(text) {
			if fc.Start < prevEnd || fc.Start >= fc.End || fc.End > len(text) {
				t.Fatalf("%q: facet %+v out of range or overlapping (prev end %d)", text, fc, prevEnd)
			}
			if !utf8.RuneStart(text[fc.Start]) || (fc.End < len(text) && !utf8.RuneStart(text[fc.End])) {
				t.Fatalf("%q: facet %+v not on rune boundaries", text, fc)
			}
			match := text[fc.Start:fc.End]
			switch fc.Kind {
			case FacetLink:
				if match != fc.Value {
					t.Fatalf("%q: link %q sliced as %q", text, fc.Value, match)
				}
			case FacetMention:
				if match != "@"+fc.Value || !validHandle(fc.Value) {
					t.Fatalf("%q: mention %q sliced as %q", text, fc.Value, match)
				}
			case FacetTag:
				if match != "#"+fc.Value && match != "＃"+fc.Value {
					t.Fatalf("%q: tag %q sliced as %q", text, fc.Value, match)
				}
			default:
				t.Fatalf("unknown kind %q", fc.Kind)
			}
			prevEnd = fc.End
		}
	})
}
