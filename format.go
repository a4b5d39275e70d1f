package cometchat

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gocometchat/cometchat/internal/redact"
)

// The values the SDK returns that hold auth tokens (User, AuthToken, UserPage, AuthTokenPage) format and log with
// every token redacted: String, GoString and Format cover every fmt verb (%v, %+v, %#v, %s, %q, %x, ...), also
// inside slices, maps and structs, and LogValue covers slog's text and JSON handlers. Encoding them as JSON shows
// the tokens: that is how a token is handed to the app that needs it.

// redactToken keeps what identifies a token without revealing it: the uid part and the first digits of the
// creation time ("user_000_1694…[redacted]" for "user_000_1694..."). Nothing is shown unless at least 16
// characters stay hidden.
func redactToken(token string) string {
	if token == "" {
		return ""
	}
	keep := strings.LastIndexByte(token, '_') + 1 + 4
	if len(token)-keep < 16 || !utf8.ValidString(token[:keep]) {
		return redact.Mark
	}
	return token[:keep] + "…" + redact.Mark
}

// format writes s for any verb: %#v gets goString, every other verb the redacted text as a string.
func format(f fmt.State, verb rune, s, goString string) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, goString)
		return
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), s)
}

// plainUser and the other plain types have the fields of their namesakes and none of their methods, so that fmt
// prints their fields as it would by default once the tokens are redacted.
type (
	plainUser          User
	plainAuthToken     AuthToken
	plainUserPage      UserPage
	plainAuthTokenPage AuthTokenPage
)

// String shows the user's fields as %+v would, with AuthToken redacted.
func (u User) String() string {
	u.AuthToken = redactToken(u.AuthToken)
	return fmt.Sprintf("%+v", plainUser(u))
}

// GoString shows the user as %#v would, with AuthToken redacted.
func (u User) GoString() string {
	u.AuthToken = redactToken(u.AuthToken)
	return named(fmt.Sprintf("%#v", plainUser(u)), "plainUser", "User")
}

// Format implements fmt.Formatter, so that no verb shows the auth token.
func (u User) Format(f fmt.State, verb rune) { format(f, verb, u.String(), u.GoString()) }

// LogValue renders the user for slog with AuthToken redacted; zero fields are left out.
func (u User) LogValue() slog.Value {
	var attrs []slog.Attr
	str := func(k, v string) {
		if v != "" {
			attrs = append(attrs, slog.String(k, v))
		}
	}
	tm := func(k string, v time.Time) {
		if !v.IsZero() {
			attrs = append(attrs, slog.Time(k, v))
		}
	}
	str("uid", u.UID)
	str("name", u.Name)
	str("avatar", u.Avatar)
	str("link", u.Link)
	str("role", u.Role)
	str("statusMessage", u.StatusMessage)
	str("status", string(u.Status))
	if u.Metadata != nil {
		attrs = append(attrs, slog.Any("metadata", u.Metadata))
	}
	if u.Tags != nil {
		attrs = append(attrs, slog.Any("tags", u.Tags))
	}
	str("authToken", redactToken(u.AuthToken))
	tm("createdAt", u.CreatedAt)
	tm("updatedAt", u.UpdatedAt)
	tm("lastActiveAt", u.LastActiveAt)
	tm("deactivatedAt", u.DeactivatedAt)
	str("conversationId", u.ConversationID)
	if u.BlockedByMe {
		attrs = append(attrs, slog.Bool("blockedByMe", true))
	}
	if u.HasBlockedMe {
		attrs = append(attrs, slog.Bool("hasBlockedMe", true))
	}
	tm("blockedByMeAt", u.BlockedByMeAt)
	tm("blockedAt", u.BlockedAt)
	return slog.GroupValue(attrs...)
}

// String shows the token's fields as %+v would, with Token redacted.
func (t AuthToken) String() string {
	t.Token = redactToken(t.Token)
	return fmt.Sprintf("%+v", plainAuthToken(t))
}

// GoString shows the token as %#v would, with Token redacted.
func (t AuthToken) GoString() string {
	t.Token = redactToken(t.Token)
	return named(fmt.Sprintf("%#v", plainAuthToken(t)), "plainAuthToken", "AuthToken")
}

// Format implements fmt.Formatter, so that no verb shows the token.
func (t AuthToken) Format(f fmt.State, verb rune) { format(f, verb, t.String(), t.GoString()) }

// LogValue renders the token for slog as a group with Token redacted.
func (t AuthToken) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("uid", t.UID), slog.String("token", redactToken(t.Token))}
	if !t.CreatedAt.IsZero() {
		attrs = append(attrs, slog.Time("createdAt", t.CreatedAt))
	}
	if t.Platform != "" {
		attrs = append(attrs, slog.String("platform", t.Platform))
	}
	if t.UserAgent != "" {
		attrs = append(attrs, slog.String("userAgent", t.UserAgent))
	}
	if t.AppInfo != nil {
		attrs = append(attrs, slog.Any("appInfo", t.AppInfo))
	}
	return slog.GroupValue(attrs...)
}

// String shows the page as %+v would, every auth token redacted.
func (p UserPage) String() string { return fmt.Sprintf("%+v", plainUserPage(p)) }

// GoString shows the page as %#v would, every auth token redacted.
func (p UserPage) GoString() string {
	return named(fmt.Sprintf("%#v", plainUserPage(p)), "plainUserPage", "UserPage")
}

// Format implements fmt.Formatter, so that no verb shows an auth token.
func (p UserPage) Format(f fmt.State, verb rune) { format(f, verb, p.String(), p.GoString()) }

// LogValue renders the page for slog, every auth token redacted.
func (p UserPage) LogValue() slog.Value {
	users := make([]slog.Attr, 0, len(p.Users))
	for i, u := range p.Users {
		if u != nil {
			users = append(users, slog.Attr{Key: strconv.Itoa(i), Value: u.LogValue()})
		}
	}
	return slog.GroupValue(slog.Attr{Key: "users", Value: slog.GroupValue(users...)}, paginationAttr(p.Pagination))
}

// String shows the page as %+v would, every token redacted.
func (p AuthTokenPage) String() string { return fmt.Sprintf("%+v", plainAuthTokenPage(p)) }

// GoString shows the page as %#v would, every token redacted.
func (p AuthTokenPage) GoString() string {
	return named(fmt.Sprintf("%#v", plainAuthTokenPage(p)), "plainAuthTokenPage", "AuthTokenPage")
}

// Format implements fmt.Formatter, so that no verb shows a token.
func (p AuthTokenPage) Format(f fmt.State, verb rune) { format(f, verb, p.String(), p.GoString()) }

// LogValue renders the page for slog, every token redacted (slog's JSON handler would otherwise encode the Token
// fields as they are).
func (p AuthTokenPage) LogValue() slog.Value {
	tokens := make([]slog.Attr, 0, len(p.Tokens))
	for i, t := range p.Tokens {
		if t != nil {
			tokens = append(tokens, slog.Attr{Key: strconv.Itoa(i), Value: t.LogValue()})
		}
	}
	return slog.GroupValue(slog.Attr{Key: "tokens", Value: slog.GroupValue(tokens...)}, paginationAttr(p.Pagination))
}

func paginationAttr(p Pagination) slog.Attr {
	return slog.Group("pagination", "total", p.Total, "count", p.Count, "perPage", p.PerPage,
		"currentPage", p.CurrentPage, "totalPages", p.TotalPages)
}

// named renames the plain type in a %#v text to its exported namesake.
func named(goSyntax, plain, exported string) string {
	return strings.ReplaceAll(goSyntax, "cometchat."+plain, "cometchat."+exported)
}
