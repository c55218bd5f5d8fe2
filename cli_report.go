package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/renameio/v2"
	"github.com/spf13/cobra"

	"github.com/crier-app/crier/report"
	"github.com/crier-app/crier/store"
)

func newReportCmd(env *cliEnv) *cobra.Command {
	var campaign, from, to, format, out string
	c := &cobra.Command{
		Use:   "report",
		Short: "a campaign's or a span of days' report: Markdown, CSV, HTML or JSON",
		Long: `crier report writes what social media brought in: a campaign's report
(--campaign SLUG, over its days and any other day its rows fall on, unless
--from and --to narrow them) or any span of days (--from and --to, YYYY-MM-DD, in your time zone). --format is
md, csv, html or json (else read from the -o file's name); -o - or no -o
prints it. The file is written whole or not at all.`,
		Example: "  crier report --campaign spring-sale --format html -o spring.html\n  crier report --from 2026-11-01 --to 2026-11-30 -o november.md",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if format == "" && out != "" && out != "-" {
				format = strings.TrimPrefix(filepath.Ext(out), ".")
				if format == "" {
					return usageErr("-o %q: give --format md, csv, html or json (the file's name has no extension to go by)", out)
				}
			}
			if format == "" {
				return usageErr("--format: choose md, csv, html or json")
			}
			f, err := report.ParseFormat(format)
			if err != nil {
				return usageErr("--format: %v", err)
			}
			var o report.Options
			if from != "" {
				if o.From, err = store.ParseDay(from); err != nil {
					return usageErr("--from: %v", err)
				}
			}
			if to != "" {
				if o.To, err = store.ParseDay(to); err != nil {
					return usageErr("--to: %v", err)
				}
			}
			if campaign == "" && (from == "" || to == "") {
				return usageErr("crier report needs --campaign SLUG, or --from and --to (YYYY-MM-DD) for a span of days")
			}
			if o.From != 0 && o.To != 0 && o.To < o.From {
				return usageErr("--to %s is before --from %s", o.To, o.From)
			}
			if err := report.CheckSpan(o.From, o.To); err != nil {
				return usageErr("--from, --to: %v", err)
			}
			if out != "" && out != "-" {
				// Said before anything is read, in the words the app's
				// export form uses (not the temporary file's error).
				if info, err := os.Stat(out); err == nil && info.IsDir() {
					return usageErr("-o %s is a folder: give the report's file name (%s/report.%s)", out, strings.TrimSuffix(out, "/"), f)
				}
				dir := filepath.Dir(out)
				if info, err := os.Stat(dir); err != nil || !info.IsDir() {
					return failed(fmt.Errorf("-o %s: there is no folder %s to write the report in", out, dir))
				}
			}
			now, cfg, st, _, err := env.readAt(ctx)
			if err != nil {
				return err
			}
			defer env.release(st)
			o.Zone, o.Now = cfg.Timezone, now
			if campaign != "" {
				c, err := st.CampaignBySlug(ctx, campaign)
				if errors.Is(err, store.ErrNotFound) {
					return usageErr("--campaign %q: %s", campaign, knownSlugs(ctx, st, campaign))
				}
				if err != nil {
					return dbErr(st, err)
				}
				o.Campaign = c.ID
			}
			r, err := report.Build(ctx, st, o)
			if err != nil {
				return failed(fmt.Errorf("database %s: building the report: %w", st.Path(), err))
			}
			var buf bytes.Buffer
			if err := r.Write(&buf, f); err != nil {
				return failed(fmt.Errorf("writing the report: %w", err))
			}
			if out == "" || out == "-" {
				_, err := env.stdout.Write(buf.Bytes())
				return err
			}
			if err := renameio.WriteFile(out, buf.Bytes(), 0o644); err != nil {
				// The error names renameio's temporary file, not the one asked for.
				var pe *fs.PathError
				if errors.As(err, &pe) {
					err = pe.Err
				}
				return failed(fmt.Errorf("-o %s: cannot write it in %s: %w", out, filepath.Dir(out), err))
			}
			fmt.Fprintf(env.stderr, "crier: wrote %s (%s, %s to %s)\n", out, f, r.From, r.To)
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&campaign, "campaign", "", "the campaign, by slug")
	fl.StringVar(&from, "from", "", "the first day, YYYY-MM-DD")
	fl.StringVar(&to, "to", "", "the last day, YYYY-MM-DD")
	fl.StringVar(&format, "format", "", "md, csv, html or json (default: from -o's name)")
	fl.StringVarP(&out, "output", "o", "", "the file to write (- or none: standard output)")
	c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"md", "csv", "html", "json"}, cobra.ShellCompDirectiveNoFileComp))
	c.RegisterFlagCompletionFunc("campaign", env.completeCampaigns)
	return c
}
