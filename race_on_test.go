//go:build race

package main

// raceEnabled: the CLI tests build the binary they run with -race too.
const raceEnabled = true
