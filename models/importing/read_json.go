package importing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

func readJSON(m *Mapping, data []byte) ([]record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("not valid JSON at byte %d: %v", se.Offset, err)
		}
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("not valid JSON: more than one document")
	}
	if m.JSON.Records != "" {
		for _, key := range strings.Split(m.JSON.Records, ".") {
			obj, ok := doc.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("json.records %q: %q is not inside an object", m.JSON.Records, key)
			}
			if doc, ok = obj[key]; !ok {
				return nil, fmt.Errorf("json.records %q: no key %q", m.JSON.Records, key)
			}
		}
	}
	list, ok := doc.([]any)
	if !ok {
		return nil, errors.New("the JSON is not an array of records (set json.records to the path of the array)")
	}
	if len(list) > MaxRows {
		return nil, fmt.Errorf("more than %d records; split the file", MaxRows)
	}
	out := make([]record, 0, len(list))
	for i, item := range list {
		rec := record{Line: i + 1, Cols: map[string][]string{}}
		obj, ok := item.(map[string]any)
		if !ok {
			rec.Err = "is not a JSON object"
		} else {
			flatten("", obj, rec.Cols)
		}
		out = append(out, rec)
	}
	return out, nil
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
