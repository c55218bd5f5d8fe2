package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/store"
)

func newServeCmd(env *cliEnv) *cobra.Command {
	o := serveOptions{}
	var demoData bool
	c := &cobra.Command{
		Use:   "serve",
		Short: "the app over SSH: a session per key, one scheduler for all of them",
		Long: `crier serve runs an SSH server: each connection gets its own app on the
same database, and one scheduler in the process sends the queued posts (the
sender lease keeps it to one among every crier on the database). Only the
public keys in the authorized keys file of crier's config folder get in,
each with its role: full (everything) or glance (read-only: the keys that
post, reply, like or edit say so and do nothing). No passwords.

  ssh -t HOST -p 2222          the app
  ssh HOST -p 2222 kpi         the glance, then it ends (also queue, inbox,
                               accounts; --json works)

The host key is made once in the data folder (beside the database), 0600;
its fingerprint is printed at start. Connections, refusals and idle
sessions are logged to stderr.`,
		Example: "  crier serve\n  crier serve --listen 127.0.0.1:2222 --max-sessions 4 --idle-timeout 15m",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.MaxSessions < 1 {
				return usageErr("--max-sessions %d: give at least 1", o.MaxSessions)
			}
			if o.PerMinute < 1 {
				return usageErr("--rate %d: give at least 1 connection a minute", o.PerMinute)
			}
			if o.IdleTimeout < 0 {
				return usageErr("--idle-timeout %s: give a duration (0 for none)", o.IdleTimeout)
			}
			return runServe(env, o, demoData)
		},
	}
	fl := c.Flags()
	fl.StringVar(&o.Listen, "listen", ":2222", "the address to listen on")
	fl.IntVar(&o.MaxSessions, "max-sessions", 10, "the most sessions open at once")
	fl.DurationVar(&o.IdleTimeout, "idle-timeout", 30*time.Minute, "close a session nobody typed in for this long (0: never)")
	fl.IntVar(&o.PerMinute, "rate", 10, "the most connections one address may open a minute")
	fl.BoolVar(&demoData, "demo", false, "serve a throwaway demo database (its posts go to the sandbox)")
	return c
}

func runServe(env *cliEnv, o serveOptions, demoData bool) error {
	logger := log.New(env.stderr, "crier: ", log.LstdFlags)
	o.Debug = env.debug
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := env.loadConfig()
	if err != nil {
		return err
	}
	home, _ := os.UserHomeDir()
	dataDir := filepath.Dir(cfg.Database)
	confDir := configDir(os.Getenv, home)
	if cfg.File != "" {
		confDir = filepath.Dir(cfg.File)
	}
	o.HostKeyPath = filepath.Join(dataDir, "ssh_host_ed25519_key")
	o.KeysPath = filepath.Join(confDir, "authorized_keys")

	appO := appOptions{}
	if demoData {
		dir, err := os.MkdirTemp("", "crier-serve-demo-")
		if err != nil {
			return failed(err)
		}
		defer os.RemoveAll(dir)
		st, err := store.Open(ctx, filepath.Join(dir, "crier.db"))
		if err != nil {
			return failed(err)
		}
		now := time.Now()
		if err := demo.Seed(ctx, st, demo.Options{Seed: now.UnixNano() % 1_000_000, Now: now, Zone: cfg.Timezone}); err != nil {
			st.Close()
			return failed(fmt.Errorf("seeding the demo: %w", err))
		}
		appO = appOptions{demo: true, st: st}
		cfg = demoConfig(cfg)
		logger.Printf("serving a demo database (its posts go to the sandbox)")
	}
	st, accounts, nets, err := setupWaiting(ctx, cfg, appO, func(msg string) { logger.Print(msg) })
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	defer st.Close()
	s, err := newSSHServer(cfg, st, accounts, nets, logger, demoData, o)
	if err != nil {
		return err
	}
	if err := s.Listen(); err != nil {
		return err
	}
	logger.Printf("listening on %s; host key %s (%s); keys and roles from %s; database %s",
		s.Addr(), s.fingerprint, o.HostKeyPath, o.KeysPath, st.Path())
	if !demoData {
		go s.fetchLimits(ctx, nets)
	}
	if err := s.Serve(ctx); err != nil {
		return failed(err)
	}
	logger.Printf("stopped")
	return nil
}

// demoConfig is the config a demo server runs on: the user's zone and
// limits, no accounts of their own.
func demoConfig(cfg *config.Config) *config.Config {
	c := *cfg
	c.Accounts = nil
	return &c
}
