package models_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/debrief-sre/debrief/models"
)

func TestCSVWriterDefusesFormulas(t *testing.T) {
	cells := []string{"=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\r=1", "-3", "+1.5e3", "0.25",
		"plain", "", "a=b", "'=already"}
	want := []string{"'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1+2", "'-2+3", "'@SUM(A1)", "'\tcmd", "\n=1", "-3", "+1.5e3", "0.25",
		"plain", "", "a=b", "'=already"}
	var buf bytes.Buffer
	w := models.NewCSVWriter(&buf)
	if err := w.Write(cells); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).Read()
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cell %q written as %q, want %q", cells[i], got[i], want[i])
		}
		if models.CSVSafe(got[i]) != got[i] {
			t.Errorf("CSVSafe is not idempotent on %q", got[i])
		}
		if i < 5 && models.UnCSVSafe(got[i]) != cells[i] {
			t.Errorf("UnCSVSafe(%q) = %q, want %q back", got[i], models.UnCSVSafe(got[i]), cells[i])
		}
	}
	if cells[0][0] != '=' {
		t.Error("Write changed its argument")
	}
}
