package views

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{Plural(0, "row", "rows"), "0 rows"},
		{Plural(1, "row", "rows"), "1 row"},
		{Plural(2, "row", "rows"), "2 rows"},
		{Plural(int64(1), "question", "questions"), "1 question"},
		{Plural(int64(1204), "question", "questions"), "1,204 questions"},
		{Plural(int32(1), "line was", "lines were"), "1 line was"},
		{Plural(3, "line was", "lines were"), "3 lines were"},
		{PluralNoun(1, "incident", "incidents"), "incident"},
		{PluralNoun(int64(5), "incident", "incidents"), "incidents"},
		{yearsAgo(1), "1 year ago"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// handMadePlurals finds a number printed right before a plural noun
// without Plural: "{ Itoa(n) } rows" in a template, "%d questions" or
// `Itoa(n) + " sections` in Go, and "(s)".
var handMadePlurals = []*regexp.Regexp{
	regexp.MustCompile(`\{ *(?:Itoa|itoa|strconv\.Itoa|FormatCount|fmt\.Sprint)\([^{}]*\) *\} +([a-z]+s)\b`),
	regexp.MustCompile(`%d ([a-z]+s)\b`),
	regexp.MustCompile(`(?:Itoa|FormatInt|FormatCount)\([^()]*(?:\([^()]*\))?[^()]*\) *\+ *" ([a-z]+s)\b`),
	regexp.MustCompile(`[ "]([a-z]{2,})\(s\)[ .,"]`),
}

// notPlural are words ending in s that follow a number without being its
// noun, and a function called on s.
var notPlural = map[string]bool{"is": true, "was": true, "has": true, "does": true, "as": true, "len": true}

// TestNoHandMadePlurals keeps every count shown to people on Plural, so
// that one thing reads "1 row", never "1 rows" or "1 row(s)".
func TestNoHandMadePlurals(t *testing.T) {
	var files []string
	for _, pattern := range []string{"*.templ", "*.go", "../app/pages/*.go", "../app/followup/*.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("found only %d files to check", len(files))
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_templ.go") || strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			for _, re := range handMadePlurals {
				for _, m := range re.FindAllStringSubmatch(line, -1) {
					if len(m) > 1 && notPlural[m[1]] {
						continue
					}
					t.Errorf("%s:%d: hand-made plural %q; use Plural(n, one, many)", f, i+1, m[0])
				}
			}
		}
	}
}
