package cometchat

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gocometchat/cometchat/internal/redact"
)

// Constraints from https://www.cometchat.com/docs/articles/properties-and-constraints.
const (
	maxUIDLen         = 100
	maxNameLen        = 100 // runes
	maxURLLen         = 3000
	maxMetadataLen    = 5 << 10 // bytes of JSON; "5 KB" read leniently as 5 KiB
	maxTags           = 25
	maxTagLen         = 100 // runes
	maxRoleNameLen    = 100 // runes
	maxDescriptionLen = 255 // runes
	maxPerPage        = 1000
	maxTokenLen       = 1024
)

// validateUID checks a uid (or a role id, which follows the same rules): 1–100 of A-Z a-z 0-9 _ -. Upper case is
// allowed because the server lowercases. Nothing else can pass, so a uid is always a safe path segment.
func validateUID(field, uid string) error {
	if uid == "" {
		return invalid(field, "is required")
	}
	if len(uid) > maxUIDLen {
		return invalid(field, "must be at most 100 characters")
	}
	for i := 0; i < len(uid); i++ {
		b := uid[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-') {
			return invalid(field, "must contain only letters, digits, '_' and '-'")
		}
	}
	return nil
}

// normalizeUIDs checks a non-empty list of uids, naming items field[i], and returns them lowercased (the server's
// form) with repeats dropped (compared case-insensitively), in the order given.
func normalizeUIDs(field string, uids []string) ([]string, error) {
	if len(uids) == 0 {
		return nil, invalid(field, "at least one uid is required")
	}
	out := make([]string, 0, len(uids))
	seen := make(map[string]bool, len(uids))
	for i, uid := range uids {
		if err := validateUID(field+"["+strconv.Itoa(i)+"]", uid); err != nil {
			return nil, err
		}
		if uid = strings.ToLower(uid); !seen[uid] {
			seen[uid] = true
			out = append(out, uid)
		}
	}
	return out, nil
}

// validateText checks a required free-text field: valid UTF-8, not blank, at most max runes.
func validateText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return invalid(field, "must be valid UTF-8")
	}
	if strings.TrimSpace(s) == "" {
		return invalid(field, "must not be empty or blank")
	}
	return validateLength(field, s, max)
}

// validateLength checks an optional free-text field: valid UTF-8, at most max runes.
func validateLength(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return invalid(field, "must be valid UTF-8")
	}
	if utf8.RuneCountInString(s) > max {
		return invalid(field, "must be at most "+strconv.Itoa(max)+" characters")
	}
	return nil
}

// validateURL checks avatar and link: an absolute http(s) URL with a host, at most 3000 characters.
func validateURL(field, s string) error {
	if len(s) > maxURLLen {
		return invalid(field, "must be at most 3000 characters")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || strings.ContainsAny(s, " \t\r\n") {
		return invalid(field, "must be an absolute http or https URL")
	}
	return nil
}

// validateObject checks that an object (metadata, appInfo) encodes as JSON, of at most max bytes when max > 0, and
// returns its encoding, which the request body then carries as it is: the object is encoded once. A nil object is
// nil.
func validateObject(field string, m map[string]any, max int) (json.RawMessage, error) {
	if m == nil {
		return nil, nil
	}
	b, err := encodeJSON(m)
	if err != nil {
		return nil, invalid(field, "must be encodable as JSON (NaN, infinities, channels and functions are not)")
	}
	if max > 0 && len(b) > max {
		return nil, invalid(field, "must be at most "+strconv.Itoa(max/1024)+" KB as JSON")
	}
	return b, nil
}

// validateTags checks at most 25 tags, each 1–100 characters, not blank.
func validateTags(tags []string) error {
	if len(tags) > maxTags {
		return invalid("tags", "must hold at most 25 tags")
	}
	for i, t := range tags {
		if err := validateText("tags["+strconv.Itoa(i)+"]", t, maxTagLen); err != nil {
			return err
		}
	}
	return nil
}

// validatePaging checks perPage (0 or 1–1000) and page (not negative).
func validatePaging(perPage, page int) error {
	if perPage < 0 || perPage > maxPerPage {
		return invalid("perPage", "must be between 1 and 1000, or 0 for the server default")
	}
	if page < 0 {
		return invalid("page", "must not be negative")
	}
	return nil
}

// validateToken checks an auth token used as a path segment: non-empty, printable, no path separators and not a
// dot segment. Tokens are opaque, so nothing stricter is assumed about their alphabet.
func validateToken(token string) error {
	switch {
	case token == "":
		return invalid("token", "is required")
	case len(token) > maxTokenLen:
		return invalid("token", "must be at most 1024 characters")
	case token == "." || token == "..":
		return invalid("token", "must not be a dot segment")
	}
	for _, r := range token {
		if r == '/' || r == '\\' || r == utf8.RuneError || !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return invalid("token", "must not contain slashes, spaces or control characters")
		}
	}
	return nil
}

// userFields holds the optional fields shared by Users.Create, Users.Import and Users.Update, so that one function
// validates them the same way everywhere. A nil map or slice, or an unset optional, is a field not sent.
type userFields struct {
	avatar, link, role optional
	metadata           map[string]any
	tags               []string
}

// optional is a string field that may be absent.
type optional struct {
	value string
	set   bool
}

// ifSet is the optional of a create's string field: set unless empty (an empty field is not sent).
func ifSet(s string) optional { return optional{s, s != ""} }

// ifNotNil is the optional of an update's string field: set unless nil.
func ifNotNil(s *string) optional {
	if s == nil {
		return optional{}
	}
	return optional{*s, true}
}

// validate checks the fields and returns the metadata's encoding (nil when not sent).
func (f userFields) validate() (json.RawMessage, error) {
	if f.avatar.set {
		if err := validateURL("avatar", f.avatar.value); err != nil {
			return nil, err
		}
	}
	if f.link.set {
		if err := validateURL("link", f.link.value); err != nil {
			return nil, err
		}
	}
	if f.role.set {
		if err := validateUID("role", f.role.value); err != nil {
			return nil, err
		}
	}
	if f.tags != nil {
		if err := validateTags(f.tags); err != nil {
			return nil, err
		}
	}
	return validateObject("metadata", f.metadata, maxMetadataLen)
}

// validateNewUser checks what creating a user requires: the uid, the name and the optional fields, and returns
// the metadata's encoding. Users.Create and Users.Import share it.
func validateNewUser(uid, name string, f userFields) (json.RawMessage, error) {
	if err := validateUID("uid", uid); err != nil {
		return nil, err
	}
	if err := validateText("name", name, maxNameLen); err != nil {
		return nil, err
	}
	return f.validate()
}

// validateMethod accepts the HTTP methods of the REST API.
func validateMethod(method string) error {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return nil
	}
	return invalid("method", "must be GET, POST, PUT, DELETE or PATCH")
}

// validatePath checks a path for Do: it starts with "/", is escaped, and stays below the base URL (no empty, "."
// or ".." segment, once unescaped; no segment holding "/" or "\" once unescaped; no query, fragment, scheme or
// host). It returns the auth token the path holds,
// unescaped, if any (see redactPath).
func validatePath(path string) (token string, err error) {
	if !strings.HasPrefix(path, "/") {
		return "", invalid("path", `must start with "/"`)
	}
	for i, rest := 0, path[1:]; ; i++ {
		seg, after, more := strings.Cut(rest, "/")
		raw, err := url.PathUnescape(seg)
		switch {
		case err != nil || strings.ContainsAny(seg, "?# ") || !printableASCII(seg):
			return "", invalid("path", "must be an escaped path without query or fragment (escape segments with url.PathEscape)")
		case seg == "" && more, raw == "." || raw == "..", strings.ContainsAny(raw, `/\`):
			// An escaped "/" or "\" could hide a ".." segment from this check and not from a proxy that
			// decodes it; no value the API takes holds one.
			return "", invalid("path", `must stay inside the API: no empty, "." or ".." segments, no escaped "/" or "\"`)
		case i == 3 && isTokenPath(path):
			token = raw
		}
		if !more {
			return token, nil
		}
		rest = after
	}
}

// isTokenPath reports whether path is /users/{uid}/auth_tokens/{token}[/...]: its fourth segment is an auth token.
func isTokenPath(path string) bool {
	segs := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 5)
	return tokenSegment(segs) >= 0
}

// tokenSegment is the index in segs (the path's segments after its leading "/") of an auth token:
// users/{uid}/auth_tokens/{token}; -1 for none.
func tokenSegment(segs []string) int {
	if len(segs) >= 4 && segs[0] == "users" && segs[2] == "auth_tokens" && segs[3] != "" {
		return 3
	}
	return -1
}

// redactPath is path with an auth token in it replaced by [redacted]: how logs and errors name a call.
func redactPath(path string) string {
	if !strings.Contains(path, "/auth_tokens/") {
		return path
	}
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	i := tokenSegment(segs)
	if i < 0 {
		return path
	}
	segs[i] = redact.Mark
	return "/" + strings.Join(segs, "/")
}

// pathOf joins escaped segments: pathOf("users", uid) is "/users/<uid>".
func pathOf(segments ...string) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// encodeJSON encodes v as JSON without HTML escaping (CometChat stores what it receives: "<" must stay "<").
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}
