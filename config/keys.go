package config

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
)

// The keys crier knows are the mapstructure tags of Config and of the types
// inside it; nothing else lists them.

// section is the keys one level of the file accepts, in the order of the
// struct that it decodes into.
type section []field

type field struct {
	key  string
	typ  reflect.Type
	sub  section // the keys inside a section (a struct) or inside each entry of a list of them
	list bool    // a list of entries, each holding sub's keys
}

// sectionOf reads a struct's keys from its fields' mapstructure tags.
// Untagged fields and those tagged "-" are not keys.
func sectionOf(t reflect.Type) section {
	var s section
	for i := range t.NumField() {
		sf := t.Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("mapstructure"), ",")
		if !sf.IsExported() || key == "" || key == "-" {
			continue
		}
		f := field{key: key, typ: sf.Type}
		switch {
		case sf.Type.Kind() == reflect.Struct:
			f.sub = sectionOf(sf.Type)
		case sf.Type.Kind() == reflect.Slice && sf.Type.Elem().Kind() == reflect.Struct:
			f.sub, f.list = sectionOf(sf.Type.Elem()), true
		}
		s = append(s, f)
	}
	return s
}

func (s section) keys() []string {
	keys := make([]string, len(s))
	for i, f := range s {
		keys[i] = f.key
	}
	return keys
}

func (s section) field(key string) (field, bool) {
	for _, f := range s {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

var (
	// fileKeys are the keys of a config file, read from Config.
	fileKeys = sectionOf(reflect.TypeFor[Config]())
	// envKeys are the dotted keys a CRIER_* variable may override: every
	// value outside a list of entries (accounts, being a list, cannot be).
	envKeys = leafKeys(fileKeys, "")
)

func leafKeys(s section, prefix string) []string {
	var keys []string
	for _, f := range s {
		switch {
		case f.list:
		case f.sub != nil:
			keys = append(keys, leafKeys(f.sub, prefix+f.key+".")...)
		default:
			keys = append(keys, prefix+f.key)
		}
	}
	return keys
}

// wants says what a value of a type looks like in the file, for messages
// of the form "want ..., got ...". Sections not named here are "a section
// of indented keys".
var wants = map[reflect.Type]string{
	reflect.TypeFor[[]Account]():       "a list of accounts, each starting with -",
	reflect.TypeFor[Account]():         "an account with keys such as platform: and handle:",
	reflect.TypeFor[[]time.Duration](): "a list of durations like [1h, 3h, 24h]",
	// The only plain list of text is an account's listen:.
	reflect.TypeFor[[]string]():   `a list of keywords and hashtags like ["#sourdough", "rye and shine"]`,
	reflect.TypeFor[DomainList](): "a list of domains like [example.com, shop.example.com]",
	reflect.TypeFor[GoalList]():   `a list of Plausible goal names like ["Purchase", "Signup"]`,
}

func want(t reflect.Type, got any) string {
	w, ok := wants[t]
	if !ok && t.Kind() == reflect.Struct {
		w = "a section of indented keys"
	}
	return "want " + w + ", got " + kind(got)
}

// checkKeys walks the file's values and reports the first unknown key or
// section or list of entries of the wrong shape, in a stable order: keys
// sorted, depth first. The items of a list that YAML read as nothing it
// passes to note, to be reported in their turn among the values.
func checkKeys(file string, raw map[string]any, note func(key, problem string)) error {
	return checkSection(file, "", raw, fileKeys, note)
}

func checkSection(file, path string, m map[string]any, s section, note func(key, problem string)) error {
	for _, k := range sortedKeys(m) {
		key := k
		if path != "" {
			key = path + "." + k
		}
		f, ok := s.field(k)
		if !ok {
			return &Error{File: file, Key: key, Problem: "unknown key" + suggest(k, s.keys())}
		}
		val := m[k]
		if val == nil {
			continue
		}
		switch {
		case f.list:
			list, ok := val.([]any)
			if !ok {
				return &Error{File: file, Key: key, Problem: want(f.typ, val)}
			}
			for i, item := range list {
				itemKey := fmt.Sprintf("%s[%d]", key, i)
				entry, ok := item.(map[string]any)
				if !ok {
					return &Error{File: file, Key: itemKey, Problem: want(f.typ.Elem(), item)}
				}
				if err := checkSection(file, itemKey, entry, f.sub, note); err != nil {
					return err
				}
			}
		case f.sub != nil:
			sec, ok := val.(map[string]any)
			if !ok {
				return &Error{File: file, Key: key, Problem: want(f.typ, val)}
			}
			if err := checkSection(file, key, sec, f.sub, note); err != nil {
				return err
			}
		case f.typ.Kind() == reflect.Slice:
			// A list of values of the wrong shape is the decoder's to
			// report; an item with nothing in it decodes to a zero that
			// would be blamed for the wrong thing.
			list, _ := val.([]any)
			for i, item := range list {
				if item == nil {
					problem := emptyItem(f.typ.Elem())
					if f.typ != reflect.TypeFor[[]string]() && f.typ.Elem().Kind() == reflect.String {
						problem = "empty; write a name, or take the line out"
					}
					note(fmt.Sprintf("%s[%d]", key, i), problem)
				}
			}
		}
	}
	return nil
}

// emptyItem says what is wrong with a list item that YAML read as nothing.
func emptyItem(t reflect.Type) string {
	if t.Kind() == reflect.String {
		// `- #sourdough` unquoted is a comment to YAML, leaving nothing.
		return `empty; write a hashtag in quotes, like "#sourdough" (unquoted, YAML reads # as the start of a comment)`
	}
	if convert := converters[t]; convert != nil {
		if _, err := convert(nil); err != nil {
			return err.Error()
		}
	}
	return "empty"
}

// Words people reach for instead of the key crier uses, checked in order.
var keyAliases = []struct{ alias, key string }{
	{"password", "credential"},
	{"app_password", "credential"},
	{"token", "credential"},
	{"access_token", "credential"},
	{"secret", "credential"},
	{"username", "handle"},
	{"instance", "server"},
	{"url", "server"},
	{"network", "platform"},
	{"tz", "timezone"},
	{"time_zone", "timezone"},
	{"db", "database"},
	{"logfile", "log_file"},
}

// suggest offers the nearest sibling key, then a known synonym, then the
// section where a stray key belongs.
func suggest(leaf string, siblings []string) string {
	best, bestDist := "", 3
	for _, s := range siblings {
		if d := editDistance(leaf, s); d < bestDist && nearMiss(leaf, s, d) {
			best, bestDist = s, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	for _, a := range keyAliases {
		// Short aliases like "db" are a near miss for too many words.
		slack := 2
		if len(a.alias) <= 4 {
			slack = 0
		}
		if slices.Contains(siblings, a.key) && editDistance(leaf, a.alias) <= slack {
			return fmt.Sprintf(" (did you mean %q?)", a.key)
		}
	}
	for _, f := range fileKeys {
		if _, ok := f.sub.field(leaf); !ok {
			continue
		}
		if f.list {
			return fmt.Sprintf(" (it belongs inside an entry under %s:)", f.key)
		}
		return fmt.Sprintf(" (it belongs under %s:)", f.key)
	}
	return ""
}

// nearMiss reports whether two words at edit distance d are plausibly a typo
// of each other: at most 2 edits, and fewer edits than either has letters,
// so "db" is not taken for "ui".
func nearMiss(a, b string, d int) bool {
	return d <= 2 && d < len([]rune(a)) && d < len([]rune(b))
}

// editDistance is the distance between two keys, in typing slips.
func editDistance(a, b string) int {
	// Optimal string alignment: insertions, deletions, substitutions and
	// two neighbours swapped ("domian" for "domains") each count one.
	ar, br := []rune(a), []rune(b)
	before := make([]int, len(br)+1) // row i-2
	prev := make([]int, len(br)+1)   // row i-1
	cur := make([]int, len(br)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ar); i++ {
		cur[0] = i
		for j := 1; j <= len(br); j++ {
			cost := 1
			if ar[i-1] == br[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ar[i-1] == br[j-2] && ar[i-2] == br[j-1] {
				cur[j] = min(cur[j], before[j-2]+1)
			}
		}
		before, prev, cur = prev, cur, before
	}
	return prev[len(br)]
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
