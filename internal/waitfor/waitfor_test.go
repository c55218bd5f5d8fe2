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

func TestBufferWakesItsWaiterAtEachWrite(t *testing.T) {
	var b Buffer
	b.Write([]byte("before\n"))
	mark := b.Len()
	go func() {
		for _, line := range []string{"one\n", "two\n", "three\n"} {
			b.Write([]byte(line))
		}
	}()
	got, ok := b.Await(mark, 10*time.Second, func(w string) bool { return strings.Contains(w, "three") })
	if !ok || got != "one\ntwo\nthree\n" {
		t.Fatalf("Await = %q, %v", got, ok)
	}
	if !b.AwaitWrites(4, 10*time.Second) || b.Writes() != 4 || b.Since(mark) != got {
		t.Fatalf("%d writes, since the mark %q", b.Writes(), b.Since(mark))
	}
}

func TestBufferGivesUp(t *testing.T) {
	var b Buffer
	if _, ok := b.Await(0, 20*time.Millisecond, func(w string) bool { return w != "" }); ok {
		t.Fatal("Await held with nothing written")
	}
	stop := make(chan struct{})
	close(stop)
	b.Write([]byte("last words"))
	// Stopped, it still looks at what was written before giving up.
	if got, ok := b.AwaitOr(stop, 0, time.Hour, func(w string) bool { return w == "last words" }); !ok {
		t.Fatalf("AwaitOr = %q, false", got)
	}
	if _, ok := b.AwaitOr(stop, 0, time.Hour, func(w string) bool { return w == "more" }); ok {
		t.Fatal("AwaitOr held after stop")
	}
}
