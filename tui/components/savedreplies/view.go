package savedreplies

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// sideBySide is the inner width from which the preview sits beside the list
// rather than under it.
const sideBySide = 96

const nameLabel = "Name  "

func (m *Model) innerWidth() int  { return max(m.width-2, 0) }
func (m *Model) innerHeight() int { return max(m.height-2, 0) }

// listLayout is where the list and the preview go: a header, the filter and
// a rule on top, a line for problems at the bottom, the rest between.
type listLayout struct {
	side               bool
	listW, rows        int
	previewW, previewH int // the preview's text, below its own header line
}

func (m *Model) listLayout() listLayout {
	iw := m.innerWidth()
	body := max(m.innerHeight()-4, 0)
	if iw >= sideBySide {
		listW := iw * 2 / 5
		return listLayout{side: true, listW: listW, rows: body, previewW: iw - listW - 3, previewH: max(body-1, 0)}
	}
	rows := min(max(len(m.shown), 1), max(body/2, 1), body)
	return listLayout{listW: iw, rows: rows, previewW: iw, previewH: max(body-rows-1, 0)}
}

// formLayout is the heights of the form's text box and preview; six lines
// go to the title, the name, labels and problems.
type formLayout struct{ body, preview int }

func (m *Model) formLayout() formLayout {
	rem := max(m.innerHeight()-6, 0)
	preview := 0
	if rem >= 2 {
		preview = min(max(rem/3, 1), 8)
	}
	return formLayout{body: max(rem-preview, 1), preview: preview}
}

// View draws the open picker in a box of exactly the size SetSize gave.
func (m *Model) View() string {
	if !m.active || m.width < 3 || m.height < 3 {
		return ""
	}
	var lines []string
	if m.mode == modeForm {
		lines = m.formLines()
	} else {
		lines = m.listLines()
	}
	return m.c.Styles.BoxFocused.Render(strings.Join(common.Box(strings.Join(lines, "\n"), m.innerWidth(), m.innerHeight()), "\n"))
}

func (m *Model) listLines() []string {
	s := m.c.Styles
	iw := m.innerWidth()
	l := m.listLayout()

	count := ""
	if strings.TrimSpace(m.filter.Value()) != "" {
		count = fmt.Sprintf("%d of %d", len(m.shown), len(m.all))
	}
	lines := []string{
		common.Spread(s.Title.Render("Saved replies")+s.Muted.Render(" · "+m.who()), s.Muted.Render(count), iw),
		m.filter.View(),
		s.Muted.Render(strings.Repeat("─", iw)),
	}

	list := m.rowLines(l.listW, l.rows, !l.side)
	r, ok := m.current()
	if l.side {
		preview := []string{s.Muted.Render("Preview")}
		if ok {
			preview[0] = s.Muted.Render("Preview · " + m.usage(r))
			preview = append(preview, m.previewLines(r.Body, l.previewW, l.previewH, "can't be used here: ")...)
		} else {
			preview = append(preview, m.hintLines(l.previewW, l.previewH)...)
		}
		sep := s.Muted.Render(" │ ")
		for i := range l.rows {
			row := common.Fit(cell(list, i), l.listW) + sep + cell(preview, i)
			lines = append(lines, row)
		}
	} else {
		lines = append(lines, list...)
		for range l.rows - len(list) {
			lines = append(lines, "")
		}
		if l.rows < max(m.innerHeight()-4, 0) {
			head := "── Preview "
			if ok {
				head += "· " + m.usage(r) + " "
			}
			lines = append(lines, s.Muted.Render(head+strings.Repeat("─", max(iw-common.Width(head), 0))))
			if ok {
				lines = append(lines, m.previewLines(r.Body, l.previewW, l.previewH, "can't be used here: ")...)
			} else {
				lines = append(lines, m.hintLines(l.previewW, l.previewH)...)
			}
		}
	}

	bottom := ""
	switch {
	case m.mode == modeConfirm && ok:
		bottom = s.Warn.Render(fmt.Sprintf("Delete %q? y deletes it, any other key keeps it", common.Clean(r.Name)))
	case m.problem != "":
		bottom = s.Danger.Render(common.Clean(m.problem))
	}
	for len(lines) < m.innerHeight()-1 {
		lines = append(lines, "")
	}
	return append(lines[:max(m.innerHeight()-1, 0)], bottom)
}

func cell(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}

// rowLines draws the visible templates, or why there are none.
func (m *Model) rowLines(width, rows int, withBody bool) []string {
	s := m.c.Styles
	if rows <= 0 {
		return nil
	}
	if len(m.shown) == 0 {
		var msg string
		switch {
		case m.loadErr != nil:
			return []string{s.Danger.Render("couldn't read the saved replies: " + common.Clean(m.loadErr.Error()))}
		case m.loading:
			msg = "loading…"
		case len(m.all) == 0:
			msg = "No saved replies yet: ctrl+n writes one."
		default:
			msg = fmt.Sprintf("Nothing matches %q: ctrl+n saves a new reply by that name.", common.Clean(m.filter.Value()))
		}
		return []string{s.Muted.Render(msg)}
	}
	end := min(m.offset+rows, len(m.shown))
	visible := m.shown[m.offset:end]
	nameCol := 0
	for _, v := range visible {
		nameCol = max(nameCol, common.Width(common.Clean(v.reply.Name)))
	}
	nameCol = min(nameCol, max((width-2)/3, 12))

	out := make([]string, 0, len(visible))
	for i, v := range visible {
		selected := m.offset+i == m.cursor
		name := common.Clean(v.reply.Name)
		uses := ""
		if v.reply.Uses > 0 {
			uses = fmt.Sprintf("%d×", v.reply.Uses)
		}
		avail := max(width-2-common.Width(uses)-1, 1)
		nameW := avail
		snippet := ""
		if withBody {
			nameW = min(nameCol, avail)
			snippet = common.Truncate(firstLine(v.reply.Body), max(avail-nameW-2, 0), "…")
		}
		plainName := common.Truncate(name, nameW, "…")
		if selected {
			row := "› " + common.Fit(plainName, nameW)
			if snippet != "" {
				row += "  " + snippet
			}
			out = append(out, s.Selected.Render(common.Spread(row, uses, width)))
			continue
		}
		drawn := plainName
		if plainName == v.reply.Name && len(v.hits) > 0 {
			drawn = m.highlight(name, v.hits)
		}
		row := "  " + common.Fit(drawn, nameW)
		if snippet != "" {
			row += "  " + s.Muted.Render(snippet)
		}
		out = append(out, common.Spread(row, s.Muted.Render(uses), width))
	}
	return out
}

// highlight marks the bytes of name the filter matched.
func (m *Model) highlight(name string, hits []int) string {
	var b strings.Builder
	h := 0
	for i, r := range name {
		for h < len(hits) && hits[h] < i {
			h++
		}
		if h < len(hits) && hits[h] == i {
			b.WriteString(m.c.Styles.Accent.Render(string(r)))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// firstLine is the first line of a template with text on it, for the list.
func firstLine(body string) string {
	for _, l := range strings.Split(common.Clean(body), "\n") {
		if t := strings.TrimSpace(l); t != "" {
			return strings.ReplaceAll(t, "\t", " ")
		}
	}
	return ""
}

// previewLines is body filled for the reply, or why it can't be filled
// (after errPrefix), wrapped to width and cut to height.
func (m *Model) previewLines(body string, width, height int, errPrefix string) []string {
	text, err := Fill(body, m.vars)
	if err != nil {
		return m.wrapped(errPrefix+err.Error(), m.c.Styles.Warn, width, height)
	}
	return m.wrapped(text, m.c.Styles.Text, width, height)
}

// hintLines take the preview's place while there is no template to show.
func (m *Model) hintLines(width, height int) []string {
	if len(m.all) > 0 || m.loading || m.loadErr != nil {
		return nil
	}
	hint := "A saved reply is a text you write once and use in any reply. In it, " +
		"{" + strings.Join(placeholders, "}, {") + "} are filled in for whoever you answer; " +
		"write {{ and }} for braces."
	return m.wrapped(hint, m.c.Styles.Muted, width, height)
}

// wrapped is text in style, wrapped to width and cut to height.
func (m *Model) wrapped(text string, style lipgloss.Style, width, height int) []string {
	if height <= 0 || width <= 0 {
		return nil
	}
	text = strings.ReplaceAll(common.Clean(text), "\t", "    ")
	lines := strings.Split(ansi.Wrap(text, width, ""), "\n")
	if len(lines) > height {
		lines = lines[:height]
		lines[height-1] = common.Truncate(lines[height-1], max(width-1, 0), "") + "…"
	}
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}

// who says whom the reply is for: "for Ana López (@ana@toot.example) on
// Mastodon".
func (m *Model) who() string {
	v := m.vars.values()
	var w string
	switch {
	case v["handle"] == "":
		w = v["name"]
	case v["name"] == v["handle"]:
		w = v["handle"]
	default:
		w = v["name"] + " (" + v["handle"] + ")"
	}
	if w != "" {
		w = "for " + w
	}
	if v["network"] != "" {
		w = strings.TrimSpace(w + " on " + v["network"])
	}
	return w
}

// usage says how often and when a template was last used.
func (m *Model) usage(r store.SavedReply) string {
	switch r.Uses {
	case 0:
		return "never used"
	case 1:
		return "used once, " + m.day(r.LastUsedAt)
	}
	return fmt.Sprintf("used %d times, last %s", r.Uses, m.day(r.LastUsedAt))
}

func (m *Model) day(t time.Time) string {
	zone := m.c.Zone
	if zone == nil {
		zone = time.UTC
	}
	now := m.c.Now().In(zone)
	t = t.In(zone)
	switch {
	case t.IsZero():
		return "at an unknown time"
	case t.YearDay() == now.YearDay() && t.Year() == now.Year():
		return "today"
	case t.Year() == now.Year():
		return "on " + t.Format("2 Jan")
	}
	return "on " + t.Format("2 Jan 2006")
}

func (m *Model) formLines() []string {
	s, f := m.c.Styles, &m.form
	l := m.formLayout()
	title := "New saved reply"
	if f.id != 0 {
		title = fmt.Sprintf("Edit %q", common.Clean(f.was))
	}
	// The field being typed in has its label lit.
	nameStyle, textStyle := s.Title, s.InputLabel
	if f.onBody {
		nameStyle, textStyle = s.InputLabel, s.Title
	}
	lines := []string{
		s.Title.Render(title),
		nameStyle.Render(nameLabel) + f.name.View(),
		textStyle.Render("Text"),
	}
	lines = append(lines, strings.Split(f.body.View(), "\n")...)
	lines = append(lines,
		s.Muted.Render("Fills in: {"+strings.Join(placeholders, "} {")+"}  ({{ }} for braces)"),
		s.InputLabel.Render(strings.TrimSpace("Preview "+m.who())))
	if l.preview > 0 {
		preview := []string{s.Muted.Render("(the text, filled in for this reply)")}
		if strings.TrimSpace(f.body.Value()) != "" {
			preview = m.previewLines(f.body.Value(), m.innerWidth(), l.preview, "")
		}
		for i := range l.preview {
			lines = append(lines, cell(preview, i))
		}
	}
	bottom := ""
	switch {
	case f.saving:
		bottom = s.Muted.Render("saving…")
	case f.problem != "":
		bottom = s.Danger.Render(common.Clean(f.problem))
	}
	for len(lines) < m.innerHeight()-1 {
		lines = append(lines, "")
	}
	return append(lines[:max(m.innerHeight()-1, 0)], bottom)
}
