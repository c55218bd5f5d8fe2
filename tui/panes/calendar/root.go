package calendar

// TypingText is true while a new time is typed for a post.
func (m *Model) TypingText() bool { return m.moving }
