package csvimport

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

var now = time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st := storetest.Open(t)
	return st
}

// write puts a file in the test's folder, its modification time at mod.
func write(t *testing.T, name string, data []byte, mod time.Time) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}
	return path
}

func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

func bom(s string) []byte { return append([]byte{0xEF, 0xBB, 0xBF}, s...) }

func utf16le(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func totals(t *testing.T, st *store.Store, f store.MarketingFilter) store.MarketingTotals {
	t.Helper()
	tot, err := st.MarketingTotals(context.Background(), f.EveryDay())
	if err != nil {
		t.Fatal(err)
	}
	return tot
}

func all() store.MarketingFilter { return store.MarketingFilter{Campaign: store.AllCampaigns} }

func eur(minor int64) money.Sums { return money.Sums{{Currency: "EUR", Minor: minor}} }

const plausibleExport = `"date","source","referrer","utm_source","utm_medium","utm_campaign","utm_content","utm_term","pageviews","visitors","visits","visit_duration","bounces"
"2026-03-01","Mastodon","toot.community","mastodon","social","spring-sale","post-12","",14,9,10,812,3
"2026-03-01","Mastodon","chaos.social","mastodon","social","spring-sale","post-12","",3,2,2,40,1
"2026-03-01","Bluesky","bsky.app","bluesky","social","spring-sale","post-12-a2","",8,6,7,301,2
"2026-03-01","DuckDuckGo","duckduckgo.com","","","","","",5,4,4,100,2
"2026-03-02","Mastodon","toot.community","mastodon","social","spring-sale","post-15","",20,11,12,999,4
`

func TestPlausibleExport(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	camp, err := st.CreateCampaign(ctx, store.Campaign{Name: "Spring Sale"}, now)
	if err != nil {
		t.Fatal(err)
	}
	path := write(t, "imported_sources_20260301_20260302.csv", []byte(plausibleExport), now)
	p, err := PreviewFile(ctx, st, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// DuckDuckGo's untagged visit is not from social: skipped.
	if len(p.Skipped) != 1 || !strings.Contains(p.Skipped[0].Why, "not from social") {
		t.Errorf("skipped %+v", p.Skipped)
	}
	if p.Preset != PresetPlausible || p.Lines != 4 || p.First != store.DateDay(2026, 3, 1) || p.Last != store.DateDay(2026, 3, 2) ||
		p.Sessions != store.Known(31) || p.Clicks != store.Known(31) {
		t.Fatalf("preview %+v", p)
	}
	if len(p.Campaigns) != 1 || p.Campaigns[0] != (CampaignMatch{"spring-sale", camp, 4}) {
		t.Errorf("campaigns %+v", p.Campaigns)
	}
	// Nothing is written by a preview.
	if tot := totals(t, st, all()); tot.Groups != 0 {
		t.Fatalf("a preview wrote %+v", tot)
	}
	res, err := Commit(ctx, st, p, now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Lines != 4 || res.Written != 4 {
		t.Errorf("result %+v", res)
	}
	tot := totals(t, st, store.MarketingFilter{Campaign: camp})
	if tot.Sessions != store.Known(31) || tot.Clicks != store.Known(31) || tot.Impressions.OK {
		t.Errorf("campaign totals %+v", tot)
	}
	// The two Mastodon referrers of post-12 are one row.
	cs, _ := st.CampaignContents(ctx, camp, 50, 0)
	want := []struct {
		src, content string
		clicks       int64
	}{{"mastodon", "post-12", 12}, {"mastodon", "post-15", 12}, {"bluesky", "post-12-a2", 7}} // most clicks first
	if len(cs) != len(want) {
		t.Fatalf("contents %+v", cs)
	}
	for i, w := range want {
		if cs[i].Source != w.src || cs[i].Content != w.content || cs[i].Clicks != w.clicks {
			t.Errorf("content %d: %+v, want %+v", i, cs[i], w)
		}
	}
	// The same file again changes nothing, and the preview says so.
	p2, err := PreviewFile(ctx, st, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p2.ImportedBefore) != 1 || len(p2.Overlaps) != 1 {
		t.Errorf("second preview: before %+v overlaps %+v", p2.ImportedBefore, p2.Overlaps)
	}
	if _, err := Commit(ctx, st, p2, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if again := totals(t, st, store.MarketingFilter{Campaign: camp}); !reflect.DeepEqual(again, tot) {
		t.Errorf("re-import changed the totals: %+v", again)
	}
}

// GA4 exploration export: "#" lines, an empty line, a totals line, dates
// as YYYYMMDD, revenue without a currency.
const ga4Export = `# ----------------------------------------
# Free form 1
# Account: Rye & Shine
# Property: ryeandshine.bakery
# ----------------------------------------
#
# Start date: 20260301
# End date: 20260303

Session campaign,Session source,Session manual ad content,Date,Sessions,Key events,Total revenue
,,,,1234,30,1520.50
spring-sale,mastodon,post-12,20260301,40,2,90.00
spring-sale,bluesky,post-12-a2,20260302,"1,003",3.5,"1,234.56"
(not set),google,(not set),20260303,500,0,0
`

func TestGA4Export(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	path := write(t, "Free form 1.csv", crlf(ga4Export), now)
	_, err := PreviewFile(ctx, st, path, Options{})
	var le *LineError
	if !errors.As(err, &le) || le.Line != 12 || le.Column != "Total revenue" || !strings.Contains(le.Msg, "no currency") {
		t.Fatalf("GA4 revenue without a currency: %v", err)
	}
	p, err := PreviewFile(ctx, st, path, Options{Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Preset != PresetGA4 || p.HeaderLine != 10 || p.Lines != 3 || len(p.Skipped) != 10 ||
		p.Skipped[9].Line != 11 || !strings.Contains(p.Skipped[9].Why, "totals") {
		t.Fatalf("preview %+v skipped %+v", p, p.Skipped)
	}
	if _, err := Commit(ctx, st, p, now); err != nil {
		t.Fatal(err)
	}
	tot := totals(t, st, all())
	// 2 + 3.5 + 0 conversions; €90 + €1,234.56; 40 + 1,003 + 500 sessions.
	if tot.Conversions != store.Known(5500) || !reflect.DeepEqual(tot.Revenue, eur(132456)) || tot.Sessions != store.Known(1543) {
		t.Errorf("totals %+v", tot)
	}
	none := totals(t, st, store.MarketingFilter{Campaign: 0, Source: "google"})
	if none.Sessions != store.Known(500) {
		t.Errorf("(not set) campaign: %+v", none)
	}
}

// A German Meta Ads Manager export: BOM, semicolons, decimal commas, CRLF,
// the currency in the header, a summary line.
const metaExportDE = `Berichtsbeginn;Berichtsende;Kampagnenname;Tag;Plattform;Anzeigenname;Ausgegebener Betrag (EUR);Impressionen;Reichweite;Link-Klicks;Ergebnisse;Ergebnisindikator
2026-03-01;2026-03-31;;;;;1.280,40;98.765;54.321;2.345;;
2026-03-01;2026-03-01;Spring Sale;2026-03-01;facebook;Karussell;12,50;1.204;980;31;2;actions:offsite_conversion.fb_pixel_purchase
2026-03-01;2026-03-01;Spring Sale;2026-03-01;instagram;Karussell;7,25;800;700;9;14;actions:link_click
2026-03-02;2026-03-02;Spring Sale;2026-03-02;facebook;Karussell;1.010,00;90.000;50.000;2.100;40;actions:offsite_conversion.fb_pixel_purchase
`

func TestMetaExportInGerman(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	camp, _ := st.CreateCampaign(ctx, store.Campaign{Name: "Spring Sale"}, now)
	path := write(t, "Rye-and-Shine-Kampagnen-1.-März-2026-31.-März-2026.csv", bom(string(crlf(metaExportDE))), now)
	res, p, err := Import(ctx, st, path, Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if p.Preset != PresetMeta || p.Delimiter != ';' || p.Decimal != ',' || res.Lines != 3 {
		t.Fatalf("preview %+v result %+v", p, res)
	}
	tot := totals(t, st, store.MarketingFilter{Campaign: camp})
	// Spend €12.50 + €7.25 + €1,010.00; link_click results are not conversions.
	if !reflect.DeepEqual(tot.Spend, eur(102975)) || tot.Impressions != store.Known(92004) || tot.Clicks != store.Known(2140) ||
		tot.Conversions != store.Known(42000) {
		t.Errorf("totals %+v", tot)
	}
	if !containsWarning(p.Warnings, "link_click") {
		t.Errorf("warnings %v", p.Warnings)
	}
	fb := totals(t, st, store.MarketingFilter{Campaign: camp, Source: "facebook"})
	if fb.ClicksWithImpressions != store.Known(2131) {
		t.Errorf("facebook %+v", fb)
	}
}

func containsWarning(ws []string, s string) bool {
	for _, w := range ws {
		if strings.Contains(w, s) {
			return true
		}
	}
	return false
}

// A Google Ads campaign report: title lines, a currency code column,
// thousands separators, "--" for what does not apply, "Total:" lines.
const googleAdsReport = `Campaign report
"March 1, 2026 - March 2, 2026"
Campaign,Day,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value
Spring Sale,"Mar 1, 2026",EUR,12.34,"1,234",56,2.00,45.60
Spring Sale,"Mar 2, 2026",EUR,"1,001.00","10,000",400,--,--
Total: Account,,EUR,"1,013.34","11,234",456,2.00,45.60
Total: Search,,EUR,"1,013.34","11,234",456,2.00,45.60
`

func TestGoogleAdsReport(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	camp, _ := st.CreateCampaign(ctx, store.Campaign{Name: "Spring Sale"}, now)
	path := write(t, "Campaign report.csv", []byte(googleAdsReport), now)
	res, p, err := Import(ctx, st, path, Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if p.Preset != PresetGoogleAds || p.HeaderLine != 3 || res.Lines != 2 || len(p.Skipped) != 4 {
		t.Fatalf("preview %+v skipped %+v", p, p.Skipped)
	}
	tot := totals(t, st, store.MarketingFilter{Campaign: camp, Source: "google"})
	if !reflect.DeepEqual(tot.Spend, eur(101334)) || tot.Impressions != store.Known(11234) || tot.Clicks != store.Known(456) ||
		tot.Conversions != store.Known(2000) || !reflect.DeepEqual(tot.Revenue, eur(4560)) {
		t.Errorf("totals %+v", tot)
	}
	// The same report downloaded the older way: UTF-16, tabs.
	st2 := openStore(t)
	camp2, _ := st2.CreateCampaign(ctx, store.Campaign{Name: "Spring Sale"}, now)
	tabbed := "Campaign report\n" +
		"March 1, 2026 - March 2, 2026\n" +
		"Campaign\tDay\tCurrency code\tCost\tImpr.\tClicks\tConversions\tConv. value\n" +
		"Spring Sale\tMar 1, 2026\tEUR\t12.34\t1,234\t56\t2.00\t45.60\n" +
		"Spring Sale\tMar 2, 2026\tEUR\t1,001.00\t10,000\t400\t --\t --\n" +
		"Total: Account\t\tEUR\t1,013.34\t11,234\t456\t2.00\t45.60\n"
	path2 := write(t, "Campaign report (UTF-16).csv", utf16le(strings.ReplaceAll(tabbed, "\n", "\r\n")), now)
	if _, p2, err := Import(ctx, st2, path2, Options{}, now); err != nil {
		t.Fatalf("UTF-16 tabbed report: %v", err)
	} else if p2.Encoding != UTF16LE || p2.Delimiter != '\t' {
		t.Errorf("read as %s with %q", p2.Encoding, p2.Delimiter)
	}
	if tot2 := totals(t, st2, store.MarketingFilter{Campaign: camp2}); !reflect.DeepEqual(tot2.Spend, tot.Spend) ||
		tot2.Clicks != tot.Clicks {
		t.Errorf("UTF-16 totals %+v, want %+v", tot2, tot)
	}
}

// A Google Ads report's totals lines are "Total: …" in English, French
// and Spanish and "Gesamt: …" in German; a campaign whose name begins with
// the word (Total Wellness Week) is a campaign, imported, not skipped.
func TestGoogleAdsTotalsLines(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	german := "Kampagnenbericht\n" +
		"1. Dezember 2026 - 2. Dezember 2026\n" +
		"Kampagne;Tag;Währungscode;Kosten;Impr.;Klicks;Conversions;Conv.-Wert\n" +
		"Frühling;01.12.2026;EUR;1.234,56;12.345;100;2,00;1.500,00\n" +
		"Total Wellness Week;02.12.2026;EUR;3,10;1.001;7;0,00;0,00\n" +
		"Gesamt: Konto;;EUR;1.237,66;13.346;107;2,00;1.500,00\n" +
		"Gesamt: Kampagnen;;EUR;1.237,66;13.346;107;2,00;1.500,00\n" +
		"Total : compte;;EUR;1.237,66;13.346;107;2,00;1.500,00\n"
	path := write(t, "Kampagnenbericht.csv", bom(german), now)
	res, p, err := Import(ctx, st, path, Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if p.Preset != PresetGoogleAds || res.Lines != 2 {
		t.Fatalf("preset %s, %d lines imported (want google_ads, 2); skipped %+v", p.Preset, res.Lines, p.Skipped)
	}
	tot := totals(t, st, all())
	if tot.Clicks != store.Known(107) || !reflect.DeepEqual(tot.Spend, eur(123766)) {
		t.Errorf("totals %+v, want the two campaigns' 107 clicks and €1,237.66", tot)
	}
}

// A line that is an earlier line again, every value the same (a sheet
// pasted twice), is named in the preview; lines of one key with other
// values (an export by ad set) are not.
func TestPreviewNamesALinePastedTwice(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	head := "date,campaign,source,content,clicks,conversions,revenue,spend,currency\n"
	a := "2026-03-01,spring-sale,flyer,a,10,1,10.00,5.00,EUR\n"
	b := "2026-03-02,spring-sale,flyer,a,12,0,0,5.00,EUR\n"
	p, err := PreviewFile(ctx, st, write(t, "twice.csv", []byte(head+a+b+a+b), now), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "line 4 is line 2 again, every value the same (and 1 more lines are earlier ones again)"
	if len(p.Warnings) != 1 || !strings.HasPrefix(p.Warnings[0], want) {
		t.Errorf("warnings %q, want one beginning %q", p.Warnings, want)
	}
	other := strings.Replace(a, ",10,", ",11,", 1)
	if p, err = PreviewFile(ctx, st, write(t, "adsets.csv", []byte(head+a+other), now), Options{}); err != nil || len(p.Warnings) != 0 {
		t.Errorf("one key with two lines' values: warnings %q (%v)", p.Warnings, err)
	}
}

// Excel for Mac's "Macintosh Comma Separated" ends lines with a carriage
// return alone: its lines are read as lines, and an error names the line.
func TestCarriageReturnLines(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	sheet := "date,campaign,source,content,clicks,conversions,revenue,spend,currency\r" +
		"2026-03-01,spring-sale,flyer,a,10,1,10.00,5.00,EUR\r" +
		"2026-03-02,spring-sale,flyer,a,12,0,0,5.00,EUR\r"
	res, _, err := Import(ctx, st, write(t, "mac.csv", []byte(sheet), now), Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if tot := totals(t, st, all()); res.Lines != 2 || tot.Clicks != store.Known(22) {
		t.Errorf("%d lines, %v clicks; want 2 and 22", res.Lines, tot.Clicks)
	}
	bad := strings.Replace(sheet, ",12,", ",twelve,", 1)
	_, err = PreviewFile(ctx, st, write(t, "mac-bad.csv", []byte(bad), now), Options{})
	var le *LineError
	if !errors.As(err, &le) || le.Line != 3 || le.Column != "clicks" {
		t.Errorf("err %v, want line 3, column clicks", err)
	}
}

// A sheet's own totals line at its foot ("Total" where the day goes) is
// skipped as a totals line, not refused as a date nor added again.
func TestSheetTotalsLineIsSkipped(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	sheet := "date,campaign,source,content,clicks,conversions,revenue,spend,currency\n" +
		"2026-03-01,spring-sale,flyer,a,10,1,10.00,5.00,EUR\n" +
		"2026-03-02,spring-sale,flyer,a,12,0,0,5.00,EUR\n" +
		"\n" +
		"Total,,,,22,1,10.00,10.00,EUR\n"
	res, p, err := Import(ctx, st, write(t, "sheet.csv", []byte(sheet), now), Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Lines != 2 || len(p.Skipped) == 0 || p.Skipped[len(p.Skipped)-1].Why != "a totals line" {
		t.Errorf("%d lines, skipped %+v; want 2 and the totals line", res.Lines, p.Skipped)
	}
	if tot := totals(t, st, all()); tot.Clicks != store.Known(22) {
		t.Errorf("clicks %v, want 22", tot.Clicks)
	}
}

// crier's plain layout, tab-separated, Windows-1252, quoted fields with
// the separator and quotes in them, day-first dates.
func TestPlainSheet(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	text := "date\tcampaign\tsource\tcontent\tclicks\tconversions\trevenue\tspend\tcurrency\r\n" +
		"14/03/2026\t\"Café \"\"Crème\"\" Week\"\tflyer\t\"A5, 500 copies\"\t0\t3\t27.00\t60.00\tEUR\r\n" +
		"15/03/2026\tCafé \"Crème\" Week\tmastodon\tpost-31\t42\t1\t9.50\t\tEUR\r\n"
	// The second line's quotes are inside an unquoted field: an error.
	latin1 := []byte{}
	for _, r := range text {
		if r == 'é' {
			latin1 = append(latin1, 0xE9)
		} else {
			latin1 = append(latin1, byte(r))
		}
	}
	path := write(t, "sheet.tsv", latin1, now)
	_, err := PreviewFile(ctx, st, path, Options{})
	var le *LineError
	if !errors.As(err, &le) || le.Line != 3 || !strings.Contains(le.Msg, "quote") {
		t.Fatalf("bare quote: %v", err)
	}
	fixed := strings.Replace(string(latin1), "\tCaf\xe9 \"Cr\xe8me\" Week\t", "\t\"Caf\xe9 \"\"Cr\xe8me\"\" Week\"\t", 1)
	fixed = strings.Replace(fixed, "Cr\xc3\xa8me", "Cr\xe8me", -1)
	path = write(t, "sheet.tsv", []byte(fixed), now)
	p, err := PreviewFile(ctx, st, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Encoding != Windows1252 || p.Delimiter != '\t' || p.DateOrder != DayFirst || p.Sample[0].Campaign != `Café "Crème" Week` ||
		p.Sample[0].Content != "A5, 500 copies" {
		t.Fatalf("preview %+v sample %+v", p, p.Sample)
	}
	if _, err := Commit(ctx, st, p, now); err != nil {
		t.Fatal(err)
	}
	// A campaign created afterwards by that name takes the rows.
	camp, err := st.CreateCampaign(ctx, store.Campaign{Name: `Café "Crème" Week`}, now)
	if err != nil {
		t.Fatal(err)
	}
	tot := totals(t, st, store.MarketingFilter{Campaign: camp})
	if tot.Conversions != store.Known(4000) || !reflect.DeepEqual(tot.Revenue, eur(3650)) || !reflect.DeepEqual(tot.Spend, eur(6000)) {
		t.Errorf("totals %+v", tot)
	}
}

func TestNewerExportReplacesOlder(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	head := "date,campaign,source,content,clicks,conversions,revenue,spend,currency\n"
	older := write(t, "week1.csv", []byte(head+
		"2026-03-01,spring-sale,mastodon,post-1,10,1,10.00,0,EUR\n"+
		"2026-03-02,spring-sale,mastodon,post-1,12,0,0,0,EUR\n"), now.Add(-48*time.Hour))
	newer := write(t, "week1-and-2.csv", []byte(head+
		"2026-03-02,spring-sale,mastodon,post-1,15,1,12.00,0,EUR\n"+
		"2026-03-03,spring-sale,mastodon,post-1,9,0,0,0,EUR\n"), now.Add(-24*time.Hour))
	if _, _, err := Import(ctx, st, older, Options{}, now); err != nil {
		t.Fatal(err)
	}
	p, err := PreviewFile(ctx, st, newer, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Overlaps) != 1 || p.Overlaps[0].Origin != "week1.csv" {
		t.Errorf("overlaps %+v", p.Overlaps)
	}
	if _, err := Commit(ctx, st, p, now); err != nil {
		t.Fatal(err)
	}
	tot := totals(t, st, all())
	// 2 March counts once, the newer export's 15.
	if tot.Clicks != store.Known(10+15+9) || !reflect.DeepEqual(tot.Revenue, eur(2200)) {
		t.Errorf("totals %+v", tot)
	}
	// The older file imported again keeps the newer's 2 March.
	res, _, err := Import(ctx, st, older, Options{}, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.Kept != 1 || res.Written != 1 {
		t.Errorf("older again: %+v", res)
	}
	if again := totals(t, st, all()); again.Clicks != tot.Clicks {
		t.Errorf("older export changed clicks to %v", again.Clicks)
	}
}

// A sheet corrected and imported again replaces its rows key by key: the
// lines of a campaign name it no longer has are not replaced and count
// beside its own. The preview says so, naming them; the same file again,
// or one with the same names, says nothing of it.
func TestPreviewNamesEarlierLinesItDoesNotReplace(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	head := "date,campaign,source,content,clicks,conversions,revenue,spend,currency\n"
	first := write(t, "sheet.csv", []byte(head+
		"2026-03-01,sprng-sale,facebook,ad,10,1,10.00,5.00,EUR\n"+
		"2026-03-02,sprng-sale,facebook,ad,10,1,10.00,5.00,EUR\n"), now.Add(-48*time.Hour))
	if _, _, err := Import(ctx, st, first, Options{}, now); err != nil {
		t.Fatal(err)
	}
	p, err := PreviewFile(ctx, st, first, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range p.Warnings {
		if strings.Contains(w, "does not replace") {
			t.Errorf("the same file again: %q", w)
		}
	}
	fixed := write(t, "sheet.csv", []byte(head+
		"2026-03-01,spring-sale,facebook,ad,10,1,10.00,5.00,EUR\n"+
		"2026-03-02,spring-sale,facebook,ad,10,1,10.00,5.00,EUR\n"), now.Add(-24*time.Hour))
	p, err = PreviewFile(ctx, st, fixed, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := `hold 2 lines from 2026-03-01 to 2026-03-02 under campaign names this file does not have ("sprng-sale")`
	found := false
	for _, w := range p.Warnings {
		found = found || strings.Contains(w, want)
	}
	if !found {
		t.Errorf("warnings %q: want one that %s", p.Warnings, want)
	}
}

func TestMappingIsRemembered(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	data := "Datum;Kampagne;Kanal;Beitrag;Klicks;Bestellungen;Umsatz\n" +
		"01.03.2026;Spring Sale;Mastodon;post-1;12;2;34,50\n"
	path := write(t, "auswertung.csv", []byte(data), now)
	_, err := PreviewFile(ctx, st, path, Options{})
	var need *NeedsMappingError
	if !errors.As(err, &need) || need.Line != 1 {
		t.Fatalf("unknown layout: %v", err)
	}
	want := map[string]Field{"Datum": FieldDate, "Kampagne": FieldCampaign, "Kanal": FieldSource, "Beitrag": FieldIgnore,
		"Klicks": FieldClicks, "Bestellungen": FieldConversions, "Umsatz": FieldRevenue}
	if !reflect.DeepEqual(need.Suggested.Columns, want) {
		t.Errorf("suggested %v", need.Suggested.Columns)
	}
	m := need.Suggested
	m.Name, m.Currency = "Shop export", "EUR"
	m.Columns["Kanal"], m.Columns["Beitrag"] = FieldSource, FieldContent
	if _, _, err := Import(ctx, st, path, Options{Mapping: &m}, now); err != nil {
		t.Fatal(err)
	}
	// The next file of that layout is read with the mapping, unasked.
	next := write(t, "auswertung-2.csv", []byte("Datum;Kampagne;Kanal;Beitrag;Klicks;Bestellungen;Umsatz\n"+
		"02.03.2026;Spring Sale;Bluesky;post-1;3;0;0\n"), now)
	p, err := PreviewFile(ctx, st, next, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Preset != PresetMapping || p.Feed != "layout:shop-export" || p.Sample[0].Source != "Bluesky" {
		t.Errorf("remembered mapping: %+v", p)
	}
	// A mapping that misses what it needs says so.
	bad := Mapping{Name: "x", Columns: map[string]Field{"Kampagne": FieldCampaign}}
	if _, err := PreviewFile(ctx, st, path, Options{Mapping: &bad}); err == nil || !strings.Contains(err.Error(), "date") {
		t.Errorf("mapping without a date: %v", err)
	}
}

// TestMalformedFiles feeds files as they go wrong in the wild; each is
// refused with the line (and column) that is wrong, and nothing is saved.
func TestMalformedFiles(t *testing.T) {
	plainHead := "date,campaign,source,content,clicks,conversions,revenue,spend,currency\n"
	ok := "2026-03-01,spring,mastodon,post-1,1,0,0,0,EUR\n"
	for _, c := range []struct {
		name   string
		data   []byte
		opts   Options
		line   int
		column string
		msg    string
	}{
		{"unclosed quote", []byte(plainHead + ok + ok + "2026-03-04,\"spring,mastodon,post-1,1,0,0,0,EUR\n" + ok), Options{}, 4, "", "quote"},
		{"separator in an unquoted name", []byte(plainHead + ok + "2026-03-02,Spring, 2026,mastodon,post-1,1,0,0,0,EUR\n"), Options{}, 3, "", "number of fields"},
		{"no such day", []byte(plainHead + ok + ok + "2026-02-30,spring,mastodon,post-1,1,0,0,0,EUR\n"), Options{}, 4, "date", "no day 30"},
		{"not a date", []byte(plainHead + ok + "yesterday,spring,mastodon,post-1,1,0,0,0,EUR\n"), Options{}, 3, "date", "not a date"},
		{"not a number", []byte(plainHead + ok + ok + ok + "2026-03-05,spring,mastodon,post-1,twelve,0,0,0,EUR\n"), Options{}, 5, "clicks", "not a number"},
		{"a rate as conversions", []byte(plainHead + ok + "2026-03-05,spring,mastodon,post-1,12,2.5%,0,0,EUR\n"), Options{}, 3, "conversions", "is a percentage"},
		{"fractional clicks", []byte(plainHead + "2026-03-05,spring,mastodon,post-1,12.5,0,0,0,EUR\n"), Options{}, 2, "clicks", "whole number"},
		{"negative spend", []byte(plainHead + ok + "2026-03-05,spring,mastodon,post-1,1,0,0,-3.00,EUR\n"), Options{}, 3, "spend", "negative"},
		{"more decimals than cents", []byte(plainHead + "2026-03-05,spring,mastodon,post-1,1,0,0,4.50,EUR\n" +
			"2026-03-06,spring,mastodon,post-1,1,0,0,12.345,EUR\n"), Options{}, 3, "spend", "more decimals"},
		{"mixed decimal separators", []byte(strings.ReplaceAll(plainHead, ",", ";") + "2026-03-05;spring;mastodon;post-1;1;0;12.50;0;EUR\n" +
			"2026-03-06;spring;mastodon;post-1;1;0;3,75;0;EUR\n"), Options{}, 3, "", "decimal"},
		{"not a currency", []byte(plainHead + "2026-03-05,spring,mastodon,post-1,1,0,2.00,0,Euro\n"), Options{}, 2, "currency", "currency code"},
		{"two currencies on a line", []byte("date,campaign,source,content,clicks,conversions,revenue,spend\n" +
			"2026-03-05,spring,mastodon,post-1,1,0,$2.00,€1.00\n"), Options{}, 2, "spend", "one currency a line"},
		{"money without a currency", []byte("date,campaign,source,content,clicks,conversions,revenue,spend\n" + ok[:len(ok)-5] + "\n" +
			"2026-03-02,spring,mastodon,post-1,1,0,2.50,0\n"), Options{}, 3, "revenue", "no currency"},
		{"day-first and month-first", []byte(plainHead + "13/02/2026,spring,mastodon,post-1,1,0,0,0,EUR\n" + ok +
			"02/14/2026,spring,mastodon,post-1,1,0,0,0,EUR\n"), Options{}, 4, "date", "month first"},
		{"one key in two currencies", []byte(plainHead + ok + "2026-03-01,spring,mastodon,post-1,1,0,1.00,0,USD\n"), Options{}, 2, "", "two currencies"},
		{"Meta export not by day", []byte("Reporting starts,Reporting ends,Campaign name,Amount spent (EUR),Impressions,Link clicks\n" +
			"2026-03-01,2026-03-01,Spring,1.00,10,1\n2026-03-01,2026-03-31,Spring,31.00,310,31\n"), Options{}, 3, "Reporting starts", "broken down by day"},
		{"a column twice", []byte("date,campaign,source,content,clicks,conversions,revenue,spend,clicks\n" + ok), Options{}, 1, "clicks", "twice"},
		{"empty", []byte{}, Options{}, 0, "", "empty"},
		{"header only", []byte(plainHead), Options{}, 1, "", "nothing to import"},
		{"not CSV at all", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"), Options{}, 0, "", "binary data"},
		// A workbook saved as it is: a zip archive.
		{"a workbook", append([]byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"), make([]byte, 64)...), Options{}, 0, "", "export it as CSV"},
		{"the wrong preset", []byte(plainHead + ok), Options{Preset: PresetMeta}, 1, "", "not a meta_ads header: it lacks the column \"campaign name\""},
		// Values too large for a line are said to be, not "not a number"
		// or "more decimals": two lines that add up past int64 would stop
		// every figure of the campaign being read.
		{"clicks past int64", []byte(plainHead + "2026-03-05,spring,mastodon,post-1,99999999999999999999,0,0,0,EUR\n"), Options{}, 2, "clicks", "too large"},
		{"clicks that add up past int64", []byte(plainHead + "2026-03-05,spring,mastodon,post-1,9223372036854775807,0,0,0,EUR\n" +
			"2026-03-06,spring,mastodon,post-1,9223372036854775807,0,0,0,EUR\n"), Options{}, 2, "clicks", "too large"},
		{"conversions past int64", []byte(plainHead + "2026-03-05,spring,mastodon,post-1,1,9223372036854775.807,0,0,EUR\n"), Options{}, 2, "conversions", "too large"},
		{"spend past int64", []byte(plainHead + "2026-03-05,spring,mastodon,post-1,1,0,0,99999999999999999999,EUR\n"), Options{}, 2, "spend", "too large"},
		{"spend that adds up past int64", []byte(plainHead + "2026-03-05,spring,mastodon,post-1,1,0,0,92233720368547758.07,EUR\n" +
			"2026-03-06,spring,mastodon,post-1,1,0,0,92233720368547758.07,EUR\n"), Options{}, 2, "spend", "no line of an export has more than €10,000,000,000.00"},
		// The columns missing are named, not the ones the file has.
		{"plain without money", []byte("date,campaign,source,content,clicks,impressions\n2026-03-01,spring,mastodon,post-1,1,10\n"),
			Options{Preset: PresetPlain}, 1, "", `lacks the columns "conversions", "revenue" and "spend" (it has date, campaign`},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := openStore(t)
			ctx := context.Background()
			path := write(t, "export.csv", c.data, now)
			_, _, err := Import(ctx, st, path, c.opts, now)
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v (%T), want a LineError", err, err)
			}
			if strings.ContainsAny(err.Error(), "\x1b\x07\n") || len(err.Error()) > 1000 {
				t.Errorf("the error carries the file's bytes raw: %q", err.Error())
			}
			if le.Line != c.line || !strings.EqualFold(le.Column, c.column) || !strings.Contains(le.Error(), c.msg) ||
				le.File != "export.csv" {
				t.Errorf("err = %q (line %d, column %q); want line %d, column %q, %q", le.Error(), le.Line, le.Column,
					c.line, c.column, c.msg)
			}
			var rows, batches int
			if err := st.DB().QueryRow("SELECT (SELECT count(*) FROM marketing_rows), (SELECT count(*) FROM marketing_imports)").
				Scan(&rows, &batches); err != nil {
				t.Fatal(err)
			}
			if rows != 0 || batches != 0 {
				t.Errorf("a refused file left %d rows and %d imports", rows, batches)
			}
		})
	}
}

func TestAmbiguousDatesAsk(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	path := write(t, "export.csv", []byte("date,campaign,source,content,clicks,conversions,revenue,spend,currency\n"+
		"03/04/2026,spring,mastodon,post-1,1,0,0,0,EUR\n05/04/2026,spring,mastodon,post-1,2,0,0,0,EUR\n"), now)
	_, err := PreviewFile(ctx, st, path, Options{})
	var de *DateOrderError
	if !errors.As(err, &de) || de.Line != 2 || de.Example != "03/04/2026" {
		t.Fatalf("err = %v", err)
	}
	p, err := PreviewFile(ctx, st, path, Options{DateOrder: MonthFirst})
	if err != nil || p.First != store.DateDay(2026, 3, 4) || p.Last != store.DateDay(2026, 5, 4) {
		t.Fatalf("month first: %+v %v", p, err)
	}
	p, err = PreviewFile(ctx, st, path, Options{DateOrder: DayFirst})
	if err != nil || p.First != store.DateDay(2026, 4, 3) {
		t.Fatalf("day first: %+v %v", p, err)
	}
}

func TestCommitRefusesAChangedFile(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	data := "date,campaign,source,content,clicks,conversions,revenue,spend,currency\n2026-03-01,s,mastodon,p,1,0,0,0,EUR\n"
	path := write(t, "export.csv", []byte(data), now)
	p, err := PreviewFile(ctx, st, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Same size, same time, other bytes: the hash tells.
	if err := os.WriteFile(path, []byte(strings.Replace(data, ",1,0", ",7,0", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(path, now, now)
	if _, err := Commit(ctx, st, p, now); !errors.Is(err, ErrChanged) {
		t.Fatalf("changed file: %v", err)
	}
	if tot := totals(t, st, all()); tot.Groups != 0 {
		t.Errorf("a changed file was imported: %+v", tot)
	}
}

func TestTimestampsAreDaysInTheUsersZone(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	path := write(t, "export.csv", []byte("date,campaign,source,content,clicks,conversions,revenue,spend,currency\n"+
		"2026-03-01T23:30:00Z,s,mastodon,p,1,0,0,0,EUR\n2026-03-01 23:30:00,s,mastodon,p,1,0,0,0,EUR\n"), now)
	p, err := PreviewFile(ctx, st, path, Options{Zone: berlin})
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC is 00:30 on 2 March in Berlin; a stamp without a zone is
	// the day it says.
	if p.Sample[0].Day != store.DateDay(2026, 3, 2) || p.Sample[1].Day != store.DateDay(2026, 3, 1) {
		t.Errorf("days %s %s", p.Sample[0].Day, p.Sample[1].Day)
	}
}

// TestALargeImportLetsADuePostGoFirst: an import long enough to hold the
// database for a noticeable time waits, before it writes, for a post due meanwhile
// to be claimed by its sender, and says which it waits for.
func TestALargeImportLetsADuePostGoFirst(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	wall := time.Now()
	acct, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@shop@example.social"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.SaveDraft(ctx, store.Post{Body: "out in a second", Targets: []store.Target{{AccountID: acct}}}, wall)
	if err != nil {
		t.Fatal(err)
	}
	due := wall.Add(time.Second).Truncate(time.Millisecond)
	if err := st.QueuePost(ctx, id, due, "UTC", wall); err != nil {
		t.Fatal(err)
	}
	ds, err := st.PostDeliveries(ctx, id)
	if err != nil {
		t.Fatal(err)
	}

	// Taken as written at 100 lines a second, 60 lines hold the database
	// for more than half a second.
	defer func(r int) { writeRate = r }(writeRate)
	writeRate = 100
	var b strings.Builder
	b.WriteString("date,campaign,source,content,clicks,conversions,revenue,spend\n")
	const lines = 60
	for i := range lines {
		fmt.Fprintf(&b, "2026-03-%02d,Spring,flyer,f%d,%d,0,0,0\n", i%28+1, i, i%7)
	}
	p, err := PreviewFile(ctx, st, write(t, "big.csv", []byte(b.String()), now), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var waited []time.Time
	p.Waiting = func(at time.Time) {
		waited = append(waited, at)
		// The sender claims it: the import may go ahead.
		if ok, err := st.ClaimDelivery(ctx, ds[0].ID, at); !ok || err != nil {
			t.Errorf("claim = %v, %v", ok, err)
		}
	}
	res, err := Commit(ctx, st, p, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(waited) != 1 || !waited[0].Equal(due) {
		t.Fatalf("waited for %v; want the post due at %v", waited, due)
	}
	if res.Written != lines {
		t.Fatalf("wrote %d lines of %d", res.Written, lines)
	}
}

// The names a file gives (campaign, source, content) are kept as one line of
// text: a quoted line break, a tab, a control character or a terminal escape
// sequence in one would break every list and table that shows it (and reach
// the terminal of whoever prints it), and "Loyalty⏎Card" is the campaign
// "Loyalty Card" to whoever wrote the sheet. A name without any is only
// trimmed (its rows keep the key they had).
func TestNamesAreOneLineOfText(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	text := "date,campaign,source,content,clicks,conversions,revenue,spend,currency\n" +
		"2026-03-14,\"Loyalty\nCard\",\"insta\r\ngram\",\"Re\x1b[31mel\tsecond\x07 line\",3,1,10.00,5.00,EUR\n" +
		"2026-03-15,\"Weird\x1b]0;TITLE\x07 Name\",\"\u202emeta\",\"  spaced  out \",4,0,0,1.00,EUR\n"
	path := write(t, "names.csv", []byte(text), now)
	p, err := PreviewFile(ctx, st, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range p.Campaigns {
		names = append(names, c.Name)
	}
	if want := []string{"Loyalty Card", "Weird Name"}; !reflect.DeepEqual(names, want) {
		t.Errorf("campaign names %q, want %q", names, want)
	}
	if len(p.Sample) != 2 {
		t.Fatalf("sample %+v", p.Sample)
	}
	got := [][3]string{{p.Sample[0].Campaign, p.Sample[0].Source, p.Sample[0].Content},
		{p.Sample[1].Campaign, p.Sample[1].Source, p.Sample[1].Content}}
	want := [][3]string{{"Loyalty Card", "insta gram", "Reel second line"}, {"Weird Name", "meta", "spaced  out"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sample names %q, want %q", got, want)
	}
	if _, err := Commit(ctx, st, p, now); err != nil {
		t.Fatal(err)
	}
	// A campaign made afterwards by the name the sheet meant takes its rows.
	camp, err := st.CreateCampaign(ctx, store.Campaign{Name: "Loyalty Card"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if tot := totals(t, st, store.MarketingFilter{Campaign: camp}); tot.Clicks != store.Known(3) {
		t.Errorf("the campaign Loyalty Card has %+v clicks, want 3", tot.Clicks)
	}
}

// A header crier does not know is named in the error as the file has it,
// but on one line and cut short: the file's bytes (an escape sequence, a
// first "line" of megabytes) do not reach the terminal raw.
func TestUnknownHeaderIsDrawnSafely(t *testing.T) {
	st := openStore(t)
	path := write(t, "odd.csv", []byte("\xc3\x9d\x1b[31mred,b\x07"+strings.Repeat("x", 5000)+",c,d\n1,2,3,4\n"), now)
	_, err := PreviewFile(context.Background(), st, path, Options{})
	var nm *NeedsMappingError
	if !errors.As(err, &nm) {
		t.Fatalf("err %v, want a NeedsMappingError", err)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\x1b\x07\n") || len(msg) > 400 || !strings.Contains(msg, "red, b") {
		t.Errorf("the error: %q", msg)
	}
}
