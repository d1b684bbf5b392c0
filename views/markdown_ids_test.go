package views

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestMarkdownHeadingIDsCannotTakeAppIDs: a heading named like one of the
// page's own elements ("## pm-factors") must not get that element's id.
func TestMarkdownHeadingIDsCannotTakeAppIDs(t *testing.T) {
	out := RenderMarkdown("## pm-factors\n\n# Impact\n\nSee [impact](#impact), [factors](#pm-factors) and [elsewhere](#not-here).\n\n# Impact\n")
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) { ids = append(ids, s.AttrOr("id", "")) })
	want := []string{"md-pm-factors", "md-impact", "md-impact-1"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Fatalf("ids %v, want %v\n%s", ids, want, out)
	}
	// Links within the document follow their headings.
	var hrefs []string
	doc.Find("a").Each(func(_ int, s *goquery.Selection) { hrefs = append(hrefs, s.AttrOr("href", "")) })
	if strings.Join(hrefs, " ") != "#md-impact #md-pm-factors #not-here" {
		t.Fatalf("links %v\n%s", hrefs, out)
	}
}

// TestNoAppElementIDUsesTheMarkdownPrefix keeps the md- prefix to Markdown.
func TestNoAppElementIDUsesTheMarkdownPrefix(t *testing.T) {
	files, _ := filepath.Glob("*.templ")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), `id="`+headingIDPrefix) || strings.Contains(string(b), `id={ "`+headingIDPrefix) {
			t.Errorf("%s gives an element an id starting with %q, which Markdown headings use", f, headingIDPrefix)
		}
	}
}
