package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon"
)

// loginStepTimeout bounds each exchange with the server during a login, so
// a server that never answers is given up on, and said so, in seconds.
const loginStepTimeout = 20 * time.Second

// loginIO is what the login flow talks through, so a test can play the user.
type loginIO struct {
	in        io.Reader
	out       io.Writer
	configDir string        // where the token file goes
	timeout   time.Duration // per exchange with the server; loginStepTimeout when 0
	// signedIn, when set, takes the new account instead of the printed
	// lines to paste: crier init writes it into the config itself.
	signedIn func(handle, server, tokenPath string)
}

// loginError is a failed login in the user's words, what they can do, and
// the raw detail after it.
type loginError struct {
	msg    string
	detail string
}

func (e *loginError) Error() string {
	if e.detail == "" {
		return e.msg
	}
	return e.msg + "\n(detail: " + e.detail + ")"
}

// loginMastodon registers crier with a Mastodon server, has the user approve
// it in a browser (out-of-band: the server shows a code to paste back), with
// PKCE, then stores the token in a file only the user can read and prints the
// account block for the config. Every exchange with the server is announced
// with how long crier will wait for it.
func loginMastodon(ctx context.Context, server string, lio loginIO) error {
	base, err := serverArg(server)
	if err != nil {
		return err
	}
	host := base.Host
	server = base.String()
	timeout := lio.timeout
	if timeout <= 0 {
		timeout = loginStepTimeout
	}
	// step runs one exchange with the server, announced, within timeout.
	step := func(what string, fn func(context.Context) error) error {
		fmt.Fprintf(lio.out, "%s (waiting up to %s)... ", what, roundWait(timeout))
		sctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if err := fn(sctx); err != nil {
			fmt.Fprintln(lio.out, "failed.")
			return err
		}
		fmt.Fprintln(lio.out, "done.")
		return nil
	}

	var id, secret string
	if err := step("Registering crier with "+host, func(ctx context.Context) (err error) {
		id, secret, err = mastodon.RegisterApp(ctx, server, "crier", mastodon.Scopes)
		return err
	}); err != nil {
		return loginFailure(ctx, base, timeout, "crier could not register itself with "+host, err, map[int]string{
			http.StatusNotFound: host + " does not look like a Mastodon server: it has no place for apps to register (/api/v1/apps). " +
				"Check the address: it is the server your account is on, such as mastodon.social.",
		})
	}
	verifier, challenge := mastodon.NewPKCE()
	fmt.Fprintf(lio.out, "\nOpen this address in a browser, sign in to %s and approve crier:\n\n  %s\n\nThen paste the code the server shows here: ",
		host, mastodon.AuthorizeURL(server, id, mastodon.Scopes, challenge))
	code, err := bufio.NewReader(lio.in).ReadString('\n')
	code = strings.TrimSpace(code)
	if code == "" {
		if err != nil && !errors.Is(err, io.EOF) {
			return &loginError{msg: "crier could not read the code you pasted; nothing was saved. Run crier login again.", detail: err.Error()}
		}
		return &loginError{msg: "no code was pasted; nothing was saved. Run crier login again when you have the browser at hand."}
	}
	var token string
	if err := step("Checking the code with "+host, func(ctx context.Context) (err error) {
		token, err = mastodon.ExchangeCode(ctx, server, id, secret, code, verifier)
		return err
	}); err != nil {
		codeRefused := host + " did not accept the code: it may be mistyped, or already used (each code works once). " +
			"Run crier login again for a new one."
		return loginFailure(ctx, base, timeout, "crier could not turn the code into a token", err, map[int]string{
			http.StatusBadRequest: codeRefused, http.StatusUnauthorized: codeRefused, http.StatusForbidden: codeRefused,
		})
	}
	var handle string
	if err := step("Checking the new token", func(ctx context.Context) (err error) {
		handle, err = mastodon.New(server, token).AccountHandle(ctx)
		return err
	}); err != nil {
		return loginFailure(ctx, base, timeout, "the token "+host+" gave does not work", err, nil)
	}

	path := filepath.Join(lio.configDir, "mastodon-"+host+".token")
	if err := os.MkdirAll(lio.configDir, 0o700); err != nil {
		return &loginError{msg: fmt.Sprintf("crier could not make the folder %s for the token; check that you may write there, then run crier login again.", lio.configDir),
			detail: err.Error()}
	}
	if err := mastodon.SaveToken(path, token); err != nil {
		return &loginError{msg: fmt.Sprintf("crier could not save the token in %s; check that you may write there, then run crier login again.", path),
			detail: err.Error()}
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

// loginFailure words a failed exchange with the server at base: a wait that
// ran out, the network's own words for a connection that failed, or
// byStatus's words for the server's answer; the raw error goes after it.
func loginFailure(ctx context.Context, base *url.URL, timeout time.Duration, what string, err error, byStatus map[int]string) error {
	host := base.Host
	detail := platforms.Detail(err)
	var pe *platforms.Error
	errors.As(err, &pe)
	var ne net.Error
	switch {
	case ctx.Err() != nil:
		return &loginError{msg: "the login was stopped; nothing was saved.", detail: detail}
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return &loginError{msg: fmt.Sprintf("%s did not answer within %s; nothing was saved. "+
			"Check the address and that the server is up (open %s in a browser), then run crier login again.",
			host, roundWait(timeout), base), detail: detail}
	case pe != nil && pe.Status != 0 && byStatus[pe.Status] != "":
		return &loginError{msg: byStatus[pe.Status], detail: detail}
	case pe != nil && pe.Status != 0:
		return &loginError{msg: fmt.Sprintf("%s: %s answered %q; nothing was saved. Run crier login again later, or ask the server's admin.",
			what, host, pe.Reason), detail: detail}
	case pe != nil:
		return &loginError{msg: fmt.Sprintf("%s: %s; nothing was saved. Run crier login again once that is fixed.", what, pe.Reason),
			detail: detail}
	}
	return &loginError{msg: what + "; nothing was saved.", detail: detail}
}

// roundWait is a wait as a person reads it: whole seconds, or milliseconds
// under one.
func roundWait(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Second)
}

// serverArg reads the SERVER argument of crier login mastodon: a host name
// ("mastodon.social"), optionally with a port, or an http(s) address without
// a path. Anything else is refused with what is wrong and how to write it.
func serverArg(arg string) (*url.URL, error) {
	s := strings.TrimSpace(arg)
	example := "for example: crier login mastodon mastodon.social"
	bad := func(format string, args ...any) error {
		return &loginError{msg: fmt.Sprintf(format, args...)}
	}
	if s == "" {
		return nil, bad("give the address of your Mastodon server, %s", example)
	}
	if strings.HasPrefix(s, "@") || (strings.Contains(s, "@") && !strings.Contains(s, "://")) {
		server := s[strings.LastIndex(s, "@")+1:]
		return nil, bad("%q looks like an account, not a server: give the server it is on, as in: crier login mastodon %s", s, server)
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, bad("%q is not a server address (%v); write it as a name such as mastodon.social, %s", arg, err, example)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, bad("%q starts with %s://, but crier talks to Mastodon servers over https; %s", arg, u.Scheme, example)
	case u.Host == "":
		return nil, bad("%q has no server name after %s://; %s", arg, u.Scheme, example)
	case u.User != nil:
		return nil, bad("%q has an account or password in it; give only the server, %s", arg, example)
	case strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "":
		return nil, bad("%q is a page on a server; give only the server's address: crier login mastodon %s", arg, u.Host)
	}
	name := u.Hostname()
	if lower := strings.ToLower(name); (lower == "https" || lower == "http") && strings.HasSuffix(u.Host, ":") {
		// "https:" typed without the slashes and the name.
		return nil, bad("%q has no server name after %s:; %s", arg, lower, example)
	}
	if strings.HasSuffix(u.Host, ":") {
		return nil, bad("%q has no port number after the colon; %s", arg, example)
	}
	if name == "" || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.Contains(name, "..") {
		return nil, bad("%q: %q is not a server name; %s", arg, name, example)
	}
	if ip := net.ParseIP(name); ip == nil {
		for _, r := range name {
			if !(r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127) {
				return nil, bad("%q: a server name cannot contain %q; %s", arg, r, example)
			}
		}
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
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
	if _, err := serverArg(args[1]); err != nil {
		fmt.Fprintf(stderr, "crier: %v\n", err)
		return exitUsage
	}
	home, _ := os.UserHomeDir()
	// The person has this long to approve crier in the browser; each
	// exchange with the server has loginStepTimeout.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	if err := loginMastodon(ctx, args[1], loginIO{in: stdin, out: stdout, configDir: configDir(os.Getenv, home)}); err != nil {
		fmt.Fprintf(stderr, "crier: %v\n", err)
		return 1
	}
	return 0
}
