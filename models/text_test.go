package models_test

import (
	"testing"

	"github.com/debrief-sre/debrief/models"
)

func TestCleanLine(t *testing.T) {
	cases := map[string]string{
		"  Rotate   the keys ":        "Rotate the keys",
		"a\rb":                        "a b",
		"a\r\nBEGIN:VEVENT":           "a BEGIN:VEVENT",
		"tab\there":                   "tab here",
		"bell\x07\x1b[31mred\x00\x7f": "bell[31mred",
		"next\u0085line":              "next line",
		"c1\u009bcontrol":             "c1control",
		"bad \xff utf8":               "bad \uFFFD utf8",
		"Ünïcödé ✓":                   "Ünïcödé ✓",
	}
	for in, want := range cases {
		if got := models.CleanLine(in); got != want {
			t.Errorf("CleanLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanText(t *testing.T) {
	cases := map[string]string{
		"# Impact\r\n\r\n- one\r- two\n": "# Impact\n\n- one\n- two\n",
		"code:\n\tindented":              "code:\n\tindented",
		"esc\x1b[2Jcleared\x00":          "esc[2Jcleared",
		"form\ffeed\vtab":                "form\nfeed\ntab",
		"  kept around  ":                "  kept around  ",
	}
	for in, want := range cases {
		if got := models.CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
