package cometchat

import (
	"context"
	"math"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every test here proves that nothing was sent: the client's transport
// fails the test when called, and its counter is asserted to be 0.

// utValidUIDs are accepted everywhere a uid goes.
var utValidUIDs = []string{
	"a", "A", "0", "-", "_", "user_000", "cometchat-uid-1", "CometChat-UID-1", "UPPER_CASE-42",
	strings.Repeat("a", 100), strings.Repeat("Z", 99) + "_",
}

// utInvalidUIDs are rejected everywhere a uid goes, by description.
var utInvalidUIDs = map[string]string{
	"empty":            "",
	"101 chars":        strings.Repeat("a", 101),
	"dot dot slash":    "../x",
	"dot dot":          "..",
	"dot":              ".",
	"slash":            "a/b",
	"backslash":        `a\b`,
	"space":            "a b",
	"leading space":    " a",
	"tab":              "a\tb",
	"newline":          "a\nb",
	"NUL":              "a\x00b",
	"unicode letter":   "jürgen",
	"emoji":            "user😀",
	"dot inside":       "a.b",
	"percent":          "a%2Fb",
	"question mark":    "a?b",
	"hash":             "a#b",
	"at":               "a@b",
	"plus":             "a+b",
	"colon":            "a:b",
	"invalid UTF-8":    "a\xffb",
	"fullwidth letter": "ａ",
}

// utAssertNothingSent asserts the offline client sent no request.
func utAssertNothingSent(t testing.TB, sent *atomic.Int64) {
	t.Helper()
	assert.Zero(t, sent.Load(), "no request may be sent for invalid input")
}

// utUIDCalls are the calls taking a uid, each returning its error and
// whether its result (if any) is nil.
func utUIDCalls(c *Client, uid string) map[string]func() (error, bool) {
	ctx := context.Background()
	return map[string]func() (error, bool){
		"Users.Create": func() (error, bool) {
			u, err := c.Users.Create(ctx, &CreateUserParams{UID: uid, Name: "N"})
			return err, u == nil
		},
		"Users.Get": func() (error, bool) { u, err := c.Users.Get(ctx, uid); return err, u == nil },
		"Users.Update": func() (error, bool) {
			u, err := c.Users.Update(ctx, uid, &UpdateUserParams{Name: Ptr("N")})
			return err, u == nil
		},
		"Users.Delete":           func() (error, bool) { return c.Users.Delete(ctx, uid, nil), true },
		"Users.Delete permanent": func() (error, bool) { return c.Users.Delete(ctx, uid, &DeleteUserParams{Permanent: true}), true },
		"AuthTokens.Create": func() (error, bool) {
			tok, err := c.AuthTokens.Create(ctx, uid, nil)
			return err, tok == nil
		},
		"AuthTokens.List": func() (error, bool) {
			p, err := c.AuthTokens.List(ctx, uid, nil)
			return err, p == nil
		},
		"AuthTokens.All": func() (error, bool) { return utFirstError(c.AuthTokens.All(ctx, uid, nil)), true },
		"AuthTokens.Get": func() (error, bool) {
			tok, err := c.AuthTokens.Get(ctx, uid, "tok")
			return err, tok == nil
		},
		"AuthTokens.Update": func() (error, bool) {
			tok, err := c.AuthTokens.Update(ctx, uid, "tok", nil)
			return err, tok == nil
		},
		"AuthTokens.Delete": func() (error, bool) { return c.AuthTokens.Delete(ctx, uid, "tok"), true },
		"AuthTokens.Flush":  func() (error, bool) { return c.AuthTokens.Flush(ctx, uid), true },
	}
}

// utFirstError returns the error of seq's first pair, stopping there.
func utFirstError[T any](seq func(func(T, error) bool)) error {
	var first error
	seq(func(_ T, err error) bool {
		first = err
		return false
	})
	return first
}

func TestValidate_InvalidUIDRejectedEverywhere(t *testing.T) {
	t.Parallel()
	for desc, uid := range utInvalidUIDs {
		t.Run(desc, func(t *testing.T) {
			t.Parallel()
			c, sent := utNewOfflineClient(t)
			for name, call := range utUIDCalls(c, uid) {
				err, nilResult := call()
				utAssertValidation(t, err, "uid")
				assert.True(t, nilResult, "%s returned a result beside its error", name)
			}
			u, err := c.Users.Get(context.Background(), "ok", OnBehalfOf(uid))
			assert.Nil(t, u)
			utAssertValidation(t, err, "onBehalfOf")
			page, err := c.Users.List(context.Background(), nil, OnBehalfOf(uid))
			assert.Nil(t, page)
			utAssertValidation(t, err, "onBehalfOf")
			utAssertValidation(t, utFirstError(c.Users.All(context.Background(), nil, OnBehalfOf(uid))), "onBehalfOf")

			_, err = c.Users.Deactivate(context.Background(), "ok", uid)
			utAssertValidation(t, err, "uids[1]")
			_, err = c.Users.Reactivate(context.Background(), uid)
			utAssertValidation(t, err, "uids[0]")
			utAssertNothingSent(t, sent)
		})
	}
}

func TestValidate_UIDErrorNeverEchoesTheValue(t *testing.T) {
	t.Parallel()
	c, sent := utNewOfflineClient(t)
	_, err := c.Users.Get(context.Background(), "../private/sensitive-value")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "sensitive-value")
	utAssertNothingSent(t, sent)
}

func TestValidate_ValidUIDsAreSentAsGiven(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var (
		mu  sync.Mutex
		got []string
	)
	mux.HandleFunc("/users/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.EscapedPath())
		mu.Unlock()
		replyJSON(w, http.StatusOK, `{"data":{"uid":"x","name":"X"}}`)
	})
	var want []string
	for _, uid := range utValidUIDs {
		_, err := client.Users.Get(context.Background(), uid)
		require.NoError(t, err, uid)
		want = append(want, "/users/"+uid)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, want, got, "valid uids are sent unchanged (the server lowercases)")
}

func TestValidate_ValidUIDsPassEveryCall(t *testing.T) {
	t.Parallel()
	var sent atomic.Int64
	hc := &http.Client{Transport: utTransport(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		body := `{"data":{"uid":"x","authToken":"t"}}`
		if r.Method == http.MethodGet && (strings.HasSuffix(r.URL.Path, "/auth_tokens") || strings.HasSuffix(r.URL.Path, "/users")) {
			body = `{"data":[]}`
		}
		return utResponse(r, http.StatusOK, nil, body), nil
	})}
	c, err := NewClient(setupAppID, RegionUS, setupAPIKey, WithHTTPClient(hc), WithMaxRetries(0))
	require.NoError(t, err)
	for _, uid := range utValidUIDs {
		for name, call := range utUIDCalls(c, uid) {
			err, _ := call()
			assert.NoError(t, err, "%s(%q)", name, uid)
		}
		_, err := c.Users.Get(context.Background(), "ok", OnBehalfOf(uid))
		assert.NoError(t, err, "OnBehalfOf(%q)", uid)
		_, err = c.Users.Deactivate(context.Background(), uid)
		assert.NoError(t, err)
	}
	assert.Positive(t, sent.Load())
}

func TestValidate_NilParams(t *testing.T) {
	t.Parallel()
	c, sent := utNewOfflineClient(t)
	u, err := c.Users.Create(context.Background(), nil)
	assert.Nil(t, u)
	utAssertValidation(t, err, "params")
	u, err = c.Users.Update(context.Background(), "alice", nil)
	assert.Nil(t, u)
	utAssertValidation(t, err, "params")
	utAssertNothingSent(t, sent)
}

func TestValidate_EmptyUIDList(t *testing.T) {
	t.Parallel()
	c, sent := utNewOfflineClient(t)
	d, err := c.Users.Deactivate(context.Background())
	assert.Nil(t, d)
	utAssertValidation(t, err, "uids")
	r, err := c.Users.Reactivate(context.Background())
	assert.Nil(t, r)
	utAssertValidation(t, err, "uids")
	d, err = c.Users.Deactivate(context.Background(), []string{}...)
	assert.Nil(t, d)
	utAssertValidation(t, err, "uids")
	utAssertNothingSent(t, sent)
}

func TestValidate_Name(t *testing.T) {
	t.Parallel()
	emoji100 := strings.Repeat("😀", 100) // 400 bytes, 100 characters
	accepted := []string{"A", "Barry Allen", emoji100, strings.Repeat("é", 100), strings.Repeat("n", 100), "  padded  "}
	rejected := map[string]string{
		"empty":         "",
		"blank":         "   ",
		"tab and NL":    "\t\n",
		"101 emoji":     strings.Repeat("😀", 101),
		"101 ASCII":     strings.Repeat("n", 101),
		"invalid UTF-8": "Bad\xffName",
	}
	c, sent := utNewOfflineClient(t)
	ctx := context.Background()
	for desc, name := range rejected {
		u, err := c.Users.Create(ctx, &CreateUserParams{UID: "alice", Name: name})
		assert.Nil(t, u)
		utAssertValidation(t, err, "name")
		u, err = c.Users.Update(ctx, "alice", &UpdateUserParams{Name: Ptr(name)})
		assert.Nil(t, u, desc)
		utAssertValidation(t, err, "name")
	}
	utAssertNothingSent(t, sent)

	ok, okSent := utNewCannedClient(t, http.StatusOK, nil, `{"data":{"uid":"alice","name":"x"}}`)
	for _, name := range accepted {
		_, err := ok.Users.Create(ctx, &CreateUserParams{UID: "alice", Name: name})
		assert.NoError(t, err, "name %q (%d runes)", name, len([]rune(name)))
		_, err = ok.Users.Update(ctx, "alice", &UpdateUserParams{Name: Ptr(name)})
		assert.NoError(t, err, "name %q", name)
	}
	assert.Equal(t, int64(2*len(accepted)), okSent.Load())
}

func TestValidate_AvatarAndLink(t *testing.T) {
	t.Parallel()
	long := "https://x.io/" + strings.Repeat("a", 3000-len("https://x.io/"))
	require.Len(t, long, 3000)
	accepted := []string{
		"https://assets.cometchat.io/sampleapp/v2/users/cometchat-uid-2.webp",
		"http://x.io",
		"https://x",
		"https://x.io:8443/a.png?size=64#top",
		long,
	}
	rejected := map[string]string{
		"spec example":  "Invalid:https://x/a.png",
		"no scheme":     "x.io/a.png",
		"relative":      "/a.png",
		"ftp":           "ftp://x.io/a.png",
		"javascript":    "javascript:alert(1)",
		"data":          "data:image/png;base64,AAAA",
		"no host":       "https:///a.png",
		"scheme only":   "https://",
		"space":         "https://x.io/a b.png",
		"3001 chars":    long + "a",
		"blank":         "   ",
		"newline":       "https://x.io/a.png\n",
		"bad escape":    "https://x.io/%zz",
		"empty pointer": "",
	}
	c, sent := utNewOfflineClient(t)
	ctx := context.Background()
	for desc, v := range rejected {
		if v != "" { // Create treats "" as not set
			_, err := c.Users.Create(ctx, &CreateUserParams{UID: "a", Name: "A", Avatar: v})
			utAssertValidation(t, err, "avatar")
			_, err = c.Users.Create(ctx, &CreateUserParams{UID: "a", Name: "A", Link: v})
			utAssertValidation(t, err, "link")
		}
		_, err := c.Users.Update(ctx, "a", &UpdateUserParams{Avatar: Ptr(v)})
		utAssertValidation(t, err, "avatar")
		_, err = c.Users.Update(ctx, "a", &UpdateUserParams{Link: Ptr(v)})
		if !assert.Error(t, err, desc) {
			continue
		}
		utAssertValidation(t, err, "link")
	}
	utAssertNothingSent(t, sent)

	ok, _ := utNewCannedClient(t, http.StatusOK, nil, `{"data":{"uid":"a","name":"A"}}`)
	for _, v := range accepted {
		_, err := ok.Users.Create(ctx, &CreateUserParams{UID: "a", Name: "A", Avatar: v, Link: v})
		assert.NoError(t, err, v)
		_, err = ok.Users.Update(ctx, "a", &UpdateUserParams{Avatar: Ptr(v), Link: Ptr(v)})
		assert.NoError(t, err, v)
	}
}

func TestValidate_Metadata(t *testing.T) {
	t.Parallel()
	// {"k":"…"} is 8 bytes plus the value.
	sized := func(n int) map[string]any { return map[string]any{"k": strings.Repeat("a", n-8)} }
	rejected := map[string]map[string]any{
		"over 5 KB":   sized(5121),
		"10 KB":       sized(10 << 10),
		"func value":  {"f": func() {}},
		"chan value":  {"c": make(chan int)},
		"NaN":         {"n": math.NaN()},
		"+Inf":        {"n": math.Inf(1)},
		"nested func": {"a": map[string]any{"b": []any{func() {}}}},
	}
	c, sent := utNewOfflineClient(t)
	ctx := context.Background()
	for desc, m := range rejected {
		_, err := c.Users.Create(ctx, &CreateUserParams{UID: "a", Name: "A", Metadata: m})
		utAssertValidation(t, err, "metadata")
		_, err = c.Users.Update(ctx, "a", &UpdateUserParams{Metadata: m})
		if assert.Error(t, err, desc) {
			utAssertValidation(t, err, "metadata")
		}
	}
	utAssertNothingSent(t, sent)

	ok, _ := utNewCannedClient(t, http.StatusOK, nil, `{"data":{"uid":"a","name":"A"}}`)
	for _, m := range []map[string]any{
		sized(5000),
		{"@private": map[string]any{"email": "a@b.c", "contactNumber": "0123"}},
		{"html": "<b>&</b>"},
		{},
	} {
		_, err := ok.Users.Create(ctx, &CreateUserParams{UID: "a", Name: "A", Metadata: m})
		assert.NoError(t, err)
		_, err = ok.Users.Update(ctx, "a", &UpdateUserParams{Metadata: m})
		assert.NoError(t, err)
	}
}

func TestValidate_Tags(t *testing.T) {
	t.Parallel()
	tags := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "t" + strings.Repeat("x", i)
		}
		return out
	}
	withAt3 := func(v string) []string { return []string{"a", "b", "c", v, "e"} }
	rejected := []struct {
		name  string
		tags  []string
		field string
	}{
		{"26 tags", tags(26), "tags"},
		{"empty tag", withAt3(""), "tags[3]"},
		{"blank tag", withAt3("   "), "tags[3]"},
		{"101 chars", withAt3(strings.Repeat("t", 101)), "tags[3]"},
		{"101 emoji", withAt3(strings.Repeat("🏷", 101)), "tags[3]"},
		{"invalid UTF-8", withAt3("\xff"), "tags[3]"},
		{"first empty", []string{""}, "tags[0]"},
	}
	c, sent := utNewOfflineClient(t)
	ctx := context.Background()
	for _, tt := range rejected {
		_, err := c.Users.Create(ctx, &CreateUserParams{UID: "a", Name: "A", Tags: tt.tags})
		utAssertValidation(t, err, tt.field)
		_, err = c.Users.Update(ctx, "a", &UpdateUserParams{Tags: tt.tags})
		if assert.Error(t, err, tt.name) {
			utAssertValidation(t, err, tt.field)
		}
	}
	utAssertNothingSent(t, sent)

	ok, _ := utNewCannedClient(t, http.StatusOK, nil, `{"data":{"uid":"a","name":"A"}}`)
	for _, tt := range [][]string{tags(25), {strings.Repeat("t", 100)}, {strings.Repeat("🏷", 100)}, {}} {
		_, err := ok.Users.Create(ctx, &CreateUserParams{UID: "a", Name: "A", Tags: tt})
		assert.NoError(t, err)
		_, err = ok.Users.Update(ctx, "a", &UpdateUserParams{Tags: tt})
		assert.NoError(t, err)
	}
}

func TestValidate_Role(t *testing.T) {
	t.Parallel()
	c, sent := utNewOfflineClient(t)
	ctx := context.Background()
	for _, role := range []string{strings.Repeat("r", 101), "   "} {
		_, err := c.Users.Create(ctx, &CreateUserParams{UID: "a", Name: "A", Role: role})
		utAssertValidation(t, err, "role")
		_, err = c.Users.Update(ctx, "a", &UpdateUserParams{Role: Ptr(role)})
		utAssertValidation(t, err, "role")
	}
	utAssertNothingSent(t, sent)
}

func TestValidate_Paging(t *testing.T) {
	t.Parallel()
	rejected := []struct {
		perPage, page int
		field         string
	}{
		{-1, 0, "PerPage"},
		{1001, 0, "PerPage"},
		{math.MaxInt, 0, "PerPage"},
		{0, -1, "Page"},
		{10, math.MinInt, "Page"},
	}
	c, sent := utNewOfflineClient(t)
	ctx := context.Background()
	for _, tt := range rejected {
		page, err := c.Users.List(ctx, &ListUsersParams{PerPage: tt.perPage, Page: tt.page})
		assert.Nil(t, page)
		utAssertValidation(t, err, tt.field)
		utAssertValidation(t, utFirstError(c.Users.All(ctx, &ListUsersParams{PerPage: tt.perPage, Page: tt.page})), tt.field)
		tp, err := c.AuthTokens.List(ctx, "alice", &ListAuthTokensParams{PerPage: tt.perPage, Page: tt.page})
		assert.Nil(t, tp)
		utAssertValidation(t, err, tt.field)
		utAssertValidation(t, utFirstError(c.AuthTokens.All(ctx, "alice", &ListAuthTokensParams{PerPage: tt.perPage, Page: tt.page})), tt.field)
	}
	utAssertNothingSent(t, sent)

	ok, _ := utNewCannedClient(t, http.StatusOK, nil, `{"data":[]}`)
	for _, pp := range []int{0, 1, 1000} {
		_, err := ok.Users.List(ctx, &ListUsersParams{PerPage: pp, Page: 0})
		assert.NoError(t, err, "PerPage %d", pp)
		_, err = ok.AuthTokens.List(ctx, "alice", &ListAuthTokensParams{PerPage: pp, Page: 7})
		assert.NoError(t, err, "PerPage %d", pp)
	}
}

func TestValidate_TokenPathSafety(t *testing.T) {
	t.Parallel()
	rejected := map[string]string{
		"empty":         "",
		"dot":           ".",
		"dot dot":       "..",
		"slash":         "a/b",
		"traversal":     "../../users",
		"backslash":     `a\b`,
		"space":         "a b",
		"tab":           "a\tb",
		"newline":       "a\nb",
		"CRLF":          "tok\r\nX-Evil: 1",
		"NUL":           "a\x00b",
		"DEL":           "a\x7fb",
		"invalid UTF-8": "a\xffb",
		"too long":      strings.Repeat("t", 4096),
	}
	c, sent := utNewOfflineClient(t)
	ctx := context.Background()
	for desc, tok := range rejected {
		got, err := c.AuthTokens.Get(ctx, "alice", tok)
		assert.Nil(t, got, desc)
		utAssertValidation(t, err, "token")
		got, err = c.AuthTokens.Update(ctx, "alice", tok, &UpdateAuthTokenParams{Platform: Ptr("ios")})
		assert.Nil(t, got, desc)
		utAssertValidation(t, err, "token")
		utAssertValidation(t, c.AuthTokens.Delete(ctx, "alice", tok), "token")
	}
	utAssertNothingSent(t, sent)
}

func TestValidate_UpdateUnset(t *testing.T) {
	t.Parallel()
	rejected := []struct {
		name   string
		params *UpdateUserParams
		field  string
	}{
		{"avatar set and unset", &UpdateUserParams{Avatar: Ptr("https://x.io/a.png"), Unset: []UserField{UserFieldAvatar}}, "avatar"},
		{"link set and unset", &UpdateUserParams{Link: Ptr("https://x.io"), Unset: []UserField{UserFieldLink}}, "link"},
		{"metadata set and unset", &UpdateUserParams{Metadata: map[string]any{}, Unset: []UserField{UserFieldMetadata}}, "metadata"},
		{"unknown field", &UpdateUserParams{Unset: []UserField{"name"}}, "unset"},
		{"empty field", &UpdateUserParams{Unset: []UserField{""}}, "unset"},
		{"upper case field", &UpdateUserParams{Unset: []UserField{"Avatar"}}, "unset"},
		{"tags cannot be unset", &UpdateUserParams{Unset: []UserField{UserFieldAvatar, "tags"}}, "unset"},
	}
	c, sent := utNewOfflineClient(t)
	for _, tt := range rejected {
		u, err := c.Users.Update(context.Background(), "alice", tt.params)
		assert.Nil(t, u, tt.name)
		utAssertValidation(t, err, tt.field)
	}
	utAssertNothingSent(t, sent)
}

// TestValidate_URLWithoutHostName: "http://:80/a.png" has a port but no
// host name, so it is not a URL with a host.
func TestValidate_URLWithoutHostName(t *testing.T) {
	t.Parallel()
	c, sent := utNewOfflineClient(t)
	for _, v := range []string{"http://:80/a.png", "https://:443"} {
		_, err := c.Users.Create(context.Background(), &CreateUserParams{UID: "a", Name: "A", Avatar: v})
		utAssertValidation(t, err, "avatar")
		_, err = c.Users.Update(context.Background(), "a", &UpdateUserParams{Link: Ptr(v)})
		utAssertValidation(t, err, "link")
	}
	utAssertNothingSent(t, sent)
}
