package bluesky

import (
	"fmt"
	"testing"
	"time"
)

func TestRecordKeyIsStableAndValid(t *testing.T) {
	at := time.Date(2025, 3, 14, 15, 9, 26, 535_897_000, time.UTC)
	k1, ok := RecordKey("delivery-42", at)
	if !ok {
		t.Fatal("RecordKey refused a 2025 time")
	}
	k2, _ := RecordKey("delivery-42", at.In(time.FixedZone("X", 5*3600)))
	if k1 != k2 {
		t.Fatalf("same key and instant gave %s and %s", k1, k2)
	}
	if !validTID(k1) {
		t.Fatalf("%q is not a TID", k1)
	}
	// The timestamp is createdAt's millisecond plus less than a second.
	if got, ms := tidTime(k1), at.Truncate(time.Millisecond); got.Before(ms) || !got.Before(ms.Add(time.Second)) {
		t.Errorf("TID time %v, want within a second after %v", got, ms)
	}
	other, _ := RecordKey("delivery-43", at)
	if other == k1 {
		t.Errorf("different keys at the same instant gave the same TID %s", k1)
	}
	later, _ := RecordKey("delivery-42", at.Add(time.Millisecond))
	if later == k1 {
		t.Errorf("a millisecond later gave the same key")
	}
	if much, _ := RecordKey("delivery-42", at.Add(time.Second)); much <= k1 {
		t.Errorf("a post a second later sorts first: %s <= %s", much, k1)
	}

}

// The known answer pins the derivation: changing it would make retries of
// posts queued before an upgrade write a second record.
func TestRecordKeyKnownAnswer(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	got, _ := RecordKey("k", at)
	if got != "3khxr27jgtcid" {
		t.Errorf("RecordKey = %s, want 3khxr27jgtcid", got)
	}
	if again, _ := RecordKey("k", at); again != got {
		t.Errorf("not deterministic: %s then %s", got, again)
	}
}

// Posts scheduled for the same instant (a thread, or a campaign on the hour)
// share CreatedAt: their keys must still differ.
func TestRecordKeyCollisionsAreRare(t *testing.T) {
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	seen := map[string]string{}
	for i := range 5000 {
		key := fmt.Sprintf("delivery-%d", i)
		k, _ := RecordKey(key, at)
		if prev, dup := seen[k]; dup {
			t.Fatalf("%s and %s share record key %s", prev, key, k)
		}
		seen[k] = key
	}
}

func TestRecordKeyRange(t *testing.T) {
	if _, ok := RecordKey("k", time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("a time before 1970 was accepted")
	}
	if _, ok := RecordKey("k", time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("a time after 2255 was accepted")
	}
	k, ok := RecordKey("k", time.Unix(0, 0))
	if !ok || !validTID(k) || k[0] != '2' {
		t.Errorf("epoch gives %q, %v", k, ok)
	}
}

func TestEncodeTID(t *testing.T) {
	if got := encodeTID(0); got != "2222222222222" {
		t.Errorf("encodeTID(0) = %s", got)
	}
	if got := encodeTID(1<<63 - 1); got != "bzzzzzzzzzzzz" || !validTID(got) {
		t.Errorf("encodeTID(max) = %s", got)
	}
	for _, bad := range []string{"", "3jzi7ac5hwk2", "kzzzzzzzzzzzz", "3JZI7AC5HWK2C", "3jzi7ac5hwk21"} {
		if validTID(bad) {
			t.Errorf("validTID(%q) = true", bad)
		}
	}
}
