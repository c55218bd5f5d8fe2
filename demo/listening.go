package demo

import (
	"cmp"
	"context"
	"iter"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/crier-app/crier/store"
)

// What social listening found, and how fast the bakery answered its inbox:
// the posts its listening terms turned up over the history (mostly other
// people's baking, some about the bakery, a few unhappy), and, for most of
// the items the demo marks done, when the first reply went out, so the
// KPIs pane has first-response times.

// listenTerm is a term one account listens for and how often it finds
// something.
type listenTerm struct {
	term    string
	perDay  float64  // posts found on an ordinary weekday
	weekend float64  // how much busier Saturday and Sunday are
	texts   []string // positive and neutral ones
	unhappy []string // negative ones
	sadOdds float64  // share of unhappy posts
}

var (
	termSourdough = listenTerm{
		term: "#sourdough", perDay: 0.25, weekend: 1.8, sadOdds: 0.18,
		texts: []string{
			"Day {n} of feeding my starter and it finally doubled overnight {happy} #sourdough",
			"Sunday bake: two loaves, one for us and one for the neighbours. Open crumb at last! #sourdough",
			"Nothing beats a slice of warm #sourdough with salted butter {food}",
			"Pushed the hydration to 80% today. Sticky, but the crumb is worth it. #sourdough #bread",
			"Tried the {bread} from Rye and Shine and now I get why people love it. Back to practising my own #sourdough.",
			"My starter is called Gerald and he is thriving. #sourdough",
			"Scoring practice paid off: the ear finally showed up {happy} #sourdough",
			"Anyone else bake their #sourdough in a Dutch oven? Lid on for 20, off for 25?",
			"The {bread} at Rye and Shine is the #sourdough everything else gets measured against round here.",
			"{today} is baking day: two batches of #sourdough on the go {food}",
			"First loaf from the rye flour I bought at Rye and Shine. Dense, tangy, lovely. #sourdough",
		},
		unhappy: []string{
			"Flat as a pancake again. I don't know what I'm doing wrong with my #sourdough {sad}",
			"Paid €{price} for a #sourdough loaf at the station and it was stale by lunch. Terrible.",
			"Gave up on my #sourdough starter. It smells awful and won't rise.",
			"Burnt the bottom of my #sourdough again. So annoying.",
			"Rye and Shine's #sourdough used to be great, but this week's loaf was dry and sad.",
		},
	}
	termBrand = listenTerm{
		term: "rye and shine", perDay: 0.16, weekend: 1.4, sadOdds: 0.22,
		texts: []string{
			"Rye and Shine's {onepastry} is worth the queue. {n} minutes well spent {happy}",
			"If you're anywhere near {street}, go to Rye and Shine. Trust me. {food}",
			"Rye and Shine has the best {bread} in the city, fight me",
			"Birthday breakfast from Rye and Shine {happy}",
			"Working from the window seat at Rye and Shine today. Great coffee, greater {pastry}.",
			"Does anyone know if Rye and Shine does gluten-free bread?",
			"Is Rye and Shine open on {day}s?",
			"Rye and Shine or the place by the station? Need bread for {occasion}.",
			"Took my {relation} to Rye and Shine. We left with three bags. {happy}",
		},
		unhappy: []string{
			"Waited {n2} minutes at Rye and Shine and they'd sold out of {pastry} by 9. Disappointing.",
			"Rye and Shine put their prices up again. €{price} for a loaf is ridiculous.",
			"Bit disappointed with Rye and Shine today: rude at the counter and a burnt {bread}.",
			"Rye and Shine got my order wrong twice this month. Not great.",
			"Love Rye and Shine, hate the queue. Forty minutes in the rain, no thanks.",
		},
	}
	termShopLocal = listenTerm{
		term: "#shoplocal", perDay: 0.18, weekend: 1.5, sadOdds: 0.2,
		texts: []string{
			"Saturday rounds: books from Page & Plant, cheese from the market, bread from Rye and Shine. #shoplocal",
			"Our high street has the best independent shops. Support them! #shoplocal",
			"Bought every present this year from {neighbour}. #shoplocal",
			"The market on Market Square is back every Saturday {happy} #shoplocal",
			"Coffee from Bean There, a {onepastry} from Rye and Shine. Perfect morning. #shoplocal",
			"New shop opening on {street} next week, can't wait! #shoplocal #smallbusiness",
		},
		unhappy: []string{
			"Another empty shop front on {street}. Rents are killing small businesses. #shoplocal",
			"Sad to see the florist on {street} close. #shoplocal while you still can.",
			"Parking on {street} is a nightmare, no wonder the shops struggle. #shoplocal",
		},
	}
	termFlatWhite = listenTerm{
		term: "#flatwhite", perDay: 0.3, weekend: 1.2, sadOdds: 0.15,
		texts: []string{
			"A proper #flatwhite and a {onepastry}. Monday fixed.",
			"Best #flatwhite in town is at Rye and Shine Café {happy}",
			"Oat milk #flatwhite, window seat, rain outside. Bliss.",
			"Third #flatwhite of the day and it's not even noon {food}",
		},
		unhappy: []string{
			"Lukewarm #flatwhite this morning. Sad start to the day.",
			"€{price} for a #flatwhite now? That's ridiculous.",
		},
	}
	termCafe = listenTerm{
		term: "rye and shine café", perDay: 0.15, weekend: 1.6, sadOdds: 0.25,
		texts: []string{
			"Rye and Shine Café has the comfiest window seats in the city.",
			"Brunch at Rye and Shine Café with my {relation}. The {pastry} were gone in minutes {happy}",
			"Rye and Shine Café does a great {onepastry}, and the staff are lovely.",
		},
		unhappy: []string{
			"Rye and Shine Café was so crowded I couldn't find a seat. Annoying.",
			"The wifi at Rye and Shine Café keeps dropping. Frustrating when you're trying to work.",
		},
	}
)

// listenTerms are each demo account's terms, by handle.
var listenTerms = map[string][]listenTerm{
	bakeryMastodon.handle: {termSourdough, termBrand, termShopLocal},
	bakeryBluesky.handle:  {termSourdough, termBrand},
	cafeMastodon.handle:   {termFlatWhite, termCafe},
	cafeBluesky.handle:    {termCafe},
}

// listeningLargeRate multiplies the rates in the large build: the busy
// bakery and café of three years that get 500k inbox items are talked
// about accordingly, about 70k posts found.
const listeningLargeRate = 30

// writeListening adds what listening found and the replies, in one
// transaction (set up for bulk writing in the large build, as writeHistory
// is), then builds the inbox indexes the large build went without.
func (g *gen) writeListening(ctx context.Context) error {
	return g.load.Load(ctx, g.writeHeard, g.writeReplies, func(ctx context.Context, tx *store.LoadTx) error {
		return tx.RestoreInboxIndexes(ctx)
	})
}

// writeHeard draws each term's posts day by day: a few a day at most,
// busier at weekends and lately, and one day in the last month when a
// local paper wrote about the bakery and everyone talked about it.
func (g *gen) writeHeard(ctx context.Context, tx *store.LoadTx) error {
	w, err := tx.Rows(ctx, "inbox_items",
		"id", "account_id", "platform", "remote_id", "kind", "term", "author_handle", "author_name", "author_followers",
		"body", "url", "received_at", "state", "is_read", "sentiment", "question",
		"heard", // set here, it spares the inbox_heard trigger an UPDATE per row
		"class", "search_key")
	if err != nil {
		return err
	}
	mult := 1.0
	if g.sz.name == "large" {
		mult = listeningLargeRate * g.sz.scale
	}
	paper := pick(g.r, organisations[:3]).name
	pressDay := g.sz.days - 12 - g.r.IntN(14)
	pressTexts := []string{
		"Just read the " + paper + " piece on Rye and Shine. Didn't know they start baking at 4am!",
		"Rye and Shine in the " + paper + " today {happy} well deserved",
		"Saw the article about Rye and Shine in the " + paper + ". Going this weekend.",
		"Great read in the " + paper + " about Rye and Shine and their mill. More of this please.",
	}
	last := g.now.Add(-time.Minute)
	for _, a := range g.accounts {
		terms := listenTerms[a.handle]
		if len(terms) == 0 {
			continue
		}
		// People, not the local paper: organisations don't post about their
		// starters.
		people := slices.DeleteFunc(g.authors(a.platform, max(40, g.sz.authors/4)), func(p *author) bool {
			return slices.ContainsFunc(organisations, func(o struct{ name, user string }) bool { return p.name == o.name })
		})
		for _, lt := range terms {
			for day := 0; day <= g.sz.days; day++ {
				rate := lt.perDay * mult * (0.7 + 0.6*float64(day)/float64(g.sz.days)) // a growing audience
				if wd := g.day(day).Weekday(); wd == time.Saturday || wd == time.Sunday {
					rate *= lt.weekend
				}
				press := lt.term == termBrand.term && (day == pressDay || day == pressDay+1)
				if press {
					rate += 4 * mult / float64(day-pressDay+1)
				}
				for range poisson(g, rate) {
					t := g.at(day, 7+g.r.IntN(16), g.r.IntN(60)).Add(time.Duration(g.r.IntN(60_000)) * time.Millisecond)
					if !t.Before(last) {
						continue
					}
					g.f.when = t.In(g.zone)
					tmpl, unhappy := pick(g.r, lt.texts), false
					switch {
					case press && chance(g.r, 0.6):
						tmpl = pick(g.r, pressTexts)
					case chance(g.r, lt.sadOdds):
						tmpl, unhappy = pick(g.r, lt.unhappy), true
					}
					body := g.heardText(tmpl, unhappy)
					who := people[int(float64(len(people))*math.Pow(g.r.Float64(), 1.3))]
					g.idSeq++
					remoteID, url := remoteRef(a.platform, who, t, g.idSeq)
					state, read := g.heardTriage(t)
					tn := g.toneOf(body, store.KindListening)
					g.inboxID++
					w.Add(g.inboxID, a.id, a.platform, remoteID, string(store.KindListening), lt.term, who.handle,
						who.name, who.followers, tn.text, url, t.UnixMilli(), string(state), read, tn.score, tn.asks, true,
						tn.class, g.searchKey(t.UnixMilli()))
					if state == store.InboxDone {
						g.doneHeard = append(g.doneHeard, answerable{id: g.inboxID, account: a.id, kind: store.KindListening,
							term: lt.term, received: t.UnixMilli(), asks: tn.asks, score: tn.score, who: who, body: tn.text})
					}
				}
			}
		}
	}
	return w.Close()
}

// heardText fills a template and adds what people add around a post: a
// lead-in, a trailing emoji or aside, or a hurried lower-case start.
func (g *gen) heardText(tmpl string, unhappy bool) string {
	body := g.f.fill(tmpl)
	switch {
	case chance(g.r, 0.15):
		body = pick(g.r, []string{"PSA: ", "Honestly? ", "Okay. ", "Update: ", "Hot take: "}) + body
	case chance(g.r, 0.12) && !strings.HasPrefix(body, "Rye"):
		body = casual(body) // typed on a phone
	}
	if chance(g.r, 0.35) {
		tails := []string{g.f.slot("happy"), g.f.slot("food"), "(not sponsored)", "10/10", "👀", "Thoughts?",
			"#" + strings.ToLower(g.f.when.Weekday().String())}
		if unhappy {
			tails = []string{g.f.slot("sad"), "Thoughts?", "🙃", "Just saying."}
		}
		body += " " + pick(g.r, tails)
	}
	return body
}

// heardTriage is what the user has done with a post listening found: the
// last days' mostly still there to look at, older ones looked at and put
// away.
func (g *gen) heardTriage(t time.Time) (store.InboxState, bool) {
	age := g.now.Sub(t)
	switch {
	case age < 48*time.Hour:
		return store.InboxOpen, chance(g.r, 0.4)
	case age < 7*24*time.Hour && chance(g.r, 0.4):
		return store.InboxOpen, chance(g.r, 0.8)
	case age >= 7*24*time.Hour && chance(g.r, 0.02):
		return store.InboxOpen, true
	}
	return store.InboxDone, true
}

// poisson draws how many events happen at an average rate (Knuth's way;
// the rates here are small). Large rates are drawn from the normal
// approximation.
func poisson(g *gen, rate float64) int {
	if rate <= 0 {
		return 0
	}
	if rate > 30 {
		return max(0, int(math.Round(rate+math.Sqrt(rate)*g.r.NormFloat64())))
	}
	limit, k, p := math.Exp(-rate), 0, 1.0
	for {
		p *= g.r.Float64()
		if p <= limit {
			return k
		}
		k++
	}
}

// replyOdds is the share of done items the bakery answered, by what they
// were: nearly every question, complaint and direct message; some praise;
// little chatter. Of what listening found, mostly the unhappy posts about
// the bakery itself.
func replyOdds(kind store.InboxKind, term string, fl flavour) float64 {
	switch {
	case kind == store.KindListening && fl == complaint && (term == termBrand.term || term == termCafe.term):
		return 0.6
	case kind == store.KindListening && fl == question && (term == termBrand.term || term == termCafe.term):
		return 0.5
	case kind == store.KindListening:
		return 0.02
	case kind == store.KindDM:
		return 0.9
	case fl == question:
		return 0.85
	case fl == complaint:
		return 0.8
	case fl == praise:
		return 0.35
	}
	return 0.15
}

// answerable is a done item the reply pass may answer. The large build
// keeps half a million of them, so it holds what they say and who said it
// by reference.
type answerable struct {
	id       int64
	account  int64
	kind     store.InboxKind
	term     string
	received int64 // ms since the epoch
	asks     bool
	score    float64
	who      *author
	body     string
}

func byReceived(a, b answerable) int {
	if c := cmp.Compare(a.received, b.received); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// oldestFirst yields the items of two lists, each sorted by byReceived,
// in that order.
func oldestFirst(a, b []answerable) iter.Seq[*answerable] {
	return func(yield func(*answerable) bool) {
		for len(a) > 0 || len(b) > 0 {
			var it *answerable
			if len(b) == 0 || len(a) > 0 && byReceived(a[0], b[0]) < 0 {
				it, a = &a[0], a[1:]
			} else {
				it, b = &b[0], b[1:]
			}
			if !yield(it) {
				return
			}
		}
	}
}

// writeReplies answers a share of the done items, oldest first: the time
// the bakery's first reply went out (replied_at), as the scheduler sets it,
// and the reply itself (writeAnswers).
func (g *gen) writeReplies(ctx context.Context, tx *store.LoadTx) error {
	g.tones = nil // every text is scored and written
	inbox, heard := g.done, g.doneHeard
	g.done, g.doneHeard = nil, nil
	slices.SortFunc(inbox, byReceived) // written in that order already
	slices.SortFunc(heard, byReceived)
	replied, err := tx.PrepareContext(ctx, "UPDATE inbox_items SET replied_at = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer replied.Close()
	var answers []answer
	for it := range oldestFirst(inbox, heard) {
		if !chance(g.r, replyOdds(it.kind, it.term, flavourOf(it.asks, it.score))) {
			continue
		}
		at, ok := g.replyTime(time.UnixMilli(it.received))
		if !ok {
			continue
		}
		if _, err := replied.ExecContext(ctx, at.UnixMilli(), it.id); err != nil {
			return err
		}
		answers = append(answers, answer{item: it, sent: at})
	}
	return g.writeAnswers(ctx, tx, answers)
}

// flavourOf reads back what an item was from its scores: VADER's negative
// cut-off makes a complaint, a question mark a question, a warm score praise.
func flavourOf(asks bool, score float64) flavour {
	switch {
	case score <= store.NegativeSentiment:
		return complaint
	case asks:
		return question
	case score >= 0.3:
		return praise
	}
	return chatter
}

// replyTime is when the bakery's first answer to something received at t
// went out: a wait of about an hour and a half (half of them between 40
// minutes and four hours, a few much longer), moved to the next morning
// when it falls in the night. ok is false when that is not yet.
func (g *gen) replyTime(t time.Time) (time.Time, bool) {
	wait := time.Duration(math.Exp(math.Log(float64(100*time.Minute))+0.9*g.r.NormFloat64())) + 3*time.Minute
	at := t.Add(min(wait, 4*24*time.Hour)).In(g.zone)
	if h := at.Hour(); h >= 22 || h < 7 {
		day := at
		if h >= 22 {
			day = at.AddDate(0, 0, 1)
		}
		at = time.Date(day.Year(), day.Month(), day.Day(), 7, 30, 0, 0, g.zone).
			Add(time.Duration(g.r.IntN(100)) * time.Minute)
	}
	at = at.UTC().Truncate(time.Millisecond)
	return at, at.Before(g.now.Add(-time.Minute))
}
