package bluesky

import (
	"strings"
	"testing"
	"time"
)

func TestOverlapCursor(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	c, ok := parseOverlapCursor("", time.Minute)
	if !ok || !c.empty() {
		t.Fatal("an empty cursor")
	}
	for i, id := range []string{"a", "b", "c"} {
		if news, _ := c.admit(id, t0.Add(time.Duration(i)*30*time.Second)); !news {
			t.Fatalf("%s was not news", id)
		}
	}
	text := c.String()
	if !strings.HasPrefix(text, t0.Add(time.Minute).Format(time.RFC3339Nano)) || !strings.Contains(text, " a b c") {
		t.Fatalf("cursor %q, want the newest time and the ids within a minute of it", text)
	}

	c, _ = parseOverlapCursor(text, time.Minute)
	if news, old := c.admit("b", t0.Add(30*time.Second)); news || old {
		t.Fatal("an id already seen came back as news")
	}
	if news, old := c.admit("late", t0.Add(10*time.Second)); !news || old {
		t.Fatal("a late arrival inside the window was not news")
	}
	if _, old := c.admit("ancient", t0.Add(-time.Hour)); !old {
		t.Fatal("an item before the window was not old")
	}

	// A cursor that is only a time admits strictly after it.
	c, _ = parseOverlapCursor(t0.Format(time.RFC3339Nano), time.Minute)
	if _, old := c.admit("same", t0); !old {
		t.Fatal("an item at the cursor's own time was admitted")
	}
	if _, ok := parseOverlapCursor("yesterday", time.Minute); ok {
		t.Fatal("a cursor that is not a time was accepted")
	}
}
