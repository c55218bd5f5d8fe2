// Package plausible is a client of Plausible Analytics' Stats API v2
// (POST /api/v2/query, a bearer token) and the pull the scheduler's sync
// makes with it: visits, conversions and revenue per day and UTM campaign,
// source and content, written into the store as an import. The client is
// plain net/http and imports nothing of crier's; Pull imports the store.
package plausible

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is Plausible's own service; a self-hosted Plausible has
// its own address.
const DefaultBaseURL = "https://plausible.io"

// HourlyLimit is how many requests a key may make an hour by default.
const HourlyLimit = 600

// Client asks one Plausible server.
type Client struct {
	BaseURL   string // "" is DefaultBaseURL
	Token     string // a Stats API key
	HTTP      *http.Client
	UserAgent string
}

// Query is the body of POST /api/v2/query.
type Query struct {
	SiteID     string      `json:"site_id"`
	Metrics    []string    `json:"metrics"`
	DateRange  any         `json:"date_range"` // "7d", "30d", ... or [first, last] ISO dates
	Dimensions []string    `json:"dimensions,omitempty"`
	Filters    []any       `json:"filters,omitempty"`
	OrderBy    [][2]string `json:"order_by,omitempty"`
	Include    *Include    `json:"include,omitempty"`
	Pagination *Pagination `json:"pagination,omitempty"`
}

// Include asks for extra data in the answer's meta.
type Include struct {
	Imports    bool `json:"imports,omitempty"`
	TimeLabels bool `json:"time_labels,omitempty"`
	TotalRows  bool `json:"total_rows,omitempty"`
}

// Pagination pages through results (the server's default: 10,000 from 0).
type Pagination struct {
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// MaxLimit is the most results one page holds.
const MaxLimit = 10000

// Days is a date range of two ISO dates, both included.
func Days(first, last string) [2]string { return [2]string{first, last} }

// Response is the answer to a query.
type Response struct {
	Results []Result        `json:"results"`
	Meta    Meta            `json:"meta"`
	Query   json.RawMessage `json:"query"`
}

// Result is one row: the values of the query's dimensions, then its
// metrics, in the query's order.
type Result struct {
	Dimensions []json.RawMessage `json:"dimensions"`
	Metrics    []json.RawMessage `json:"metrics"`
}

// Meta is what the server says about the answer.
type Meta struct {
	TotalRows      *int                     `json:"total_rows,omitempty"`
	MetricWarnings map[string]MetricWarning `json:"metric_warnings,omitempty"`
	TimeLabels     []string                 `json:"time_labels,omitempty"`
	ImportsWarning string                   `json:"imports_warning,omitempty"`
}

// MetricWarning says why a metric came back null (revenue without a
// revenue goal, or goals in several currencies).
type MetricWarning struct {
	Code    string `json:"code"`
	Warning string `json:"warning"`
}

// Revenue is a revenue metric's value. Value is kept as the server wrote
// it, so it converts to minor units exactly.
type Revenue struct {
	Value    json.Number `json:"value"`
	Currency string      `json:"currency"`
	Short    string      `json:"short"`
	Long     string      `json:"long"`
}

// Dimension reads dimension i as text.
func (r Result) Dimension(i int) (string, error) {
	if i >= len(r.Dimensions) {
		return "", fmt.Errorf("no dimension %d", i)
	}
	var s string
	if err := json.Unmarshal(r.Dimensions[i], &s); err != nil {
		return string(r.Dimensions[i]), nil // a number: its text
	}
	return s, nil
}

// Int reads metric i as a whole number (false for null).
func (r Result) Int(i int) (int64, bool, error) {
	if i >= len(r.Metrics) || string(r.Metrics[i]) == "null" {
		return 0, false, nil
	}
	var n json.Number
	if err := json.Unmarshal(r.Metrics[i], &n); err != nil {
		return 0, false, fmt.Errorf("metric %d is %s, not a number", i, r.Metrics[i])
	}
	if v, err := n.Int64(); err == nil {
		return v, true, nil
	}
	f, err := n.Float64()
	if err != nil {
		return 0, false, err
	}
	return int64(f), true, nil
}

// Revenue reads metric i as revenue (false for null).
func (r Result) Revenue(i int) (Revenue, bool, error) {
	if i >= len(r.Metrics) || string(r.Metrics[i]) == "null" {
		return Revenue{}, false, nil
	}
	var v Revenue
	dec := json.NewDecoder(bytes.NewReader(r.Metrics[i]))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return v, false, fmt.Errorf("metric %d is %s, not revenue", i, r.Metrics[i])
	}
	return v, true, nil
}

// Error is an answer the server refused, with what it said.
type Error struct {
	Status  int
	Message string // the server's "error"
}

func (e *Error) Error() string {
	switch e.Status {
	case http.StatusUnauthorized:
		return "Plausible refused the API key (401): " + e.Message +
			" Make a Stats API key in Plausible (your account's settings, API Keys) and give it to crier."
	case http.StatusPaymentRequired:
		return "Plausible says the account's plan has no Stats API (402): " + e.Message
	case http.StatusBadRequest:
		return "Plausible refused the query (400): " + e.Message
	case http.StatusNotFound:
		return "Plausible has no such page (404): is the server's address right? " + e.Message
	}
	return fmt.Sprintf("Plausible answered %d: %s", e.Status, e.Message)
}

// Temporary reports an error worth retrying later (the server failing).
func (e *Error) Temporary() bool { return e.Status >= 500 }

// RateLimitError is a 429: the key has made its hourly number of requests.
type RateLimitError struct {
	Message    string
	Limit      int           // requests an hour, from the message (HourlyLimit when it does not say)
	RetryAfter time.Duration // from Retry-After when sent; else an hour's share of the limit
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("Plausible's rate limit (429, %d requests an hour): %s Trying again in %s.",
		e.Limit, e.Message, e.RetryAfter.Round(time.Second))
}

var limitInMessage = regexp.MustCompile(`limited to (\d+) requests`)

// ErrAnswer is wrapped by errors about an answer that is not the documented
// shape.
var ErrAnswer = errors.New("Plausible's answer is not what its API documents")

// Query runs a query.
func (c *Client) Query(ctx context.Context, q Query) (*Response, error) {
	if q.SiteID == "" {
		return nil, errors.New("plausible: no site_id (the site's domain as Plausible knows it)")
	}
	body, err := json.Marshal(q)
	if err != nil {
		return nil, err
	}
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.JoinPath(base, "/api/v2/query")
	if err != nil {
		return nil, fmt.Errorf("plausible: the server address %q: %w", base, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("plausible: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("plausible: reading the answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		msg := strings.TrimSpace(string(data))
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		if len(msg) > 500 {
			msg = msg[:500] + "…"
		}
		if resp.StatusCode == http.StatusTooManyRequests {
			rl := &RateLimitError{Message: msg, Limit: HourlyLimit}
			if m := limitInMessage.FindStringSubmatch(msg); m != nil {
				rl.Limit, _ = strconv.Atoi(m[1])
			}
			rl.RetryAfter = time.Hour / time.Duration(max(rl.Limit, 1))
			if ra := resp.Header.Get("Retry-After"); ra != "" {
				if s, err := strconv.Atoi(ra); err == nil {
					rl.RetryAfter = time.Duration(s) * time.Second
				} else if t, err := http.ParseTime(ra); err == nil {
					rl.RetryAfter = time.Until(t)
				}
			}
			return nil, rl
		}
		return nil, &Error{Status: resp.StatusCode, Message: msg}
	}
	var r Response
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAnswer, err)
	}
	for i, row := range r.Results {
		if len(row.Dimensions) != len(q.Dimensions) || len(row.Metrics) != len(q.Metrics) {
			return nil, fmt.Errorf("%w: result %d has %d dimensions and %d metrics, the query asked for %d and %d",
				ErrAnswer, i, len(row.Dimensions), len(row.Metrics), len(q.Dimensions), len(q.Metrics))
		}
	}
	return &r, nil
}

// QueryAll runs a query page by page (MaxLimit results each) and returns
// every result.
func (c *Client) QueryAll(ctx context.Context, q Query) ([]Result, Meta, error) {
	q.Pagination = &Pagination{Limit: MaxLimit}
	if q.Include == nil {
		q.Include = &Include{}
	}
	q.Include.TotalRows = true
	var all []Result
	var meta Meta
	for {
		r, err := c.Query(ctx, q)
		if err != nil {
			return nil, meta, err
		}
		all = append(all, r.Results...)
		meta = r.Meta
		if len(r.Results) < q.Pagination.Limit || (r.Meta.TotalRows != nil && len(all) >= *r.Meta.TotalRows) {
			return all, meta, nil
		}
		q.Pagination.Offset += q.Pagination.Limit
	}
}
