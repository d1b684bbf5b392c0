package views

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The one Markdown renderer of Debrief: GitHub-flavoured Markdown with
// heading IDs, raw HTML dropped by goldmark (no WithUnsafe) and the output
// sanitised again by bluemonday, links marked nofollow/noopener. Pages,
// exports and previews all use it.
var markdown = sync.OnceValues(func() (goldmark.Markdown, *bluemonday.Policy) {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(headingIDs{}, 100)),
		),
	)
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowAttrs("id").OnElements("h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("type", "checked", "disabled").OnElements("input")
	p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("code")
	return md, p
})

// RenderMarkdown converts Markdown source to sanitised HTML.
func RenderMarkdown(src string) string {
	md, policy := markdown()
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark only fails on writer errors; show the text escaped.
		return policy.Sanitize(templ.EscapeString(src))
	}
	return policy.SanitizeReader(&buf).String()
}

// Markdown renders Markdown source as a component inside a .prose block.
func Markdown(src string) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		if _, err := io.WriteString(w, `<div class="prose">`); err != nil {
			return err
		}
		if _, err := io.WriteString(w, RenderMarkdown(src)); err != nil {
			return err
		}
		_, err := io.WriteString(w, `</div>`)
		return err
	})
}

// headingIDPrefix starts every id that Markdown headings get, so that a
// heading cannot take the id of one of the page's own elements ("##
// pm-factors" would otherwise come before the real #pm-factors and win
// its links and scripts). No element of Debrief's own has an id with it
// (views tests check the templates).
const headingIDPrefix = "md-"

// headingIDs prefixes the generated heading ids and points links within
// the document ("[see](#impact)") at the prefixed ids.
type headingIDs struct{}

func (headingIDs) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	ids := map[string]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			if v, ok := h.AttributeString("id"); ok {
				if id, ok := v.([]byte); ok {
					ids[string(id)] = true
					h.SetAttributeString("id", []byte(headingIDPrefix+string(id)))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			if frag, ok := strings.CutPrefix(string(l.Destination), "#"); ok && ids[frag] {
				l.Destination = []byte("#" + headingIDPrefix + frag)
			}
		}
		return ast.WalkContinue, nil
	})
}
