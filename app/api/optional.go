package api

import (
	"bytes"
	"encoding/json"
)

// optional is a JSON field that may be absent, null or a value; PATCH
// changes only the fields that are present.
type optional[T any] struct {
	Set   bool
	Null  bool
	Value T
}

func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}
