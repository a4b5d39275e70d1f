package redact

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

const key = "0123456789abcdef0123456789abcdef01234567"

func TestRedactor_String(t *testing.T) {
	r := New(key, "ada_1694680000abc/def", "tok", "")
	tests := []struct{ name, in, want string }{
		{"raw key", "The key " + key + " does not exist", "The key [redacted] does not exist"},
		{"key twice", key + key, "[redacted][redacted]"},
		{"json escaped slash", `{"t":"ada_1694680000abc\/def"}`, `{"t":"[redacted]"}`},
		{"path escaped", "GET /users/ada/auth_tokens/ada_1694680000abc%2Fdef", "GET /users/ada/auth_tokens/[redacted]"},
		{"short secret as a word", "search tok done", "search [redacted] done"},
		{"short secret inside a word", "Auth token", "Auth token"},
		{"short secret at the edges", "tok", "[redacted]"},
		{"nothing to hide", "plain text", "plain text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, r.String(tt.in))
		})
	}
}

func TestRedactor_HTMLAndQueryForms(t *testing.T) {
	secret := "a<b>&c d+e/f=g12345"
	r := New(secret)
	for _, form := range []string{`a\u003cb\u003e\u0026c d+e\/f=g12345`, "a%3Cb%3E&c%20d+e%2Ff=g12345", "a%3Cb%3E%26c+d%2Be%2Ff%3Dg12345"} {
		got := r.String("x " + form + " y")
		assert.Equal(t, "x [redacted] y", got, form)
	}
}

func TestRedactor_NilAndEmptyReplaceNothing(t *testing.T) {
	var r *Redactor
	assert.Equal(t, "abc", r.String("abc"))
	assert.Equal(t, "abc", New().String("abc"))
	assert.False(t, New("").Changes("abc"))
	assert.True(t, New(key).Changes("x"+key))
}

func TestForms_EndWithTheSecretItself(t *testing.T) {
	forms := Forms("a/b")
	assert.Equal(t, "a/b", forms[len(forms)-1])
	assert.Contains(t, forms, `a\/b`)
	assert.Contains(t, forms, "a%2Fb")
}

func FuzzRedactor(f *testing.F) {
	f.Add(key, "echo "+key)
	f.Add("tok", "Auth token tok")
	f.Add("a\"b", `{"x":"a\"b"}`)
	f.Fuzz(func(t *testing.T, secret, text string) {
		got := New(secret).String(text + secret + text)
		if len(secret) >= shortSecret && utf8.ValidString(secret) && strings.Contains(got, secret) {
			t.Fatalf("secret survived: %q", got)
		}
	})
}

func TestRedactor_PHPUnicodeEscapes(t *testing.T) {
	token := "alice_1700000000tökenétrange0123456789😀"
	r := New(token)
	php := `alice_1700000000t\u00f6ken\u00e9trange0123456789\ud83d\ude00`
	assert.Equal(t, `{"m":"[redacted]"}`, r.String(`{"m":"`+php+`"}`))
}
