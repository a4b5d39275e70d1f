package cometchattest

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referenceString is what writeJSON makes of a string: encoding/json without HTML escaping, then "/" escaped.
func referenceString(t testing.TB, s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(s))
	return string(appendEscapingSlash(nil, bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})))
}

func TestAppendString_MatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "https://x.io/a/b", "<tag>&amp;", "tab\tnl\ncr\r",
		"\x00\x01\x1f\x7f", "\b\f", "é 😀 \u2028\u2029", "bad \xff utf8 \xed\xa0\x80", "emoji/😀/"} {
		requireSameString(t, s, appendString(nil, s))
	}
}

// requireSameString requires got to be what encoding/json makes of s (then "/" escaped). Where s is not valid
// UTF-8 only the decoded strings must match: encoding/json writes the replacement character escaped up to Go
// 1.26 and as is from Go 1.27, and either is the same JSON string.
func requireSameString(t testing.TB, s string, got []byte) {
	t.Helper()
	want := referenceString(t, s)
	if utf8.ValidString(s) {
		assert.Equal(t, want, string(got), "%q", s)
		return
	}
	var w, g string
	require.NoError(t, json.Unmarshal([]byte(want), &w))
	require.NoError(t, json.Unmarshal(got, &g), "%q", got)
	assert.Equal(t, w, g, "%q", s)
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"a/b", "\u2028", "\xff", `"\`, "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		requireSameString(t, s, appendString(nil, s))
	})
}

func TestUserEncoding_IsTheUserObject(t *testing.T) {
	u := &user{uid: "a", name: "A/B", avatar: "https://x.io/a.png", link: "https://x.io", role: "default", statusMessage: "hi",
		metadata: json.RawMessage(`{"u":"https://x.io/<b>","n":[1,2]}`), status: "offline", tags: []string{"t/1", "t2"},
		createdAt: 1, updatedAt: 2, lastActiveAt: 3, deactivatedAt: 4}
	v := u.view(true)
	v.extra = userExtra{authToken: "tok", conversationID: "a_user_b", viewer: true, blockedByMe: true, blockedByMeAt: 5, blockedAt: 5}
	got := string(appendUser(nil, &v))
	assert.JSONEq(t, `{"uid":"a","name":"A/B","avatar":"https://x.io/a.png","link":"https://x.io","role":"default",
		"statusMessage":"hi","metadata":{"u":"https://x.io/<b>","n":[1,2]},"status":"offline","tags":["t/1","t2"],
		"createdAt":1,"updatedAt":2,"lastActiveAt":3,"deactivatedAt":4,"authToken":"tok","conversationId":"a_user_b",
		"blockedByMe":true,"hasBlockedMe":false,"blockedByMeAt":5,"blockedAt":5}`, got)
	assert.NotContains(t, got, "https://", "every / is escaped")

	enc, _ := u.encoded()
	u.name = "changed"
	again, _ := u.encoded()
	assert.Equal(t, enc, again, "cached until dirty")
	u.dirty()
	again, _ = u.encoded()
	assert.Contains(t, string(again), `"name":"changed"`)

	v = u.view(false)
	v.extra = userExtra{blockedList: true, blockedByMe: true}
	got = string(appendUser(nil, &v))
	assert.NotContains(t, got, "tags")
	assert.NotContains(t, got, "hasBlockedMe")
	assert.Contains(t, got, `"blockedByMe":true`)
}

func TestAppendMeta(t *testing.T) {
	b := appendMeta(nil, &listMeta{Pagination: pageOf(5, 2, 2, 1), Cursor: &listCursor{7, "prepend"}})
	assert.Equal(t, `,"meta":{"pagination":{"total":5,"count":2,"per_page":2,"current_page":1,"total_pages":3},"cursor":{"updatedAt":7,"affix":"prepend"}}`, string(b))
	b = appendMeta(nil, &listMeta{Pagination: pageOf(0, 0, 100, 1)})
	assert.Equal(t, `,"meta":{"pagination":{"total":0,"count":0,"per_page":100,"current_page":1,"total_pages":0}}`, string(b))
}
