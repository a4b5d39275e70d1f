//go:build go1.27

package wire

// From Go 1.27 on (or with GOEXPERIMENT=jsonv2) the v2 engine is the standard library's encoding/json/v2, and
// encoding/json (v1) runs on it. Before, it comes from github.com/go-json-experiment/json (v2_module.go). The two
// files differ only in their imports.

import (
	jsonv1 "encoding/json"
	"encoding/json/jsontext"
	jsonv2 "encoding/json/v2"
)

// decoder is the v2 engine's streaming decoder, which UnmarshalJSONFrom methods read from.
type decoder = jsontext.Decoder

// v1Names makes the engine match object names to struct fields as encoding/json (v1) does: exactly first, else
// case-insensitively (strings.EqualFold), without ignoring underscores and dashes.
var v1Names = jsonv2.JoinOptions(jsonv2.MatchCaseInsensitiveNames(true), jsonv1.MatchCaseSensitiveDelimiter(true))

// unmarshalV2 decodes data into v with the v2 engine: duplicate names and invalid UTF-8 are errors.
func unmarshalV2(data []byte, v any) error { return jsonv2.Unmarshal(data, v, v1Names) }

// decodeAny decodes dec's next value as an any.
func decodeAny(dec *decoder) (any, error) {
	var v any
	err := jsonv2.UnmarshalDecode(dec, &v)
	return v, err
}
