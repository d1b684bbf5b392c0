package static

import (
	"strings"
	"testing"
)

// TestStylesheetBracesBalance catches a rule or @media block left open (for
// example by a merge), which would silently swallow every rule after it.
func TestStylesheetBracesBalance(t *testing.T) {
	for _, name := range Names() {
		if !strings.HasSuffix(name, ".css") || strings.HasPrefix(name, "vendor/") {
			continue
		}
		a, _ := load().byName[name]
		depth, line := 0, 1
		inComment := false
		src := string(a.Data)
		for i := 0; i < len(src); i++ {
			switch {
			case inComment:
				if strings.HasPrefix(src[i:], "*/") {
					inComment = false
					i++
				}
			case strings.HasPrefix(src[i:], "/*"):
				inComment = true
				i++
			case src[i] == '{':
				depth++
			case src[i] == '}':
				depth--
				if depth < 0 {
					t.Fatalf("%s:%d: unmatched }", name, line)
				}
			case src[i] == '@' && depth > 0 && strings.HasPrefix(src[i:], "@media"):
				// @media nested inside a rule: a block above was left open.
				if depth > 0 {
					t.Fatalf("%s:%d: @media inside an open block", name, line)
				}
			}
			if src[i] == '\n' {
				line++
			}
		}
		if depth != 0 {
			t.Fatalf("%s: %d block(s) left open", name, depth)
		}
	}
}
