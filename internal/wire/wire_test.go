package wire

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTime_Lenient(t *testing.T) {
	tests := map[string]time.Time{
		`1694667984`:   time.Unix(1694667984, 0).UTC(),
		`1694667984.7`: time.Unix(1694667984, 0).UTC(),
		`"1694667984"`: time.Unix(1694667984, 0).UTC(),
		`null`:         {},
		`0`:            {},
		`-5`:           {},
		`"soon"`:       {},
		`true`:         {},
		`1e400`:        {},
	}
	for in, want := range tests {
		var v struct {
			T Time `json:"t"`
		}
		require.NoError(t, json.Unmarshal([]byte(`{"t":`+in+`}`), &v), in)
		assert.Equal(t, want, v.T.Time(), in)
		assert.Equal(t, time.UTC, v.T.Time().Location(), in)
	}
}

func TestInt_Lenient(t *testing.T) {
	for in, want := range map[string]Int{`5`: 5, `"7"`: 7, `2.9`: 2, `null`: 0, `"x"`: 0, `[]`: 0} {
		var n Int
		require.NoError(t, json.Unmarshal([]byte(in), &n))
		assert.Equal(t, want, n, in)
	}
}

func TestList_DataAndCursorPlacement(t *testing.T) {
	var inside List[json.RawMessage]
	require.NoError(t, json.Unmarshal([]byte(`{"data":[],"meta":{"pagination":{"total":"25","per_page":5,"current_page":1,"total_pages":5},"cursor":{"updatedAt":1694667984,"affix":"prepend"}}}`), &inside))
	require.NotNil(t, inside.Data)
	assert.Empty(t, *inside.Data)
	p, c := inside.PageMeta()
	assert.Equal(t, Pagination{Total: 25, PerPage: 5, CurrentPage: 1, TotalPages: 5}, p)
	assert.Equal(t, &Cursor{UpdatedAt: 1694667984, Affix: "prepend"}, c)

	var beside List[json.RawMessage]
	require.NoError(t, json.Unmarshal([]byte(`{"data":[1],"cursor":{"updatedAt":"5","affix":"append"}}`), &beside))
	p, c = beside.PageMeta()
	assert.Equal(t, Pagination{}, p)
	assert.Equal(t, &Cursor{UpdatedAt: 5, Affix: "append"}, c)

	for _, body := range []string{`{}`, `{"data":null}`, `null`, `{"error":{"code":"X"}}`} {
		var l List[json.RawMessage]
		require.NoError(t, json.Unmarshal([]byte(body), &l))
		assert.Nil(t, l.Data, body)
	}
}

func TestObject_Lenient(t *testing.T) {
	tests := map[string]Object{
		`{"a":1}`:               {"a": 1.0},
		`"{\"email\":\"x@y\"}"`: {"email": "x@y"},
		`"not json"`:            nil,
		`"[1]"`:                 nil,
		`"null"`:                nil,
		`[1]`:                   nil,
		`5`:                     nil,
		`true`:                  nil,
		`null`:                  nil,
		`{}`:                    {},
	}
	for in, want := range tests {
		var v1, v2 struct {
			O Object `json:"o"`
		}
		require.NoError(t, json.Unmarshal([]byte(`{"o":`+in+`}`), &v1), in)
		assert.Equal(t, want, v1.O, "encoding/json: %s", in)
		require.NoError(t, Unmarshal([]byte(`{"o":`+in+`}`), &v2), in)
		assert.Equal(t, want, v2.O, "v2 engine: %s", in)
	}
}

func TestMessages_Lenient(t *testing.T) {
	var e Error
	require.NoError(t, json.Unmarshal([]byte(`{"error":{"code":"ERR_BAD_REQUEST","details":{"uid":["a","b"],"name":"c","tags.0":5}}}`), &e))
	assert.Equal(t, Messages{"uid": {"a", "b"}, "name": {"c"}}, e.Error.Details)
	var odd Error
	require.NoError(t, json.Unmarshal([]byte(`{"error":{"details":"oops"}}`), &odd))
	assert.Nil(t, odd.Error.Details)
}

func TestEntry_Failure(t *testing.T) {
	tests := map[string]ErrorFields{
		`{"success":false,"code":"ERR_ALREADY_FRIEND","message":"m"}`:              {Code: "ERR_ALREADY_FRIEND", Message: "m"},
		`{"success":false,"error":{"code":"ERR_CANNOT_BLOCK_SELF","message":"n"}}`: {Code: "ERR_CANNOT_BLOCK_SELF", Message: "n"},
		`{"success":false,"error":"plain words"}`:                                  {Message: "plain words"},
		`{"success":false}`: {},
	}
	for in, want := range tests {
		var e Entry[json.RawMessage]
		require.NoError(t, json.Unmarshal([]byte(in), &e))
		assert.Equal(t, want, e.Failure(), in)
	}
}

func FuzzList(f *testing.F) {
	f.Add([]byte(`{"data":[{"uid":"a"}],"meta":{"pagination":{"total":1}}}`))
	f.Add([]byte(`{"data":null,"cursor":{"updatedAt":"x"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var l List[map[string]any]
		if json.Unmarshal(body, &l) != nil {
			return
		}
		l.PageMeta() // never panics, whatever the shape
	})
}
