package cometchat

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// formatRedacted is how the recorded token shows: its uid part and the first digits of its creation time.
const formatRedacted = "cometchat-uid-6_1638…[redacted]"

// formatCreatedBarry returns the *User that Create with WithAuthToken returns for the recorded answer, holding a
// real auth token.
func formatCreatedBarry(t *testing.T) *User {
	t.Helper()
	m := newMock(t)
	m.on("POST", "/users").Reply(200).BodyString(data(userBarry))
	u, err := m.Users.Create(context.Background(), &CreateUserParams{UID: "cometchat-uid-6", Name: "Barry Allen", WithAuthToken: true})
	require.NoError(t, err)
	require.Equal(t, usersBarryToken, u.AuthToken, "the recorded answer holds a token")
	return u
}

// formatTokenOf is the auth token of u as AuthTokens would return it.
func formatTokenOf(u *User) *AuthToken {
	return &AuthToken{
		UID: u.UID, Token: u.AuthToken, CreatedAt: u.CreatedAt, Platform: "ios", UserAgent: "MyApp/1.0",
		AppInfo: map[string]any{"version": "1.2"},
	}
}

// formatAssertNoToken asserts out shows no part of token's hidden part (everything after the redacted form's
// prefix), in clear or hex-encoded.
func formatAssertNoToken(t *testing.T, out, token, what string) {
	t.Helper()
	if !assert.NotContains(t, out, token, "%s shows the token", what) {
		return
	}
	hidden := token[strings.LastIndexByte(token, '_')+1+4:]
	for i := 0; i+12 <= len(hidden); i++ {
		if !assert.NotContains(t, out, hidden[i:i+12], "%s shows part of the token", what) {
			return
		}
	}
	for _, h := range []string{hex.EncodeToString([]byte(token)), hex.EncodeToString([]byte(hidden))} {
		assert.NotContains(t, strings.ToLower(out), h, "%s shows the token in hex", what)
	}
}

// formatValues are the ways a program holds the values the SDK returns.
func formatValues(u *User) map[string]any {
	tok := formatTokenOf(u)
	userPage := &UserPage{Users: []*User{u}, Pagination: Pagination{Total: 1, Count: 1, PerPage: 100, CurrentPage: 1, TotalPages: 1}}
	tokenPage := &AuthTokenPage{Tokens: []*AuthToken{tok}, Pagination: Pagination{Total: 1, Count: 1}}
	type own struct {
		Note  string
		User  User
		Ptr   *User
		Token AuthToken
		Page  *AuthTokenPage
	}
	return map[string]any{
		"*User":                 u,
		"User":                  *u,
		"**User":                &u,
		"[]*User":               []*User{u},
		"[]User":                []User{*u},
		"map[string]User":       map[string]User{"barry": *u},
		"map[string]*User":      map[string]*User{"barry": u},
		"[]any":                 []any{u, *u, tok},
		"*UserPage":             userPage,
		"UserPage":              *userPage,
		"*AuthToken":            tok,
		"AuthToken":             *tok,
		"[]*AuthToken":          []*AuthToken{tok},
		"[]AuthToken":           []AuthToken{*tok},
		"map[string]*AuthToken": map[string]*AuthToken{"t": tok},
		"map[string]AuthToken":  map[string]AuthToken{"t": *tok},
		"*AuthTokenPage":        tokenPage,
		"AuthTokenPage":         *tokenPage,
		"a struct of one's own": own{Note: "n", User: *u, Ptr: u, Token: *tok, Page: tokenPage},
		"a pointer to a struct": &own{User: *u, Ptr: u},
	}
}

// The security issue, point 4: fmt (%v %+v %#v %s %q) of a *User from Create with WithAuthToken showed the token in
// clear; so did []*AuthToken, []AuthToken, map[string]*AuthToken, an AuthTokenPage value and a UserPage.
func TestFormat_FmtNeverShowsTheAuthToken(t *testing.T) {
	u := formatCreatedBarry(t)
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%#x", "%20v", "%-50s", "%.80v"}
	for name, v := range formatValues(u) {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			formatAssertNoToken(t, out, usersBarryToken, verb+" of "+name)
			assert.NotContains(t, out, "PANIC", "%s of %s", verb, name)
		}
	}
	for name, s := range map[string]string{
		"User.String": u.String(), "User.GoString": u.GoString(),
		"AuthToken.String": formatTokenOf(u).String(), "AuthToken.GoString": formatTokenOf(u).GoString(),
		"UserPage.String": UserPage{Users: []*User{u}}.String(), "UserPage.GoString": UserPage{Users: []*User{u}}.GoString(),
		"AuthTokenPage.String":   AuthTokenPage{Tokens: []*AuthToken{formatTokenOf(u)}}.String(),
		"AuthTokenPage.GoString": AuthTokenPage{Tokens: []*AuthToken{formatTokenOf(u)}}.GoString(),
	} {
		formatAssertNoToken(t, s, usersBarryToken, name)
		assert.Contains(t, s, formatRedacted, name)
	}
}

func TestFormat_FmtShowsTheRedactedTokenAndEveryOtherField(t *testing.T) {
	u := formatCreatedBarry(t)

	for _, verb := range []string{"%v", "%+v", "%s"} {
		out := fmt.Sprintf(verb, u)
		assert.Contains(t, out, "AuthToken:"+formatRedacted, verb)
		assert.Contains(t, out, "UID:cometchat-uid-6", verb)
		assert.Contains(t, out, "Name:Barry Allen", verb)
		assert.Contains(t, out, "Link:https://cometchat.com", verb)
		assert.Contains(t, out, "Tags:[Engineer manager]", verb)
		assert.Contains(t, out, "CreatedAt:2021-12-01 10:20:15 +0000 UTC", verb)
	}
	assert.Equal(t, `"`+u.String()+`"`, fmt.Sprintf("%q", u))

	goSyntax := fmt.Sprintf("%#v", *u)
	assert.True(t, strings.HasPrefix(goSyntax, "cometchat.User{"), goSyntax)
	assert.Contains(t, goSyntax, `AuthToken:"`+formatRedacted+`"`)
	assert.Contains(t, goSyntax, `UID:"cometchat-uid-6"`)
	assert.NotContains(t, goSyntax, "plain", "%#v names the exported type")
	assert.Equal(t, goSyntax, u.GoString())

	tok := formatTokenOf(u)
	assert.True(t, strings.HasPrefix(tok.GoString(), "cometchat.AuthToken{"), tok.GoString())
	assert.Contains(t, tok.String(), "Token:"+formatRedacted)
	assert.Contains(t, tok.String(), "UID:cometchat-uid-6")
	assert.Contains(t, tok.String(), "Platform:ios")
	for name, s := range map[string]string{
		"UserPage":      fmt.Sprintf("%#v", UserPage{Users: []*User{u}}),
		"AuthTokenPage": fmt.Sprintf("%#v", AuthTokenPage{Tokens: []*AuthToken{tok}}),
	} {
		assert.True(t, strings.HasPrefix(s, "cometchat."+name+"{"), s)
		assert.NotContains(t, s, "plain", name)
		assert.Contains(t, s, formatRedacted, name)
	}
	assert.Contains(t, fmt.Sprintf("%v", UserPage{Users: []*User{u}, Pagination: Pagination{Total: 25}}), "Total:25",
		"a page still shows its pagination")
}

// slog's TextHandler and JSONHandler, with the value, the pointer and the page types, directly, in groups and in
// a logger's attributes.
func TestFormat_SlogNeverShowsTheAuthToken(t *testing.T) {
	u := formatCreatedBarry(t)
	tok := formatTokenOf(u)
	values := map[string]any{
		"User":           *u,
		"*User":          u,
		"UserPage":       UserPage{Users: []*User{u}},
		"*UserPage":      &UserPage{Users: []*User{u, u}},
		"AuthToken":      *tok,
		"*AuthToken":     tok,
		"AuthTokenPage":  AuthTokenPage{Tokens: []*AuthToken{tok}},
		"*AuthTokenPage": &AuthTokenPage{Tokens: []*AuthToken{tok, tok}},
	}
	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	}
	for hname, newHandler := range handlers {
		for vname, v := range values {
			var buf bytes.Buffer
			l := slog.New(newHandler(&buf))
			l.Info("created", "value", v)
			l.Info("created", slog.Any("value", v))
			l.Info("created", slog.Group("g", slog.Any("value", v)))
			l.With("value", v).Info("created")
			l.WithGroup("g").Info("created", "value", v)
			out := buf.String()
			formatAssertNoToken(t, out, usersBarryToken, hname+" handler with "+vname)
			assert.Contains(t, out, formatRedacted, "%s handler with %s", hname, vname)
			assert.NotContains(t, out, "panicked", "%s handler with %s", hname, vname)
		}
	}
}

// The text handler formats any value with fmt, so the slices and maps of the security issue are covered there too.
func TestFormat_SlogTextHandlerNeverShowsTheAuthTokenInSlicesMapsAndStructs(t *testing.T) {
	u := formatCreatedBarry(t)
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, nil))
	for name, v := range formatValues(u) {
		buf.Reset()
		l.Info("created", "value", v)
		formatAssertNoToken(t, buf.String(), usersBarryToken, "text handler with "+name)
	}
}

func TestFormat_SlogJSONShowsTheUsersFieldsWithTheTokenRedacted(t *testing.T) {
	u := formatCreatedBarry(t)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("created", "user", u, "page", &AuthTokenPage{Tokens: []*AuthToken{formatTokenOf(u)}})

	var line struct {
		User map[string]any `json:"user"`
		Page struct {
			Tokens map[string]map[string]any `json:"tokens"`
		} `json:"page"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &line), buf.String())
	assert.Equal(t, map[string]any{
		"uid":       "cometchat-uid-6",
		"name":      "Barry Allen",
		"link":      "https://cometchat.com",
		"avatar":    "https://assets.cometchat.io/sampleapp/v2/groups/cometchat-guid-1.webp",
		"status":    "offline",
		"role":      "manager",
		"tags":      []any{"Engineer", "manager"},
		"authToken": formatRedacted,
		"createdAt": "2021-12-01T10:20:15Z",
	}, line.User)
	require.Contains(t, line.Page.Tokens, "0")
	assert.Equal(t, formatRedacted, line.Page.Tokens["0"]["token"])
	assert.Equal(t, "cometchat-uid-6", line.Page.Tokens["0"]["uid"])
}

func TestFormat_RedactedTokenKeepsItsPrefixAndStaysValidUTF8(t *testing.T) {
	tests := []struct {
		name  string
		token string
		want  string
	}{
		{"empty", "", ""},
		{"the recorded token", usersBarryToken, formatRedacted},
		{"uid with underscores", "user_000_1694667984" + strings.Repeat("a", 40), "user_000_1694…[redacted]"},
		{"no underscore", "abcdefghijklmnopqrstuvwxyz", "abcd…[redacted]"},
		{"too short to show anything", "short-secret-token", "[redacted]"},
		{"only uid and time", "user_000_1694667984", "[redacted]"},
		{"ends with an underscore", strings.Repeat("a", 30) + "_", "[redacted]"},
		{"multi-byte prefix kept whole", "ü_" + strings.Repeat("é", 23), "ü_éé…[redacted]"},
		{"cut inside a character", "ü_x" + strings.Repeat("é", 20), "[redacted]"},
		{"invalid UTF-8 before the cut", "\xff_" + strings.Repeat("a", 30), "[redacted]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := redactToken(tt.token)
			assert.Equal(t, tt.want, got)
			assert.True(t, utf8.ValidString(got), "%q", got)
			if tt.token != "" {
				assert.NotContains(t, got, tt.token)
			}
			for name, s := range map[string]string{
				"User.String":        User{UID: "u", AuthToken: tt.token}.String(),
				"User.GoString":      User{UID: "u", AuthToken: tt.token}.GoString(),
				"AuthToken.String":   AuthToken{UID: "u", Token: tt.token}.String(),
				"AuthToken.GoString": AuthToken{UID: "u", Token: tt.token}.GoString(),
				"AuthToken.LogValue": AuthToken{UID: "u", Token: tt.token}.LogValue().String(),
				"User.LogValue":      User{UID: "u", AuthToken: tt.token}.LogValue().String(),
			} {
				assert.True(t, utf8.ValidString(s), "%s: %q", name, s)
				if tt.want != "" {
					assert.Contains(t, s, tt.want, name)
				}
			}
		})
	}
}

func TestFormat_ZeroValuesFormatWithoutPanics(t *testing.T) {
	var (
		nilUser      *User
		nilToken     *AuthToken
		nilUserPage  *UserPage
		nilTokenPage *AuthTokenPage
	)
	values := map[string]any{
		"User":                       User{},
		"AuthToken":                  AuthToken{},
		"UserPage":                   UserPage{},
		"AuthTokenPage":              AuthTokenPage{},
		"UserPage with a nil user":   UserPage{Users: []*User{nil}},
		"TokenPage with a nil token": AuthTokenPage{Tokens: []*AuthToken{nil}},
		"[]*User with nil":           []*User{nil},
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x"} {
			assert.NotContains(t, fmt.Sprintf(verb, v), "PANIC", "%s of %s", verb, name)
		}
		for hname, h := range map[string]func(*bytes.Buffer) slog.Handler{
			"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		} {
			var buf bytes.Buffer
			slog.New(h(&buf)).Info("zero", "value", v)
			assert.NotContains(t, buf.String(), "panicked", "%s handler with %s", hname, name)
		}
	}
	assert.NotPanics(t, func() {
		_ = User{}.LogValue()
		_ = AuthToken{}.LogValue()
		_ = UserPage{Users: []*User{nil}}.LogValue()
		_ = AuthTokenPage{Tokens: []*AuthToken{nil}}.LogValue()
	})
	assert.NotContains(t, User{}.String(), redactToken("x"), "an empty token is shown empty, not as redacted")
	for name, v := range map[string]any{"*User": nilUser, "*AuthToken": nilToken, "*UserPage": nilUserPage, "*AuthTokenPage": nilTokenPage} {
		assert.Equal(t, "<nil>", fmt.Sprintf("%v", v), name)
		assert.Equal(t, "<nil>", fmt.Sprintf("%+v", v), name)
	}
}

// Encoding as JSON is how a token is handed to the app that needs it: it shows the token (documented behaviour).
func TestFormat_JSONShowsTheAuthToken(t *testing.T) {
	u := formatCreatedBarry(t)
	for name, v := range map[string]any{
		"*User":          u,
		"User":           *u,
		"*AuthToken":     formatTokenOf(u),
		"UserPage":       UserPage{Users: []*User{u}},
		"*AuthTokenPage": &AuthTokenPage{Tokens: []*AuthToken{formatTokenOf(u)}},
	} {
		b, err := json.Marshal(v)
		require.NoError(t, err, name)
		assert.Contains(t, string(b), usersBarryToken, name)
	}
	var back User
	b, err := json.Marshal(u)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, *u, back, "a User survives a JSON round trip")
}
