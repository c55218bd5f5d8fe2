// Package csvimport brings CSV exports of web analytics and ad platforms
// into the store: presets for Plausible, GA4, Meta Ads Manager, Google Ads
// and crier's plain layout, and a Mapping (remembered per header) for any
// other. Files are read as they are found in the wild: a byte order mark,
// UTF-16 or Windows-1252 text, CRLF lines, ',' ';' tab or '|' between
// fields, quoted fields, title and comment lines above the header,
// "1.234,56" and "1,234.56", dates in the usual formats, time stamps read
// as days in the user's time zone.
//
// An import has two steps. Preview reads and checks the whole file and
// writes nothing: what it would import, what it would replace, the
// campaigns its names map to. Commit reads it again, streaming, and writes
// it in one transaction: a bad line means nothing is imported, and the
// error names the file, the line and the column. Importing the same file,
// or an export overlapping one already imported, never counts a row twice
// (store.BeginImport says how).
package csvimport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
)

// Options say how to read a file.
type Options struct {
	Preset  Preset   // "" detects it (a remembered mapping counts)
	Mapping *Mapping // for a layout no preset knows
	// Zone is the user's: a time stamp is imported as the day it falls on
	// there. nil is UTC.
	Zone *time.Location
	// Currency is the money's currency where the file names none (GA4's
	// revenue, a sheet without a currency column).
	Currency string
	// DateOrder reads dates such as 03/04/2026 when the file does not tell.
	DateOrder DateOrder
	// Encoding overrides the one crier reads the file as.
	Encoding Encoding
}

// NeedsMappingError is a file whose header no preset and no remembered
// mapping knows: the user maps its columns (Suggested is a guess) and
// previews again with Options.Mapping.
type NeedsMappingError struct {
	File      string
	Line      int
	Header    []string
	Suggested Mapping
}

func (e *NeedsMappingError) Error() string {
	// The header as the file has it, on one line and cut short: it is
	// the file's text, shown on a terminal.
	names := make([]string, 0, min(len(e.Header), 12))
	for i, h := range e.Header {
		if i == 12 {
			names = append(names, fmt.Sprintf("and %d more", len(e.Header)-12))
			break
		}
		h = store.OneLineName(h)
		if r := []rune(h); len(r) > 40 {
			h = string(r[:39]) + "…"
		}
		names = append(names, h)
	}
	return fmt.Sprintf("%s: crier does not know this layout (line %d: %s): map its columns to crier's fields",
		e.File, e.Line, strings.Join(names, ", "))
}

// DateOrderError is a file whose slash dates read either way (03/04/2026)
// with none that tells: the user says which (Options.DateOrder).
type DateOrderError struct {
	File    string
	Line    int
	Example string
}

func (e *DateOrderError) Error() string {
	return fmt.Sprintf("%s, line %d: %q could be day/month or month/day, and no date in the file tells: choose the order",
		e.File, e.Line, e.Example)
}

// Preview is what an import of a file would do. Nothing is written.
type Preview struct {
	Path     string
	Name     string // the file's name
	Size     int64
	ModTime  time.Time
	SHA256   string
	Encoding Encoding

	Preset Preset
	Feed   string
	Class  store.MarketingClass
	// Mapping is the mapping read with (for PresetMapping): Commit
	// remembers it for the header.
	Mapping    *Mapping
	Delimiter  rune
	HeaderLine int
	Header     []string
	Columns    []ColumnUse
	Skipped    []Skipped // title, comment and totals lines, and visits not from social (the first maxSkipped)
	// SkippedMore counts the lines skipped past the first maxSkipped.
	SkippedMore int
	Decimal     rune // '.' or ','
	DateOrder   DateOrder

	Lines       int // data lines
	First, Last store.Day
	Sample      []store.MarketingRow // the first lines, as they would be stored
	// The sums of the file, before the store adds them to what it has.
	Impressions, Clicks, Sessions, Conversions store.Num
	Revenue, Spend                             money.Sums
	Campaigns                                  []CampaignMatch
	Sources                                    map[string]int // lines per source
	Warnings                                   []string

	// ImportedBefore lists imports of this very file (the same bytes).
	ImportedBefore []store.ImportInfo
	// Waiting, when set, is told of each post Commit waits for (see
	// Commit) before it writes.
	Waiting func(due time.Time)
	// Overlaps lists the feed's imports that cover some of these days:
	// rows with the same keys are replaced when this export is newer, and
	// kept when theirs is.
	Overlaps []store.ImportInfo

	opts   Options
	layout *layout
}

// CampaignMatch is a campaign name in a file and the crier campaign it
// maps to (0: none yet).
type CampaignMatch struct {
	Name       string
	CampaignID int64
	Lines      int
}

// maxSkipped is how many skipped lines a preview lists one by one.
const maxSkipped = 200

// duplicateCheckLines is how many of a file's first lines the preview
// checks for a line that is another again (a sheet pasted twice); tools'
// large exports have none.
const duplicateCheckLines = 200_000

// rowHash is a line's row, but for where it is in the file, hashed.
func rowHash(seed maphash.Seed, r store.MarketingRow) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	for _, s := range []string{r.Campaign, r.Source, r.Content, r.Currency} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	var b [8]byte
	num := func(n store.Num) {
		for i := range b {
			b[i] = byte(uint64(n.V) >> (8 * i))
		}
		h.Write(b[:])
		if n.OK {
			h.WriteByte(1)
		} else {
			h.WriteByte(0)
		}
	}
	num(store.Num{V: int64(r.Day), OK: true})
	for _, n := range []store.Num{r.Impressions, r.Clicks, r.Sessions, r.Conversions, r.Revenue, r.Spend} {
		num(n)
	}
	return h.Sum64()
}

// maxSample is how many lines a preview shows as they would be stored.
const maxSample = 20

// maxCampaignNames is how many distinct campaign names a preview lists.
const maxCampaignNames = 1000

// PreviewFile reads a file and checks every line, without writing.
func PreviewFile(ctx context.Context, st *store.Store, path string, o Options) (*Preview, error) {
	if o.Zone == nil {
		o.Zone = time.UTC
	}
	if o.Currency != "" && !money.ValidCode(o.Currency) {
		return nil, fmt.Errorf("%q is not a currency code such as EUR", o.Currency)
	}
	name := filepath.Base(path)
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	if info.IsDir() {
		return nil, &LineError{File: name, Msg: "is a folder, not a CSV file"}
	}
	p := &Preview{Path: path, Name: name, Size: info.Size(), ModTime: info.ModTime(), Sources: map[string]int{}, opts: o}
	if p.Encoding = o.Encoding; p.Encoding == "" {
		if p.Encoding, err = sniffEncoding(path); errors.Is(err, errBinary) {
			return nil, &LineError{File: name, Msg: err.Error()}
		} else if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", path, err)
		}
	}
	if p.Encoding == Windows1252 {
		p.Warnings = append(p.Warnings, "the file is not UTF-8: read as Windows-1252 (Excel's CSV on Windows)")
	}
	// The header and the layout.
	src, err := openSource(path, p.Encoding)
	if err != nil {
		return nil, err
	}
	h, l, err := readLayout(ctx, st, src, name, o)
	src.close()
	if err != nil {
		return nil, err
	}
	p.layout = l
	p.Preset, p.Feed, p.Class, p.Mapping = l.preset, l.feed, l.class, l.mapping
	p.Delimiter, p.HeaderLine, p.Header, p.Columns, p.Skipped = h.delim, h.line, h.header, l.columns(), h.skipped
	if l.dateOrder != "" && o.DateOrder == "" {
		o.DateOrder = l.dateOrder
	}
	// First pass: what the numbers and dates say about how the file
	// writes them.
	if p.Decimal, p.DateOrder, err = readStyle(p, o); err != nil {
		return nil, err
	}
	// Second pass: every line, as it would be stored.
	campaigns := map[string]int{}
	var order []string
	// A line that is another line again, every value the same, is added
	// to it as a line of the same key is; in a sheet it is more likely
	// pasted twice, so the preview says so.
	seed := maphash.MakeSeed()
	seen := map[uint64]int{}
	var twiceFirst, twiceLine, twice int
	err = p.scan(func(r store.MarketingRow) error {
		if p.Lines < duplicateCheckLines {
			h := rowHash(seed, r)
			if first, ok := seen[h]; ok {
				if twice == 0 {
					twiceFirst, twiceLine = first, r.Line
				}
				twice++
			} else {
				seen[h] = r.Line
			}
		}
		if p.Lines == 0 || r.Day < p.First {
			p.First = r.Day
		}
		if p.Lines == 0 || r.Day > p.Last {
			p.Last = r.Day
		}
		p.Lines++
		if len(p.Sample) < maxSample {
			p.Sample = append(p.Sample, r)
		}
		p.Impressions = p.Impressions.Add(r.Impressions)
		p.Clicks = p.Clicks.Add(r.Clicks)
		p.Sessions = p.Sessions.Add(r.Sessions)
		p.Conversions = p.Conversions.Add(r.Conversions)
		if r.Revenue.OK && r.Revenue.V != 0 {
			p.Revenue = p.Revenue.Add(money.Amount{Currency: r.Currency, Minor: r.Revenue.V})
		}
		if r.Spend.OK && r.Spend.V != 0 {
			p.Spend = p.Spend.Add(money.Amount{Currency: r.Currency, Minor: r.Spend.V})
		}
		if n, ok := campaigns[r.Campaign]; ok || len(campaigns) < maxCampaignNames {
			if !ok {
				order = append(order, r.Campaign)
			}
			campaigns[r.Campaign] = n + 1
		}
		if len(p.Sources) < maxCampaignNames {
			p.Sources[store.NormalizeSource(r.Source)]++
		}
		return nil
	}, true)
	if err != nil {
		return nil, err
	}
	if p.Lines == 0 {
		return nil, &LineError{File: name, Line: p.HeaderLine, Msg: "has a header and no lines under it: nothing to import"}
	}
	if twice > 0 {
		more := ""
		if twice > 1 {
			more = fmt.Sprintf(" (and %d more lines are earlier ones again)", twice-1)
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("line %d is line %d again, every value the same%s: both count, added up; "+
			"if it was pasted twice, take it out and preview again", twiceLine, twiceFirst, more))
	}
	if len(campaigns) >= maxCampaignNames {
		p.Warnings = append(p.Warnings, fmt.Sprintf("more than %d campaign names: the list shows the first", maxCampaignNames))
	}
	ids, err := st.ResolveCampaignNames(ctx, order)
	if err != nil {
		return nil, err
	}
	for _, n := range order {
		p.Campaigns = append(p.Campaigns, CampaignMatch{Name: n, CampaignID: ids[n], Lines: campaigns[n]})
	}
	if p.ImportedBefore, err = st.ImportsOfFile(ctx, p.Feed, p.SHA256); err != nil {
		return nil, err
	}
	if p.Overlaps, err = st.FeedImportsOver(ctx, p.Feed, p.First, p.Last); err != nil {
		return nil, err
	}
	if len(p.Overlaps) > 0 && len(campaigns) < maxCampaignNames {
		// A newer export replaces an older one's rows key by key: the rows
		// of a campaign name this file no longer has (a name corrected in
		// a sheet) are not replaced, and would count beside its own.
		names, err := st.FeedCampaignNamesOver(ctx, p.Feed, p.First, p.Last)
		if err != nil {
			return nil, err
		}
		var others []string
		lines := 0
		for _, n := range names {
			if _, ok := campaigns[n.Name]; !ok {
				others = append(others, n.Name)
				lines += n.Lines
			}
		}
		if len(others) > 0 {
			shown := others
			if len(shown) > 5 {
				shown = shown[:5]
			}
			for i, n := range shown {
				if n == "" {
					n = "(none)"
				}
				shown[i] = strconv.Quote(store.OneLineName(n))
			}
			more := ""
			if len(others) > len(shown) {
				more = fmt.Sprintf(" and %d more", len(others)-len(shown))
			}
			p.Warnings = append(p.Warnings, fmt.Sprintf("earlier imports of this source hold %d %s from %s to %s under campaign names this file "+
				"does not have (%s%s): this file does not replace them, and they count beside its lines",
				lines, plural(lines, "line", "lines"), p.First, p.Last, strings.Join(shown, ", "), more))
		}
	}
	return p, nil
}

// readLayout finds the header and how to read it: the options' mapping or
// preset, else a preset the header is, else a mapping remembered for it.
func readLayout(ctx context.Context, st *store.Store, src *source, name string, o Options) (head, *layout, error) {
	remembered := map[string]*Mapping{}
	isHeader := func(fields []string) bool {
		switch {
		case o.Mapping != nil:
			_, err := resolveMapping(o.Mapping, fields)
			return err == nil
		case o.Preset != "" && o.Preset != PresetMapping:
			return resolvePreset(o.Preset, fields) != nil
		}
		if detectPreset(fields) != nil {
			return true
		}
		if m, err := rememberedMapping(ctx, st, fields); err == nil && m != nil {
			remembered[HeaderKey(fields)] = m
			return true
		}
		return false
	}
	h, err := readHead(src.text, name, isHeader)
	if errors.Is(err, errNoHeader) {
		return h, nil, noHeader(name, h, o)
	}
	if err != nil {
		return h, nil, err
	}
	if err := checkHeader(name, h); err != nil {
		return h, nil, err
	}
	var l *layout
	switch {
	case o.Mapping != nil:
		l, err = resolveMapping(o.Mapping, h.header)
	case o.Preset != "":
		l = resolvePreset(o.Preset, h.header)
	default:
		if l = detectPreset(h.header); l == nil {
			l, err = resolveMapping(remembered[HeaderKey(h.header)], h.header)
		}
	}
	if err != nil {
		return h, nil, &LineError{File: name, Line: h.line, Msg: err.Error()}
	}
	return h, l, nil
}

// noHeader says why no header was found: the preset's columns are missing,
// or the layout needs mapping.
func noHeader(name string, h head, o Options) error {
	// The header is likely the first line with several fields.
	for _, s := range h.skipped {
		if s.Why != "before the header" {
			continue
		}
		fields, ok := splitLine(s.Text, bestDelimiter(s.Text))
		if !ok || len(fields) < 2 {
			continue
		}
		if o.Preset != "" && o.Preset != PresetMapping {
			_, missing := presetLayout(o.Preset, fields)
			return &LineError{File: name, Line: s.Line,
				Msg: fmt.Sprintf("is not a %s header: it lacks %s (it has %s)", o.Preset,
					quotedList(missing, "the column", "the columns"), strings.Join(fields, ", "))}
		}
		if o.Mapping != nil {
			_, err := resolveMapping(o.Mapping, fields)
			return &LineError{File: name, Line: s.Line, Msg: "does not fit the mapping: " + err.Error()}
		}
		return &NeedsMappingError{File: name, Line: s.Line, Header: fields, Suggested: SuggestMapping(fields)}
	}
	return &LineError{File: name, Msg: fmt.Sprintf("has no header line in its first %d lines: is it a CSV export?", maxPreamble)}
}

func checkHeader(name string, h head) error {
	seen := map[string]int{}
	for i, c := range h.header {
		n := normHeader(c)
		if n == "" {
			continue
		}
		if j, dup := seen[n]; dup {
			return &LineError{File: name, Line: h.line, Col: i + 1, Column: c,
				Msg: fmt.Sprintf("comes twice in the header (columns %d and %d)", j+1, i+1)}
		}
		seen[n] = i
	}
	return nil
}

// rememberedMapping loads the mapping saved for a header, if any.
func rememberedMapping(ctx context.Context, st *store.Store, header []string) (*Mapping, error) {
	l, ok, err := st.Layout(ctx, HeaderKey(header))
	if err != nil || !ok {
		return nil, err
	}
	var m Mapping
	if err := json.Unmarshal([]byte(l.Mapping), &m); err != nil {
		return nil, fmt.Errorf("the mapping remembered for this layout is damaged: %w", err)
	}
	return &m, nil
}

// readStyle reads the file once for what its numbers and dates say: the
// decimal separator, and the order of day and month in slash dates.
func readStyle(p *Preview, o Options) (rune, DateOrder, error) {
	src, err := openSource(p.Path, p.Encoding)
	if err != nil {
		return 0, "", err
	}
	defer src.close()
	l := p.layout
	if _, err := skipHead(src, p); err != nil {
		return 0, "", err
	}
	rs := newRecords(src.text, p.Delimiter, p.HeaderLine, len(p.Header))
	var ns numberStyle
	numeric := []Field{FieldImpressions, FieldClicks, FieldSessions, FieldConversions, FieldRevenue, FieldSpend}
	order := o.DateOrder
	var dmyLine, mdyLine, ambiguousLine int
	var dmyText, mdyText, ambiguousText string
	dateCol, hasDate := l.col[FieldDate]
	err = rs.each(p.Name, func(rec []string, line int) error {
		if l.isTotals(rec) {
			return nil
		}
		for _, f := range numeric {
			if i, ok := l.col[f]; ok {
				if clean, _, _, _, err := cleanNumber(rec[i]); err == nil {
					if err := ns.note(clean, line); err != nil {
						return &LineError{File: p.Name, Line: line, Msg: err.Error()}
					}
				}
			}
		}
		if hasDate && order == DateOrderAuto {
			if a, b, ok := slashParts(rec[dateCol]); ok {
				switch {
				case a > 12 && b <= 12 && dmyLine == 0:
					dmyLine, dmyText = line, rec[dateCol]
				case b > 12 && a <= 12 && mdyLine == 0:
					mdyLine, mdyText = line, rec[dateCol]
				case a <= 12 && b <= 12 && a != b && ambiguousLine == 0:
					ambiguousLine, ambiguousText = line, rec[dateCol]
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, "", err
	}
	if _, err := src.finish(); err != nil {
		return 0, "", err
	}
	decimal := ns.decimal
	if decimal <= 0 {
		decimal = '.'
	}
	if order == DateOrderAuto {
		switch {
		case dmyLine != 0 && mdyLine != 0:
			return 0, "", &LineError{File: p.Name, Line: mdyLine, Column: l.header[dateCol], Col: dateCol + 1, Value: mdyText,
				Msg: fmt.Sprintf("puts the month first, but line %d (%q) puts the day first", dmyLine, dmyText)}
		case dmyLine != 0:
			order = DayFirst
		case mdyLine != 0:
			order = MonthFirst
		case ambiguousLine != 0:
			return 0, "", &DateOrderError{File: p.Name, Line: ambiguousLine, Example: ambiguousText}
		}
	}
	return decimal, order, nil
}

// skipHead reads past the lines up to the header, checking it is the same
// header the preview found.
func skipHead(src *source, p *Preview) (head, error) {
	h, err := readHead(src.text, p.Name, func(fields []string) bool { return HeaderKey(fields) == HeaderKey(p.Header) })
	if err != nil || h.line != p.HeaderLine {
		return h, &LineError{File: p.Name, Line: p.HeaderLine, Msg: "the file changed since it was previewed: preview it again"}
	}
	return h, nil
}

// scan reads every data line as a row and calls fn with it. With
// withHash it records the file's SHA-256 in the preview.
func (p *Preview) scan(fn func(store.MarketingRow) error, withHash bool) error {
	src, err := openSource(p.Path, p.Encoding)
	if err != nil {
		return err
	}
	defer src.close()
	if _, err := skipHead(src, p); err != nil {
		return err
	}
	conv := newConverter(p)
	rs := newRecords(src.text, p.Delimiter, p.HeaderLine, len(p.Header))
	err = rs.each(p.Name, func(rec []string, line int) error {
		r, skip, lerr := conv.row(rec, line)
		if lerr != nil {
			return lerr
		}
		if skip != "" {
			if withHash {
				if len(p.Skipped) < maxSkipped {
					p.Skipped = append(p.Skipped, Skipped{Line: line, Text: strings.Join(rec, string(p.Delimiter)), Why: skip})
				} else {
					p.SkippedMore++
				}
			}
			return nil
		}
		return fn(r)
	})
	if err != nil {
		return err
	}
	sum, err := src.finish()
	if err != nil {
		return err
	}
	if withHash {
		p.SHA256 = sum
	} else if sum != p.SHA256 {
		return &LineError{File: p.Name, Msg: "the file changed since it was previewed: preview it again"}
	}
	return nil
}

// writeTime is about how long Commit holds the write lock for p, at
// writeRate: its lines, and twice the rows of the imports it may replace
// (each found and deleted; a million lines over a million took 24 s on a
// busy machine, a fresh million 3 s).
func writeTime(p *Preview) time.Duration {
	rows := p.Lines
	for _, o := range p.Overlaps {
		rows += 2 * o.Written
	}
	return time.Duration(rows) * time.Second / time.Duration(writeRate)
}

// writeRate is the lines a second a slow machine writes, below the 277k
// measured (BenchmarkImportMillionRows). A variable for the tests.
var writeRate = 100_000

// lockNoticed is a hold of the write lock long enough to make a post
// late; a shorter import goes ahead at once.
const lockNoticed = 500 * time.Millisecond

// ErrChanged is wrapped by the error of a Commit whose file is not the one
// previewed.
var ErrChanged = errors.New("the file changed since it was previewed")

// Commit imports a previewed file: it reads it again, streaming, and
// writes every line in one transaction. A line that fails, or a file that
// is not the bytes previewed, leaves the store as it was. A mapping the
// preview read with is remembered for the file's header.
//
// A large file holds the database's write lock for seconds, and a sender
// must write its claim on a post before it sends it: Commit first lets
// the posts due while it would write go out (store.ClearOfSends).
func Commit(ctx context.Context, st *store.Store, p *Preview, now time.Time) (store.ImportResult, error) {
	if p == nil || p.layout == nil {
		return store.ImportResult{}, errors.New("import: nothing previewed")
	}
	info, err := os.Stat(p.Path)
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("cannot read %s: %w", p.Path, err)
	}
	if info.Size() != p.Size || !info.ModTime().Equal(p.ModTime) {
		return store.ImportResult{}, fmt.Errorf("%s: %w: preview it again", p.Name, ErrChanged)
	}
	if hold := writeTime(p); hold >= lockNoticed {
		if err := st.ClearOfSends(ctx, hold, time.Now, p.Waiting); err != nil {
			return store.ImportResult{}, err
		}
	}
	imp, err := st.BeginImport(ctx, store.ImportBatch{Feed: p.Feed, Class: p.Class, Preset: string(p.Preset), Origin: p.Name,
		SHA256: p.SHA256, ExportedAt: p.ModTime}, now)
	if err != nil {
		return store.ImportResult{}, err
	}
	// The file is parsed on another goroutine while this one adds its
	// rows (and the store's writer runs the statements).
	const chunk = 512
	chunks := make(chan []store.MarketingRow, 8)
	parsed := make(chan error, 1)
	stop := make(chan struct{})
	go func() {
		buf := make([]store.MarketingRow, 0, chunk)
		err := p.scan(func(r store.MarketingRow) error {
			buf = append(buf, r)
			if len(buf) == chunk {
				select {
				case chunks <- buf:
				case <-stop:
					return errStopped
				}
				buf = make([]store.MarketingRow, 0, chunk)
			}
			return nil
		}, false)
		if err == nil && len(buf) > 0 {
			select {
			case chunks <- buf:
			case <-stop:
				err = errStopped
			}
		}
		close(chunks)
		parsed <- err
	}()
	var werr error
	for rows := range chunks {
		if werr != nil {
			continue
		}
		for _, r := range rows {
			if werr = imp.Add(r); werr != nil {
				close(stop)
				break
			}
		}
	}
	perr := <-parsed
	if werr == nil && perr != nil {
		werr = perr
	}
	if werr != nil {
		imp.Rollback()
		var le *LineError
		if errors.As(werr, &le) && strings.Contains(le.Msg, "changed since") {
			return store.ImportResult{}, fmt.Errorf("%s: %w: preview it again", p.Name, ErrChanged)
		}
		return store.ImportResult{}, werr
	}
	res, err := imp.Commit()
	if err != nil {
		var mixed *store.MixedCurrencyError
		if errors.As(err, &mixed) {
			return res, &LineError{File: p.Name, Line: mixed.Line, Msg: strings.TrimPrefix(err.Error(), fmt.Sprintf("line %d: ", mixed.Line))}
		}
		return res, err
	}
	if p.Mapping != nil {
		j, err := json.Marshal(p.Mapping)
		if err != nil {
			return res, err
		}
		if err := st.SaveLayout(ctx, store.MarketingLayout{Header: HeaderKey(p.Header), Name: p.Mapping.Name,
			Mapping: string(j)}, now); err != nil {
			return res, fmt.Errorf("imported, but the mapping was not remembered: %w", err)
		}
	}
	return res, nil
}

var errStopped = errors.New("stopped")

// Import previews a file and commits it: for callers that need no look in
// between (tests, scripts).
func Import(ctx context.Context, st *store.Store, path string, o Options, now time.Time) (store.ImportResult, *Preview, error) {
	p, err := PreviewFile(ctx, st, path, o)
	if err != nil {
		return store.ImportResult{}, nil, err
	}
	res, err := Commit(ctx, st, p, now)
	return res, p, err
}

// quotedList writes names quoted and joined: the column "date", the
// columns "date", "clicks" and "spend".
func quotedList(names []string, one, many string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	switch len(q) {
	case 0:
		return many + " it needs"
	case 1:
		return one + " " + q[0]
	}
	return many + " " + strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
