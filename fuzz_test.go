package cometchat

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

// utFuzzClient returns a client answering every request in memory with
// status and body, without retries, counting requests and recording the
// last request's escaped path.
func utFuzzClient(t *testing.T, status int, body []byte) (*Client, *atomic.Int64, *atomic.Value) {
	t.Helper()
	var n atomic.Int64
	var lastPath atomic.Value
	hc := &http.Client{Transport: utTransport(func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		lastPath.Store(r.URL.EscapedPath())
		return utResponse(r, status, http.Header{"Content-Type": {"application/json"}}, string(body)), nil
	})}
	c, err := NewClient(setupAppID, RegionUS, setupAPIKey, WithHTTPClient(hc), WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return c, &n, &lastPath
}

// utFuzzSuccessSeeds are real 2xx bodies of the spec, and near misses.
var utFuzzSuccessSeeds = []string{
	specBodyCreateUser,
	utEscapeSlashes(specBodyCreateUser),
	specBodyListUsers,
	utEscapeSlashes(specBodyListUsers),
	specBodyDeleteSoft,
	specBodyDeletePermanent,
	specBodyReactivateNotFound,
	specBodyFlushTokens,
	`{"data":{"uid":"user_000","name":"test","link":"https:\/\/foo.bar","metadata":"{\"email\":\"user@email.com\"}","status":"offline","role":"default","createdAt":1694667000,"updatedAt":1694667984}}`,
	`{"data":{"uid":"a","createdAt":"1694667984","updatedAt":1.5e9,"lastActiveAt":null,"metadata":[1]}}`,
	`{"data":{"uid":"a","createdAt":1e400,"tags":"x","blockedByMe":"yes"}}`,
	`{"data":[],"meta":{"pagination":{"total":"7","per_page":-1,"current_page":null},"cursor":{"updatedAt":"x"}}}`,
	`{"data":{"uid":"cometchat-uid-6","authToken":"` + specAuthToken + `","createdAt":1638354015}}`,
	`{"data":{"uid":"a"`,
	`{"data":null}`,
	`{}`,
	`null`,
	``,
	`<html>OK</html>`,
	`{"data":{"uid":"\ud800"}}`,
	"{\"data\":{\"uid\":\"\xff\"}}",
}

// FuzzDecodeUserResponse feeds arbitrary bytes as a 200 answer to Users.Get,
// Users.List and AuthTokens.Get: never a panic, and either a result or an
// error matching ErrInvalidResponse, never both, never neither.
func FuzzDecodeUserResponse(f *testing.F) {
	for _, s := range utFuzzSuccessSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, _, _ := utFuzzClient(t, http.StatusOK, body)
		ctx := context.Background()

		u, err := c.Users.Get(ctx, "user_000")
		switch {
		case err == nil && u == nil:
			t.Fatalf("Users.Get: nil user without an error for %q", body)
		case err != nil && u != nil:
			t.Fatalf("Users.Get: user %+v beside error %v", u, err)
		case err != nil && !errors.Is(err, ErrInvalidResponse):
			t.Fatalf("Users.Get: error %v does not match ErrInvalidResponse", err)
		}

		page, err := c.Users.List(ctx, nil)
		switch {
		case err == nil && page == nil:
			t.Fatalf("Users.List: nil page without an error for %q", body)
		case err != nil && page != nil:
			t.Fatalf("Users.List: page beside error %v", err)
		case err != nil && !errors.Is(err, ErrInvalidResponse):
			t.Fatalf("Users.List: error %v does not match ErrInvalidResponse", err)
		case err == nil:
			for i, u := range page.Users {
				if u == nil {
					t.Fatalf("Users.List: nil user at %d", i)
				}
			}
		}

		tok, err := c.AuthTokens.Get(ctx, "user_000", "tok")
		switch {
		case err == nil && tok == nil:
			t.Fatalf("AuthTokens.Get: nil token without an error")
		case err != nil && tok != nil:
			t.Fatalf("AuthTokens.Get: token beside error %v", err)
		case err != nil && !errors.Is(err, ErrInvalidResponse):
			t.Fatalf("AuthTokens.Get: error %v does not match ErrInvalidResponse", err)
		}
	})
}

// FuzzAPIErrorBody feeds arbitrary bytes as the body of a 400–599 answer:
// always an *APIError with that status, never a panic, never the key in
// Error() or the text fields.
func FuzzAPIErrorBody(f *testing.F) {
	seeds := []struct {
		body   string
		status uint16
	}{
		{specErrUIDAlreadyExists, 0},
		{specErrUIDNotFound, 4},
		{specErrBadRequest, 0},
		{specErrNoAccess, 3},
		{strings.ReplaceAll(specErrNoAccess, "1234567890", setupAPIKey), 3},
		{`{"error":{"message":"The API key ` + setupAPIKey + ` does not exist.","code":"AUTH_ERR_APIKEY_NOT_FOUND","details":{"` + setupAPIKey + `":"` + setupAPIKey + `"}}}`, 1},
		{`{"error":{"message":"Too many","code":"ERR_TOO_MANY_REQUESTS"}}`, 29},
		{`{"error":{"code":"ERR_BAD_REQUEST","details":{"tags.0":"The tags.0 field is required."}}}`, 0},
		{`{"error":{"code":"ERR_BAD_REQUEST","details":"oops"}}`, 0},
		{`{"error":"ERR_BAD_REQUEST"}`, 0},
		{`{"error":null}`, 0},
		{`<html><body><h1>502 Bad Gateway</h1></body></html>`, 102},
		{``, 103},
		{"\x00\xff\xfe", 104},
		{`{"error":{"message":"` + strings.Repeat("x", 5000) + setupAPIKey + `"}}`, 100},
		{strings.Repeat(setupAPIKey, 3), 0},
	}
	for _, s := range seeds {
		f.Add([]byte(s.body), s.status)
	}
	f.Fuzz(func(t *testing.T, body []byte, status uint16) {
		st := 400 + int(status%200)
		c, _, _ := utFuzzClient(t, st, body)
		u, err := c.Users.Get(context.Background(), "user_000")
		if u != nil {
			t.Fatalf("a %d answer returned a user", st)
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("status %d: want *APIError, got %T %v", st, err, err)
		}
		if apiErr.StatusCode != st {
			t.Fatalf("StatusCode %d, want %d", apiErr.StatusCode, st)
		}
		if st == http.StatusTooManyRequests && !errors.Is(err, ErrTooManyRequests) {
			t.Fatalf("a 429 must match ErrTooManyRequests")
		}
		if errors.Is(err, ErrValidation) || errors.Is(err, ErrInvalidResponse) {
			t.Fatalf("an API error matched a client-side sentinel: %v", err)
		}
		for what, s := range map[string]string{
			"Error()": err.Error(), "Message": apiErr.Message, "DevMessage": apiErr.DevMessage,
			"Body": apiErr.Body, "Source": apiErr.Source, "Code": apiErr.Code,
		} {
			if strings.Contains(s, setupAPIKey) {
				t.Fatalf("%s shows the API key: %q", what, s)
			}
		}
		for k, msgs := range apiErr.Details {
			if strings.Contains(k, setupAPIKey) || strings.Contains(strings.Join(msgs, "\n"), setupAPIKey) {
				t.Fatalf("Details show the API key")
			}
		}
		if !strings.HasPrefix(err.Error(), "cometchat: ") {
			t.Fatalf("Error() %q lacks the package prefix", err.Error())
		}
	})
}

// utUIDOracle is the documented uid rule.
var utUIDOracle = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

// FuzzValidateUID: a uid is accepted exactly when it matches
// ^[A-Za-z0-9_-]{1,100}$; an accepted uid is sent as one unchanged path
// segment, a rejected one is never sent.
func FuzzValidateUID(f *testing.F) {
	for _, uid := range utValidUIDs {
		f.Add(uid)
	}
	for _, uid := range utInvalidUIDs {
		f.Add(uid)
	}
	f.Add("abc\n")
	f.Add("\nabc")
	f.Add("ab\u200bc")
	f.Add("a\u0301")
	f.Fuzz(func(t *testing.T, uid string) {
		want := utUIDOracle.MatchString(uid)
		got := validateUID("uid", uid) == nil
		if got != want {
			t.Fatalf("validateUID(%q) accepted=%v, want %v", uid, got, want)
		}

		c, sent, lastPath := utFuzzClient(t, http.StatusOK, []byte(`{"data":{"uid":"x"}}`))
		u, err := c.Users.Get(context.Background(), uid)
		if want {
			if err != nil || u == nil {
				t.Fatalf("Users.Get(%q): %v", uid, err)
			}
			if sent.Load() != 1 {
				t.Fatalf("Users.Get(%q) sent %d requests", uid, sent.Load())
			}
			if p := lastPath.Load(); p != "/v3/users/"+uid {
				t.Fatalf("Users.Get(%q) requested %v", uid, p)
			}
			return
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != "uid" || !errors.Is(err, ErrValidation) {
			t.Fatalf("Users.Get(%q): want a *ValidationError for uid, got %v", uid, err)
		}
		if u != nil || sent.Load() != 0 {
			t.Fatalf("Users.Get(%q): invalid uid was sent (%d requests)", uid, sent.Load())
		}
	})
}
