package cometchattest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLowerASCII_OnlyLowersAToZ(t *testing.T) {
	assert.Equal(t, "user_000", lowerASCII("User_000"))
	assert.Equal(t, "abc", lowerASCII("abc"))
	assert.Equal(t, "\u212a", lowerASCII("\u212a"), "the Kelvin sign is not ASCII and stays")
	assert.Equal(t, "éa", lowerASCII("éA"))
}

func TestCheckURL(t *testing.T) {
	for v, ok := range map[string]bool{
		"": true, "https://x.io/a.png": true, "HTTP://x.io": true, "http://127.0.0.1:8080/a": true,
		"Invalid:https://x/a.png": false, "https:///a.png": false, "ftp://x.io": false, "/a.png": false,
		"https://x.io/" + strings.Repeat("a", maxURLLen): false,
	} {
		var d details
		checkURL(&d, "avatar", v)
		assert.Equal(t, ok, d == nil, v)
	}
}

func TestCheckMetadata_CanonicalForms(t *testing.T) {
	for in, want := range map[string]string{
		`{ "a" : 1 , "b":[1, 2] }`:   `{"a":1,"b":[1,2]}`,
		`"{\"e\":\"x@y\"}"`:          `{"e":"x@y"}`,
		`"plain"`:                    `"plain"`,
		`{"u":"https://x.io/<a>"}`:   `{"u":"https://x.io/<a>"}`,
		`{"n":12345678901234567890}`: `{"n":12345678901234567890}`,
		`null`:                       ``,
	} {
		var d details
		assert.Equal(t, want, string(checkMetadata(&d, []byte(in))), in)
		assert.Nil(t, d, in)
	}
	for _, in := range []string{`[1]`, `5`, `true`, `{"x":1e400}`} {
		var d details
		assert.Nil(t, checkMetadata(&d, []byte(in)), in)
		assert.Contains(t, d, "metadata", in)
	}
}

func TestCheckTags(t *testing.T) {
	var d details
	checkTags(&d, []string{"ok", " ", strings.Repeat("x", 101)})
	assert.Equal(t, details{"tags.1": {"The tags.1 field is required."}, "tags.2": {"The tags.2 may not be greater than 100 characters."}}, d)
}
