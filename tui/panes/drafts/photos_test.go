package drafts

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/tui/common"
)

// writePNG writes a w×h PNG, padded with trailing bytes to at least size
// bytes (a decoder reads the header only; the networks count the file).
func writePNG(t testing.TB, dir, name string, w, h, size int) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	if pad := size - b.Len(); pad > 0 {
		b.Write(make([]byte, pad))
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// photoNetworks are the test networks, whose specs carry each one's image
// limits.
func photoNetworks() map[string]common.NetworkSpec { return testNetworks() }

func (h *harness) toPhotos() {
	h.t.Helper()
	for h.m.comp.focus != fieldPhotos {
		h.do(keyTab)
	}
}

// TestAttachPhotoWithCompletionAndAltText: a photo is attached by typing
// its path (tab completes it), gets alt text, is checked against each
// network before queueing, and is saved with the post.
func TestAttachPhotoWithCompletionAndAltText(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.c.Networks = photoNetworks()
	dir := t.TempDir()
	path := writePNG(t, dir, "rye-loaf.png", 1200, 800, 0)
	writePNG(t, dir, "rye-bun.png", 10, 10, 0)
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not offered"), 0o600); err != nil {
		t.Fatal(err)
	}

	h.do(typed("n"))
	h.do(typed("Rye loaves today"))
	h.toPhotos()
	h.requireInView("none · a attaches one")
	h.do(typed("a"))
	h.do(typed(dir + "/r"))
	h.do(keyTab) // completes to what both names share, and lists them
	if got := h.m.comp.prompt.input.Value(); got != dir+"/rye-" {
		t.Fatalf("tab completed to %q", got)
	}
	h.requireInView("rye-bun.png  rye-loaf.png")
	h.do(typed("l"))
	h.do(keyTab)
	if got := h.m.comp.prompt.input.Value(); got != path {
		t.Fatalf("tab completed to %q, want %q", got, path)
	}
	h.do(keyEnter)
	if len(h.m.comp.photos) != 1 || h.m.comp.prompt != nil {
		t.Fatalf("photos %+v, prompt %+v", h.m.comp.photos, h.m.comp.prompt)
	}
	h.requireInView("1 rye-loaf.png · ")
	h.requireInView("1200×800 · no alt text")
	// Bluesky needs alt text: queueing is blocked, and says why.
	h.requireInView("photo 1 (rye-loaf.png) has no alt text, which Bluesky needs")
	h.do(keyShiftTab)
	h.do(typed("tomorrow 9am"))
	h.do(keyCtrlS)
	if !h.m.Capturing() {
		t.Fatal("a photo without alt text was queued for Bluesky")
	}

	h.toPhotos()
	h.do(keyEnter) // alt text
	h.do(typed("A dark rye loaf, cut open, on a board"))
	h.requireInView("Mastodon 37/1500 · Bluesky 37/2000")
	h.do(keyEnter)
	h.requireInView("1200×800 · alt “A dark rye loaf, cut open")
	h.do(keyCtrlS)
	if h.m.Capturing() {
		t.Fatalf("not queued: %q", h.m.comp.problem)
	}
	p := h.post(h.m.items[0].ID)
	if len(p.Media) != 1 || p.Media[0].Path != path || p.Media[0].Mime != "image/png" ||
		p.Media[0].AltText != "A dark rye loaf, cut open, on a board" {
		t.Fatalf("saved media %+v", p.Media)
	}
	// The list and its preview show it.
	h.requireInView("[1 photo] Rye loaves today")
	h.requireInView("Photo 1: rye-loaf.png · ")
	h.requireInView(" · 1200×800 · alt “A dark rye loaf")
}

// TestPhotosCheckedAgainstEachNetwork: a photo too big or of a type a
// network doesn't take blocks queueing to it, by the server's own limits
// where it said them; taking that network off lets it go.
func TestPhotosCheckedAgainstEachNetwork(t *testing.T) {
	h := newHarness(t, 120, 37)
	h.c.Networks = photoNetworks()
	dir := t.TempDir()
	big := writePNG(t, dir, "cake.png", 4000, 3000, 2_400_000)
	heic := filepath.Join(dir, "IMG_0042.HEIC")
	if err := os.WriteFile(heic, append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 64)...), 0o600); err != nil {
		t.Fatal(err)
	}
	h.do(typed("n"))
	h.do(typed("Cake"))
	h.toPhotos()
	for _, p := range []string{big, heic} {
		h.do(typed("a"))
		h.m.comp.prompt.input.SetValue(p)
		h.do(keyEnter)
		h.do(keyEnter)
		h.do(typed("A cake"))
		h.do(keyEnter)
	}
	if len(h.m.comp.photos) != 2 {
		t.Fatalf("%d photos attached", len(h.m.comp.photos))
	}
	var problems []string
	for _, p := range h.m.comp.problems {
		problems = append(problems, p.Text)
	}
	all := strings.Join(problems, "\n")
	for _, want := range []string{
		"photo 1 (cake.png) is 2.4 MB; Bluesky takes images up to 2.0 MB",
		"photo 2 (IMG_0042.HEIC) is HEIC, which Bluesky doesn't take",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "Mastodon") {
		t.Errorf("Mastodon takes both, yet:\n%s", all)
	}
	// The Mastodon server says it takes images up to 1 MB: that blocks too.
	h.c.Limits = map[int64]platforms.Limits{h.c.Accounts[0].ID: {MaxImageBytes: 1_000_000, MaxImages: 4}}
	h.do(alt('2')) // Bluesky off
	h.do(keyShiftTab)
	h.do(typed("tomorrow 9am"))
	h.do(keyCtrlS)
	if !strings.Contains(h.m.comp.problem, "photo 1 (cake.png) is 2.4 MB; Mastodon takes images up to 1.0 MB") {
		t.Fatalf("problem %q", h.m.comp.problem)
	}
	h.c.Limits = nil
	h.do(keyCtrlS)
	if h.m.Capturing() {
		t.Fatalf("not queued to Mastodon alone: %q", h.m.comp.problem)
	}
}

// TestAttachRefusesWhatIsNoPhoto: a missing file or one that is not an
// image stays in the prompt with the reason.
func TestAttachRefusesWhatIsNoPhoto(t *testing.T) {
	h := newHarness(t, 80, 21)
	dir := t.TempDir()
	txt := filepath.Join(dir, "menu.txt")
	if err := os.WriteFile(txt, []byte("Rye 4.50"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.do(typed("n"))
	h.toPhotos()
	for path, want := range map[string]string{
		txt:                            "menu.txt is not a photo",
		filepath.Join(dir, "gone.jpg"): "there is no file",
	} {
		h.do(typed("a"))
		h.m.comp.prompt.input.SetValue(path)
		h.do(keyEnter)
		if h.m.comp.prompt == nil || !strings.Contains(h.m.comp.prompt.err, want) {
			t.Fatalf("%s: prompt %+v", path, h.m.comp.prompt)
		}
		h.requireInView(want)
		h.do(keyEsc)
	}
	if len(h.m.comp.photos) != 0 {
		t.Fatal("something was attached")
	}
	h.do(tea.KeyMsg{Type: tea.KeyEsc})
}

func TestCompleteTilde(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home folder")
	}
	msg := completeCmd(1, 1, "~")().(completedMsg)
	if len(msg.candidates) != 1 || msg.candidates[0] != "~/" {
		t.Fatalf("~ completes to %v", msg.candidates)
	}
	if p, err := expandPath("~/x.png"); err != nil || p != filepath.Join(home, "x.png") {
		t.Fatalf("~/x.png reads as %q, %v", p, err)
	}
}

// TestQuitKeepsAltTextBeingWritten: crier closing while a photo's alt text
// is being written (ctrl+c, a dropped SSH connection) saves it with the
// photo; only esc leaves it.
func TestQuitKeepsAltTextBeingWritten(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.c.Networks = photoNetworks()
	path := writePNG(t, t.TempDir(), "rye-loaf.png", 1200, 800, 0)
	h.do(typed("n"))
	h.do(typed("Rye loaves today"))
	h.toPhotos()
	h.do(typed("a"))
	h.do(typed(path))
	h.do(keyEnter)
	if len(h.m.comp.photos) != 1 {
		t.Fatalf("photos %+v", h.m.comp.photos)
	}
	h.do(keyEnter) // alt text
	h.do(typed("A dark rye loaf, cut open, on a board"))
	h.collect(h.send(common.BeforeQuitMsg{}))
	if h.countPosts() != 1 {
		t.Fatalf("%d posts after quitting", h.countPosts())
	}
	var id int64
	if err := h.c.Store.DB().QueryRow("SELECT id FROM posts").Scan(&id); err != nil {
		t.Fatal(err)
	}
	p := h.post(id)
	if len(p.Media) != 1 || p.Media[0].AltText != "A dark rye loaf, cut open, on a board" {
		t.Fatalf("saved media %+v, want the alt text being written", p.Media)
	}
}

// TestQuitKeepsPathBeingTyped: a photo's path being typed into the attach
// prompt when crier closes (ctrl+c, a dropped SSH connection) is kept and
// comes back when the attach prompt opens again; nothing typed keeps
// nothing.
func TestQuitKeepsPathBeingTyped(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.c.Networks = photoNetworks()
	path := writePNG(t, t.TempDir(), "rye-loaf.png", 1200, 800, 0)
	h.do(typed("n"))
	h.do(typed("Rye loaves today"))
	h.toPhotos()
	h.do(typed("a"))
	h.do(typed(path))
	h.collect(h.send(common.BeforeQuitMsg{}))

	reopen := func() {
		t.Helper()
		h.m = New(h.c)
		h.m.SetSize(80, 21)
		h.settle(h.m.Init())
		h.do(keyEnter)
		if h.m.comp == nil || h.m.comp.mainText() != "Rye loaves today" {
			t.Fatalf("the draft did not open:\n%s", h.view())
		}
		h.toPhotos()
	}
	reopen()
	h.do(typed("a"))
	if h.m.comp.prompt == nil || h.m.comp.prompt.input.Value() != path {
		t.Fatalf("attach prompt after reopening:\n%s", h.view())
	}
	if s := h.lastStatus(); s.Text != common.BroughtBack {
		t.Fatalf("status %+v", s)
	}
	h.do(keyEnter)
	if len(h.m.comp.photos) != 1 {
		t.Fatalf("photos %+v", h.m.comp.photos)
	}
	// Untouched, the prompt keeps nothing.
	h.do(typed("a"))
	h.collect(h.send(common.BeforeQuitMsg{}))
	if typed, err := h.c.Store.TakeKeptForm(context.Background(), attachKept); err != nil || typed != nil {
		t.Fatalf("kept %v, %v for an untouched prompt", typed, err)
	}
}
