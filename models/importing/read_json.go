package importing

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// readJSON streams the records of the array at json.records (or the
// document itself) with the decoder's tokens: one record is in memory at
// a time.
func readJSON(m *Mapping, in io.Reader) (*records, error) {
	dec := json.NewDecoder(in)
	dec.UseNumber()
	bad := func(err error) error {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, errNotUTF8):
			return err
		case errors.As(err, &se):
			return fmt.Errorf("not valid JSON at byte %d: %v", se.Offset, err)
		case errors.Is(err, io.EOF):
			return errors.New("not valid JSON: unexpected end of the file")
		}
		return fmt.Errorf("not valid JSON: %v", err)
	}
	var path []string
	if m.JSON.Records != "" {
		path = strings.Split(m.JSON.Records, ".")
	}
	for _, key := range path {
		tok, err := dec.Token()
		if err != nil {
			return nil, bad(err)
		}
		if tok != json.Delim('{') {
			return nil, fmt.Errorf("json.records %q: %q is not inside an object", m.JSON.Records, key)
		}
		found := false
		for !found && dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, bad(err)
			}
			if k == key {
				found = true
			} else if err := skipValue(dec); err != nil {
				return nil, bad(err)
			}
		}
		if !found {
			return nil, fmt.Errorf("json.records %q: no key %q", m.JSON.Records, key)
		}
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, bad(err)
	}
	if tok != json.Delim('[') {
		return nil, errors.New("the JSON is not an array of records (set json.records to the path of the array)")
	}
	n := 0
	done := false
	out := &records{}
	out.next = func() (record, error) {
		if done {
			return record{}, io.EOF
		}
		if !dec.More() {
			done = true
			// the rest of the document must be valid too, and alone
			if _, err := dec.Token(); err != nil { // ]
				return record{}, bad(err)
			}
			for range path {
				for dec.More() {
					if _, err := dec.Token(); err != nil {
						return record{}, bad(err)
					}
					if err := skipValue(dec); err != nil {
						return record{}, bad(err)
					}
				}
				if _, err := dec.Token(); err != nil { // }
					return record{}, bad(err)
				}
			}
			if _, err := dec.Token(); !errors.Is(err, io.EOF) {
				if err == nil {
					return record{}, errors.New("not valid JSON: more than one document")
				}
				return record{}, bad(err)
			}
			return record{}, io.EOF
		}
		if n >= MaxRows {
			return record{}, fmt.Errorf("more than %d records; split the file", MaxRows)
		}
		var item any
		if err := dec.Decode(&item); err != nil {
			return record{}, bad(err)
		}
		n++
		rec := record{Line: n, Cols: map[string][]string{}}
		obj, ok := item.(map[string]any)
		if !ok {
			rec.Err = "is not a JSON object"
		} else {
			flatten("", obj, rec.Cols)
		}
		rec.capCells()
		return rec, nil
	}
	return out, nil
}

// skipValue reads past one value (after its key) without keeping it.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// flatten turns nested objects into dotted column names; arrays of
// scalars become lists, arrays of objects contribute each object's fields
// as lists ("assignees.email").
func flatten(prefix string, v any, out map[string][]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			name := k
			if prefix != "" {
				name = prefix + "." + k
			}
			flatten(name, val, out)
		}
	case []any:
		if len(x) == 0 {
			if _, ok := out[prefix]; !ok {
				out[prefix] = nil
			}
		}
		for _, item := range x {
			flatten(prefix, item, out)
		}
	case nil:
		if _, ok := out[prefix]; !ok {
			out[prefix] = nil
		}
	case string:
		out[prefix] = append(out[prefix], x)
	case json.Number:
		out[prefix] = append(out[prefix], x.String())
	case bool:
		if x {
			out[prefix] = append(out[prefix], "true")
		} else {
			out[prefix] = append(out[prefix], "false")
		}
	}
}
