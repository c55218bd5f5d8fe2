package campaigns

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/analytics/csvimport"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/form"
)

// importState is an import under way: the file asked for, its preview,
// and the mapping step for a layout no preset knows.
type importState struct {
	seq     int
	opts    csvimport.Options
	path    string
	preview *csvimport.Preview
	busy    string // "reading…", "importing…"
	err     string

	// The mapping step.
	header []string
	fields []csvimport.Field
	row    int
}

type importedMsg struct {
	seq    int
	result store.ImportResult
	err    error
}

func (m *Model) openImportForm() tea.Cmd {
	path := m.imp.path
	f := form.New(m.c, formImport, "Import a CSV file",
		m.field("path", "file", path, "(such as ~/Downloads/export.csv)", "an export of Plausible, GA4, Meta Ads Manager, Google Ads, crier's plain layout (date, campaign, source, content, clicks, conversions, revenue, spend), or any other: you map its columns"),
		m.field("currency", "currency", m.imp.opts.Currency, "(empty: as the file says)", "the money's currency where the file does not say (GA4's revenue, a sheet without a currency column)"),
		m.field("dates", "dates", string(m.imp.opts.DateOrder), "(empty: as the file shows)", "for dates such as 03/04/2026 when nothing in the file tells: dmy (3 April) or mdy (March 4)"),
	)
	return m.openForm(f)
}

func (m *Model) startPreview(f *form.Model) tea.Cmd {
	path := f.Value("path")
	if path == "" {
		f.Fail("path", "give the file's path")
		return nil
	}
	if strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, path[2:])
		}
	}
	o := csvimport.Options{Zone: m.c.Zone, Currency: strings.ToUpper(f.Value("currency"))}
	switch d := strings.ToLower(f.Value("dates")); d {
	case "":
	case "dmy", "mdy":
		o.DateOrder = csvimport.DateOrder(d)
	default:
		f.Fail("dates", fmt.Sprintf("%q: write dmy (day first) or mdy (month first), or leave it empty", d))
		return nil
	}
	m.imp = importState{opts: o, path: path}
	f.Saving()
	return m.preview()
}

// preview reads the file with the options (and the mapping, once made).
func (m *Model) preview() tea.Cmd {
	st := m.c.Store
	if st == nil {
		return nil
	}
	path, o := m.imp.path, m.imp.opts
	return m.importWork("Reading "+path+"…", func(ctx context.Context, seq int) tea.Msg {
		p, err := csvimport.PreviewFile(ctx, st, path, o)
		return previewMsg{seq: seq, preview: p, err: err}
	})
}

// importWork runs work, the import's next step, with the import's time
// limit, showing busy meanwhile; its answer carries seq, and only the
// answer to the latest step counts (see answered).
func (m *Model) importWork(busy string, work func(ctx context.Context, seq int) tea.Msg) tea.Cmd {
	m.imp.seq++
	m.imp.busy, m.imp.err = busy, ""
	seq := m.imp.seq
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*queryTimeout)
		defer cancel()
		return work(ctx, seq)
	}
}

// answered says whether seq is the import's latest step, which is then no
// longer busy.
func (m *Model) answered(seq int) bool {
	if seq != m.imp.seq {
		return false
	}
	m.imp.busy = ""
	return true
}

func (m *Model) previewed(msg previewMsg) tea.Cmd {
	if !m.answered(msg.seq) {
		return nil
	}
	var nm *csvimport.NeedsMappingError
	var do *csvimport.DateOrderError
	switch {
	case errors.As(msg.err, &nm):
		m.leaveForm()
		m.imp.header = nm.Header
		m.imp.fields = make([]csvimport.Field, len(nm.Header))
		for i, h := range nm.Header {
			m.imp.fields[i] = nm.Suggested.Columns[h]
			if m.imp.fields[i] == "" {
				m.imp.fields[i] = csvimport.FieldIgnore
			}
		}
		m.imp.row = 0
		if m.top() != modeMapping {
			m.push(modeMapping)
		}
		return nil
	case errors.As(msg.err, &do):
		if m.top() == modeForm && m.form != nil {
			m.form.Fail("dates", msg.err.Error())
			return nil
		}
		m.imp.err = msg.err.Error()
		return m.openImportForm()
	case msg.err != nil:
		if m.top() == modeForm && m.form != nil {
			field := "path"
			if strings.Contains(msg.err.Error(), "currency") {
				field = "currency"
			}
			m.form.Fail(field, msg.err.Error())
			return nil
		}
		m.imp.err = msg.err.Error()
		return nil
	}
	m.leaveForm()
	if m.top() == modeMapping {
		m.pop()
	}
	m.imp.preview = msg.preview
	m.push(modePreview)
	return nil
}

// leaveForm closes the import form, if it is open.
func (m *Model) leaveForm() {
	if m.top() == modeForm {
		m.pop()
	}
}

func (m *Model) previewKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		if m.imp.busy != "" {
			return nil
		}
		m.pop()
		return common.Status("nothing imported", false)
	case key.Matches(msg, m.keys.Confirm):
		if m.imp.busy != "" || m.imp.preview == nil {
			return nil
		}
		return m.commitImport()
	}
	return nil
}

func (m *Model) commitImport() tea.Cmd {
	st, p := m.c.Store, m.imp.preview
	now := m.c.Now()
	return m.importWork("Importing…", func(ctx context.Context, seq int) tea.Msg {
		r, err := csvimport.Commit(ctx, st, p, now)
		return importedMsg{seq: seq, result: r, err: err}
	})
}

func (m *Model) importAnswer(msg importedMsg) tea.Cmd {
	if !m.answered(msg.seq) {
		return nil
	}
	if msg.err != nil {
		m.imp.err = "Nothing was imported: " + msg.err.Error()
		return nil
	}
	name := m.imp.preview.Name
	r := msg.result
	m.imp.preview = nil
	m.pop()
	text := fmt.Sprintf("imported %s: %s written", name, common.Count(r.Written, "line", "lines"))
	if r.Kept > 0 {
		text += fmt.Sprintf(", %d kept from a newer export", r.Kept)
	}
	return tea.Batch(common.Status(text, false), func() tea.Msg { return common.DataChangedMsg{What: "marketing"} })
}

func (m *Model) mappingKey(msg tea.KeyMsg) tea.Cmd {
	nav := m.c.Nav
	n := len(m.imp.fields)
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.pop()
		return common.Status("nothing imported", false)
	case key.Matches(msg, nav.Up):
		m.imp.row = max(m.imp.row-1, 0)
	case key.Matches(msg, nav.Down):
		m.imp.row = min(m.imp.row+1, n-1)
	case key.Matches(msg, m.keys.Map):
		m.imp.fields[m.imp.row] = cycleField(m.imp.fields[m.imp.row], 1)
	case key.Matches(msg, m.keys.MapBack):
		m.imp.fields[m.imp.row] = cycleField(m.imp.fields[m.imp.row], -1)
	case key.Matches(msg, m.keys.MapRead):
		if m.imp.busy != "" {
			return nil
		}
		cols := map[string]csvimport.Field{}
		for i, h := range m.imp.header {
			cols[h] = m.imp.fields[i]
		}
		name := strings.TrimSuffix(filepath.Base(m.imp.path), filepath.Ext(m.imp.path))
		m.imp.opts.Mapping = &csvimport.Mapping{Name: name, Class: store.ClassSheet, Columns: cols,
			Currency: m.imp.opts.Currency, DateOrder: m.imp.opts.DateOrder}
		m.imp.opts.Preset = csvimport.PresetMapping
		return m.preview()
	}
	return nil
}

func cycleField(f csvimport.Field, d int) csvimport.Field {
	all := csvimport.Fields
	for i, x := range all {
		if x == f {
			return all[(i+d+len(all))%len(all)]
		}
	}
	return all[0]
}

func (m *Model) mappingView() string {
	s := m.c.Styles
	w := m.width
	lines := []string{s.Title.Render("Map the columns of " + filepath.Base(m.imp.path))}
	for _, l := range common.Wrap("crier does not know this layout. Say what each column holds (→/space and ← change it); enter reads the file with it, and crier remembers it for files with the same header.", w) {
		lines = append(lines, s.Muted.Render(l))
	}
	lines = append(lines, "")
	hw := 0
	for _, h := range m.imp.header {
		hw = max(hw, min(common.Width(h), 30))
	}
	for i, h := range m.imp.header {
		mark := "  "
		if i == m.imp.row {
			mark = s.Accent.Render("▸ ")
		}
		f := string(m.imp.fields[i])
		if m.imp.fields[i] == csvimport.FieldIgnore {
			f = s.Muted.Render(f)
		} else {
			f = s.Bold.Render(f)
		}
		lines = append(lines, mark+common.Pad(common.Truncate(common.Clean(h), 30, "…"), hw)+"  → "+f)
	}
	lines = append(lines, "")
	switch {
	case m.imp.busy != "":
		lines = append(lines, s.Muted.Render(m.imp.busy))
	case m.imp.err != "":
		for _, l := range common.Wrap(common.Clean(m.imp.err), w) {
			lines = append(lines, s.Danger.Render(l))
		}
	}
	return m.fit(lines)
}

// fit cuts lines to the pane.
func (m *Model) fit(lines []string) string {
	for i, l := range lines {
		lines[i] = common.Truncate(l, m.width, "…")
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	return strings.Join(lines, "\n")
}

func (m *Model) previewView() string {
	s := m.c.Styles
	w := m.width
	p := m.imp.preview
	if p == nil {
		return s.Muted.Render(m.imp.busy)
	}
	lines := []string{s.Title.Render("Import "+p.Name+"?") + s.Muted.Render(" · nothing is saved until you say so")}
	add := func(l ...string) { lines = append(lines, l...) }
	layout := string(p.Preset)
	if p.Mapping != nil {
		layout = "your mapping “" + p.Mapping.Name + "”"
	}
	add(fmt.Sprintf("%s as %s (%s) · %s from %s to %s", common.Count(p.Lines, "line", "lines"), layout, p.Class,
		"days", p.First, p.Last))
	sep := s.Muted.Render(" · ")
	add(flow([]string{"impressions " + analytics.Count(p.Impressions), "link clicks " + analytics.Count(p.Clicks),
		"sessions " + analytics.Count(p.Sessions), "conversions " + analytics.Milli(p.Conversions),
		"revenue " + analytics.Sums(p.Revenue), "spend " + analytics.Sums(p.Spend)}, sep, w)...)
	var camps []string
	for i, c := range p.Campaigns {
		if i >= 4 {
			camps = append(camps, fmt.Sprintf("%d more", len(p.Campaigns)-4))
			break
		}
		to := "no campaign yet"
		if c.CampaignID != 0 {
			to = m.nameOf(c.CampaignID)
		}
		name := c.Name
		if name == "" {
			name = "(none)"
		}
		camps = append(camps, fmt.Sprintf("%s → %s (%d)", common.Clean(name), to, c.Lines))
	}
	if len(camps) > 0 {
		add(common.Truncate("campaigns: "+strings.Join(camps, ", "), w, "…"))
	}
	if len(p.ImportedBefore) > 0 {
		add(s.Warn.Render("this very file was imported before: importing it again replaces its rows, never counts them twice"))
	}
	if len(p.Overlaps) > 0 {
		add(s.Muted.Render(fmt.Sprintf("meets %s of the same feed over these days: the newer export's rows count",
			common.Count(len(p.Overlaps), "earlier import", "earlier imports"))))
	}
	for _, wn := range p.Warnings {
		add(s.Warn.Render(common.Clean(wn)))
	}
	if n := len(p.Skipped) + p.SkippedMore; n > 0 {
		add("", s.Bold.Render(fmt.Sprintf("Lines left out (%d)", n)))
		for i, sk := range p.Skipped {
			if i >= 5 {
				break
			}
			line := fmt.Sprintf("  line %d: %s", sk.Line, sk.Why)
			if text := common.OneLine(common.Clean(sk.Text)); text != "" {
				line += " — " + text
			}
			add(s.Muted.Render(common.Truncate(line, w, "…")))
		}
	}
	if len(p.Sample) > 0 {
		add("", s.Bold.Render("The first lines, as they would be stored"))
		for i, r := range p.Sample {
			if i >= 4 {
				break
			}
			add(common.Truncate(fmt.Sprintf("  %s %s %s %s clicks %s conv %s", r.Day, common.Clean(r.Campaign), common.Clean(r.Source),
				common.Clean(r.Content), analytics.Count(r.Clicks), analytics.Milli(r.Conversions)), w, "…"))
		}
	}
	add("")
	switch {
	case m.imp.busy != "":
		add(s.Muted.Render(m.imp.busy))
	case m.imp.err != "":
		for _, l := range common.Wrap(common.Clean(m.imp.err), w) {
			add(s.Danger.Render(l))
		}
	}
	add(s.Accent.Render("enter/y imports it") + s.Muted.Render(" · esc/n leaves it"))
	return m.fit(lines)
}

func (m *Model) nameOf(id int64) string {
	for _, it := range m.items {
		if it.campaign != nil && it.campaign.Campaign.ID == id {
			return common.Clean(it.campaign.Campaign.Name)
		}
	}
	return fmt.Sprintf("campaign %d", id)
}
