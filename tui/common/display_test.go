package common

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestDisplay(t *testing.T) {
	cases := []struct {
		name, in, want string
		width          int
	}{
		{"ascii untouched", "Card or cash?", "Card or cash?", 13},
		{"heart with VS16", "favorita ❤️", "favorita ❤", 10},
		{"other text symbols with VS16", "☀️✔️⚠️♥️☺️©️™️ℹ️‼️", "☀✔⚠♥☺©™ℹ‼", 9},
		{"VS16 on an emoji that is wide anyway", "☕️", "☕", 2},
		{"keycap", "1️⃣ #️⃣", "1\u20e3 #\u20e3", 3},
		{"text presentation selector kept", "☕︎", "☕︎", 2},
		{"skin tone", "👍🏽 👋🏿", "👍 👋", 5},
		{"skin tone alone stays", "🏽", "🏽", 2},
		{"ZWJ sequence shown as its parts", "👩‍🍳", "👩🍳", 4},
		{"family", "👨‍👩‍👧‍👦", "👨👩👧👦", 8},
		{"rainbow flag", "🏳️‍🌈", "🏳🌈", 3},
		{"heart on fire", "❤️‍🔥", "❤🔥", 3},
		{"skin tone inside a ZWJ sequence", "👩🏽‍🍳", "👩🍳", 4},
		{"gendered", "🤷‍♀️", "🤷♀", 3},
		{"flag pair stays", "🇩🇪 🇪🇸", "🇩🇪 🇪🇸", 5},
		{"odd regional indicator is a letter", "🇩🇪🇫", "🇩🇪F", 3},
		{"lone regional indicator", "a🇩b", "aDb", 3},
		{"emoji already agreed on stay", "😬💛🔥🥐☕", "😬💛🔥🥐☕", 10},
		{"CJK", "日本語", "日本語", 6},
		{"combining accent", "e\u0301", "e\u0301", 1},
		{"ZWJ inside Indic text kept", "क्\u200dष", "क्\u200dष", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Display(tc.in)
			if got != tc.want {
				t.Fatalf("Display(%q) = %q (%U), want %q", tc.in, got, []rune(got), tc.want)
			}
			if w := Width(got); w != tc.width {
				t.Fatalf("Width(%q) = %d, want %d", got, w, tc.width)
			}
			if again := Display(got); again != got {
				t.Fatalf("Display is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestCleanDisplays(t *testing.T) {
	if got := Clean("\x1b[31mMi panadería favorita ❤️\x07"); got != "[31mMi panadería favorita ❤" && got != "Mi panadería favorita ❤" {
		t.Fatalf("Clean = %q", got)
	}
}

// widthSamples are the texts whose drawn width TestWidthIsWhatTmuxDraws asks
// tmux for: every kind of sequence Display rewrites, and ones it leaves.
var widthSamples = []string{
	"Mi panadería favorita ❤️", "¡Gracias! ❤️", "☀️ Sunday ☕", "✔️ done ⚠️ late", "♥️☺️©️™️ℹ️‼️",
	"👍🏽 thanks", "👋🏿👋🏻", "👩‍🍳 chef", "👨‍👩‍👧‍👦 family", "🏳️‍🌈 pride", "❤️‍🔥", "👩🏽‍🍳", "🤷‍♀️", "🧑‍🍳",
	"🇩🇪 🇪🇸 🇫🇷", "🇩🇪🇫", "a🇩b", "1️⃣ 2️⃣ #️⃣", "☕︎ ☕️",
	"😬 💛 🔥 🥐 🎉 🙌 ✨ 😋 🤤 👏 🥰 🌱 📚", "Brötchen ☕", "日本語のパン", "한국어", "Ａｂｃ ｱｲｳ",
	"e\u0301 n\u0303", "عربي", "ก้", "Ελληνικά", "Ñandú",
}

// TestWidthIsWhatTmuxDraws prints each sample, as Display shows it, in a
// real tmux and asks tmux where its cursor ended up: that must be Width. tmux
// is where columns went wrong (a divider shifted by one, stray characters),
// and it reads widths the way wcwidth-based terminals do. Skipped without
// tmux.
func TestWidthIsWhatTmuxDraws(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("no tmux on PATH")
	}
	dir := t.TempDir()
	in, out, done := filepath.Join(dir, "in"), filepath.Join(dir, "out"), filepath.Join(dir, "done")
	shown := make([]string, len(widthSamples))
	for i, s := range widthSamples {
		shown[i] = Display(s)
	}
	if err := os.WriteFile(in, []byte(strings.Join(shown, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// done is a pipe: the script's last word unblocks the test's read.
	if err := syscall.Mkfifo(done, 0o600); err != nil {
		t.Skipf("no named pipe here: %v", err)
	}
	// The script prints a sample, asks the terminal (tmux) for the cursor
	// position and waits for the answer, so each reading is of a finished
	// line.
	script := filepath.Join(dir, "measure.sh")
	body := fmt.Sprintf(`#!/bin/bash
export LC_ALL=C.UTF-8
while IFS= read -r s <&3; do
  printf '\r\033[2K%%s' "$s"
  IFS='[;' read -rs -d R -p $'\e[6n' _ row col
  echo "$((col-1))" >> %q
done 3< %q
echo done > %q
sleep 30
`, out, in, done)
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	socket := fmt.Sprintf("crier-width-%d", os.Getpid())
	cmd := exec.Command(tmux, "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "5", script)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("tmux would not start: %v %s", err, b)
	}
	t.Cleanup(func() { exec.Command(tmux, "-L", socket, "kill-server").Run() })
	finished := make(chan error, 1)
	go func() {
		_, err := os.ReadFile(done) // blocks until the script has written
		finished <- err
	}()
	select {
	case err := <-finished:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second): // a guard on a stuck tmux, not a pace
		os.WriteFile(done, nil, 0o600) // let the reader go
		t.Fatal("tmux did not answer for 30 s")
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	i := 0
	for ; sc.Scan(); i++ {
		drawn, err := strconv.Atoi(sc.Text())
		if err != nil || i >= len(shown) {
			t.Fatalf("reading %d: %q", i, sc.Text())
		}
		if w := Width(shown[i]); w != drawn {
			t.Errorf("%q (shown as %q, %U): Width %d, tmux draws %d cells", widthSamples[i], shown[i], []rune(shown[i]), w, drawn)
		}
	}
	if i != len(shown) {
		t.Fatalf("tmux measured %d of %d samples", i, len(shown))
	}
}
