package platforms

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
)

// DescribeNetworkError says in a person's words why a request to host got
// no answer: "bsky.social did not answer in time", "nothing answers at
// 127.0.0.1:2583 (connection refused)". It names what happened, not Go's
// error chain; the raw error belongs in the log (see Detail).
func DescribeNetworkError(host string, err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "the server name " + host + " was not found (check the address in the config, and that this computer is online)"
	case errors.As(err, &dnsErr):
		return "the server name " + host + " could not be looked up (is this computer online?)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "nothing answers at " + host + " (connection refused: the server is down or the address is wrong)"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return host + " cannot be reached from here (no route: is this computer online?)"
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		return host + "'s security certificate is not valid, so crier did not talk to it"
	case errors.As(err, &recordErr):
		return host + " did not answer in HTTPS (is the address's scheme right?)"
	case errors.Is(err, context.Canceled):
		return "the request to " + host + " was stopped"
	case isTimeout(err):
		return host + " did not answer in time"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection to " + host + " broke off before it answered"
	}
	return "the request to " + host + " failed (" + err.Error() + ")"
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// Detail is the raw text of what went wrong underneath an error, for the
// log: the wrapped error of a *Error, or err itself.
func Detail(err error) string {
	var pe *Error
	if errors.As(err, &pe) && pe.Err != nil {
		return pe.Err.Error()
	}
	return err.Error()
}
