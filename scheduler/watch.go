package scheduler

import (
	"context"
	"time"

	"github.com/crier-app/crier/store"
)

// watch wakes the scheduler whenever the database changes, until ctx ends:
// a post queued, moved or withdrawn by another process (the app while
// crier run sends, a script), or the sender lease released. It polls on
// the wall clock: the question is whether another program wrote, not when
// a post is due.
func (s *Scheduler) watch(ctx context.Context) {
	tick := time.NewTicker(s.o.WatchEvery)
	defer tick.Stop()
	var w *store.ChangeWatcher
	defer func() {
		if w != nil {
			w.Close()
		}
	}()
	failing := false
	for first := true; ; first = false {
		if !first {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
		if w == nil {
			var err error
			if w, err = s.st.WatchChanges(ctx); err != nil {
				w = nil
				if !failing && ctx.Err() == nil {
					s.log.Printf("scheduler: database: watching for changes by other processes: %v", err)
				}
				failing = true
				continue
			}
			// Whatever changed before the watch began was not seen: look.
			s.Wake()
		}
		changed, err := w.Changed(ctx)
		if err != nil {
			if !failing && ctx.Err() == nil {
				s.log.Printf("scheduler: database: watching for changes by other processes: %v", err)
			}
			failing = true
			w.Close()
			w = nil
			continue
		}
		failing = false
		if changed {
			s.Wake()
		}
	}
}
