package inbox

// TypingText is true while a text field has the keyboard: the reply (not
// its saved-reply picker), a label, or a typed snooze time. The snooze
// presets take their digits one by one, as keys.
func (m *Model) TypingText() bool {
	return m.labeling || (m.snoozing && m.typingTime) || (m.reply != nil && (m.reply.picker == nil || !m.reply.picker.Active()))
}
