package sentiment

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// VADER alone reads a business inbox badly: "Do you sell your starter? Mine
// just died" is its most negative message and "my order was wrong and
// nobody answered the phone" a neutral one. Classify reads what a message
// is instead: a complaint (something went wrong, or displeases), a question
// to the business (information, or something it should do), praise, or the
// rest. It weighs cues a person would hear, in English, German and Spanish:
// the product gone wrong (burnt, stale, mould), the order (wrong, missing,
// never arrived), the service (rude, nobody answered), waiting, refunds and
// charges, prices, things sold out or shut; negation ("not fresh", "no
// complaints"); a "but" before the point; food slang that VADER takes
// literally ("killer buns", "to die for"); who a question is for (you, or
// anyone); and how the message came: a direct message is meant for the
// business by definition. Complaints are more often put than said, so how
// a message is put is heard too: what was expected against what came
// ("ordered X, got Y"), a cost or a size that changed, a question that
// reproaches, tries that got nowhere, praise of the past, a claim in
// quotation marks, sarcasm. VADER's score is one cue among them.

// Class is what a message is, for triage.
type Class string

const (
	Complaint Class = "complaint"
	Question  Class = "question"
	Praise    Class = "praise"
	Other     Class = "other"
	// Concern is a message with no complaint said outright, but something
	// that did not happen or is not so ("half of them had the wrong
	// fillings, people couldn't eat"): maybe a complaint. Classify reads
	// it; a person labelling messages would choose one of the other four.
	Concern Class = "concern"
)

// Classes lists the classes a person labels a message with, most urgent
// first.
var Classes = []Class{Complaint, Question, Praise, Other}

// Channel is how a message reached the business.
type Channel int

const (
	// Reply is an answer to one of the business's posts.
	Reply Channel = iota
	// Mention names the business in a post of its own.
	Mention
	// Quote shares one of the business's posts with a comment, for the
	// quoter's own followers.
	Quote
	// Direct is a private message to the business.
	Direct
	// Overheard is a public post found by social listening: about the
	// business, not to it.
	Overheard
)

// Reading is what Classify heard in a message.
type Reading struct {
	Class Class
	// Complaint and Praise are the weight of the cues found for each.
	Complaint, Praise float64
	// Asks is true when the message asks the business something.
	Asks bool
	// Cues names what was heard, for a person reading why ("wrong order",
	// "refund").
	Cues []string
	// VADER is VADER's compound score of the text without food slang.
	VADER float64
}

// Classify reads what text is, as it came by ch.
func Classify(text string, ch Channel) Class { return Read(text, ch).Class }

// Read is Classify with the reasons.
func Read(text string, ch Channel) Reading {
	m := newMessage(text)
	var r Reading
	lex := lexicon()
	matched := make([]bool, len(m.toks))
	praiseAt := map[int]bool{} // where praise was heard, for sarcasm
	signOff := 0.0             // praise heard in a closing "thanks"
	// Longer phrases first: "nobody answered" is one cue, not "nobody" and
	// a stray "answered".
	lex.cues.each(m.toks, matched, func(c cue, spans []span) {
		for _, sp := range spans {
			// A cue that carries its own negation ("no hay ningún pedido",
			// "nunca recogí porque no estaba hecha") is not turned by one
			// before it.
			negated := m.negatedAt(sp.from) && !lex.negators[c.words[0]] && !lex.negationBound[strings.Join(c.words, "_")]
			switch {
			case c.kind == cueComplaint && negated && lex.owed[c.name] && !m.hypothetical(sp.from):
				// "I haven't been refunded", "no refund yet": what is
				// owed did not come.
				r.Complaint += c.weight
				r.Cues = append(r.Cues, "no "+c.name)
			case c.kind == cueComplaint && negated:
				// "not bad", "no complaints", "never had a bad loaf".
				r.Praise += 1.5
				r.Cues = append(r.Cues, "not "+c.name)
			case c.kind == cueComplaint && m.hypothetical(sp.from):
				// "Can I get a refund if I can't make it?": asked
				// about, not told.
			case c.kind == cueComplaint && strings.HasPrefix(c.name, "used to") && m.bySelf(sp.from):
				// "I used to be a pastry chef": the writer's past.
			case c.kind == cueComplaint && lex.negationBound[c.name] && m.selfNegated(sp.from):
				// "I can't make it anymore": the writer can't.
			case c.kind == cueComplaint && lex.praiseSlang[c.name] && m.delight():
				// "ok the pistachio croissant is ridiculous 😭😭"
				r.Praise += 2
				praiseAt[sp.from] = true
			case c.kind == cueComplaint:
				w := c.weight
				if m.afterContrast(sp.from) {
					w++ // "lovely bread, but that's getting steep"
				}
				if w < 2 && sp.from > 0 && lex.intensifiers[m.toks[sp.from-1]] {
					w++ // "so salty", "echt trocken", "muy seco"
				}
				r.Complaint += w
				r.Cues = append(r.Cues, c.name)
			case c.kind == cuePraise && m.quoted[sp.from]:
				// "the "fresh" croissants": the business's word, doubted.
			case c.kind == cuePraise && negated:
				// "not fresh", "nicht schön", "no es aceptable".
				r.Complaint += 1.5
				r.Cues = append(r.Cues, "not "+c.name)
			case c.kind == cuePraise && m.inQuestion(sp.from):
				// "is it good?", "worth the trip?": hoped for, not said.
			case c.kind == cuePraise && m.inThePast(sp.from):
				// "they used to be so good", "die waren mal so gut":
				// praise of what is gone.
				r.Complaint += 1.5
				r.Cues = append(r.Cues, "used to be "+c.name)
			case c.kind == cuePraise:
				r.Praise += c.weight
				praiseAt[sp.from] = true
				if lex.thanks[c.name] && m.signsOff(sp) {
					signOff += c.weight
				}
			case c.kind == cueAgain:
				r.Cues = append(r.Cues, c.name)
				m.hasAgain = true
			case c.kind == cueForgot && !m.bySelf(sp.from):
				r.Complaint += c.weight
				r.Cues = append(r.Cues, c.name)
			}
			for i := sp.from; i < sp.to; i++ {
				matched[i] = true
			}
		}
	})
	if r.Complaint >= 1.5 || perItemRE.MatchString(m.raw) {
		// "… I'll bake my own, thanks", "… Danke.": manners, or worse,
		// after a complaint; no praise.
		r.Praise -= signOff
	}
	cued := r.Complaint > 0
	r.Asks = m.asks(ch)
	m.structure(&r, praiseAt)
	m.quotedClaims(&r)
	m.sarcastic(&r)
	m.expected(&r, matched)
	again := false
	for _, c := range r.Cues {
		again = again || lex.again[c]
	}
	if r.Complaint > 0 {
		if again {
			r.Complaint += 0.5 // "third time", "schon wieder", "otra vez"
		}
		if m.price {
			r.Complaint += 0.5 // a sum named beside a complaint is usually its point
		}
		if m.shouts() {
			r.Complaint += 0.5 // "no oat milk AGAIN"
		}
	}
	if m.loveEmoji() {
		r.Praise += 1.5
	}
	if m.crossEmoji() {
		r.Complaint++
		cued = true
	}
	// VADER reads English, on the text without the slang it takes
	// literally. Its gloom alone does not make a complaint, nor does it
	// make a question one: it cannot tell whose trouble it is ("my
	// starter died", "my hands are not great anymore").
	if m.lang() == "en" {
		r.VADER = m.vader()
		switch {
		case r.VADER <= -0.3 && !r.Asks && (cued || r.VADER <= -0.6 && m.words() >= 6):
			r.Complaint++
		case r.VADER >= 0.5:
			r.Praise++
		}
	}
	r.Class = decide(r)
	if r.Class == Other && ch != Overheard && m.unexplainedNot() {
		// Nothing else heard, but something did not happen or is not
		// so ("half of them had the wrong fillings, people couldn't
		// eat", "it still wasn't started"): in a message to the
		// business that is often a complaint, and as often not ("I'm
		// going to pretend I didn't see this").
		r.Cues = append(r.Cues, "a not")
		r.Class = Concern
	}
	return r
}

// unexplainedNot reports a negation in a statement, in a message without
// laughter or delight.
func (m *message) unexplainedNot() bool {
	lex := lexicon()
	if m.loveEmoji() || strings.ContainsAny(m.raw, "😂🤣😄😃😁😊🙂😅😉😆") {
		return false
	}
	for _, t := range m.toks {
		if lex.laughter[t] {
			return false
		}
	}
	idle := m.idleNots()
	for i, t := range m.toks {
		if lex.negators[t] && !idle[i] && !m.inQuestion(i) && !m.supposed(i) {
			return true
		}
	}
	return false
}

// supposed reports whether toks[i] is in a clause that supposes ("if you
// haven't been yet", "wenn ihr noch nicht da wart"): nothing said to have
// happened or not.
func (m *message) supposed(i int) bool {
	from, _ := m.clause(i)
	for _, t := range m.toks[from:i] {
		if lexicon().hypothetical[t] {
			return true
		}
	}
	return false
}

// idleNots marks the negations that are only manners or chatter: "no
// worries", "can't wait", "not sure".
func (m *message) idleNots() []bool {
	idle := make([]bool, len(m.toks))
	lexicon().idleNots.each(m.toks, idle, func(_ cue, spans []span) {
		for _, sp := range spans {
			for i := sp.from; i < sp.to; i++ {
				idle[i] = true
			}
		}
	})
	return idle
}

// structure weighs how the message is put, beyond its words: a "why" with a
// "not" in it is a reproach; a "great," before a complaint is sarcasm; a
// "but" before a "not" turns the point; "you didn't" accuses; a number of
// minutes is a wait.
func (m *message) structure(r *Reading, praiseAt map[int]bool) {
	lex := lexicon()
	cued := r.Complaint > 0
	whyAt := map[int]bool{} // where "how come", "is there a reason" start
	lex.whyPhrases.each(m.toks, nil, func(_ cue, spans []span) {
		for _, sp := range spans {
			whyAt[sp.from] = true
		}
	})
	start := 0
	noClauses := 0 // clauses that start with a "no": "No email, no call."
	for i := 0; i <= len(m.toks); i++ {
		if i < len(m.toks) && !boundary(m.toks[i]) {
			continue
		}
		clause := m.toks[start:i]
		question := i < len(m.toks) && m.toks[i] == "?"
		neg, cost, more, change, worse := false, false, false, false, false
		for _, t := range clause {
			neg = neg || lex.negators[t] || t == "always" || t == "immer"
			cost = cost || lex.costs[t]
			more = more || lex.more[t]
			change = change || lex.change[t]
			worse = worse || lex.worse[t]
		}
		why := len(clause) > 0 && lex.why[clause[0]] || whyAt[start] ||
			len(clause) > 2 && lex.greetings[clause[0]] && lex.why[clause[1]] ||
			len(clause) > 1 && clause[0] == "por" && clause[1] == "que"
		if len(clause) > 1 && (clause[0] == "no" || clause[0] == "kein" || clause[0] == "keine" || clause[0] == "ni" || clause[0] == "sin") && !question {
			noClauses++
		}
		switch {
		case cost && more && (!question || why):
			// "cost 80 cents more than last month", "kostet einen Euro mehr"
			r.Complaint += 2
			r.Cues = append(r.Cues, "costs more")
		case change && worse && (!question || why):
			// "got smaller", "kleiner geworden", "se han vuelto más caros"
			r.Complaint += 2
			r.Cues = append(r.Cues, "got worse")
		case why && question && !neg && (cued || worse || more):
			// "Why does the coffee taste so bitter lately?", "is there a
			// reason the door was locked at 5:20?"
			r.Complaint += 1.5
			r.Cues = append(r.Cues, "why …?")
		}
		switch {
		case len(clause) > 1 && !question && againIn(clause) && (lex.negators[clause[0]] || lex.negators[clause[1]]):
			// "No oat milk AGAIN."
			r.Complaint += 1.5
			r.Cues = append(r.Cues, "no … again")
		case len(clause) > 0 && lex.why[clause[0]] && neg:
			// "Why do you never reply?", "Warum beantwortet ihr keine E-Mails?"
			r.Complaint += 2
			r.Cues = append(r.Cues, "why … not")
		case len(clause) > 1 && clause[0] == "por" && clause[1] == "que" && neg:
			r.Complaint += 2
			r.Cues = append(r.Cues, "por qué … no")
		case len(clause) > 1 && lex.contrast[clause[0]] && !question && !m.praiseIn(praiseAt, start, i) &&
			(neg && !m.selfNegationIn(start, i) || m.praiseIn(praiseAt, 0, start)):
			// "Nice photo but the real thing looked nothing like it",
			// "looks great in photos but mine was hollow".
			// "Nice photo but the real thing looked nothing like it."
			r.Complaint++
			r.Cues = append(r.Cues, "but … not")
		case !question:
			for j := 0; j+1 < len(clause); j++ {
				if lex.hypothetical[clause[j]] {
					// "If you haven't been yet, this is your sign": a
					// supposition about the reader, no reproach (see
					// supposed).
					break
				}
				if lex.you[clause[j]] && (lex.negators[clause[j+1]] || j+2 < len(clause) && lex.negators[clause[j+2]]) {
					// "You didn't.", "ihr habt nicht"
					r.Complaint++
					r.Cues = append(r.Cues, "you … not")
					break
				}
			}
		}
		start = i + 1
	}
	if noClauses >= 2 {
		// "No email, no call.", "Ni una disculpa, ni un descuento."
		r.Complaint += 1.5
		r.Cues = append(r.Cues, "no …, no …")
	}
	if r.Praise < 1.5 && m.keepsDoing() {
		// "the app keeps logging me out"
		r.Complaint++
		r.Cues = append(r.Cues, "keeps …ing")
	}
	if m.any(lex.happened) && (cued || m.statedNot()) {
		// "There was no bread at all. What happened?"
		r.Complaint += 2
		r.Cues = append(r.Cues, "what happened?")
	}
	// Sarcasm: praise that stands alone at the end, after what came: "Wer
	// hier Vollkorn kauft, bekommt helles Mischbrot. Toll."
	if n := len(m.toks); n > 3 && boundary(m.toks[n-1]) && lex.interjections[m.toks[n-2]] && boundary(m.toks[n-3]) &&
		praiseAt[n-2] && !m.praiseIn(praiseAt, 0, n-2) && m.any(lex.expect) && m.outcomeIn(0, n-2) {
		r.Praise -= 2
		r.Complaint += 1.5
		r.Cues = append(r.Cues, "sarcasm")
	}
	// Sarcasm: praise that stands alone at the start of a complaint.
	if r.Complaint >= 1 && len(m.toks) > 1 && lex.interjections[m.toks[0]] && boundary(m.toks[1]) && praiseAt[0] {
		r.Praise -= 2
		r.Complaint++
		r.Cues = append(r.Cues, "sarcasm")
	}
	if perItemRE.MatchString(m.raw) && r.Praise < 2 {
		// "£5 for a croissant", "6 euros por una barra": a price held up.
		r.Complaint += 1.5
		r.Cues = append(r.Cues, "a price for one")
	}
	if m.waited() && !IsQuestion(m.raw) {
		r.Complaint++
		r.Cues = append(r.Cues, "a wait")
	}
}

// waited reports a number of minutes or hours that is a wait, not a
// journey ("I drove 40 minutes for this").
func (m *message) waited() bool {
	lex := lexicon()
	for _, loc := range durationRE.FindAllStringIndex(m.raw, -1) {
		before := tokenize(m.raw[:loc[0]])
		travel := false
		for j := len(before) - 1; j >= 0 && j >= len(before)-3; j-- {
			travel = travel || lex.travel[before[j]]
		}
		after := tokenize(m.raw[loc[1]:])
		if len(after) > 0 && (after[0] == "away" || after[0] == "from" || after[0] == "entfernt" || after[0] == "weg") {
			travel = true
		}
		if !travel {
			return true
		}
	}
	return false
}

// keepsDoing reports "keeps logging me out", "kept getting": a fault that
// comes back.
func (m *message) keepsDoing() bool {
	if m.loveEmoji() || m.laughs() {
		return false // "haha my dog keeps staring at the bread"
	}
	for i, t := range m.toks {
		if t != "keeps" && t != "keep" && t != "kept" {
			continue
		}
		for j := i + 1; j < len(m.toks) && j <= i+2 && !boundary(m.toks[j]); j++ {
			if w := m.toks[j]; len(w) > 4 && strings.HasSuffix(w, "ing") {
				return true
			}
		}
	}
	return false
}

// signsOff reports whether sp is a short last clause after others: "…,
// thanks", "… Vielen Dank!", "… Gracias."
func (m *message) signsOff(sp span) bool {
	for i := sp.to; i < len(m.toks); i++ {
		if !boundary(m.toks[i]) {
			return false
		}
	}
	from, _ := m.clause(sp.from)
	return from > 0 && sp.to-from <= 3
}

// clause is where the clause of toks[i] begins and ends: toks[from:to]
// holds no boundary, and toks[from-1] and toks[to] (where there are such)
// are boundaries.
func (m *message) clause(i int) (from, to int) {
	from, to = i, i
	for from > 0 && !boundary(m.toks[from-1]) {
		from--
	}
	for to < len(m.toks) && !boundary(m.toks[to]) {
		to++
	}
	return from, to
}

// inThePast reports whether toks[i] is in a clause about how things were:
// "used to", "waren mal", "früher", "antes", "was once".
func (m *message) inThePast(i int) bool {
	from, to := m.clause(i)
	for j := from; j < to; j++ {
		t, next := m.toks[j], ""
		if j+1 < to {
			next = m.toks[j+1]
		}
		switch {
		case t == "used" && next == "to" && !m.bySelf(j), t == "fruher", t == "antes",
			(t == "war" || t == "waren") && next == "mal", (t == "was" || t == "were") && next == "once":
			return true
		}
	}
	return false
}

// hypothetical reports whether toks[i] is in a question that supposes:
// "… a refund if I can't make it?", "what's your policy on late orders?"
func (m *message) hypothetical(i int) bool {
	if !m.inQuestion(i) {
		return false
	}
	from, to := m.clause(i)
	for _, t := range m.toks[from:to] {
		if lexicon().hypothetical[t] {
			return true
		}
	}
	return false
}

// outcomeIn reports a word of what came ("got", "bekommt") in toks[from:to].
func (m *message) outcomeIn(from, to int) bool {
	for _, t := range m.toks[from:to] {
		if lexicon().outcome[t] {
			return true
		}
	}
	return false
}

// laughs reports laughter in words: "haha", "lol", "jaja".
func (m *message) laughs() bool {
	for _, t := range m.toks {
		if lexicon().laughter[t] {
			return true
		}
	}
	return false
}

// selfNegated reports whether the clause of toks[i] says the writer did not
// or cannot ("I can't make it", "ich kann nicht", "no puedo"): the writer's
// own trouble, not the business's.
func (m *message) selfNegated(i int) bool {
	return m.selfNegationIn(m.clause(i))
}

func (m *message) selfNegationIn(from, to int) bool {
	lex := lexicon()
	for j := from; j < to; j++ {
		switch m.toks[j] {
		case "i", "we", "ich", "wir":
			for k := j + 1; k < to && k <= j+3; k++ {
				if lex.negators[m.toks[k]] {
					return true
				}
			}
		case "puedo", "podemos", "pude", "pudimos", "puedes", "kann", "konnen", "kannst":
			if j > from && lex.negators[m.toks[j-1]] || j+1 < to && lex.negators[m.toks[j+1]] {
				return true
			}
		}
	}
	return false
}

// statedNot reports a negation in a statement that is not only manners.
func (m *message) statedNot() bool {
	lex := lexicon()
	idle := m.idleNots()
	for i, t := range m.toks {
		if lex.negators[t] && !idle[i] && !m.inQuestion(i) {
			return true
		}
	}
	return false
}

// quotedClaims hears a claim of the business's put in quotation marks, to
// doubt it: the "fresh" croissants, the "vegan" brownie, the card machine
// that is "broken" for a month.
func (m *message) quotedClaims(r *Reading) {
	lex := lexicon()
	words := map[int]int{}
	claim := map[int]bool{}
	for i, q := range m.quote {
		if q == 0 || boundary(m.toks[i]) {
			continue
		}
		words[q]++
		claim[q] = claim[q] || lex.claims[m.toks[i]]
	}
	for q, n := range words {
		if n <= 5 && claim[q] {
			r.Complaint += 2
			r.Cues = append(r.Cues, "a “claim”")
			return
		}
	}
}

// sarcastic hears praise that says the opposite: "Love how this post says
// fresh every morning when…", "thanks for nothing", 🙃 beside a complaint.
func (m *message) sarcastic(r *Reading) {
	if r.Complaint < 1 || !(m.any(lexicon().sarcasm) || strings.Contains(m.raw, "🙃")) {
		return
	}
	r.Praise = max(0, r.Praise-2)
	r.Complaint++
	r.Cues = append(r.Cues, "sarcasm")
}

// expected hears what was asked for and what came: "Ordered the sourdough,
// got a seeded rye", "pedí dos tartas y solo me entregaron una", "was told
// 10 min. It was 35." An expectation (an order, a payment, a promise, a
// label) and after it, in a later part of the message, a deviation ("only",
// "instead", "half", a "not") weighs as a complaint; an outcome alone
// ("got", "bekommen"), or numbers that differ from the expectation's, less.
// Not in a message that praises.
func (m *message) expected(r *Reading, matched []bool) {
	lex := lexicon()
	if r.Praise >= 2 {
		return
	}
	e, eEnd := -1, -1
	lex.expect.each(m.toks, nil, func(_ cue, spans []span) {
		for _, sp := range spans {
			if !m.inQuestion(sp.from) && (e < 0 || sp.from < e) {
				e, eEnd = sp.from, sp.to
			}
		}
	})
	if e < 0 {
		return
	}
	idle := m.idleNots()
	// The expectation's part of the message runs to the next clause or
	// "and", "but", "then".
	begin, end := e, eEnd
	for begin > 0 && !boundary(m.toks[begin-1]) && !lex.segments[m.toks[begin-1]] {
		begin--
	}
	for end < len(m.toks) && !boundary(m.toks[end]) && !lex.segments[m.toks[end]] {
		end++
	}
	expectedNums := map[string]bool{}
	for i := begin; i < end; i++ {
		if n, ok := numberOf(m.toks[i]); ok && !m.clockTime(i) {
			expectedNums[n] = true
		}
	}
	deviates, comes, differs := false, false, false
	// Within the expectation's own part, what follows an outcome counts:
	// "el pedido de ayer venía sin los cruasanes".
	for i := eEnd; i < end; i++ {
		if lex.outcome[m.toks[i]] {
			comes = true
		} else if comes && lex.deviate[m.toks[i]] {
			deviates = true
		}
	}
	for i := end; i < len(m.toks); i++ {
		t := m.toks[i]
		if boundary(t) || m.inQuestion(i) {
			continue
		}
		switch {
		case lex.deviate[t]:
			deviates = true
		case lex.negators[t] && !idle[i] && !m.negatesCue(i, matched) && !m.selfNegated(i):
			deviates = true
		case lex.outcome[t]:
			comes = true
		case len(expectedNums) > 0 && isNumberWord(t) && !expectedNums[numberValue(t)] && !m.clockTime(i):
			differs = true
		}
	}
	switch {
	case deviates:
		w := 2.0
		if r.Asks {
			w = 1.5 // "I ordered a cake for Saturday, could I come at 5 instead?"
		}
		r.Complaint += w
		r.Cues = append(r.Cues, "expected … not")
	case comes || differs:
		r.Complaint++
		r.Cues = append(r.Cues, "expected … got")
	}
}

// negatesCue reports whether the negation at toks[i] turns a cue after it
// in its clause ("no complaints"): its own reading, not a deviation.
func (m *message) negatesCue(i int, matched []bool) bool {
	for j := i + 1; j < len(m.toks) && j <= i+3 && !boundary(m.toks[j]); j++ {
		if matched[j] {
			return true
		}
	}
	return false
}

// numberOf is the value of a count written in digits or in words ("6",
// "six", "sechs", "seis"), as digits.
func numberOf(t string) (string, bool) {
	if isNumber(t) {
		return t, true
	}
	n, ok := lexicon().numberWords[t]
	return n, ok
}

// clockTime reports whether the number at toks[i] is a time of day ("at
// 10", "um zehn", "a las 8"), not a count.
func (m *message) clockTime(i int) bool {
	return i > 0 && lexicon().clockBefore[m.toks[i-1]] || i+1 < len(m.toks) && lexicon().clockAfter[m.toks[i+1]]
}

func isNumberWord(t string) bool { _, ok := numberOf(t); return ok }

func numberValue(t string) string { n, _ := numberOf(t); return n }

func isNumber(t string) bool {
	if t == "" {
		return false
	}
	for _, r := range t {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// delight reports an emoji of delight, or of being overcome: beside food
// slang ("ridiculous 😭") it is praise.
func (m *message) delight() bool {
	return m.loveEmoji() || strings.ContainsAny(m.raw, "😭🥹🤤")
}

// againIn reports whether a clause says it happened before: "no oat milk
// AGAIN", "wieder kein Dinkelbrot", not "every time. Never change."
func againIn(clause []string) bool {
	for _, t := range clause {
		switch t {
		case "again", "wieder", "vez", "nuevo", "running", "row":
			return true
		}
	}
	return false
}

func (m *message) praiseIn(at map[int]bool, from, to int) bool {
	for i := from; i < to; i++ {
		if at[i] {
			return true
		}
	}
	return false
}

var perItemRE = regexp.MustCompile(`(?i)(?:[€$£]\s?\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s?(?:€|eur\b|euros?\b)|\b\d+[.,]\d\d)\s+(?:for|per|für|por|para)\s+(?:a|an|one|ein|eine|einen|un|una|1)\b`)

var durationRE = regexp.MustCompile(`(?i)\b\d+\s?(?:min|mins|minutes|minute|hours|hrs|minuten|stunden|minutos|horas)\b`)

// shouts reports whether a word of three or more letters is in capitals.
func (m *message) shouts() bool {
	for _, w := range strings.Fields(m.raw) {
		letters, upper := 0, 0
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
				if unicode.IsUpper(r) {
					upper++
				}
			}
		}
		if letters >= 3 && upper == letters {
			return true
		}
	}
	return false
}

// crossEmoji reports an emoji of annoyance or disappointment.
func (m *message) crossEmoji() bool {
	// Not 😩 or 😫: over food they are as often craving as despair.
	return strings.ContainsAny(m.raw, "😑🙄😤😠😡👎😒🤬😞😕😔💩")
}

// lang guesses the message's language from its little words: "en", "de",
// "es", or "" when it cannot tell.
func (m *message) lang() string {
	lex := lexicon()
	en, de, es := 0, 0, 0
	for _, t := range m.toks {
		if lex.english[t] {
			en++
		}
		if lex.german[t] {
			de++
		}
		if lex.spanish[t] {
			es++
		}
	}
	switch {
	case en > de && en > es:
		return "en"
	case de > en && de > es:
		return "de"
	case es > en && es > de:
		return "es"
	case en > 0 && en == de && en > es || en > 0 && en == es && en > de:
		return ""
	case en == 0 && de == 0 && es == 0 && m.ascii():
		return "en" // too short to tell; most of the inbox is English
	}
	return ""
}

func (m *message) ascii() bool {
	for _, r := range m.raw {
		if r >= 0x80 && unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func decide(r Reading) Class {
	switch {
	case r.Complaint >= 2 && r.Complaint+1 > r.Praise:
		return Complaint
	case r.Complaint >= 1 && !r.Asks && r.Complaint > r.Praise:
		return Complaint
	case r.Asks:
		return Question
	// A smiley or a "nice" alone is chatter; praise says more.
	case r.Praise >= 1.5 && r.Praise > r.Complaint:
		return Praise
	}
	return Other
}

// loveEmoji reports whether the message carries an emoji of love or
// delight, which VADER reads as little or nothing (🔥 as a fire).
func (m *message) loveEmoji() bool {
	return strings.ContainsAny(m.raw, "❤♥😍🤤🔥💯🥰😋👌🙌💛💕💖🤩🥹")
}

// ---- the message ----

type message struct {
	raw      string
	toks     []string // folded words; "|" where a clause ends, "?" where a question does
	price    bool     // names a sum of money
	mentions bool     // names someone's handle
	hasAgain bool     // says it happened before ("again", "schon wieder")
	// quote numbers each word by the quotation it stands in (1, 2, …),
	// 0 outside quotation marks.
	quote  []int
	quoted []bool
}

var (
	linkRE    = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+`)
	handleRE  = regexp.MustCompile(`@[\p{L}\p{N}_.\-]+(?:@[\p{L}\p{N}_.\-]+)?`)
	priceRE   = regexp.MustCompile(`(?i)(?:[€$£]\s?\d)|(?:\d(?:[.,]\d+)?\s?(?:€|eur\b|euro|dollars?\b|pounds?\b))`)
	clauseEnd = ".,;:!?¡¿()[]\"“”«»–—…\n"
)

func newMessage(text string) *message {
	m := &message{raw: text}
	text = linkRE.ReplaceAllString(text, " ")
	m.mentions = handleRE.MatchString(text)
	text = handleRE.ReplaceAllString(text, " ")
	m.price = priceRE.MatchString(text)
	m.toks, m.quote = tokenizeQuotes(text)
	m.quoted = make([]bool, len(m.toks))
	for i, q := range m.quote {
		m.quoted[i] = q > 0
	}
	return m
}

// tokenize folds text (lower case, no accents, no apostrophes) and splits
// it into words, with "|" where a clause ends. Emoji are dropped: VADER
// reads them on its own.
func tokenize(text string) []string {
	toks, _ := tokenizeQuotes(text)
	return toks
}

// tokenizeQuotes is tokenize, and for each word the number of the
// quotation it stands in ("…", “…”, „…“, «…»), 0 outside one.
func tokenizeQuotes(text string) ([]string, []int) {
	var toks []string
	var quote []int
	var b strings.Builder
	inQuote, quotes := false, 0
	flush := func() {
		if b.Len() > 0 {
			toks = append(toks, b.String())
			q := 0
			if inQuote {
				q = quotes
			}
			quote = append(quote, q)
			b.Reset()
		}
	}
	clause := func(mark string) {
		flush()
		switch {
		case len(toks) == 0:
		case !boundary(toks[len(toks)-1]):
			toks = append(toks, mark)
			quote = append(quote, 0)
		case mark == "?":
			toks[len(toks)-1] = mark // "…!?" ends a question
		}
	}
	for _, r := range text {
		switch r {
		case '"', '“', '”', '„', '«', '»':
			clause("|")
			open := r == '„' || r == '«' || (r == '"' || r == '“') && !inQuote
			if open {
				quotes++
			}
			inQuote = open
			continue
		}
		switch {
		case r == '\'' || r == '’' || r == '`':
			// "didn't" is one word, "didnt"
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteString(fold(r))
		case r == '?' || r == '？' || r == '؟':
			clause("?")
		case strings.ContainsRune(clauseEnd, r):
			clause("|")
		default:
			flush()
		}
	}
	flush()
	// "but" starts a clause of its own too.
	out, outQuote := toks[:0:0], quote[:0:0]
	for i, t := range toks {
		if lexicon().contrast[t] && len(out) > 0 && !boundary(out[len(out)-1]) {
			out = append(out, "|")
			outQuote = append(outQuote, 0)
		}
		out = append(out, t)
		outQuote = append(outQuote, quote[i])
	}
	return out, outQuote
}

// fold is a letter in lower case without its accent: ä, á and à are a; ß is ss.
func fold(r rune) string {
	r = unicode.ToLower(r)
	switch r {
	case 'ä', 'á', 'à', 'â', 'ã', 'å':
		return "a"
	case 'ö', 'ó', 'ò', 'ô', 'õ':
		return "o"
	case 'ü', 'ú', 'ù', 'û':
		return "u"
	case 'é', 'è', 'ê', 'ë':
		return "e"
	case 'í', 'ì', 'î', 'ï':
		return "i"
	case 'ñ':
		return "n"
	case 'ç':
		return "c"
	case 'ß':
		return "ss"
	}
	return string(r)
}

// boundary reports whether a token ends a clause: "|", or "?" after a
// question.
func boundary(t string) bool { return t == "|" || t == "?" }

// inQuestion reports whether toks[i] is in a clause that ends in a question
// mark: "worth the trip?" praises nothing.
func (m *message) inQuestion(i int) bool {
	for ; i < len(m.toks); i++ {
		if boundary(m.toks[i]) {
			return m.toks[i] == "?"
		}
	}
	return false
}

func foldWord(w string) string {
	var b strings.Builder
	for _, r := range w {
		if r == '\'' || r == '’' {
			continue
		}
		b.WriteString(fold(r))
	}
	return b.String()
}

// negatedAt reports whether a negation stands within three words before
// toks[i], in the same clause.
func (m *message) negatedAt(i int) bool {
	lex := lexicon()
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if boundary(m.toks[j]) {
			return false
		}
		if lex.negators[m.toks[j]] {
			return true
		}
	}
	return false
}

// afterContrast reports whether toks[i] is in a clause that a "but" opened.
func (m *message) afterContrast(i int) bool {
	lex := lexicon()
	for j := i - 1; j >= 0; j-- {
		if lex.contrast[m.toks[j]] {
			return j > 1 // a "but" that opens the message contrasts nothing
		}
		if boundary(m.toks[j]) {
			return false
		}
	}
	return false
}

// vader scores the message without the food slang VADER takes literally.
func (m *message) vader() float64 {
	lex := lexicon()
	words := strings.Fields(linkRE.ReplaceAllString(m.raw, " "))
	kept := words[:0:0]
	for _, w := range words {
		if lex.slang[foldWord(strings.Trim(strings.ToLower(w), clauseEnd+"'’"))] {
			continue
		}
		kept = append(kept, w)
	}
	return Score(strings.Join(kept, " "))
}

// asks reports whether the message asks the business something: a question
// or a request, meant for the business (every direct message is; in public,
// one that says "you" or asks about what a business does, not one put to
// "anyone" about nothing the business does).
func (m *message) asks(ch Channel) bool {
	if ch == Overheard {
		return false
	}
	lex := lexicon()
	form := m.questionForm()
	request := m.any(lex.requests)
	if !form {
		// A question without its mark: "do you deliver to Kreuzberg",
		// typed fast on a phone. Only at the start of a clause, and not
		// "what a loaf".
		for i, t := range m.toks {
			start := i == 0 || boundary(m.toks[i-1]) || lex.greetings[m.toks[i-1]]
			next := ""
			if i+1 < len(m.toks) {
				next = m.toks[i+1]
			}
			wh := lex.interrogatives[t] && next != "a" && next != "an" // not "what a loaf"
			aux := lex.auxiliaries[t] && lex.asked[next]               // "do you", not "would be nice"
			if start && (wh || aux) {
				form = true
				break
			}
		}
	}
	if !form && !request {
		return false
	}
	if ch == Direct || request {
		return true
	}
	you, others := false, m.any(lex.askOthers)
	pos := 0 // in its clause
	for _, t := range m.toks {
		if boundary(t) {
			pos = 0
			continue
		}
		you = you || lex.you[t]
		// "anyone", "has anyone", "does anybody": who is asked. Later in
		// the clause it is who the question is about ("ok for someone
		// with an allergy?").
		others = others || (lex.others[t] && pos < 2)
		pos++
	}
	topic := m.any(lex.topics)
	switch {
	case you:
		return true
	case others && !(topic && m.any(lex.askAbout)):
		return false // "has anyone tried these?", "who else is going?"
	case ch == Quote:
		// A quote's questions are for the quoter's followers, unless they
		// name the business: "do they ship?", "@bakery is this vegan?"
		return m.mentions || m.any(lex.askAbout) || m.theyAsk()
	case topic:
		return true
	}
	// A reply or mention that asks, of nothing in particular: "same time
	// next week?", "is it Saturday yet?" are chatter, but "where is the
	// new shop going to be?" is not: long enough to be a real question.
	return m.words() >= 5
}

// questionForm reports a question mark that ends a real question: not
// only a tag ("…, ¿vale?", "right?") or a doubt ("or is it just me?").
func (m *message) questionForm() bool {
	if !IsQuestion(m.raw) {
		return false
	}
	lex := lexicon()
	hedge := make([]bool, len(m.toks))
	lex.hedges.each(m.toks, hedge, func(_ cue, spans []span) {
		for _, sp := range spans {
			for i := sp.from; i < sp.to; i++ {
				hedge[i] = true
			}
		}
	})
	marks, start := 0, 0
	for i, t := range m.toks {
		if !boundary(t) {
			continue
		}
		if t == "?" {
			marks++
			if i == start {
				return true
			}
			for j := start; j < i; j++ {
				if !lex.tags[m.toks[j]] && !hedge[j] {
					return true
				}
			}
		}
		start = i + 1
	}
	return marks == 0
}

// theyAsk reports a question about "them", in a quote the business.
func (m *message) theyAsk() bool {
	for _, t := range m.toks {
		switch t {
		case "they", "them", "their", "theyd", "theyre", "sie", "ellos":
			return true
		}
	}
	return false
}

// any reports whether one of cs is in the message.
func (m *message) any(cs *cueSet) bool {
	found := false
	cs.each(m.toks, nil, func(cue, []span) { found = true })
	return found
}

// bySelf reports whether the nearest subject before toks[i], in its
// clause, is the writer: "I forgot", "ich habe ihn vergessen".
func (m *message) bySelf(i int) bool {
	lex := lexicon()
	for j := i - 1; j >= 0 && !boundary(m.toks[j]); j-- {
		if lex.subjects[m.toks[j]] {
			return m.toks[j] == "i" || m.toks[j] == "ich" || m.toks[j] == "yo"
		}
	}
	return false
}

func (m *message) words() int {
	n := 0
	for _, t := range m.toks {
		if !boundary(t) {
			n++
		}
	}
	return n
}

// ---- cues ----

type cueKind int

const (
	cueComplaint cueKind = iota
	cuePraise
	cueAgain
	cueForgot // a complaint unless the writer forgot
	cueOther  // topics, requests: matched by asks
)

// cue is a phrase: words to match in order, each exact or, ending in "*",
// a prefix; "~" lets up to three words stand between its neighbours.
type cue struct {
	name   string
	words  []string
	weight float64
	kind   cueKind
}

type span struct{ from, to int }

// find returns the spans where the cue matches, never over words already
// matched by another cue, nor across a clause.
func (c cue) find(toks []string, taken []bool) []span {
	var out []span
	for i := range toks {
		if end, ok := c.matchAt(toks, taken, i, 0); ok {
			out = append(out, span{i, end})
		}
	}
	return out
}

// cueSet is a list of cues in the order they are tried, indexed by their
// first word so a message is checked against the few that can match.
type cueSet struct {
	cues      []cue
	first     map[string][]int // by a first word that is a whole word
	patterned []int            // first word is a pattern ("refund*")
}

func newCueSet(cs []cue) *cueSet {
	sortCues(cs)
	set := &cueSet{cues: cs, first: map[string][]int{}}
	for i, c := range cs {
		if w := c.words[0]; strings.Contains(w, "*") {
			set.patterned = append(set.patterned, i)
		} else {
			set.first[w] = append(set.first[w], i)
		}
	}
	return set
}

// each calls fn, in the set's order, with each cue found in toks and where,
// never over words taken (nil: none) by an earlier one, which fn may take.
func (set *cueSet) each(toks []string, taken []bool, fn func(c cue, spans []span)) {
	if taken == nil {
		taken = make([]bool, len(toks))
	}
	var cands []int
	seen := map[int]bool{}
	for _, t := range toks {
		for _, i := range set.first[t] {
			if !seen[i] {
				seen[i] = true
				cands = append(cands, i)
			}
		}
		for _, i := range set.patterned {
			if !seen[i] && wordMatch(set.cues[i].words[0], t) {
				seen[i] = true
				cands = append(cands, i)
			}
		}
	}
	slices.Sort(cands)
	for _, i := range cands {
		if spans := set.cues[i].find(toks, taken); len(spans) > 0 {
			fn(set.cues[i], spans)
		}
	}
}

func (c cue) matchAt(toks []string, taken []bool, i, w int) (int, bool) {
	if w == len(c.words) {
		return i, true
	}
	pat := c.words[w]
	if pat == "~" || pat == "~~" {
		most := 3
		if pat == "~~" {
			most = 6 // a German verb's particle at the end of its clause: "lässt … nach"
		}
		for gap := 0; gap <= most && i+gap <= len(toks); gap++ {
			if gap > 0 && boundary(toks[i+gap-1]) {
				break
			}
			if end, ok := c.matchAt(toks, taken, i+gap, w+1); ok {
				return end, true
			}
		}
		return 0, false
	}
	if i >= len(toks) || taken[i] || boundary(toks[i]) || !wordMatch(pat, toks[i]) {
		return 0, false
	}
	return c.matchAt(toks, taken, i+1, w+1)
}

func wordMatch(pat, tok string) bool {
	if p, ok := strings.CutPrefix(pat, "*"); ok {
		// "*brot": a German compound's last part is what it is.
		return strings.HasSuffix(tok, p) || wordMatch(p, tok)
	}
	if p, ok := strings.CutSuffix(pat, "*"); ok {
		return strings.HasPrefix(tok, p)
	}
	return pat == tok
}

// cueList parses phrases separated by "|" or new lines.
func cueList(kind cueKind, weight float64, text string) []cue {
	var out []cue
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '|' || r == '\n' }) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var words []string
		for _, w := range strings.Fields(line) {
			if w != "~" && w != "~~" {
				w = foldWord(strings.ToLower(w))
			}
			words = append(words, w)
		}
		name := strings.ReplaceAll(strings.ReplaceAll(line, " ~~", " …"), " ~", " …")
		out = append(out, cue{name: name, words: words, weight: weight, kind: kind})
	}
	return out
}

func wordSet(text string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(text) {
		out[foldWord(strings.ToLower(w))] = true
	}
	return out
}

func sortCues(cs []cue) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && len(cs[j].words) > len(cs[j-1].words); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}
