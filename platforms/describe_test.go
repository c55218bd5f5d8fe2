package platforms

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Real failures from net/http, described in a person's words: no Go error
// chain, the host named.
func TestDescribeNetworkError(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(time.Second):
		}
	}))
	defer slow.Close()
	hangUp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _, _ := w.(http.Hijacker).Hijack()
		c.Close()
	}))
	defer hangUp.Close()
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()

	for _, tc := range []struct {
		name, url string
		timeout   time.Duration
		want      string
	}{
		{"refused", "http://" + closed + "/", 0, "nothing answers at " + closed},
		{"no such host", "http://no-such-host.invalid/", 0, "no-such-host.invalid was not found"},
		{"timeout", slow.URL, 100 * time.Millisecond, "did not answer in time"},
		{"hang-up", hangUp.URL, 0, "broke off"},
		{"bad certificate", tlsSrv.URL, 0, "certificate is not valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &http.Client{Timeout: tc.timeout}
			req, _ := http.NewRequest(http.MethodPost, tc.url, strings.NewReader("x"))
			_, err := c.Do(req)
			if err == nil {
				t.Fatal("no error")
			}
			got := DescribeNetworkError(req.URL.Host, err)
			if !strings.Contains(got, tc.want) {
				t.Fatalf("DescribeNetworkError(%v) = %q, want it to say %q", err, got, tc.want)
			}
			for _, raw := range []string{"dial tcp", "context deadline", "Client.Timeout", "EOF", "x509"} {
				if strings.Contains(got, raw) {
					t.Errorf("%q carries Go's words %q", got, raw)
				}
			}
		})
	}
}
