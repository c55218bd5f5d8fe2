package savedreplies

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/tuitest"
)

var ana = Vars{Name: "Ana López", Handle: "ana@toot.example", Me: "Rye & Shine", Network: "Mastodon"}

func TestFill(t *testing.T) {
	cases := []struct {
		name string
		body string
		v    Vars
		want string
	}{
		{"every placeholder", "Thanks {first_name}! ({name}, {handle}) — {me} on {network}", ana,
			"Thanks Ana! (Ana López, @ana@toot.example) — Rye & Shine on Mastodon"},
		{"no placeholders", "See you tomorrow 🥐", ana, "See you tomorrow 🥐"},
		{"empty", "", ana, ""},
		{"repeated and multi-line", "Hi {first_name},\n\n{first_name}, we open at 7.\n— {me}", ana,
			"Hi Ana,\n\nAna, we open at 7.\n— Rye & Shine"},
		{"handle given with its @", "{handle}", Vars{Handle: "@bo.bsky.social"}, "@bo.bsky.social"},
		{"first name given", "Hi {first_name}", Vars{Name: "Ana López", FirstName: "Anita", Handle: "ana"}, "Hi Anita"},
		{"flag in the name", "{name} / {first_name}", Vars{Name: "Dmitri 🇺🇦", Handle: "d"}, "Dmitri 🇺🇦 / Dmitri"},
		{"CJK name", "{first_name}さん、ありがとう", Vars{Name: "山田 太郎", Handle: "yamada"}, "山田さん、ありがとう"},
		{"emoji before the name", "Hi {first_name}", Vars{Name: "🥐 Bo", Handle: "bo"}, "Hi Bo"},
		{"name of emoji only", "Hi {first_name}", Vars{Name: "🥐🥐", Handle: "bo"}, "Hi 🥐🥐"},
		{"combining accents", "{first_name}", Vars{Name: "Zoe\u0301 Martin", Handle: "z"}, "Zoe\u0301"},
		{"no name: the handle stands in", "Thanks {name}! Hi {first_name}", Vars{Handle: "carla@social.example"},
			"Thanks @carla@social.example! Hi @carla@social.example"},
		{"blank name: the handle stands in", "{name}", Vars{Name: " \t ", Handle: "carla"}, "@carla"},
		{"escape sequences in a name are dropped", "Hi {name}",
			Vars{Name: "Eve\x1b]52;c;aGFjaw==\x07 \x1b[31mRed\x1b[0m", Handle: "eve"}, "Hi Eve Red"},
		{"a name over lines is one line", "Hi {name}!", Vars{Name: "Eve\nSmith\r\n", Handle: "eve"}, "Hi Eve Smith!"},
		{"literal braces", "{{name}} is a placeholder; so is {{handle}}", ana, "{name} is a placeholder; so is {handle}"},
		{"braces around a placeholder", "{{{first_name}}}", ana, "{Ana}"},
		{"lone doubled braces", "a }} b {{ c", ana, "a } b { c"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Fill(c.body, c.v)
			if err != nil {
				t.Fatalf("Fill(%q): %v", c.body, err)
			}
			if got != c.want {
				t.Errorf("Fill(%q)\n got %q\nwant %q", c.body, got, c.want)
			}
			if err := Check(c.body); err != nil {
				t.Errorf("Check(%q): %v", c.body, err)
			}
		})
	}
}

func TestFillRefuses(t *testing.T) {
	cases := []struct {
		name      string
		body      string
		want      string
		line, col int
	}{
		{"a typo", "Thanks {nmae}!", "{nmae} at line 1, column 8 is not a placeholder", 1, 8},
		{"capitals", "Hi\n  {Name}", "{Name} at line 2, column 3 is not a placeholder; did you mean {name}?", 2, 3},
		{"no underscore", "{firstname}", "did you mean {first_name}?", 1, 1},
		{"spaces inside", "{ handle }", "did you mean {handle}?", 1, 1},
		{"empty braces", "x {} y", "{} at line 1, column 3 is not a placeholder", 1, 3},
		{"columns count characters", "Hi 😀 é {x}", "{x} at line 1, column 8", 1, 8},
		{"never closed", "Hi {name, see you", `"{" at line 1, column 4 is never closed: write {{ for a brace`, 1, 4},
		{"closed on the next line", "Hi {name\n}", `"{" at line 1, column 4 is never closed`, 1, 4},
		{"opened twice", "{na{me}", `"{" at line 1, column 1 is never closed`, 1, 1},
		{"a lone closing brace", "Smile :}", `"}" at line 1, column 8 closes nothing: write }} for a brace`, 1, 8},
		{"after doubled braces", "{{x}} {y}", "{y} at line 1, column 7", 1, 7},
		{"a long runaway", "{name, and then a sentence that goes on and on}",
			"{name, and then a senten…} at line 1, column 1", 1, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for fn, err := range map[string]error{"Check": Check(c.body), "Fill": fillErr(c.body)} {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("%s(%q) = %v, want an error saying %q", fn, c.body, err, c.want)
				}
				var pe *PlaceholderError
				if !errors.As(err, &pe) || pe.Line != c.line || pe.Column != c.col {
					t.Errorf("%s(%q): %#v, want a *PlaceholderError at %d:%d", fn, c.body, err, c.line, c.col)
				}
			}
		})
	}
}

func fillErr(body string) error {
	_, err := Fill(body, ana)
	return err
}

func TestFillWithoutAValue(t *testing.T) {
	body := "Thanks!\n— {me}"
	if err := Check(body); err != nil {
		t.Fatalf("Check: %v", err)
	}
	_, err := Fill(body, Vars{Name: "Ana", Handle: "ana"})
	if err == nil || err.Error() != "{me} at line 2, column 3 has no value for this reply" {
		t.Errorf("Fill without Me: %v", err)
	}
	if _, err := Fill("Hi {first_name}", Vars{}); err == nil || !strings.Contains(err.Error(), "{first_name}") {
		t.Errorf("Fill with no name and no handle: %v", err)
	}
}

func TestVarsFor(t *testing.T) {
	it := store.InboxItem{Platform: store.PlatformBluesky, AuthorHandle: "bo.bsky.social", AuthorName: "Bo"}
	got := VarsFor(it, store.Account{Handle: "ryeandshine.bsky.social", DisplayName: "Rye & Shine"})
	want := Vars{Name: "Bo", Handle: "bo.bsky.social", Me: "Rye & Shine", Network: "Bluesky"}
	if got != want {
		t.Errorf("VarsFor = %+v, want %+v", got, want)
	}
	got = VarsFor(it, store.Account{Handle: "ryeandshine.bsky.social"})
	if got.Me != "@ryeandshine.bsky.social" {
		t.Errorf("Me without a display name = %q, want the handle", got.Me)
	}
}

// The demo's templates are written by hand: each must pass Check and, filled
// in for someone with a long name, still fit a Bluesky reply.
func TestDemoTemplates(t *testing.T) {
	st := tuitest.Store(t)
	ctx := context.Background()
	if err := demo.Seed(ctx, st, demo.Options{Seed: 7, Now: now}); err != nil {
		t.Fatal(err)
	}
	all, err := st.SavedReplies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 5 {
		t.Fatalf("the demo has %d saved replies", len(all))
	}
	long := Vars{Name: "Maximiliane Kowalczyk-Oyelaran", Handle: "maximiliane.kowalczyk-oyelaran.bsky.social",
		Me: "Rye & Shine Bakery", Network: "Bluesky"}
	for _, r := range all {
		if err := Check(r.Body); err != nil {
			t.Errorf("%q: %v", r.Name, err)
			continue
		}
		text, err := Fill(r.Body, long)
		if err != nil {
			t.Errorf("%q: %v", r.Name, err)
		}
		if n := platforms.Graphemes(text); n > 300 {
			t.Errorf("%q filled is %d graphemes, over Bluesky's 300: %s", r.Name, n, text)
		}
	}
}
