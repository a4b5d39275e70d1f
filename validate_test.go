package cometchat

import (
	"context"
	"encoding/json"
	"math"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validateCheck asserts err is a *ValidationError for field that does not show value: a ValidationError never
// holds the offending value, which may be personal or secret. Values of fewer than 4 bytes are too likely to occur
// in any text to be checked.
func validateCheck(t *testing.T, err error, field, value string) {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve, "value %q", value)
	assert.Equal(t, field, ve.Field, "value %q", value)
	assert.ErrorIs(t, err, ErrValidation)
	assert.Equal(t, "cometchat: invalid "+ve.Field+": "+ve.Reason, err.Error())
	if len(value) >= 4 {
		assert.NotContains(t, err.Error(), value, "the error shows the value")
	}
}

// validateAcceptedUIDs pass validateUID.
var validateAcceptedUIDs = []string{
	"a", "A", "0", "-", "_", "user_000", "cometchat-uid-1", "CometChat-UID-1", "UPPER_CASE-42",
	strings.Repeat("a", 100), strings.Repeat("Z", 99) + "_",
}

// validateRejectedUIDs fail validateUID, by description.
var validateRejectedUIDs = map[string]string{
	"empty":            "",
	"101 characters":   strings.Repeat("a", 101),
	"dot-dot slash":    "../x",
	"dot-dot":          "..",
	"dot":              ".",
	"dot inside":       "a.b",
	"slash":            "a/b",
	"backslash":        `a\b`,
	"space":            "a b",
	"leading space":    " ab",
	"tab":              "a\tb",
	"newline":          "abc\n",
	"NUL":              "a\x00b",
	"unicode letter":   "jürgen",
	"emoji":            "user😀",
	"fullwidth letter": "ａbc",
	"escaped slash":    "a%2Fb",
	"question mark":    "a?b=c",
	"hash":             "a#b",
	"at":               "a@b",
	"plus":             "a+b",
	"colon":            "a:b",
	"invalid UTF-8":    "a\xffb",
}

func TestValidateUID(t *testing.T) {
	for _, uid := range validateAcceptedUIDs {
		assert.NoError(t, validateUID("uid", uid), uid)
	}
	for name, uid := range validateRejectedUIDs {
		t.Run(name, func(t *testing.T) {
			validateCheck(t, validateUID("role", uid), "role", uid)
		})
	}
}

func TestNormalizeUIDs(t *testing.T) {
	got, err := normalizeUIDs("uids", []string{"ADA", "Ghost", "ada", "bob", "BOB", "Ada"})
	require.NoError(t, err)
	assert.Equal(t, []string{"ada", "ghost", "bob"}, got, "lowercased, repeats dropped, in the order given")

	in := []string{"B", "a"}
	got, err = normalizeUIDs("uids", in)
	require.NoError(t, err)
	assert.Equal(t, []string{"b", "a"}, got)
	assert.Equal(t, []string{"B", "a"}, in, "the caller's slice is not changed")

	tests := []struct {
		name  string
		uids  []string
		field string
	}{
		{"nil", nil, "friends"},
		{"empty", []string{}, "friends"},
		{"first invalid", []string{"a b"}, "friends[0]"},
		{"third invalid", []string{"ada", "bob", "../x"}, "friends[2]"},
		{"invalid after a repeat", []string{"ada", "ADA", ""}, "friends[2]"},
	}
	for _, tt := range tests {
		got, err := normalizeUIDs("friends", tt.uids)
		assert.Nil(t, got, tt.name)
		validateCheck(t, err, tt.field, strings.Join(tt.uids, ","))
	}
}

func TestValidateText(t *testing.T) {
	accepted := []string{"A", "Barry Allen", "  padded  ", strings.Repeat("😀", 100), strings.Repeat("é", 100), strings.Repeat("n", 100)}
	for _, s := range accepted {
		assert.NoError(t, validateText("name", s, maxNameLen), "%q", s)
	}
	rejected := map[string]string{
		"empty":          "",
		"blank":          "    ",
		"tab and NL":     "\t\n",
		"101 emoji":      strings.Repeat("😀", 101),
		"101 ASCII":      strings.Repeat("n", 101),
		"invalid UTF-8":  "Bad\xffName",
		"truncated rune": "Name\xe2\x82",
	}
	for name, s := range rejected {
		t.Run(name, func(t *testing.T) {
			validateCheck(t, validateText("name", s, maxNameLen), "name", s)
		})
	}
}

func TestValidateLength(t *testing.T) {
	for _, s := range []string{"", " ", strings.Repeat("ü", 255)} {
		assert.NoError(t, validateLength("description", s, maxDescriptionLen), "%q", s)
	}
	for _, s := range []string{strings.Repeat("ü", 256), "Bad\xffText"} {
		validateCheck(t, validateLength("description", s, maxDescriptionLen), "description", s)
	}
}

func TestValidateURL(t *testing.T) {
	long := "https://x.io/" + strings.Repeat("a", maxURLLen-len("https://x.io/"))
	require.Len(t, long, 3000)
	accepted := []string{
		"https://assets.cometchat.io/sampleapp/v2/users/cometchat-uid-2.webp",
		"http://x.io",
		"https://x",
		"HTTPS://X.IO/A.PNG",
		"https://x.io:8443/a.png?size=64#top",
		"https://[::1]:8080/a",
		long,
	}
	for _, s := range accepted {
		assert.NoError(t, validateURL("avatar", s), s)
	}
	rejected := map[string]string{
		"the documented example": "Invalid:https://x/a.png",
		"empty":                  "",
		"no scheme":              "x.io/a.png",
		"relative":               "/a.png",
		"protocol-relative":      "//x.io/a.png",
		"ftp":                    "ftp://x.io/a.png",
		"javascript":             "javascript:alert(1)",
		"data":                   "data:image/png;base64,AAAA",
		"no host":                "https:///a.png",
		"scheme only":            "https://",
		"port without host":      "http://:80/a.png",
		"space":                  "https://x.io/a b.png",
		"newline":                "https://x.io/a.png\n",
		"bad escape":             "https://x.io/%zz",
		"blank":                  "    ",
		"3001 characters":        long + "a",
	}
	for name, s := range rejected {
		t.Run(name, func(t *testing.T) {
			validateCheck(t, validateURL("link", s), "link", s)
		})
	}
}

func TestValidateObject(t *testing.T) {
	// {"k":"…"} is 8 bytes plus the value.
	sized := func(n int) map[string]any { return map[string]any{"k": strings.Repeat("a", n-8)} }
	accepted := map[string]map[string]any{
		"nil":                    nil,
		"empty":                  {},
		"exactly 5 KiB":          sized(5 << 10),
		"private data":           {"@private": map[string]any{"email": "a@b.c", "contactNumber": "0123"}},
		"HTML counted unescaped": {"k": strings.Repeat("<", 5<<10-8)}, // 5 KiB as sent; 30 KiB if "<" were escaped
	}
	for name, m := range accepted {
		assert.NoError(t, errOf(validateObject("metadata", m, maxMetadataLen)), name)
	}
	tooLarge := map[string]map[string]any{
		"one byte over 5 KiB": sized(5<<10 + 1),
		"10 KiB":              sized(10 << 10),
	}
	for name, m := range tooLarge {
		err := errOf(validateObject("metadata", m, maxMetadataLen))
		validateCheck(t, err, "metadata", m["k"].(string))
		assert.Contains(t, err.Error(), "5 KB", name)
	}
	unencodable := map[string]map[string]any{
		"NaN":         {"n": math.NaN()},
		"+Inf":        {"n": math.Inf(1)},
		"-Inf":        {"n": math.Inf(-1)},
		"func":        {"f": func() {}},
		"chan":        {"c": make(chan int)},
		"nested func": {"a": map[string]any{"b": []any{func() {}}}},
	}
	for name, m := range unencodable {
		err := errOf(validateObject("appInfo", m, 0))
		validateCheck(t, err, "appInfo", "")
		assert.Contains(t, err.Error(), "must be encodable", name)
	}
	assert.NoError(t, errOf(validateObject("appInfo", sized(100<<10), 0)), "max 0: no size limit")
}

// errOf drops the encoding a validator returns beside its error.
func errOf(_ json.RawMessage, err error) error { return err }

func TestValidateObject_ReturnsTheEncodingSentOnce(t *testing.T) {
	raw, err := validateObject("metadata", map[string]any{"url": "https://a.b/<c>", "n": 1}, maxMetadataLen)
	require.NoError(t, err)
	assert.Equal(t, `{"n":1,"url":"https://a.b/<c>"}`, string(raw), "no HTML escaping")
	raw, err = validateObject("metadata", nil, maxMetadataLen)
	assert.NoError(t, err)
	assert.Nil(t, raw, "nil: not sent")
}

func TestValidateTags(t *testing.T) {
	tags := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "t" + strings.Repeat("x", i)
		}
		return out
	}
	withAt3 := func(v string) []string { return []string{"a", "b", "c", v, "e"} }
	for _, ts := range [][]string{nil, {}, tags(25), {strings.Repeat("t", 100)}, {strings.Repeat("🏷", 100)}, {"Engineer", "manager"}} {
		assert.NoError(t, validateTags(ts), "%d tags", len(ts))
	}
	tests := []struct {
		name  string
		tags  []string
		field string
		value string
	}{
		{"26 tags", tags(26), "tags", ""},
		{"empty tag", withAt3(""), "tags[3]", ""},
		{"blank tag", withAt3("   "), "tags[3]", ""},
		{"101 characters", withAt3(strings.Repeat("t", 101)), "tags[3]", strings.Repeat("t", 101)},
		{"101 emoji", withAt3(strings.Repeat("🏷", 101)), "tags[3]", strings.Repeat("🏷", 101)},
		{"invalid UTF-8", withAt3("tag\xff"), "tags[3]", "tag\xff"},
		{"first empty", []string{""}, "tags[0]", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			validateCheck(t, validateTags(tt.tags), tt.field, tt.value)
		})
	}
}

func TestValidatePaging(t *testing.T) {
	for _, ok := range [][2]int{{0, 0}, {1, 0}, {1000, 0}, {100, 7}, {0, math.MaxInt}} {
		assert.NoError(t, validatePaging(ok[0], ok[1]), "perPage %d page %d", ok[0], ok[1])
	}
	tests := []struct {
		perPage, page int
		field         string
	}{
		{-1, 0, "perPage"},
		{1001, 0, "perPage"},
		{math.MaxInt, 0, "perPage"},
		{math.MinInt, 0, "perPage"},
		{0, -1, "page"},
		{10, math.MinInt, "page"},
		{-1, -1, "perPage"},
	}
	for _, tt := range tests {
		validateCheck(t, validatePaging(tt.perPage, tt.page), tt.field, "")
	}
}

// validateAcceptedTokens pass validateToken: tokens are opaque, so anything printable without separators is accepted.
var validateAcceptedTokens = []string{
	usersBarryToken,
	"abc",
	"tök-én",
	"a.b",
	"...",
	"%2e%2e",
	"a%2Fb",
	"a?b#c",
	strings.Repeat("t", maxTokenLen),
}

func TestValidateToken(t *testing.T) {
	for _, tok := range validateAcceptedTokens {
		assert.NoError(t, validateToken(tok), "%q", tok)
	}
	rejected := map[string]string{
		"empty":                "",
		"dot":                  ".",
		"dot-dot":              "..",
		"slash":                "tok/en",
		"traversal":            "../../users",
		"backslash":            `tok\en`,
		"space":                "tok en",
		"tab":                  "tok\ten",
		"newline":              "tok\nen",
		"CRLF header":          "tok\r\nX-Evil: 1",
		"NUL":                  "tok\x00en",
		"DEL":                  "tok\x7fen",
		"no-break space":       "tok\u00a0en",
		"zero-width space":     "tok\u200ben",
		"invalid UTF-8":        "tok\xffen",
		"the replacement rune": "tok\uFFFDen",
		"1025 characters":      strings.Repeat("t", maxTokenLen+1),
	}
	for name, tok := range rejected {
		t.Run(name, func(t *testing.T) {
			validateCheck(t, validateToken(tok), "token", tok)
		})
	}
}

// A token that passes is one path segment: in a path built with pathOf, Do accepts it and finds it again, so that
// logs and errors redact it.
func TestValidateToken_TokensArePathSegments(t *testing.T) {
	for _, tok := range validateAcceptedTokens {
		p := pathOf("users", "ada", "auth_tokens", tok)
		secret, err := validatePath(p)
		require.NoError(t, err, "%q → %q", tok, p)
		assert.Equal(t, tok, secret, "%q → %q", tok, p)
		assert.Equal(t, "/users/ada/auth_tokens/[redacted]", redactPath(p))
		assert.Len(t, strings.Split(p, "/"), 5, "%q is one segment of %q", tok, p)
	}
}

func TestUserFields_Validate(t *testing.T) {
	assert.NoError(t, errOf(userFields{}.validate()), "nothing set")
	assert.NoError(t, errOf(userFields{
		avatar: ifNotNil(Ptr("https://x.io/a.png")), link: ifNotNil(Ptr("http://x.io")), role: ifNotNil(Ptr("Admin_1")),
		metadata: map[string]any{}, tags: []string{},
	}.validate()))
	tests := []struct {
		name   string
		fields userFields
		field  string
	}{
		{"empty avatar", userFields{avatar: ifNotNil(Ptr(""))}, "avatar"},
		{"bad link", userFields{link: ifNotNil(Ptr("ftp://x.io/file"))}, "link"},
		{"empty role", userFields{role: ifNotNil(Ptr(""))}, "role"},
		{"role with a space", userFields{role: ifNotNil(Ptr("team lead"))}, "role"},
		{"role of 101 characters", userFields{role: ifNotNil(Ptr(strings.Repeat("r", 101)))}, "role"},
		{"NaN metadata", userFields{metadata: map[string]any{"n": math.NaN()}}, "metadata"},
		{"large metadata", userFields{metadata: map[string]any{"k": strings.Repeat("m", 6000)}}, "metadata"},
		{"blank tag", userFields{tags: []string{"a", " "}}, "tags[1]"},
		{"avatar checked before tags", userFields{avatar: ifNotNil(Ptr("nope")), tags: []string{""}}, "avatar"},
	}
	for _, tt := range tests {
		validateCheck(t, errOf(tt.fields.validate()), tt.field, "")
	}
}

func TestValidateNewUser(t *testing.T) {
	assert.NoError(t, errOf(validateNewUser("Ada", "Ada Lovelace", userFields{})))
	validateCheck(t, errOf(validateNewUser("", "", userFields{avatar: ifNotNil(Ptr("x"))})), "uid", "")
	validateCheck(t, errOf(validateNewUser("ada", "", userFields{avatar: ifNotNil(Ptr("x"))})), "name", "")
	validateCheck(t, errOf(validateNewUser("ada", "Ada", userFields{avatar: ifNotNil(Ptr("not a url"))})), "avatar", "not a url")
}

func TestOptional(t *testing.T) {
	assert.Equal(t, optional{}, ifSet(""), `"" is not sent on a create`)
	assert.Equal(t, optional{"x", true}, ifSet("x"))
	assert.Equal(t, optional{}, ifNotNil(nil), "nil is not sent on an update")
	assert.Equal(t, optional{"", true}, ifNotNil(Ptr("")), `"" is sent on an update`)
}

func TestValidateMethod(t *testing.T) {
	for _, m := range []string{"GET", "POST", "PUT", "DELETE", "PATCH"} {
		assert.NoError(t, validateMethod(m), m)
	}
	for _, m := range []string{"", "get", "HEAD", "OPTIONS", "CONNECT", "TRACE", "GET ", "GET\r\nX: 1"} {
		validateCheck(t, validateMethod(m), "method", m)
	}
}

func TestValidatePath(t *testing.T) {
	accepted := map[string]string{ // path → the auth token it holds
		"/":                                  "",
		"/users":                             "",
		"/users/":                            "",
		"/users/ada/conversation":            "",
		"/users/a%20b":                       "",
		"/users/a.b/...":                     "",
		"/users/%2e%2e%2e":                   "",
		"/users/ada/auth_tokens":             "",
		"/users/ada/auth_tokens/":            "",
		"/users/ada/auth_tokens/tok":         "tok",
		"/users/ada/auth_tokens/t%C3%B6k":    "tök",
		"/users/ada/auth_tokens/tok/extra":   "tok",
		"/groups/g/auth_tokens/not-a-token":  "",
		"/users/ada/friends/auth_tokens":     "",
		"/users/" + pathOf("a b")[1:] + "/x": "",
		pathOf("users", "ada", "auth_tokens", usersBarryToken): usersBarryToken,
	}
	for p, token := range accepted {
		got, err := validatePath(p)
		require.NoError(t, err, p)
		assert.Equal(t, token, got, p)
	}
	rejected := map[string]string{
		"empty":                  "",
		"no leading slash":       "users/ada",
		"absolute URL":           "https://evil.example/users",
		"dot-dot":                "/..",
		"dot-dot segment":        "/users/../admin",
		"trailing dot-dot":       "/users/ada/..",
		"dot segment":            "/users/./ada",
		"escaped dot-dot":        "/users/%2e%2e/admin",
		"escaped dot-dot, upper": "/users/%2E%2E",
		"half-escaped dot-dot":   "/users/.%2e",
		"escaped dot":            "/users/%2e",
		"double slash at start":  "//evil.example/x",
		"double slash inside":    "/users//ada",
		"query":                  "/users?perPage=5",
		"query in a segment":     "/users/ada?x",
		"fragment":               "/users#top",
		"space":                  "/users/a b",
		"tab":                    "/users/a\tb",
		"newline":                "/users/a\nb",
		"NUL":                    "/users/a\x00b",
		"not ASCII":              "/users/jürgen",
		"bad escape":             "/users/%zz",
		"lone percent":           "/users/%",
		"escape cut":             "/users/%2",
	}
	for name, p := range rejected {
		t.Run(name, func(t *testing.T) {
			token, err := validatePath(p)
			assert.Empty(t, token)
			validateCheck(t, err, "path", p)
		})
	}
}

// Do refuses every path validatePath rejects, before the network, and sends an accepted one exactly as given.
func TestValidatePath_DoSendsNothingForARejectedPath(t *testing.T) {
	for _, p := range []string{"users", "/users/../admin", "/users/%2e%2e", "//x", "/users?x=1", "/users#x", "/a b"} {
		m := newMock(t, WithMaxRetries(0))
		err := m.Do(context.Background(), "GET", p, nil, nil, nil)
		validateCheck(t, err, "path", p)
		assert.Empty(t, m.requests(), p)
	}
	m := newMock(t, WithMaxRetries(0))
	validateCheck(t, m.Do(context.Background(), "HEAD", "/users", nil, nil, nil), "method", "")
	assert.Empty(t, m.requests())

	m = newMock(t)
	m.on("GET", "/users/a%20b/conversation").Reply(200).BodyString(`{"data":{}}`)
	require.NoError(t, m.Do(context.Background(), "GET", "/users/a%20b/conversation", nil, nil, nil))
	assert.Equal(t, "/users/a%20b/conversation", m.last(t).Path)
}

func TestTokenSegment(t *testing.T) {
	tests := []struct {
		segs []string
		want int
	}{
		{[]string{"users", "ada", "auth_tokens", "tok"}, 3},
		{[]string{"users", "ada", "auth_tokens", "tok", "extra"}, 3},
		{[]string{"users", "ada", "auth_tokens"}, -1},
		{[]string{"users", "ada", "auth_tokens", ""}, -1},
		{[]string{"users", "ada", "friends", "x"}, -1},
		{[]string{"groups", "g", "auth_tokens", "x"}, -1},
		{[]string{"users"}, -1},
		{nil, -1},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tokenSegment(tt.segs), "%q", tt.segs)
	}
}

func TestRedactPath(t *testing.T) {
	tests := map[string]string{
		"/users/ada/auth_tokens/" + usersBarryToken: "/users/ada/auth_tokens/[redacted]",
		"/users/ada/auth_tokens/t%C3%B6k":           "/users/ada/auth_tokens/[redacted]",
		"/users/ada/auth_tokens/tok/extra":          "/users/ada/auth_tokens/[redacted]/extra",
		"/users/ada/auth_tokens":                    "/users/ada/auth_tokens",
		"/users/ada/auth_tokens/":                   "/users/ada/auth_tokens/",
		"/users/ada":                                "/users/ada",
		"/users":                                    "/users",
		"/groups/g/auth_tokens/tok":                 "/groups/g/auth_tokens/tok",
		"/users/auth_tokens/auth_tokens/tok":        "/users/auth_tokens/auth_tokens/[redacted]",
	}
	for in, want := range tests {
		assert.Equal(t, want, redactPath(in), in)
	}
}

func TestPathOf(t *testing.T) {
	assert.Equal(t, "/users/ada", pathOf("users", "ada"))
	assert.Equal(t, "/users/a%20b", pathOf("users", "a b"))
	assert.Equal(t, "/users/ada/auth_tokens/x%2Fy", pathOf("users", "ada", "auth_tokens", "x/y"))
	assert.Equal(t, "/users/%252e%252e", pathOf("users", "%2e%2e"), "a percent sign is escaped, never decoded")
	assert.Equal(t, "/users/t%C3%B6k", pathOf("users", "tök"))
	assert.Equal(t, "", pathOf())
}

func TestEncodeJSON(t *testing.T) {
	b, err := encodeJSON(map[string]any{"statusMessage": "<b>&</b>"})
	require.NoError(t, err)
	assert.Equal(t, `{"statusMessage":"<b>&</b>"}`, string(b), "no HTML escaping, no trailing newline")

	_, err = encodeJSON(map[string]any{"n": math.NaN()})
	assert.Error(t, err)
}

// Every validator's error, given a value holding a marker, never shows the marker.
func TestValidationError_NeverShowsTheValue(t *testing.T) {
	const secret = "S3CR3T-value"
	errs := map[string]error{
		"uid":         validateUID("uid", secret+" x"),
		"uid length":  validateUID("uid", strings.Repeat(secret, 10)),
		"uids":        func() error { _, err := normalizeUIDs("uids", []string{"ok", secret + "/"}); return err }(),
		"text":        validateText("name", strings.Repeat(secret, 10), maxNameLen),
		"text UTF-8":  validateText("name", secret+"\xff", maxNameLen),
		"length":      validateLength("description", strings.Repeat(secret, 30), maxDescriptionLen),
		"URL":         validateURL("avatar", "ftp://"+secret),
		"URL length":  validateURL("avatar", "https://x.io/"+strings.Repeat(secret, 300)),
		"object":      errOf(validateObject("metadata", map[string]any{secret: math.NaN()}, maxMetadataLen)),
		"object size": errOf(validateObject("metadata", map[string]any{"k": strings.Repeat(secret, 500)}, maxMetadataLen)),
		"tags":        validateTags([]string{strings.Repeat(secret, 10)}),
		"token":       validateToken(secret + "/x"),
		"token space": validateToken(secret + " x"),
		"method":      validateMethod(secret),
		"path":        func() error { _, err := validatePath("/" + secret + "/../x"); return err }(),
		"path query":  func() error { _, err := validatePath("/users?" + secret); return err }(),
		"new user":    errOf(validateNewUser("ok", "Name", userFields{link: ifNotNil(Ptr(secret))})),
		"role":        errOf(userFields{role: ifNotNil(Ptr(secret + "!"))}.validate()),
	}
	for name, err := range errs {
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.NotContains(t, err.Error(), "S3CR3T", name)
		assert.NotContains(t, ve.Field, "S3CR3T", name)
	}
}

// validateUIDOracle is the documented uid rule: 1–100 of a-z 0-9 - _, upper case accepted (the server lowercases).
var validateUIDOracle = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

// FuzzValidateUID: a uid is accepted exactly when it follows the documented rule, and an accepted uid is always
// a safe path segment: url.PathEscape leaves it unchanged, it is no dot segment, and a path built from it passes
// Do's checks. A rejected uid's error never shows it.
func FuzzValidateUID(f *testing.F) {
	for _, uid := range validateAcceptedUIDs {
		f.Add(uid)
	}
	for _, uid := range validateRejectedUIDs {
		f.Add(uid)
	}
	f.Add("ab\u200bc")
	f.Add("a\u0301")
	f.Add("%2e%2e")
	f.Fuzz(func(t *testing.T, uid string) {
		err := validateUID("uid", uid)
		if want := validateUIDOracle.MatchString(uid); (err == nil) != want {
			t.Fatalf("validateUID(%q) = %v, documented rule says valid=%v", uid, err, want)
		}
		if err != nil {
			switch err.Error() {
			case "cometchat: invalid uid: is required",
				"cometchat: invalid uid: must be at most 100 characters",
				"cometchat: invalid uid: must contain only letters, digits, '_' and '-'":
			default:
				t.Fatalf("validateUID(%q): unexpected error text %q", uid, err)
			}
			return
		}
		if url.PathEscape(uid) != uid {
			t.Fatalf("%q passes but url.PathEscape changes it to %q", uid, url.PathEscape(uid))
		}
		if uid == "." || uid == ".." || strings.ContainsAny(uid, "/\\?#%") {
			t.Fatalf("%q passes but is not a plain path segment", uid)
		}
		if validateUID("uid", strings.ToLower(uid)) != nil {
			t.Fatalf("%q passes but its lowercased form does not", uid)
		}
		token, err := validatePath(pathOf("users", uid, "auth_tokens"))
		if err != nil || token != "" {
			t.Fatalf("a path built from %q: token %q, error %v", uid, token, err)
		}
	})
}

// FuzzValidatePath: a path that passes never escapes the API: it starts with "/", it has no "." or ".." segment once
// each segment is unescaped, no empty segment but a trailing one, no query or fragment, and joined to the base URL
// it stays on the API's host below /v3. A path that fails is a *ValidationError for "path" that does not show it.
func FuzzValidatePath(f *testing.F) {
	for _, s := range []string{
		"/", "/users", "/users/", "/users/ada", "/users/ada/conversation", "/users/a%20b", "/users/ada/auth_tokens/tok",
		"/users/ada/auth_tokens/t%C3%B6k", "/users/..", "/users/%2e%2e", "/users/%2E.", "//evil.example", "/users//x",
		"/users?x=1", "/users#x", "/a b", "users", "https://evil.example/", "/users/%zz", "/users/a%2Fb", "/./x", "/x/.",
		"/users/..%2f..%2fv2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		token, err := validatePath(p)
		if err != nil {
			if token != "" {
				t.Fatalf("validatePath(%q) returned token %q beside %v", p, token, err)
			}
			if ve, ok := err.(*ValidationError); !ok || ve.Field != "path" {
				t.Fatalf("validatePath(%q): want a *ValidationError for path, got %T %v", p, err, err)
			}
			switch ve := err.(*ValidationError); ve.Reason { // fixed texts: the path is never shown
			case `must start with "/"`,
				"must be an escaped path without query or fragment (escape segments with url.PathEscape)",
				`must stay inside the API: no empty, "." or ".." segments, no escaped "/" or "\"`:
			default:
				t.Fatalf("validatePath(%q): unexpected reason %q", p, ve.Reason)
			}
			return
		}
		if !strings.HasPrefix(p, "/") {
			t.Fatalf("%q passes without a leading slash", p)
		}
		if strings.ContainsAny(p, "?# \t\r\n") {
			t.Fatalf("%q passes with a query, fragment or space", p)
		}
		segs := strings.Split(p[1:], "/")
		unescaped := make([]string, len(segs))
		for i, seg := range segs {
			raw, err := url.PathUnescape(seg)
			if err != nil {
				t.Fatalf("%q passes with a segment that does not unescape: %q", p, seg)
			}
			if raw == "." || raw == ".." || strings.ContainsAny(raw, `/\`) {
				t.Fatalf("%q passes with a dot segment, or one hidden behind an escaped slash: %q", p, seg)
			}
			if raw == "" && i < len(segs)-1 {
				t.Fatalf("%q passes with an empty segment", p)
			}
			unescaped[i] = raw
		}
		u, err := url.Parse(testBase + p)
		if err != nil {
			t.Fatalf("%q passes but the URL does not parse: %v", p, err)
		}
		if u.Host != "app.api-us.cometchat.io" || u.Scheme != "https" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("%q passes but leaves the API: %v", p, u.Redacted())
		}
		if !strings.HasPrefix(u.Path, "/v3/") {
			t.Fatalf("%q passes but its URL path is %q", p, u.Path)
		}
		if i := tokenSegment(segs); i >= 0 {
			if token != unescaped[i] {
				t.Fatalf("%q: token %q, want %q", p, token, unescaped[i])
			}
			if red := redactPath(p); strings.Split(red[1:], "/")[i] != "[redacted]" {
				t.Fatalf("redactPath(%q) = %q keeps the token", p, red)
			}
		} else if token != "" {
			t.Fatalf("%q: token %q from a path without a token segment", p, token)
		}
	})
}
