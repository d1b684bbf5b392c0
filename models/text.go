package models

import (
	"strings"
	"unicode"
)

// CleanLine is how single-line text (a title, a name, a subject) is
// stored: invalid UTF-8 replaced, control characters dropped (line breaks
// and tabs become spaces first), runs of white space made one space, and
// trimmed. Every create and update of a title or a name passes through
// it, so no feed, export or header built from one can be broken by a
// stray carriage return or escape character.
func CleanLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// CleanText is how multi-line text (Markdown bodies, notes, comments) is
// stored: invalid UTF-8 replaced, every line break made "\n" (CRLF and a
// lone CR alike), and other control characters dropped except the tab.
// Leading and trailing space is left to the caller.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r' || r == '\v' || r == '\f' || r == '\u0085':
			return '\n'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// truncate shortens s to at most n characters (runes), marking a cut
// with an ellipsis; it never splits a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n {
			return s[:i] + "…"
		}
		count++
	}
	return s
}

func quote(s string) string { return "“" + s + "”" }
