package cometchattest

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The constraints of the spec's §3, checked as the real API checks them.
const (
	maxUIDLen        = 100
	maxNameLen       = 100
	maxURLLen        = 3000
	maxRoleLen       = 100
	maxMetadataBytes = 5 * 1024
	maxTags          = 25
	maxTagLen        = 100
)

// userInput is a user as sent to POST /users and POST /data_import/users. Empty strings count as not sent, as
// the real API's validator turns them into nulls.
type userInput struct {
	UID           string          `json:"uid"`
	Name          string          `json:"name"`
	Avatar        string          `json:"avatar"`
	Link          string          `json:"link"`
	Role          string          `json:"role"`
	StatusMessage string          `json:"statusMessage"`
	Metadata      json.RawMessage `json:"metadata"`
	Tags          []string        `json:"tags"`
}

// toUser validates in and builds the user it describes; seq and timestamps are the caller's. It returns nil with
// d filled when in is invalid.
func (in *userInput) toUser(d *details) *user {
	uid := lowerASCII(in.UID)
	checkUID(d, "uid", uid)
	checkName(d, in.Name, "The name field is required.")
	checkURL(d, "avatar", in.Avatar)
	checkURL(d, "link", in.Link)
	checkRole(d, in.Role)
	meta := checkMetadata(d, in.Metadata)
	checkTags(d, in.Tags)
	if *d != nil {
		return nil
	}
	u := &user{
		uid:           uid,
		name:          in.Name,
		nameLower:     strings.ToLower(in.Name),
		avatar:        in.Avatar,
		link:          in.Link,
		role:          lowerASCII(in.Role),
		statusMessage: in.StatusMessage,
		status:        statusOffline,
		metadata:      meta,
	}
	if u.role == "" {
		u.role = defaultRole
	}
	if len(in.Tags) > 0 {
		u.tags = slices.Clone(in.Tags)
	}
	return u
}

// updateInput is the body of PUT /users/{uid}: nil pointers and absent fields are left unchanged.
type updateInput struct {
	Name          *string         `json:"name"`
	Avatar        *string         `json:"avatar"`
	Link          *string         `json:"link"`
	Role          *string         `json:"role"`
	StatusMessage *string         `json:"statusMessage"`
	Metadata      json.RawMessage `json:"metadata"`
	Tags          *[]string       `json:"tags"`
	Unset         []string        `json:"unset"`
}

// check validates in and returns the canonical metadata to store (nil: not sent).
func (in *updateInput) check(d *details) json.RawMessage {
	if in.Name != nil {
		checkName(d, *in.Name, "The name field must have a value.")
	}
	for field, v := range map[string]*string{"avatar": in.Avatar, "link": in.Link} {
		if v != nil && *v == "" {
			d.add(field, "The "+field+" must be a valid URL.")
		} else if v != nil {
			checkURL(d, field, *v)
		}
	}
	if in.Role != nil {
		if *in.Role == "" {
			d.add("role", "The role field must have a value.")
		}
		checkRole(d, *in.Role)
	}
	meta := checkMetadata(d, in.Metadata)
	if in.Tags != nil {
		checkTags(d, *in.Tags)
	}
	for i, f := range in.Unset {
		if f != "avatar" && f != "link" && f != "metadata" {
			field := "unset." + strconv.Itoa(i)
			d.add(field, "The selected "+field+" is invalid.")
		}
	}
	return meta
}

// apply changes u as in asks; in has passed check. Unset runs last, so it wins over a value sent alongside.
func (in *updateInput) apply(u *user, meta json.RawMessage, now int64) {
	if in.Name != nil {
		u.name, u.nameLower = *in.Name, strings.ToLower(*in.Name)
	}
	setIf(&u.avatar, in.Avatar)
	setIf(&u.link, in.Link)
	setIf(&u.role, in.Role)
	setIf(&u.statusMessage, in.StatusMessage)
	if meta != nil {
		u.metadata = meta
	}
	if in.Tags != nil {
		u.tags = nil
		if len(*in.Tags) > 0 {
			u.tags = slices.Clone(*in.Tags)
		}
	}
	for _, f := range in.Unset {
		switch f {
		case "avatar":
			u.avatar = ""
		case "link":
			u.link = ""
		case "metadata":
			u.metadata = nil
		}
	}
	u.updatedAt = now
	u.dirty()
}

func setIf(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// lowerASCII lowercases A–Z only, like the real API (PHP's strtolower); other runes then fail the uid check.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// checkUID checks an already lowercased uid.
func checkUID(d *details, field, uid string) {
	switch {
	case uid == "":
		d.add(field, "The "+field+" field is required.")
	case len(uid) > maxUIDLen:
		d.add(field, "The "+field+" may not be greater than 100 characters.")
	case !isUID(uid):
		d.add(field, "The "+field+" may only contain letters, numbers, dashes and underscores.")
	}
}

func isUID(uid string) bool {
	for i := 0; i < len(uid); i++ {
		if c := uid[i]; !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '_' {
			return false
		}
	}
	return uid != ""
}

func checkName(d *details, name, requiredMsg string) {
	switch {
	case strings.TrimSpace(name) == "":
		d.add("name", requiredMsg)
	case utf8.RuneCountInString(name) > maxNameLen:
		d.add("name", "The name may not be greater than 100 characters.")
	}
}

// checkURL accepts "" (not sent) and absolute http(s) URLs with a host.
func checkURL(d *details, field, v string) {
	if v == "" {
		return
	}
	if len(v) > maxURLLen {
		d.add(field, "The "+field+" may not be greater than 3000 characters.")
		return
	}
	u, err := url.Parse(v)
	if err != nil || (!strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https")) || u.Host == "" {
		d.add(field, "The "+field+" must be a valid URL.")
	}
}

func checkRole(d *details, role string) {
	if utf8.RuneCountInString(role) > maxRoleLen {
		d.add("role", "The role may not be greater than 100 characters.")
	}
}

func checkTags(d *details, tags []string) {
	if len(tags) > maxTags {
		d.add("tags", "The tags may not have more than 25 items.")
	}
	for i, tag := range tags {
		field := "tags." + strconv.Itoa(i)
		switch {
		case strings.TrimSpace(tag) == "":
			d.add(field, "The "+field+" field is required.")
		case utf8.RuneCountInString(tag) > maxTagLen:
			d.add(field, "The "+field+" may not be greater than 100 characters.")
		}
	}
}

// checkMetadata validates sent metadata and returns it re-encoded (nil when not sent or null). An object is
// stored as such; a string holding a JSON object (CometChat's own QA suite sends metadata that way) is stored as
// that object, any other string as the string.
func checkMetadata(d *details, raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if isEmptyArray(raw) {
		return emptyObject
	}
	v, err := decodeJSON(raw)
	if s, ok := v.(string); ok && err == nil {
		if obj, err2 := decodeJSON([]byte(s)); err2 == nil {
			if _, isObj := obj.(map[string]any); isObj {
				v = obj
			}
		}
	}
	switch v.(type) {
	case map[string]any, string:
	default:
		d.add("metadata", "The metadata must be a JSON object.")
		return nil
	}
	out, err := encodeCanonical(v)
	if err != nil {
		d.add("metadata", "The metadata must be a JSON object.")
		return nil
	}
	if len(out) > maxMetadataBytes {
		d.add("metadata", "The metadata may not be greater than 5 KB.")
		return nil
	}
	return out
}

// checkObject validates an optional JSON object (a token's appInfo) and returns it re-encoded.
func checkObject(d *details, field string, raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if isEmptyArray(raw) {
		return emptyObject
	}
	v, err := decodeJSON(raw)
	if _, ok := v.(map[string]any); !ok || err != nil {
		d.add(field, "The "+field+" must be an object.")
		return nil
	}
	out, err := encodeCanonical(v)
	if err != nil {
		d.add(field, "The "+field+" must be an object.")
		return nil
	}
	return out
}

// decodeJSON decodes one JSON value keeping numbers as written.
func decodeJSON(raw []byte) (any, error) {
	if !json.Valid(raw) {
		return nil, errInvalidJSON
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if !finiteNumbers(v) {
		return nil, errInvalidJSON
	}
	return v, nil
}

// finiteNumbers reports whether every number in v fits a float64, so that clients decoding the stored value
// the usual way (into any) do not fail on it. Numbers are otherwise kept exactly as written.
func finiteNumbers(v any) bool {
	switch v := v.(type) {
	case json.Number:
		_, err := strconv.ParseFloat(string(v), 64)
		return err == nil
	case map[string]any:
		for _, e := range v {
			if !finiteNumbers(e) {
				return false
			}
		}
	case []any:
		for _, e := range v {
			if !finiteNumbers(e) {
				return false
			}
		}
	}
	return true
}

var errInvalidJSON = errors.New("invalid JSON")

// emptyObject is what an empty JSON array sent for an object becomes (see isEmptyArray).
var emptyObject = json.RawMessage(`{}`)

// encodeCanonical re-encodes a decoded value compactly, without HTML escaping and without "\/" escapes, which
// writeJSON's slash rewriting relies on.
func encodeCanonical(v any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}
