// Package wire holds CometChat's JSON envelopes and the lenient types that read them. Where the API's
// documentation and its recorded answers disagree, or a shape is UNCONFIRMED, these types accept every shape
// seen (a timestamp as a number or a string, metadata as an object or a JSON string, the cursor inside or
// beside meta) rather than fail a whole answer over one field.
package wire

import (
	"encoding/json"
	"strconv"
	"time"
)

// One is the answer of a call whose data is one object. Data is nil when the answer has no "data" (or null).
type One[T any] struct {
	Data *T `json:"data"`
}

// List is the answer of a list call. Data is nil when the answer has no "data" array (absent or null), which is
// not the same as an empty page.
type List[T any] struct {
	Data *[]T  `json:"data"`
	Meta *Meta `json:"meta"`
	// Cursor beside meta: the OpenAPI example puts it there, recorded answers put it inside meta.
	Cursor *Cursor `json:"cursor"`
}

// Meta is a list's "meta".
type Meta struct {
	Pagination Pagination `json:"pagination"`
	Cursor     *Cursor    `json:"cursor"`
}

// Pagination is meta.pagination, with CometChat's snake_case keys.
type Pagination struct {
	Total       Int `json:"total"`
	Count       Int `json:"count"`
	PerPage     Int `json:"per_page"`
	CurrentPage Int `json:"current_page"`
	TotalPages  Int `json:"total_pages"`
}

// Cursor is meta.cursor of the users list.
type Cursor struct {
	UpdatedAt Time   `json:"updatedAt"`
	Affix     string `json:"affix"`
}

// PageMeta returns the list's pagination and cursor, zero when absent, wherever the cursor sits.
func (l *List[T]) PageMeta() (Pagination, *Cursor) {
	if l.Meta == nil {
		return Pagination{}, l.Cursor
	}
	if l.Meta.Cursor != nil {
		return l.Meta.Pagination, l.Meta.Cursor
	}
	return l.Meta.Pagination, l.Cursor
}

// Int decodes a JSON number or a numeric string; anything else is 0.
type Int int

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int) UnmarshalJSON(b []byte) error {
	*n = Int(parseNumber(b))
	return nil
}

// Time decodes CometChat's timestamps: integer Unix seconds, also as a float or a numeric string; null, 0 and
// anything else are the zero time.
type Time int64

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	*t = Time(parseNumber(b))
	return nil
}

// Time converts to a time.Time in UTC; zero for 0 or less.
func (t Time) Time() time.Time {
	if t <= 0 {
		return time.Time{}
	}
	return time.Unix(int64(t), 0).UTC()
}

// parseNumber reads an integer from a JSON number or string, truncating fractions; 0 when b holds neither.
func parseNumber(b []byte) int64 {
	if len(b) >= 2 && b[0] == '"' {
		b = b[1 : len(b)-1]
	}
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(string(b), 64); err == nil && f >= -1<<62 && f <= 1<<62 {
		return int64(f)
	}
	return 0
}

// Object decodes an object that CometChat may also send as a string holding one (metadata: CometChat accepts it
// sent as a JSON-encoded string and may return it so; an auth token's appInfo, which the OpenAPI file types as a
// string): the object, the object the string holds, or nil for anything else rather than failing the answer.
type Object map[string]any

// UnmarshalJSON implements json.Unmarshaler: encoding/json's decoding of Object, as the v2 engine's
// (UnmarshalJSONFrom) is.
func (o *Object) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = objectOf(v)
	return nil
}

// objectOf turns a decoded JSON value into an object: itself when it is one, the object a string holds when it
// holds one, else nil.
func objectOf(v any) Object {
	switch m := v.(type) {
	case map[string]any:
		return m
	case string:
		var obj map[string]any
		if json.Unmarshal([]byte(m), &obj) == nil {
			return obj
		}
	}
	return nil
}

// Messages decodes validation details: CometChat sends a list of messages per field; a single string per field
// is accepted too, and any other shape is dropped rather than failing the whole error.
type Messages map[string][]string

// UnmarshalJSON implements json.Unmarshaler.
func (m *Messages) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		*m = nil
		return nil
	}
	out := make(Messages, len(raw))
	for k, v := range raw {
		var list []string
		if json.Unmarshal(v, &list) == nil {
			out[k] = list
			continue
		}
		var one string
		if json.Unmarshal(v, &one) == nil {
			out[k] = []string{one}
		}
	}
	*m = out
	return nil
}

// Error is the body of CometChat's error answers, {"error": {...}}; Error is nil when the body is not one.
type Error struct {
	Error *ErrorFields `json:"error"`
}

// ErrorFields is what an error answer says.
type ErrorFields struct {
	Message    string   `json:"message"`
	DevMessage string   `json:"devMessage"`
	Source     string   `json:"source"`
	Code       string   `json:"code"`
	Details    Messages `json:"details"`
}

// Entry is one uid's result inside a batch answer (friends, blocks, data import):
// {"success": true, "message": ..., "data": ...} or a failure, whose code and message come flat
// ({"success": false, "code", "message"}) or nested ({"success": false, "error": {...}}), and whose error may also
// be a bare string. All shapes are accepted (UNCONFIRMED which one each endpoint uses).
//
// Succeeded and Failed tell the outcome; an entry that says neither (no "success" flag) is no outcome at all.
type Entry[T any] struct {
	Success *bool `json:"success"` // nil: the entry does not say, which is not an answer

	Message string          `json:"message"`
	Code    string          `json:"code"`
	Data    *T              `json:"data"`
	Error   json.RawMessage `json:"error"`
}

// Succeeded reports whether the entry says "success": true.
func (e *Entry[T]) Succeeded() bool { return e.Success != nil && *e.Success }

// Failed reports whether the entry says "success": false.
func (e *Entry[T]) Failed() bool { return e.Success != nil && !*e.Success }

// Failure returns the failed entry's error fields, from the nested error object or string, else the flat ones.
func (e *Entry[T]) Failure() ErrorFields {
	var nested ErrorFields
	if json.Unmarshal(e.Error, &nested) == nil && (nested.Code != "" || nested.Message != "") {
		return nested
	}
	var text string
	if json.Unmarshal(e.Error, &text) == nil && text != "" {
		return ErrorFields{Code: e.Code, Message: text}
	}
	return ErrorFields{Code: e.Code, Message: e.Message}
}
