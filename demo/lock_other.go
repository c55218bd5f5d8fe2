//go:build !unix

package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// staleLock is how old a lock file may get before it is taken to be left
// over from a build that died; a full build takes well under this.
const staleLock = 15 * time.Minute

// lockFile takes a lock by creating path exclusively, waiting while another
// process holds it. Without flock, a lock left by a build that died is only
// recognised by its age.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid())
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		if fi, err := os.Stat(path); err == nil && time.Since(fi.ModTime()) > staleLock {
			os.Remove(path)
			continue
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}
