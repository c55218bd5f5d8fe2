package drafts

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/photos"
)

// The Photos field: photos are attached by typing a file's path (tab
// completes it, from the folder typed so far), each with its alt text, and
// checked against every chosen network as they change.

type promptKind int

const (
	promptAttach promptKind = iota
	promptAlt
)

// prompt is the one-line input the Photos field opens: a path to attach, or
// a photo's alt text.
type prompt struct {
	kind       promptKind
	photo      int // promptAlt: which photo, 0-based
	input      textinput.Model
	candidates []string // promptAttach: what tab found for the folder typed
	seq        int      // of the newest completion asked for
	err        string
	busy       bool // an attach is being read from disk
	// opened is what the line held when it opened: nothing was typed
	// while it still holds that.
	opened string
}

type (
	// completedMsg answers a tab in the attach prompt: the entries of the
	// folder typed that start as the name typed does.
	completedMsg struct {
		gen, seq   int
		input      string
		candidates []string
		err        error
	}
	// photoReadMsg answers an attach: the file as read, or why it can't be.
	photoReadMsg struct {
		gen   int
		photo photos.Photo
		err   error
	}
)

// mediaLocked says why the photos can't change, or "": a copy that went out
// carried them.
func (m *composer) mediaLocked() string {
	for _, a := range m.c.Accounts {
		if c, ok := m.gone(a.ID); ok {
			return "the photos went out on " + m.accountName(c.AccountID) + ": they can't change"
		}
	}
	return ""
}

func (m *composer) newPrompt(kind promptKind, value, placeholder string) *prompt {
	in := m.c.TextInput(placeholder)
	in.Width = max(m.width-labelWidth-1, 1)
	in.SetValue(value)
	in.CursorEnd()
	return &prompt{kind: kind, input: in, opened: value}
}

// attachKept names the attach prompt for store.KeepForm: a path being
// typed when crier closes (ctrl+c, a dropped SSH connection) is kept and
// comes back in the next attach prompt that opens. A path names a file,
// not a post, so one key serves every composer.
const attachKept = "drafts/attach"

// keptPathMsg brings back a path typed into the attach prompt p of the
// composer gen before crier closed with it open.
type keptPathMsg struct {
	gen   int
	p     *prompt
	typed map[string]string
	err   error
}

// keepPath keeps the path being typed into the attach prompt, for
// BeforeQuitMsg: nothing when nothing was typed.
func (m *composer) keepPath() tea.Cmd {
	p := m.prompt
	if p == nil || p.kind != promptAttach || p.input.Value() == p.opened {
		return nil
	}
	return common.KeepTyped(m.c.Store, attachKept, map[string]string{"path": p.input.Value()})
}

// onKeptPath puts a kept path back into the attach prompt that asked, if
// it is still open and untouched; else it is kept again.
func (m *composer) onKeptPath(msg keptPathMsg) tea.Cmd {
	p := m.prompt
	if p != msg.p || p.kind != promptAttach || p.busy || p.input.Value() != p.opened {
		return common.KeepTyped(m.c.Store, attachKept, msg.typed)
	}
	p.input.SetValue(msg.typed["path"])
	p.input.CursorEnd()
	p.candidates, p.err = nil, ""
	return common.Status(common.BroughtBack, false)
}

// photosKey handles a key while the Photos field has focus.
func (m *composer) photosKey(msg tea.KeyMsg) tea.Cmd {
	k, nav := m.keys, m.c.Nav
	switch {
	case key.Matches(msg, k.Attach):
		if why := m.mediaLocked(); why != "" {
			m.problem = why
			return nil
		}
		dir := ""
		if n := len(m.photos); n > 0 {
			dir = tildePath(filepath.Dir(m.photos[n-1].Path)) + string(filepath.Separator)
		}
		p := m.newPrompt(promptAttach, dir, "path to a photo, e.g. ~/Pictures/rye.jpg (tab completes)")
		m.prompt = p
		m.resize()
		gen := m.gen
		return tea.Batch(p.input.Focus(), common.TakeKept(m.c.Store, attachKept, func(typed map[string]string, err error) tea.Msg {
			return keptPathMsg{gen: gen, p: p, typed: typed, err: err}
		}))
	case key.Matches(msg, k.AltText):
		if !m.canChangePhoto() {
			return nil
		}
		m.prompt = m.newPrompt(promptAlt, m.photos[m.photoCursor].AltText, "what the photo shows, for people who can't see it")
		m.prompt.photo = m.photoCursor
		m.resize()
		return m.prompt.input.Focus()
	case key.Matches(msg, k.Remove):
		if !m.canChangePhoto() {
			return nil
		}
		m.photos = append(m.photos[:m.photoCursor:m.photoCursor], m.photos[m.photoCursor+1:]...)
		m.photoCursor = min(m.photoCursor, max(len(m.photos)-1, 0))
		m.resize()
		return m.edited()
	case key.Matches(msg, nav.Left, nav.Up):
		m.photoCursor = max(m.photoCursor-1, 0)
	case key.Matches(msg, nav.Right, nav.Down):
		m.photoCursor = min(m.photoCursor+1, max(len(m.photos)-1, 0))
	}
	return nil
}

// canChangePhoto reports whether there is a photo under the cursor that
// may change now; when the photos are locked it says why.
func (m *composer) canChangePhoto() bool {
	if m.photoCursor >= len(m.photos) {
		return false
	}
	if why := m.mediaLocked(); why != "" {
		m.problem = why
		return false
	}
	return true
}

// promptKey handles a key while a prompt is open.
func (m *composer) promptKey(msg tea.KeyMsg) tea.Cmd {
	p := m.prompt
	k := m.keys
	switch {
	case key.Matches(msg, k.Close):
		m.prompt = nil
		m.resize()
		return nil
	case key.Matches(msg, k.PromptOK):
		if p.kind == promptAlt {
			m.photos[p.photo].AltText = strings.TrimSpace(p.input.Value())
			m.prompt = nil
			m.resize()
			return m.edited()
		}
		path := strings.TrimSpace(p.input.Value())
		if path == "" {
			p.err = "type the path of a photo first"
			return nil
		}
		p.busy, p.err = true, ""
		return readPhotoCmd(m.gen, path)
	case p.kind == promptAttach && key.Matches(msg, k.Complete):
		p.seq++
		return completeCmd(m.gen, p.seq, p.input.Value())
	}
	before := p.input.Value()
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before {
		p.err = ""
		p.candidates = narrow(p.candidates, before, p.input.Value())
		if p.kind == promptAlt {
			m.refresh()
		}
	}
	return cmd
}

// narrow keeps the completions that still fit what is typed, when only the
// name part changed.
func narrow(candidates []string, before, now string) []string {
	if dirPart(before) != dirPart(now) {
		return nil
	}
	var out []string
	for _, c := range candidates {
		if strings.HasPrefix(c, now) {
			out = append(out, c)
		}
	}
	return out
}

func dirPart(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[:i+1]
	}
	return ""
}

func (m *composer) onCompleted(msg completedMsg) {
	p := m.prompt
	if p == nil || p.kind != promptAttach || msg.seq != p.seq || msg.input != p.input.Value() {
		return
	}
	switch {
	case msg.err != nil:
		p.err = msg.err.Error()
		p.candidates = nil
	case len(msg.candidates) == 0:
		p.err = "no folder or photo here starts with that"
		p.candidates = nil
	case len(msg.candidates) == 1:
		p.input.SetValue(msg.candidates[0])
		p.candidates = nil
	default:
		p.input.SetValue(commonPrefix(msg.candidates))
		p.candidates = msg.candidates
	}
	p.input.CursorEnd()
	m.resize()
}

func commonPrefix(ss []string) string {
	prefix := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, prefix) {
			_, size := lastRune(prefix)
			prefix = prefix[:len(prefix)-size]
		}
	}
	return prefix
}

func lastRune(s string) (rune, int) {
	r := []rune(s)
	if len(r) == 0 {
		return 0, 0
	}
	return r[len(r)-1], len(string(r[len(r)-1]))
}

func (m *composer) onPhotoRead(msg photoReadMsg) tea.Cmd {
	p := m.prompt
	if p == nil || p.kind != promptAttach {
		return nil
	}
	p.busy = false
	if msg.err != nil {
		p.err = msg.err.Error()
		return nil
	}
	for _, ph := range m.photos {
		if ph.Path == msg.photo.Path {
			p.err = "that photo is attached already"
			return nil
		}
	}
	m.photos = append(m.photos, msg.photo)
	m.photoCursor = len(m.photos) - 1
	m.prompt = nil
	m.resize()
	return m.edited()
}

// resize gives the text box what the other lines leave, which changes as
// photos come and go and prompts open and close.
func (m *composer) resize() { m.setSize(m.width, m.height) }

// expandPath reads a typed path: ~ is the home folder, and a relative path
// is taken from crier's working folder. The stored path is absolute: the
// scheduler reads the file when the post goes out, from wherever it runs.
func expandPath(typed string) (string, error) {
	p := typed
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("can't tell where ~ is: %v", err)
		}
		p = filepath.Join(home, strings.TrimPrefix(p, "~"))
	}
	return filepath.Abs(p)
}

// tildePath writes a path under the home folder with ~, as people type it.
func tildePath(p string) string {
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		if rel, err := filepath.Rel(home, p); err == nil && !strings.HasPrefix(rel, "..") {
			if rel == "." {
				return "~"
			}
			return "~/" + rel
		}
	}
	return p
}

// readPhotoCmd reads the file a path names, for attaching.
func readPhotoCmd(gen int, typed string) tea.Cmd {
	return func() tea.Msg {
		path, err := expandPath(typed)
		if err != nil {
			return photoReadMsg{gen: gen, err: err}
		}
		info, err := photos.Inspect(path)
		switch {
		case os.IsNotExist(err):
			return photoReadMsg{gen: gen, err: fmt.Errorf("there is no file %s", path)}
		case err != nil:
			return photoReadMsg{gen: gen, err: err}
		case !photos.IsImage(info.Mime):
			return photoReadMsg{gen: gen, err: fmt.Errorf("%s is not a photo (its content is %s)", info.Name(), info.Mime)}
		}
		return photoReadMsg{gen: gen, photo: photos.Photo{Media: store.Media{Path: path, Mime: info.Mime}, Info: info}}
	}
}

// maxCandidates bounds what one tab lists.
const maxCandidates = 200

// completeCmd lists the folders and photos in the folder typed whose names
// start as the name typed does, as the input would read with each.
func completeCmd(gen, seq int, typed string) tea.Cmd {
	return func() tea.Msg {
		if typed == "~" {
			return completedMsg{gen: gen, seq: seq, input: typed, candidates: []string{"~/"}}
		}
		dirTyped, name := dirPart(typed), typed[len(dirPart(typed)):]
		dir := dirTyped
		if dir == "" {
			dir = "."
		}
		expanded, err := expandPath(dir)
		if err != nil {
			return completedMsg{gen: gen, seq: seq, input: typed, err: err}
		}
		entries, err := os.ReadDir(expanded)
		if err != nil {
			return completedMsg{gen: gen, seq: seq, input: typed, err: fmt.Errorf("can't list %s: %v", dir, err)}
		}
		var out []string
		for _, e := range entries {
			n := e.Name()
			if !strings.HasPrefix(n, name) || (strings.HasPrefix(n, ".") && !strings.HasPrefix(name, ".")) {
				continue
			}
			isDir := e.IsDir()
			if e.Type()&os.ModeSymlink != 0 {
				if fi, err := os.Stat(filepath.Join(expanded, n)); err == nil {
					isDir = fi.IsDir()
				}
			}
			switch {
			case isDir:
				out = append(out, dirTyped+n+"/")
			case photos.LooksLikeImage(n):
				out = append(out, dirTyped+n)
			}
			if len(out) == maxCandidates {
				break
			}
		}
		sort.Strings(out)
		return completedMsg{gen: gen, seq: seq, input: typed, candidates: out}
	}
}
