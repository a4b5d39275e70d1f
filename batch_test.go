package cometchat

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Helpers shared by the tests of the auth tokens, roles, friends and blocked users services.

// requireValidationField asserts that err is a *ValidationError for field, matching ErrValidation.
func requireValidationField(t *testing.T, err error, field string) {
	t.Helper()
	require.Error(t, err)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve, "want a *ValidationError for %q, got %v", field, err)
	assert.Equal(t, field, ve.Field, "the field named by %v", err)
	assert.ErrorIs(t, err, ErrValidation)
	var apiErr *APIError
	assert.False(t, errors.As(err, &apiErr), "a *ValidationError is not an *APIError")
}

// jsonInner is s as the inside of a JSON string, escaped as encoding/json escapes it ("<" as \u003c).
func jsonInner(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// phpJSONInner is s as the inside of a JSON string, escaped as CometChat's PHP server escapes it: "/" as "\/" and
// everything beyond ASCII as \uXXXX.
func phpJSONInner(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '/':
			b.WriteString(`\` + string(r))
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// assertNoSecret asserts that s shows secret in none of the forms a server may echo it in: raw, escaped for a URL,
// escaped in JSON by Go or by PHP.
func assertNoSecret(t *testing.T, s, secret string) {
	t.Helper()
	for _, form := range []string{secret, url.PathEscape(secret), url.QueryEscape(secret), jsonInner(secret), phpJSONInner(secret)} {
		assert.NotContains(t, s, form, "the text shows the secret %q", secret)
	}
}

// answersWithoutData are 2xx answers that lack the data a method returns (a list when list is true, else one
// object): each must be an error matching ErrInvalidResponse, never an empty success.
func answersWithoutData(list bool) map[string]string {
	answers := map[string]string{
		"null data":      `{"data":null}`,
		"empty object":   `{}`,
		"null":           `null`,
		"error envelope": `{"error":{"message":"Failed to validate the data sent with the request.","source":"chat-api","code":"ERR_BAD_REQUEST"}}`,
		"not JSON":       `<html>OK</html>`,
		"empty body":     ``,
	}
	if list {
		answers["object instead of a list"] = `{"data":{}}`
		answers["meta only"] = `{"meta":{"pagination":{"total":1,"count":1,"per_page":100,"current_page":1,"total_pages":1}}}`
	} else {
		answers["list instead of an object"] = `{"data":[]}`
		answers["string instead of an object"] = `{"data":"ok"}`
	}
	return answers
}
