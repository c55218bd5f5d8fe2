package mastodon_test

import (
	"maps"
	"testing"

	"github.com/crier-app/crier/platforms/mastodon"
)

func TestParseLinks(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want map[string]string
	}{
		{"mastodon's two links",
			[]string{`<https://ex.social/api/v1/notifications?max_id=7>; rel="next", <https://ex.social/api/v1/notifications?min_id=9>; rel="prev"`},
			map[string]string{"next": "https://ex.social/api/v1/notifications?max_id=7", "prev": "https://ex.social/api/v1/notifications?min_id=9"}},
		{"separate header lines",
			[]string{`<https://a/?max_id=1>; rel="next"`, `<https://a/?min_id=2>; rel="prev"`},
			map[string]string{"next": "https://a/?max_id=1", "prev": "https://a/?min_id=2"}},
		{"unquoted, upper case, extra params",
			[]string{`<https://a/x>;title="a, b; c";REL=Next ;type=text/html`},
			map[string]string{"next": "https://a/x"}},
		{"several relations in one",
			[]string{`<https://a/p>; rel="prev previous"`},
			map[string]string{"prev": "https://a/p", "previous": "https://a/p"}},
		{"comma inside the URL",
			[]string{`<https://a/?types[]=a,b>; rel="next"`},
			map[string]string{"next": "https://a/?types[]=a,b"}},
		{"first link of a relation wins",
			[]string{`<https://a/1>; rel="next", <https://a/2>; rel="next"`},
			map[string]string{"next": "https://a/1"}},
		{"only the first rel parameter counts",
			[]string{`<https://a/1>; rel="next"; rel="prev"`},
			map[string]string{"next": "https://a/1"}},
		{"escaped quote in a parameter",
			[]string{`<https://a/1>; title="say \"hi\", ok"; rel=next`},
			map[string]string{"next": "https://a/1"}},
		{"link without rel is ignored",
			[]string{`<https://a/1>; title="x", <https://a/2>; rel=prev`},
			map[string]string{"prev": "https://a/2"}},
		{"garbage is skipped",
			[]string{`nonsense, <https://a/2>; rel=prev, <broken`},
			map[string]string{"prev": "https://a/2"}},
		{"mastodon's link with no rel on the second", // as in the notifications docs
			[]string{`<https://m.example/api/v1/notifications?max_id=34975535>; rel="next", <https://m.example/api/v1/notifications?min_id=34975861>;`},
			map[string]string{"next": "https://m.example/api/v1/notifications?max_id=34975535"}},
		{"empty", nil, map[string]string{}},
	}
	for _, tt := range tests {
		if got := mastodon.ParseLinks(tt.in); !maps.Equal(got, tt.want) {
			t.Errorf("%s: ParseLinks(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestLinksStayOnTheServer: a paging link is followed on the server crier
// was set up with, whatever host the server names in it: GoToSocial with
// host "localhost" leaves out its port, a proxy in front of a server is not
// named at all, and the bearer token must never go to another host.
func TestLinksStayOnTheServer(t *testing.T) {
	for _, tc := range []struct {
		base, link, want string
	}{
		{"http://localhost:8080", "http://localhost/api/v1/notifications?min_id=5", "http://localhost:8080/api/v1/notifications?min_id=5"},
		{"http://localhost:8080", "http://localhost:8080/api/v1/notifications?min_id=5", "http://localhost:8080/api/v1/notifications?min_id=5"},
		{"http://127.0.0.1:9999", "http://localhost/api/v1/notifications?min_id=5", "http://127.0.0.1:9999/api/v1/notifications?min_id=5"},
		{"https://social.example", "http://social.example/api/v1/conversations?max_id=9", "https://social.example/api/v1/conversations?max_id=9"},
		{"https://social.example", "https://evil.example/api/v1/notifications?max_id=1", "https://social.example/api/v1/notifications?max_id=1"},
		{"https://social.example", "/api/v1/notifications?max_id=1", "https://social.example/api/v1/notifications?max_id=1"},
	} {
		got, err := mastodon.LinkTarget(tc.base, tc.link)
		if err != nil || got != tc.want {
			t.Errorf("%s from %s: %q, %v; want %q", tc.link, tc.base, got, err, tc.want)
		}
	}
}
