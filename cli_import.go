package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/analytics/csvimport"
	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

func newImportCmd(env *cliEnv) *cobra.Command {
	var preset, currency, dateOrder string
	var yes, previewOnly bool
	var names []string
	for _, p := range csvimport.Presets {
		names = append(names, string(p))
	}
	c := &cobra.Command{
		Use:   "import FILE",
		Short: "bring in an analytics or ads export: preview it, then import it",
		Long: `crier import reads a CSV export (Plausible, GA4, Meta Ads Manager, Google
Ads, crier's plain layout, or a layout mapped once in the app) and shows
what it would import: the preset, the lines and days, the sums, which crier
campaigns the names map to, and the earlier imports it meets. On a terminal
it then asks; --yes imports without asking, --preview only shows. A bad line
means nothing is imported: the error names the file, the line and the
column. Importing the same file again never counts a row twice.

Presets: ` + strings.Join(names, ", ") + ` (default: read from the header).`,
		Example: "  crier import imported_sources_2026.csv\n  crier import meta.csv --preset meta_ads --yes\n  crier import ga4.csv --currency EUR --date-order dmy",
		Args:    exactArgs(1, "one FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			o := csvimport.Options{Currency: strings.ToUpper(currency)}
			if preset != "" {
				ok := false
				for _, p := range csvimport.Presets {
					ok = ok || string(p) == preset
				}
				if !ok {
					return usageErr("--preset %q: choose one of %s", preset, strings.Join(names, ", "))
				}
				o.Preset = csvimport.Preset(preset)
			}
			switch dateOrder {
			case "":
			case string(csvimport.DayFirst), string(csvimport.MonthFirst):
				o.DateOrder = csvimport.DateOrder(dateOrder)
			default:
				return usageErr("--date-order %q: choose dmy (03/04/2026 is 3 April) or mdy (March 4)", dateOrder)
			}
			if o.Currency != "" && !money.ValidCode(o.Currency) {
				return usageErr("--currency %q: not a currency code such as EUR, USD or GBP", currency)
			}
			if yes && previewOnly {
				return usageErr("--yes and --preview contradict each other: choose one")
			}
			if _, err := os.Stat(args[0]); err != nil {
				return usageErr("%s: %v", args[0], errors.Unwrap(err))
			}
			now, cfg, st, _, err := env.openAt(ctx)
			if err != nil {
				return err
			}
			defer env.release(st)
			o.Zone = cfg.Timezone
			p, err := csvimport.PreviewFile(ctx, st, args[0], o)
			if err != nil {
				var nm *csvimport.NeedsMappingError
				var do *csvimport.DateOrderError
				var le *csvimport.LineError
				switch {
				case errors.As(err, &nm):
					return usageErr("%v; give --preset, or map its columns once in the app (5 Campaigns, i imports a CSV)", err)
				case errors.As(err, &do):
					return usageErr("%v: run again with --date-order dmy or mdy", err)
				case errors.As(err, &le):
					return usageErr("%v; nothing was imported", err)
				}
				return failed(fmt.Errorf("%s: %w; nothing was imported", args[0], err))
			}
			writePreview(env.stdout, p)
			if previewOnly {
				fmt.Fprintln(env.stdout, "Nothing imported (--preview).")
				return nil
			}
			if !yes {
				in, ok := env.stdin.(*os.File)
				if !ok || !term.IsTerminal(in.Fd()) {
					fmt.Fprintln(env.stdout, "Nothing imported: run again with --yes to import it.")
					return nil
				}
				fmt.Fprint(env.stdout, "Import it? [y/N] ")
				answer, _ := bufio.NewReader(in).ReadString('\n')
				if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
					fmt.Fprintln(env.stdout, "Nothing imported.")
					return nil
				}
			}
			p.Waiting = func(due time.Time) {
				fmt.Fprintf(env.stderr, "Waiting for the post due at %s to go out first: the import holds the database while it writes.\n",
					due.In(cfg.Timezone).Format("15:04:05"))
			}
			var res store.ImportResult
			err = whileBusy(ctx, env, st, func() (err error) { res, err = csvimport.Commit(ctx, st, p, now); return err })
			if err != nil {
				var le *csvimport.LineError
				if errors.As(err, &le) {
					return usageErr("%v; nothing was imported", err)
				}
				return failed(fmt.Errorf("%s: %w; nothing was imported", args[0], err))
			}
			fmt.Fprintf(env.stdout, "Imported %s as import #%d: %s written, %s kept (a newer export already had them), %s to %s.\n",
				p.Name, res.BatchID, common.Count(res.Written, "line", "lines"), common.Count(res.Kept, "line", "lines"), res.First, res.Last)
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&preset, "preset", "", "the export's layout: "+strings.Join(names, ", "))
	fl.StringVar(&currency, "currency", "", "the money's currency where the file names none (GA4), e.g. EUR")
	fl.StringVar(&dateOrder, "date-order", "", "how to read 03/04/2026 when the file does not tell: dmy or mdy")
	fl.BoolVarP(&yes, "yes", "y", false, "import without asking")
	fl.BoolVar(&previewOnly, "preview", false, "only show what would be imported")
	c.RegisterFlagCompletionFunc("preset", cobra.FixedCompletions(names, cobra.ShellCompDirectiveNoFileComp))
	c.RegisterFlagCompletionFunc("date-order", cobra.FixedCompletions([]string{"dmy", "mdy"}, cobra.ShellCompDirectiveNoFileComp))
	c.ValidArgsFunction = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"csv", "tsv", "txt"}, cobra.ShellCompDirectiveFilterFileExt
	}
	return c
}

func writePreview(w io.Writer, p *csvimport.Preview) {
	fmt.Fprintf(w, "%s · %s · read as %s\n", p.Name, p.Preset, p.Encoding)
	fmt.Fprintf(w, "%s from %s to %s", common.Count(p.Lines, "line", "lines"), p.First, p.Last)
	if n := len(p.Skipped) + p.SkippedMore; n > 0 {
		fmt.Fprintf(w, " (%s skipped: titles, totals, visits not from social)", common.Count(n, "line", "lines"))
	}
	fmt.Fprintln(w)
	var sums []string
	add := func(name string, n store.Num) {
		if n.OK {
			sums = append(sums, name+" "+analytics.Count(n))
		}
	}
	add("impressions", p.Impressions)
	add("link clicks", p.Clicks)
	add("sessions", p.Sessions)
	if p.Conversions.OK {
		sums = append(sums, "conversions "+analytics.Milli(p.Conversions))
	}
	if len(p.Revenue) > 0 {
		sums = append(sums, "revenue "+analytics.Sums(p.Revenue))
	}
	if len(p.Spend) > 0 {
		sums = append(sums, "spend "+analytics.Sums(p.Spend))
	}
	if len(sums) > 0 {
		fmt.Fprintln(w, "Sums: "+strings.Join(sums, " · "))
	}
	if len(p.Campaigns) > 0 {
		fmt.Fprintln(w, "Campaigns:")
		for i, c := range p.Campaigns {
			if i == 10 {
				fmt.Fprintf(w, "  and %d more\n", len(p.Campaigns)-10)
				break
			}
			to := "no crier campaign (counts under none until mapped in the app)"
			if c.CampaignID != 0 {
				to = fmt.Sprintf("crier campaign #%d", c.CampaignID)
			}
			name := c.Name
			if name == "" {
				name = "(none)"
			}
			fmt.Fprintf(w, "  %s → %s, %s\n", common.OneLine(common.Clean(name)), to, common.Count(c.Lines, "line", "lines"))
		}
	}
	for _, im := range p.ImportedBefore {
		fmt.Fprintf(w, "This very file was imported before (#%d, %s): its rows are replaced, not counted twice.\n", im.ID, im.ImportedAt.Format("2 Jan 2006 15:04"))
	}
	if len(p.Overlaps) > 0 {
		fmt.Fprintf(w, "It meets %s of the same source over these days: a newer export's rows win.\n", common.Count(len(p.Overlaps), "earlier import", "earlier imports"))
	}
	for _, warn := range p.Warnings {
		fmt.Fprintln(w, "Note: "+warn)
	}
}
