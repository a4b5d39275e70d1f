package cometchattest

import (
	"strconv"
	"unicode/utf8"
)

// The fake writes users from a cached encoding of each, built once per change, so that a list of a hundred users
// is a few copies rather than a hundred re-validations of stored metadata through encoding/json. Every appender
// here writes JSON the way writeJSON does: compact, no HTML escaping, and "/" escaped as "\/" like the real API.

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as encoding/json does with HTML escaping off, plus "/" as
// "\/". Invalid UTF-8 becomes U+FFFD, as with encoding/json.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '/' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\', '/':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendEscapingSlash appends JSON text produced by encoding/json without HTML escaping (so without "\/"),
// escaping each "/" as "\/": outside strings JSON has no "/", so only string contents change.
func appendEscapingSlash(b, text []byte) []byte {
	for {
		i := indexByte(text, '/')
		if i < 0 {
			return append(b, text...)
		}
		b = append(b, text[:i]...)
		b = append(b, '\\', '/')
		text = text[i+1:]
	}
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func appendField(b []byte, name string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

func appendStringField(b []byte, name, v string) []byte {
	return appendString(appendField(b, name), v)
}

func appendIntField(b []byte, name string, v int64) []byte {
	return strconv.AppendInt(appendField(b, name), v, 10)
}

func appendBoolField(b []byte, name string, v bool) []byte {
	return strconv.AppendBool(appendField(b, name), v)
}

// encoded is u's cached encoding: the user object without its closing brace and without tags, and the tags
// member (`,"tags":[…]`, nil without tags). Both are built on first use after a change (see dirty) and never
// modified afterwards, so a handler may keep them after releasing s.mu. It runs under s.mu.
func (u *user) encoded() (obj, tags []byte) {
	if u.enc == nil {
		b := make([]byte, 0, 160+len(u.metadata)+len(u.avatar)+len(u.link))
		b = append(b, `{"uid":`...)
		b = appendString(b, u.uid)
		b = appendStringField(b, "name", u.name)
		if u.avatar != "" {
			b = appendStringField(b, "avatar", u.avatar)
		}
		if u.link != "" {
			b = appendStringField(b, "link", u.link)
		}
		b = appendStringField(b, "role", u.role)
		if u.statusMessage != "" {
			b = appendStringField(b, "statusMessage", u.statusMessage)
		}
		if len(u.metadata) > 0 {
			b = appendEscapingSlash(appendField(b, "metadata"), u.metadata)
		}
		b = appendStringField(b, "status", u.status)
		b = appendIntField(b, "createdAt", u.createdAt)
		if u.updatedAt != 0 {
			b = appendIntField(b, "updatedAt", u.updatedAt)
		}
		if u.lastActiveAt != 0 {
			b = appendIntField(b, "lastActiveAt", u.lastActiveAt)
		}
		if u.deactivatedAt != 0 {
			b = appendIntField(b, "deactivatedAt", u.deactivatedAt)
		}
		u.enc = b
		u.encTags = nil
		if len(u.tags) > 0 {
			t := append(make([]byte, 0, 16*len(u.tags)), `,"tags":[`...)
			for i, tag := range u.tags {
				if i > 0 {
					t = append(t, ',')
				}
				t = appendString(t, tag)
			}
			u.encTags = append(t, ']')
		}
	}
	return u.enc, u.encTags
}

// dirty drops u's cached encoding after a change; it runs under s.mu.
func (u *user) dirty() { u.enc, u.encTags = nil, nil }

// userView is a user as one answer shows it: the cached encoding, captured under s.mu, and what the request adds.
type userView struct {
	obj, tags []byte // tags nil: not shown
	extra     userExtra
}

// userExtra is what an answer adds to a stored user.
type userExtra struct {
	authToken      string
	conversationID string
	viewer         bool // blockedByMe and hasBlockedMe are shown
	blockedList    bool // blockedByMe is shown (always true), hasBlockedMe is not
	blockedByMe    bool
	hasBlockedMe   bool
	blockedByMeAt  int64
	blockedAt      int64
}

// view captures u for an answer; withTags shows its tags. It runs under s.mu.
func (u *user) view(withTags bool) userView {
	obj, tags := u.encoded()
	if !withTags {
		tags = nil
	}
	return userView{obj: obj, tags: tags}
}

// size is an upper bound of what appendUser appends, before strings are escaped.
func (v *userView) size() int {
	return len(v.obj) + len(v.tags) + len(v.extra.authToken) + len(v.extra.conversationID) + 160
}

func appendUser(b []byte, v *userView) []byte {
	b = append(b, v.obj...)
	b = append(b, v.tags...)
	x := &v.extra
	if x.authToken != "" {
		b = appendStringField(b, "authToken", x.authToken)
	}
	if x.conversationID != "" {
		b = appendStringField(b, "conversationId", x.conversationID)
	}
	if x.viewer || x.blockedList {
		b = appendBoolField(b, "blockedByMe", x.blockedByMe)
	}
	if x.viewer {
		b = appendBoolField(b, "hasBlockedMe", x.hasBlockedMe)
	}
	if x.blockedByMeAt != 0 {
		b = appendIntField(b, "blockedByMeAt", x.blockedByMeAt)
	}
	if x.blockedAt != 0 {
		b = appendIntField(b, "blockedAt", x.blockedAt)
	}
	return append(b, '}')
}

// appendMeta appends `,"meta":{…}` for a list answer.
func appendMeta(b []byte, m *listMeta) []byte {
	p := &m.Pagination
	b = append(b, `,"meta":{"pagination":{"total":`...)
	b = strconv.AppendInt(b, int64(p.Total), 10)
	b = appendIntField(b, "count", int64(p.Count))
	b = appendIntField(b, "per_page", int64(p.PerPage))
	b = appendIntField(b, "current_page", int64(p.CurrentPage))
	b = appendIntField(b, "total_pages", int64(p.TotalPages))
	b = append(b, '}')
	if m.Cursor != nil {
		b = append(b, `,"cursor":{"updatedAt":`...)
		b = strconv.AppendInt(b, m.Cursor.UpdatedAt, 10)
		b = appendStringField(b, "affix", m.Cursor.Affix)
		b = append(b, '}')
	}
	return append(b, '}')
}
