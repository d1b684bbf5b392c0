package models

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"gorm.io/gorm"
)

//go:embed builtin/*.yaml
var builtinFiles embed.FS

// BuiltinTemplates parses the templates that ship with Debrief.
func BuiltinTemplates() ([]*TemplateDef, error) {
	names, err := fs.Glob(builtinFiles, "builtin/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*TemplateDef
	for _, n := range names {
		src, err := builtinFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		d, err := ParseTemplateYAML(src)
		if err != nil {
			return nil, fmt.Errorf("models: built-in template %s: %w", n, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// EnsureBuiltinTemplates adds the built-in templates, published, when no
// template with their key exists yet. It runs on first use and is safe to
// call from several instances at once: whoever loses the race sees the
// template the other stored.
func EnsureBuiltinTemplates(ctx context.Context, db *gorm.DB) error {
	defs, err := BuiltinTemplates()
	if err != nil {
		return err
	}
	for _, d := range defs {
		var n int64
		if err := db.WithContext(ctx).Model(&ReviewTemplate{}).Where("key = ?", d.Key).Count(&n).Error; err != nil {
			return fmt.Errorf("models: built-in templates: %w", TranslateError(err))
		}
		if n > 0 {
			continue
		}
		_, err := ImportTemplate(ctx, db, SystemActor("built-in templates"), d, TemplateImportOptions{Source: TemplateSourceBuiltin, Publish: true, Builtin: true})
		if err != nil && !errors.Is(err, ErrDuplicate) {
			return err
		}
	}
	return nil
}
