package demo

// The bakery's world: what it bakes, who works there, where it is. Templates
// elsewhere name these lists in braces ({bread}, {staff}, ...).
var words = map[string][]string{
	"bread": {
		"country sourdough", "dark rye", "seeded spelt", "baguette", "olive & rosemary loaf",
		"walnut sourdough", "buckwheat loaf", "potato bread", "challah", "einkorn loaf",
		"fig & fennel loaf", "oat porridge loaf", "multigrain tin loaf", "ciabatta", "sunflower rye",
		"Vinschgauer", "pumpkin seed loaf", "white sandwich loaf",
	},
	"pastry": {
		"croissants", "pain au chocolat", "cardamom buns", "cinnamon rolls", "almond croissants",
		"kouign-amann", "pistachio snails", "apple turnovers", "lemon tarts", "cheese twists",
		"morning buns", "rhubarb danishes", "brown butter cookies", "vegan brownies",
		"custard tarts", "chocolate babka", "focaccia slices", "sausage rolls", "plum cake",
		"hazelnut twists",
	},
	"onepastry": {
		"croissant", "cinnamon roll", "cardamom bun", "pain au chocolat", "almond croissant",
		"custard tart", "morning bun", "slice of babka", "brownie", "cheese twist",
	},
	"breadnote": {
		"48-hour ferment, crackly crust.", "Stone-ground flour from a mill two hours north.",
		"Dense, tangy and perfect with salted butter.", "Keeps for days and makes great toast.",
		"Our head baker's favourite.", "Naturally leavened, nothing else added.",
		"Extra seeds this time.", "Baked dark, the way we like it.",
		"Soft crumb, thin crust, ideal for sandwiches.", "A little honey in the dough this week.",
		"Made with the old starter, so extra sour.", "Proofed overnight in the cold room.",
	},
	"pastrynote": {
		"Laminated with French butter, 27 layers.", "A little less sugar than you'd expect.",
		"Our bakers' favourite this month.", "Flaky outside, soft in the middle.",
		"Baked in small batches all morning.", "Gone by noon last time, so come early.",
		"Best eaten still warm.", "Pairs very well with a flat white.",
	},
	"staff":   {"Marta", "Jonas", "Priya", "Léa", "Tomasz", "Kofi", "Ines"},
	"time":    {"9:00", "10:30", "12:00", "13:30", "16:00", "17:30"},
	"weekend": {"Saturday", "Sunday"},
	"day":     {"Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
	"street": {
		"Linden Street", "the canal", "Market Square", "Elm Road", "the station", "Mill Lane",
		"the park", "Harbour Street",
	},
	"charity":   {"the Eastside food bank", "the night shelter on Mill Lane", "the community fridge at the library"},
	"neighbour": {"Bean There (coffee)", "the new bike shop on Elm Road", "Page & Plant books", "Fold & Fern florist"},
	"relation":  {"daughter", "partner", "mum", "flatmate", "colleague", "son", "grandad", "best friend"},
	"occasion":  {"a birthday", "an office breakfast", "a wedding brunch", "our book club", "a picnic", "a baby shower"},
	"shopitem": {
		"honey & pecan granola", "sourdough starter kit", "stone-ground rye flour (1 kg)",
		"linen bread bag", "apricot & vanilla jam", "rattan proofing basket", "gift box",
	},
	"food":  {"🥐", "🥖", "🍞", "🥨", "🧁", "☕", "🥯", "🫶", "🍓"},
	"happy": {"😍", "🙌", "❤️", "✨", "😋", "🤤", "👏", "🥰", "🔥", "💛"},
	"sad":   {"😕", "😞", "🙁", "😬", "😤", "🤨"},
	"hello": {"Hi!", "Hey!", "Morning!", "Hello 👋", "Hi there!", "Quick question:", "Hey folks!", "Moin!", "Hiya!"},
	"thanks": {
		"Thanks!", "Thank you 🙏", "Cheers!", "x", "Thanks in advance!", "🙏", "Much appreciated.",
		"Have a lovely day!", "",
	},
}

// shopURL and friends are the bakery's own site.
const site = "https://ryeandshine.bakery"

var shopSlugs = map[string]string{
	"honey & pecan granola":         "granola-honey-pecan",
	"sourdough starter kit":         "starter-kit",
	"stone-ground rye flour (1 kg)": "rye-flour-1kg",
	"linen bread bag":               "linen-bread-bag",
	"apricot & vanilla jam":         "apricot-vanilla-jam",
	"rattan proofing basket":        "banneton-round",
	"gift box":                      "gift-box",
}

var blogSlugs = []string{"feeding-your-starter", "why-we-bake-at-four", "visiting-our-mill", "less-waste-more-bread"}

// Hashtags the bakery adds, by theme, and the ones that fit anything.
var (
	anyTags   = []string{"#bakery", "#shoplocal", "#smallbusiness", "#foodie", "#breakfast", "#coffee"}
	themeTags = map[string][]string{
		"bread-of-the-day":  {"#sourdough", "#realbread", "#bread", "#rye"},
		"hours":             {"#openinghours", "#neighbourhood"},
		"new-pastry":        {"#pastry", "#pastrylove", "#viennoiserie", "#baking"},
		"workshop":          {"#baking", "#sourdough", "#workshop", "#learntobake"},
		"behind-the-scenes": {"#bakerslife", "#behindthescenes", "#sourdough"},
		"sale":              {"#lesswaste", "#deal", "#shoplocal"},
		"shop":              {"#webshop", "#gifts", "#shoplocal"},
		"community":         {"#community", "#neighbourhood", "#shoplocal"},
	}
)

// The people who write to the bakery.
var (
	firstNames = []string{
		"Anna", "Ben", "Chloé", "Dmitri", "Emma", "Farah", "Giulia", "Hannah", "Ismail", "Jana",
		"Kenji", "Lina", "Mateo", "Nora", "Oskar", "Paula", "Quentin", "Rosa", "Sami", "Tess",
		"Umar", "Vera", "Wim", "Ximena", "Yusuf", "Zoë", "Lukas", "Mia", "Noah", "Sofia",
		"Aiko", "Bram", "Carmen", "Daan", "Elif", "Finn", "Greta", "Hugo", "Inès", "Joost",
		"Kasia", "Leon", "Maren", "Nils", "Olga", "Pia", "Rafael", "Sanne", "Theo", "Amara",
	}
	lastNames = []string{
		"Becker", "Okafor", "Dubois", "Novak", "Rossi", "García", "Jansen", "Kowalski", "Nakamura",
		"Schmidt", "Haddad", "Lindqvist", "Murphy", "Costa", "Yılmaz", "Berg", "Fischer", "de Vries",
		"Moreau", "Patel", "Andersen", "Mensah", "Silva", "Wójcik",
	}
	bios = []string{
		"runner & coffee nerd", "she/her", "he/him", "they/them", "dog person", "plant dad",
		"teacher", "cyclist", "🌱", "📚", "amateur baker", "nurse", "🏳️‍🌈",
	}
	mastodonServers = []string{
		"mastodon.social", "mastodon.social", "hachyderm.io", "fosstodon.org", "mstdn.social",
		"chaos.social", "mas.to", "toot.community", "social.vivaldi.net", "mastodon.online",
		"norden.social", "det.social", "mastodon.nl", "piaille.fr", "mastodon.world",
	}
	customDomains = []string{".com", ".nl", ".de", ".dev", ".net", ".fr"}
	organisations = []struct{ name, user string }{
		{"Eastside Gazette", "eastsidegazette"},
		{"Radio Riverside", "radioriverside"},
		{"Neighbourhood Eats", "neighbourhoodeats"},
		{"Linden Street Traders", "lindenstreet"},
		{"City Food Guide", "cityfoodguide"},
		{"Bean There Coffee", "beantherecoffee"},
	}
)
