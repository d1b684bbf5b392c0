package models

import "strings"

// escapeLike makes s a literal LIKE pattern (use with ESCAPE '\').
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
