package common

import "github.com/crier-app/crier/platforms"

// Clean makes text safe and sound to draw: no control characters or escape
// sequences reach the terminal (platforms.Sanitize), and emoji sequences that
// terminals disagree about are rewritten so Width measures what is drawn
// (Display). Use it on everything drawn that a person or a network wrote;
// never on text that is stored or sent.
func Clean(s string) string { return Display(platforms.Sanitize(s)) }
