// Package static embeds Debrief's CSS, JavaScript and images and serves
// them under content-hashed names, so a response can be cached forever and a
// changed file gets a new URL.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
	"sync"
)

//go:embed css js vendor img
var files embed.FS

// Prefix is where assets are served.
const Prefix = "/static/"

// Asset is one embedded file.
type Asset struct {
	Name string // logical name, e.g. "css/app.css"
	URL  string // hashed URL, e.g. "/static/css/app.3f2a…css"
	ETag string
	Data []byte
}

type catalog struct {
	byName map[string]*Asset
	byURL  map[string]*Asset
}

var load = sync.OnceValue(func() *catalog {
	c := &catalog{byName: map[string]*Asset{}, byURL: map[string]*Asset{}}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "VERSIONS") || strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(p)
		a := &Asset{
			Name: p,
			URL:  Prefix + strings.TrimSuffix(p, ext) + "." + h + ext,
			ETag: `"` + h + `"`,
			Data: data,
		}
		c.byName[p] = a
		c.byURL[a.URL] = a
		return nil
	})
	if err != nil {
		panic("static: " + err.Error())
	}
	return c
})

// URL returns the hashed URL of the asset with the logical name, or panics
// for a name that does not exist (a programming error caught by any test
// that renders the page).
func URL(name string) string {
	a, ok := load().byName[name]
	if !ok {
		panic("static: no asset " + name)
	}
	return a.URL
}

// Lookup finds the asset served at a hashed URL path.
func Lookup(urlPath string) (*Asset, bool) {
	a, ok := load().byURL[urlPath]
	return a, ok
}

// Names lists the logical names of every asset.
func Names() []string {
	c := load()
	out := make([]string, 0, len(c.byName))
	for n := range c.byName {
		out = append(out, n)
	}
	return out
}
