package abtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/crier-app/crier/store"
)

// PlanSpec says how to schedule a test.
type PlanSpec struct {
	Variants []store.ABVariant // in label order
	// Pattern "days": each round puts the variants at the same time of day
	// on the next days that have a slot at that time (Tue A, Wed B);
	// "weeks": in the same weekly slot in consecutive weeks. The order of
	// the variants turns by one each round (A B, then B A), so no variant
	// always has the better day.
	Pattern string
	Slots   []store.QueueSlot // the weekly times to use, read in Loc
	From    time.Time         // the first round starts after this
	Rounds  int               // how many rounds (a round posts every variant once)
	Loc     *time.Location
	// Free, when set, says whether an instant may take a post: a slot of
	// every account of the test that no other post takes. A round uses
	// only instants it accepts.
	Free func(at time.Time) bool
}

// planGap is how many days apart two variants of a round of "days" may go
// out at most: Fri then Mon for a weekday schedule, never a week apart.
const planGap = 3

// Plan draws a test's plan: Rounds rounds, each a matched set of slots, one
// per variant, in time order. A round starts at a weekly slot after From
// and puts the other variants at the same time on the next days with that
// slot ("days") or in the weeks after it ("weeks"); a start whose set would
// reuse a time taken by an earlier round, or one Free refuses, is passed
// over.
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
	has := map[store.QueueSlot]bool{}
	for _, sl := range slots {
		has[sl] = true
	}
	var plan []store.ABPlanSlot
	used := map[int64]bool{}
	usable := func(t time.Time) bool { return !used[t.UnixMilli()] && (s.Free == nil || s.Free(t)) }
	local := s.From.In(s.Loc)
	round := 0
	for i := 0; round < s.Rounds && i < 3*366; i++ {
		day := time.Date(local.Year(), local.Month(), local.Day()+i, 12, 0, 0, 0, s.Loc) // its date: noon always exists
		for _, sl := range slots {
			if round == s.Rounds || sl.Weekday != day.Weekday() {
				continue
			}
			times := matchedSlots(s.Pattern, sl, day, k, has, s.Loc)
			if len(times) < k || !times[0].After(s.From) || !allOf(times, usable) {
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
		return nil, fmt.Errorf("could fit only %d of %d rounds into the free slots of the next three years", round, s.Rounds)
	}
	sort.SliceStable(plan, func(i, j int) bool { return plan[i].At.Before(plan[j].At) })
	return plan, nil
}

// matchedSlots are the k instants of a round that starts at slot sl on
// day: the same time on the next days that have it as a slot (each within
// planGap days a variant of the first), or in the next weeks. Fewer
// than k when the days run out.
func matchedSlots(pattern string, sl store.QueueSlot, day time.Time, k int, has map[store.QueueSlot]bool, loc *time.Location) []time.Time {
	step, reach := 1, planGap*(k-1)+1
	if pattern == "weeks" {
		step, reach = 7, 7*k
	}
	var out []time.Time
	for d := 0; d < reach && len(out) < k; d += step {
		on := time.Date(day.Year(), day.Month(), day.Day()+d, 12, 0, 0, 0, loc)
		if has[store.QueueSlot{Weekday: on.Weekday(), Minute: sl.Minute}] {
			out = append(out, sl.On(on, loc))
		}
	}
	return out
}

func allOf(ts []time.Time, ok func(time.Time) bool) bool {
	for _, t := range ts {
		if !ok(t) {
			return false
		}
	}
	return true
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

// PlanTest draws a plan for a stored test and saves it. Each account of
// the test gets every variant in matched slots of its own weekly schedule
// that no post of its queue and no other planned test takes. Accounts with
// the same schedule share the posts; accounts with different ones are
// planned each in their own slots, and an instant that is a slot of two
// such accounts is left to neither (the plan names its accounts by their
// slots).
func PlanTest(ctx context.Context, st *store.Store, testID int64, from time.Time, rounds int) ([]store.ABPlanSlot, error) {
	t, err := st.ABTest(ctx, testID)
	if err != nil {
		return nil, err
	}
	if len(t.Accounts) == 0 {
		return nil, fmt.Errorf("A/B test %q goes to no account", t.Name)
	}
	scheds := make([]store.QueueSchedule, len(t.Accounts))
	taken := make([]map[int64]bool, len(t.Accounts))
	names := make([]string, len(t.Accounts))
	for i, a := range t.Accounts {
		names[i] = accountName(ctx, st, a)
		if scheds[i], err = st.QueueSchedule(ctx, a); err != nil {
			return nil, err
		}
		if len(scheds[i].Slots) == 0 {
			return nil, fmt.Errorf("A/B test %q posts in the weekly slots of %s, which has none: set them in the queue view (Q, then e)",
				t.Name, names[i])
		}
		instants, err := st.TakenSlots(ctx, a, testID, from, from.Add(store.QueueHorizon))
		if err != nil {
			return nil, err
		}
		taken[i] = make(map[int64]bool, len(instants))
		for _, at := range instants {
			taken[i][at.UnixMilli()/60000] = true
		}
	}
	// First every account in the same instants (free slots they share);
	// failing that, each schedule in its own.
	all := make([]int, len(scheds))
	for i := range all {
		all[i] = i
	}
	plan, err := planGroups(t, scheds, taken, names, [][]int{all}, from, rounds)
	if groups := sameSchedules(scheds); err != nil && len(groups) > 1 {
		plan, err = planGroups(t, scheds, taken, names, groups, from, rounds)
	}
	if err != nil {
		return nil, fmt.Errorf("A/B test %q: %w", t.Name, err)
	}
	sort.SliceStable(plan, func(i, j int) bool { return plan[i].At.Before(plan[j].At) })
	if err := st.SetABPlan(ctx, testID, plan); err != nil {
		return nil, err
	}
	return st.ABPlan(ctx, testID)
}

// planGroups plans each group of accounts (indexes into scheds) in the
// slots all its accounts have and none of the other groups' accounts has.
func planGroups(t store.ABTest, scheds []store.QueueSchedule, taken []map[int64]bool, names []string, groups [][]int,
	from time.Time, rounds int) ([]store.ABPlanSlot, error) {
	var plan []store.ABPlanSlot
	for _, group := range groups {
		free := func(at time.Time) bool {
			for i, sch := range scheds {
				inGroup := slices.Contains(group, i)
				if inGroup && (taken[i][at.UnixMilli()/60000] || !sch.Has(at)) || !inGroup && sch.Has(at) {
					return false
				}
			}
			return true
		}
		first := scheds[group[0]]
		part, err := Plan(PlanSpec{Variants: t.Variants, Pattern: t.Pattern, Slots: first.Slots, From: from, Rounds: rounds,
			Loc: first.Location(), Free: free})
		if err != nil {
			var on []string
			for _, i := range group {
				on = append(on, names[i])
			}
			if len(group) > 1 {
				err = fmt.Errorf("%w (each time a free slot of each)", err)
			}
			return nil, fmt.Errorf("in the queue of %s: %w", strings.Join(on, " and "), err)
		}
		plan = append(plan, part...)
	}
	return plan, nil
}

// sameSchedules groups schedules (by index) whose slots are the same
// instants: the same zone and the same weekly times.
func sameSchedules(scheds []store.QueueSchedule) [][]int {
	var groups [][]int
	for i, sch := range scheds {
		found := false
		for g, group := range groups {
			o := scheds[group[0]]
			if o.Location().String() == sch.Location().String() && slices.Equal(o.Slots, sch.Slots) {
				groups[g] = append(group, i)
				found = true
				break
			}
		}
		if !found {
			groups = append(groups, []int{i})
		}
	}
	return groups
}

// accountName names an account in an error ("bluesky @bakery.example").
func accountName(ctx context.Context, st *store.Store, id int64) string {
	a, err := st.Account(ctx, id)
	if err != nil {
		return fmt.Sprintf("account %d", id)
	}
	return string(a.Platform) + " " + a.Handle
}
