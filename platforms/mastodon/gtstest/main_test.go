package gtstest

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	Report()
	os.Exit(code)
}
