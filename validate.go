package cometchat

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Constraints from https://www.cometchat.com/docs/articles/properties-and-constraints.
const (
	maxUIDLen      = 100
	maxNameLen     = 100 // runes
	maxURLLen      = 3000
	maxMetadataLen = 5 << 10 // bytes of JSON; "5 KB" read leniently as 5 KiB
	maxTags        = 25
	maxTagLen      = 100 // runes
	maxRoleLen     = 100 // runes
	maxPerPage     = 1000
	maxTokenLen    = 1024
)

func invalid(field, reason string) *ValidationError {
	return &ValidationError{Field: field, Reason: reason}
}

// validateUID checks a uid: 1–100 of A-Z a-z 0-9 _ -. Upper case is allowed
// because the server lowercases uids. Nothing else can pass, so a uid is
// always a safe path segment.
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

// validateUIDs checks a non-empty list of uids, naming items "uids[i]".
func validateUIDs(uids []string) error {
	if len(uids) == 0 {
		return invalid("uids", "at least one uid is required")
	}
	for i, uid := range uids {
		if err := validateUID("uids["+strconv.Itoa(i)+"]", uid); err != nil {
			return err
		}
	}
	return nil
}

// validateText checks a required free-text field: valid UTF-8, not blank,
// at most max runes.
func validateText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return invalid(field, "must be valid UTF-8")
	}
	if strings.TrimSpace(s) == "" {
		return invalid(field, "must not be empty or blank")
	}
	if utf8.RuneCountInString(s) > max {
		return invalid(field, "must be at most "+strconv.Itoa(max)+" characters")
	}
	return nil
}

// validateURL checks avatar and link: an absolute http(s) URL with a host,
// at most 3000 characters.
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

// validateMetadata checks that metadata encodes as JSON of at most 5 KiB.
func validateMetadata(m map[string]any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return invalid("metadata", "must be encodable as JSON")
	}
	if buf.Len()-1 > maxMetadataLen { // Encode appends a newline
		return invalid("metadata", "must be at most 5 KB as JSON")
	}
	return nil
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

// validatePaging checks PerPage (0 or 1–1000) and Page (not negative).
func validatePaging(perPage, page int) error {
	if perPage < 0 || perPage > maxPerPage {
		return invalid("PerPage", "must be between 1 and 1000, or 0 for the server default")
	}
	if page < 0 {
		return invalid("Page", "must not be negative")
	}
	return nil
}

// validateToken checks an auth token used as a path segment: non-empty,
// printable, no path separators and not a dot segment. Tokens are opaque,
// so nothing stricter is assumed about their alphabet.
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

// userFields holds the optional fields shared by Create, Import and Update,
// so one function validates them the same way everywhere.
type userFields struct {
	avatar, link, role   *string
	metadata             map[string]any
	tags                 []string
	hasMetadata, hasTags bool
}

func (f userFields) validate() error {
	if f.avatar != nil {
		if err := validateURL("avatar", *f.avatar); err != nil {
			return err
		}
	}
	if f.link != nil {
		if err := validateURL("link", *f.link); err != nil {
			return err
		}
	}
	if f.role != nil {
		if err := validateText("role", *f.role, maxRoleLen); err != nil {
			return err
		}
	}
	if f.hasMetadata {
		if err := validateMetadata(f.metadata); err != nil {
			return err
		}
	}
	if f.hasTags {
		return validateTags(f.tags)
	}
	return nil
}

// setField returns a pointer to a set string field of params, nil for "".
func setField(s *string) *string {
	if *s == "" {
		return nil
	}
	return s
}

// validateNewUser checks what creating a user requires: the uid, the name
// and the optional fields. Users.Create and Users.Import share it.
func validateNewUser(uid, name string, f userFields) error {
	if err := validateUID("uid", uid); err != nil {
		return err
	}
	if err := validateText("name", name, maxNameLen); err != nil {
		return err
	}
	return f.validate()
}
