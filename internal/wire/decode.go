package wire

import (
	"encoding/json"
	"reflect"
)

// Unmarshal decodes an answer into v, a pointer to one of the SDK's own types, as encoding/json's Unmarshal does,
// at about half the cost for a well-formed answer.
//
// It decodes with the engine of encoding/json/v2 (see v2_stdlib.go and v2_module.go), told to match object names
// to fields as encoding/json does: case-insensitively, underscores and dashes included. The engine is stricter
// than encoding/json in what it accepts: invalid UTF-8 (in bytes or in \u escapes), duplicate names, and a number
// out of range in metadata fail it where encoding/json replaces the bad characters, keeps the last value of a
// name or fails too. Whenever the engine fails, for whatever reason, the answer is decoded again with
// encoding/json into a zeroed v, and that decoding's outcome is the answer's. So every answer, well-formed or not,
// decodes to what encoding/json makes of it; only the common case, an answer that is valid JSON without duplicate
// names, takes the fast path. decode_test.go pins both paths against encoding/json.
//
// The lenient types below read their values with the engine's streaming decoder (UnmarshalJSONFrom) instead of
// being handed the value's bytes (UnmarshalJSON), which the engine would first have to find and copy.
func Unmarshal(data []byte, v any) error {
	if unmarshalV2(data, v) == nil {
		return nil
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv.Elem().SetZero() // what the fast path wrote before it failed
	}
	return json.Unmarshal(data, v)
}

// UnmarshalJSONFrom is Int's UnmarshalJSON for the v2 engine: it reads the same bytes the same way.
func (n *Int) UnmarshalJSONFrom(dec *decoder) error {
	b, err := dec.ReadValue()
	if err != nil {
		return err
	}
	*n = Int(parseNumber(b))
	return nil
}

// UnmarshalJSONFrom is Time's UnmarshalJSON for the v2 engine: it reads the same bytes the same way.
func (t *Time) UnmarshalJSONFrom(dec *decoder) error {
	b, err := dec.ReadValue()
	if err != nil {
		return err
	}
	*t = Time(parseNumber(b))
	return nil
}

// UnmarshalJSONFrom is Object's UnmarshalJSON for the v2 engine: the value is decoded as an any (an object becomes
// a map[string]any directly, numbers float64, as encoding/json makes them), then kept if it is an object or a
// string holding one.
func (o *Object) UnmarshalJSONFrom(dec *decoder) error {
	v, err := decodeAny(dec)
	if err != nil {
		return err
	}
	*o = objectOf(v)
	return nil
}
