package demo

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/crier-app/crier/sentiment"
	"github.com/crier-app/crier/store"
)

// author is someone who writes to the bakery.
type author struct {
	handle    string // in the network's shape: @user@server, or name.bsky.social
	name      string
	user      string // Mastodon username or Bluesky handle
	server    string // Mastodon only
	did       string // Bluesky only
	followers int64
}

// authors makes n people (and the odd local organisation) on one network.
// Handles are unique; a regular few write much more than the rest.
func (g *gen) authors(platform string, n int) []*author {
	taken := map[string]bool{}
	unique := func(base string) string {
		h := base
		for taken[h] {
			h = base + strconv.Itoa(g.r.IntN(1000))
		}
		taken[h] = true
		return h
	}
	out := make([]*author, 0, n)
	for i := range n {
		first := firstNames[i%len(firstNames)]
		last := pick(g.r, lastNames)
		f, l := asciiHandle(first), asciiHandle(last)
		sep := "_"
		if platform == store.PlatformBluesky {
			sep = "-" // a Bluesky handle is a domain name
		}
		var user string
		switch g.r.IntN(5) {
		case 0:
			user = f
		case 1:
			user = f + l
		case 2:
			user = f + sep + l
		case 3:
			user = f + strconv.Itoa(70+g.r.IntN(30))
		default:
			user = f + l[:1]
		}
		var name string
		switch g.r.IntN(6) {
		case 0:
			name = first
		case 1:
			name = first + " " + last[:1] + "."
		case 2:
			name = first + " | " + pick(g.r, bios)
		case 3:
			name = first + " " + pick(g.r, words["happy"])
		default:
			name = first + " " + last
		}
		followers := int64(math.Exp(5 + 1.1*g.r.NormFloat64()))
		out = append(out, g.newAuthor(platform, unique(user), name, max(3, followers)))
	}
	for _, o := range organisations {
		if len(out) == 0 {
			break
		}
		a := g.newAuthor(platform, unique(o.user), o.name, int64(2000+g.r.IntN(38000)))
		// Somewhere in the first quarter, so the local press shows up now and then.
		i := g.r.IntN(max(1, len(out)/4))
		out = slices.Insert(out, i, a)
	}
	return out
}

func (g *gen) newAuthor(platform, user, name string, followers int64) *author {
	if platform == store.PlatformMastodon {
		server := pick(g.r, mastodonServers)
		return &author{handle: "@" + user + "@" + server, name: name, user: user, server: server, followers: followers}
	}
	handle := user + ".bsky.social"
	if chance(g.r, 0.1) {
		handle = strings.ReplaceAll(user, "-", "") + pick(g.r, customDomains)
	}
	return &author{handle: handle, name: name, user: handle, did: did(g.r), followers: followers}
}

var asciiFold = strings.NewReplacer(
	"é", "e", "è", "e", "ë", "e", "ç", "c", "í", "i", "ı", "i", "ó", "o", "ö", "o", "ñ", "n",
	"ł", "l", "ś", "s", "ú", "u", "ü", "u", "á", "a", "à", "a",
)

// asciiHandle turns a name into handle characters.
func asciiHandle(s string) string {
	s = asciiFold.Replace(strings.ToLower(s))
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// inboxTimes draws when the inbox items were written, oldest first, more
// of them lately and fewer at night, no two in the same millisecond (which
// keeps the remote ids made from them unique). All are a minute or more
// before now, give or take the milliseconds that separate equal draws.
func (g *gen) inboxTimes() []int64 {
	span := float64(g.now.Sub(g.start.Add(24 * time.Hour)))
	ts := make([]int64, g.sz.inbox)
	for i := range ts {
		var t time.Time
		for try := 0; ; try++ {
			age := time.Duration(span * math.Pow(g.r.Float64(), g.sz.inboxSkew))
			t = g.now.Add(-age - time.Minute)
			if h := t.In(g.zone).Hour(); h >= 7 || try == 3 || chance(g.r, 0.15) {
				break
			}
		}
		ts[i] = t.UnixMilli()
	}
	slices.Sort(ts)
	for i := 1; i < len(ts); i++ {
		ts[i] = max(ts[i], ts[i-1]+1)
	}
	return ts
}

// inboxKinds weighs reply, mention, quote and dm; quotes are new on
// Mastodon and rarer there.
var inboxKinds = map[string][]float64{
	store.PlatformMastodon: {54, 26, 6, 14},
	store.PlatformBluesky:  {50, 24, 15, 11},
}

var kindNames = []store.InboxKind{store.KindReply, store.KindMention, store.KindQuote, store.KindDM}

// flavourWeights: questions, praise, complaints, chatter.
var flavourWeights = []float64{34, 30, 14, 22}

// inboxStats counts what the inbox generator made, for the tests.
type inboxStats struct {
	kinds    map[store.InboxKind]int
	flavours [numFlavours]int
	states   map[store.InboxState]int
}

// writeInbox generates the inbox in time order and hands each row to w.
func (g *gen) writeInbox(w *store.RowWriter) inboxStats {
	st := inboxStats{kinds: map[store.InboxKind]int{}, states: map[store.InboxState]int{}}
	g.done = slices.Grow(g.done, g.sz.inbox) // most of them, in the end
	people := map[*account][]*author{}
	var accountWeights []float64
	for _, a := range g.accounts {
		n := g.sz.authors / 2
		people[a] = g.authors(a.platform, n)
		wgt := 1.0
		if a.platform == store.PlatformBluesky {
			wgt = 1.4 // the bigger, chattier audience
		}
		if a.brand == 1 {
			wgt *= 0.35
		}
		accountWeights = append(accountWeights, wgt)
	}
	// A DM from someone who wrote in the last few days continues that
	// conversation.
	type convo struct {
		root string
		at   time.Time
	}
	convos := map[*author]convo{}

	for _, ms := range g.inboxTimes() {
		t := time.UnixMilli(ms).UTC()
		a := g.accounts[weighted(g.r, accountWeights)]
		pool := people[a]
		who := pool[int(float64(len(pool))*math.Pow(g.r.Float64(), 1.6))]
		kind := kindNames[weighted(g.r, inboxKinds[a.platform])]
		fl := flavour(weighted(g.r, flavourWeights))

		var parent *ours
		if kind == store.KindReply || kind == store.KindQuote {
			parent = g.recentPost(a, t)
			if parent == nil {
				kind = store.KindMention // nothing recent to answer: they just mention us
			}
		}
		g.f.us = "@" + a.user
		body := g.f.compose(string(kind), fl)

		g.idSeq++
		var root, inReplyTo string
		remoteID, url := remoteRef(a.platform, who, t, g.idSeq)
		if a.platform != store.PlatformMastodon && kind == store.KindDM {
			remoteID, url = tid(t, g.idSeq), "" // a chat message: no record, no public page
		}
		switch kind {
		case store.KindReply:
			root, inReplyTo = parent.remoteID, parent.remoteID
			mentions := "@" + a.user + " "
			if len(parent.replies) > 0 && chance(g.r, 0.25) {
				other := pick(g.r, parent.replies)
				inReplyTo = other.id
				mentions = "@" + other.user + " " + mentions
			}
			if a.platform == store.PlatformMastodon {
				body = mentions + body // Mastodon puts the people answered first
			}
			parent.replies = append(parent.replies, inboxRef{remoteID, who.user})
			if len(parent.replies) > 4 {
				parent.replies = parent.replies[1:]
			}
		case store.KindDM:
			if c, ok := convos[who]; ok && t.Sub(c.at) < 72*time.Hour {
				root = c.root
			} else {
				root = remoteID
			}
			convos[who] = convo{root, t}
		}

		state, snoozed, read := g.triage(t)
		tn := g.toneOf(body, kind)
		labels := g.labelsFor(tn.text, kind, fl)
		g.inboxID++
		w.Add(g.inboxID, a.id, a.platform, remoteID, string(kind), who.handle, who.name, who.followers, tn.text, url,
			root, inReplyTo, ms, string(state), snoozed, read, tn.score, tn.asks, tn.class, g.searchKey(ms),
			store.JoinLabels(labels), store.LabelKeys(labels))
		if state == store.InboxDone {
			g.done = append(g.done, answerable{id: g.inboxID, account: a.id, kind: kind, received: ms,
				asks: tn.asks, score: tn.score, who: who, body: tn.text})
		}
		st.kinds[kind]++
		st.flavours[fl]++
		st.states[state]++
	}
	for _, a := range g.accounts {
		a.recent = nil // no one answers them any more
	}
	return st
}

// recentPost picks one of the account's posts from before t that people
// are still talking about: recent ones and popular ones first.
func (g *gen) recentPost(a *account, t time.Time) *ours {
	limit := t.Add(-2 * time.Minute)
	// a.recent is in the order of the posts, which is not quite the order
	// they went out in (two posts due the same minute leave seconds apart,
	// either way round): the search must go over the whole list, as it
	// always has, for a seed to give the data it always gave.
	n := sort.Search(len(a.recent), func(i int) bool { return !a.recent[i].sentAt.Before(limit) })
	if n == 0 || t.Sub(a.recent[n-1].sentAt) > 7*24*time.Hour {
		return nil
	}
	cands := a.recent[max(0, n-6):n]
	w := make([]float64, len(cands))
	for i, d := range cands {
		w[i] = (1 + d.reach) * math.Exp(-t.Sub(d.sentAt).Hours()/18)
	}
	return cands[weighted(g.r, w)]
}

// tone is how crier reads a text, as tone.Read reads what a sync
// brings in: VADER's score, whether it asks something, and what it is.
type tone struct {
	text  string
	score float64
	asks  bool
	class string
}

// toneOf reads a text of a kind once: the large build's half a million
// texts come from templates and only about one in five is new. The text
// it returns is the first copy of it, which the reply pass keeps instead
// of them all.
func (g *gen) toneOf(text string, kind store.InboxKind) tone {
	key := string(kind) + "\x00" + text
	if tn, ok := g.tones[key]; ok {
		return tn
	}
	tn := tone{text: text, score: sentiment.Score(text), asks: sentiment.IsQuestion(text),
		class: string(store.ClassOf(kind, text))}
	g.tones[key] = tn
	return tn
}

// searchKey is an item's key in the search index for its time in
// milliseconds (see migration 4): the time, shifted, plus its place among
// the items of that millisecond, as the database's trigger would give it.
func (g *gen) searchKey(ms int64) int64 {
	n := g.keysAt[ms]
	g.keysAt[ms] = n + 1
	return ms<<20 + n
}

// labelsFor is what the bakery has labelled: wholesale enquiries, press,
// orders gone wrong and allergy questions, as a person would, not every
// time. Called before g.inboxID moves on to the item.
func (g *gen) labelsFor(text string, kind store.InboxKind, fl flavour) []string {
	lower := strings.ToLower(text)
	var out []string
	switch {
	case strings.Contains(lower, "supply") || strings.Contains(lower, "wholesale") || strings.Contains(lower, "restaurant"):
		out = append(out, "wholesale")
	case kind == store.KindDM && (strings.Contains(lower, "feature") || strings.Contains(lower, "i write for")):
		out = append(out, "press")
	case fl == complaint && strings.Contains(lower, "order"):
		out = append(out, "orders")
	case strings.Contains(lower, "allerg") || strings.Contains(lower, "coeliac") || strings.Contains(lower, "gluten"):
		out = append(out, "allergy")
	}
	// Three in five, by the item's number: drawing from g.r would change
	// everything generated after it.
	if len(out) > 0 && g.inboxID%5 >= 3 {
		return nil
	}
	return out
}

// triage is what the user has done with an item by now: old ones are
// mostly done, the last days' mostly open. Every 15th item of the last week
// (and the odd older one) is snoozed until a morning in the next days, so
// there are always a few.
func (g *gen) triage(t time.Time) (store.InboxState, any, bool) {
	age := g.now.Sub(t)
	open := g.sz.openOlder
	switch {
	case age < 48*time.Hour:
		open = g.sz.openRecent
	case age < 7*24*time.Hour:
		open = g.sz.openWeek
	}
	snooze := chance(g.r, g.sz.snoozeOlder)
	if age < 7*24*time.Hour {
		g.lastWeek++
		snooze = g.lastWeek%15 == 3
	}
	switch {
	case snooze:
		local := g.now.In(g.zone)
		until := time.Date(local.Year(), local.Month(), local.Day()+1+g.r.IntN(4), 9, 0, 0, 0, g.zone)
		return store.InboxSnoozed, until.UnixMilli(), true
	case chance(g.r, open):
		read := chance(g.r, 0.3)
		if age > 48*time.Hour {
			read = chance(g.r, 0.85)
		}
		return store.InboxOpen, nil, read
	}
	return store.InboxDone, nil, true
}

// remoteRef is the id and address of a post by who at t on a network, the
// seq'th the demo made.
func remoteRef(platform string, who *author, t time.Time, seq uint64) (id, url string) {
	if platform == store.PlatformMastodon {
		return mastodonID(t, seq), "https://" + who.server + "/@" + who.user + "/" + mastodonID(t, seq*7919)
	}
	rkey := tid(t, seq)
	return bskyPostURI(who.did, rkey), bskyPostURL(who.handle, rkey)
}
