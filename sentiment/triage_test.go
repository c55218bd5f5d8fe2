package sentiment

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Labelled is one message of a labelled set (testdata/triage_*.tsv).
type Labelled struct {
	Class   Class
	Channel Channel
	Lang    string
	Text    string
	Line    int
}

var channelNames = map[string]Channel{"reply": Reply, "mention": Mention, "quote": Quote, "dm": Direct}

// LoadLabelled reads a labelled set: tab-separated class, channel,
// language and text, one message a line; # starts a comment line.
func LoadLabelled(path string) ([]Labelled, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Labelled
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.SplitN(line, "\t", 4)
		if len(cols) != 4 {
			return nil, fmt.Errorf("%s:%d: want 4 tab-separated columns (class, channel, language, text), got %d", path, n, len(cols))
		}
		cl := Class(cols[0])
		switch cl {
		case Complaint, Question, Praise, Other:
		default:
			return nil, fmt.Errorf("%s:%d: class %q is not complaint, question, praise or other", path, n, cols[0])
		}
		ch, ok := channelNames[cols[1]]
		if !ok {
			return nil, fmt.Errorf("%s:%d: channel %q is not reply, mention, quote or dm", path, n, cols[1])
		}
		out = append(out, Labelled{Class: cl, Channel: ch, Lang: cols[2], Text: cols[3], Line: n})
	}
	return out, sc.Err()
}

// triageSets are the labelled sets the tests read: every
// testdata/triage_*.tsv (the development sets the cues were written
// against, triage_dev*.tsv, and the held-out set written after them), and
// any set named in CRIER_TRIAGE_SET (a path, or several separated by the
// list separator), for a reviewer's own.
func triageSets(t *testing.T) map[string][]Labelled {
	t.Helper()
	paths, err := filepath.Glob("testdata/triage_*.tsv")
	if err != nil || !slices.Contains(paths, "testdata/triage_dev.tsv") || !slices.Contains(paths, "testdata/triage_heldout.tsv") {
		t.Fatalf("labelled sets: found %v (%v), want testdata/triage_dev.tsv and triage_heldout.tsv among them", paths, err)
	}
	if extra := os.Getenv("CRIER_TRIAGE_SET"); extra != "" {
		paths = append(paths, strings.Split(extra, string(os.PathListSeparator))...)
	}
	out := map[string][]Labelled{}
	for _, p := range paths {
		set, err := LoadLabelled(p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = set
	}
	return out
}

func TestClassifyLabelledSets(t *testing.T) {
	for path, set := range triageSets(t) {
		t.Run(path, func(t *testing.T) {
			confusion := map[Class]map[Class]int{}
			for _, c := range Classes {
				confusion[c] = map[Class]int{}
			}
			read := append(slices.Clone(Classes), Concern)
			var wrong []string
			for _, m := range set {
				r := Read(m.Text, m.Channel)
				confusion[m.Class][r.Class]++
				if r.Class != m.Class {
					wrong = append(wrong, fmt.Sprintf("line %d: %s read as %s (complaint %.1f, praise %.1f, asks %v, cues %v): %s",
						m.Line, m.Class, r.Class, r.Complaint, r.Praise, r.Asks, r.Cues, m.Text))
				}
			}
			t.Logf("%d messages; rows are the labels, columns what Classify read", len(set))
			t.Logf("%-10s %9s %9s %9s %9s %9s   recall", "", Complaint, Question, Praise, Other, Concern)
			for _, c := range Classes {
				row := confusion[c]
				t.Logf("%-10s %9d %9d %9d %9d %9d   %.2f", c, row[Complaint], row[Question], row[Praise], row[Other], row[Concern],
					ratio(row[c], sumRow(row)))
			}
			for _, c := range read {
				got := 0
				for _, l := range Classes {
					got += confusion[l][c]
				}
				t.Logf("precision of %-9s %.2f", c, ratio(confusion[c][c], got))
			}
			if testing.Verbose() {
				for _, w := range wrong {
					t.Log(w)
				}
			}
			// What the inbox's order rests on: complaints found, and few
			// messages taken for one that are not; complaints and
			// questions told from the rest.
			found := ratio(confusion[Complaint][Complaint], sumRow(confusion[Complaint]))
			maybe := ratio(confusion[Complaint][Complaint]+confusion[Complaint][Concern], sumRow(confusion[Complaint]))
			taken := 0
			for _, l := range Classes {
				taken += confusion[l][Complaint]
			}
			precision := ratio(confusion[Complaint][Complaint], taken)
			needs := confusion[Complaint][Complaint] + confusion[Complaint][Question] + confusion[Question][Complaint] + confusion[Question][Question]
			both := ratio(needs, sumRow(confusion[Complaint])+sumRow(confusion[Question]))
			t.Logf("complaints: recall %.2f (%.2f as a complaint or a concern), precision %.2f; complaints and questions read as one of the two: %.2f",
				found, maybe, precision, both)
			// The development sets are what the cues were written on: a
			// change that loses what they hold is a regression. Sets not
			// written on (held out) are measured, and the ranking they
			// give is held to its targets in store's TestNeedsAttentionRanking.
			if strings.Contains(path, "triage_dev") && (maybe < 0.9 || precision < 0.9 || both < 0.9) {
				t.Errorf("development set: want complaints found (as complaints or concerns), complaint precision, and complaints and questions told apart, at least 0.90")
			}
		})
	}
}

func sumRow(row map[Class]int) int {
	n := 0
	for _, v := range row {
		n += v
	}
	return n
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func TestClassifyReadsWhatAMessageIs(t *testing.T) {
	for _, c := range []struct {
		text string
		ch   Channel
		want Class
	}{
		// The two: a private complaint with no strong word in it,
		// and a question whose "died" VADER takes for grief.
		{"Didn't want to say this publicly, but my order yesterday was wrong and nobody answered the phone.", Direct, Complaint},
		{"Do you sell your starter? Mine just died 😬", Reply, Question},
		// A complaint put as a question is a complaint.
		{"Can I get a refund? The loaf was burnt.", Reply, Complaint},
		// Negation turns both ways.
		{"not fresh at all today", Reply, Complaint},
		{"No complaints, spot on as always", Reply, Praise},
		// A question for other people is not for the business...
		{"Has anyone tried these? Worth the trip?", Quote, Other},
		// ...unless it asks about what the business does.
		{"Does anyone know if they do gluten-free cakes?", Mention, Question},
		// Who forgot matters.
		{"Hi, I forgot my umbrella at the shop yesterday. Did you find it?", Direct, Question},
		{"You forgot the croissants in my order. Again.", Reply, Complaint},
		// German and Spanish.
		{"Meine Bestellung war falsch und niemand ging ans Telefon ran.", Direct, Complaint},
		{"Habt ihr sonntags geöffnet?", Reply, Question},
		{"Die Zimtschnecken sind der Wahnsinn!", Reply, Praise},
		{"Mi pedido llegó incompleto y nadie contesta.", Direct, Complaint},
		{"¿Tenéis opciones sin gluten?", Reply, Question},
		{"¡El mejor pan del barrio!", Reply, Praise},
		// "again" and a "never" in different sentences are no "never again".
		{"Shout out to Jonas for remembering my order every time. Never change.", Mention, Praise},
		{"no oat milk AGAIN. third week running", Reply, Complaint},
		// Listening overhears: nothing in it is asked of the business.
		{"Does anyone know a good bakery near Hermannplatz?", Overheard, Other},
		// What was expected against what came, in three languages; an
		// order with nothing gone wrong, or a change asked for, is none.
		{"Encargué una tarta de chocolate y me dieron una de fresa", Reply, Complaint},
		{"Habe 12 Brötchen bezahlt, in der Tüte waren 10.", Reply, Complaint},
		{"Bought a loaf on Saturday, by Sunday it was rock hard", Reply, Complaint},
		{"Ordered 3 dozen for the 14th, see you then!", Reply, Other},
		{"I ordered 2 loaves for Friday, can I pick them up at 5 instead of 3?", Direct, Question},
		{"Ordered a cake for my mum's 80th and she couldn't stop smiling", Reply, Praise},
		// Questions that reproach, and praise of the past.
		{"Is it normal that the sourdough is gummy inside?", Reply, Complaint},
		{"Was ist mit den Croissants passiert? Die waren mal so gut.", Reply, Complaint},
		{"I used to be a pastry chef, this brings back memories", Reply, Other},
		// A fault that keeps coming back; a dog that keeps staring is none.
		{"The card reader keeps declining my card", Reply, Complaint},
		{"Haha my dog keeps staring at the bread", Reply, Other},
		// A price with praise is praise; a closing "thanks" is not.
		{"Paid €6 for a loaf and honestly worth every cent", Reply, Praise},
		{"€3.90 for one cinnamon bun now. I'll make my own, thanks", Reply, Complaint},
		// A price with no currency sign; sarcasm at the end, after what
		// came; bags are no foreign body.
		{"2,90 für ein Franzbrötchen finde ich schon viel", Reply, Complaint},
		{"Kauft man hier Roggenbrot, bekommt man Weizen. Super.", Reply, Complaint},
		{"Do you use paper bags or plastic?", Reply, Question},
		// A tag asks nothing.
		{"Quedamos a las 11 en la panadería, ¿vale?", Mention, Other},
		// What is owed and did not come is a complaint, negation or not:
		// "not refunded" is no "not bad".
		{"I haven't been refunded yet.", Reply, Complaint},
		{"No refund yet, it's been 3 weeks.", Direct, Complaint},
		{"Didn't get a refund", Reply, Complaint},
		{"Not refunded, not answered.", Direct, Complaint},
		{"Ich habe mein Geld immer noch nicht zurückbekommen.", Direct, Complaint},
		{"No me han devuelto el dinero todavía.", Direct, Complaint},
		{"Can I get a refund if I can't make it?", Direct, Question},
		// A supposition about the reader reproaches nobody.
		{"If you haven't been yet, this is your sign.", Quote, Other},
		{"If you haven't tried their rye yet, go!", Mention, Other},
		{"You didn't even answer.", Reply, Complaint},
		// An order given to someone else, in German and Spanish too.
		{"Meine Torte für Samstag wurde an jemand anderen verkauft. Was jetzt?", Direct, Complaint},
		{"Le dieron mi encargo a otra persona.", Direct, Complaint},
		// A count that differs, in words as in digits; a time of day is
		// no count.
		{"Pagué por seis croissants y en la bolsa había cuatro.", Direct, Complaint},
		{"Habe sechs Brötchen bezahlt, in der Tüte waren vier.", Reply, Complaint},
		{"Paid for six croissants, there were four in the bag.", Reply, Complaint},
		{"Ordered 2 loaves for Friday, I'll pick them up at 10!", Direct, Other},
		{"Reserved a table for four, see you at eight!", Direct, Other},
	} {
		if got := Read(c.text, c.ch); got.Class != c.want {
			t.Errorf("Classify(%q) = %s (complaint %.1f, praise %.1f, asks %v, cues %v), want %s",
				c.text, got.Class, got.Complaint, got.Praise, got.Asks, got.Cues, c.want)
		}
	}
}

// BenchmarkClassify measures reading one typical inbox message, the cost
// tone.Read adds per row on top of Score.
func BenchmarkClassify(b *testing.B) {
	const text = "@bakery ordered the birthday cake for Saturday but nobody called back about the pickup time. " +
		"Honestly a bit annoyed 😕 can someone get back to me?"
	Classify(text, Reply)
	b.ReportAllocs()
	for b.Loop() {
		Classify(text, Reply)
	}
}
