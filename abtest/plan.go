package abtest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/crier-app/crier/store"
)

// PlanSpec says how to schedule a test.
type PlanSpec struct {
	Variants []store.ABVariant // in label order
	// Pattern "days": each round puts the variants in the same slot on
	// consecutive days (Tue A, Wed B); "weeks": in the same slot in
	// consecutive weeks. The order of the variants turns by one each round
	// (A B, then B A), so no variant always has the better day.
	Pattern string
	Slots   []store.QueueSlot // the weekly times to use (one round per slot and week)
	From    time.Time         // the first round starts after this
	Rounds  int               // how many rounds (a round posts every variant once)
	Loc     *time.Location
}

// Plan draws a test's plan: Rounds rounds, each a matched set of slots, one
// per variant, in time order. A round starts at a weekly slot after From
// and puts the other variants at the same time on the days ("days") or in
// the weeks ("weeks") after it; a start whose set would reuse a time taken
// by an earlier round is passed over.
func Plan(s PlanSpec) ([]store.ABPlanSlot, error) {
	k := len(s.Variants)
	switch {
	case k < 2:
		return nil, ErrNoArms
	case len(s.Slots) == 0:
		return nil, errors.New("an A/B plan needs at least one weekly time to post at")
	case s.Rounds < 1:
		return nil, errors.New("an A/B plan needs at least one round")
	case s.Pattern != "days" && s.Pattern != "weeks":
		return nil, fmt.Errorf("variants alternate by \"days\" or \"weeks\", not %q", s.Pattern)
	case s.Loc == nil:
		return nil, errors.New("an A/B plan needs a time zone")
	}
	slots := append([]store.QueueSlot(nil), s.Slots...)
	sort.Slice(slots, func(i, j int) bool { return slots[i].Minute < slots[j].Minute })
	step := 1
	if s.Pattern == "weeks" {
		step = 7
	}
	var plan []store.ABPlanSlot
	used := map[int64]bool{}
	local := s.From.In(s.Loc)
	round := 0
	for i := 0; round < s.Rounds && i < 3*366; i++ {
		day := time.Date(local.Year(), local.Month(), local.Day()+i, 0, 0, 0, 0, s.Loc)
		for _, sl := range slots {
			if round == s.Rounds || sl.Weekday != day.Weekday() {
				continue
			}
			times := make([]time.Time, k)
			free := true
			for v := range k {
				times[v] = sl.On(time.Date(day.Year(), day.Month(), day.Day()+v*step, 12, 0, 0, 0, s.Loc), s.Loc)
				free = free && !used[times[v].UnixMilli()]
			}
			if !times[0].After(s.From) || !free {
				continue
			}
			for pos, t := range times {
				v := s.Variants[(pos+round)%k]
				plan = append(plan, store.ABPlanSlot{Round: round, VariantID: v.ID, Label: v.Label, At: t})
				used[t.UnixMilli()] = true
			}
			round++
		}
	}
	if round < s.Rounds {
		return nil, fmt.Errorf("could not fit %d rounds into the slots given", s.Rounds)
	}
	sort.SliceStable(plan, func(i, j int) bool { return plan[i].At.Before(plan[j].At) })
	return plan, nil
}

// DescribePlan writes a plan as people read it, one round a line:
// "round 1: A Tue 3 Nov 12:30, B Wed 4 Nov 12:30".
func DescribePlan(plan []store.ABPlanSlot, loc *time.Location) string {
	rounds := map[int][]string{}
	var order []int
	for _, p := range plan {
		if _, ok := rounds[p.Round]; !ok {
			order = append(order, p.Round)
		}
		rounds[p.Round] = append(rounds[p.Round], p.Label+" "+p.At.In(loc).Format("Mon 2 Jan 15:04"))
	}
	sort.Ints(order)
	var b strings.Builder
	for _, r := range order {
		fmt.Fprintf(&b, "round %d: %s\n", r+1, strings.Join(rounds[r], ", "))
	}
	return b.String()
}

// PlanTest draws a plan for a stored test from its variants and saves it.
func PlanTest(ctx context.Context, st *store.Store, testID int64, slots []store.QueueSlot, from time.Time, rounds int) ([]store.ABPlanSlot, error) {
	t, err := st.ABTest(ctx, testID)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(t.Zone)
	if err != nil {
		return nil, fmt.Errorf("A/B test %q: zone %q: %w", t.Name, t.Zone, err)
	}
	plan, err := Plan(PlanSpec{Variants: t.Variants, Pattern: t.Pattern, Slots: slots, From: from, Rounds: rounds, Loc: loc})
	if err != nil {
		return nil, fmt.Errorf("A/B test %q: %w", t.Name, err)
	}
	if err := st.SetABPlan(ctx, testID, plan); err != nil {
		return nil, err
	}
	return st.ABPlan(ctx, testID)
}
