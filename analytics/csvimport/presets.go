package csvimport

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
)

// Preset is a known export layout.
type Preset string

const (
	// PresetPlausible is Plausible's CSV export of a site (Site settings →
	// Imports & Exports → Export to CSV), its imported_sources_*.csv file:
	// date, source, referrer, utm_source, utm_medium, utm_campaign,
	// utm_content, utm_term, pageviews, visitors, visits, visit_duration,
	// bounces. Visits are the sessions, and the link clicks that arrived.
	// Untagged visits from search engines and other sites are not what
	// social brought in: they are skipped, as the API pull skips them.
	PresetPlausible Preset = "plausible"
	// PresetGA4 is a GA4 exploration exported as CSV, by date and session
	// campaign / source / manual ad content, with sessions, key events
	// (conversions) and revenue; GA4's "#" lines above the header are
	// skipped. Revenue is in the property's currency, which the file does
	// not name: give it with the import.
	PresetGA4 Preset = "ga4"
	// PresetMeta is a Meta Ads Manager export broken down by day: campaign
	// name, day, amount spent (its currency in the header), impressions,
	// link clicks, results (counted as conversions when the result
	// indicator is a purchase, lead or other conversion), with the ad name
	// and platform where the export has them (without a platform column
	// the rows count under the source "meta"). Column names in English,
	// German, French or Spanish.
	PresetMeta Preset = "meta_ads"
	// PresetGoogleAds is a Google Ads campaign report by day: campaign,
	// day, cost, impr., clicks, conversions, conv. value (and currency
	// code, ad group); the title lines above the header and the "Total:"
	// lines are skipped. Its rows count under the source "google".
	PresetGoogleAds Preset = "google_ads"
	// PresetPlain is crier's own layout: date, campaign, source, content,
	// clicks, conversions, revenue, spend (and, if wanted, currency,
	// impressions, sessions).
	PresetPlain Preset = "plain"
	// PresetMapping is any other layout, read by a Mapping.
	PresetMapping Preset = "mapping"
)

// Presets lists the presets, in the order detection tries them.
var Presets = []Preset{PresetPlausible, PresetGA4, PresetMeta, PresetGoogleAds, PresetPlain}

// Field is what a column holds.
type Field string

const (
	FieldDate        Field = "date"
	FieldCampaign    Field = "campaign"
	FieldSource      Field = "source"
	FieldContent     Field = "content"
	FieldImpressions Field = "impressions"
	FieldClicks      Field = "clicks"
	FieldSessions    Field = "sessions"
	FieldConversions Field = "conversions"
	FieldRevenue     Field = "revenue"
	FieldSpend       Field = "spend"
	FieldCurrency    Field = "currency"
	FieldIgnore      Field = "ignore"
)

// Fields are the fields a column can be mapped to.
var Fields = []Field{FieldDate, FieldCampaign, FieldSource, FieldContent, FieldImpressions, FieldClicks, FieldSessions,
	FieldConversions, FieldRevenue, FieldSpend, FieldCurrency, FieldIgnore}

// Mapping reads a layout no preset knows: which column holds which field.
// crier remembers it for files with the same header.
type Mapping struct {
	Name      string               `json:"name"`               // the layout's name; its rows are one feed
	Class     store.MarketingClass `json:"class"`              // web analytics, ad platform or your sheet (the default)
	Columns   map[string]Field     `json:"columns"`            // header, as in the file → field
	Source    string               `json:"source,omitempty"`   // the source when no column gives it
	Currency  string               `json:"currency,omitempty"` // when no column gives it
	DateOrder DateOrder            `json:"date_order,omitempty"`
}

// normHeader writes a column header as crier compares them.
func normHeader(h string) string {
	h = strings.TrimSpace(strings.Trim(strings.TrimSpace(h), "\"\ufeff"))
	return strings.Join(strings.Fields(strings.ToLower(h)), " ")
}

// HeaderKey is how a layout is remembered: its normalised header.
func HeaderKey(header []string) string {
	parts := make([]string, len(header))
	for i, h := range header {
		parts[i] = normHeader(h)
	}
	return strings.Join(parts, " | ")
}

// layout is a file's columns, resolved: where each field is and the rules
// of the preset that reads it.
type layout struct {
	preset Preset
	feed   string
	class  store.MarketingClass
	header []string
	col    map[Field]int
	// Preset rules.
	sourceFallback     int    // Plausible: its own "source" when utm_source is empty
	sourceMedium       bool   // GA4: "Session source / medium" holds both
	fixedSource        string // the source when no column gives one
	clicksFromSessions bool   // web analytics: a visit is a click that arrived
	indicator          int    // Meta: the result indicator
	reportStart        int    // Meta without a Day column
	reportEnd          int
	columnCurrency     map[Field]string // Meta's "Amount spent (EUR)"
	fixedCurrency      string           // a mapping's
	totalsFirstCell    bool             // Google Ads: "Total: ..." lines
	socialOnly         bool             // Plausible: untagged visits count only from social networks
	dateOrder          DateOrder
	mapping            *Mapping
}

func (l *layout) has(f Field) bool { _, ok := l.col[f]; return ok }

// columns lists the header and what each column is read as.
func (l *layout) columns() []ColumnUse {
	use := make([]ColumnUse, len(l.header))
	for i, h := range l.header {
		use[i] = ColumnUse{Name: h, Field: FieldIgnore}
	}
	for f, i := range l.col {
		use[i].Field = f
	}
	if l.sourceFallback >= 0 {
		use[l.sourceFallback].Field = FieldSource
		use[l.sourceFallback].Note = "when utm_source is empty"
	}
	if l.indicator >= 0 {
		use[l.indicator].Note = "says which results are conversions"
	}
	return use
}

// ColumnUse is what the import reads a column as.
type ColumnUse struct {
	Name  string
	Field Field
	Note  string
}

type finder struct {
	norm []string
}

func newFinder(header []string) finder {
	f := finder{norm: make([]string, len(header))}
	for i, h := range header {
		f.norm[i] = normHeader(h)
	}
	return f
}

// find returns the first column named one of names (normalised), or -1.
func (f finder) find(names ...string) int {
	for _, n := range names {
		for i, h := range f.norm {
			if h == n {
				return i
			}
		}
	}
	return -1
}

// amountSpent is Meta's spend column, its currency in brackets.
var amountSpent = regexp.MustCompile(`^(?:amount spent|ausgegebener betrag|montant dépensé|importe gastado)(?: \(([a-z]{3})\))?$`)

// resolvePreset reads a header as a preset's, or returns nil.
func resolvePreset(p Preset, header []string) *layout {
	l, _ := presetLayout(p, header)
	return l
}

// presetLayout reads a header as a preset's; where it is not one, it
// returns nil and the columns the preset needs that the header lacks
// (by the name the export gives them; the first one missing of a group
// where one is enough to stop).
func presetLayout(p Preset, header []string) (*layout, []string) {
	f := newFinder(header)
	var missing []string
	l := &layout{preset: p, header: header, col: map[Field]int{}, sourceFallback: -1, indicator: -1, reportStart: -1,
		reportEnd: -1}
	set := func(field Field, names ...string) bool {
		if i := f.find(names...); i >= 0 {
			l.col[field] = i
			return true
		}
		return false
	}
	// need is set for a column the preset cannot do without.
	need := func(field Field, names ...string) bool {
		if set(field, names...) {
			return true
		}
		missing = append(missing, names[0])
		return false
	}
	switch p {
	case PresetPlausible:
		l.feed, l.class, l.clicksFromSessions, l.socialOnly = "plausible", store.ClassAnalytics, true, true
		if !need(FieldDate, "date") || !need(FieldCampaign, "utm_campaign") || !need(FieldSessions, "visits") {
			return nil, missing
		}
		if !need(FieldSource, "utm_source") && f.find("source") < 0 {
			return nil, missing
		}
		if i := f.find("source"); i >= 0 {
			if _, ok := l.col[FieldSource]; ok {
				l.sourceFallback = i
			} else {
				l.col[FieldSource] = i
			}
		}
		set(FieldContent, "utm_content")
	case PresetGA4:
		l.feed, l.class, l.clicksFromSessions = "ga4", store.ClassAnalytics, true
		if !need(FieldDate, "date") || !need(FieldSessions, "sessions") ||
			!need(FieldCampaign, "session campaign", "session manual campaign name", "session campaign name", "campaign") {
			return nil, missing
		}
		if !need(FieldSource, "session source", "session manual source", "source") {
			if set(FieldSource, "session source / medium", "session manual source / medium", "source / medium") {
				l.sourceMedium = true
			}
		}
		set(FieldContent, "session manual ad content", "session ad content", "manual ad content", "ad content")
		set(FieldConversions, "key events", "session key events", "conversions", "session conversions")
		set(FieldRevenue, "total revenue", "purchase revenue", "revenue")
	case PresetMeta:
		// Meta names the columns in the account's language: English,
		// German, French and Spanish are known here; map any other once.
		l.feed, l.class = "meta_ads", store.ClassAds
		if !need(FieldCampaign, "campaign name", "kampagnenname", "nom de la campagne", "nombre de la campaña") {
			return nil, missing
		}
		spend := -1
		for i, h := range f.norm {
			if m := amountSpent.FindStringSubmatch(h); m != nil {
				spend = i
				if m[1] != "" {
					l.columnCurrency = map[Field]string{FieldSpend: strings.ToUpper(m[1])}
				}
				break
			}
		}
		if spend < 0 {
			return nil, append(missing, "amount spent")
		}
		l.col[FieldSpend] = spend
		if !need(FieldDate, "day", "date", "tag", "jour", "día") {
			l.reportStart = f.find("reporting starts", "berichtsbeginn", "début des rapports", "inicio del informe")
			l.reportEnd = f.find("reporting ends", "berichtsende", "fin des rapports", "fin del informe")
			if l.reportStart < 0 {
				return nil, append(missing, "reporting starts")
			}
		}
		set(FieldImpressions, "impressions", "impressionen", "impresiones")
		set(FieldClicks, "link clicks", "link-klicks", "clics sur un lien", "clics en el enlace")
		set(FieldConversions, "results", "ergebnisse", "résultats", "resultados")
		l.indicator = f.find("result indicator", "result type", "ergebnisindikator", "indicateur de résultats",
			"indicador de resultado")
		set(FieldRevenue, "purchases conversion value", "website purchases conversion value", "conversion value",
			"conversion-wert für käufe", "valeur de conversion des achats", "valor de conversión de compras")
		set(FieldContent, "ad name", "anzeigenname", "nom de la publicité", "nombre del anuncio")
		set(FieldCurrency, "currency", "währung", "devise", "divisa")
		if !need(FieldSource, "platform", "plattform", "plateforme", "plataforma") {
			l.fixedSource = "meta"
		}
	case PresetGoogleAds:
		l.feed, l.class, l.fixedSource, l.totalsFirstCell = "google_ads", store.ClassAds, "google", true
		if !need(FieldCampaign, "campaign", "kampagne", "campagne", "campaña") || !need(FieldDate, "day", "date", "tag", "jour", "día") ||
			!need(FieldSpend, "cost", "kosten", "coût", "costo") ||
			!need(FieldImpressions, "impr.", "impressions", "impressionen", "impresiones") {
			return nil, missing
		}
		set(FieldClicks, "clicks", "klicks", "clics")
		set(FieldConversions, "conversions", "conversiones")
		set(FieldRevenue, "conv. value", "conversion value", "total conv. value", "conv.-wert", "valeur de conv.", "valor de conv.")
		set(FieldCurrency, "currency code", "currency", "währungscode", "code de la devise", "código de moneda")
		set(FieldContent, "ad group", "anzeigengruppe", "groupe d'annonces", "grupo de anuncios")
	case PresetPlain:
		l.feed, l.class = "sheet", store.ClassSheet
		for _, fl := range []Field{FieldDate, FieldCampaign, FieldSource, FieldContent, FieldClicks, FieldConversions,
			FieldRevenue, FieldSpend} {
			need(fl, string(fl))
		}
		if len(missing) > 0 {
			return nil, missing
		}
		set(FieldCurrency, "currency")
		set(FieldImpressions, "impressions")
		set(FieldSessions, "sessions")
	default:
		return nil, missing
	}
	return l, nil
}

// detectPreset finds the preset a header is, if any.
func detectPreset(header []string) *layout {
	for _, p := range Presets {
		if l := resolvePreset(p, header); l != nil {
			return l
		}
	}
	return nil
}

// MappingFeed is the feed a mapping's rows are: one per layout name.
func MappingFeed(name string) string { return "layout:" + store.Slugify(name) }

// resolveMapping reads a header with a mapping; an error names what is
// missing.
func resolveMapping(m *Mapping, header []string) (*layout, error) {
	if strings.TrimSpace(m.Name) == "" || store.Slugify(m.Name) == "" {
		return nil, fmt.Errorf("the layout needs a name (its rows are kept under it)")
	}
	class := m.Class
	if class == 0 {
		class = store.ClassSheet
	}
	if class < store.ClassAnalytics || class > store.ClassSheet {
		return nil, fmt.Errorf("a layout is web analytics, an ad platform or your sheet")
	}
	l := &layout{preset: PresetMapping, feed: MappingFeed(m.Name), class: class, header: header, col: map[Field]int{},
		sourceFallback: -1, indicator: -1, reportStart: -1, reportEnd: -1, fixedSource: m.Source,
		fixedCurrency: m.Currency, dateOrder: m.DateOrder, mapping: m}
	f := newFinder(header)
	names := make([]string, 0, len(m.Columns))
	for name := range m.Columns {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		field := m.Columns[name]
		if field == FieldIgnore || field == "" {
			continue
		}
		if !slices.Contains(Fields, field) {
			return nil, fmt.Errorf("column %q: %q is not a field crier knows", name, field)
		}
		i := f.find(normHeader(name))
		if i < 0 {
			return nil, fmt.Errorf("the file has no column %q", name)
		}
		if other, dup := l.col[field]; dup {
			return nil, fmt.Errorf("columns %q and %q are both mapped to %s", header[other], name, field)
		}
		l.col[field] = i
	}
	if !l.has(FieldDate) {
		return nil, fmt.Errorf("no column is mapped to the date")
	}
	if !l.has(FieldImpressions) && !l.has(FieldClicks) && !l.has(FieldSessions) && !l.has(FieldConversions) &&
		!l.has(FieldRevenue) && !l.has(FieldSpend) {
		return nil, fmt.Errorf("no column is mapped to a figure (clicks, sessions, conversions, revenue, spend, impressions)")
	}
	if m.Currency != "" && !money.ValidCode(m.Currency) {
		return nil, fmt.Errorf("%q is not a currency code such as EUR", m.Currency)
	}
	if l.class == store.ClassAnalytics && !l.has(FieldClicks) && l.has(FieldSessions) {
		l.clicksFromSessions = true
	}
	return l, nil
}

// SuggestMapping guesses a mapping for a header from its column names (in
// English and a few other languages), for the user to correct.
func SuggestMapping(header []string) Mapping {
	m := Mapping{Columns: map[string]Field{}, Class: store.ClassSheet}
	taken := map[Field]bool{}
	for _, h := range header {
		n := normHeader(h)
		field := FieldIgnore
		for _, g := range guesses {
			if g.re.MatchString(n) && !taken[g.field] {
				field = g.field
				break
			}
		}
		if field != FieldIgnore {
			taken[field] = true
		}
		m.Columns[h] = field
	}
	return m
}

var guesses = []struct {
	re    *regexp.Regexp
	field Field
}{
	{regexp.MustCompile(`^(date|day|datum|tag|fecha|jour|data|giorno|dag)$`), FieldDate},
	{regexp.MustCompile(`campaign|kampagne|campa[ñn]a|campagne|campagna`), FieldCampaign},
	{regexp.MustCompile(`^(source|network|platform|channel|quelle|netzwerk|plattform|kanal|fuente|red)$|utm_source`), FieldSource},
	{regexp.MustCompile(`content|^ad( name)?$|^post|variant|inhalt|anzeige`), FieldContent},
	{regexp.MustCompile(`impr|impressionen|impresiones`), FieldImpressions},
	{regexp.MustCompile(`click|klick|clic`), FieldClicks},
	{regexp.MustCompile(`session|visit|besuch|sitzung|visita`), FieldSessions},
	{regexp.MustCompile(`conversion|convers|konversion|result|sales$|orders|bestellung|verk[aä]uf`), FieldConversions},
	{regexp.MustCompile(`revenue|umsatz|ingresos|chiffre|value|einnahmen|erl[oö]s`), FieldRevenue},
	{regexp.MustCompile(`spend|cost|kosten|ausgaben|gasto|co[uû]t|budget`), FieldSpend},
	{regexp.MustCompile(`^(currency|w[aä]hrung|moneda|devise|valuta)`), FieldCurrency},
}
