// Package reportfile writes a report (the report package's formats) to a
// file, for the x key of the Campaigns and KPIs panes: the form's fields,
// the default file name, and the write, which never leaves half a file.
package reportfile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/crier-app/crier/report"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/form"
)

// Field names of the export form.
const (
	FieldFormat = "format"
	FieldPath   = "path"
	FieldFrom   = "from"
	FieldTo     = "to"
)

// DefaultName is the file a report is written to unless another is typed:
// crier-report-SLUG-DAY.html in the folder crier runs in.
func DefaultName(what string, today store.Day, f report.Format) string {
	return fmt.Sprintf("crier-report-%s-%s.%s", what, today, f)
}

// Fields are the export form's fields: the format and the file, and for a
// span of days (span true) its first and last day.
func Fields(c *common.Common, what string, today store.Day, span bool, from, to store.Day) []form.Field {
	fields := []form.Field{
		form.NewField(c, FieldFormat, "format", string(report.HTML), "html", "html (one file that opens offline), md, csv or json"),
		form.NewField(c, FieldPath, "file", DefaultName(what, today, report.HTML), "",
			"where to write it; a path without a folder is written in the folder crier runs in; the extension follows the format unless you type one"),
	}
	if span {
		fields = append(fields,
			form.NewField(c, FieldFrom, "from", from.String(), "YYYY-MM-DD", "the first day"),
			form.NewField(c, FieldTo, "to", to.String(), "YYYY-MM-DD", "the last day"))
	}
	return fields
}

// Request is what the form says, read and checked: Field names the field
// an error is about.
type Request struct {
	Format report.Format
	Path   string
	From   store.Day
	To     store.Day
}

// FieldError is bad input in one field of the form.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Msg }

// Read checks the form's values; what, today name the default file.
func Read(f *form.Model, what string, today store.Day, span bool) (Request, error) {
	var r Request
	var err error
	if r.Format, err = report.ParseFormat(f.Value(FieldFormat)); err != nil {
		return r, &FieldError{FieldFormat, err.Error()}
	}
	r.Path = f.Value(FieldPath)
	if r.Path == "" {
		r.Path = DefaultName(what, today, r.Format)
	}
	if strings.HasPrefix(r.Path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			r.Path = filepath.Join(home, r.Path[2:])
		}
	}
	// The default name follows the format chosen.
	if ext := filepath.Ext(r.Path); ext == ".html" || ext == ".md" || ext == ".csv" || ext == ".json" {
		if base := strings.TrimSuffix(r.Path, ext); strings.HasPrefix(filepath.Base(base), "crier-report-") {
			r.Path = base + "." + string(r.Format)
		}
	}
	if span {
		if r.From, err = store.ParseDay(f.Value(FieldFrom)); err != nil {
			return r, &FieldError{FieldFrom, "from: " + err.Error()}
		}
		if r.To, err = store.ParseDay(f.Value(FieldTo)); err != nil {
			return r, &FieldError{FieldTo, "to: " + err.Error()}
		}
		if r.To < r.From {
			return r, &FieldError{FieldTo, fmt.Sprintf("the last day (%s) is before the first (%s)", r.To, r.From)}
		}
		if err := report.CheckSpan(r.From, r.To); err != nil {
			return r, &FieldError{FieldFrom, err.Error()}
		}
	}
	return r, nil
}

// Write builds the report and writes it to r.Path through a temporary file
// beside it, so a failure leaves no half-written report. It returns the
// absolute path written.
func Write(ctx context.Context, st *store.Store, o report.Options, r Request) (string, error) {
	abs, err := filepath.Abs(r.Path)
	if err != nil {
		return "", &FieldError{FieldPath, fmt.Sprintf("%s: %v", r.Path, err)}
	}
	dir := filepath.Dir(abs)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return "", &FieldError{FieldPath, fmt.Sprintf("there is no folder %s to write the report in", dir)}
	}
	rep, err := report.Build(ctx, st, o)
	if err != nil {
		return "", fmt.Errorf("cannot read the report's figures: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".crier-report-*")
	if err != nil {
		return "", &FieldError{FieldPath, fmt.Sprintf("cannot write in %s: %v", dir, err)}
	}
	defer os.Remove(tmp.Name())
	if err := rep.Write(tmp, r.Format); err != nil {
		tmp.Close()
		return "", fmt.Errorf("cannot write the report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", &FieldError{FieldPath, fmt.Sprintf("cannot write %s: %v", abs, err)}
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), abs); err != nil {
		return "", &FieldError{FieldPath, fmt.Sprintf("cannot write %s: %v", abs, err)}
	}
	return abs, nil
}
