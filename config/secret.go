package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Secret returns the account's token or app password: the named variable
// for env:VAR, the file's contents (surrounding whitespace trimmed) for
// file:PATH, or the credential itself. Errors name the account and, for
// env: and file:, the source, but never an inline secret.
func (a Account) Secret(getenv func(string) string) (string, error) {
	s, err := secret("account "+a.label(), "credential", a.Credential, getenv)
	return s, where(err, a.where)
}

// Secret returns Plausible's Stats API key, read as an account's
// credential is (env:VAR, file:PATH or the key itself). Errors name the
// setting, never an inline key.
func (p Plausible) Secret(getenv func(string) string) (string, error) {
	s, err := secret("marketing.plausible", "api_key", p.APIKey, getenv)
	return s, where(err, p.where)
}

// where adds to an error the setting's place in the file, when known.
func where(err error, place string) error {
	if err != nil && place != "" {
		return fmt.Errorf("%w (%s)", err, place)
	}
	return err
}

// secret resolves a credential c of the setting key of who.
func secret(who, key, c string, getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	switch {
	case c == "":
		return "", fmt.Errorf("%s: no %s; set it to env:VAR, file:PATH or the secret itself", who, key)
	case strings.HasPrefix(c, "env:"):
		name := strings.TrimPrefix(c, "env:")
		if name == "" {
			return "", fmt.Errorf("%s: %s env: names no variable", who, key)
		}
		secret := strings.TrimSpace(getenv(name))
		if secret == "" {
			return "", fmt.Errorf("%s: %s %s: the variable is unset or empty", who, key, c)
		}
		return secret, nil
	case strings.HasPrefix(c, "file:"):
		path := strings.TrimPrefix(c, "file:")
		if path == "" {
			return "", fmt.Errorf("%s: %s file: names no file", who, key)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("%s: %s %s: cannot read it: %w", who, key, c, unwrapPath(err))
		}
		secret := strings.TrimSpace(string(data))
		if secret == "" {
			return "", fmt.Errorf("%s: %s %s: the file is empty", who, key, c)
		}
		return secret, nil
	default:
		return c, nil
	}
}

// label names the account in messages: its name if it has one, else its
// handle and platform.
func (a Account) label() string {
	switch {
	case a.Name != "":
		return fmt.Sprintf("%q", a.Name)
	case a.Handle == "":
		return "(no name or handle)"
	case a.Platform != "":
		return fmt.Sprintf("%s on %s", a.Handle, a.Platform)
	}
	return a.Handle
}

// unwrapPath strips the path from a file error, since the message already
// names it, while keeping the cause for errors.Is.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
