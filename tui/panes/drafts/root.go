package drafts

// TypingText is true while the composer's text or time field has the
// keyboard (not its account list), so the root hands it runes that arrived
// together as one piece of text.
func (m *Model) TypingText() bool { return m.comp != nil && m.comp.focus != fieldAccounts }
