package drafts

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/photos"
	"github.com/crier-app/crier/tui/components/postcopy"
)

// The preview under the list shows the post under the cursor whole: where
// each copy is (sent when and how late, not sent why), every version of its
// text, its photos, and what can be done about it.

// previewPhotosMsg brings what was read of a post's photo files.
type previewPhotosMsg struct {
	id     int64
	photos []photos.Photo
}

// readPreviewPhotos reads the photos of the post under the cursor, once per
// load.
func (m *Model) readPreviewPhotos() tea.Cmd {
	it, ok := m.current()
	if !ok || len(it.Media) == 0 {
		return nil
	}
	if _, done := m.photoInfo[it.ID]; done {
		return nil
	}
	m.photoInfo[it.ID] = nil // asked; an answer replaces it
	id, media := it.ID, it.Media
	return func() tea.Msg { return previewPhotosMsg{id: id, photos: inspectAll(media)} }
}

func (m *Model) previewLines(h int) []string {
	it, ok := m.current()
	if !ok || h <= 0 {
		return nil
	}
	s := m.c.Styles
	w := m.width
	cut := func(t string) string { return common.Truncate(t, w, "…") }

	head := []string{string(it.State)}
	if !it.ScheduledAt.IsZero() {
		head = append(head, it.ScheduledAt.In(m.c.Zone).Format("Mon 2 Jan 2006 15:04"))
	}
	if it.State == store.PostDraft {
		var names []string
		for _, c := range it.Copies {
			names = append(names, postcopy.Name(c, it.Copies))
		}
		if len(names) == 0 {
			names = []string{"no account yet"}
		}
		head = append(head, strings.Join(names, ", "))
	}
	if n := len(it.Media); n > 0 {
		head = append(head, common.Count(n, "photo", "photos"))
	}
	var top []string
	top = append(top, s.Muted.Render(cut(strings.Join(head, " · "))))
	if it.State != store.PostDraft {
		// In account order; copies in the same place share a line.
		lines := postcopy.Lines(it.Copies, it.ScheduledAt, m.c.Zone, func(c store.Copy) bool { return c.State != store.DeliverySent })
		done := map[int]bool{}
		for _, c := range it.Copies {
			if c.State == store.DeliverySent {
				line := postcopy.Status(c, it.ScheduledAt, postcopy.Name(c, it.Copies), m.c.Zone) +
					" · " + postcopy.Counters(c.Metrics)
				top = append(top, postcopy.Style(s, c.State).Render(cut(line)))
				if c.RemoteURL != "" {
					top = append(top, s.Muted.Render(cut("  "+common.OneLine(common.Clean(c.RemoteURL)))))
				}
				continue
			}
			name := postcopy.Name(c, it.Copies)
			for i, l := range lines {
				if done[i] || l.State != c.State || !slices.Contains(l.Names, name) {
					continue
				}
				done[i] = true
				n := 1
				if l.State == store.DeliveryFailed {
					n = 2 // the server's reason, in view
				}
				for _, t := range common.WrapAtMost(l.Text(), w, n) {
					top = append(top, postcopy.Style(s, l.State).Render(t))
				}
			}
		}
	}

	var bottom []string
	shown := m.photoInfo[it.ID]
	for i, md := range it.Media {
		text := fmt.Sprintf("Photo %d: ", i+1)
		if i < len(shown) && shown[i].Path == md.Path {
			text += photoText(shown[i])
		} else {
			text += photoText(photos.Photo{Media: md, Info: photos.Info{Path: md.Path}})
		}
		bottom = append(bottom, s.Text.Render(cut(text)))
	}
	if hint := m.previewHint(it); hint != "" {
		bottom = append(bottom, s.Muted.Render(cut(hint)))
	}

	// The texts take what is left: the text for all networks first (when
	// some account sends it), then each account's own.
	room := h - len(top) - len(bottom)
	var texts []string
	own := 0
	for _, c := range it.Copies {
		if c.OwnText {
			own++
		}
	}
	usesMain := own < len(it.Copies) || len(it.Copies) == 0
	blocks := own
	if usesMain {
		blocks++
	}
	addText := func(label, body string, lines int) {
		if lines <= 0 {
			return
		}
		body = common.OneLine(common.Clean(body))
		if body == "" {
			body = "(empty)"
		}
		wrapped := strings.Split(ansi.Wrap(label+body, w, ""), "\n")
		if len(wrapped) > lines {
			rest := strings.Join(wrapped[lines-1:], " ")
			wrapped = append(wrapped[:lines-1], common.Truncate(rest, w, "…"))
		}
		for i, l := range wrapped {
			if i == 0 {
				texts = append(texts, s.Bold.Render(label)+s.Text.Render(strings.TrimPrefix(l, label)))
				continue
			}
			texts = append(texts, s.Text.Render(l))
		}
	}
	per := 0
	if blocks > 0 {
		per = max(room/blocks, 1)
	}
	if usesMain {
		label := "Text: "
		if own > 0 {
			label = "Text for " + mainUsers(it.Copies) + ": "
		}
		addText(label, it.Body, room-per*(blocks-1))
	}
	for _, c := range it.Copies {
		if c.OwnText {
			addText(postcopy.Name(c, it.Copies)+"'s own text: ", c.Text, per)
		}
	}
	if len(texts) > room {
		texts = texts[:max(room, 0)]
	}
	out := append(top, texts...)
	return append(out, bottom...)
}

// previewHint says what the keys do for this post.
func (m *Model) previewHint(it store.PostSummary) string {
	gone := false
	for _, c := range it.Copies {
		gone = gone || c.Gone()
	}
	n, which := postcopy.Fixable(it.Copies, nameIn(it.Copies))
	switch {
	case it.State == store.PostDraft:
		return "enter edits it · d deletes it"
	case n > 0:
		hint := fmt.Sprintf("enter fixes its text · s sends %s now · x drops %s", which, pronoun(n))
		if !gone {
			hint += " · u back to drafts"
		}
		return hint
	case it.State == store.PostQueued && !gone:
		return "enter edits it (it stays queued) · u takes it back to drafts"
	}
	return "enter edits what has not gone out"
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// mainUsers names the copies that send the post's own text, not one of
// their own.
func mainUsers(copies []store.Copy) string {
	var names []string
	for _, c := range copies {
		if !c.OwnText {
			names = append(names, postcopy.Name(c, copies))
		}
	}
	return joinAnd(names)
}
