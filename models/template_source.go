package models

import (
	"bytes"
	"context"
	"fmt"
	"sync/atomic"

	"gorm.io/gorm"
)

// MaxTemplateSource caps an imported template file.
const MaxTemplateSource = 4 << 20

// ParseTemplateSource reads a template in Debrief YAML ("yaml") or as an
// AWS Well-Architected lens ("lens", JSON); format "" recognises which. It
// returns the definition and the source kind to record.
func ParseTemplateSource(src []byte, format, key string) (*TemplateDef, string, error) {
	if format == "" {
		trimmed := bytes.TrimSpace(src)
		if len(trimmed) > 0 && trimmed[0] == '{' {
			format = "lens"
		} else {
			format = "yaml"
		}
	}
	switch format {
	case "lens":
		d, err := ParseWellArchitectedLens(src, key)
		return d, TemplateSourceLens, err
	case "yaml":
		d, err := ParseTemplateYAML(src)
		return d, TemplateSourceYAML, err
	}
	return nil, "", FieldError("format", "Choose Debrief YAML or a Well-Architected lens.")
}

// ExportHeader is the comment at the top of an exported template file.
func (v *TemplateVersion) ExportHeader() string {
	return fmt.Sprintf("%s, version %d (%s), exported from Debrief.\nFormat: docs/review-templates.md", v.Name, v.Number, v.Status)
}

// Question finds a question of the review's template version by key,
// with its section and the section's index.
func (r *Review) Question(key string) (int, TemplateSection, TemplateQuestion, bool) {
	for i, sec := range r.TemplateVersion.Sections {
		for _, q := range sec.Questions {
			if q.Key == key {
				return i, sec, q, true
			}
		}
	}
	return 0, TemplateSection{}, TemplateQuestion{}, false
}

// Builtins adds the built-in review templates on first use, once for the
// life of a server (the check is a query per template).
type Builtins struct{ done atomic.Bool }

// Ensure adds the built-in templates unless this server did already.
func (b *Builtins) Ensure(ctx context.Context, db *gorm.DB) error {
	if b.done.Load() {
		return nil
	}
	if err := EnsureBuiltinTemplates(ctx, db); err != nil {
		return err
	}
	b.done.Store(true)
	return nil
}
