package web_test

import (
	"testing"

	"github.com/debrief-sre/debrief/app/web"
)

func TestSafeNextKeepsOnlyLocalPaths(t *testing.T) {
	kept := []string{
		"/",
		"/incidents",
		"/incidents?status=open&q=a+b#list",
		"/incidents/a%20b",
		"/a/../b",
		"/reviews/%E2%9C%93",
	}
	for _, p := range kept {
		if got := web.SafeNext(p); got != p {
			t.Errorf("SafeNext(%q) = %q, want it kept", p, got)
		}
	}
	refused := []string{
		"",
		"incidents",
		"evil.example",
		" /incidents",
		"//evil.example",
		"///evil.example",
		"/\\evil.example",
		"\\\\evil.example",
		"/\t/evil.example",
		"/%09/evil.example",
		"/\n/evil.example",
		"/%0a/evil.example",
		"/%0d%0aSet-Cookie:%20x=1",
		"/\r\nLocation: https://evil.example",
		"/%5Cevil.example",
		"/%5c%5cevil.example",
		"/%2F/evil.example",
		"/%2f%2fevil.example",
		"/%252F%252Fevil.example",
		"/%25%30%39/evil.example",
		"/x\x00y",
		"/x%00y",
		"/x\x7fy",
		"/x\u0085y",
		"/%zz",
		"https://evil.example/",
		"http:/evil.example",
		"javascript:alert(1)",
		"/foo\\bar",
	}
	for _, p := range refused {
		if got := web.SafeNext(p); got != "/" {
			t.Errorf("SafeNext(%q) = %q, want /", p, got)
		}
	}
}
