package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ABTest is an A/B test of posts: two or more variants of one message,
// posted in matched slots (its plan) on alternating days or weeks, each
// variant's links tagged with its own utm_content.
type ABTest struct {
	ID         int64
	Name       string
	Pattern    string // "days" or "weeks"
	State      string // "planned", "running", "ended"
	Zone       string // IANA zone the plan's times were chosen in
	Source     string // "posts"; "ads" for a paid test imported from an ads export
	CampaignID int64
	Accounts   []int64 // where its posts go
	Variants   []ABVariant
	CreatedAt  time.Time
	StartedAt  time.Time
	EndedAt    time.Time
}

// A/B test states.
const (
	ABPlanned = "planned"
	ABRunning = "running"
	ABEnded   = "ended"
)

// ABVariant is one version of the message.
type ABVariant struct {
	ID         int64
	TestID     int64
	Label      string // A, B, ...
	Body       string
	Media      []Media
	UTMContent string // tags this variant's links (utm_content)
	// Counts from outside the networks' own counters: clicks and
	// conversions from link tracking, or an ads export's impressions,
	// clicks, conversions and spend (RecordABResults).
	Impressions, Clicks, Conversions, SpendCents int64
	ResultsAt                                    time.Time
}

// ABPlanSlot is one post of a test's plan: which variant goes out when.
// Round r holds one slot per variant, matched (same weekday and time, a
// day or a week apart).
type ABPlanSlot struct {
	Round     int
	VariantID int64
	Label     string
	At        time.Time
	PostID    int64 // once the test runs; 0 when deleted
	// Accounts the post goes to: those of the test with a weekly slot at
	// At (each account's own matched slots), or, once it runs, its post's.
	Accounts []int64
}

// ABVariantResult is what a variant's posts did, from the networks'
// counters, as of now.
type ABVariantResult struct {
	ABVariant
	Planned int // posts in the plan
	Sent    int // of them, copies that went out
	// Engagement is likes+reposts+replies+quotes on its copies;
	// FollowerViews the sum over its copies of the account's followers when
	// it went out (the audience each copy reached, roughly). Both count
	// only the copies of complete rounds, those in which every variant has
	// gone out: a round half out would set one variant's posts against
	// nothing of the other's, the newest posts of a running test against
	// older ones.
	Engagement    int64
	FollowerViews int64
	// AllFollowerViews is FollowerViews over every copy that went out,
	// rounds half out too: what clicks, counted by the variant's link
	// tag whichever post brought them, are read against.
	AllFollowerViews int64
}

const (
	abTestSQL = `SELECT id, name, pattern, state, zone, source, coalesce(campaign_id, 0), created_at, started_at, ended_at
		FROM ab_tests WHERE id = ?`
	abTestsSQL = `SELECT id, name, pattern, state, zone, source, coalesce(campaign_id, 0), created_at, started_at, ended_at
		FROM ab_tests ORDER BY id DESC`
	abVariantsSQL = `SELECT id, test_id, label, body, media, utm_content, impressions, clicks, conversions, spend_cents, results_at
		FROM ab_variants WHERE test_id = ? ORDER BY label`
	abAccountsSQL = `SELECT account_id FROM ab_test_accounts WHERE test_id = ? ORDER BY account_id`
	abPlanSQL     = `SELECT p.round, p.variant_id, v.label, p.at, coalesce(p.post_id, 0)
		FROM ab_plan p JOIN ab_variants v ON v.id = p.variant_id WHERE p.test_id = ? ORDER BY p.at`
	abVariantOfPostSQL = `SELECT v.id, v.test_id, v.label, v.body, v.media, v.utm_content, v.impressions, v.clicks, v.conversions,
		v.spend_cents, v.results_at
		FROM ab_plan p JOIN ab_variants v ON v.id = p.variant_id WHERE p.post_id = ?`
	// Each variant's sent copies, their engagement, and the follower count
	// of the account when each went out (the newest snapshot before it, or,
	// for a copy sent before the account's first count, that first count,
	// as the best times read it: its engagement is never counted without
	// the followers it reached).
	// What takes an account's slots between two instants: its copies due
	// then (but dropped ones) and the plans of other planned tests that go
	// to it.
	takenSlotsSQL = `
		SELECT d.due_at FROM deliveries d INDEXED BY deliveries_account_due
		WHERE d.account_id = ?1 AND d.due_at >= ?3 AND d.due_at < ?4 AND d.state <> 'dropped'
		UNION ALL
		SELECT p.at FROM ab_tests JOIN ab_test_accounts a ON a.test_id = ab_tests.id
		JOIN ab_plan p ON p.test_id = a.test_id
		WHERE ab_tests.state = 'planned' AND a.account_id = ?1 AND a.test_id <> ?2 AND p.at >= ?3 AND p.at < ?4`
	// Whether a copy of an account is due in the minute from an instant.
	slotTakenSQL = `SELECT 1 FROM deliveries d INDEXED BY deliveries_account_due
		WHERE d.account_id = ?1 AND d.due_at >= ?2 AND d.due_at < ?2 + 60000 AND d.state <> 'dropped' LIMIT 1`
	planPostAccountsSQL = `SELECT account_id FROM post_targets WHERE post_id = ? ORDER BY account_id`
	abResultsSQL        = `
		SELECT variant_id, count(DISTINCT at), count(copy),
		       coalesce(sum(CASE WHEN complete THEN engagement END), 0),
		       coalesce(sum(CASE WHEN complete THEN followers END), 0), coalesce(sum(followers), 0)
		FROM (SELECT p.variant_id, p.at, d.id AS copy, d.engagement,
		             coalesce((SELECT f.followers FROM follower_snapshots f
		                       WHERE f.account_id = d.account_id AND f.taken_at <= d.sent_at
		                       ORDER BY f.taken_at DESC LIMIT 1),
		                      (SELECT f.followers FROM follower_snapshots f
		                       WHERE f.account_id = d.account_id AND f.taken_at > d.sent_at
		                       ORDER BY f.taken_at LIMIT 1)) AS followers,
		             NOT EXISTS (SELECT 1 FROM ab_plan q WHERE q.test_id = p.test_id AND q.round = p.round
		                         AND NOT EXISTS (SELECT 1 FROM deliveries s WHERE s.post_id = q.post_id AND s.state = 'sent')) AS complete
		      FROM ab_plan p LEFT JOIN deliveries d ON d.post_id = p.post_id AND d.state = 'sent'
		      WHERE p.test_id = ?)
		GROUP BY variant_id`
)

// abQueries are the statements above, for the query plan test.
var abQueries = map[string]string{
	"test":            abTestSQL,
	"tests":           abTestsSQL,
	"variants":        abVariantsSQL,
	"accounts":        abAccountsSQL,
	"plan":            abPlanSQL,
	"variant of post": abVariantOfPostSQL,
	"variant results": abResultsSQL,
	"taken slots":     takenSlotsSQL,
	"slot taken":      slotTakenSQL,
	"post accounts":   planPostAccountsSQL,
}

// TakenSlots lists the instants in [from, to) that an account's queue
// cannot give to a new post: its copies due then (but dropped ones) and the
// plans of the other planned A/B tests that go to it (all but test
// exceptTest). A slot is taken by anything in its minute.
func (s *Store) TakenSlots(ctx context.Context, accountID, exceptTest int64, from, to time.Time) ([]time.Time, error) {
	raw, err := queryInts(ctx, s.db, takenSlotsSQL, accountID, exceptTest, ms(from), ms(to))
	out := make([]time.Time, len(raw))
	for i, v := range raw {
		out[i] = fromMS(v)
	}
	return out, err
}

func scanABTest(row rowScanner) (ABTest, error) {
	var t ABTest
	var created int64
	var started, ended sql.NullInt64
	err := row.Scan(&t.ID, &t.Name, &t.Pattern, &t.State, &t.Zone, &t.Source, &t.CampaignID, &created, &started, &ended)
	t.CreatedAt, t.StartedAt, t.EndedAt = fromMS(created), fromNullMS(started), fromNullMS(ended)
	return t, err
}

func scanABVariant(row rowScanner) (ABVariant, error) {
	var v ABVariant
	var media string
	var results sql.NullInt64
	if err := row.Scan(&v.ID, &v.TestID, &v.Label, &v.Body, &media, &v.UTMContent, &v.Impressions, &v.Clicks,
		&v.Conversions, &v.SpendCents, &results); err != nil {
		return v, err
	}
	v.ResultsAt = fromNullMS(results)
	if err := json.Unmarshal([]byte(media), &v.Media); err != nil {
		return v, fmt.Errorf("variant %d: its images do not read: %w", v.ID, err)
	}
	return v, nil
}

// UTMContentFor is the utm_content a variant's links carry: the test's
// id and the variant's label ("ab3-b").
func UTMContentFor(testID int64, label string) string {
	return fmt.Sprintf("ab%d-%s", testID, strings.ToLower(label))
}

// CreateABTest stores a planned test with its variants (labelled A, B, ...
// in the order given, unless labelled) and accounts, and returns its id.
func (s *Store) CreateABTest(ctx context.Context, t ABTest, now time.Time) (int64, error) {
	switch {
	case strings.TrimSpace(t.Name) == "":
		return 0, errors.New("an A/B test needs a name")
	case len(t.Variants) < 2:
		return 0, fmt.Errorf("A/B test %q needs at least two variants", t.Name)
	case len(t.Variants) > 26:
		return 0, fmt.Errorf("A/B test %q has %d variants; 26 at most", t.Name, len(t.Variants))
	case t.Pattern != "days" && t.Pattern != "weeks":
		return 0, fmt.Errorf("A/B test %q: its variants alternate by \"days\" or \"weeks\", not %q", t.Name, t.Pattern)
	}
	if t.Source == "" {
		t.Source = "posts"
	}
	if t.Source == "posts" && len(t.Accounts) == 0 {
		return 0, fmt.Errorf("A/B test %q needs at least one account to post to", t.Name)
	}
	if _, err := time.LoadLocation(t.Zone); err != nil || t.Zone == "" || t.Zone == "Local" {
		return 0, fmt.Errorf("A/B test %q: zone %q: name an IANA time zone such as Europe/Berlin", t.Name, t.Zone)
	}
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO ab_tests (name, pattern, zone, source, campaign_id, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			t.Name, t.Pattern, t.Zone, t.Source, nullID(t.CampaignID), ms(now)).Scan(&id)
		if err != nil {
			if sqliteCode(err) == 19 {
				return fmt.Errorf("an A/B test named %q exists already", t.Name)
			}
			return err
		}
		for i, v := range t.Variants {
			label := v.Label
			if label == "" {
				label = string(rune('A' + i))
			}
			if strings.TrimSpace(v.Body) == "" && len(v.Media) == 0 && t.Source == "posts" {
				return fmt.Errorf("A/B test %q: variant %s is empty", t.Name, label)
			}
			media, err := json.Marshal(v.Media)
			if err != nil {
				return err
			}
			if v.Media == nil {
				media = []byte("[]")
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO ab_variants (test_id, label, body, media, utm_content) VALUES (?, ?, ?, ?, ?)`,
				id, label, v.Body, string(media), UTMContentFor(id, label)); err != nil {
				if sqliteCode(err) == 19 {
					return fmt.Errorf("A/B test %q: two variants are labelled %s", t.Name, label)
				}
				return err
			}
		}
		for _, a := range t.Accounts {
			if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO ab_test_accounts (test_id, account_id) VALUES (?, ?)", id, a); err != nil {
				return fmt.Errorf("A/B test %q, account %d: %w", t.Name, a, err)
			}
		}
		return nil
	})
	return id, err
}

// ABTest reads a test with its variants and accounts.
func (s *Store) ABTest(ctx context.Context, id int64) (ABTest, error) {
	t, err := scanABTest(s.db.QueryRowContext(ctx, abTestSQL, id))
	if err != nil {
		return t, orNotFound(err, "A/B test %d", id)
	}
	return t, s.abParts(ctx, s.db, &t)
}

func (s *Store) abParts(ctx context.Context, q queryer, t *ABTest) error {
	variants, err := queryAll(ctx, q, scanABVariant, abVariantsSQL, t.ID)
	if err != nil {
		return err
	}
	t.Variants = append(t.Variants, variants...)
	accounts, err := queryInts(ctx, q, abAccountsSQL, t.ID)
	t.Accounts = append(t.Accounts, accounts...)
	return err
}

// ABTests lists every test, the newest first, with variants and accounts.
func (s *Store) ABTests(ctx context.Context) ([]ABTest, error) {
	out, err := queryAll(ctx, s.db, scanABTest, abTestsSQL)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if err := s.abParts(ctx, s.db, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SetABPlan replaces a planned test's plan (package abtest draws one).
func (s *Store) SetABPlan(ctx context.Context, id int64, plan []ABPlanSlot) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var state string
		if err := tx.QueryRowContext(ctx, "SELECT state FROM ab_tests WHERE id = ?", id).Scan(&state); err != nil {
			return orNotFound(err, "A/B test %d", id)
		}
		if state != ABPlanned {
			return fmt.Errorf("A/B test %d is %s: its plan can't change", id, state)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM ab_plan WHERE test_id = ?", id); err != nil {
			return err
		}
		for _, p := range plan {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO ab_plan (test_id, round, variant_id, at) SELECT ?, ?, id, ? FROM ab_variants WHERE id = ? AND test_id = ?`,
				id, p.Round, ms(p.At), p.VariantID, id); err != nil {
				if sqliteCode(err) == 19 {
					return fmt.Errorf("A/B test %d: two posts of the plan are at %s", id, p.At.Format(time.RFC3339))
				}
				return err
			}
		}
		return nil
	})
}

// ABPlan lists a test's plan in time order, each post with its accounts.
func (s *Store) ABPlan(ctx context.Context, id int64) ([]ABPlanSlot, error) {
	plan, err := abPlan(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	accounts, err := queryInts(ctx, s.db, abAccountsSQL, id)
	if err != nil {
		return nil, err
	}
	return plan, planAccounts(ctx, s.db, plan, accounts)
}

func abPlan(ctx context.Context, q queryer, id int64) ([]ABPlanSlot, error) {
	return queryAll(ctx, q, func(rows rowScanner) (ABPlanSlot, error) {
		var p ABPlanSlot
		var at int64
		if err := rows.Scan(&p.Round, &p.VariantID, &p.Label, &at, &p.PostID); err != nil {
			return p, err
		}
		p.At = fromMS(at)
		return p, nil
	}, abPlanSQL, id)
}

// planAccounts says where each post of a plan goes: a queued post's own
// accounts; before that, the test's accounts that have a weekly slot at its
// time (the plan keeps each account in its own slots, and no time in two
// accounts' slots unless they share the post).
func planAccounts(ctx context.Context, q queryer, plan []ABPlanSlot, accounts []int64) error {
	scheds := make([]QueueSchedule, len(accounts))
	for i, a := range accounts {
		var err error
		if scheds[i], err = queueSchedule(ctx, q, a); err != nil {
			return err
		}
	}
	for i := range plan {
		p := &plan[i]
		if p.PostID != 0 {
			ids, err := queryInts(ctx, q, planPostAccountsSQL, p.PostID)
			if err != nil {
				return err
			}
			p.Accounts = ids
			continue
		}
		p.Accounts = nil
		for j, sch := range scheds {
			if sch.Has(p.At) {
				p.Accounts = append(p.Accounts, accounts[j])
			}
		}
	}
	return nil
}

// checkPlanStillHolds refuses to start a plan the queues no longer fit:
// a post no account has a slot for, an account that would not get every
// variant as often as the others, or a slot another post took since.
func checkPlanStillHolds(ctx context.Context, tx *sql.Tx, t ABTest, plan []ABPlanSlot) error {
	perAccount := map[int64]map[int64]int{} // account → variant → posts
	for _, a := range t.Accounts {
		perAccount[a] = map[int64]int{}
	}
	when := func(at time.Time) string { return at.In(testZone(t)).Format("Mon 2 Jan 15:04") }
	for _, p := range plan {
		if len(p.Accounts) == 0 {
			return fmt.Errorf("A/B test %q: %s is no weekly slot of its accounts any more: plan it again", t.Name, when(p.At))
		}
		for _, a := range p.Accounts {
			perAccount[a][p.VariantID]++
			var one int
			switch err := tx.QueryRowContext(ctx, slotTakenSQL, a, ms(p.At)).Scan(&one); {
			case errors.Is(err, sql.ErrNoRows):
				continue
			case err != nil:
				return err
			}
			return fmt.Errorf("A/B test %q: %s has another post at %s, a slot of the plan, since it was planned: plan it again",
				t.Name, accountLabel(ctx, tx, a), when(p.At))
		}
	}
	for a, counts := range perAccount {
		for _, v := range t.Variants {
			if counts[v.ID] == 0 || counts[v.ID] != counts[t.Variants[0].ID] {
				return fmt.Errorf("A/B test %q: the weekly slots of %s changed since it was planned: plan it again",
					t.Name, accountLabel(ctx, tx, a))
			}
		}
	}
	return nil
}

// StartABTest queues the plan: one post per slot, with its variant's text
// and images, to the test's accounts, each copy with its own idempotency
// key. Every slot must be ahead of now (by dueGuard).
func (s *Store) StartABTest(ctx context.Context, id int64, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		t, err := scanABTest(tx.QueryRowContext(ctx, abTestSQL, id))
		if err != nil {
			return orNotFound(err, "A/B test %d", id)
		}
		if t.State != ABPlanned {
			return fmt.Errorf("A/B test %q is %s already", t.Name, t.State)
		}
		if t.Source != "posts" {
			return fmt.Errorf("A/B test %q is imported from ads: crier posts nothing for it", t.Name)
		}
		if err := s.abParts(ctx, tx, &t); err != nil {
			return err
		}
		variants := map[int64]ABVariant{}
		for _, v := range t.Variants {
			variants[v.ID] = v
		}
		plan, err := abPlan(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(plan) == 0 {
			return fmt.Errorf("A/B test %q has no plan yet", t.Name)
		}
		if !plan[0].At.After(now.Add(dueGuard)) {
			return fmt.Errorf("A/B test %q: its first post (%s) is not ahead of now: plan it again", t.Name, plan[0].At.Format(time.RFC3339))
		}
		if err := planAccounts(ctx, tx, plan, t.Accounts); err != nil {
			return err
		}
		if err := checkPlanStillHolds(ctx, tx, t, plan); err != nil {
			return err
		}
		for _, p := range plan {
			v := variants[p.VariantID]
			var pid int64
			if err := tx.QueryRowContext(ctx, `
				INSERT INTO posts (body, state, scheduled_at, scheduled_zone, campaign_id, created_at, updated_at)
				VALUES (?, 'queued', ?, ?, ?, ?, ?) RETURNING id`,
				v.Body, ms(p.At), t.Zone, nullID(t.CampaignID), ms(now), ms(now)).Scan(&pid); err != nil {
				return err
			}
			post := Post{Media: v.Media, Labels: []string{"ab-test"}}
			for _, a := range p.Accounts {
				post.Targets = append(post.Targets, Target{AccountID: a})
			}
			if err := writePostParts(ctx, tx, pid, post); err != nil {
				return err
			}
			for _, a := range p.Accounts {
				if _, err := tx.ExecContext(ctx, `
					INSERT INTO deliveries (post_id, account_id, state, due_at, idempotency_key) VALUES (?, ?, 'queued', ?, ?)`,
					pid, a, ms(p.At), NewIdempotencyKey()); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, "UPDATE ab_plan SET post_id = ? WHERE test_id = ? AND at = ?", pid, id, ms(p.At)); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, "UPDATE ab_tests SET state = 'running', started_at = ? WHERE id = ?", ms(now), id)
		return err
	})
}

// EndABTest ends a test: its posts still queued and untried are taken
// back (deleted); what went out stays, and so do its results.
func (s *Store) EndABTest(ctx context.Context, id int64, now time.Time) (removed int, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		err := mustChange(ctx, tx, fmt.Errorf("A/B test %d: %w, or has ended", id, ErrNotFound),
			"UPDATE ab_tests SET state = 'ended', ended_at = ? WHERE id = ? AND state <> 'ended'", ms(now), id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `
			DELETE FROM posts WHERE id IN (SELECT post_id FROM ab_plan WHERE test_id = ? AND post_id IS NOT NULL)
			  AND state = 'queued'
			  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.post_id = posts.id AND (d.state <> 'queued' OR d.attempts > 0 OR d.due_at <= ?))`,
			id, ms(now.Add(dueGuard)))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		removed = int(n)
		return nil
	})
	return removed, err
}

// RecordABResults keeps a variant's counts from outside the networks: the
// clicks and conversions link tracking saw for its utm_content, or an ads
// export's impressions, clicks, conversions and spend. They replace the
// ones recorded before.
func (s *Store) RecordABResults(ctx context.Context, variantID int64, impressions, clicks, conversions, spendCents int64, at time.Time) error {
	if impressions < 0 || clicks < 0 || conversions < 0 || spendCents < 0 {
		return fmt.Errorf("variant %d: counts can't be negative", variantID)
	}
	return mustChange(ctx, s.db, fmt.Errorf("variant %d: %w", variantID, ErrNotFound), `
		UPDATE ab_variants SET impressions = ?, clicks = ?, conversions = ?, spend_cents = ?, results_at = ? WHERE id = ?`,
		impressions, clicks, conversions, spendCents, ms(at), variantID)
}

// ABVariantOfPost says which A/B variant a post is (ok false for none), so
// its links can be tagged with the variant's utm_content.
func (s *Store) ABVariantOfPost(ctx context.Context, postID int64) (ABVariant, bool, error) {
	v, err := scanABVariant(s.db.QueryRowContext(ctx, abVariantOfPostSQL, postID))
	if errors.Is(err, sql.ErrNoRows) {
		return v, false, nil
	}
	return v, err == nil, err
}

// ABResults reads what each variant's posts did so far, in label order.
func (s *Store) ABResults(ctx context.Context, id int64) ([]ABVariantResult, error) {
	t, err := s.ABTest(ctx, id)
	if err != nil {
		return nil, err
	}
	got := map[int64]ABVariantResult{}
	err = eachRow(ctx, s.db, abResultsSQL, []any{id}, func(rows rowScanner) error {
		var r ABVariantResult
		var vid int64
		if err := rows.Scan(&vid, &r.Planned, &r.Sent, &r.Engagement, &r.FollowerViews, &r.AllFollowerViews); err != nil {
			return err
		}
		got[vid] = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]ABVariantResult, len(t.Variants))
	for i, v := range t.Variants {
		out[i] = got[v.ID]
		out[i].ABVariant = v
	}
	return out, nil
}

// testZone is the zone a test's times are read in (UTC if the system does
// not know it).
func testZone(t ABTest) *time.Location {
	if loc, err := time.LoadLocation(t.Zone); err == nil {
		return loc
	}
	return time.UTC
}
