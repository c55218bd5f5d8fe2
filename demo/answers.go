package demo

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/crier-app/crier/store"
)

// The bakery's answers to its inbox: for every item the demo marks replied,
// the reply post crier would have sent, written the way its composer writes
// one (the author's handle first on Mastodon) and stored the way QueueReply
// and the scheduler leave it once sent.

// topic is something people write about and the answers that fit it: a
// text is about it when it contains one of keys (in lower case).
type topic struct {
	keys    []string
	answers []string
}

// topics are read in order and the first that a text is about is
// answered, so narrow keys come before the short ones they contain ("left
// with three" before " left"). They go by what a text says rather than by
// its sentiment score: VADER reads "New bakery crush" as a complaint.
//
// Answers are templates of the filler's slots, and of the saved replies'
// placeholders, which it fills in for the addressee; {first} is the
// author's first name. Each fits a Bluesky post with a long name
// filled in. "saved:" and a name answers with that saved reply.
var topics = []topic{
	// Direct messages.
	{[]string{"write for"}, []string{
		"We'd love that, thank you for asking! {staff} looks after press: could you email hello@ryeandshine.bakery with a few dates?",
	}},
	{[]string{"umbrella"}, []string{
		"Found it! A green one? It's behind the counter: come and pick it up whenever suits you.",
	}},
	{[]string{"trained baker"}, []string{
		"Welcome to the neighbourhood! We're always glad to meet bakers: drop by on a weekday afternoon and ask for {staff}.",
	}},
	{[]string{"street party"}, []string{"We'd love a stall! Send us the date and we'll check the rota."}},
	{[]string{"raffle"}, []string{
		"Of course! Come and pick up a bread basket the day before the raffle. Good luck with the trip!",
	}},
	{[]string{"take some photos"}, []string{"Sure! Weekday afternoons are quiet: come by and say hi to {staff} first."}},
	{[]string{"70th"}, []string{"That's so lovely to hear! Happy birthday to your mum from all of us. 🎂"}},
	{[]string{"holding the last"}, []string{"Of course! It had your name on it. 🥖"}},
	{[]string{"rough week"}, []string{
		"That means a lot, {first}, thank you for telling us. There's always a warm loaf here for you. 💛",
	}},
	{[]string{"charged twice"}, []string{
		"So sorry about that! We've refunded the second payment; it should show on your card in 3–5 days.",
	}},
	{[]string{"quite ill"}, []string{
		"We're so sorry you felt unwell, {first}. The full allergen list of every bake is at the counter. Could you tell us the day you bought it, so we can check the batch?",
	}},
	{[]string{"answered the phone"}, []string{
		"We're so sorry, {first}. The phone goes unheard in the morning rush, which is no excuse. What was wrong with the order? We'll put it right today.",
	}},
	{[]string{"supply", "wholesale"}, []string{
		"We do a small wholesale run on weekday mornings. Could you email orders@ryeandshine.bakery with what you'd need? {staff} will get back to you.",
	}},
	{[]string{"later than planned"}, []string{
		"No problem at all, {first}! We'll keep it behind the counter until closing.",
		"Of course. It'll be waiting for you with your name on it. 🥖",
	}},
	{[]string{"says it's full"}, []string{
		"Good timing, {first}: two people dropped out this morning, so there's room for you both. Book at {url_workshop} before it fills up again!",
	}},

	// What listening found: about baking, or about the bakery without
	// speaking to it.
	{[]string{"gave up"}, []string{
		"Don't give up! Bring a jar by and we'll give you some of Gerald, our starter. 🫙",
	}},
	{[]string{"called gerald"}, []string{"Ours is called Gerald too! Great minds. 😄"}},
	{[]string{"feeding my starter"}, []string{"Go, starter, go! 🫙"}},
	{[]string{"flour i bought"}, []string{"So glad it worked out, {first}! Tangy is exactly right. 🥖"}},
	{[]string{"oat milk #flatwhite"}, []string{"Sounds perfect. ☕"}},
	{[]string{"shop opening"}, []string{"Exciting! We'll bring them a loaf on opening day. 🥖"}},
	{[]string{"dutch oven"}, []string{
		"That's about what we do at home too. Lid off a bit earlier if you like a paler crust!",
	}},
	{[]string{"flat as a pancake", "burnt the bottom"}, []string{
		"Happens to us all! A baking tray on the rack below helps. Our workshop covers this too: {url_workshop}",
	}},
	{[]string{"at the station"}, []string{
		"Come and try ours sometime, {first}! There are always slices on the counter. 😉",
	}},
	{[]string{"hate the queue"}, []string{"Sorry about the wait, {first}! Pre-orders skip the queue: {url_preorder}"}},
	{[]string{"empty shop", "florist", "parking"}, []string{
		"So true. Thanks for supporting the shops that are still here, {first}. 💛",
	}},
	{[]string{"lukewarm", "for a #flatwhite"}, []string{"Come by for one of ours, {first}: the first one's on us. ☕"}},
	{[]string{"piece on", "article about", "great read", "well deserved"}, []string{
		"Thank you! It was fun to do (and very early). 😄",
	}},

	// Complaints.
	{[]string{"rude", "rushed", "ignored"}, []string{
		"We're really sorry, {first}. That's not how anyone should feel at our counter. We'll talk it through with the team. Could you send us a direct message with the day?",
		"saved:Sorry, we'll make it right",
	}},
	{[]string{"hair in"}, []string{
		"That's awful, we're so sorry. Please send us a direct message: we'd like to refund you and find out how it happened.",
	}},
	{[]string{"burnt", "black on top"}, []string{
		"Sorry, {first}, that loaf should never have left the bakery. Tell us at the counter next time and the next one's on us.",
		"You're right, that's not good enough. We've had a word with the oven (and the early shift). The next loaf is on us!",
	}},
	{[]string{"stale", " dry"}, []string{
		"Sorry! Everything on the counter should be from that morning. We're checking what went wrong. The next one's on us?",
	}},
	{[]string{"wrong", "wasn't there", "got a"}, []string{
		"saved:Sorry, we'll make it right",
		"So sorry, {first}! Please send us a direct message with your order and we'll refund it or bake it again, whichever you prefer.",
	}},
	{[]string{"sold out", "out of", "bake more"}, []string{
		"Sorry! We're adding a second bake at 10:00 from next week. Pre-orders also skip the queue: {url_preorder}",
		"We know, and we're sorry, {first}. From this Saturday there's a second batch out of the oven at 10:00.",
	}},
	{[]string{"€", "price", "steep", "silly"}, []string{
		"We hear you, {first}. Flour and energy went up a lot this year, and we pay our bakers properly. After 17:00 everything left is half price.",
		"Fair question. Our prices follow the flour and the power bill, sadly, and we keep them as low as we can. The day-old basket is always half price!",
	}},
	{[]string{"website"}, []string{"Sorry for the confusion! The website still had the old hours; it's fixed now."}},
	{[]string{"your dms"}, []string{"Fair point, sorry! We're all caught up on them now."}},
	{[]string{"before 7"}, []string{"Noted, {first}! We're thinking about opening at 6:30 on weekdays."}},
	{[]string{"used to be"}, []string{
		"Sorry to hear that! The recipe hasn't changed, but we'd love to know what felt different. Send us a direct message?",
	}},
	{[]string{"crowded"}, []string{"Sorry, {first}! Weekday afternoons are quieter, and we're adding a bench outside in spring."}},
	{[]string{"wifi"}, []string{"Sorry about that! A new router is on its way this week. ☕"}},

	// Praise, and chatter that deserves an answer.
	{[]string{"left with three"}, []string{"No regrets is the right attitude. 😄"}},
	{[]string{"lovely chat", "remembering my order", "shout out to"}, []string{
		"Aw, thank you! We'll pass it on: that'll make their day.",
	}},
	{[]string{"workshop was"}, []string{"So happy to hear the loaf rose! 🎉 Send us a photo of the next one."}},
	{[]string{"supermarket"}, []string{"Sorry not sorry, {first}. 😄"}},
	{[]string{"queue again", "worth it", "worth the queue"}, []string{"See you in the queue! 😄"}},
	{[]string{"worth every"}, []string{"Thank you, {first}! That means a lot. {happy}"}},
	{[]string{"still thinking about"}, []string{"It's waiting for you on the counter. 😉"}},
	{[]string{"where it was from", "recommending"}, []string{"Thank you for the recommendation, {first}! 💛"}},
	{[]string{"saturday ritual", "saturday plans"}, []string{"See you on Saturday! ☕"}},
	{[]string{"bakery crush"}, []string{"The feeling is mutual! 😍"}},
	{[]string{"take my money"}, []string{"😄 See you at the counter!"}},
	{[]string{"queue this morning"}, []string{"It was a big one! Thanks for waiting. 😄"}},
	{[]string{"gerald"}, []string{"Don't give him ideas. 😄"}},
	{[]string{"behind the counter"}, []string{"And we love seeing you in front of it! 😄"}},
	{[]string{"hungry", "dangerous post", "calling me", "and the smell", "'s fault"}, []string{
		"Sorry not sorry. 😄 {food}",
		"Mission accomplished. 😄",
	}},
	{[]string{"same time"}, []string{"Always! 🥐"}},
	{[]string{"yet?"}, []string{"Almost! 😄"}},
	{[]string{"with soup"}, []string{"Perfect pairing! 🥣"}},
	{[]string{"farmers' market"}, []string{"Every Saturday morning! Come and say hi at the stall."}},
	{[]string{"office breakfast"}, []string{"Thanks for having us! Enjoy. ☕"}},
	{[]string{"visiting friends"}, []string{"Tell them there's a flat free above the bakery. 😄"}},
	{[]string{"closer to me"}, []string{"We deliver within 3 km on Fridays and Saturdays, {first}: maybe you're in luck! {url_preorder}"}},
	{[]string{"saving this", "bookmarking", "adding this"}, []string{"Good plan! {food}"}},
	{[]string{"going to love this", "tagging my"}, []string{"Bring them along next time! 😄"}},
	{[]string{"season"}, []string{"The best season! {food}"}},

	// Questions.
	{[]string{"public holiday"}, []string{
		"We're open on most public holidays, 8:00–12:00. We post the exact hours here the week before!",
		"Mornings only on holidays, {first}: 8:00 until noon, or until the bread runs out.",
	}},
	{[]string{"as a gift", "gift card"}, []string{
		"We do! Gift cards work for bread, coffee and the classes: {url_giftcards}",
		"Yes! Any amount from €10, at the till or online: {url_giftcards} 🎁",
	}},
	{[]string{"gluten", "coeliac"}, []string{
		"Not yet, sorry, {first}. Everything is baked in one kitchen with wheat flour, so we can't promise anything is gluten-free. We're working on it!",
		"Sadly not: our kitchen is full of wheat flour, so it wouldn't be safe for coeliacs. {staff} is testing a buckwheat loaf, though. 👀",
	}},
	{[]string{"dairy"}, []string{
		"Plenty! All our sourdough loaves are vegan, and so are the brownies and the focaccia. 🌱",
	}},
	{[]string{"vegan?"}, []string{"Yes! Just flour, water, salt and time. 🌱"}},
	{[]string{"allerg", "nuts"}, []string{
		"saved:Allergens",
		"Good that you ask, {first}. We bake with nuts and sesame in the same kitchen, so we can't rule out traces. The full ingredient list of every bake is at the counter.",
	}},
	{[]string{"pre-order"}, []string{
		"Yes! Order at {url_preorder} by 18:00 the day before and they'll be waiting for you.",
		"Of course, {first}. Order at {url_preorder} and we'll have them boxed and waiting.",
	}},
	{[]string{" left"}, []string{
		"We do! We'll keep a few back for you: just give your name at the counter. 🥐",
		"A handful left, {first}! We've put some aside for you until {closing}.",
	}},
	{[]string{"cakes", "a cake"}, []string{
		"saved:Big orders",
		"We do! Send us a direct message with the date and how many people, and {staff} will sort something out. 🎂",
	}},
	{[]string{"bike"}, []string{"There are racks right outside the door, and more by the park. 🚲"}},
	{[]string{"cash"}, []string{"Both! Card, cash and phone all work.", "Anything goes: card, cash or phone. 🙂"}},
	{[]string{"workshop", "class"}, []string{
		"There are still a few spots, {first}! Dates and booking: {url_workshop}",
		"Yes! Booking is at {url_workshop}. Bring an apron, we bring the flour.",
	}},
	{[]string{"deliver"}, []string{
		"We deliver within 3 km on Fridays and Saturdays: order by Thursday at {url_preorder} 🚲",
	}},
	{[]string{"100% rye"}, []string{"The dark rye is 100% rye, {first}. The sunflower rye has a little wheat in it."}},
	{[]string{"dog"}, []string{
		"Dogs are very welcome! There's a water bowl by the door and biscuits at the counter. 🐶",
	}},
	{[]string{"hiring"}, []string{
		"We are! We're looking for an early-morning baker. Send us a direct message or drop by and ask for {staff}.",
	}},
	{[]string{"long does"}, []string{
		"3–4 days in a linen bag, {first}, and it freezes beautifully sliced.",
		"A good four days if you keep it cut side down on the board. It also freezes well!",
	}},
	{[]string{"starter"}, []string{
		"We do! Jars of Gerald's offspring are €3 at the counter, with feeding instructions. 🫙",
		"Sorry for your loss, {first}! Bring a clean jar and we'll fill it with some of ours for free.",
	}},
	{[]string{"flour"}, []string{"From a small stone mill two hours north. We wrote about our visit: {url_blog}"}},
	{[]string{"oat milk"}, []string{"Yes, oat and soy, at no extra charge. ☕"}},
	{[]string{"join me"}, []string{"The more the merrier! 😄"}},
	{[]string{"worth", "or the place"}, []string{
		"We might be a little biased, but yes! 😄 Come early on Saturday for the best choice.",
		"Come and taste before you decide, {first}: there are always slices on the counter. 😉",
	}},
	{[]string{"open"}, []string{
		"saved:Opening hours",
		"Tue–Sat from 7:00, Sundays 8:00–13:00, and closed on Mondays. 🥐",
		"Hi {first}! From 7:00 on weekdays and Saturday, 8:00 on Sunday. See you soon! 🥐",
	}},
}

// What a text about none of the topics gets, by its flavour.
var fallbacks = [numFlavours][]string{
	question: {
		"Good question! Best to ask {staff} at the counter, or send us a direct message and we'll find out.",
		"Let us check with the bakers and get back to you, {first}!",
	},
	praise: {
		"saved:Thanks",
		"Thank you so much, {first}! {happy}",
		"That made our morning, thank you! {food}",
		"So glad you liked it, {first}! See you soon.",
		"Thanks {first}! We'll tell {staff}, they'll be delighted.",
		"Aw, thank you! The bakers read every one of these. {happy}",
		"You're the best, {first}. {food}",
	},
	complaint: {
		"saved:Sorry, we'll make it right",
		"Sorry to hear that, {first}. Could you send us a direct message with the details? We'll make it right.",
		"Thanks for telling us, and sorry. That's not the standard we hold ourselves to.",
	},
	chatter: {
		"😄 {food}",
		"Ha! See you soon, {first}. {food}",
		"Thanks for following along, {first}! {happy}",
		"Enjoy! {food}",
	},
}

// What listening found that is about none of the topics: kind words about
// the bakery, or someone's baking.
var (
	listeningThanks = []string{
		"Thanks for the shout-out, {first}! {happy}",
		"Hi from {me}! Thank you, that made our day. {food}",
	}
	listeningCheers = []string{
		"Love this, {first}! 👏",
		"Looking good! 👏 {food}",
		"Happy baking, {first}! 🥖",
	}
)

// foreignAnswers answer the inbox's texts in other languages in kind.
var foreignAnswers = map[string][]string{
	"Habt ihr sonntags geöffnet?":               {"Ja, sonntags von 8 bis 13 Uhr! 🥐"},
	"Zijn jullie morgen open?":                  {"Ja hoor, van 7:00 tot 18:00 (maandag zijn we dicht)."},
	"¿Tenéis opciones sin gluten?":              {"¡Lo sentimos! Todavía no: en nuestra cocina usamos harina de trigo para todo."},
	"Vous ouvrez à quelle heure samedi ?":       {"Dès 7h le samedi, jusqu'à 15h. À bientôt !"},
	"Czy macie chleb bezglutenowy?":             {"Niestety jeszcze nie, przepraszamy!"},
	"日曜日は営業していますか？":                             {"はい、日曜日は8時から13時まで営業しています！"},
	"Die Zimtschnecken sind der Wahnsinn! 😍":    {"Danke schön! 😊", "Freut uns riesig, danke!"},
	"Heerlijk brood, echt waar!":                {"Dank je wel! 🥖"},
	"¡El mejor croissant del barrio! 🥐":         {"¡Muchas gracias! 🥐"},
	"Le pain au levain est incroyable, merci !": {"Merci beaucoup, à bientôt ! 🥖"},
	"Focaccia buonissima, complimenti!":         {"Grazie mille! 😊"},
	"このクロワッサン、最高でした！🥐":                          {"ありがとうございます！🥐"},
	"Najlepszy chleb w okolicy!":                {"Dziękujemy! 😊"},
	"Que pão maravilhoso!":                      {"Muito obrigado! 🥖"},
	"Das Roggenbrot war leider ziemlich verbrannt. Schade.": {
		"Das tut uns leid! Sag beim nächsten Mal an der Theke Bescheid, dann geht ein Brot auf uns.",
	},
	"Veel te duur geworden, jammer.":            {"Begrijpelijk. Na 17:00 is alles wat over is de helft goedkoper!"},
	"Le croissant était sec ce matin, dommage.": {"Désolés ! Ça ne devrait pas arriver, on vérifie."},
	"Samstagmorgen = Brötchen von euch ☕":       {"Bis Samstag! 🥐"},
	"Elke zaterdag hier, vaste prik.":           {"Tot zaterdag! 🥖"},
	"Mi panadería favorita ❤️":                  {"¡Gracias! ❤️"},
}

// answerTemplate picks what to answer an item with, by what it says.
func (g *gen) answerTemplate(it *answerable) string {
	r := g.say
	i, ok := g.topicOf[it.body]
	if !ok {
		i = topicIndex(it.body)
		g.topicOf[it.body] = i
	}
	switch {
	case i == foreign:
		return pick(r, foreignAnswers[strings.TrimSpace(withoutMentions(it.body))])
	case i >= 0:
		return pick(r, topics[i].answers)
	}
	fl := flavourOf(it.asks, it.score)
	if it.kind == store.KindListening && fl != complaint {
		if strings.Contains(strings.ToLower(it.body), "rye and shine") {
			return pick(r, listeningThanks)
		}
		return pick(r, listeningCheers)
	}
	return pick(r, fallbacks[fl])
}

// foreign is topicIndex's answer for a text in another language.
const foreign = -2

// topicIndex is the index in topics of what a text is about, foreign for
// one of foreignAnswers' texts, or -1. The large build's texts repeat, so
// answerTemplate keeps what it found for each.
func topicIndex(body string) int {
	body = strings.TrimSpace(withoutMentions(body))
	if _, ok := foreignAnswers[body]; ok {
		return foreign
	}
	text := strings.ToLower(body)
	return slices.IndexFunc(topics, func(tp topic) bool {
		return slices.ContainsFunc(tp.keys, func(k string) bool { return strings.Contains(text, k) })
	})
}

// withoutMentions drops the handles a Mastodon reply starts with, which
// say nothing about what it asks.
func withoutMentions(s string) string {
	for strings.HasPrefix(s, "@") {
		_, rest, ok := strings.Cut(s, " ")
		if !ok {
			return ""
		}
		s = rest
	}
	return s
}

// answerText writes the reply to an item: a template filled in for its
// author, a hello and a signature in a direct message, and on Mastodon
// the author's handle first, as the composer starts it.
func (g *gen) answerText(it *answerable, a *account) string {
	r := g.say
	tmpl := g.answerTemplate(it)
	if name, ok := strings.CutPrefix(tmpl, "saved:"); ok {
		tmpl = savedReplyBody(name)
	}
	if it.kind == store.KindDM {
		if !greets(tmpl) && !strings.Contains(tmpl, "{first") && chance(r, 0.7) {
			tmpl = pick(r, []string{"Hi {first}! ", "Hello {first}! ", "Hi {first}, thanks for writing! "}) + tmpl
		}
		if !strings.Contains(tmpl, " — ") && chance(r, 0.5) {
			tmpl += " — {staff}" // signed, unless the saved reply was
		}
	}
	to := addressee{first: firstName(it.who.name), handle: "@" + strings.TrimPrefix(it.who.handle, "@"),
		me: a.displayName, network: "Bluesky"}
	if a.platform == store.PlatformMastodon {
		to.network = "Mastodon"
	}
	g.af.to = to
	body := g.af.fill(tmpl)
	if a.platform == store.PlatformMastodon {
		body = to.handle + " " + body
	}
	return body
}

// addressee is whom a reply is for, as the saved replies' placeholders
// name it.
type addressee struct {
	first   string // {first}, {first_name} and {name}
	handle  string // with its @
	me      string // our account's name
	network string // "Mastodon", "Bluesky"
}

// savedReplyBody is the text of one of the demo's saved replies.
func savedReplyBody(name string) string {
	i := slices.IndexFunc(savedReplies, func(s savedReply) bool { return s.name == name })
	return savedReplies[i].body // a name not in the list is a typo here: fail loudly
}

// firstName is how the bakery greets someone: the first word of their
// name that has a letter in it (a local organisation by its full name).
func firstName(name string) string {
	if slices.ContainsFunc(organisations, func(o struct{ name, user string }) bool { return o.name == name }) {
		return name
	}
	for _, w := range strings.Fields(name) {
		if strings.ContainsFunc(w, unicode.IsLetter) {
			return w
		}
	}
	return name
}

// answer is a reply the bakery sent.
type answer struct {
	item *answerable
	sent time.Time
}

// writeAnswers stores each answer as crier does a reply that went out: a
// sent post tied to the item, one target (the item's account) and one sent
// delivery marked as a reply, queued seconds before it went. Ids follow
// the send times and come after everything already written.
func (g *gen) writeAnswers(ctx context.Context, tx *store.LoadTx, answers []answer) error {
	slices.SortStableFunc(answers, func(a, b answer) int { return a.sent.Compare(b.sent) })
	var postID, deliveryID int64
	if err := tx.QueryRowContext(ctx,
		"SELECT (SELECT coalesce(max(id), 0) FROM posts), (SELECT coalesce(max(id), 0) FROM deliveries)").
		Scan(&postID, &deliveryID); err != nil {
		return err
	}
	accounts := map[int64]*account{}
	for _, a := range g.accounts {
		accounts[a.id] = a
	}
	posts, err := tx.Rows(ctx, "posts",
		"id", "body", "state", "scheduled_at", "scheduled_zone", "reply_to_item", "created_at", "updated_at")
	if err != nil {
		return err
	}
	targets, err := tx.Rows(ctx, "post_targets", "post_id", "account_id")
	if err != nil {
		return err
	}
	deliveries, err := tx.Rows(ctx, "deliveries",
		"id", "post_id", "account_id", "state", "due_at", "attempts", "idempotency_key",
		"remote_id", "remote_url", "sent_at", "reply")
	if err != nil {
		return err
	}
	for _, ans := range answers {
		it, a := ans.item, accounts[ans.item.account]
		body := g.answerText(it, a)
		// The scheduler picks a reply up within seconds of QueueReply.
		queued := ans.sent.Add(-time.Duration(800+g.say.IntN(5000)) * time.Millisecond).UnixMilli()
		var remoteID, url string
		if it.kind == store.KindDM && a.platform == store.PlatformBluesky {
			g.idSeq++
			remoteID = tid(ans.sent, g.idSeq) // a chat message: no record, no public page
		} else {
			remoteID, url = g.ourRemoteID(a, ans.sent)
		}
		postID++
		deliveryID++
		posts.Add(postID, body, string(store.PostSent), queued, "UTC", it.id, queued, queued)
		targets.Add(postID, a.id)
		deliveries.Add(deliveryID, postID, a.id, string(store.DeliverySent), queued, 1, idempotencyKey(g.say),
			remoteID, url, ans.sent.UnixMilli(), 1)
	}
	for _, w := range []*store.RowWriter{posts, targets, deliveries} {
		if err := w.Close(); err != nil {
			return err
		}
	}
	return nil
}
