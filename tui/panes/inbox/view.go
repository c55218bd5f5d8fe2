package inbox

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/dustin/go-humanize"

	"github.com/crier-app/crier/sentiment"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/styles"
)

// wideMin is the pane width from which the preview sits beside the list
// rather than under it.
const wideMin = 110

type layout struct {
	wide               bool
	listW, listH       int
	previewW, previewH int
}

// layout splits the pane below its header line between the list and the
// preview (and, when stacked, a rule between them).
func (m *Model) layout() layout {
	body := max(m.height-1, 0)
	if m.width >= wideMin {
		listW := m.width * 3 / 5
		return layout{wide: true, listW: listW, listH: body, previewW: m.width - listW - 1, previewH: body}
	}
	listH := max(body*9/20, min(3, body))
	return layout{listW: m.width, listH: listH, previewW: m.width, previewH: max(body-listH-1, 0)}
}

// View draws the header, the list and the preview in exactly the pane's area.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	s := m.c.Styles
	if m.reply != nil {
		out := common.Box(m.header(m.width), m.width, 1)
		if m.height > 1 {
			out = append(out, m.reply.view(m.thread, m.threadFor, m.threadEntry))
		}
		return strings.Join(out, "\n")
	}
	l := m.layout()
	list := common.Box(m.listView(l.listW, l.listH), l.listW, l.listH)
	var preview []string
	switch {
	case m.snoozing:
		preview = common.Box(m.chooserView(l.previewW, l.previewH), l.previewW, l.previewH)
	case m.labeling:
		preview = common.Box(m.labelView(l.previewW, l.previewH), l.previewW, l.previewH)
	default:
		preview = common.Box(m.previewView(l.previewW), l.previewW, l.previewH)
	}
	out := make([]string, 0, m.height)
	out = append(out, common.Box(m.header(m.width), m.width, 1)...)
	if l.wide {
		sep := s.HelpSep.Render("│")
		for i := range list {
			out = append(out, list[i]+sep+preview[i])
		}
	} else {
		out = append(out, list...)
		if l.previewH > 0 || l.listH < m.height-1 {
			out = append(out, s.HelpSep.Render(strings.Repeat("─", m.width)))
		}
		out = append(out, preview...)
	}
	return strings.Join(out[:min(len(out), m.height)], "\n")
}

// header names the active filters and the count: "Open · all kinds · all
// accounts — 37 items", with the cursor's place on the right.
func (m *Model) header(w int) string {
	s := m.c.Styles
	dot := s.Muted.Render(" · ")
	label := stateLabel(m.filter.State)
	if m.filter.Attention {
		label = "Needs attention"
	}
	left := s.Bold.Render(label) + dot + s.Text.Render(kindOf(m.filter.Kind).filter) +
		dot + s.Text.Render(m.accountLabel(m.filter.AccountID))
	switch {
	case m.searching:
		// The line being typed leads; the filters it searches within follow.
		left = s.Accent.Render("/ ") + m.searchInput.View() + dot + left
	case m.filter.Search != "":
		left += dot + s.Info.Render("“"+common.Clean(m.filter.Search)+"”")
	}
	if m.filter.Label != "" {
		left += dot + s.Info.Render("label "+common.Clean(m.filter.Label))
	}
	left += s.Muted.Render(" — ")
	var right string
	switch {
	case !m.loaded && m.loadErr == nil:
		left += s.Muted.Render("loading…")
	case !m.loaded:
		left += s.Danger.Render("not loaded")
	default:
		n := m.list.Total()
		left += s.Muted.Render(humanize.Comma(int64(n)) + common.Plural(n, " item", " items"))
		if len(m.marked) > 0 {
			left += dot + s.Warn.Render(fmt.Sprintf("%d selected", len(m.marked)))
		}
		if n > 0 {
			right = s.Muted.Render(fmt.Sprintf("%s of %s", humanize.Comma(int64(m.list.Cursor()+1)), humanize.Comma(int64(n))))
		}
	}
	gap := w - common.Width(left) - common.Width(right)
	if gap < 2 {
		return common.Truncate(left, w, "…")
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m *Model) listView(w, h int) string {
	s := m.c.Styles
	switch {
	case !m.loaded && m.loadErr != nil:
		return s.Danger.Render("The inbox could not be loaded:") + "\n" + s.Muted.Render(common.Clean(m.loadErr.Error()))
	case !m.loaded:
		return s.Muted.Render("Loading…")
	case m.list.Total() == 0 && (m.filter.Search != "" || m.filter.Label != ""):
		msg := "Nothing found."
		if m.filter.Search != "" {
			msg = "Nothing found for “" + common.Clean(m.filter.Search) + "”."
		}
		return s.Muted.Render(msg) + "\n" + s.Muted.Render("esc clears the search and label; f/t/a change the state, kind and account.")
	case m.list.Total() == 0:
		msg := "Nothing here."
		if m.filter.State == store.InboxOpen {
			msg = "Nothing open: all caught up."
		}
		return s.Muted.Render(msg) + "\n" + s.Muted.Render("f/t/a change the state, kind and account filters.")
	}
	return m.list.View()
}

// columns are the list's column widths at a row width.
type columns struct {
	kind, network, account, author, age, snippet int
}

func (m *Model) columns(w int) columns {
	c := columns{kind: 7, network: 5, author: 14, age: 4}
	if m.filter.AccountID == 0 && m.sharedNetwork() {
		for _, a := range m.c.Accounts {
			c.account = max(c.account, common.Width(shortHandle(a)))
		}
		c.account = min(c.account, 15)
	}
	if w < 70 {
		c.author = 10
	}
	used := func() int {
		n := 5 + c.kind + 1 + c.network + 1 + c.author + 1 + 1 + c.age
		if c.account > 0 {
			n += c.account + 1
		}
		return n
	}
	if w-used() < 12 {
		c.account = 0
	}
	c.snippet = max(w-used(), 0)
	return c
}

// sharedNetwork reports whether two accounts are on the same network: only
// then does a row need the account beside the network to say where it came
// from.
func (m *Model) sharedNetwork() bool {
	seen := map[string]bool{}
	for _, a := range m.c.Accounts {
		if seen[a.Platform] {
			return true
		}
		seen[a.Platform] = true
	}
	return false
}

// renderRow draws one list row: cursor (or * for a selected item), unread
// (or done ✓, snoozed z), tone (− negative, · neutral, + positive) and what
// we did (↩ replied, ♥ liked, ⇄ reposted) marks, kind, network,
// account (when the network alone does not tell), author, a one-line snippet
// and the age. The cursor row is reverse video, and marked with "›" too so
// it shows without colours (NO_COLOR) as well.
func (m *Model) renderRow(it store.InboxItem, selected bool, w int) string {
	age := relAge(m.c.Now().Sub(it.ReceivedAt))
	_, marked := m.marked[it.ID]
	k := rowKey{id: it.ID, selected: selected, read: it.Read, state: it.State, age: age, width: w,
		accounts: m.filter.AccountID == 0, marked: marked, flag: flagMark(it),
		labels: strings.Join(it.Labels, " "), deleted: !it.DeletedAt.IsZero()}
	if row, ok := m.rowCache[k]; ok {
		return row
	}
	row := m.drawRow(it, selected, marked, w, age)
	if len(m.rowCache) >= maxCachedRows {
		clear(m.rowCache)
	}
	m.rowCache[k] = row
	return row
}

// rowKey is everything a drawn row depends on besides the item's text, which
// does not change.
type rowKey struct {
	id       int64
	selected bool
	read     bool
	state    store.InboxState
	age      string
	width    int
	accounts bool // the account column may show
	marked   bool // in the bulk selection
	flag     string
	labels   string
	deleted  bool
}

// maxCachedRows bounds the drawn-row cache: a few screens' worth.
const maxCachedRows = 512

// flagMark is what the account has done about an item, in one cell: "↩"
// replied, "♥" liked, "⇄" reposted, in that order of weight.
func flagMark(it store.InboxItem) string {
	switch {
	case !it.RepliedAt.IsZero():
		return "↩"
	case it.Liked:
		return "♥"
	case it.Reposted:
		return "⇄"
	}
	return " "
}

func (m *Model) drawRow(it store.InboxItem, selected, marked bool, w int, age string) string {
	if m.paint == nil {
		m.paint = newRowPaint(m.c.Styles)
	}
	p := m.paint
	col := m.columns(w)
	mark := " "
	switch {
	case it.State == store.InboxDone:
		mark = "✓"
	case it.State == store.InboxSnoozed:
		mark = "z"
	case !it.Read:
		mark = "●"
	}
	tone, tonePaint := toneMark(it), p.muted
	switch tone {
	case "−":
		tonePaint = p.danger
	case "+":
		tonePaint = p.ok
	}
	kind := common.Pad(kindOf(it.Kind).column, col.kind)
	deleted := !it.DeletedAt.IsZero()
	if deleted {
		kind = common.Pad("deleted", col.kind) // its author took it back: say so where the eye is
	}
	network := common.Pad(common.Truncate(networkShort(it.Platform), col.network, ""), col.network)
	account := ""
	if col.account > 0 {
		account = common.Pad(common.Truncate(m.accountHandle(it.AccountID), col.account, "…"), col.account) + " "
	}
	author := common.Pad(common.Truncate(authorShort(it), col.author, "…"), col.author)
	// Labels lead the snippet, so a labelled item shows it in the list.
	tags := ""
	if len(it.Labels) > 0 {
		tags = common.Truncate("["+common.Clean(strings.Join(it.Labels, " "))+"]", max(col.snippet/2, 1), "…]") + " "
	}
	body := common.OneLineIn(common.Clean(it.Body), max(col.snippet-common.Width(tags), 0))
	snippet := common.Pad(tags+body, col.snippet)
	age = common.PadLeft(age, col.age)

	flag := flagMark(it)
	if selected {
		cur := "›"
		if marked {
			cur = "»"
		}
		row := cur + mark + tone + flag + " " + kind + " " + network + " " + account + author + " " + snippet + " " + age
		return p.selected.on(common.Pad(row, w))
	}
	lead := " "
	if marked {
		lead = p.warn.on("*")
	}
	kindPaint, bodyPaint := p.accent, p.text
	switch {
	case deleted:
		kindPaint, bodyPaint = p.danger, p.muted
	case it.Kind == store.KindDM:
		kindPaint = p.warn
	case it.Kind == store.KindListening:
		kindPaint = p.muted
	}
	authorPaint := p.text
	if !it.Read {
		authorPaint = p.bold
	}
	text := bodyPaint.on(snippet)
	if tags != "" {
		text = p.info.on(tags) + bodyPaint.on(strings.TrimPrefix(snippet, tags))
	}
	return lead + p.accent.on(mark) + tonePaint.on(tone) + p.ok.on(flag) + " " + kindPaint.on(kind) + " " + p.muted.on(network+" "+account) +
		authorPaint.on(author) + " " + text + " " + p.muted.on(age)
}

// span is the escape sequences that turn a style on and off around one line
// of text, taken once from the style: lipgloss's Render measures, aligns and
// borders its text on every call, which eight cells a row, a screenful of
// rows a frame, makes the biggest cost of a keypress.
type span struct{ start, end string }

func spanOf(st lipgloss.Style) span {
	const probe = "x"
	r := st.Render(probe)
	i := strings.Index(r, probe)
	if i < 0 {
		return span{}
	}
	return span{start: r[:i], end: r[i+len(probe):]}
}

// on styles one line of text with no line breaks.
func (s span) on(text string) string {
	if s.start == "" && s.end == "" {
		return text
	}
	return s.start + text + s.end
}

// rowPaint holds the spans of the styles list rows use. They carry no
// padding, margins or borders, so a span is what Render would produce.
type rowPaint struct {
	accent, warn, muted, text, bold, selected, danger, ok, info span
}

func newRowPaint(s *styles.Styles) *rowPaint {
	return &rowPaint{
		accent: spanOf(s.Accent), warn: spanOf(s.Warn), muted: spanOf(s.Muted),
		text: spanOf(s.Text), bold: spanOf(s.Bold), selected: spanOf(s.Selected),
		danger: spanOf(s.Danger), ok: spanOf(s.Ok), info: spanOf(s.Info),
	}
}

// toneMark is an item's sentiment in one cell: "−" negative, "·" neutral,
// "+" positive, blank when it was never scored. A mark, not only a colour,
// so it reads without colours too.
func toneMark(it store.InboxItem) string {
	if !it.HasSentiment {
		return " "
	}
	switch sentiment.ToneOf(it.Sentiment) {
	case sentiment.Negative:
		return "−"
	case sentiment.Positive:
		return "+"
	}
	return "·"
}

// renderPlaceholder draws a row whose page has not arrived yet.
func (m *Model) renderPlaceholder(selected bool, w int) string {
	if selected {
		return m.c.Styles.Selected.Render(common.Pad("›  …", w))
	}
	return m.c.Styles.Muted.Render("   …")
}

// previewView shows the cursor item in full and the conversation around it.
func (m *Model) previewView(w int) string {
	s := m.c.Styles
	if w <= 0 || !m.loaded || m.list.Total() == 0 {
		return ""
	}
	it, ok := m.list.Selected()
	if !ok {
		return s.Muted.Render("Loading…")
	}
	var lines []string
	add := func(style lipgloss.Style, text string) {
		for _, l := range common.Wrap(text, w) {
			lines = append(lines, style.Render(l))
		}
	}

	handle := common.Clean(it.AuthorHandle)
	who := s.Bold.Render(common.Truncate(common.Clean(it.AuthorName), w, "…"))
	if it.AuthorName == "" {
		who = s.Bold.Render(common.Truncate(at(handle), w, "…"))
	} else {
		who += " " + s.Muted.Render(at(handle))
	}
	if it.AuthorFollowers >= 0 {
		who += s.Muted.Render(" · " + humanize.Comma(int64(it.AuthorFollowers)) + common.Plural(it.AuthorFollowers, " follower", " followers"))
	}
	lines = append(lines, common.Truncate(who, w, "…"))

	where := kindOf(it.Kind).sentence + " on " + common.NetworkName(common.Clean(it.Platform))
	if a, ok := m.c.Account(it.AccountID); ok {
		where += " · " + at(common.Clean(a.Handle))
	}
	add(s.Muted, where)
	when := m.formatTime(it.ReceivedAt) + " · " + relAgeLong(m.c.Now().Sub(it.ReceivedAt))
	var state string
	stateStyle := s.Info
	switch it.State {
	case store.InboxSnoozed:
		state, stateStyle = "snoozed until "+m.formatTime(it.SnoozedUntil), s.Warn
	case store.InboxDone:
		state, stateStyle = "done", s.Ok
	default:
		state = "open"
		if !it.Read {
			state += ", unread"
		}
	}
	if common.Width(when+" · "+state) <= w {
		lines = append(lines, s.Muted.Render(when+" · ")+stateStyle.Render(state))
	} else {
		add(s.Muted, when)
		add(stateStyle, state)
	}
	if !it.DeletedAt.IsZero() {
		add(s.Danger, "Deleted by its author: the network no longer has it (seen "+m.formatTime(it.DeletedAt)+
			"). There is nothing to reply to; e closes it.")
	}
	if tone := m.toneLine(it); tone != "" {
		lines = append(lines, common.Truncate(tone, w, "…"))
	}
	if did := m.didLine(it); did != "" {
		lines = append(lines, common.Truncate(did, w, "…"))
	}
	if len(it.Labels) > 0 {
		lines = append(lines, common.Truncate(s.Muted.Render("Labels: ")+s.Info.Render(common.Clean(strings.Join(it.Labels, ", "))), w, "…"))
	}
	if it.URL != "" {
		// Shown whole so it can be copied; crier never opens it.
		for _, l := range strings.Split(ansi.Hardwrap(common.Clean(it.URL), w, true), "\n") {
			lines = append(lines, s.Muted.Render(l))
		}
	}
	lines = append(lines, "")
	add(s.Text, common.Clean(it.Body))

	if it.InReplyTo != "" || it.ThreadRoot != "" || (m.threadFor == it.ID && len(m.thread) > 0) {
		lines = append(lines, "", s.HelpSep.Render(common.Truncate("── Conversation, oldest first ──", w, "")))
		switch {
		case m.threadFor != it.ID:
			lines = append(lines, s.Muted.Render("loading…"))
		case m.threadErr != nil:
			add(s.Danger, "could not load it: "+common.Clean(m.threadErr.Error()))
		case len(m.thread) == 0 && it.Kind != store.KindDM:
			add(s.Muted, "The messages it answers are not in crier.")
		}
		if m.threadFor == it.ID {
			for _, e := range m.thread {
				lines = append(lines, m.threadEntry(e, w)...)
			}
		}
	}
	return strings.Join(lines, "\n")
}

// toneLine says how the item reads: "Tone: negative (−0.62) · reads as a
// complaint". Empty for an item never scored that is nothing in particular.
func (m *Model) toneLine(it store.InboxItem) string {
	s := m.c.Styles
	var parts []string
	if it.HasSentiment {
		t := sentiment.ToneOf(it.Sentiment)
		style := s.Muted
		switch t {
		case sentiment.Negative:
			style = s.Danger
		case sentiment.Positive:
			style = s.Ok
		}
		score := "0.00"
		if fmt.Sprintf("%.2f", math.Abs(it.Sentiment)) != score {
			score = strings.Replace(fmt.Sprintf("%+.2f", it.Sentiment), "-", "−", 1)
		}
		parts = append(parts, s.Muted.Render("Tone: ")+style.Render(t.String()+" ("+score+")"))
	}
	switch it.Class {
	case store.ClassComplaint:
		parts = append(parts, s.Danger.Render("reads as a complaint"))
	case store.ClassQuestion:
		parts = append(parts, s.Info.Render("reads as a question"))
	case store.ClassConcern:
		parts = append(parts, s.Warn.Render("maybe a complaint"))
	case store.ClassPraise:
		parts = append(parts, s.Ok.Render("reads as praise"))
	}
	return strings.Join(parts, s.Muted.Render(" · "))
}

// didLine says what the account has done about the item: "Replied 2h after
// · liked · reposted", and for what listening found, the term.
func (m *Model) didLine(it store.InboxItem) string {
	s := m.c.Styles
	var parts []string
	if it.Kind == store.KindListening && it.Term != "" {
		parts = append(parts, s.Muted.Render("Found by listening for ")+s.Info.Render(common.Clean(it.Term)))
	}
	if !it.RepliedAt.IsZero() {
		parts = append(parts, s.Ok.Render("replied "+strings.TrimSuffix(relAgeLong(it.RepliedAt.Sub(it.ReceivedAt)), " ago")+" after"))
	}
	if it.Liked {
		parts = append(parts, s.Ok.Render("♥ liked"))
	}
	if it.Reposted {
		parts = append(parts, s.Ok.Render("⇄ reposted"))
	}
	return strings.Join(parts, s.Muted.Render(" · "))
}

// threadEntry draws one earlier message: who and when, then up to four lines
// of it, indented.
func (m *Model) threadEntry(e store.ThreadEntry, w int) []string {
	s := m.c.Styles
	var head string
	if e.Reply {
		head = s.Accent.Render("Your reply") + s.Muted.Render(" "+at(common.Clean(e.AuthorHandle)))
		switch e.State {
		case store.DeliverySent:
			head += s.Ok.Render(" · sent")
		case store.DeliveryFailed:
			head += s.Danger.Render(" · failed")
		default:
			head += s.Warn.Render(" · sending…")
		}
	} else if e.Ours {
		head = s.Accent.Render("Your post") + s.Muted.Render(" "+at(common.Clean(e.AuthorHandle)))
	} else if e.AuthorName != "" {
		head = s.Bold.Render(common.Clean(e.AuthorName)) + s.Muted.Render(" "+at(common.Clean(e.AuthorHandle)))
	} else {
		head = s.Bold.Render(at(common.Clean(e.AuthorHandle)))
	}
	head += s.Muted.Render(" · " + m.formatTime(e.At))
	out := []string{common.Truncate(head, w, "…")}
	const maxLines = 4
	body := common.Wrap(common.Clean(e.Body), max(w-2, 1))
	if len(body) > maxLines {
		body = append(body[:maxLines-1], "…")
	}
	style := s.Text
	if e.Ours {
		style = s.Muted
	}
	for _, l := range body {
		out = append(out, "  "+style.Render(l))
	}
	if e.Reply && e.State == store.DeliveryFailed {
		for _, l := range common.Wrap(common.Clean(e.LastError)+" — r to edit and send again", max(w-2, 1)) {
			out = append(out, "  "+s.Danger.Render(l))
		}
	}
	return out
}

// chooserView is the snooze preset chooser, in a box at most h lines high:
// without its blank lines, then in two columns, when the presets would not
// fit otherwise.
func (m *Model) chooserView(w, h int) string {
	s := m.c.Styles
	now := m.c.Now()
	var entries []string
	for i, d := range m.presets() {
		entries = append(entries, s.HelpKey.Render(fmt.Sprintf("%d", i+1))+"  "+
			common.Pad(durationLabel(d), 9)+s.Muted.Render(m.formatTime(now.Add(d))))
	}
	const border = 2
	// The lines besides the presets: the title, the hint, and while a
	// time is typed its line and the reason it can't be taken (wrapped:
	// the reason is what the person must read).
	var typing []string
	if m.typingTime {
		typing = append(typing, s.Muted.Render("Until: ")+m.timeInput.View())
		if m.timeErr != "" {
			inside := max(w-s.BoxFocused.GetHorizontalFrameSize(), 1)
			for _, l := range common.Wrap(common.Clean(m.timeErr), inside) {
				typing = append(typing, s.Danger.Render(l))
			}
		}
	}
	fixed := 2 + len(typing)
	spacious := len(entries)+fixed+2+border <= h
	if !spacious && len(entries)+fixed+border > h {
		half := (len(entries) + 1) / 2
		colW := 0
		for _, e := range entries[:half] {
			colW = max(colW, common.Width(e))
		}
		paired := make([]string, half)
		for i := range paired {
			paired[i] = common.Pad(entries[i], colW)
			if j := i + half; j < len(entries) {
				paired[i] += "   " + entries[j]
			}
		}
		entries = paired
	}
	lines := []string{s.Title.Render("Snooze until…")}
	if spacious {
		lines = append(lines, "")
	}
	lines = append(lines, entries...)
	if spacious {
		lines = append(lines, "")
	}
	if m.typingTime {
		lines = append(lines, typing...)
		lines = append(lines, s.HelpKey.Render("enter")+s.Muted.Render(" snooze · ")+s.HelpKey.Render("esc")+s.Muted.Render(" back"))
	} else {
		lines = append(lines, s.HelpKey.Render("t")+s.Muted.Render(" type a time · ")+s.HelpKey.Render("esc")+s.Muted.Render(" cancel"))
	}
	return common.Panel(s.BoxFocused, lines, w)
}

// labelView is the label prompt: the labels the target already carries and
// a line to type one; enter puts it on (or, when every target has it, takes
// it off).
func (m *Model) labelView(w, h int) string {
	s := m.c.Styles
	items := m.targets()
	title := "Label"
	if len(items) > 1 {
		title = fmt.Sprintf("Label %d items", len(items))
	}
	lines := []string{s.Title.Render(title)}
	if len(items) == 1 && len(items[0].Labels) > 0 {
		lines = append(lines, s.Muted.Render("has: ")+s.Info.Render(common.Clean(strings.Join(items[0].Labels, ", "))))
	}
	lines = append(lines, s.Muted.Render("> ")+m.labelInput.View(),
		s.HelpKey.Render("enter")+s.Muted.Render(" add (or take off) · ")+s.HelpKey.Render("esc")+s.Muted.Render(" cancel"))
	return common.Panel(s.BoxFocused, lines, w)
}

// formatTime shows an instant in the display zone, with the year only when
// it is not this year's.
func (m *Model) formatTime(t time.Time) string {
	t = t.In(m.c.Zone)
	if t.Year() != m.c.Now().In(m.c.Zone).Year() {
		return t.Format("Mon 2 Jan 2006, 15:04")
	}
	return t.Format("Mon 2 Jan, 15:04")
}

func (m *Model) accountHandle(id int64) string {
	if a, ok := m.c.Account(id); ok {
		return shortHandle(a)
	}
	return "?"
}

// shortHandle is an account's handle without what its network column
// already says: "@bakery@toot.community" is "bakery" beside "masto",
// "bakery.bsky.social" is "bakery" beside "bsky".
func shortHandle(a store.Account) string {
	h := strings.TrimPrefix(common.Clean(a.Handle), "@")
	switch a.Platform {
	case store.PlatformMastodon:
		h, _, _ = strings.Cut(h, "@")
	case store.PlatformBluesky:
		h = strings.TrimSuffix(h, ".bsky.social")
	}
	return h
}

func (m *Model) accountLabel(id int64) string {
	if id == 0 {
		return "all accounts"
	}
	if a, ok := m.c.Account(id); ok {
		return at(common.Clean(a.Handle)) + " (" + common.NetworkName(common.Clean(a.Platform)) + ")"
	}
	return fmt.Sprintf("account %d", id)
}

// kindWords are how an inbox item's kind is said: in the kind filter of
// the header, in the list's kind column, and as the preview's sentence.
type kindWords struct{ filter, column, sentence string }

var kinds = map[store.InboxKind]kindWords{
	"":                  {filter: "all kinds"},
	store.KindMention:   {"mentions", "mention", "Mention"},
	store.KindReply:     {"replies", "reply", "Reply"},
	store.KindQuote:     {"quotes", "quote", "Quote"},
	store.KindDM:        {"DMs", "DM", "Direct message (private)"},
	store.KindListening: {"listening", "heard", "Public post about you"},
}

// kindOf is how k is said; a kind crier does not know is said as it is.
func kindOf(k store.InboxKind) kindWords {
	if w, ok := kinds[k]; ok {
		return w
	}
	return kindWords{filter: "all kinds", column: string(k), sentence: string(k)}
}

// networkShort is a platform's name in the list's narrow network column.
func networkShort(platform string) string {
	l, _ := common.LabelOf(platform)
	return l.Short
}

func stateLabel(s store.InboxState) string {
	switch s {
	case store.InboxOpen:
		return "Open"
	case store.InboxSnoozed:
		return "Snoozed"
	case store.InboxDone:
		return "Done"
	}
	return "All states"
}

func authorShort(it store.InboxItem) string {
	if it.AuthorName != "" {
		return common.Clean(it.AuthorName)
	}
	return at(common.Clean(it.AuthorHandle))
}

// relAge is a compact age for the list: now, 5m, 3h, 2d, 3w, 4mo, 2y.
func relAge(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d < day:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d < 7*day:
		return fmt.Sprintf("%dd", d/day)
	case d < 30*day:
		return fmt.Sprintf("%dw", d/(7*day))
	case d < 365*day:
		return fmt.Sprintf("%dmo", d/(30*day))
	}
	return fmt.Sprintf("%dy", d/(365*day))
}

// relAgeLong is the preview's age: "just now", "3h ago".
func relAgeLong(d time.Duration) string {
	if d < time.Minute {
		return "just now"
	}
	return relAge(d) + " ago"
}

func durationLabel(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d%(7*day) == 0:
		n := int(d / (7 * day))
		return fmt.Sprintf("%d%s", n, common.Plural(n, " week", " weeks"))
	case d%day == 0:
		n := int(d / day)
		return fmt.Sprintf("%d%s", n, common.Plural(n, " day", " days"))
	case d%time.Hour == 0:
		n := int(d / time.Hour)
		return fmt.Sprintf("%d%s", n, common.Plural(n, " hour", " hours"))
	case d%time.Minute == 0:
		n := int(d / time.Minute)
		return fmt.Sprintf("%d min", n)
	}
	return d.String()
}

// at writes a handle the way people read it, with one leading "@" (Mastodon
// handles may be stored with theirs).
func at(handle string) string {
	if strings.HasPrefix(handle, "@") {
		return handle
	}
	return "@" + handle
}
