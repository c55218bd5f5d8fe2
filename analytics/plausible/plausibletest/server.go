// Package plausibletest is a Plausible Stats API v2 server for tests,
// written from Plausible's documentation (docs/stats-api.md and the
// example answers beside it): POST /api/v2/query with a bearer token, the
// query body, results as {"dimensions": [...], "metrics": [...]} with
// "meta" and "query", "(not set)" for a visit without a UTM value,
// revenue as {value, currency, short, long} or null with a metric warning,
// pagination with total_rows, and the documented errors: 401 for a
// missing or wrong key or site, 429 past the hourly limit, 400 for a query
// it cannot answer. It answers from the visits and goal completions a test
// gives it.
package plausibletest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Visit is a number of visits a day with their UTM values ("" for none)
// and the source Plausible gave them.
type Visit struct {
	Day                                  string // YYYY-MM-DD, the site's time zone
	Campaign, UTMSource, Content, Source string
	Visits, Visitors                     int
}

// Completion is a number of completions of a goal; Revenue ("12.34") for a
// revenue goal.
type Completion struct {
	Day                                  string
	Campaign, UTMSource, Content, Source string
	Goal                                 string
	Events                               int
	Revenue                              string
}

// Server is the test server.
type Server struct {
	*httptest.Server
	Token string
	Sites []string
	// Limit is how many requests a key may make before 429 (0: 600).
	Limit int
	// RevenueGoals are the goals with revenue, and their currency.
	RevenueGoals map[string]string

	mu          sync.Mutex
	visits      []Visit
	completions []Completion
	requests    int
	fail        int // answer 503 to the next fail requests
	queries     []json.RawMessage
}

// New starts a server for one key and site.
func New(token, site string) *Server {
	s := &Server{Token: token, Sites: []string{site}, RevenueGoals: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// AddVisits adds visits.
func (s *Server) AddVisits(v ...Visit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.visits = append(s.visits, v...)
}

// AddCompletions adds goal completions.
func (s *Server) AddCompletions(c ...Completion) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.completions = append(s.completions, c...)
}

// FailNext makes the next n requests answer 503.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = n
}

// Requests is how many requests reached the server.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Queries are the bodies the server was sent.
func (s *Server) Queries() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.queries)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

type query struct {
	SiteID     string            `json:"site_id"`
	Metrics    []string          `json:"metrics"`
	DateRange  json.RawMessage   `json:"date_range"`
	Dimensions []string          `json:"dimensions"`
	Filters    []json.RawMessage `json:"filters"`
	OrderBy    [][2]string       `json:"order_by"`
	Include    map[string]bool   `json:"include"`
	Pagination *struct {
		Limit  int `json:"limit"`
		Offset int `json:"offset"`
	} `json:"pagination"`
}

var (
	visitMetrics = map[string]bool{"visitors": true, "visits": true}
	goalMetrics  = map[string]bool{"events": true, "total_revenue": true, "visitors": true}
	knownMetrics = map[string]bool{"visitors": true, "visits": true, "pageviews": true, "views_per_visit": true,
		"bounce_rate": true, "visit_duration": true, "events": true, "scroll_depth": true, "percentage": true,
		"conversion_rate": true, "group_conversion_rate": true, "average_revenue": true, "total_revenue": true,
		"time_on_page": true}
	dimensionOf = map[string]func(day, campaign, utmSource, content, source, goal string) string{
		"time:day":           func(d, _, _, _, _, _ string) string { return d },
		"visit:utm_campaign": func(_, c, _, _, _, _ string) string { return c },
		"visit:utm_source":   func(_, _, u, _, _, _ string) string { return u },
		"visit:utm_content":  func(_, _, _, c, _, _ string) string { return c },
		"visit:source":       func(_, _, _, _, s, _ string) string { return s },
		"event:goal":         func(_, _, _, _, _, g string) string { return g },
	}
)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/v2/query" {
		fail(w, http.StatusNotFound, "Not found")
		return
	}
	if r.Method != http.MethodPost {
		fail(w, http.StatusMethodNotAllowed, "Method not allowed")
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var q query
	jsonErr := json.Unmarshal(body, &q)
	s.mu.Lock()
	s.requests++
	s.queries = append(s.queries, json.RawMessage(body))
	failing := s.fail > 0
	if failing {
		s.fail--
	}
	n := s.requests
	s.mu.Unlock()
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		fail(w, http.StatusUnauthorized, "Missing API key. Please use a valid Plausible API key as a Bearer Token.")
		return
	}
	if strings.TrimSpace(token) != s.Token || (jsonErr == nil && q.SiteID != "" && !slices.Contains(s.Sites, q.SiteID)) {
		fail(w, http.StatusUnauthorized, "Invalid API key or site ID. Please make sure you're using a valid API key with access to the site you've requested.")
		return
	}
	limit := s.Limit
	if limit == 0 {
		limit = 600
	}
	if n > limit {
		fail(w, http.StatusTooManyRequests, fmt.Sprintf("Too many API requests. Your API key is limited to %d requests per hour. Please contact us to request more capacity.", limit))
		return
	}
	if failing {
		fail(w, http.StatusServiceUnavailable, "Service unavailable")
		return
	}
	if jsonErr != nil {
		fail(w, http.StatusBadRequest, "Invalid request body: "+jsonErr.Error())
		return
	}
	if q.SiteID == "" {
		fail(w, http.StatusBadRequest, "Missing site ID. Please provide the required site_id parameter with your request.")
		return
	}
	from, to, err := dateRange(q.DateRange)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	if len(q.Metrics) == 0 {
		fail(w, http.StatusBadRequest, "#/metrics: Expected a minimum of 1 items")
		return
	}
	byGoal := slices.Contains(q.Dimensions, "event:goal")
	goalFilter, err := goalFilterOf(q.Filters)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	for _, m := range q.Metrics {
		switch {
		case !knownMetrics[m]:
			fail(w, http.StatusBadRequest, fmt.Sprintf("#/metrics/0: Invalid metric \"%s\"", m))
			return
		case (m == "total_revenue" || m == "conversion_rate") && !byGoal && goalFilter == nil:
			fail(w, http.StatusBadRequest, fmt.Sprintf("Metric `%s` can only be queried with event:goal filters or dimensions.", m))
			return
		case byGoal || goalFilter != nil:
			if !goalMetrics[m] {
				fail(w, http.StatusBadRequest, fmt.Sprintf("this test server answers %s only without goals", m))
				return
			}
		case !visitMetrics[m]:
			fail(w, http.StatusBadRequest, fmt.Sprintf("this test server does not compute %s", m))
			return
		}
	}
	for _, d := range q.Dimensions {
		if dimensionOf[d] == nil {
			fail(w, http.StatusBadRequest, fmt.Sprintf("#/dimensions/0: Invalid dimension \"%s\"", d))
			return
		}
	}
	notSet := func(v string) string {
		if v == "" {
			return "(not set)"
		}
		return v
	}
	type group struct {
		dims    []string
		metrics map[string]float64
		revenue map[string]bool // the goal was a revenue goal
	}
	groups := map[string]*group{}
	var order []string
	add := func(day, campaign, utm, content, source, goal string, vals map[string]float64, revenueGoal bool) {
		dims := make([]string, len(q.Dimensions))
		for i, d := range q.Dimensions {
			v := dimensionOf[d](day, campaign, utm, content, source, goal)
			if d != "time:day" && d != "event:goal" {
				v = notSet(v)
			}
			dims[i] = v
		}
		k := strings.Join(dims, "\x00")
		g := groups[k]
		if g == nil {
			g = &group{dims: dims, metrics: map[string]float64{}, revenue: map[string]bool{}}
			groups[k] = g
			order = append(order, k)
		}
		for m, v := range vals {
			g.metrics[m] += v
		}
		if revenueGoal {
			g.revenue["yes"] = true
		}
	}
	s.mu.Lock()
	if byGoal || goalFilter != nil {
		for _, c := range s.completions {
			if c.Day < from || c.Day > to || (goalFilter != nil && !slices.Contains(goalFilter, c.Goal)) {
				continue
			}
			rev, _ := strconv.ParseFloat(c.Revenue, 64)
			_, isRevenue := s.RevenueGoals[c.Goal]
			add(c.Day, c.Campaign, c.UTMSource, c.Content, c.Source, c.Goal,
				map[string]float64{"events": float64(c.Events), "visitors": float64(c.Events), "total_revenue": rev}, isRevenue)
		}
	} else {
		for _, v := range s.visits {
			if v.Day < from || v.Day > to {
				continue
			}
			add(v.Day, v.Campaign, v.UTMSource, v.Content, v.Source, "",
				map[string]float64{"visits": float64(v.Visits), "visitors": float64(v.Visitors)}, false)
		}
	}
	s.mu.Unlock()
	// The documented default order: the time dimension ascending, then the
	// first metric descending.
	timeAt := slices.Index(q.Dimensions, "time:day")
	sort.SliceStable(order, func(i, j int) bool {
		a, b := groups[order[i]], groups[order[j]]
		if timeAt >= 0 && a.dims[timeAt] != b.dims[timeAt] {
			return a.dims[timeAt] < b.dims[timeAt]
		}
		if ma, mb := a.metrics[q.Metrics[0]], b.metrics[q.Metrics[0]]; ma != mb {
			return ma > mb
		}
		return strings.Join(a.dims, "\x00") < strings.Join(b.dims, "\x00")
	})
	limit, offset := 10000, 0
	if q.Pagination != nil {
		limit, offset = q.Pagination.Limit, q.Pagination.Offset
	}
	type result struct {
		Dimensions []string `json:"dimensions"`
		Metrics    []any    `json:"metrics"`
	}
	results := []result{}
	revenueNull := true
	cur := ""
	for _, c := range s.RevenueGoals {
		cur = c
	}
	for i := offset; i < len(order) && i < offset+limit; i++ {
		g := groups[order[i]]
		res := result{Dimensions: g.dims}
		for _, m := range q.Metrics {
			if m == "total_revenue" {
				if !g.revenue["yes"] {
					res.Metrics = append(res.Metrics, nil)
					continue
				}
				revenueNull = false
				v := g.metrics[m]
				res.Metrics = append(res.Metrics, map[string]any{"value": json.Number(strconv.FormatFloat(v, 'f', -1, 64)),
					"currency": cur, "short": fmt.Sprintf("%.1f", v), "long": fmt.Sprintf("%.2f", v)})
				continue
			}
			res.Metrics = append(res.Metrics, int64(g.metrics[m]))
		}
		results = append(results, res)
	}
	meta := map[string]any{}
	if q.Include["total_rows"] {
		meta["total_rows"] = len(order)
	}
	if slices.Contains(q.Metrics, "total_revenue") && revenueNull {
		meta["metric_warnings"] = map[string]any{"total_revenue": map[string]string{"code": "no_revenue_goals_matching",
			"warning": "Revenue metrics are null as there are no matching revenue goals."}}
	}
	echo := map[string]any{"site_id": q.SiteID, "metrics": q.Metrics, "date_range": []string{from + "T00:00:00+00:00", to + "T23:59:59+00:00"},
		"dimensions": q.Dimensions, "filters": q.Filters, "include": q.Include,
		"pagination": map[string]int{"limit": limit, "offset": offset}}
	writeJSON(w, http.StatusOK, map[string]any{"results": results, "meta": meta, "query": echo})
}

// dateRange reads a date_range: two ISO dates, or "all".
func dateRange(raw json.RawMessage) (string, string, error) {
	var pair []string
	if err := json.Unmarshal(raw, &pair); err == nil && len(pair) == 2 {
		for _, d := range pair {
			if _, err := time.Parse(time.DateOnly, d[:min(len(d), 10)]); err != nil {
				return "", "", fmt.Errorf("#/date_range: Invalid date_range %s", raw)
			}
		}
		return pair[0][:10], pair[1][:10], nil
	}
	var word string
	if err := json.Unmarshal(raw, &word); err == nil && word == "all" {
		return "0000-00-00", "9999-99-99", nil
	}
	return "", "", fmt.Errorf("#/date_range: Invalid date_range %s (this test server takes two dates or \"all\")", raw)
}

// goalFilterOf reads an ["is", "event:goal", [...]] filter, the only kind
// this server applies.
func goalFilterOf(filters []json.RawMessage) ([]string, error) {
	var goals []string
	for _, f := range filters {
		var parts []json.RawMessage
		if err := json.Unmarshal(f, &parts); err != nil || len(parts) < 3 {
			return nil, fmt.Errorf("#/filters/0: Invalid filter %s", f)
		}
		var op, dim string
		json.Unmarshal(parts[0], &op)
		json.Unmarshal(parts[1], &dim)
		if op != "is" || dim != "event:goal" {
			return nil, fmt.Errorf("this test server applies only [\"is\", \"event:goal\", [...]] filters, not %s", f)
		}
		var clauses []string
		if err := json.Unmarshal(parts[2], &clauses); err != nil {
			return nil, fmt.Errorf("#/filters/0: Invalid filter %s", f)
		}
		goals = append(goals, clauses...)
	}
	return goals, nil
}
