package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crier-app/crier/platforms/bluesky/testnet"
	"github.com/crier-app/crier/platforms/mastodon/gtstest"
)

// TestMain says in one line when the tests against the real Bluesky network
// (init's check) or GoToSocial (login) skipped.
func TestMain(m *testing.M) {
	flag.Parse()
	// The tests that run crier against servers spend their time waiting
	// on them, not on this machine's cores: let more of them overlap than
	// there are cores, unless -parallel says. (The crash and on-time
	// suites are package e2e, which go test runs beside this one.)
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		flag.Set("test.parallel", "8")
	}
	code := testnet.Main(m)
	gtstest.Report()
	removeCLIBinary()
	for _, d := range cliFixtureDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// Bad configs and unusable databases stop crier before the TUI with one
// paragraph naming what is wrong, and exit status 2.
func TestStartupErrorsExitTwo(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	notDB := write("not.db", strings.Repeat("plain text, not SQLite\n", 200))
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"bad zone", []string{"--config", write("a.yaml", "timezone: Mars/Olympus\n")},
			nil, []string{"a.yaml", "timezone", "Mars/Olympus"}},
		{"unknown key", []string{"--config", write("b.yaml", "databse: x\n")},
			nil, []string{"b.yaml", "databse", `did you mean "database"`}},
		{"missing file", []string{"--config", filepath.Join(dir, "nope.yaml")},
			nil, []string{"nope.yaml", "no such file"}},
		{"not a database", []string{"--config", write("c.yaml", "database: "+notDB+"\n")},
			nil, []string{notDB, "not a database"}},
		{"database folder cannot be made", []string{"--config", write("d.yaml", "database: /proc/crier-nope/x.db\n")},
			nil, []string{"/proc/crier-nope/x.db"}},
		{"log file cannot be written", []string{"--config", write("f.yaml", "log_file: /proc/crier-nope/crier.log\n")},
			nil, []string{"log file /proc/crier-nope/crier.log", "the log_file setting of", "f.yaml", "cannot make its folder"}},
		{"log file is a folder", []string{"--config", write("g.yaml", "log_file: "+dir+"\n")},
			nil, []string{"log file " + dir, "cannot write it"}},
		{"headless with a bad config", []string{"run", "--config", write("e.yaml", "scheduler:\n  missed_grace: 15x\n")},
			nil, []string{"e.yaml", "scheduler.missed_grace", "15x"}},
		{"unknown command", []string{"frobnicate"}, nil, []string{`unknown command "frobnicate"`}},
		{"demo flag outside the demo", []string{"--seed", "3"}, nil, []string{"only apply to crier demo"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("XDG_CONFIG_HOME", dir)
			t.Setenv("XDG_STATE_HOME", dir)
			var stderr bytes.Buffer
			if code := run(tc.args, &stderr); code != 2 {
				t.Fatalf("exit status %d, want 2; stderr:\n%s", code, stderr.String())
			}
			msg := stderr.String()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
			if strings.Contains(msg, "goroutine") || strings.Contains(msg, "panic") {
				t.Errorf("a stack trace reached the user:\n%s", msg)
			}
		})
	}
}
