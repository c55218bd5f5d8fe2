package main

import (
	"context"
	"time"

	"github.com/crier-app/crier/store"
)

// retryWhileBusy runs try, and again every pause for as long as it fails only
// because another program holds the database (that passes: a backup, a
// sqlite3 shell, another crier's long transaction), until it succeeds or
// fails otherwise, ctx ends, or, when bound is above zero, bound has passed
// since the first try. announce is called once, at the first wait, so that
// a person knows why nothing happens. It returns try's last error.
func retryWhileBusy(ctx context.Context, bound, pause time.Duration, announce func(), try func() error) error {
	deadline := time.Now().Add(bound)
	announced := false
	for {
		err := try()
		if err == nil || !store.IsBusy(err) || ctx.Err() != nil || (bound > 0 && time.Now().After(deadline)) {
			return err
		}
		if !announced {
			announce()
			announced = true
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}
