package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"sync"

	"github.com/labstack/echo/v4"
	"sigs.k8s.io/yaml"

	"github.com/debrief-sre/debrief/app/web"
)

// Docs serves the OpenAPI document of the API.
type Docs struct{ *web.Kit }

//go:embed openapi/*.yaml
var openapiFiles embed.FS

// openAPIDoc merges the fragments under openapi/ into one document: the
// first file is the base; later files add paths and components.
var openAPIDoc = sync.OnceValues(func() ([]byte, error) {
	names, err := fs.Glob(openapiFiles, "openapi/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var doc map[string]any
	for _, n := range names {
		raw, err := openapiFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var frag map[string]any
		if err := yaml.Unmarshal(raw, &frag); err != nil {
			return nil, fmt.Errorf("app: %s: %w", n, err)
		}
		if doc == nil {
			doc = frag
			continue
		}
		if err := mergeInto(doc, frag, n); err != nil {
			return nil, err
		}
	}
	return json.MarshalIndent(doc, "", "  ")
})

func mergeInto(dst, src map[string]any, file string) error {
	for k, v := range src {
		existing, ok := dst[k]
		if !ok {
			dst[k] = v
			continue
		}
		dm, ok1 := existing.(map[string]any)
		sm, ok2 := v.(map[string]any)
		if !ok1 || !ok2 {
			return fmt.Errorf("app: %s: %q is defined twice", file, k)
		}
		if err := mergeInto(dm, sm, file); err != nil {
			return err
		}
	}
	return nil
}

func (h Docs) OpenAPI(c echo.Context) error {
	doc, err := openAPIDoc()
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, doc)
}
