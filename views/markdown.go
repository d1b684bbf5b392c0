package views

import (
	"bytes"
	"context"
	"io"
	"sync"

	"github.com/a-h/templ"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// The one Markdown renderer of Debrief: GitHub-flavoured Markdown with
// heading IDs, raw HTML dropped by goldmark (no WithUnsafe) and the output
// sanitised again by bluemonday, links marked nofollow/noopener. Pages,
// exports and previews all use it.
var markdown = sync.OnceValues(func() (goldmark.Markdown, *bluemonday.Policy) {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
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
