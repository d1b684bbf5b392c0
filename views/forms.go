package views

import (
	"net/url"
	"strings"
)

// Form is the view model of any form: the values the user typed and a
// message per bad field, so a failed submit re-renders exactly what was
// typed with the problems next to the fields.
type Form struct {
	Values map[string]string
	// Multi holds multi-valued fields (checkbox groups, multi-selects).
	Multi  map[string][]string
	Errors map[string]string
	Global []string
}

// NewForm returns an empty form.
func NewForm() Form {
	return Form{Values: map[string]string{}, Multi: map[string][]string{}, Errors: map[string]string{}}
}

// FormFrom copies submitted values into a form.
func FormFrom(v url.Values) Form {
	f := NewForm()
	for k, vs := range v {
		if k == "_csrf" || len(vs) == 0 {
			continue
		}
		f.Values[k] = vs[0]
		f.Multi[k] = vs
	}
	return f
}

// Get returns a field's value.
func (f Form) Get(name string) string { return f.Values[name] }

// Set sets a field's value and returns the form.
func (f Form) Set(name, value string) Form {
	if f.Values == nil {
		f.Values = map[string]string{}
	}
	f.Values[name] = value
	return f
}

// Has reports whether a multi-valued field contains value.
func (f Form) Has(name, value string) bool {
	for _, v := range f.Multi[name] {
		if v == value {
			return true
		}
	}
	return f.Values[name] == value
}

// Err returns the message for a field, if any.
func (f Form) Err(name string) string { return f.Errors[name] }

// WithErrors adds field messages and global messages to the form.
func (f Form) WithErrors(fields map[string]string, global []string) Form {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	for k, v := range fields {
		f.Errors[k] = v
	}
	f.Global = append(f.Global, global...)
	return f
}

// HasErrors reports whether the form carries any message.
func (f Form) HasErrors() bool { return len(f.Errors) > 0 || len(f.Global) > 0 }

// Field describes one input for the field components.
type Field struct {
	Name         string
	Label        string
	Type         string // text (default), email, password, url, number, date, datetime-local, search
	Help         string
	Required     bool
	Autocomplete string
	Placeholder  string
	Autofocus    bool
	Rows         int // textarea rows
	Min, Max     string
	Options      []Option // for selects
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
}

func (fd Field) id() string     { return "f-" + strings.ReplaceAll(fd.Name, "_", "-") }
func (fd Field) errID() string  { return fd.id() + "-error" }
func (fd Field) helpID() string { return fd.id() + "-help" }

func (fd Field) inputType() string {
	if fd.Type == "" {
		return "text"
	}
	return fd.Type
}

func (fd Field) describedBy(f Form) string {
	var ids []string
	if f.Err(fd.Name) != "" {
		ids = append(ids, fd.errID())
	}
	if fd.Help != "" {
		ids = append(ids, fd.helpID())
	}
	return strings.Join(ids, " ")
}
