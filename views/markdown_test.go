package views

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestMarkdownRendersGFM(t *testing.T) {
	out := RenderMarkdown("# Impact\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~gone~~ https://example.com")
	for _, want := range []string{`<h1 id="md-impact">Impact</h1>`, "<table>", "<del>gone</del>", `type="checkbox"`, `href="https://example.com"`, `rel="nofollow noreferrer noopener"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// xssPayloads are classic ways to smuggle script into rendered Markdown.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`[click](javascript:alert(1))`,
	`[click](JaVaScRiPt:alert(1))`,
	`[click](  javascript:alert(1))`,
	"[click](java\tscript:alert(1))",
	`[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`[click](vbscript:msgbox(1))`,
	`![x](javascript:alert(1))`,
	`<a href="javascript:alert(1)">x</a>`,
	`<svg onload=alert(1)>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	`<details open ontoggle=alert(1)>`,
	"```html\n<script>alert(1)</script>\n```",
	`<a href="#" onclick="alert(1)">x</a>`,
	`[x](https://ok.example "title\" onmouseover=\"alert(1)")`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<form action="https://evil.example"><button>go</button></form>`,
	`<object data="javascript:alert(1)"></object>`,
	`<base href="https://evil.example/">`,
	`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
	`<link rel=stylesheet href=https://evil.example/x.css>`,
	"<scr<script>ipt>alert(1)</scr</script>ipt>",
	`&#106;avascript:alert(1)`,
	`[x](&#106;avascript:alert(1))`,
	`<input autofocus onfocus=alert(1)>`,
	`<img src="x" alt="" onerror="alert(1)" />`,
	`[![x](https://img.example/x.png)](javascript:alert(1))`,
	`<style>body{display:none}</style>`,
}

// unsafeHTML reports the first dangerous construct in rendered HTML: an
// element that can run or load code, an event-handler or style attribute,
// or a URL attribute with a scriptable scheme. Text content is harmless and
// not inspected.
func unsafeHTML(out string) string {
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		return "unparseable: " + err.Error()
	}
	var found string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if found != "" {
			return
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "svg", "math", "form", "base", "meta", "link", "style", "frame", "frameset", "applet", "button", "textarea", "select":
				found = "element <" + n.Data + ">"
				return
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				val := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				switch {
				case strings.HasPrefix(key, "on"), key == "style", key == "srcdoc", key == "formaction":
					found = "attribute " + key
				case key == "href" || key == "src" || key == "action" || key == "xlink:href" || key == "background":
					for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
						if strings.HasPrefix(val, scheme) {
							found = key + "=" + a.Val
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

func TestMarkdownNeutralisesXSS(t *testing.T) {
	for _, p := range xssPayloads {
		out := RenderMarkdown(p)
		if bad := unsafeHTML(out); bad != "" {
			t.Errorf("payload %q rendered %q with %s", p, out, bad)
		}
	}
}

func FuzzMarkdown(f *testing.F) {
	for _, p := range xssPayloads {
		f.Add(p)
	}
	f.Add("# title\n\n*a* **b** `c`")
	f.Fuzz(func(t *testing.T, src string) {
		out := RenderMarkdown(src)
		if bad := unsafeHTML(out); bad != "" {
			t.Fatalf("input %q produced %q with %s", src, out, bad)
		}
	})
}
