package scheduler

import (
	"context"

	"github.com/crier-app/crier/store"
)

// watch wakes the scheduler whenever the database changes, until ctx ends:
// a post queued, moved or withdrawn by another process (the app while
// crier run sends, a script), or the sender lease released. It polls on
// the wall clock: the question is whether another program wrote, not when
// a post is due.
func (s *Scheduler) watch(ctx context.Context) {
	s.st.Watch(ctx, s.o.WatchEvery, store.WatchHooks{
		// Whatever changed before the watch began was not seen: look.
		Opened:  s.Wake,
		Changed: func(store.Change) { s.Wake() },
		Failing: func(err error) {
			s.log.Printf("scheduler: database: watching for changes by other processes: %v", err)
		},
	})
}
