package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/crier-app/crier/store"
)

// cli is crier's front door: the version is answered here; every command,
// its help and completion go through the command tree (cli_root.go).
func cli(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "version", "--version", "-version":
			if len(args) > 1 {
				fmt.Fprintf(stderr, "crier: %s takes nothing after it (got %q)\n", args[0], args[1])
				return exitUsage
			}
			info, _ := debug.ReadBuildInfo()
			fmt.Fprintln(stdout, versionLine(info, store.SchemaVersion()))
			return 0
		}
	}
	return execute(args, stdin, stdout, stderr)
}

// versionLine says which crier this is: the module version it was built at
// (go install …@v1.2.0, or the version go build reads from git), the commit
// and its time when the build recorded them, the database schema it writes
// and the Go it was built with.
func versionLine(info *debug.BuildInfo, schema int) string {
	var b strings.Builder
	b.WriteString("crier ")
	if info == nil {
		b.WriteString("(no build information)")
		fmt.Fprintf(&b, " · database schema %d", schema)
		return b.String()
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "(development build)"
	}
	b.WriteString(v)
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		b.WriteString(", commit " + rev)
		if t, err := time.Parse(time.RFC3339, at); err == nil {
			b.WriteString(" of " + t.UTC().Format("2006-01-02 15:04 UTC"))
		}
		if modified {
			b.WriteString(", with uncommitted changes")
		}
	}
	fmt.Fprintf(&b, " · database schema %d", schema)
	if info.GoVersion != "" {
		b.WriteString(" · " + info.GoVersion)
	}
	return b.String()
}
