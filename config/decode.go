package config

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
)

// decoding is how viper decodes the merged file and environment into a
// Config that already holds the defaults: through converters, by the type
// of the field, and nothing else. Weak typing stays off, so a single value
// is not silently lifted into a list and true does not become "1".
var decoding viper.DecoderConfigOption = func(c *mapstructure.DecoderConfig) {
	c.DecodeHook = mapstructure.DecodeHookFuncType(convert)
	c.WeaklyTypedInput = false
}

// converters turn a value as YAML or an environment variable gives it into
// the type of the field it goes to, or say in the user's words what is
// wrong with it. A nil result leaves the field as it was: the default, for
// a key given an empty text.
var converters = map[reflect.Type]func(any) (any, error){
	reflect.TypeFor[string]():          toText,
	reflect.TypeFor[bool]():            toBool,
	reflect.TypeFor[time.Duration]():   toDuration,
	reflect.TypeFor[time.Weekday]():    toWeekStart,
	reflect.TypeFor[[]time.Duration](): toDurations,
	reflect.TypeFor[[]string]():        toList[[]string],
	reflect.TypeFor[DomainList]():      toTextList[DomainList],
	reflect.TypeFor[GoalList]():        toTextList[GoalList],
	reflect.TypeFor[int]():             toInt,
}

func convert(_, to reflect.Type, data any) (any, error) {
	if c := converters[to]; c != nil {
		return c(data)
	}
	return data, nil
}

// toText accepts text, trimmed, and scalars such as numbers as written;
// lists and sections are not text. An empty text is "not set".
func toText(val any) (any, error) {
	switch x := val.(type) {
	case string:
		if s := strings.TrimSpace(x); s != "" {
			return s, nil
		}
		return nil, nil
	case bool, int, int64, uint64, float64:
		return fmt.Sprint(x), nil
	}
	return nil, errors.New("want text, got " + kind(val))
}

func toBool(val any) (any, error) {
	switch x := val.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "yes", "on", "1":
			return true, nil
		case "false", "no", "off", "0":
			return false, nil
		}
	}
	return nil, errors.New("want true or false, got " + show(val))
}

// toDuration accepts Go duration text (15m, 1h30m). Bare numbers are
// refused: 15 could mean seconds or minutes.
func toDuration(val any) (any, error) {
	const hint = " is not a duration (write it like 15m or 1h30m)"
	s, ok := val.(string)
	if !ok {
		return nil, errors.New(show(val) + hint)
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		problem := show(val) + hint
		if strings.ContainsAny(s, "dw") {
			problem += "; there are no day or week units, write 24h for a day"
		}
		return nil, errors.New(problem)
	}
	return d, nil
}

// toWeekStart accepts the days the calendar can start its week on, in any
// case.
func toWeekStart(val any) (any, error) {
	s, err := toText(val)
	if s == nil || err != nil {
		return s, err
	}
	day := strings.ToLower(s.(string))
	switch day {
	case "monday":
		return time.Monday, nil
	case "sunday":
		return time.Sunday, nil
	}
	return nil, errors.New(notOneOf(day, "monday", "sunday"))
}

// toDurations accepts a list, or the text of one ("1h,3h 24h", as a
// CRIER_* variable gives it); its items are converted one by one.
func toDurations(val any) (any, error) {
	if s, ok := val.(string); ok {
		items := []any{} // not nil: nil would leave the default in place
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
			items = append(items, f)
		}
		return items, nil
	}
	return toList[[]time.Duration](val)
}

// toTextList accepts a list, or the text of one split at commas (as a
// CRIER_* variable gives it: "example.com,shop.example.com").
func toTextList[T any](val any) (any, error) {
	if s, ok := val.(string); ok {
		items := []any{}
		for _, f := range strings.Split(s, ",") {
			if f = strings.TrimSpace(f); f != "" {
				items = append(items, f)
			}
		}
		return items, nil
	}
	return toList[T](val)
}

// toInt accepts a whole number, or its text.
func toInt(val any) (any, error) {
	switch x := val.(type) {
	case int:
		return x, nil
	case int64:
		return int(x), nil
	case uint64:
		return int(x), nil
	case float64:
		if x == float64(int(x)) {
			return int(x), nil
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(x)); err == nil {
			return n, nil
		}
	}
	return nil, errors.New("want a whole number, got " + show(val))
}

// toList accepts only a list, whose items are converted one by one.
func toList[T any](val any) (any, error) {
	if _, ok := val.([]any); !ok {
		return nil, errors.New(want(reflect.TypeFor[T](), val))
	}
	return val, nil
}

// noteDecodeErrors keeps what the decoder could not convert, by key, for
// check to report in its turn. The decoder goes on after a bad value and
// joins what it found; a field it could not fill keeps its default.
func (l *loader) noteDecodeErrors(err error) {
	switch e := err.(type) {
	case *mapstructure.DecodeError:
		if _, joined := e.Unwrap().(interface{ Unwrap() []error }); joined {
			l.noteDecodeErrors(e.Unwrap())
		} else {
			l.note(e.Name(), e.Unwrap().Error())
		}
	case interface{ Unwrap() []error }:
		for _, err := range e.Unwrap() {
			l.noteDecodeErrors(err)
		}
	case interface{ Unwrap() error }: // "decoding failed due to ..."
		l.noteDecodeErrors(e.Unwrap())
	default:
		l.note("", err.Error()) // not one of ours: still reported, if not as well
	}
}
