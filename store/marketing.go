package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/crier-app/crier/platforms"
)

// MarketingClass is what kind of source a feed is. Where two kinds report
// the same metric for the same campaign, day and source (network), one of
// them counts; see marketingPrecedence.
type MarketingClass int

const (
	ClassAnalytics MarketingClass = 1 // web analytics: Plausible, GA4
	ClassAds       MarketingClass = 2 // ad platforms: Meta Ads Manager, Google Ads
	ClassSheet     MarketingClass = 3 // the user's own layout: the plain preset, a remembered mapping
	ClassManual    MarketingClass = 4 // typed in the app: always added
)

func (c MarketingClass) String() string {
	switch c {
	case ClassAnalytics:
		return "web analytics"
	case ClassAds:
		return "ad platform"
	case ClassSheet:
		return "your sheet"
	case ClassManual:
		return "typed in"
	}
	return "class " + strconv.Itoa(int(c))
}

// MarketingPrecedence says, per metric, which class counts where several
// report it for the same campaign, day and source, the first that reported
// it winning. Typed-in entries are added on top of any of them.
//
//   - impressions: the ad platform, then the sheet (web analytics has none);
//   - link clicks: the ad platform (it counts every click), then the sheet,
//     then web analytics' visits (the clicks that arrived);
//   - sessions: web analytics, then the sheet;
//   - conversions and revenue: the sheet (your own till), then web
//     analytics, then the ad platform's "results";
//   - spend: the ad platform, then the sheet.
var MarketingPrecedence = map[string][]MarketingClass{
	"impressions": {ClassAds, ClassSheet},
	"clicks":      {ClassAds, ClassSheet, ClassAnalytics},
	"sessions":    {ClassAnalytics, ClassSheet},
	"conversions": {ClassSheet, ClassAnalytics, ClassAds},
	"revenue":     {ClassSheet, ClassAnalytics, ClassAds},
	"spend":       {ClassAds, ClassSheet},
}

// Num is a metric a source may or may not report: not reported is not 0.
type Num struct {
	V  int64
	OK bool
}

// Known is a reported value.
func Known(v int64) Num { return Num{V: v, OK: true} }

func (n Num) arg() any {
	if !n.OK {
		return nil
	}
	return n.V
}

func numOf(v sql.NullInt64) Num { return Num{V: v.Int64, OK: v.Valid} }

// Add sums two values; the sum is known when either is.
func (n Num) Add(m Num) Num { return Num{V: n.V + m.V, OK: n.OK || m.OK} }

// MarketingRow is one line of what a source reported: a day's figures for
// one campaign (as the source names it), source (network) and content (the
// post or its variant, the ad). Conversions are in thousandths; Revenue and
// Spend in minor units of Currency.
type MarketingRow struct {
	Day         Day
	Campaign    string
	Source      string
	Content     string
	Currency    string
	Impressions Num
	Clicks      Num
	Sessions    Num
	Conversions Num
	Revenue     Num
	Spend       Num
	Line        int // where it was in the file (0 for none)
}

// ImportBatch describes where a set of rows comes from.
type ImportBatch struct {
	// Feed names whose numbers they are: rows of one feed with the same
	// day, campaign, source and content are one row, and the newer
	// export's values replace the older's ("plausible", "ga4", "meta_ads",
	// "google_ads", "sheet", "manual", or a remembered layout's name).
	Feed   string
	Class  MarketingClass
	Preset string
	Origin string // the file's name, "Plausible API: example.com", "typed in"
	SHA256 string
	// ExportedAt says which of two exports is newer: the file's
	// modification time, or when the API was asked.
	ExportedAt time.Time
}

// ImportResult is what an import wrote.
type ImportResult struct {
	BatchID int64
	Lines   int // rows given to Add
	Written int // lines written (new rows, replacing an older export's, or added to another line of this import)
	Kept    int // lines not written: a newer export already holds their rows
	First   Day // the first and last day of the lines
	Last    Day
	// Campaigns are the campaign names the lines carried and the crier
	// campaign each maps to (0: none, the user can map it).
	Campaigns map[string]int64
	Groups    int // campaign, day and source sums recomputed
}

// marketingInsertRows is how many rows one INSERT statement carries: a
// million rows are a thousand statements, and each statement copies the
// pages it changes into its journal (to undo itself alone on an error), so
// fewer, bigger statements copy fewer pages (1024 rows took 8% less time
// than 64); 13 values a row stay under SQLite's limit of 32766.
const marketingInsertRows = 1024

// MarketingImport writes one batch of rows in one transaction: nothing is
// stored unless Commit succeeds. It holds the database's write lock from
// BeginImport to Commit or Rollback, so callers parse and check a file
// before they begin (csvimport previews it first).
type MarketingImport struct {
	ctx     context.Context
	conn    *sql.Conn
	tx      *sql.Tx
	batch   ImportBatch
	batchID int64
	// stmts are the INSERTs of marketingInsertRows rows, one for each
	// shape of rows (insertShape: the set of metrics they report, as a
	// metric no row of a statement reports is left out, NULL, rather than
	// bound NULL a million times; and their currency where they share
	// one), prepared on the driver's connection under the transaction
	// (conn.Raw): values are bound as they are, without database/sql
	// converting and checking each again. The writer's alone.
	stmts  map[insertShape]driver.Stmt
	consts string // the batch's feed, class, id and export time, written into the statements
	queue  []queuedRow
	rows   int // rows queued
	// The statements are run by a goroutine of their own (writer), so
	// that SQLite's work goes on while Add reads the next lines: a queue
	// of rows is bound into one of the free argument lists and handed to
	// it. Only the writer uses the connection until it is stopped
	// (stopWriter), and its error is read then.
	shapes        map[insertShape]bool     // the statements' shapes so far (Add's, as stmts is the writer's)
	currencyStmts int                      // how many of them have a currency written in
	free          chan []driver.NamedValue // numbered argument lists not in use
	work          chan insertWork
	written       chan writerResult
	wfailed       atomic.Bool // the writer met an error: Add stops early
	// What Add made of the texts that come again line after line.
	sources, campaigns map[string]*lineText
	lastCurrency       lineText
	lastDay            Day
	lastDayArg         driver.Value
	names              *campaignResolver
	// dirty holds the campaign, day and source groups the lines fall in,
	// each with the lines' sums (nil once sumsInSQL).
	dirty     map[groupKey]*groupSums
	lastKey   groupKey
	lastGroup *groupSums
	// sumsInSQL: Commit sums every group from marketing_rows, as for a
	// group that held rows before (see sumGroups).
	sumsInSQL bool
	// contents sums the lines per campaign, source and content (and their
	// money per currency) as they come, so Commit can add them to
	// marketing_contents without reading the rows back. It is dropped
	// (foldInSQL) where that would not be exact or would hold too much:
	// see foldContents.
	contents  map[contentKey]*contentSums
	money     map[moneyKey]*[2]int64
	foldInSQL bool
	res       ImportResult
	finished  bool
	err       error
}

type contentKey struct {
	campaign        int64
	source, content string
}

type moneyKey struct {
	contentKey
	currency string
}

// metricColumns are marketing_rows' metrics, in the order of a queued
// row's.
var metricColumns = [6]string{"impressions", "clicks", "sessions", "conversions", "revenue", "spend"}

// queuedRow is a row waiting for its statement: campaign_id, day, source,
// content, ext_campaign, line and currency, and its metrics.
type queuedRow struct {
	fixed   [7]driver.Value
	metrics [6]Num
}

// lineText is a source, campaign name or currency as a file writes it and
// what Add makes of it once: the source normalized, the campaign resolved,
// the text boxed as the driver value it is bound as.
type lineText struct {
	text     string
	arg      driver.Value
	campaign int64 // a campaign name's crier campaign (0: none)
}

type contentSums struct {
	arg                                                               driver.Value // the content, as it is bound
	impressions, clicksWithImpressions, clicks, sessions, conversions int64
	// How many rows reported each metric (impressions, clicks, sessions,
	// conversions): 0 leaves it unknown (migration 10). Lines are rows
	// while no two share a key: each content's lines come day after day
	// (lastDay, and the campaign names of that day, lastNames); a line
	// that does not leaves the sums to SQLite, which counts rows.
	reported  [4]int64
	lines     int64
	seen      bool
	lastDay   Day
	lastNames []string
	// Whether the lines gave impressions: clicksWithImpressions counts a
	// stored row's clicks when the row has impressions, and lines added up
	// into one row have them when any line does. Lines that disagree
	// leave the sums to SQLite.
	withImpressions, withoutImpressions bool
}

// maxFoldKeys is how many contents an import sums in memory before it
// leaves the sums to SQLite.
const maxFoldKeys = 100_000

type groupKey struct {
	campaign int64
	day      Day
	source   string
}

// groupSums are one group's lines of this import added up per currency,
// as marketingDaysSQL and marketingMoneySQL add up rows: a metric is NULL
// (not OK) only when no line reported it.
type groupSums struct {
	currency string
	n        [6]Num     // impressions, clicks, sessions, conversions, revenue, spend
	next     *groupSums // the group's lines in another currency
}

// maxSumGroups is how many groups an import sums in memory before it
// leaves their sums to SQLite.
var maxSumGroups = 100_000

// add adds a line to the sums of its currency. It reports false when a sum
// would overflow (SQLite's sum then says so).
func (g *groupSums) add(r *MarketingRow) bool {
	for g.currency != r.Currency {
		if g.next == nil {
			g.next = &groupSums{currency: r.Currency}
		}
		g = g.next
	}
	for i, v := range [6]Num{r.Impressions, r.Clicks, r.Sessions, r.Conversions, r.Revenue, r.Spend} {
		if !v.OK {
			continue
		}
		s, ok := addChecked(g.n[i].V, v.V)
		if !ok {
			return false
		}
		g.n[i] = Known(s)
	}
	return true
}

// sqlQuote writes s as an SQL string literal.
func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// BeginImport starts writing a batch. The caller must Commit or Rollback.
func (s *Store) BeginImport(ctx context.Context, b ImportBatch, now time.Time) (*MarketingImport, error) {
	if b.Feed == "" {
		return nil, errors.New("import: no feed named")
	}
	if b.Class < ClassAnalytics || b.Class > ClassManual {
		return nil, fmt.Errorf("import: class %d is not one crier knows", b.Class)
	}
	if b.ExportedAt.IsZero() {
		b.ExportedAt = now
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	// Each multi-row statement keeps a journal of the pages it changed
	// (to undo itself alone on an error): in memory, not a file per
	// statement (a million-row import spent a fifth of its time writing
	// them). A bigger page cache keeps the rows' pages between statements;
	// 16 MiB, as a million-row import stays under 70 MB of memory with it.
	// Both go back to Open's settings when the import ends.
	for _, p := range []string{"PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -16384"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			conn.Close()
			return nil, err
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	m := &MarketingImport{ctx: ctx, conn: conn, tx: tx, batch: b, dirty: map[groupKey]*groupSums{},
		contents: map[contentKey]*contentSums{}, money: map[moneyKey]*[2]int64{}}
	fail := func(err error) (*MarketingImport, error) {
		m.Rollback()
		return nil, err
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO marketing_imports (feed, class, preset, origin, sha256, exported_at, imported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, b.Feed, int(b.Class), b.Preset, b.Origin, b.SHA256, ms(b.ExportedAt), ms(now))
	if err != nil {
		return fail(err)
	}
	if m.batchID, err = res.LastInsertId(); err != nil {
		return fail(err)
	}
	if m.names, err = loadCampaignResolver(ctx, tx); err != nil {
		return fail(err)
	}
	// The batch's constants are written into the statements, so each row
	// binds only its own values.
	m.consts = fmt.Sprintf("%s, %d, %d, %d", sqlQuote(b.Feed), int(b.Class), m.batchID, ms(b.ExportedAt))
	m.stmts = map[insertShape]driver.Stmt{}
	m.queue = make([]queuedRow, marketingInsertRows)
	m.shapes = map[insertShape]bool{}
	m.startWriter()
	m.sources, m.campaigns = map[string]*lineText{}, map[string]*lineText{}
	m.res.Campaigns = map[string]int64{}
	m.res.BatchID = m.batchID
	return m, nil
}

// marketingInsertSQL is the multi-row upsert. A row of another import is
// replaced when this import's export is as new or newer; a row this import
// wrote already (the same key on another line: an export broken down by
// something crier does not keep, such as the ad set or the referrer) gets
// this line's figures added. Two currencies on one key of one import
// cannot be added: the row is marked and Commit reports the line.
// shape says which values each row binds.
func marketingInsertSQL(shape insertShape, consts string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO marketing_rows (campaign_id, day, source, content, ext_campaign, line, currency")
	row := "(?, ?, ?, ?, ?, ?, ?"
	if shape.oneCurrency {
		row = "(?, ?, ?, ?, ?, ?, " + sqlQuote(shape.currency)
	}
	for i, c := range metricColumns {
		if shape.metrics&(1<<i) != 0 {
			b.WriteString(", " + c)
			row += ", ?"
		}
	}
	b.WriteString(", feed, class, batch_id, exported_at) VALUES ")
	row += ", " + consts + ")"
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	b.WriteString("\n\tON CONFLICT DO UPDATE SET\n")
	for _, c := range []string{"impressions", "clicks", "sessions", "conversions", "revenue", "spend"} {
		// This import's own row: add, NULL only when both are; another
		// import's: replace.
		fmt.Fprintf(&b, "\t%[1]s = CASE WHEN batch_id <> excluded.batch_id OR %[1]s IS NULL THEN excluded.%[1]s"+
			" WHEN excluded.%[1]s IS NULL THEN %[1]s ELSE %[1]s + excluded.%[1]s END,\n", c)
	}
	b.WriteString(`	currency = CASE WHEN batch_id <> excluded.batch_id THEN excluded.currency
	                WHEN excluded.currency = '' THEN currency
	                WHEN currency = '' OR currency = excluded.currency THEN excluded.currency
	                ELSE '!' || currency || ' ' || excluded.currency END,
	line = CASE WHEN batch_id = excluded.batch_id THEN line ELSE excluded.line END,
	class = excluded.class,
	batch_id = excluded.batch_id,
	exported_at = excluded.exported_at
	WHERE excluded.exported_at >= marketing_rows.exported_at`)
	return b.String()
}

// Add queues one row. Rows are written in statements of
// marketingInsertRows; the first error sticks and is returned by Commit.
func (m *MarketingImport) Add(r MarketingRow) error {
	if m.err != nil {
		return m.err
	}
	if m.finished {
		return errors.New("import: already finished")
	}
	src := m.sources[r.Source]
	if src == nil {
		n := NormalizeSource(r.Source)
		src = &lineText{text: n, arg: n}
		m.sources[r.Source] = src
	}
	r.Source = src.text
	name := m.campaigns[r.Campaign]
	if name == nil {
		name = &lineText{text: r.Campaign, arg: r.Campaign, campaign: m.names.resolve(r.Campaign)}
		m.campaigns[r.Campaign] = name
		if r.Campaign != "" {
			m.res.Campaigns[r.Campaign] = name.campaign
		}
	}
	camp := name.campaign
	if r.Currency != m.lastCurrency.text || m.lastCurrency.arg == nil {
		m.lastCurrency = lineText{text: r.Currency, arg: r.Currency}
	}
	if r.Day != m.lastDay || m.lastDayArg == nil {
		m.lastDay, m.lastDayArg = r.Day, int64(r.Day)
	}
	if m.res.Lines == 0 || r.Day < m.res.First {
		m.res.First = r.Day
	}
	if m.res.Lines == 0 || r.Day > m.res.Last {
		m.res.Last = r.Day
	}
	m.res.Lines++
	k := groupKey{camp, r.Day, r.Source}
	if k != m.lastKey || m.res.Lines == 1 {
		g, seen := m.dirty[k]
		if !seen {
			if !m.sumsInSQL && len(m.dirty) == maxSumGroups {
				m.sumGroupsInSQL()
			}
			if !m.sumsInSQL {
				g = &groupSums{currency: r.Currency}
			}
			m.dirty[k] = g
		}
		m.lastKey, m.lastGroup = k, g
	}
	if !m.sumsInSQL {
		// A line with money and no currency goes into the currency of
		// another line of its key (marketingInsertSQL), which the sums
		// here cannot follow.
		if (r.Currency == "" && (r.Revenue.OK || r.Spend.OK)) || !m.lastGroup.add(&r) {
			m.sumGroupsInSQL()
		}
	}
	var content driver.Value
	if !m.foldInSQL {
		ck := contentKey{camp, r.Source, r.Content}
		c := m.contents[ck]
		if c == nil {
			if len(m.contents) == maxFoldKeys {
				m.foldInSQL, m.contents, m.money = true, nil, nil
			} else {
				c = &contentSums{arg: r.Content}
				m.contents[ck] = c
			}
		}
		if c != nil {
			switch {
			case !c.seen || r.Day > c.lastDay:
				c.seen, c.lastDay, c.lastNames = true, r.Day, append(c.lastNames[:0], r.Campaign)
			case r.Day == c.lastDay && !slices.Contains(c.lastNames, r.Campaign):
				c.lastNames = append(c.lastNames, r.Campaign)
			default: // perhaps a second line of a row
				m.foldInSQL, m.contents, m.money, c = true, nil, nil, nil
			}
		}
		if c != nil {
			content = c.arg
			c.impressions += r.Impressions.V
			if r.Impressions.OK {
				c.clicksWithImpressions += r.Clicks.V
				c.withImpressions = true
			} else {
				c.withoutImpressions = true
			}
			// A line with money and no currency adds it to the currency of
			// another line of its key (marketingInsertSQL).
			if (c.withImpressions && c.withoutImpressions) || (r.Currency == "" && (r.Revenue.V != 0 || r.Spend.V != 0)) {
				m.foldInSQL, m.contents, m.money, c = true, nil, nil, nil
			}
		}
		if c != nil {
			c.clicks += r.Clicks.V
			c.sessions += r.Sessions.V
			c.conversions += r.Conversions.V
			if r.Impressions.OK || r.Clicks.OK || r.Sessions.OK || r.Conversions.OK {
				c.lines++ // a row that reports a count (class_N_rows)
			}
			for i, n := range [4]Num{r.Impressions, r.Clicks, r.Sessions, r.Conversions} {
				if n.OK {
					c.reported[i]++
				}
			}
			if r.Currency != "" && (r.Revenue.V != 0 || r.Spend.V != 0) {
				mk := moneyKey{ck, r.Currency}
				mm := m.money[mk]
				if mm == nil {
					mm = &[2]int64{}
					m.money[mk] = mm
				}
				mm[0] += r.Revenue.V
				mm[1] += r.Spend.V
			}
		}
	}
	if content == nil {
		content = r.Content
	}
	m.queue[m.rows] = queuedRow{
		fixed:   [7]driver.Value{camp, m.lastDayArg, src.arg, content, name.arg, int64(r.Line), m.lastCurrency.arg},
		metrics: [6]Num{r.Impressions, r.Clicks, r.Sessions, r.Conversions, r.Revenue, r.Spend},
	}
	m.rows++
	if m.rows == marketingInsertRows {
		m.err = m.writeQueue()
	}
	return m.err
}

// insertWork is one statement for the writer: rows rows whose values are
// bound in args, as shape says.
type insertWork struct {
	shape insertShape
	rows  int
	args  []driver.NamedValue
}

// insertShape is which values the rows of a statement bind: metrics has a
// bit (1<<i) for each of metricColumns the rows give; rows all of one
// currency have it written into the statement (oneCurrency), and bind one
// value fewer each.
type insertShape struct {
	metrics     uint8
	oneCurrency bool
	currency    string
}

// maxCurrencyStmts is how many statements with a currency written in an
// import prepares at most; after that, currencies are bound.
const maxCurrencyStmts = 16

// writerResult is what the writer did when it stopped.
type writerResult struct {
	written, kept int
	err           error
}

// writerLists is how many argument lists there are: one being filled, one
// being written, one ready.
const writerLists = 3

// startWriter starts the goroutine that runs the import's statements.
func (m *MarketingImport) startWriter() {
	m.free = make(chan []driver.NamedValue, writerLists)
	for range writerLists {
		args := make([]driver.NamedValue, 13*marketingInsertRows)
		for i := range args {
			args[i].Ordinal = i + 1
		}
		m.free <- args
	}
	m.work = make(chan insertWork, writerLists)
	m.written = make(chan writerResult, 1)
	go func() {
		var res writerResult
		for w := range m.work {
			if res.err == nil {
				n, err := m.run(w)
				res.written += n
				res.kept += w.rows - n
				if err != nil {
					res.err = err
					m.wfailed.Store(true)
				}
			}
			m.free <- w.args
		}
		m.written <- res
	}()
}

// stopWriter waits for the writer to run what it was given and stop; it
// returns the writer's first error. It is safe to call more than once.
func (m *MarketingImport) stopWriter() error {
	if m.work == nil {
		return nil
	}
	close(m.work)
	res := <-m.written
	m.work = nil
	m.res.Written += res.written
	m.res.Kept += res.kept
	return res.err
}

// writeQueue hands the queued rows to the writer as one statement.
func (m *MarketingImport) writeQueue() error {
	if m.wfailed.Load() {
		return m.stopWriter()
	}
	queue := m.queue[:m.rows]
	cur := queue[0].fixed[6]
	shape := insertShape{oneCurrency: m.rows == marketingInsertRows && m.currencyStmts < maxCurrencyStmts}
	for _, q := range queue {
		for i, v := range q.metrics {
			if v.OK {
				shape.metrics |= 1 << i
			}
		}
		shape.oneCurrency = shape.oneCurrency && q.fixed[6] == cur
	}
	fixed := len(queue[0].fixed)
	if shape.oneCurrency {
		shape.currency = cur.(string)
		fixed--
		if !m.shapes[shape] {
			m.shapes[shape] = true
			m.currencyStmts++
		}
	}
	args := <-m.free
	n := 0
	for _, q := range queue {
		for _, v := range q.fixed[:fixed] {
			args[n].Value = v
			n++
		}
		for i, v := range q.metrics {
			if shape.metrics&(1<<i) != 0 {
				args[n].Value = v.arg()
				n++
			}
		}
	}
	m.work <- insertWork{shape: shape, rows: m.rows, args: args[:n]}
	m.rows = 0
	return nil
}

// run writes one statement's rows (on the writer) and says how many were
// written.
func (m *MarketingImport) run(w insertWork) (int, error) {
	if w.rows < marketingInsertRows { // the last rows
		stmt, err := m.prepare(marketingInsertSQL(w.shape, m.consts, w.rows))
		if err != nil {
			return 0, err
		}
		n, err := m.exec(stmt, w.args)
		if cerr := m.closeStmt(stmt); err == nil {
			err = cerr
		}
		return n, err
	}
	stmt := m.stmts[w.shape]
	if stmt == nil {
		var err error
		if stmt, err = m.prepare(marketingInsertSQL(w.shape, m.consts, w.rows)); err != nil {
			return 0, err
		}
		m.stmts[w.shape] = stmt
	}
	return m.exec(stmt, w.args)
}

// prepare prepares a statement on the driver's connection.
func (m *MarketingImport) prepare(q string) (driver.Stmt, error) {
	var stmt driver.Stmt
	err := m.conn.Raw(func(dc any) error {
		c, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("the SQLite driver's connection (%T) does not prepare with a context", dc)
		}
		var err error
		stmt, err = c.PrepareContext(m.ctx, q)
		return err
	})
	return stmt, err
}

// closeStmts closes the statements of m.stmts.
func (m *MarketingImport) closeStmts() error {
	var first error
	for k, stmt := range m.stmts {
		if err := m.closeStmt(stmt); err != nil && first == nil {
			first = err
		}
		delete(m.stmts, k)
	}
	return first
}

// closeStmt closes a statement prepare made.
func (m *MarketingImport) closeStmt(stmt driver.Stmt) error {
	return m.conn.Raw(func(any) error { return stmt.Close() })
}

// sumGroupsInSQL drops the sums of the groups: Commit makes them from the
// rows.
func (m *MarketingImport) sumGroupsInSQL() {
	m.sumsInSQL, m.lastGroup = true, nil
	for k := range m.dirty {
		m.dirty[k] = nil
	}
}

// exec runs a statement's rows through stmt, one of prepare's, and says
// how many rows it wrote.
func (m *MarketingImport) exec(stmt driver.Stmt, args []driver.NamedValue) (int, error) {
	var n int64
	err := m.conn.Raw(func(any) error {
		sc, ok := stmt.(driver.StmtExecContext)
		if !ok {
			return fmt.Errorf("the SQLite driver's statement (%T) does not run with a context", stmt)
		}
		res, err := sc.ExecContext(m.ctx, args)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("writing marketing rows: %w", err)
	}
	return int(n), nil
}

// Commit writes the rows still queued, recomputes the sums of every
// campaign, day and source they touched and commits. On error nothing is
// stored.
func (m *MarketingImport) Commit() (ImportResult, error) {
	if m.finished {
		return m.res, errors.New("import: already finished")
	}
	err := m.err
	if err == nil && m.rows > 0 {
		err = m.writeQueue()
	}
	if werr := m.stopWriter(); err == nil {
		err = werr
	}
	if err == nil {
		err = m.checkCurrencies()
	}
	if err == nil {
		err = m.names.recordSeen(m.ctx, m.tx, m.res.Campaigns, m.batch.ExportedAt)
	}
	if err == nil {
		m.res.Groups = len(m.dirty)
		err = fillDirty(m.ctx, m.tx, m.dirty)
	}
	if err == nil {
		err = m.foldContents()
	}
	if err == nil {
		if m.sumsInSQL {
			err = recomputeDirty(m.ctx, m.tx)
		} else {
			err = m.sumGroups()
		}
	}
	if err == nil {
		var first, last any
		if m.res.Lines > 0 {
			first, last = int64(m.res.First), int64(m.res.Last)
		}
		_, err = m.tx.ExecContext(m.ctx, `
			UPDATE marketing_imports SET first_day = ?, last_day = ?, lines = ?, rows_written = ?, rows_kept = ?
			WHERE id = ?`, first, last, m.res.Lines, m.res.Written, m.res.Kept, m.batchID)
	}
	if err == nil {
		err = m.closeStmts()
	}
	if err == nil {
		err = m.tx.Commit()
		m.finished = true
		m.release()
		if err == nil {
			return m.res, nil
		}
	}
	m.Rollback()
	return ImportResult{}, err
}

// sumGroups recomputes the sums of the groups the import touched (listed
// in temp.marketing_dirty). A group that held no rows before this import
// holds its lines alone, all of one class, whose sums were made as they
// came (Add): its rows of marketing_days and marketing_day_money follow
// from those as marketingDaysSQL and marketingMoneySQL would make them
// (newGroupRows), without reading a million rows back. The other groups
// are summed from their rows. A group held rows before when
// marketing_days has it: every write to marketing_rows recomputes the
// groups it touched, and a group with rows has a row there, even when all
// its figures are NULL. TestImportSumsMatchRebuildAtRandom holds the two
// ways to each other.
func (m *MarketingImport) sumGroups() error {
	if _, err := m.tx.ExecContext(m.ctx, `DELETE FROM temp.marketing_dirty WHERE NOT EXISTS (
		SELECT 1 FROM marketing_days g WHERE g.campaign_id = marketing_dirty.campaign_id
		AND g.day = marketing_dirty.day AND g.source = marketing_dirty.source)`); err != nil {
		return fmt.Errorf("summing marketing rows: %w", err)
	}
	held := map[groupKey]bool{}
	err := eachRow(m.ctx, m.tx, "SELECT campaign_id, day, source FROM temp.marketing_dirty", nil, func(rows rowScanner) error {
		var k groupKey
		if err := rows.Scan(&k.campaign, &k.day, &k.source); err != nil {
			return err
		}
		held[k] = true
		return nil
	})
	if err != nil {
		return err
	}
	// The groups that held rows (and the content revision's bump).
	if err := recomputeDirty(m.ctx, m.tx); err != nil {
		return err
	}
	days := &rowInserter{ctx: m.ctx, tx: m.tx, cols: 17, head: `INSERT INTO marketing_days (campaign_id, day, source,
		impressions, clicks, sessions, conversions, clicks_with_impressions, conversions_with_sessions,
		conversions_with_clicks, paid_clicks, impressions_from, clicks_from, sessions_from, conversions_from,
		revenue_from, spend_from) VALUES `}
	money := &rowInserter{ctx: m.ctx, tx: m.tx, cols: 7, head: `INSERT INTO marketing_day_money (campaign_id, day,
		source, currency, revenue, spend, spend_on_clicks) VALUES `}
	defer days.close()
	defer money.close()
	for k, g := range m.dirty {
		if held[k] {
			continue
		}
		if err := m.newGroupRows(k, g, days, money); err != nil {
			return fmt.Errorf("summing marketing rows: %w", err)
		}
	}
	if err := days.flush(); err != nil {
		return err
	}
	return money.flush()
}

// newGroupRows writes the marketing_days row and marketing_day_money rows
// of a group that holds this import's lines alone, as marketingDaysSQL and
// marketingMoneySQL make them from rows of one class: a metric counts when
// the class is in its precedence (its from is the class, when reported),
// or when the lines were typed in (from is NULL).
func (m *MarketingImport) newGroupRows(k groupKey, g *groupSums, days, money *rowInserter) error {
	class := m.batch.Class
	counts := func(metric string) bool {
		return class == ClassManual || slices.Contains(MarketingPrecedence[metric], class)
	}
	var total [6]Num // impressions, clicks, sessions, conversions, revenue, spend
	for s := g; s != nil; s = s.next {
		for i, v := range s.n {
			if !v.OK {
				continue
			}
			t, ok := addChecked(total[i].V, v.V)
			if !ok {
				return errors.New("integer overflow")
			}
			total[i] = Known(t)
		}
	}
	var counted [4]Num
	var from [6]any
	for i, metric := range []string{"impressions", "clicks", "sessions", "conversions", "revenue", "spend"} {
		if !counts(metric) {
			continue
		}
		if i < 4 {
			counted[i] = total[i]
		}
		if class != ClassManual && total[i].OK {
			from[i] = int64(class)
		}
	}
	revenueCounts, spendCounts := from[4] != nil || class == ClassManual, from[5] != nil || class == ClassManual
	impressions, clicks, sessions, conversions := counted[0], counted[1], counted[2], counted[3]
	when := func(cond bool, n Num) any {
		if !cond {
			return nil
		}
		return n.arg()
	}
	if err := days.add(k.campaign, int64(k.day), k.source, impressions.arg(), clicks.arg(), sessions.arg(),
		conversions.arg(), when(impressions.OK, clicks), when(sessions.OK, conversions), when(clicks.OK, conversions),
		when(spendCounts && total[5].OK, clicks), from[0], from[1], from[2], from[3], from[4], from[5]); err != nil {
		return err
	}
	for s := g; s != nil; s = s.next {
		var revenue, spend Num
		if revenueCounts {
			revenue = s.n[4]
		}
		if spendCounts {
			spend = s.n[5]
		}
		if s.currency == "" || (!revenue.OK && !spend.OK) {
			continue
		}
		if err := money.add(k.campaign, int64(k.day), k.source, s.currency, revenue.arg(), spend.arg(),
			when(clicks.OK, spend)); err != nil {
			return err
		}
	}
	return nil
}

// addChecked adds two sums, reporting false where int64 overflows (where
// SQLite's sum fails).
func addChecked(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

// rowInserter writes rows into a table a few hundred to a statement; the
// statement for a full batch is prepared once. The caller flushes it, and
// closes it.
type rowInserter struct {
	ctx  context.Context
	tx   *sql.Tx
	head string // the INSERT up to VALUES
	cols int
	args []any
	full *sql.Stmt
}

// rowInserterBatch is how many rows a rowInserter's statement carries.
const rowInserterBatch = 200

func (w *rowInserter) add(vals ...any) error {
	w.args = append(w.args, vals...)
	if len(w.args) >= rowInserterBatch*w.cols {
		return w.flush()
	}
	return nil
}

func (w *rowInserter) flush() error {
	if len(w.args) == 0 {
		return nil
	}
	rows := len(w.args) / w.cols
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", w.cols), ", ") + "), "
	q := w.head + strings.TrimSuffix(strings.Repeat(row, rows), ", ")
	var err error
	switch {
	case rows < rowInserterBatch:
		_, err = w.tx.ExecContext(w.ctx, q, w.args...)
	case w.full == nil:
		if w.full, err = w.tx.PrepareContext(w.ctx, q); err != nil {
			break
		}
		fallthrough
	default:
		_, err = w.full.ExecContext(w.ctx, w.args...)
	}
	w.args = w.args[:0]
	if err != nil {
		return fmt.Errorf("summing marketing rows: %w", err)
	}
	return nil
}

// close closes the prepared statement.
func (w *rowInserter) close() {
	if w.full != nil {
		w.full.Close()
	}
}

// foldContents adds the rows this import wrote to marketing_contents and
// marketing_content_money. The sums made in Add are exact when every line
// was written (none kept for a newer export): each line then counts once,
// in the row it went into (lines added up into one row count with their
// sum). Otherwise SQLite adds up the rows of this batch. A row of another
// import that one of these replaced was taken out by the
// marketing_contents_replace trigger.
func (m *MarketingImport) foldContents() error {
	if m.foldInSQL || m.res.Kept > 0 {
		for _, q := range []string{marketingContentsFoldSQL, marketingMoneyFoldSQL} {
			if _, err := m.tx.ExecContext(m.ctx, q, m.batchID); err != nil {
				return err
			}
		}
		return nil
	}
	const per = 200
	args := make([]any, 0, per*17)
	n := 0
	flush := func(head string, cols int, tail string) error {
		if n == 0 {
			return nil
		}
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + "), "
		_, err := m.tx.ExecContext(m.ctx, head+strings.TrimSuffix(strings.Repeat(row, n), ", ")+tail, args...)
		args, n = args[:0], 0
		return err
	}
	// add takes one row, running the statement when per rows wait.
	add := func(head string, cols int, tail string, row ...any) error {
		args = append(args, row...)
		if n++; n < per {
			return nil
		}
		return flush(head, cols, tail)
	}
	const contentsHead = `INSERT INTO marketing_contents (campaign_id, source, content, post_id, impressions,
		clicks_with_impressions, clicks, sessions, conversions,
		impressions_rows, clicks_rows, sessions_rows, conversions_rows,
		class_1_rows, class_2_rows, class_3_rows, class_4_rows) VALUES `
	for k, c := range m.contents {
		if c.reported == [4]int64{} {
			continue // money only (spend typed in): no content row, as a rebuild gives
		}
		// Every line is a row (see contentSums), all of this import's class.
		var classRows [4]int64
		classRows[m.batch.Class-1] = c.lines
		if err := add(contentsHead, 17, contentsAddClause, k.campaign, k.source, k.content, PostOfContent(k.content),
			c.impressions, c.clicksWithImpressions, c.clicks, c.sessions, c.conversions,
			c.reported[0], c.reported[1], c.reported[2], c.reported[3],
			classRows[0], classRows[1], classRows[2], classRows[3]); err != nil {
			return err
		}
	}
	if err := flush(contentsHead, 17, contentsAddClause); err != nil {
		return err
	}
	const moneyHead = `INSERT INTO marketing_content_money (campaign_id, source, content, currency, revenue, spend) VALUES `
	for k, mm := range m.money {
		if mm[0] == 0 && mm[1] == 0 {
			continue // refunds that cancel out: no row, as a rebuild gives
		}
		if err := add(moneyHead, 6, contentMoneyAddClause, k.campaign, k.source, k.content, k.currency, mm[0], mm[1]); err != nil {
			return err
		}
	}
	return flush(moneyHead, 6, contentMoneyAddClause)
}

const contentsAddClause = `
	ON CONFLICT DO UPDATE SET
		impressions = impressions + excluded.impressions,
		clicks_with_impressions = clicks_with_impressions + excluded.clicks_with_impressions,
		clicks = clicks + excluded.clicks,
		sessions = sessions + excluded.sessions,
		conversions = conversions + excluded.conversions,
		impressions_rows = impressions_rows + excluded.impressions_rows,
		clicks_rows = clicks_rows + excluded.clicks_rows,
		sessions_rows = sessions_rows + excluded.sessions_rows,
		conversions_rows = conversions_rows + excluded.conversions_rows,
		class_1_rows = class_1_rows + excluded.class_1_rows,
		class_2_rows = class_2_rows + excluded.class_2_rows,
		class_3_rows = class_3_rows + excluded.class_3_rows,
		class_4_rows = class_4_rows + excluded.class_4_rows`

const contentMoneyAddClause = `
	ON CONFLICT DO UPDATE SET revenue = revenue + excluded.revenue, spend = spend + excluded.spend`

// checkCurrencies finds a key this import gave in two currencies.
func (m *MarketingImport) checkCurrencies() error {
	var line int
	var cur string
	err := m.tx.QueryRowContext(m.ctx, marketingMixedSQL, m.batchID).Scan(&line, &cur)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return &MixedCurrencyError{Line: line, Currencies: strings.Fields(strings.TrimPrefix(cur, "!"))}
}

// marketingMixedSQL finds a row marked by marketingInsertSQL as given in
// two currencies by one import, through an index that holds only such
// rows.
const marketingMixedSQL = `
	SELECT line, currency FROM marketing_rows WHERE batch_id = ? AND currency GLOB '!*' LIMIT 1`

// MixedCurrencyError is an import that gave one day, campaign, source and
// content in two currencies: crier adds such lines up and cannot add two
// currencies.
type MixedCurrencyError struct {
	Line       int
	Currencies []string
}

func (e *MixedCurrencyError) Error() string {
	return fmt.Sprintf("line %d: the same day, campaign, source and content come again in another currency (%s); "+
		"crier adds such lines up and will not add two currencies", e.Line, strings.Join(e.Currencies, " and "))
}

// Rollback drops everything the import wrote. It is safe after Commit.
func (m *MarketingImport) Rollback() {
	if m.finished {
		return
	}
	m.finished = true
	m.stopWriter()
	m.closeStmts()
	m.tx.Rollback()
	m.release()
}

// release gives the connection back to the pool as Open made it.
func (m *MarketingImport) release() {
	ctx := context.WithoutCancel(m.ctx)
	m.conn.ExecContext(ctx, "PRAGMA temp_store = DEFAULT")
	m.conn.ExecContext(ctx, "PRAGMA cache_size = -2000")
	m.conn.Close()
}

// NormalizeSource writes a source (network) the way crier keeps it: lower
// case, without "www." or a trailing slash, with the usual aliases of the
// networks crier knows made one (fb -> facebook, bsky.app -> bluesky).
func NormalizeSource(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s = strings.TrimPrefix(s, "www.")
	s = strings.TrimSuffix(s, "/")
	if s == "(not set)" || s == "(direct)" || s == "(none)" || s == "direct / none" {
		return ""
	}
	if v, ok := sourceAliases[s]; ok {
		return v
	}
	return s
}

// OneLineName is a name a file or a service gave (a campaign as the source
// names it, a network, an ad's content) as crier keeps it: one line of
// text. Terminal escape sequences and control characters go, and where
// there were any (a quoted line break in a sheet, a tab), each run of white
// space becomes one space; a name without them is only trimmed, so the
// keys of rows imported before stay as they were.
func OneLineName(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		return strings.TrimSpace(s)
	}
	clean := platforms.Sanitize(s)
	if clean == s && !strings.ContainsAny(s, "\n\t") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(clean), " ")
}

// socialSources are the sources (as NormalizeSource writes them) that are
// social networks.
var socialSources = map[string]bool{
	"mastodon": true, "bluesky": true, "facebook": true, "instagram": true, "x": true, "threads": true, "linkedin": true,
	"reddit": true, "youtube": true, "tiktok": true, "pinterest": true, "tumblr": true, "meta": true, "sandbox": true,
	"pixelfed": true, "lemmy": true, "misskey": true, "snapchat": true, "whatsapp": true, "telegram": true, "discord": true,
}

// IsSocialSource reports whether a source is a social network (Plausible
// and GA4 name untagged visits by the site they came from: "Mastodon",
// "Facebook", "Google", "DuckDuckGo"...).
func IsSocialSource(source string) bool { return socialSources[NormalizeSource(source)] }

var sourceAliases = map[string]string{
	"fb": "facebook", "facebook.com": "facebook", "m.facebook.com": "facebook", "l.facebook.com": "facebook",
	"lm.facebook.com": "facebook",
	"ig":              "instagram", "instagram.com": "instagram", "l.instagram.com": "instagram",
	"bsky": "bluesky", "bsky.app": "bluesky", "bsky.social": "bluesky",
	"x.com": "x", "twitter": "x", "twitter.com": "x", "t.co": "x",
	"linkedin.com": "linkedin", "lnkd.in": "linkedin",
	"threads.net": "threads", "threads.com": "threads",
	"google.com": "google", "adwords": "google", "google ads": "google",
}

// campaignResolver maps the campaign names sources write to crier
// campaigns: a mapping the user set, else the campaign whose slug the name
// is or gives, else the campaign of that name (case aside), else none (0).
type campaignResolver struct {
	mapped map[string]int64 // user mappings
	slugs  map[string]int64
	names  map[string]int64 // lower-case names
	cache  map[string]int64
}

func loadCampaignResolver(ctx context.Context, q queryer) (*campaignResolver, error) {
	r := &campaignResolver{mapped: map[string]int64{}, slugs: map[string]int64{}, names: map[string]int64{},
		cache: map[string]int64{}}
	err := eachRow(ctx, q, "SELECT id, slug, name FROM campaigns", nil, func(rows rowScanner) error {
		var id int64
		var slug, name string
		if err := rows.Scan(&id, &slug, &name); err != nil {
			return err
		}
		if slug != "" {
			r.slugs[slug] = id
		}
		r.names[strings.ToLower(name)] = id
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, "SELECT name, campaign_id FROM marketing_campaign_names WHERE campaign_id IS NOT NULL", nil, func(rows rowScanner) error {
		var name string
		var id int64
		if err := rows.Scan(&name, &id); err != nil {
			return err
		}
		r.mapped[name] = id
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (r *campaignResolver) resolve(name string) int64 {
	if name == "" {
		return 0
	}
	if id, ok := r.cache[name]; ok {
		return id
	}
	id, ok := r.mapped[name]
	if !ok {
		id, ok = r.slugs[name]
	}
	if !ok {
		id, ok = r.slugs[Slugify(name)]
	}
	if !ok {
		id = r.names[strings.ToLower(strings.TrimSpace(name))]
	}
	r.cache[name] = id
	return id
}

// recordSeen keeps the names an import carried, for the list the user maps
// from.
func (r *campaignResolver) recordSeen(ctx context.Context, tx *sql.Tx, names map[string]int64, at time.Time) error {
	for name := range names {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO marketing_campaign_names (name, seen_at) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET seen_at = max(seen_at, excluded.seen_at)`, name, ms(at)); err != nil {
			return err
		}
	}
	return nil
}

// recomputeGroups recomputes marketing_days and marketing_day_money for
// the given campaign, day and source groups from marketing_rows.
func recomputeGroups(ctx context.Context, tx *sql.Tx, groups map[groupKey]struct{}) error {
	if len(groups) == 0 {
		return nil
	}
	if err := fillDirty(ctx, tx, groups); err != nil {
		return err
	}
	return recomputeDirty(ctx, tx)
}

// fillDirty lists groups in temp.marketing_dirty.
func fillDirty[V any](ctx context.Context, tx *sql.Tx, groups map[groupKey]V) error {
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS marketing_dirty (
		campaign_id INTEGER NOT NULL, day INTEGER NOT NULL, source TEXT NOT NULL,
		PRIMARY KEY (campaign_id, day, source)) WITHOUT ROWID`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM temp.marketing_dirty"); err != nil {
		return err
	}
	const per = 300
	args := make([]any, 0, 3*per)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		q := "INSERT OR IGNORE INTO temp.marketing_dirty (campaign_id, day, source) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(args)/3), ", ")
		_, err := tx.ExecContext(ctx, q, args...)
		args = args[:0]
		return err
	}
	for k := range groups {
		args = append(args, k.campaign, int64(k.day), k.source)
		if len(args) == cap(args) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// marketingContentsFoldSQL and marketingMoneyFoldSQL add the rows an
// import wrote (its batch's rows, found through the groups it touched) into
// marketing_contents and marketing_content_money.
const marketingContentsFoldSQL = `
	INSERT INTO marketing_contents (campaign_id, source, content, post_id, impressions, clicks_with_impressions,
		clicks, sessions, conversions, impressions_rows, clicks_rows, sessions_rows, conversions_rows,
		class_1_rows, class_2_rows, class_3_rows, class_4_rows)
	SELECT m.campaign_id, m.source, m.content,
	       CASE WHEN m.content GLOB 'post-[1-9]*' THEN CAST(substr(m.content, 6) AS INTEGER) ELSE 0 END,
	       coalesce(sum(m.impressions), 0),
	       coalesce(sum(CASE WHEN m.impressions IS NOT NULL THEN m.clicks END), 0),
	       coalesce(sum(m.clicks), 0), coalesce(sum(m.sessions), 0), coalesce(sum(m.conversions), 0),
	       count(m.impressions), count(m.clicks), count(m.sessions), count(m.conversions),
	       sum(m.class = 1 AND (m.impressions IS NOT NULL OR m.clicks IS NOT NULL OR m.sessions IS NOT NULL OR m.conversions IS NOT NULL)), sum(m.class = 2 AND (m.impressions IS NOT NULL OR m.clicks IS NOT NULL OR m.sessions IS NOT NULL OR m.conversions IS NOT NULL)),
	       sum(m.class = 3 AND (m.impressions IS NOT NULL OR m.clicks IS NOT NULL OR m.sessions IS NOT NULL OR m.conversions IS NOT NULL)), sum(m.class = 4 AND (m.impressions IS NOT NULL OR m.clicks IS NOT NULL OR m.sessions IS NOT NULL OR m.conversions IS NOT NULL))
	FROM temp.marketing_dirty d
	CROSS JOIN marketing_rows m ON m.campaign_id = d.campaign_id AND m.day = d.day AND m.source = d.source
	WHERE m.batch_id = ?
	GROUP BY m.campaign_id, m.source, m.content
	HAVING count(m.impressions) + count(m.clicks) + count(m.sessions) + count(m.conversions) > 0` +
	contentsAddClause

const marketingMoneyFoldSQL = `
	INSERT INTO marketing_content_money (campaign_id, source, content, currency, revenue, spend)
	SELECT m.campaign_id, m.source, m.content, m.currency, coalesce(sum(m.revenue), 0), coalesce(sum(m.spend), 0)
	FROM temp.marketing_dirty d
	CROSS JOIN marketing_rows m ON m.campaign_id = d.campaign_id AND m.day = d.day AND m.source = d.source
	WHERE m.batch_id = ? AND m.currency <> '' AND (m.revenue IS NOT NULL OR m.spend IS NOT NULL)
	GROUP BY m.campaign_id, m.source, m.content, m.currency
	HAVING sum(m.revenue) <> 0 OR sum(m.spend) <> 0` + contentMoneyAddClause

// recomputeDirty recomputes the groups listed in temp.marketing_dirty, and
// bumps the content revision: every write to marketing_rows and its sums
// ends here, and those tables have no triggers of their own that bump it
// (migration 9).
func recomputeDirty(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{marketingDaysDeleteSQL, marketingMoneyDeleteSQL, marketingDaysSQL, marketingMoneySQL,
		marketingMoneyMixedSQL, bumpContentRevisionSQL} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("summing marketing rows: %w", err)
		}
	}
	return nil
}

// bumpContentRevisionSQL tells watchers (crier serve's sessions) that
// what the app shows changed, once per transaction where a trigger would
// tell them once per row (migrations 7 and 9).
const bumpContentRevisionSQL = "UPDATE content_revision SET n = n + 1"

// precedenceSQL builds the statement that recomputes marketing_days for
// the dirty groups: each group's rows are summed per class (in key order),
// and each metric takes the sum of the first class in MarketingPrecedence
// that reported it, plus the typed-in entries'.
func precedenceSQL() string {
	counts := []string{"impressions", "clicks", "sessions", "conversions"}
	var pivot strings.Builder
	for _, mt := range counts {
		for c := ClassAnalytics; c <= ClassManual; c++ {
			fmt.Fprintf(&pivot, ",\n\t\t\tsum(CASE WHEN class = %d THEN %s END) AS %s%d", c, mt, mt, c)
		}
	}
	for _, mt := range []string{"revenue", "spend"} {
		for c := ClassAnalytics; c <= ClassManual; c++ {
			fmt.Fprintf(&pivot, ",\n\t\t\tmax(CASE WHEN class = %d THEN has_%s END) AS %s%d", c, mt, mt, c)
		}
	}
	pick := func(mt string) string { // the first class's sum, in order
		var parts []string
		for _, c := range MarketingPrecedence[mt] {
			parts = append(parts, fmt.Sprintf("%s%d", mt, c))
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return "coalesce(" + strings.Join(parts, ", ") + ")"
	}
	from := func(mt string) string {
		var b strings.Builder
		b.WriteString("CASE")
		for _, c := range MarketingPrecedence[mt] {
			fmt.Fprintf(&b, " WHEN %s%d IS NOT NULL THEN %d", mt, c, c)
		}
		b.WriteString(" END")
		return b.String()
	}
	plus := func(a, b string) string { // a sum NULL only when both parts are
		return fmt.Sprintf("CASE WHEN (%[1]s) IS NULL THEN %[2]s WHEN %[2]s IS NULL THEN (%[1]s) ELSE (%[1]s) + %[2]s END", a, b)
	}
	total := map[string]string{}
	for _, mt := range counts {
		total[mt] = plus(pick(mt), fmt.Sprintf("%s%d", mt, ClassManual))
	}
	hasSpend := fmt.Sprintf("(%s IS NOT NULL OR spend%d IS NOT NULL)", pick("spend"), ClassManual)
	return fmt.Sprintf(`
	INSERT INTO marketing_days (campaign_id, day, source, impressions, clicks, sessions, conversions,
		clicks_with_impressions, conversions_with_sessions, conversions_with_clicks, paid_clicks,
		impressions_from, clicks_from, sessions_from, conversions_from, revenue_from, spend_from)
	SELECT campaign_id, day, source, impressions, clicks, sessions, conversions,
	       CASE WHEN impressions IS NOT NULL THEN clicks END,
	       CASE WHEN sessions IS NOT NULL THEN conversions END,
	       CASE WHEN clicks IS NOT NULL THEN conversions END,
	       CASE WHEN has_spend THEN clicks END,
	       impressions_from, clicks_from, sessions_from, conversions_from, revenue_from, spend_from
	FROM (SELECT campaign_id, day, source,
	             %s AS impressions, %s AS clicks, %s AS sessions, %s AS conversions, %s AS has_spend,
	             %s AS impressions_from, %s AS clicks_from, %s AS sessions_from, %s AS conversions_from,
	             %s AS revenue_from, %s AS spend_from
	      FROM (SELECT campaign_id, day, source%s
	            FROM (SELECT d.campaign_id, d.day, d.source, m.class,
	                         sum(m.impressions) AS impressions, sum(m.clicks) AS clicks,
	                         sum(m.sessions) AS sessions, sum(m.conversions) AS conversions,
	                         max(CASE WHEN m.revenue IS NOT NULL THEN 1 END) AS has_revenue,
	                         max(CASE WHEN m.spend IS NOT NULL THEN 1 END) AS has_spend
	                  FROM temp.marketing_dirty d
	                  CROSS JOIN marketing_rows m ON m.campaign_id = d.campaign_id AND m.day = d.day AND m.source = d.source
	                  GROUP BY d.campaign_id, d.day, d.source, m.class)
	            GROUP BY campaign_id, day, source))`,
		total["impressions"], total["clicks"], total["sessions"], total["conversions"], hasSpend,
		from("impressions"), from("clicks"), from("sessions"), from("conversions"), from("revenue"), from("spend"),
		pivot.String())
}

const (
	marketingDaysDeleteSQL = `
		DELETE FROM marketing_days WHERE (campaign_id, day, source) IN
			(SELECT campaign_id, day, source FROM temp.marketing_dirty)`
	marketingMoneyDeleteSQL = `
		DELETE FROM marketing_day_money WHERE (campaign_id, day, source) IN
			(SELECT campaign_id, day, source FROM temp.marketing_dirty)`
)

// marketingDaysSQL sums each dirty group's rows, each metric from the class
// that counts for it (manual entries always).
var marketingDaysSQL = precedenceSQL()

// marketingMoneyHead and marketingMoneyTail are what marketingMoneySQL and
// marketingMoneyMixedSQL share: the row they insert, counted from the
// classes marketingDaysSQL picked, and its grouping by currency.
const (
	marketingMoneyHead = `
	INSERT INTO marketing_day_money (campaign_id, day, source, currency, revenue, spend, spend_on_clicks)
	SELECT x.campaign_id, x.day, x.source, x.currency,
	       sum(CASE WHEN x.class IN (g.revenue_from, 4) THEN x.revenue END) AS counted_revenue,
	       sum(CASE WHEN x.class IN (g.spend_from, 4) THEN x.spend END) AS counted_spend,
	       CASE WHEN g.clicks IS NOT NULL THEN sum(CASE WHEN x.class IN (g.spend_from, 4) THEN x.spend END) END`
	marketingMoneyTail = `
	GROUP BY x.campaign_id, x.day, x.source, x.currency
	HAVING counted_revenue IS NOT NULL OR counted_spend IS NOT NULL`
)

// marketingMoneySQL sums the dirty groups' money per currency, from the
// classes marketingDaysSQL picked. The rows of a group and class come in
// key order and nearly always in one currency: they are summed as they
// come (min and max of the currency say whether they were one), and only
// the groups where one class mixes currencies are summed by
// marketingMoneyMixedSQL, which sorts their rows by currency. A currency
// none of whose money counts has no row: HAVING names the sums counted,
// as x's revenue and spend are every class's.
const marketingMoneySQL = marketingMoneyHead + `
	FROM (SELECT campaign_id, day, source, class, currency, revenue, spend,
	             max(mixed) OVER (PARTITION BY campaign_id, day, source) AS group_mixed
	      FROM (SELECT d.campaign_id, d.day, d.source, m.class, min(m.currency) AS currency,
	                   min(m.currency) <> max(m.currency) AS mixed, sum(m.revenue) AS revenue, sum(m.spend) AS spend
	            FROM temp.marketing_dirty d
	            CROSS JOIN marketing_rows m ON m.campaign_id = d.campaign_id AND m.day = d.day AND m.source = d.source
	            WHERE m.currency <> '' AND (m.revenue IS NOT NULL OR m.spend IS NOT NULL)
	            GROUP BY d.campaign_id, d.day, d.source, m.class)) x
	CROSS JOIN marketing_days g ON g.campaign_id = x.campaign_id AND g.day = x.day AND g.source = x.source
	WHERE NOT x.group_mixed` + marketingMoneyTail

// marketingMoneyMixedSQL sums the groups marketingMoneySQL left: those in
// which one class reported money in more than one currency.
const marketingMoneyMixedSQL = marketingMoneyHead + `
	FROM (SELECT d.campaign_id, d.day, d.source, m.class, m.currency, sum(m.revenue) AS revenue, sum(m.spend) AS spend
	      FROM (SELECT d.campaign_id, d.day, d.source
	            FROM temp.marketing_dirty d
	            CROSS JOIN marketing_rows m ON m.campaign_id = d.campaign_id AND m.day = d.day AND m.source = d.source
	            WHERE m.currency <> '' AND (m.revenue IS NOT NULL OR m.spend IS NOT NULL)
	            GROUP BY d.campaign_id, d.day, d.source, m.class
	            HAVING min(m.currency) <> max(m.currency)) d
	      CROSS JOIN marketing_rows m ON m.campaign_id = d.campaign_id AND m.day = d.day AND m.source = d.source
	      WHERE m.currency <> '' AND (m.revenue IS NOT NULL OR m.spend IS NOT NULL)
	      GROUP BY d.campaign_id, d.day, d.source, m.class, m.currency) x
	CROSS JOIN marketing_days g ON g.campaign_id = x.campaign_id AND g.day = x.day AND g.source = x.source` + marketingMoneyTail

// RebuildMarketingSums recomputes every sum from marketing_rows: for bulk
// writers (the demo) and for repair.
func (s *Store) RebuildMarketingSums(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return RebuildMarketingSumsTx(ctx, tx) })
}

// RebuildMarketingSumsTx is RebuildMarketingSums inside a transaction the
// caller holds.
func RebuildMarketingSumsTx(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{
		`CREATE TEMP TABLE IF NOT EXISTS marketing_dirty (
			campaign_id INTEGER NOT NULL, day INTEGER NOT NULL, source TEXT NOT NULL,
			PRIMARY KEY (campaign_id, day, source)) WITHOUT ROWID`,
		"DELETE FROM temp.marketing_dirty",
		"INSERT INTO temp.marketing_dirty SELECT DISTINCT campaign_id, day, source FROM marketing_rows",
		"DELETE FROM marketing_days",
		"DELETE FROM marketing_day_money",
		"DELETE FROM marketing_contents",
		"DELETE FROM marketing_content_money",
		marketingContentsRebuildSQL,
		marketingContentMoneyRebuildSQL,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return recomputeDirty(ctx, tx)
}

const marketingContentsRebuildSQL = `
	INSERT INTO marketing_contents (campaign_id, source, content, post_id, impressions, clicks_with_impressions,
		clicks, sessions, conversions, impressions_rows, clicks_rows, sessions_rows, conversions_rows,
		class_1_rows, class_2_rows, class_3_rows, class_4_rows)
	SELECT campaign_id, source, content,
	       CASE WHEN content GLOB 'post-[1-9]*' THEN CAST(substr(content, 6) AS INTEGER) ELSE 0 END,
	       coalesce(sum(impressions), 0), coalesce(sum(CASE WHEN impressions IS NOT NULL THEN clicks END), 0),
	       coalesce(sum(clicks), 0), coalesce(sum(sessions), 0), coalesce(sum(conversions), 0),
	       count(impressions), count(clicks), count(sessions), count(conversions),
	       sum(class = 1 AND (impressions IS NOT NULL OR clicks IS NOT NULL OR sessions IS NOT NULL OR conversions IS NOT NULL)), sum(class = 2 AND (impressions IS NOT NULL OR clicks IS NOT NULL OR sessions IS NOT NULL OR conversions IS NOT NULL)),
	       sum(class = 3 AND (impressions IS NOT NULL OR clicks IS NOT NULL OR sessions IS NOT NULL OR conversions IS NOT NULL)), sum(class = 4 AND (impressions IS NOT NULL OR clicks IS NOT NULL OR sessions IS NOT NULL OR conversions IS NOT NULL))
	FROM marketing_rows GROUP BY campaign_id, source, content
	HAVING count(impressions) + count(clicks) + count(sessions) + count(conversions) > 0`

const marketingContentMoneyRebuildSQL = `
	INSERT INTO marketing_content_money (campaign_id, source, content, currency, revenue, spend)
	SELECT campaign_id, source, content, currency, coalesce(sum(revenue), 0), coalesce(sum(spend), 0)
	FROM marketing_rows WHERE currency <> ''
	GROUP BY campaign_id, source, content, currency
	HAVING sum(revenue) <> 0 OR sum(spend) <> 0`

// MapCampaignName maps an external campaign name to a crier campaign (0
// removes the mapping) and moves the rows imported under that name.
func (s *Store) MapCampaignName(ctx context.Context, name string, campaignID int64, now time.Time) error {
	if name == "" {
		return errors.New("no campaign name to map")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if campaignID != 0 {
			var one int
			if err := tx.QueryRowContext(ctx, "SELECT 1 FROM campaigns WHERE id = ?", campaignID).Scan(&one); err != nil {
				return orNotFound(err, "campaign %d", campaignID)
			}
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO marketing_campaign_names (name, campaign_id, seen_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET campaign_id = excluded.campaign_id`,
			name, nullID(campaignID), ms(now)); err != nil {
			return err
		}
		r, err := loadCampaignResolver(ctx, tx)
		if err != nil {
			return err
		}
		return moveNameRows(ctx, tx, name, r.resolve(name))
	})
}

// remapCampaignRows moves the rows of every name seen in imports that now
// resolves to the campaign with this slug or name.
func remapCampaignRows(ctx context.Context, tx *sql.Tx, slug, name string) error {
	var names []string
	err := eachRow(ctx, tx, "SELECT name FROM marketing_campaign_names WHERE campaign_id IS NULL", nil, func(rows rowScanner) error {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		if n == slug || Slugify(n) == slug || strings.EqualFold(strings.TrimSpace(n), name) {
			names = append(names, n)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return nil
	}
	r, err := loadCampaignResolver(ctx, tx)
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := moveNameRows(ctx, tx, n, r.resolve(n)); err != nil {
			return err
		}
	}
	return nil
}

// moveNameRows moves the rows imported under an external name to the
// campaign it resolves to now, and recomputes the groups they left and
// joined.
func moveNameRows(ctx context.Context, tx *sql.Tx, name string, to int64) error {
	groups := map[groupKey]struct{}{}
	err := eachRow(ctx, tx, moveNameGroupsSQL, []any{name, to}, func(rows rowScanner) error {
		var c, day int64
		var source string
		if err := rows.Scan(&c, &day, &source); err != nil {
			return err
		}
		groups[groupKey{c, Day(day), source}] = struct{}{}
		groups[groupKey{to, Day(day), source}] = struct{}{}
		return nil
	})
	if err != nil || len(groups) == 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE marketing_rows SET campaign_id = ? WHERE ext_campaign = ? AND campaign_id <> ?",
		to, name, to); err != nil {
		return err
	}
	return recomputeGroups(ctx, tx, groups)
}

// moveNameGroupsSQL finds where an external name's rows are. Names are not
// indexed (an index would slow every import for a rare change): this reads
// every row.
const moveNameGroupsSQL = "SELECT DISTINCT campaign_id, day, source FROM marketing_rows WHERE ext_campaign = ? AND campaign_id <> ?"

// moveCampaignRows moves a campaign's rows to another (0: none), all of
// them or those of one external name.
func moveCampaignRows(ctx context.Context, tx *sql.Tx, from, to int64, name string) error {
	q := "UPDATE marketing_rows SET campaign_id = ? WHERE campaign_id = ? RETURNING day, source"
	args := []any{to, from}
	if name != "" {
		q = "UPDATE marketing_rows SET campaign_id = ? WHERE campaign_id = ? AND ext_campaign = ? RETURNING day, source"
		args = append(args, name)
	}
	groups := map[groupKey]struct{}{}
	err := eachRow(ctx, tx, q, args, func(rows rowScanner) error {
		var day int64
		var source string
		if err := rows.Scan(&day, &source); err != nil {
			return err
		}
		groups[groupKey{from, Day(day), source}] = struct{}{}
		groups[groupKey{to, Day(day), source}] = struct{}{}
		return nil
	})
	if err != nil {
		return err
	}
	return recomputeGroups(ctx, tx, groups)
}
