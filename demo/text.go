package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// filler expands templates: {list} picks from words, {list2} picks from the
// same list but not what {list} picked, and a few slots are computed.
type filler struct {
	r      *rand.Rand
	us     string    // the bakery's handle as a mention on this network
	to     addressee // whom a reply is for
	when   time.Time // local time of the post being written
	picked map[string]string
}

func newFiller(r *rand.Rand) *filler { return &filler{r: r, picked: map[string]string{}} }

func (f *filler) fill(tmpl string) string {
	clear(f.picked)
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		b.WriteString(f.slot(tmpl[i+1 : i+j]))
		tmpl = tmpl[i+j+1:]
	}
}

func (f *filler) slot(name string) string {
	r := f.r
	switch name {
	case "us":
		return f.us
	case "first", "first_name", "name":
		// The first name stands in for {name} too: the display names
		// people choose ("Carmen | nurse") read badly in a sentence.
		return f.to.first
	case "handle":
		return f.to.handle
	case "me":
		return f.to.me
	case "network":
		return f.to.network
	case "n":
		return strconv.Itoa(3 + r.IntN(10))
	case "today":
		return f.when.Weekday().String()
	case "soon":
		// A quarter past, half past... within the next hour and a half.
		t := f.when.Add(time.Duration(15+r.IntN(75)) * time.Minute).Truncate(15 * time.Minute)
		return strconv.Itoa(t.Hour()) + ":" + t.Format("04")
	case "closing":
		return pick(r, []string{"13:00", "14:00", "15:00", "16:00"})
	case "n2":
		return strconv.Itoa(20 + r.IntN(60))
	case "n3":
		return strconv.Itoa(100 * (1 + r.IntN(6)))
	case "pct":
		return strconv.Itoa(5 * (2 + r.IntN(4)))
	case "price":
		cents := 420 + 10*r.IntN(40)
		return strconv.Itoa(cents/100) + "." + strconv.Itoa(cents%100/10) + strconv.Itoa(cents%10)
	case "url_shop":
		item, ok := f.picked["shopitem"]
		if !ok {
			item = f.slot("shopitem")
		}
		return site + "/shop/" + shopSlugs[item]
	case "url_workshop":
		return site + "/workshops"
	case "url_blog":
		return site + "/blog/" + pick(r, blogSlugs)
	case "url_preorder":
		return site + "/preorder"
	case "url_giftcards":
		return site + "/gift-cards"
	case "press":
		return pick(r, organisations).name
	}
	list, ok := words[name]
	if ok {
		v := pick(r, list)
		f.picked[name] = v
		return v
	}
	if base, found := strings.CutSuffix(name, "2"); found {
		list, ok = words[base]
		if ok {
			prev := f.picked[base]
			for range 8 {
				if v := pick(r, list); v != prev {
					return v
				}
			}
			return pick(r, list)
		}
	}
	return "{" + name + "}" // a typo in a template shows rather than hides
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// Post templates by theme label.
var postTemplates = map[string][]string{
	"bread-of-the-day": {
		"Bread of the day: {bread}. {breadnote} Out of the oven at {soon}. {food}",
		"Today's special loaf is the {bread}. {breadnote} We baked {n2} of them, so don't wait too long.",
		"The {bread} is back! {breadnote} On the shelves from {soon} until it's gone.",
		"Fresh from the oven: {bread} and {bread2}. {breadnote}",
		"This morning's bake: {bread}. {breadnote} There are slices on the counter if you want to try before you buy.",
		"{today} means {bread}. {breadnote}",
	},
	"hours": {
		"Opening hours this week: Tue–Fri 7:00–18:00, Sat 7:00–15:00, Sun 8:00–13:00. Closed on Mondays.",
		"Heads up: we close early on {day} ({closing}) for staff training. Back to normal the day after!",
		"Lots of you asked: yes, we're open this Sunday, 8:00–13:00. Come early for the {pastry}.",
		"Little reminder that we're closed on Mondays. The ovens need a rest too. See you on Tuesday!",
		"Holiday hours: open {day} 8:00–12:00 only. Pre-orders for bigger tables: {url_preorder}",
	},
	"new-pastry": {
		"New on the counter: {pastry}. {pastrynote} {happy}",
		"Say hello to our {pastry}! {pastrynote} Small batch today.",
		"We've been testing this one for weeks: {pastry}. {pastrynote} Tell us what you think!",
		"The first tray of {pastry} just came out of the oven. {pastrynote}",
		"{staff} has been working on these: {pastry}. {pastrynote} On the counter from {soon}.",
	},
	"workshop": {
		"Sourdough workshop this {day}, 10:00–13:00: mix, shape and bake your own loaf, and take home a jar of our starter. {n} spots left → " + site + "/workshops/sourdough-basics",
		"Kids' baking morning on {weekend}! Ages 6–12, aprons provided, flour everywhere guaranteed. Sign up: " + site + "/workshops/kids-baking-morning",
		"Croissant class with {staff}: three hours of folding butter into dough. Small group, 8 people at most. " + site + "/workshops/croissant-class",
		"Thank you to everyone who came to the workshop: {n} beautiful loaves went home. Next dates are up: {url_workshop}",
	},
	"behind-the-scenes": {
		"4:30 in the morning and the ovens are already at 250°C. {staff} is shaping the first {bread}.",
		"Flour delivery day: {n3} kg of organic wheat and rye just arrived. Our backs hurt. {happy}",
		"Meet {staff}, who has been with us since the first week. Ask them about the {pastry}: their recipe.",
		"Our starter is called Gerald and he is seven years old. He gets fed twice a day, more than some of us.",
		"Scoring the loaves before they go in. Every baker has their own pattern. Can you spot {staff}'s?",
		"Behind the counter this morning: {n2} croissants laminated, folded and proofed by hand.",
	},
	"sale": {
		"Last-hour deal: everything left after 17:00 is half price. Less waste, more bread for you.",
		"Gift cards are {pct}% off this weekend. A loaf a week makes a lovely present. {url_giftcards}",
		"Loyalty cards are here: every 10th coffee is on us. Ask at the till!",
		"Too Good To Go bags are up for today: mostly {bread} and {pastry}. {happy}",
	},
	"shop": {
		"Our {shopitem} is now in the webshop, for pick-up or local delivery: {url_shop}",
		"Pre-orders for the weekend are open until Thursday 18:00: {url_preorder}",
		"New on the blog: how we feed our starter, and how to keep yours alive on holiday. {url_blog}",
		"Back in stock: {shopitem}. The last batch sold out in a day. {url_shop}",
	},
	"community": {
		"Every evening, what's left goes to {charity}. Thank you to the volunteers who pick it up!",
		"Which should come back: rhubarb tart or plum cake? Reply and we'll bake the winner on {day}. 👇",
		"Thank you to everyone who follows along here! A coffee and a {onepastry} on us this {day} if you show this post at the till.",
		"Congratulations to our neighbours at {neighbour} on their opening! Go and say hi.",
		"We're hiring: an early-morning baker, 4 days a week. No bakery experience needed, just love for bread. DM us.",
	},
}

// themes, with how often the bakery posts each, how well each does and
// the local hours it goes out at.
var themes = []struct {
	label    string
	weight   float64
	appeal   float64
	from, to int // hours
}{
	{"bread-of-the-day", 30, 0.8, 7, 10},
	{"new-pastry", 16, 1.4, 7, 13},
	{"behind-the-scenes", 14, 1.3, 7, 19},
	{"hours", 9, 0.5, 7, 19},
	{"workshop", 9, 1.0, 9, 19},
	{"sale", 8, 1.1, 12, 18},
	{"shop", 8, 0.6, 9, 19},
	{"community", 6, 1.2, 8, 19},
}

// themeFor draws a theme that suits a local hour.
func themeFor(r *rand.Rand, hour int) string {
	w := make([]float64, len(themes))
	for i, t := range themes {
		if hour >= t.from && hour <= t.to {
			w[i] = t.weight
		}
	}
	return themes[weighted(r, w)].label
}

// Inbox flavours: what the person wants.
type flavour int

const (
	question flavour = iota
	praise
	complaint
	chatter
	numFlavours
)

func (f flavour) String() string {
	return [...]string{"question", "praise", "complaint", "chatter"}[f]
}

// Replies under the bakery's posts, by flavour.
var replyTemplates = [numFlavours][]string{
	question: {
		"Do you have anything gluten-free? My {relation} is coeliac.",
		"Are you open on Sunday?",
		"What time do you open on {day}?",
		"Can I pre-order {n} {pastry} for {day} morning?",
		"Is the {bread} vegan?",
		"Do you still have {pastry} left? I can be there by {time}.",
		"Is there somewhere to lock a bike near the shop?",
		"Do you do birthday cakes? Need one for {occasion}.",
		"Card or cash only?",
		"Is there still space in the workshop on {day}?",
		"Do you deliver to {street}?",
		"Is the rye 100% rye or mixed with wheat?",
		"Does the {bread} contain nuts? Asking for my kid, who has an allergy.",
		"Can I bring my dog inside?",
		"Are you hiring? 👀",
		"How long does the {bread} keep? Thinking of buying two.",
		"Any chance of a gluten-free {onepastry} one day?",
		"Do you sell your starter? Mine just died {sad}",
		"Where do you get your flour from?",
		"Do you have oat milk for the coffee?",
	},
	praise: {
		"The {onepastry} I had this morning was unreal {happy}",
		"Best {bread} in town, no contest.",
		"Thank you {staff} for the lovely chat this morning!",
		"Took your {bread} to {occasion} and everyone asked where it was from {food}",
		"You made my {day}. That {onepastry}… {happy}",
		"Finally a proper bakery around here {happy}",
		"My kids refuse supermarket bread now. Thanks a lot 😂",
		"Still thinking about that {onepastry}.",
		"Worth every cent. The {bread} is something else.",
		"Lovely team, lovely bread, lovely smell on {street} every morning.",
		"Went in for one {onepastry}, left with three. No regrets.",
		"Your workshop was the best thing I did this year. My loaf actually rose!",
		"10/10 would queue again {food}",
		"This looks amazing, as always {happy}",
	},
	complaint: {
		"The {bread} I bought yesterday was burnt on the bottom. Not what I expect for €{price}.",
		"Second loaf this week that was almost black on top {sad}",
		"Honestly a bit disappointed: the person at the till was quite rude when I asked about allergens.",
		"Felt rushed and ignored this morning. Not the welcome I'm used to from you.",
		"I pre-ordered {pastry} for {day} and the order wasn't there when I came to pick it up {sad}",
		"Ordered a {bread} online, got a {bread2}. Please check your orders.",
		"My order was wrong again, second time this month.",
		"€{price} for a loaf? Lovely bread but that's getting steep.",
		"Prices went up again? {sad}",
		"€4 for a {onepastry} is a lot, even for a good one.",
		"Waited 20 minutes in the queue and the {pastry} were sold out by 9. Bake more please!",
		"Your website said open, the door said closed. Which is it?",
		"Found a hair in my {onepastry}. Not great.",
		"Disappointing {onepastry} today: dry and stale. Was it from yesterday?",
	},
	chatter: {
		"Ha, the queue this morning!",
		"Love seeing {staff} behind the counter.",
		"That {bread} looks incredible.",
		"Same time next week?",
		"This made me hungry {food}",
		"Saving this for the weekend.",
		"We had the {bread} with soup last night. Perfect.",
		"Gerald the starter deserves his own account.",
		"Is it {weekend} yet?",
		"My {relation} is going to love this.",
		"Tagging my {relation} so they bring some home.",
		"Dangerous post to see before lunch.",
		"The {pastry} are calling me.",
		"Walked past at {time} and the smell!",
		"Adding this to my {weekend} list.",
		"Ooh, {onepastry} season.",
	},
}

// Mentions: people talking about the bakery, {us} being its handle.
var mentionTemplates = [numFlavours][]string{
	question: {
		"{us} do you have anything without dairy? Vegan friend visiting on {day}.",
		"Is {us} open on public holidays? Anyone know?",
		"{us} can I book the croissant class as a gift?",
		"Does anyone know if {us} does wedding cakes?",
	},
	praise: {
		"Saturday ritual: coffee and a {onepastry} at {us} ☕",
		"If you're anywhere near {street}, go to {us}. Trust me.",
		"Recommending {us} for {occasion}: they did a great job for ours.",
		"New bakery crush: {us} {happy}",
		"Sunday walk, {bread} from {us}, good coffee. That's it, that's the post.",
		"Queue outside {us} again this morning. Worth it.",
		"Shout out to {staff} at {us} for remembering my order every time.",
	},
	complaint: {
		"Shame about {us} lately. The {bread} used to be better.",
		"Third time {us} is out of {pastry} before 10. Come on.",
		"{us} the prices are getting silly. €{price} for bread.",
		"Not impressed with {us} today. Long wait, wrong order.",
	},
	chatter: {
		"Spotted {us}'s {bread} at the farmers' market {food}",
		"The smell on {street} at 7am is all {us}'s fault.",
		"Our office breakfast is sponsored by {us} (we paid, but still).",
		"Day three of eating {us}'s {bread} for every meal.",
		"Found my new favourite {onepastry} at {us}.",
		"Took visiting friends to {us}, now they want to move here.",
	},
}

// Quote posts: someone shares the bakery's post with a comment.
var quoteTemplates = [numFlavours][]string{
	question: {
		"Anyone want to join me for this?",
		"Has anyone tried these? Worth the trip?",
		"Do they do gluten-free too?",
		"Is this worth crossing town for? Asking for a friend 😄",
		"Has anyone been to one of their workshops?",
	},
	praise: {
		"This! Their {bread} is the real deal.",
		"Need. {food}",
		"Saturday plans sorted.",
		"Best bakery in the neighbourhood, and it's not close.",
		"Go go go, these sell out by ten.",
		"If you haven't been yet, this is your sign.",
		"Their {onepastry} ruined all other bakeries for me.",
		"Take my money {food}",
	},
	complaint: {
		"Another price increase dressed up as a 'new recipe'…",
		"Shame it's always sold out by the time I get there.",
		"Lovely, but maybe answer your DMs first?",
		"Would love this if they opened before 7.",
		"Tried twice, sold out twice.",
	},
	chatter: {
		"Ugh, wish they were closer to me.",
		"My favourite local spot 💛",
		"Our neighbours at it again {food}",
		"{weekend} breakfast, sorted.",
		"Bookmarking for my {relation}.",
		"Local gem alert 🥖",
	},
}

// Direct messages.
var dmTemplates = [numFlavours][]string{
	question: {
		"Hi! I'd like to order a cake for {n2} people on {day}. Is that possible?",
		"Hello, do you supply cafés? We run a small coffee place near {street}.",
		"Hi, is there space in the croissant class for two? The website says it's full.",
		"Do you do wholesale? Asking for a restaurant.",
		"Can I pick up my pre-order an hour later than planned? Something came up.",
		"Hi, are the {pastry} safe for someone with a sesame allergy?",
		"Do you sell gift cards? I'd love to send one to my {relation}.",
	},
	praise: {
		"Just wanted to say thank you for the cake for my mum's 70th. She cried (the good kind).",
		"Thank you for holding the last {bread} for me yesterday, that was so kind.",
		"Your {bread} got my {relation} through a rough week. Thank you, truly.",
	},
	complaint: {
		"Didn't want to say this publicly, but my order yesterday was wrong and nobody answered the phone.",
		"Hi, I was charged twice for the workshop. Could you look into it?",
		"The {onepastry} I bought made me feel quite ill. Do you list allergens anywhere?",
	},
	chatter: {
		"Hello, I write for {press}. Could we feature you in our weekend food section?",
		"Hi! I think I left my umbrella at the shop yesterday 🙈",
		"Hey, I'm a trained baker and just moved here. Are you looking for anyone?",
		"Hi, we're organising the {street} street party. Would you like a stall?",
		"Hi! Our school is raising money for a trip. Would you donate a bread basket for the raffle?",
		"Hello! Could I take some photos in the shop for a uni project?",
	},
}

// A little of the neighbourhood's other languages.
var foreignTemplates = [numFlavours][]string{
	question: {
		"Habt ihr sonntags geöffnet?", "Zijn jullie morgen open?", "¿Tenéis opciones sin gluten?",
		"Vous ouvrez à quelle heure samedi ?", "Czy macie chleb bezglutenowy?", "日曜日は営業していますか？",
	},
	praise: {
		"Die Zimtschnecken sind der Wahnsinn! 😍", "Heerlijk brood, echt waar!",
		"¡El mejor croissant del barrio! 🥐", "Le pain au levain est incroyable, merci !",
		"Focaccia buonissima, complimenti!", "このクロワッサン、最高でした！🥐",
		"Najlepszy chleb w okolicy!", "Que pão maravilhoso!",
	},
	complaint: {
		"Das Roggenbrot war leider ziemlich verbrannt. Schade.", "Veel te duur geworden, jammer.",
		"Le croissant était sec ce matin, dommage.",
	},
	chatter: {
		"Samstagmorgen = Brötchen von euch ☕", "Elke zaterdag hier, vaste prik.", "Mi panadería favorita ❤️",
	},
}

// greets reports whether a text already starts with a hello.
func greets(s string) bool {
	for _, h := range []string{"Hi", "Hello", "Hey", "Moin", "Morning"} {
		if strings.HasPrefix(s, h) {
			return true
		}
	}
	return false
}

// casual lower-cases the first letter and drops a final full stop.
func casual(s string) string {
	s = strings.TrimSuffix(s, ".")
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// compose writes an inbox text: a template of the kind and flavour, with
// the greetings, thanks and emoji people add around it.
func (f *filler) compose(kind string, fl flavour) string {
	r := f.r
	var tmpl string
	switch {
	case kind != "dm" && chance(r, 0.07):
		return f.fill(pick(r, foreignTemplates[fl]))
	case kind == "mention":
		tmpl = pick(r, mentionTemplates[fl])
	case kind == "quote":
		tmpl = pick(r, quoteTemplates[fl])
	case kind == "dm":
		tmpl = pick(r, dmTemplates[fl])
	default:
		tmpl = pick(r, replyTemplates[fl])
	}
	body := f.fill(tmpl)
	if chance(r, 0.12) && !strings.HasPrefix(body, "@") {
		body = casual(body) // typed on a phone, in a hurry
	}
	var parts []string
	if (fl == question || kind == "dm") && !greets(body) && chance(r, 0.45) {
		parts = append(parts, f.slot("hello"))
	}
	parts = append(parts, body)
	switch fl {
	case question:
		if chance(r, 0.5) {
			parts = append(parts, f.slot("thanks"))
		}
	case praise:
		if chance(r, 0.35) {
			parts = append(parts, pick(r, []string{"Keep it up!", "See you on " + f.slot("day") + ".", "Never change.", f.slot("happy") + f.slot("happy")}))
		}
	case complaint:
		if chance(r, 0.3) {
			parts = append(parts, pick(r, []string{"Please sort it out.", "Really hope this was a one-off.", f.slot("sad"), "Would appreciate a reply."}))
		}
	case chatter:
		if chance(r, 0.4) {
			parts = append(parts, pick(r, []string{f.slot("food"), f.slot("happy"), "😂", "haha", "🙃", "👀"}))
		}
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}
