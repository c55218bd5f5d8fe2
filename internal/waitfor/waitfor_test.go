package waitfor

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestWaitReturnsOnceTheCheckHolds(t *testing.T) {
	var n atomic.Int32
	go func() {
		for i := 0; i < 3; i++ {
			n.Add(1)
		}
	}()
	err := Wait(context.Background(), 10*time.Second, "three", func() (bool, string) {
		return n.Load() == 3, "not yet"
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWaitSaysWhatItLastSaw(t *testing.T) {
	calls := 0
	err := Wait(context.Background(), 20*time.Millisecond, "the moon", func() (bool, string) {
		calls++
		return false, "cheese"
	})
	if err == nil || !strings.Contains(err.Error(), "the moon") || !strings.Contains(err.Error(), "last seen: cheese") {
		t.Fatalf("err = %v", err)
	}
	if calls < 2 {
		t.Fatalf("checked %d times, want at least twice", calls)
	}
}

func TestWaitStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Wait(ctx, time.Hour, "nothing", func() (bool, string) { return false, "" })
	if err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("err = %v", err)
	}
}
