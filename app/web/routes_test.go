package web

import (
	"net/http"
	"testing"
)

func TestPathEscapesParameters(t *testing.T) {
	tab := NewTable([]Route{{Name: "x", Method: http.MethodGet, Path: "/things/:key/sub/:id"}})
	if got := tab.Path("x", "a b/c", 7); got != "/things/a%20b%2Fc/sub/7" {
		t.Fatalf("Path = %q", got)
	}
}

func TestDuplicateRouteNamePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a repeated route name was accepted")
		}
	}()
	NewTable([]Route{{Name: "x", Path: "/a"}, {Name: "x", Path: "/b"}})
}
