package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/crier-app/crier/platforms/mastodon"
)

// loginIO is what the login flow talks through, so a test can play the user.
type loginIO struct {
	in        io.Reader
	out       io.Writer
	configDir string // where the token file goes
	// signedIn, when set, takes the new account instead of the printed
	// lines to paste: crier init writes it into the config itself.
	signedIn func(handle, server, tokenPath string)
}

// loginMastodon registers crier with a Mastodon server, has the user approve
// it in a browser (out-of-band: the server shows a code to paste back), with
// PKCE, then stores the token in a file only the user can read and prints the
// account block for the config.
func loginMastodon(ctx context.Context, server string, lio loginIO) error {
	server = strings.TrimRight(strings.TrimSpace(server), "/")
	if !strings.Contains(server, "://") {
		server = "https://" + server
	}
	u, err := url.Parse(server)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("login: %q is not a server address (write it like https://mastodon.social)", server)
	}
	id, secret, err := mastodon.RegisterApp(ctx, server, "crier", mastodon.Scopes)
	if err != nil {
		return fmt.Errorf("login: registering crier with %s: %w", server, err)
	}
	verifier, challenge := mastodon.NewPKCE()
	fmt.Fprintf(lio.out, "Open this address in a browser, sign in to %s and approve crier:\n\n  %s\n\nThen paste the code the server shows here: ",
		u.Host, mastodon.AuthorizeURL(server, id, mastodon.Scopes, challenge))
	code, err := bufio.NewReader(lio.in).ReadString('\n')
	code = strings.TrimSpace(code)
	if code == "" {
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("login: reading the code: %w", err)
		}
		return errors.New("login: no code was pasted; nothing was saved")
	}
	token, err := mastodon.ExchangeCode(ctx, server, id, secret, code, verifier)
	if err != nil {
		return fmt.Errorf("login: exchanging the code with %s: %w", server, err)
	}
	me, err := mastodon.New(server, token).Whoami(ctx)
	if err != nil {
		return fmt.Errorf("login: the new token does not work on %s: %w", server, err)
	}
	path := filepath.Join(lio.configDir, "mastodon-"+u.Host+".token")
	if err := os.MkdirAll(lio.configDir, 0o700); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	if err := mastodon.SaveToken(path, token); err != nil {
		return fmt.Errorf("login: saving the token: %w", err)
	}
	handle := "@" + me.Handle
	if !strings.Contains(me.Handle, "@") {
		handle += "@" + u.Host
	}
	if lio.signedIn != nil {
		fmt.Fprintf(lio.out, "\n  Signed in as %s. The token is in %s (readable only by you).\n", handle, path)
		lio.signedIn(handle, server, path)
		return nil
	}
	fmt.Fprintf(lio.out, `
Signed in as %s. The token is in %s (readable only by you).
Add this to your config's accounts:

  - platform: mastodon
    handle: "%s"
    server: %s
    credential: file:%s
`, handle, path, handle, server, path)
	return nil
}

// configDir is where login puts token files: beside the config.
func configDir(getenv func(string) string, home string) string {
	if d := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "crier")
	}
	return filepath.Join(home, ".config", "crier")
}

func runLogin(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 2 || args[0] != "mastodon" {
		fmt.Fprintf(stderr, "usage: crier login mastodon SERVER\n(Bluesky accounts use an app password in the config instead: see config.example.yaml)\n")
		return exitUsage
	}
	home, _ := os.UserHomeDir()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	if err := loginMastodon(ctx, args[1], loginIO{in: stdin, out: stdout, configDir: configDir(os.Getenv, home)}); err != nil {
		fmt.Fprintf(stderr, "crier: %v\n", err)
		return 1
	}
	return 0
}
