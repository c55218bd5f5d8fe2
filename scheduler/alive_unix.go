//go:build unix

package scheduler

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"syscall"
)

// processAlive reports whether a process with this pid exists and has not
// exited. Signal 0 checks without sending anything; EPERM means it exists
// as another user's. A process that was killed but not yet reaped by its
// parent (a zombie) still answers signal 0, so on Linux its state is read
// too: a zombie sends nothing more.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	if err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc here: trust signal 0
	}
	// "pid (comm) S ...": the state follows the last ')', as comm may hold
	// spaces and parentheses.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 || i+2 >= len(stat) {
		return true
	}
	switch stat[i+2] {
	case 'Z', 'X':
		return false
	}
	return true
}
