package models_test

import (
	"os"
	"testing"

	"github.com/debrief-sre/debrief/models"
)

// FuzzParseTemplateYAML: any input is either refused with problems or
// parsed into a definition whose export parses back to the same content.
func FuzzParseTemplateYAML(f *testing.F) {
	f.Add([]byte(sampleYAML))
	f.Add([]byte("debrief: review-template/v1\nkey: [\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("debrief: review-template/v1\nsections: {a: b}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := models.ParseTemplateYAML(src)
		if err != nil {
			if _, ok := models.AsValidation(err); !ok {
				t.Fatalf("error is not a validation error: %v", err)
			}
			return
		}
		out, err := models.TemplateYAML(d, "")
		if err != nil {
			t.Fatal(err)
		}
		back, err := models.ParseTemplateYAML(out)
		if err != nil || back.Hash() != d.Hash() {
			t.Fatalf("export does not round-trip: %v\n%s", err, out)
		}
	})
}

// FuzzParseWellArchitectedLens: any input is refused with problems or
// gives a valid definition.
func FuzzParseWellArchitectedLens(f *testing.F) {
	if src, err := os.ReadFile("testdata/lens.json"); err == nil {
		f.Add(src)
	}
	f.Add([]byte(`{"name":"x","pillars":[{"id":"p","name":"P","questions":[{"id":"q","title":"Q"}]}]}`))
	f.Add([]byte(`{"pillars": [}`))
	f.Add([]byte(`[1, 2`))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := models.ParseWellArchitectedLens(src, "")
		if err != nil {
			if _, ok := models.AsValidation(err); !ok {
				t.Fatalf("error is not a validation error: %v", err)
			}
			return
		}
		if ps := d.Validate(true); len(ps) > 0 {
			t.Fatalf("accepted an invalid lens: %v", ps)
		}
	})
}
