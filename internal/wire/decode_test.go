package wire

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gocometchat/cometchat/internal/benchdata"
)

// decodeUser has every kind of field the SDK's wire types have: strings, a lenient object, a list, lenient
// timestamps and numbers, a bool, a nested pointer.
type decodeUser struct {
	UID       string       `json:"uid"`
	Name      string       `json:"name"`
	Metadata  Object       `json:"metadata"`
	Tags      []string     `json:"tags"`
	CreatedAt Time         `json:"createdAt"`
	Blocked   bool         `json:"blockedByMe"`
	Count     Int          `json:"per_page"`
	Settings  *decodeInner `json:"settings"`
}

type decodeInner struct {
	Theme string `json:"theme"`
}

// refUser is decodeUser as the SDK declared it before the v2 engine: metadata as an any converted afterwards,
// timestamps and numbers through UnmarshalJSON only. encoding/json decoding it is the reference.
type refUser struct {
	UID       string       `json:"uid"`
	Name      string       `json:"name"`
	Metadata  any          `json:"metadata"`
	Tags      []string     `json:"tags"`
	CreatedAt refNumber    `json:"createdAt"`
	Blocked   bool         `json:"blockedByMe"`
	Count     refNumber    `json:"per_page"`
	Settings  *decodeInner `json:"settings"`
}

type refNumber int64

func (n *refNumber) UnmarshalJSON(b []byte) error {
	*n = refNumber(parseNumber(b))
	return nil
}

func (r *refUser) decoded() decodeUser {
	return decodeUser{UID: r.UID, Name: r.Name, Metadata: objectOf(r.Metadata), Tags: r.Tags, CreatedAt: Time(r.CreatedAt),
		Blocked: r.Blocked, Count: Int(r.Count), Settings: r.Settings}
}

type refList struct {
	Data   *[]refUser `json:"data"`
	Meta   *refMeta   `json:"meta"`
	Cursor *refCursor `json:"cursor"`
}

type refMeta struct {
	Pagination struct {
		Total       refNumber `json:"total"`
		Count       refNumber `json:"count"`
		PerPage     refNumber `json:"per_page"`
		CurrentPage refNumber `json:"current_page"`
		TotalPages  refNumber `json:"total_pages"`
	} `json:"pagination"`
	Cursor *refCursor `json:"cursor"`
}

type refCursor struct {
	UpdatedAt refNumber `json:"updatedAt"`
	Affix     string    `json:"affix"`
}

func (r *refCursor) decoded() *Cursor {
	if r == nil {
		return nil
	}
	return &Cursor{UpdatedAt: Time(r.UpdatedAt), Affix: r.Affix}
}

func (r *refList) decoded() List[decodeUser] {
	var l List[decodeUser]
	if r.Data != nil {
		users := make([]decodeUser, len(*r.Data))
		for i := range *r.Data {
			users[i] = (*r.Data)[i].decoded()
		}
		l.Data = &users
	}
	if r.Meta != nil {
		p := r.Meta.Pagination
		l.Meta = &Meta{Pagination: Pagination{Total: Int(p.Total), Count: Int(p.Count), PerPage: Int(p.PerPage),
			CurrentPage: Int(p.CurrentPage), TotalPages: Int(p.TotalPages)}, Cursor: r.Meta.Cursor.decoded()}
	}
	l.Cursor = r.Cursor.decoded()
	return l
}

// requireSameAsEncodingJSON decodes body as a list and as one user with Unmarshal, and with encoding/json into the
// reference types, and requires the same outcome: both fail, or both succeed with equal values (nil and empty
// told apart).
func requireSameAsEncodingJSON(t *testing.T, body []byte) {
	t.Helper()
	var ref refList
	refErr := json.Unmarshal(body, &ref)
	var got List[decodeUser]
	err := Unmarshal(body, &got)
	require.Equal(t, refErr == nil, err == nil, "list %q: encoding/json says %v, Unmarshal says %v", body, refErr, err)
	if err == nil {
		require.True(t, reflect.DeepEqual(ref.decoded(), got), "list %q:\nencoding/json %#v\nUnmarshal     %#v", body, ref.decoded(), got)
	}

	var refOne struct {
		Data *refUser `json:"data"`
	}
	refErr = json.Unmarshal(body, &refOne)
	var one One[decodeUser]
	err = Unmarshal(body, &one)
	require.Equal(t, refErr == nil, err == nil, "one %q: encoding/json says %v, Unmarshal says %v", body, refErr, err)
	if err == nil {
		var want One[decodeUser]
		if refOne.Data != nil {
			u := refOne.Data.decoded()
			want.Data = &u
		}
		require.True(t, reflect.DeepEqual(want, one), "one %q:\nencoding/json %#v\nUnmarshal     %#v", body, want, one)
	}
}

// The answers the SDK reads, well-formed or not: each decodes as encoding/json decodes it, and a well-formed
// answer without duplicate names takes the fast path (fast), so that the speed-up cannot silently turn into a
// failed attempt plus encoding/json.
func TestUnmarshal_DecodesAsEncodingJSON(t *testing.T) {
	tests := []struct {
		name string
		body string
		fast bool // the v2 engine decodes it without falling back
	}{
		{"recorded list", `{"data":[{"uid":"cometchat-uid-2","name":"George Alan","avatar":"https:\/\/assets.cometchat.io\/u.webp","status":"offline","role":"default","createdAt":1629869270,"updatedAt":1630308676}],"meta":{"pagination":{"total":25,"count":5,"per_page":5,"current_page":1,"total_pages":5},"cursor":{"updatedAt":1694667984,"affix":"prepend"}}}`, true},
		{"cursor beside meta", `{"data":[],"cursor":{"updatedAt":"5","affix":"append"}}`, true},
		{"no data", `{"meta":{"pagination":{"total":1}}}`, true},
		{"data null", `{"data":null}`, true},
		{"top-level null", `null`, true},
		{"timestamps as int, float, string, null, words", `{"data":{"uid":"a","createdAt":1694667985.9,"per_page":"7","metadata":null},"meta":{"pagination":{"total":"25","count":2.5,"per_page":null,"current_page":true,"total_pages":{}}}}`, true},
		{"timestamp out of range", `{"data":{"uid":"a","createdAt":1e400}}`, true},
		{"metadata as an object", `{"data":{"uid":"a","metadata":{"n":1.5,"nested":{"ok":true},"list":[1,"x",null]}}}`, true},
		{"metadata as a JSON string holding an object", `{"data":{"uid":"a","metadata":"{\"email\":\"x@y\",\"n\":2}"}}`, true},
		{"metadata as a string holding duplicate names", `{"data":{"uid":"a","metadata":"{\"a\":1,\"a\":2}"}}`, true},
		{"metadata as other JSON", `{"data":{"uid":"a","metadata":[1,{"x":2}]}}`, true},
		{"metadata as a number out of range", `{"data":{"uid":"a","metadata":1e400}}`, false},
		{"a number out of range inside metadata", `{"data":{"uid":"a","metadata":{"big":-1e999}}}`, false},
		{"empty and missing lists", `{"data":[{"uid":"a","tags":[]},{"uid":"b"},{"uid":"c","tags":null}]}`, true},
		{"key case: exact names win, any case matches", `{"data":{"UID":"upper","Name":"N","METADATA":{"a":1},"CreatedAt":5,"Per_Page":3}}`, true},
		{"key case: both spellings, the later wins", `{"data":{"uid":"lower","UID":"upper"}}`, false},
		{"key case: underscores and dashes count", `{"data":{"uid":"a","perpage":3,"per-page":4,"created_at":5}}`, true},
		{"key case: Kelvin sign and long s fold as in encoding/json", "{\"data\":{\"uid\":\"a\",\"\u017fettings\":{\"theme\":\"x\"},\"bloc\u212aedByMe\":true}}", true},
		{"duplicate names: the last wins", `{"data":{"uid":"a","uid":"b","metadata":{"x":1},"metadata":{"y":2},"tags":["t"],"tags":["u","v"]}}`, false},
		{"duplicate names with null: encoding/json keeps the earlier string", `{"data":{"uid":"a","name":"n","name":null}}`, false},
		{"duplicate data objects merge", `{"data":{"uid":"a"},"data":{"name":"n"}}`, false},
		{"duplicate names inside metadata", `{"data":{"uid":"a","metadata":{"k":{"x":1},"k":{"y":2}}}}`, false},
		{"duplicate names inside settings", `{"data":{"uid":"a","settings":{"theme":"dark","theme":"light"}}}`, false},
		{"invalid UTF-8 in a value", "{\"data\":{\"uid\":\"a\\u00e9\",\"name\":\"bad \xff byte\"}}", false},
		{"invalid UTF-8 in metadata", "{\"data\":{\"uid\":\"a\",\"metadata\":{\"k\xff\":\"v\xfe\"}}}", false},
		{"lone surrogate escape", `{"data":{"uid":"\ud800","name":"\udc00x"}}`, false},
		{"escapes", `{"data":{"uid":"a","name":"J\u00fcrgen \ud83d\ude00 \"q\" \\ \/ \n","metadata":{"k\u00e9y":"\t"}}}`, true},
		{"unknown fields are skipped", `{"data":{"uid":"a","surprise":{"x":[1,{"y":null}]},"authTokens":["t"]},"extra":1}`, true},
		{"whitespace everywhere", " \n{ \"data\" : { \"uid\" : \"a\" , \"tags\" : [ \"x\" ] } } \r\n", true},
		{"trailing data", `{"data":{"uid":"a"}} {"data":{"uid":"b"}}`, false},
		{"trailing garbage", `{"data":{"uid":"a"}}x`, false},
		{"cut off in a string", `{"data":{"uid":"a","name":"Geo`, false},
		{"cut off between members", `{"data":[{"uid":"a"},`, false},
		{"cut off after the value", `{"data":{"uid":"a"}`, false},
		{"empty body", ``, false},
		{"not JSON", `<html>OK</html>`, false},
		{"wrong type for a string field", `{"data":{"uid":5}}`, false},
		{"wrong type for tags", `{"data":{"uid":"a","tags":"x"}}`, false},
		{"wrong type for a bool", `{"data":{"uid":"a","blockedByMe":"yes"}}`, false},
		{"wrong type for the list", `{"data":{"0":{"uid":"a"}}}`, true},
		{"a list instead of a user", `{"data":[{"uid":"a"}]}`, true},
		{"key case: dotted capital I", "{\"data\":{\"u\u0130d\":\"a\",\"L\u0131nk\":\"b\"}}", true},
		{"deep nesting in metadata", `{"data":{"uid":"a","metadata":{"a":` + strings.Repeat(`[`, 500) + strings.Repeat(`]`, 500) + `}}}`, true},
		{"realistic page", string(benchdata.Page(1, 100, 1000)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireSameAsEncodingJSON(t, []byte(tt.body))
			// Which path a body takes: a List, a One, whichever the body's data fits.
			var l List[decodeUser]
			var o One[decodeUser]
			fast := unmarshalV2([]byte(tt.body), &l) == nil || unmarshalV2([]byte(tt.body), &o) == nil
			assert.Equal(t, tt.fast, fast, "fast path")
		})
	}
}

// A failed fast path leaves nothing behind: encoding/json decodes into a zeroed value.
func TestUnmarshal_FallbackStartsFromZero(t *testing.T) {
	var l List[decodeUser]
	require.NoError(t, Unmarshal([]byte(`{"data":[{"uid":"a","metadata":{"x":1}}],"meta":{"pagination":{"total":3}}}`), &l))
	require.NoError(t, Unmarshal([]byte(`{"data":[{"uid":"b"}],"data":[{"uid":"c"}]}`), &l))
	require.NotNil(t, l.Data)
	assert.Equal(t, []decodeUser{{UID: "c"}}, *l.Data)
	assert.Nil(t, l.Meta, "the earlier answer's meta is gone")
}

func TestUnmarshal_NonPointerIsAnError(t *testing.T) {
	var l List[decodeUser]
	assert.Error(t, Unmarshal([]byte(`{}`), l))
	assert.Error(t, Unmarshal([]byte(`{}`), nil))
	assert.Error(t, Unmarshal([]byte(`{}`), (*List[decodeUser])(nil)))
}

// FuzzUnmarshal_MatchesEncodingJSON: whatever the body, Unmarshal and encoding/json agree, on success and on the
// values decoded.
func FuzzUnmarshal_MatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`{"data":[{"uid":"a","metadata":{"k":[1,"x"]},"tags":["t"],"createdAt":"5"}],"meta":{"pagination":{"total":1},"cursor":{"updatedAt":1,"affix":"prepend"}}}`,
		`{"data":{"uid":"a","UID":"b","metadata":"{\"a\":1}","per_page":2.5}}`,
		`{"data":{"uid":"a","uid":null,"settings":{"theme":"x"},"settings":null}}`,
		"{\"data\":{\"uid\":\"\xff\",\"metadata\":{\"\\ud800\":1}}}",
		`{"data":{"uid":"a"}}x`,
		`{"data":[{"uid":"a"},`,
		string(benchdata.Page(1, 2, 2)),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		requireSameAsEncodingJSON(t, body)
	})
}
