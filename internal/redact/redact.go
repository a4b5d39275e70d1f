// Package redact removes secrets (the API key, auth tokens, personal query values) from text the SDK shows:
// error messages, log attributes and copies of server answers. One Redactor serves every such place, so a secret
// is hidden the same way whether the server echoed it in a JSON body, a malformed header line or a request line.
package redact

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// Mark stands in for every secret removed.
const Mark = "[redacted]"

// shortSecret is the length below which a secret could plausibly occur inside an ordinary word ("tok" inside
// "token"): such secrets are replaced only where they stand as a word of their own.
const shortSecret = 16

// Redactor replaces a fixed set of secrets in text. nil replaces nothing. A Redactor is safe for concurrent use.
// It prepares its replacements on first use: most calls end without an error or a log line to redact.
type Redactor struct {
	secrets []string
	once    sync.Once
	long    *strings.Replacer // secrets of shortSecret bytes or more, in every form
	short   []string          // shorter secrets, in every form, replaced as whole words
}

// New returns a Redactor for secrets. Each secret is also replaced in the forms text may carry it in: escaped
// inside a JSON string (with and without HTML escaping, "/" written as "\/" as CometChat does) and escaped for a
// URL path or query. Empty secrets are ignored.
func New(secrets ...string) *Redactor { return &Redactor{secrets: secrets} }

func (r *Redactor) prepare() {
	var pairs []string
	seen := make(map[string]bool)
	for _, s := range r.secrets {
		if s == "" {
			continue
		}
		for _, form := range Forms(s) {
			if seen[form] {
				continue
			}
			seen[form] = true
			if len(s) < shortSecret {
				r.short = append(r.short, form)
			} else {
				pairs = append(pairs, form, Mark)
			}
		}
	}
	if pairs != nil {
		r.long = strings.NewReplacer(pairs...)
	}
}

// String returns s with every secret replaced by Mark.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	r.once.Do(r.prepare)
	if r.long != nil {
		s = r.long.Replace(s)
	}
	for _, w := range r.short {
		s = replaceWord(s, w)
	}
	return s
}

// Changes reports whether String(s) differs from s: s holds a secret.
func (r *Redactor) Changes(s string) bool { return r.String(s) != s }

// replaceWord replaces the occurrences of w in s that are not part of a longer word.
func replaceWord(s, w string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, w)
		if i < 0 {
			break
		}
		end := i + len(w)
		b.WriteString(s[:i])
		if (i == 0 || !wordByte(s[i-1])) && (end == len(s) || !wordByte(s[end])) {
			b.WriteString(Mark)
		} else {
			b.WriteString(w)
		}
		s = s[end:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(s)
	return b.String()
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// Forms returns s in every form the SDK may meet it in, longest escapes first (so that a form holding s as a
// prefix is replaced whole), s itself last.
func Forms(s string) []string {
	var forms []string
	add := func(f string) {
		if f != s && f != "" {
			forms = append(forms, f)
		}
	}
	for _, q := range append(jsonEscaped(s), asciiEscaped(s)) {
		add(strings.ReplaceAll(q, "/", `\/`))
		add(q)
	}
	add(url.PathEscape(s))
	add(url.QueryEscape(s))
	return append(forms, s)
}

// jsonEscaped returns s as the inside of a JSON string, escaped with and without HTML escaping.
func jsonEscaped(s string) []string {
	plain, _ := json.Marshal(s) // a string always marshals
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	noHTML := strings.TrimSuffix(b.String(), "\n")
	return []string{unquote(string(plain)), unquote(noHTML)}
}

func unquote(q string) string { return q[1 : len(q)-1] }

// asciiEscaped returns s as the inside of a JSON string with every non-ASCII character escaped as \uXXXX (UTF-16
// surrogate pairs past the BMP), as PHP's json_encode writes it by default.
func asciiEscaped(s string) string {
	var b strings.Builder
	for _, r := range jsonEscaped(s)[1] {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xFFFF:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}
