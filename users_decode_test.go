package cometchat

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gocometchat/cometchat/internal/benchdata"
	"github.com/gocometchat/cometchat/internal/wire"
)

// The SDK decodes its own answers with the v2 engine (internal/wire.Unmarshal), which falls back to encoding/json
// for anything the engine rejects. These tests pin that users decode exactly as they did with encoding/json: the
// same User or the same ErrInvalidResponse.

// legacyUser is wireUser as the SDK decoded it with encoding/json alone: metadata as an any, converted afterwards.
type legacyUser struct {
	UID            string    `json:"uid"`
	Name           string    `json:"name"`
	Avatar         string    `json:"avatar"`
	Link           string    `json:"link"`
	Role           string    `json:"role"`
	StatusMessage  string    `json:"statusMessage"`
	Metadata       any       `json:"metadata"`
	Status         string    `json:"status"`
	Tags           []string  `json:"tags"`
	AuthToken      string    `json:"authToken"`
	CreatedAt      wire.Time `json:"createdAt"`
	UpdatedAt      wire.Time `json:"updatedAt"`
	LastActiveAt   wire.Time `json:"lastActiveAt"`
	DeactivatedAt  wire.Time `json:"deactivatedAt"`
	ConversationID string    `json:"conversationId"`
	BlockedByMe    bool      `json:"blockedByMe"`
	HasBlockedMe   bool      `json:"hasBlockedMe"`
	BlockedByMeAt  wire.Time `json:"blockedByMeAt"`
	BlockedAt      wire.Time `json:"blockedAt"`
}

// legacyObject is the conversion the SDK applied to metadata.
func legacyObject(v any) map[string]any {
	switch m := v.(type) {
	case map[string]any:
		return m
	case string:
		var obj map[string]any
		if json.Unmarshal([]byte(m), &obj) == nil {
			return obj
		}
	}
	return nil
}

func (w *legacyUser) user() *User {
	return &User{
		UID: w.UID, Name: w.Name, Avatar: w.Avatar, Link: w.Link, Role: w.Role, StatusMessage: w.StatusMessage,
		Metadata: legacyObject(w.Metadata), Status: UserStatus(w.Status), Tags: w.Tags, AuthToken: w.AuthToken,
		CreatedAt: w.CreatedAt.Time(), UpdatedAt: w.UpdatedAt.Time(), LastActiveAt: w.LastActiveAt.Time(),
		DeactivatedAt: w.DeactivatedAt.Time(), ConversationID: w.ConversationID, BlockedByMe: w.BlockedByMe,
		HasBlockedMe: w.HasBlockedMe, BlockedByMeAt: w.BlockedByMeAt.Time(), BlockedAt: w.BlockedAt.Time(),
	}
}

// legacyGet is what Users.Get returned for a 200 answer body with encoding/json alone: the user, or nil for
// ErrInvalidResponse.
func legacyGet(body []byte) *User {
	var env wire.One[legacyUser]
	if json.Unmarshal(body, &env) != nil || env.Data == nil || env.Data.UID == "" {
		return nil
	}
	return env.Data.user()
}

// legacyList is what Users.List returned for a 200 answer body with encoding/json alone: the page, or nil for
// ErrInvalidResponse.
func legacyList(body []byte) *UserPage {
	var env wire.List[legacyUser]
	if json.Unmarshal(body, &env) != nil || env.Data == nil {
		return nil
	}
	p, cur := env.PageMeta()
	page := &UserPage{Users: make([]*User, len(*env.Data)), Pagination: Pagination{Total: int(p.Total),
		Count: int(p.Count), PerPage: int(p.PerPage), CurrentPage: int(p.CurrentPage), TotalPages: int(p.TotalPages)}}
	if cur != nil {
		page.Cursor = Cursor{UpdatedAt: cur.UpdatedAt.Time(), Affix: cur.Affix}
	}
	for i := range *env.Data {
		page.Users[i] = (*env.Data)[i].user()
	}
	return page
}

// requireDecodesAsBefore answers Users.Get and Users.List with body and requires what encoding/json alone made
// of it: the same user and page (nil and empty told apart), or ErrInvalidResponse on both.
func requireDecodesAsBefore(t *testing.T, body []byte) {
	t.Helper()
	m := newMock(t, WithMaxRetries(0))
	m.on("GET", "/users/user_000").Reply(200).BodyString(string(body))
	m.on("GET", "/users").Reply(200).BodyString(string(body))

	u, err := m.Users.Get(context.Background(), "user_000")
	want := legacyGet(body)
	if want == nil {
		require.ErrorIs(t, err, ErrInvalidResponse, "Get %q: encoding/json fails it", body)
	} else {
		require.NoError(t, err, "Get %q", body)
		require.True(t, reflect.DeepEqual(want, u), "Get %q:\nencoding/json %#v\nSDK           %#v", body, want, u)
	}

	p, err := m.Users.List(context.Background(), nil)
	wantPage := legacyList(body)
	if wantPage == nil {
		require.ErrorIs(t, err, ErrInvalidResponse, "List %q: encoding/json fails it", body)
	} else {
		require.NoError(t, err, "List %q", body)
		require.True(t, reflect.DeepEqual(wantPage, p), "List %q:\nencoding/json %#v\nSDK           %#v", body, wantPage, p)
	}
}

func TestUsersService_DecodesAsEncodingJSON(t *testing.T) {
	for name, body := range map[string]string{
		"recorded user":                      data(userGeorge),
		"recorded create":                    data(userBarry),
		"recorded list":                      usersListGeorge,
		"realistic user":                     string(benchdata.Got(7)),
		"realistic created user":             string(benchdata.Created(7)),
		"realistic page":                     string(benchdata.Page(2, 100, 1000)),
		"lenient fields":                     data(`{"uid":"a","createdAt":"1694667984","updatedAt":1.5e9,"lastActiveAt":null,"blockedAt":1e400,"metadata":"{\"a\":[1]}"}`),
		"upper-case and mixed-case keys":     data(`{"UID":"a","Name":"n","METADATA":{"k":1},"CreatedAt":5,"BLOCKEDBYME":true}`),
		"the later of two spellings wins":    data(`{"uid":"a","UID":"b"}`),
		"snake case does not match":          data(`{"uid":"a","created_at":5,"status_message":"x"}`),
		"duplicate names, last wins":         data(`{"uid":"a","name":"x","name":"y","metadata":{"p":1},"metadata":{"q":2},"tags":["a"],"tags":["b"]}`),
		"duplicate name with null":           data(`{"uid":"a","name":"x","name":null}`),
		"duplicate names inside metadata":    data(`{"uid":"a","metadata":{"k":{"x":1},"k":{"y":2}}}`),
		"duplicate data":                     `{"data":{"uid":"a"},"data":{"name":"n"}}`,
		"duplicate pagination in a list":     `{"data":[],"meta":{"pagination":{"total":5},"pagination":{"count":1}}}`,
		"invalid UTF-8":                      "{\"data\":{\"uid\":\"a\",\"name\":\"b\xffd\",\"metadata\":{\"k\xfe\":\"\xc0\"}}}",
		"lone surrogates":                    data(`{"uid":"a","name":"\ud800","metadata":{"\udfff":"x"}}`),
		"number out of range in metadata":    data(`{"uid":"a","metadata":{"n":1e400}}`),
		"trailing data":                      data(userGeorge) + ` {}`,
		"cut off":                            data(userGeorge)[:60],
		"cut off list":                       usersListGeorge[:len(usersListGeorge)-2],
		"wrong type":                         data(`{"uid":"a","tags":"x"}`),
		"user without uid":                   data(`{"name":"a"}`),
		"list of a user":                     data(userGeorge),
		"empty":                              ``,
		"null":                               `null`,
		"deep metadata":                      data(`{"uid":"a","metadata":{"d":` + strings.Repeat(`{"d":`, 300) + `1` + strings.Repeat(`}`, 300) + `}}`),
		"keys differing by a Unicode fold":   "{\"data\":{\"uid\":\"a\",\"bloc\u212aedByMe\":true,\"\u017ftatus\":\"x\"}}",
		"escaped keys":                       data(`{"\u0075id":"a","n\u0061me":"b"}`),
		"HTML and JS characters stay as are": data(`{"uid":"a","name":"<b>&amp; \u2028"}`),
	} {
		t.Run(name, func(t *testing.T) { requireDecodesAsBefore(t, []byte(body)) })
	}
}

// Some of the cases above with their outcome spelled out, as encoding/json gives it.
func TestUsersService_Get_DecodesAsEncodingJSONDoes(t *testing.T) {
	tests := []struct {
		name, user string
		want       *User // nil: ErrInvalidResponse
	}{
		{"keys match fields in any case", `{"UID":"a","Name":"n","STATUS":"offline"}`, &User{UID: "a", Name: "n", Status: StatusOffline}},
		{"of two spellings of a key the later wins", `{"UID":"b","uid":"a"}`, &User{UID: "a"}},
		{"duplicate keys: the last wins", `{"uid":"a","metadata":{"x":1},"metadata":{"y":2},"uid":"b"}`, &User{UID: "b", Metadata: map[string]any{"y": 2.0}}},
		{"a duplicate null keeps the earlier string", `{"uid":"a","name":"n","name":null}`, &User{UID: "a", Name: "n"}},
		{"invalid UTF-8 is replaced", "{\"uid\":\"a\",\"name\":\"b\xffd\"}", &User{UID: "a", Name: "b\uFFFDd"}},
		{"a lone surrogate is replaced", `{"uid":"a","name":"x\ud800"}`, &User{UID: "a", Name: "x\uFFFD"}},
		{"a number out of range in metadata fails the answer", `{"uid":"a","metadata":{"n":1e400}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t, WithMaxRetries(0))
			m.on("GET", "/users/a").Reply(200).BodyString(data(tt.user))
			u, err := m.Users.Get(context.Background(), "a")
			if tt.want == nil {
				assert.Nil(t, u)
				assert.ErrorIs(t, err, ErrInvalidResponse)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, u)
		})
	}
	t.Run("trailing data fails the answer", func(t *testing.T) {
		m := newMock(t, WithMaxRetries(0))
		m.on("GET", "/users/a").Reply(200).BodyString(data(`{"uid":"a"}`) + `{"data":{"uid":"b"}}`)
		_, err := m.Users.Get(context.Background(), "a")
		assert.ErrorIs(t, err, ErrInvalidResponse)
	})
}

// Client.Do decodes the caller's out with encoding/json, struct tags and methods included, not with the engine.
func TestClient_Do_DecodesTheCallersOutWithEncodingJSON(t *testing.T) {
	m := newMock(t, WithMaxRetries(0))
	m.on("GET", "/users/a").Reply(200).BodyString(`{"data":{"uid":"a","Name":"n","name":"m","when":"x"}}`)
	var out struct {
		Data struct {
			UID  string      `json:"uid"`
			Name string      `json:"name"`
			When upperString `json:"when"`
		} `json:"data"`
	}
	require.NoError(t, m.Do(context.Background(), http.MethodGet, "/users/a", nil, nil, &out))
	assert.Equal(t, "a", out.Data.UID)
	assert.Equal(t, "m", out.Data.Name, "the later spelling wins, as in encoding/json")
	assert.Equal(t, upperString("X"), out.Data.When, "the caller's UnmarshalJSON runs")
}

type upperString string

func (s *upperString) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = upperString(strings.ToUpper(v))
	return nil
}

// FuzzUsersService_DecodesAsEncodingJSON: whatever a 200 answer holds, Users.Get and Users.List return what
// encoding/json alone made of it.
func FuzzUsersService_DecodesAsEncodingJSON(f *testing.F) {
	for _, s := range []string{
		data(userGeorge),
		usersListGeorge,
		data(`{"uid":"a","UID":"b","metadata":"{\"a\":1}","createdAt":"5","tags":[]}`),
		data(`{"uid":"a","uid":null,"metadata":{"k":1,"k":[2]}}`),
		"{\"data\":{\"uid\":\"\xff\",\"metadata\":{\"\\ud800\":1}}}",
		`{"data":[{"uid":"a"}],"meta":{"pagination":{"total":"3"},"cursor":{"updatedAt":1.5}},"cursor":{"affix":"x"}}`,
		data(userGeorge) + `x`,
		string(benchdata.Page(1, 2, 2)),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		requireDecodesAsBefore(t, body)
	})
}
