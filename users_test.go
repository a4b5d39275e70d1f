package cometchat

import (
	"context"
	"errors"
	"iter"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Recorded or documented answers (spec §2, §4), as the server writes them: "/" escaped as "\/".
const (
	// usersBarryToken is the auth token of the recorded create answer userBarry.
	usersBarryToken = "cometchat-uid-6_16383540156641d37a023c75d26f4c22a21ff126"
	// usersListGeorge is the recorded list answer: pagination in snake_case, the cursor inside meta.
	usersListGeorge = `{"data":[` + userGeorge + `],"meta":{"pagination":{"total":25,"count":5,"per_page":5,"current_page":1,"total_pages":5},"cursor":{"updatedAt":1694667984,"affix":"prepend"}}}`

	usersErrUIDNotFound      = `{"error":{"message":"The UID user_000 does not exist, please make sure you have created a user with UID user_000.","devMessage":"The UID user_000 does not exist, so please make sure you have created a user with UID user_000.","source":"chat-api","code":"ERR_UID_NOT_FOUND"}}`
	usersErrUIDAlreadyExists = `{"error":{"message":"The uid user_000 already exists. Please use another uid or try after permanently deleting the user.","devMessage":"The uid user_000 already exists. Please use another uid or try recreating after permanently deleting the user.","source":"chat-api","code":"ERR_UID_ALREADY_EXISTS"}}`
	usersDeletePermanent     = `{"data":{"success":true,"message":"User with UID user_000 has been deleted successfully."}}`
	usersDeleteSoft          = `{"data":{"deactivatedUids":["user_000"]}}`
	usersUserZero            = `{"uid":"user_000","name":"User Zero","status":"offline","role":"default","createdAt":1694667000}`
	usersUpdatedAda          = `{"uid":"user_000","name":"Ada","status":"offline","role":"default","createdAt":1694667000,"updatedAt":1694667984}`
)

// usersUnix is the time a CometChat timestamp decodes to: Unix seconds, in UTC.
func usersUnix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// usersRequireValidation asserts err is a *ValidationError for field, matching ErrValidation.
func usersRequireValidation(t *testing.T, err error, field string) {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, field, ve.Field)
	assert.ErrorIs(t, err, ErrValidation)
}

// usersCollect ranges over seq to its end (never breaking) and returns the uids and errors it yielded.
func usersCollect(seq iter.Seq2[*User, error]) (uids []string, errs []error) {
	for u, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		uids = append(uids, u.UID)
	}
	return uids, errs
}

// usersPage is a list answer holding users uids (named after themselves) at page current of total.
func usersPage(current, total int, uids ...string) string {
	items := make([]string, len(uids))
	for i, uid := range uids {
		items[i] = `{"uid":"` + uid + `","name":"` + uid + `","status":"offline","role":"default","createdAt":1694667000}`
	}
	return `{"data":[` + strings.Join(items, ",") + `],"meta":{"pagination":{"total":` + strconv.Itoa(total*len(uids)) +
		`,"count":` + strconv.Itoa(len(uids)) + `,"per_page":` + strconv.Itoa(len(uids)) + `,"current_page":` +
		strconv.Itoa(current) + `,"total_pages":` + strconv.Itoa(total) + `}}}`
}

// --- Create ---

func TestUsersService_Create_WithAuthTokenSendsEveryFieldAndDecodesTheRecordedAnswer(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users").Reply(200).BodyString(data(userBarry))

	u, err := m.Users.Create(context.Background(), &CreateUserParams{
		UID:           "cometchat-uid-6",
		Name:          "Barry Allen",
		Avatar:        "https://assets.cometchat.io/sampleapp/v2/groups/cometchat-guid-1.webp",
		Link:          "https://cometchat.com",
		Role:          "manager",
		StatusMessage: "<b>Saving</b> the day & more",
		Metadata:      map[string]any{"@private": map[string]any{"email": "barry@example.com"}, "level": 3},
		Tags:          []string{"Engineer", "manager"},
		WithAuthToken: true,
	})
	require.NoError(t, err)

	req := m.last(t)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "/users", req.Path)
	assert.Empty(t, req.Query)
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.Equal(t, "application/json", req.Header.Get("Accept"))
	assert.Equal(t, testKey, req.Header.Get("apikey"))
	assert.JSONEq(t, `{
		"uid":"cometchat-uid-6","name":"Barry Allen",
		"avatar":"https://assets.cometchat.io/sampleapp/v2/groups/cometchat-guid-1.webp",
		"link":"https://cometchat.com","role":"manager","statusMessage":"<b>Saving</b> the day & more",
		"metadata":{"@private":{"email":"barry@example.com"},"level":3},
		"tags":["Engineer","manager"],"withAuthToken":true}`, req.Body)
	assert.Contains(t, req.Body, "<b>Saving</b> the day & more", "HTML is sent as is, not escaped")
	assert.Len(t, m.requests(), 1)

	require.NotNil(t, u)
	assert.Equal(t, &User{
		UID:       "cometchat-uid-6",
		Name:      "Barry Allen",
		Link:      "https://cometchat.com",
		Avatar:    "https://assets.cometchat.io/sampleapp/v2/groups/cometchat-guid-1.webp",
		Status:    StatusOffline,
		Role:      "manager",
		CreatedAt: usersUnix(1638354015),
		Tags:      []string{"Engineer", "manager"},
		AuthToken: usersBarryToken,
	}, u)
	assert.Equal(t, time.UTC, u.CreatedAt.Location())
}

func TestUsersService_Create_SendsOnlyTheFieldsSet(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users").Reply(200).BodyString(data(usersUserZero))

	u, err := m.Users.Create(context.Background(), &CreateUserParams{UID: "user_000", Name: "User Zero"})
	require.NoError(t, err)

	req := m.last(t)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "/users", req.Path)
	assert.JSONEq(t, `{"uid":"user_000","name":"User Zero"}`, req.Body)
	assert.Equal(t, &User{
		UID: "user_000", Name: "User Zero", Status: StatusOffline, Role: "default", CreatedAt: usersUnix(1694667000),
	}, u)
	assert.Empty(t, u.AuthToken, "no auth token unless asked for")
}

func TestUsersService_Create_DoesNotMutateParams(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users").Reply(200).BodyString(data(userBarry))
	params := &CreateUserParams{
		UID: "Cometchat-UID-6", Name: "Barry Allen", Tags: []string{"Engineer"},
		Metadata: map[string]any{"level": 3}, WithAuthToken: true,
	}
	want := &CreateUserParams{
		UID: "Cometchat-UID-6", Name: "Barry Allen", Tags: []string{"Engineer"},
		Metadata: map[string]any{"level": 3}, WithAuthToken: true,
	}
	_, err := m.Users.Create(context.Background(), params)
	require.NoError(t, err)
	assert.Equal(t, want, params)
	assert.JSONEq(t, `{"uid":"Cometchat-UID-6","name":"Barry Allen","tags":["Engineer"],"metadata":{"level":3},"withAuthToken":true}`,
		m.last(t).Body, "the uid is sent as given: the server lowercases it")
}

func TestUsersService_Create_DuplicateUIDIsAnAPIError(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users").Reply(400).BodyString(usersErrUIDAlreadyExists)

	u, err := m.Users.Create(context.Background(), &CreateUserParams{UID: "user_000", Name: "User Zero"})
	assert.Nil(t, u)
	require.ErrorIs(t, err, ErrUIDAlreadyExists)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Equal(t, "ERR_UID_ALREADY_EXISTS", apiErr.Code)
	assert.Len(t, m.requests(), 1, "a 400 is not retried")
}

func TestUsersService_Create_ValidationSendsNothing(t *testing.T) {
	ok := func(p CreateUserParams) *CreateUserParams {
		if p.UID == "" {
			p.UID = "user_000"
		}
		if p.Name == "" {
			p.Name = "User Zero"
		}
		return &p
	}
	tooManyTags := make([]string, 26)
	for i := range tooManyTags {
		tooManyTags[i] = "t" + strconv.Itoa(i)
	}
	tests := []struct {
		name   string
		params *CreateUserParams
		field  string
	}{
		{"nil params", nil, "params"},
		{"no uid", &CreateUserParams{Name: "N"}, "uid"},
		{"uid with a slash", ok(CreateUserParams{UID: "a/b"}), "uid"},
		{"uid with a dot", ok(CreateUserParams{UID: "a.b"}), "uid"},
		{"uid of 101 characters", ok(CreateUserParams{UID: strings.Repeat("u", 101)}), "uid"},
		{"no name", &CreateUserParams{UID: "user_000"}, "name"},
		{"blank name", ok(CreateUserParams{Name: "   "}), "name"},
		{"name of 101 runes", ok(CreateUserParams{Name: strings.Repeat("é", 101)}), "name"},
		{"name not UTF-8", ok(CreateUserParams{Name: "Bad\xffName"}), "name"},
		{"avatar not a URL", ok(CreateUserParams{Avatar: "Invalid:https://x/a.png"}), "avatar"},
		{"link with another scheme", ok(CreateUserParams{Link: "ftp://x.io/a"}), "link"},
		{"role with a space", ok(CreateUserParams{Role: "team lead"}), "role"},
		{"metadata over 5 KiB", ok(CreateUserParams{Metadata: map[string]any{"k": strings.Repeat("a", 5<<10)}}), "metadata"},
		{"metadata with NaN", ok(CreateUserParams{Metadata: map[string]any{"n": math.NaN()}}), "metadata"},
		{"26 tags", ok(CreateUserParams{Tags: tooManyTags}), "tags"},
		{"blank tag", ok(CreateUserParams{Tags: []string{"a", "b", " "}}), "tags[2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t, WithMaxRetries(0))
			u, err := m.Users.Create(context.Background(), tt.params)
			assert.Nil(t, u)
			usersRequireValidation(t, err, tt.field)
			assert.Empty(t, m.requests())
		})
	}
}

// --- Get ---

func TestUsersService_Get_SendsTheUIDAsGivenWithoutOnBehalfOf(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/CometChat-UID-2").Reply(200).BodyString(data(userGeorge))

	u, err := m.Users.Get(context.Background(), "CometChat-UID-2")
	require.NoError(t, err)

	req := m.last(t)
	assert.Equal(t, "GET", req.Method)
	assert.Equal(t, "/users/CometChat-UID-2", req.Path, "upper case is valid: the server lowercases")
	assert.Empty(t, req.Query)
	assert.Empty(t, req.Body)
	assert.Empty(t, req.Header.Values("onBehalfOf"))
	assert.Empty(t, req.Header.Values("Content-Type"), "no body, no content type")
	assert.Equal(t, &User{
		UID:       "cometchat-uid-2",
		Name:      "George Alan",
		Avatar:    "https://assets.cometchat.io/sampleapp/v2/users/cometchat-uid-2.webp",
		Status:    StatusOffline,
		Role:      "default",
		CreatedAt: usersUnix(1629869270),
		UpdatedAt: usersUnix(1630308676),
	}, u)
}

func TestUsersService_Get_OnBehalfOfSendsTheHeaderAndDecodesViewerFields(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/cometchat-uid-2").Reply(200).BodyString(data(`{"uid":"cometchat-uid-2","name":"George Alan",
		"avatar":"https:\/\/assets.cometchat.io\/sampleapp\/v2\/users\/cometchat-uid-2.webp",
		"link":"https:\/\/foo.bar","statusMessage":"Busy","status":"available","role":"default",
		"metadata":{"@private":{"email":"george@example.com","contactNumber":"0123456789"}},
		"tags":["vip"],"createdAt":1629869270,"updatedAt":1630308676,"lastActiveAt":1694667000,"deactivatedAt":1694667001,
		"conversationId":"cometchat-uid-1_user_cometchat-uid-2","blockedByMe":true,"hasBlockedMe":true,
		"blockedByMeAt":1694667984,"blockedAt":1694667985}`))

	u, err := m.Users.Get(context.Background(), "cometchat-uid-2", OnBehalfOf("cometchat-uid-1"))
	require.NoError(t, err)

	req := m.last(t)
	assert.Equal(t, []string{"cometchat-uid-1"}, req.Header.Values("onBehalfOf"))
	assert.Equal(t, &User{
		UID:            "cometchat-uid-2",
		Name:           "George Alan",
		Avatar:         "https://assets.cometchat.io/sampleapp/v2/users/cometchat-uid-2.webp",
		Link:           "https://foo.bar",
		Role:           "default",
		StatusMessage:  "Busy",
		Metadata:       map[string]any{"@private": map[string]any{"email": "george@example.com", "contactNumber": "0123456789"}},
		Status:         StatusAvailable,
		Tags:           []string{"vip"},
		CreatedAt:      usersUnix(1629869270),
		UpdatedAt:      usersUnix(1630308676),
		LastActiveAt:   usersUnix(1694667000),
		DeactivatedAt:  usersUnix(1694667001),
		ConversationID: "cometchat-uid-1_user_cometchat-uid-2",
		BlockedByMe:    true,
		HasBlockedMe:   true,
		BlockedByMeAt:  usersUnix(1694667984),
		BlockedAt:      usersUnix(1694667985),
	}, u)
	for name, tm := range map[string]time.Time{
		"CreatedAt": u.CreatedAt, "UpdatedAt": u.UpdatedAt, "LastActiveAt": u.LastActiveAt,
		"DeactivatedAt": u.DeactivatedAt, "BlockedByMeAt": u.BlockedByMeAt, "BlockedAt": u.BlockedAt,
	} {
		assert.Equal(t, time.UTC, tm.Location(), name)
	}
}

func TestUsersService_Get_InvalidArgumentsSendNothing(t *testing.T) {
	tests := []struct {
		name  string
		uid   string
		opts  []RequestOption
		field string
	}{
		{"empty uid", "", nil, "uid"},
		{"dot-dot uid", "..", nil, "uid"},
		{"uid with a slash", "../admin", nil, "uid"},
		{"uid with a query", "ada?x=1", nil, "uid"},
		{"uid with unicode", "jürgen", nil, "uid"},
		{"empty onBehalfOf", "ada", []RequestOption{OnBehalfOf("")}, "onBehalfOf"},
		{"onBehalfOf with a newline", "ada", []RequestOption{OnBehalfOf("bob\r\nX-Evil: 1")}, "onBehalfOf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t, WithMaxRetries(0))
			u, err := m.Users.Get(context.Background(), tt.uid, tt.opts...)
			assert.Nil(t, u)
			usersRequireValidation(t, err, tt.field)
			assert.Empty(t, m.requests())
		})
	}
}

func TestUsersService_Get_UnknownUIDIsErrUIDNotFound(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/user_000").Reply(404).BodyString(usersErrUIDNotFound)

	u, err := m.Users.Get(context.Background(), "user_000")
	assert.Nil(t, u)
	require.ErrorIs(t, err, ErrUIDNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Len(t, m.requests(), 1, "a 404 is not retried")
}

func TestUsersService_Get_DecodesLeniently(t *testing.T) {
	tests := []struct {
		name string
		user string // the "data" object
		want *User
	}{
		{
			name: "timestamps as int, float and numeric string",
			user: `{"uid":"a","createdAt":1694667984,"updatedAt":1694667985.9,"lastActiveAt":"1694667986"}`,
			want: &User{UID: "a", CreatedAt: usersUnix(1694667984), UpdatedAt: usersUnix(1694667985), LastActiveAt: usersUnix(1694667986)},
		},
		{
			name: "timestamps null, zero, negative or words are zero",
			user: `{"uid":"a","createdAt":null,"updatedAt":0,"lastActiveAt":-5,"deactivatedAt":"soon","blockedAt":true,"blockedByMeAt":{}}`,
			want: &User{UID: "a"},
		},
		{
			name: "metadata as an object",
			user: `{"uid":"a","metadata":{"n":1.5,"nested":{"ok":true},"list":[1,"x"]}}`,
			want: &User{UID: "a", Metadata: map[string]any{"n": 1.5, "nested": map[string]any{"ok": true}, "list": []any{1.0, "x"}}},
		},
		{
			name: "metadata as a JSON string holding an object",
			user: `{"uid":"a","metadata":"{\"email\":\"user@email.com\"}"}`,
			want: &User{UID: "a", Metadata: map[string]any{"email": "user@email.com"}},
		},
		{"metadata as a string that is not JSON", `{"uid":"a","metadata":"not json"}`, &User{UID: "a"}},
		{"metadata as a JSON string holding an array", `{"uid":"a","metadata":"[1,2]"}`, &User{UID: "a"}},
		{"metadata as an array", `{"uid":"a","metadata":[1,2]}`, &User{UID: "a"}},
		{"metadata as a number", `{"uid":"a","metadata":42}`, &User{UID: "a"}},
		{"metadata null", `{"uid":"a","metadata":null}`, &User{UID: "a"}},
		{"unknown fields are ignored", `{"uid":"a","surprise":{"x":[1,{"y":null}]},"authTokens":["t"]}`, &User{UID: "a"}},
		{
			name: "escaped slashes and unicode",
			user: `{"uid":"a","name":"J\u00fcrgen \ud83d\ude00","link":"https:\/\/x.io\/a?b=c"}`,
			want: &User{UID: "a", Name: "Jürgen 😀", Link: "https://x.io/a?b=c"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("GET", "/users/a").Reply(200).BodyString(data(tt.user))
			u, err := m.Users.Get(context.Background(), "a")
			require.NoError(t, err)
			assert.Equal(t, tt.want, u)
			for _, tm := range []time.Time{u.CreatedAt, u.UpdatedAt, u.LastActiveAt} {
				if !tm.IsZero() {
					assert.Equal(t, time.UTC, tm.Location())
				}
			}
		})
	}
}

// --- Update ---

func TestUsersService_Update_SendsOnlyWhatIsSet(t *testing.T) {
	tests := []struct {
		name   string
		params *UpdateUserParams
		want   string
	}{
		{"nothing set", &UpdateUserParams{}, `{}`},
		{"name only", &UpdateUserParams{Name: Ptr("Ada")}, `{"name":"Ada"}`},
		{"the documented example", &UpdateUserParams{Name: Ptr("test"), Link: Ptr("https://foo.bar"), Unset: []UserField{UserFieldAvatar}},
			`{"name":"test","link":"https://foo.bar","unset":["avatar"]}`},
		{"every field", &UpdateUserParams{
			Name: Ptr("Ada"), Avatar: Ptr("https://x.io/a.png"), Link: Ptr("http://x.io"), Role: Ptr("admin"),
			StatusMessage: Ptr("Coding"), Metadata: map[string]any{"k": "v"}, Tags: []string{"a", "b"},
		}, `{"name":"Ada","avatar":"https://x.io/a.png","link":"http://x.io","role":"admin","statusMessage":"Coding","metadata":{"k":"v"},"tags":["a","b"]}`},
		{"nil metadata and tags leave them unchanged", &UpdateUserParams{Role: Ptr("default"), Metadata: nil, Tags: nil}, `{"role":"default"}`},
		{"empty metadata replaces", &UpdateUserParams{Metadata: map[string]any{}}, `{"metadata":{}}`},
		{"empty tags replace", &UpdateUserParams{Tags: []string{}}, `{"tags":[]}`},
		{"metadata is sent as an object", &UpdateUserParams{Metadata: map[string]any{"email": "user@email.com"}},
			`{"metadata":{"email":"user@email.com"}}`},
		{"unset every clearable field", &UpdateUserParams{Unset: []UserField{UserFieldAvatar, UserFieldLink, UserFieldMetadata}},
			`{"unset":["avatar","link","metadata"]}`},
		{"an empty status message is sent when set", &UpdateUserParams{StatusMessage: Ptr("")}, `{"statusMessage":""}`},
		{"HTML is not escaped", &UpdateUserParams{StatusMessage: Ptr("<b>&</b>")}, `{"statusMessage":"<b>&</b>"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("PUT", "/users/user_000").Reply(200).BodyString(data(usersUpdatedAda))

			u, err := m.Users.Update(context.Background(), "user_000", tt.params)
			require.NoError(t, err)

			req := m.last(t)
			assert.Equal(t, "PUT", req.Method)
			assert.Equal(t, "/users/user_000", req.Path)
			assert.Empty(t, req.Query)
			assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
			assert.JSONEq(t, tt.want, req.Body)
			assert.NotContains(t, req.Body, `\u003c`, "HTML escaping is off")
			assert.Equal(t, &User{
				UID: "user_000", Name: "Ada", Status: StatusOffline, Role: "default",
				CreatedAt: usersUnix(1694667000), UpdatedAt: usersUnix(1694667984),
			}, u)
		})
	}
}

func TestUsersService_Update_DoesNotMutateParams(t *testing.T) {
	m := newMock(t)
	m.on("PUT", "/users/user_000").Reply(200).BodyString(data(usersUpdatedAda))
	params := &UpdateUserParams{
		Name: Ptr("Ada"), Tags: []string{}, Metadata: map[string]any{"k": "v"}, Unset: []UserField{UserFieldLink},
	}
	want := &UpdateUserParams{
		Name: Ptr("Ada"), Tags: []string{}, Metadata: map[string]any{"k": "v"}, Unset: []UserField{UserFieldLink},
	}

	_, err := m.Users.Update(context.Background(), "user_000", params)
	require.NoError(t, err)
	assert.Equal(t, want, params)
	assert.NotNil(t, params.Tags, "empty tags stay empty, not nil")
}

func TestUsersService_Update_DecodesMetadataReturnedAsAJSONString(t *testing.T) {
	m := newMock(t)
	// The server answers without avatar (unset), with metadata as the JSON-encoded string CometChat's own QA suite
	// stores, and escapes slashes.
	m.on("PUT", "/users/user_000").Reply(200).BodyString(data(`{"uid":"user_000","name":"test","link":"https:\/\/foo.bar","metadata":"{\"email\":\"user@email.com\"}","status":"offline","role":"default","createdAt":1694667000,"updatedAt":1694667984}`))

	u, err := m.Users.Update(context.Background(), "user_000", &UpdateUserParams{
		Name: Ptr("test"), Link: Ptr("https://foo.bar"), Metadata: map[string]any{"email": "user@email.com"},
		Unset: []UserField{UserFieldAvatar},
	})
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"test","link":"https://foo.bar","metadata":{"email":"user@email.com"},"unset":["avatar"]}`, m.last(t).Body)
	assert.Equal(t, &User{
		UID: "user_000", Name: "test", Link: "https://foo.bar", Metadata: map[string]any{"email": "user@email.com"},
		Status: StatusOffline, Role: "default", CreatedAt: usersUnix(1694667000), UpdatedAt: usersUnix(1694667984),
	}, u)
}

func TestUsersService_Update_ValidationSendsNothing(t *testing.T) {
	tests := []struct {
		name   string
		uid    string
		params *UpdateUserParams
		field  string
	}{
		{"nil params", "user_000", nil, "params"},
		{"invalid uid before params", "a b", nil, "uid"},
		{"empty uid", "", &UpdateUserParams{Name: Ptr("Ada")}, "uid"},
		{"empty name", "user_000", &UpdateUserParams{Name: Ptr("")}, "name"},
		{"name of 101 emoji", "user_000", &UpdateUserParams{Name: Ptr(strings.Repeat("😀", 101))}, "name"},
		{"empty avatar", "user_000", &UpdateUserParams{Avatar: Ptr("")}, "avatar"},
		{"relative link", "user_000", &UpdateUserParams{Link: Ptr("/a.png")}, "link"},
		{"empty role", "user_000", &UpdateUserParams{Role: Ptr("")}, "role"},
		{"metadata with +Inf", "user_000", &UpdateUserParams{Metadata: map[string]any{"n": math.Inf(1)}}, "metadata"},
		{"metadata with a func", "user_000", &UpdateUserParams{Metadata: map[string]any{"f": func() {}}}, "metadata"},
		{"empty tag", "user_000", &UpdateUserParams{Tags: []string{""}}, "tags[0]"},
		{"unset an unknown field", "user_000", &UpdateUserParams{Unset: []UserField{"name"}}, "unset"},
		{"unset tags", "user_000", &UpdateUserParams{Unset: []UserField{UserFieldAvatar, "tags"}}, "unset"},
		{"unset upper case", "user_000", &UpdateUserParams{Unset: []UserField{"Avatar"}}, "unset"},
		{"avatar set and unset", "user_000", &UpdateUserParams{Avatar: Ptr("https://x.io/a.png"), Unset: []UserField{UserFieldAvatar}}, "avatar"},
		{"link set and unset", "user_000", &UpdateUserParams{Link: Ptr("https://x.io"), Unset: []UserField{UserFieldLink}}, "link"},
		{"metadata set and unset", "user_000", &UpdateUserParams{Metadata: map[string]any{}, Unset: []UserField{UserFieldMetadata}}, "metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t, WithMaxRetries(0))
			u, err := m.Users.Update(context.Background(), tt.uid, tt.params)
			assert.Nil(t, u)
			usersRequireValidation(t, err, tt.field)
			assert.Empty(t, m.requests())
		})
	}
}

// --- Delete ---

func TestUsersService_Delete_SoftSendsNoBody(t *testing.T) {
	for name, params := range map[string]*DeleteUserParams{"nil params": nil, "Permanent false": {}} {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("DELETE", "/users/user_000").Reply(200).BodyString(usersDeleteSoft)

			require.NoError(t, m.Users.Delete(context.Background(), "user_000", params))
			req := m.last(t)
			assert.Equal(t, "DELETE", req.Method)
			assert.Equal(t, "/users/user_000", req.Path)
			assert.Empty(t, req.Query)
			assert.Empty(t, req.Body)
			assert.Empty(t, req.Header.Values("Content-Type"))
			assert.Len(t, m.requests(), 1)
		})
	}
}

func TestUsersService_Delete_PermanentSendsPermanentTrue(t *testing.T) {
	m := newMock(t)
	m.on("DELETE", "/users/user_000").Reply(200).BodyString(usersDeletePermanent)

	require.NoError(t, m.Users.Delete(context.Background(), "user_000", &DeleteUserParams{Permanent: true}))
	req := m.last(t)
	assert.Equal(t, "DELETE", req.Method)
	assert.Equal(t, "/users/user_000", req.Path)
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"permanent":true}`, req.Body)
}

func TestUsersService_Delete_AnySuccessStatusIsSuccess(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"200 soft-delete answer", 200, usersDeleteSoft},
		{"200 permanent-delete answer", 200, usersDeletePermanent},
		{"200 empty", 200, ``},
		{"200 not JSON", 200, `OK`},
		{"200 data null", 200, `{"data":null}`},
		{"200 empty object", 200, `{}`},
		{"200 null", 200, `null`},
		{"202", 202, `{"data":{}}`},
		{"204", 204, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("DELETE", "/users/user_000").Reply(tt.status).BodyString(tt.body)
			assert.NoError(t, m.Users.Delete(context.Background(), "user_000", &DeleteUserParams{Permanent: true}))
			assert.Len(t, m.requests(), 1)
		})
	}
}

func TestUsersService_Delete_UnknownUIDIsErrUIDNotFound(t *testing.T) {
	m := newMock(t)
	m.on("DELETE", "/users/user_000").Reply(404).BodyString(usersErrUIDNotFound)

	err := m.Users.Delete(context.Background(), "user_000", nil)
	require.ErrorIs(t, err, ErrUIDNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Len(t, m.requests(), 1)
}

func TestUsersService_Delete_InvalidUIDSendsNothing(t *testing.T) {
	for _, uid := range []string{"", "..", "a/b", strings.Repeat("a", 101)} {
		m := newMock(t, WithMaxRetries(0))
		usersRequireValidation(t, m.Users.Delete(context.Background(), uid, &DeleteUserParams{Permanent: true}), "uid")
		assert.Empty(t, m.requests())
	}
}

// --- Deactivate and Reactivate ---

func TestUsersService_Deactivate_SendsEveryUIDOnceLowercased(t *testing.T) {
	m := newMock(t)
	m.on("DELETE", "/users").Reply(200).BodyString(data(`{"deactivatedUids":["ada","bob"],"notFound":["ghost"]}`))

	res, err := m.Users.Deactivate(context.Background(), "ADA", "Ghost", "ada", "BOB", "bob", "Ada")
	require.NoError(t, err)

	req := m.last(t)
	assert.Equal(t, "DELETE", req.Method)
	assert.Equal(t, "/users", req.Path)
	assert.Empty(t, req.Query)
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"uidsToDeactivate":["ada","ghost","bob"]}`, req.Body)
	assert.Equal(t, &DeactivateResult{Deactivated: []string{"ada", "bob"}, NotFound: []string{"ghost"}}, res)
}

func TestUsersService_Reactivate_SendsEveryUIDOnceLowercased(t *testing.T) {
	m := newMock(t)
	m.on("PUT", "/users").Reply(200).BodyString(data(`{"reactivatedUids":["ada"],"nonDeactivatedUids":["bob"],"notFound":["x"]}`))

	res, err := m.Users.Reactivate(context.Background(), "ada", "ada", "Bob", "X", "x")
	require.NoError(t, err)

	req := m.last(t)
	assert.Equal(t, "PUT", req.Method)
	assert.Equal(t, "/users", req.Path)
	assert.Empty(t, req.Query)
	assert.JSONEq(t, `{"uidsToActivate":["ada","bob","x"]}`, req.Body)
	assert.Equal(t, &ReactivateResult{Reactivated: []string{"ada"}, NotDeactivated: []string{"bob"}, NotFound: []string{"x"}}, res)
}

// The security issue: Deactivate(ctx, "ADA", "Ghost") used to return ada lowercased in one bucket and Ghost as
// typed in another; Reactivate(ctx, "ada", "ada") put ada in two buckets. Every uid appears once, lowercased, in
// exactly one bucket, in the order sent; uids the answer names but that were not sent are not reported.
func TestUsersService_Deactivate_EveryUIDInExactlyOneBucket(t *testing.T) {
	tests := []struct {
		name   string
		uids   []string
		answer string
		want   *DeactivateResult
	}{
		{"upper case sent, server echoes notFound as sent", []string{"ADA", "Ghost"},
			`{"deactivatedUids":["ada"],"notFound":["ghost"]}`,
			&DeactivateResult{Deactivated: []string{"ada"}, NotFound: []string{"ghost"}}},
		{"server echoes another case", []string{"ADA", "Ghost"},
			`{"deactivatedUids":["ADA"],"notFound":["Ghost"]}`,
			&DeactivateResult{Deactivated: []string{"ada"}, NotFound: []string{"ghost"}}},
		{"a uid in two buckets of the answer lands in one", []string{"ada"},
			`{"deactivatedUids":["ada"],"alreadyDeactivatedUids":["ada"],"notFound":["ADA"]}`,
			&DeactivateResult{Deactivated: []string{"ada"}}},
		{"a repeated uid is reported once", []string{"ada", "ADA", "Ada"},
			`{"alreadyDeactivatedUids":["ada","ada"]}`,
			&DeactivateResult{AlreadyDeactivated: []string{"ada"}}},
		{"order is the order sent", []string{"c", "a", "b"},
			`{"deactivatedUids":["b","a","c"]}`,
			&DeactivateResult{Deactivated: []string{"c", "a", "b"}}},
		{"uids not sent are dropped", []string{"ada"},
			`{"deactivatedUids":["ada","mallory"],"notFound":["eve"]}`,
			&DeactivateResult{Deactivated: []string{"ada"}}},
		{"every bucket", []string{"a", "b", "c"},
			`{"deactivatedUids":["a"],"alreadyDeactivatedUids":["b"],"notFound":["c"]}`,
			&DeactivateResult{Deactivated: []string{"a"}, AlreadyDeactivated: []string{"b"}, NotFound: []string{"c"}}},
		{"empty buckets omitted by the server", []string{"user_000"}, `{"deactivatedUids":["user_000"]}`,
			&DeactivateResult{Deactivated: []string{"user_000"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("DELETE", "/users").Reply(200).BodyString(data(tt.answer))
			res, err := m.Users.Deactivate(context.Background(), tt.uids...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, res)
		})
	}
}

func TestUsersService_Reactivate_EveryUIDInExactlyOneBucket(t *testing.T) {
	tests := []struct {
		name   string
		uids   []string
		answer string
		want   *ReactivateResult
	}{
		{"a repeated uid the server reports twice", []string{"ada", "ada"},
			`{"reactivatedUids":["ada"],"nonDeactivatedUids":["ada"]}`,
			&ReactivateResult{Reactivated: []string{"ada"}}},
		{"upper case sent", []string{"ADA", "Ghost"},
			`{"nonDeactivatedUids":["ada"],"notFound":["Ghost"]}`,
			&ReactivateResult{NotDeactivated: []string{"ada"}, NotFound: []string{"ghost"}}},
		{"the recorded answer with only notFound", []string{"x"}, `{"notFound":["x"]}`,
			&ReactivateResult{NotFound: []string{"x"}}},
		{"every bucket, order sent", []string{"c", "b", "a"},
			`{"reactivatedUids":["a"],"nonDeactivatedUids":["b"],"notFound":["c"]}`,
			&ReactivateResult{Reactivated: []string{"a"}, NotDeactivated: []string{"b"}, NotFound: []string{"c"}}},
		{"uids not sent are dropped", []string{"ada"}, `{"reactivatedUids":["ada","mallory"]}`,
			&ReactivateResult{Reactivated: []string{"ada"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("PUT", "/users").Reply(200).BodyString(data(tt.answer))
			res, err := m.Users.Reactivate(context.Background(), tt.uids...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, res)
		})
	}
}

// A Deactivate/Reactivate answer that does not account for a uid sent is ErrInvalidResponse.
func TestUsersService_Deactivate_AnswerNotAccountingForAUIDIsInvalidResponse(t *testing.T) {
	answers := map[string]string{
		"one uid missing":         `{"deactivatedUids":["ada"]}`,
		"no bucket at all":        `{}`,
		"a bucket of other uids":  `{"notFound":["eve","mallory"]}`,
		"the other method's keys": `{"reactivatedUids":["ada","bob"]}`,
	}
	for name, answer := range answers {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("DELETE", "/users").Reply(200).BodyString(data(answer))
			res, err := m.Users.Deactivate(context.Background(), "ada", "bob")
			assert.Nil(t, res)
			assert.ErrorIs(t, err, ErrInvalidResponse)
			assert.Len(t, m.requests(), 1, "an invalid answer is not retried")
		})
	}
}

func TestUsersService_Reactivate_AnswerNotAccountingForAUIDIsInvalidResponse(t *testing.T) {
	answers := map[string]string{
		"one uid missing":         `{"reactivatedUids":["ada"]}`,
		"no bucket at all":        `{}`,
		"the other method's keys": `{"deactivatedUids":["ada","bob"]}`,
	}
	for name, answer := range answers {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("PUT", "/users").Reply(200).BodyString(data(answer))
			res, err := m.Users.Reactivate(context.Background(), "ada", "bob")
			assert.Nil(t, res)
			assert.ErrorIs(t, err, ErrInvalidResponse)
		})
	}
}

func TestUsersService_Deactivate_InvalidUIDsSendNothing(t *testing.T) {
	tests := []struct {
		name  string
		uids  []string
		field string
	}{
		{"no uid", nil, "uids"},
		{"an empty list", []string{}, "uids"},
		{"an empty uid", []string{"ada", ""}, "uids[1]"},
		{"a path", []string{"../x"}, "uids[0]"},
		{"a space", []string{"ada", "bob", "c d"}, "uids[2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t, WithMaxRetries(0))
			d, err := m.Users.Deactivate(context.Background(), tt.uids...)
			assert.Nil(t, d)
			usersRequireValidation(t, err, tt.field)
			r, err := m.Users.Reactivate(context.Background(), tt.uids...)
			assert.Nil(t, r)
			usersRequireValidation(t, err, tt.field)
			assert.Empty(t, m.requests())
		})
	}
}

// --- List ---

func TestUsersService_List_EncodesTheQuery(t *testing.T) {
	tests := []struct {
		name   string
		params *ListUsersParams
		want   url.Values
	}{
		{"nil params", nil, url.Values{}},
		{"zero params", &ListUsersParams{}, url.Values{}},
		{"false booleans are not sent", &ListUsersParams{WithTags: false, OnlyDeactivated: false, WithDeactivated: false}, url.Values{}},
		{"empty lists are not sent", &ListUsersParams{SearchIn: []string{}, Roles: []string{}, Tags: []string{}}, url.Values{}},
		{"every filter", &ListUsersParams{
			SearchKey: "geo", SearchIn: []string{"name", "uid"}, Status: StatusAvailable,
			Role: "default", Roles: []string{"admin", "manager"}, Tags: []string{"t1", "t2"},
			WithTags: true, OnlyDeactivated: true, WithDeactivated: true, PerPage: 5, Page: 2,
		}, url.Values{
			"searchKey": {"geo"}, "searchIn": {"name,uid"}, "status": {"available"},
			"role": {"default"}, "roles": {"admin,manager"}, "tags": {"t1,t2"},
			"withTags": {"true"}, "onlyDeactivated": {"true"}, "withDeactivated": {"true"},
			"perPage": {"5"}, "page": {"2"},
		}},
		{"one tag", &ListUsersParams{Tags: []string{"vip"}}, url.Values{"tags": {"vip"}}},
		{"offline", &ListUsersParams{Status: StatusOffline}, url.Values{"status": {"offline"}}},
		{"a search key with reserved characters", &ListUsersParams{SearchKey: "a b&c=d#e+f,g"}, url.Values{"searchKey": {"a b&c=d#e+f,g"}}},
		{"the largest page", &ListUsersParams{PerPage: 1000}, url.Values{"perPage": {"1000"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("GET", "/users").Reply(200).BodyString(usersListGeorge)

			_, err := m.Users.List(context.Background(), tt.params)
			require.NoError(t, err)
			req := m.last(t)
			assert.Equal(t, "GET", req.Method)
			assert.Equal(t, "/users", req.Path)
			assert.Equal(t, tt.want, req.Query)
			assert.Empty(t, req.Body)
			assert.Empty(t, req.Header.Values("onBehalfOf"))
		})
	}
}

func TestUsersService_List_DecodesTheRecordedAnswer(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users").Reply(200).BodyString(usersListGeorge)

	page, err := m.Users.List(context.Background(), &ListUsersParams{PerPage: 5}, OnBehalfOf("cometchat-uid-1"))
	require.NoError(t, err)

	assert.Equal(t, []string{"cometchat-uid-1"}, m.last(t).Header.Values("onBehalfOf"))
	assert.Equal(t, &UserPage{
		Users: []*User{{
			UID:       "cometchat-uid-2",
			Name:      "George Alan",
			Avatar:    "https://assets.cometchat.io/sampleapp/v2/users/cometchat-uid-2.webp",
			Status:    StatusOffline,
			Role:      "default",
			CreatedAt: usersUnix(1629869270),
			UpdatedAt: usersUnix(1630308676),
		}},
		Pagination: Pagination{Total: 25, Count: 5, PerPage: 5, CurrentPage: 1, TotalPages: 5},
		Cursor:     Cursor{UpdatedAt: usersUnix(1694667984), Affix: "prepend"},
	}, page)
	assert.Equal(t, time.UTC, page.Cursor.UpdatedAt.Location())
}

func TestUsersService_List_AcceptsTheCursorBesideMeta(t *testing.T) {
	m := newMock(t)
	// The OpenAPI example's shape: the cursor at the top level, not inside meta.
	m.on("GET", "/users").Reply(200).BodyString(`{"data":[` + userGeorge + `],"meta":{"pagination":{"total":1,"count":1,"per_page":100,"current_page":1,"total_pages":1}},"cursor":{"updatedAt":"1694667984","affix":"prepend"}}`)

	page, err := m.Users.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, page.Users, 1)
	assert.Equal(t, Pagination{Total: 1, Count: 1, PerPage: 100, CurrentPage: 1, TotalPages: 1}, page.Pagination)
	assert.Equal(t, Cursor{UpdatedAt: usersUnix(1694667984), Affix: "prepend"}, page.Cursor)
}

func TestUsersService_List_EmptyPageAndMissingMeta(t *testing.T) {
	tests := map[string]struct {
		body  string
		users []*User
		want  Pagination
	}{
		"an empty list": {`{"data":[],"meta":{"pagination":{"total":0,"count":0,"per_page":100,"current_page":1,"total_pages":0}}}`,
			[]*User{}, Pagination{PerPage: 100, CurrentPage: 1}},
		"no meta": {`{"data":[{"uid":"a","tags":["x"]}]}`, []*User{{UID: "a", Tags: []string{"x"}}}, Pagination{}},
		"pagination as strings": {`{"data":[],"meta":{"pagination":{"total":"7","count":"0","per_page":"5","current_page":"2","total_pages":"2"}}}`,
			[]*User{}, Pagination{Total: 7, PerPage: 5, CurrentPage: 2, TotalPages: 2}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("GET", "/users").Reply(200).BodyString(tt.body)
			page, err := m.Users.List(context.Background(), nil)
			require.NoError(t, err)
			require.NotNil(t, page)
			assert.Equal(t, tt.users, page.Users)
			assert.Equal(t, tt.want, page.Pagination)
			assert.Equal(t, Cursor{}, page.Cursor)
		})
	}
}

// usersListValidation are list params outside the documented sets, each with the field named in its error.
var usersListValidation = []struct {
	name   string
	params *ListUsersParams
	field  string
}{
	{"unknown status", &ListUsersParams{Status: "bogus"}, "status"},
	{"status in upper case", &ListUsersParams{Status: "Available"}, "status"},
	{"searchIn email", &ListUsersParams{SearchIn: []string{"email"}}, "searchIn[0]"},
	{"searchIn second value", &ListUsersParams{SearchIn: []string{"name", "UID"}}, "searchIn[1]"},
	{"role with a space", &ListUsersParams{Role: "team lead"}, "role"},
	{"roles with a slash", &ListUsersParams{Roles: []string{"admin", "a/b"}}, "roles[1]"},
	{"blank tag", &ListUsersParams{Tags: []string{"vip", " "}}, "tags[1]"},
	{"tag of 101 characters", &ListUsersParams{Tags: []string{strings.Repeat("t", 101)}}, "tags[0]"},
	{"negative perPage", &ListUsersParams{PerPage: -1}, "perPage"},
	{"perPage over 1000", &ListUsersParams{PerPage: 1001}, "perPage"},
	{"negative page", &ListUsersParams{Page: -1}, "page"},
	{"invalid onBehalfOf", nil, "onBehalfOf"},
}

// Users.List sends Status: "bogus" and SearchIn: ["email"] to the server; values outside the documented sets are
// *ValidationErrors before the network.
func TestUsersService_List_ValidationSendsNothing(t *testing.T) {
	for _, tt := range usersListValidation {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t, WithMaxRetries(0))
			var opts []RequestOption
			if tt.field == "onBehalfOf" {
				opts = append(opts, OnBehalfOf("a b"))
			}
			page, err := m.Users.List(context.Background(), tt.params, opts...)
			assert.Nil(t, page)
			usersRequireValidation(t, err, tt.field)
			assert.Empty(t, m.requests())
		})
	}
}

// --- All ---

func TestUsersService_All_WalksEveryPage(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users").Reply(200).BodyString(usersPage(1, 3, "a", "b"))
	m.on("GET", "/users").Reply(200).BodyString(usersPage(2, 3, "c", "d"))
	m.on("GET", "/users").Reply(200).BodyString(usersPage(3, 3, "e"))

	uids, errs := usersCollect(m.Users.All(context.Background(), &ListUsersParams{PerPage: 2, SearchKey: "x", WithTags: true}))
	assert.Empty(t, errs)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, uids)

	reqs := m.requests()
	require.Len(t, reqs, 3)
	for i, req := range reqs {
		assert.Equal(t, "GET", req.Method)
		assert.Equal(t, "/users", req.Path)
		assert.Equal(t, url.Values{
			"perPage": {"2"}, "searchKey": {"x"}, "withTags": {"true"}, "page": {strconv.Itoa(i + 1)},
		}, req.Query, "page %d", i+1)
	}
}

func TestUsersService_All_NilParamsStartsAtPageOne(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users").Reply(200).BodyString(usersPage(1, 1, "a"))

	uids, errs := usersCollect(m.Users.All(context.Background(), nil))
	assert.Empty(t, errs)
	assert.Equal(t, []string{"a"}, uids)
	assert.Equal(t, url.Values{"page": {"1"}}, m.last(t).Query)
}

func TestUsersService_All_StartsAtParamsPageAndCopiesParams(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users").Reply(200).BodyString(usersPage(3, 4, "c"))
	m.on("GET", "/users").Reply(200).BodyString(usersPage(4, 4, "d"))
	params := &ListUsersParams{PerPage: 1, Page: 3, Tags: []string{"vip"}}

	seq := m.Users.All(context.Background(), params)
	params.Page, params.PerPage = 7, 50 // changed after the call: All works on its copy
	uids, errs := usersCollect(seq)
	assert.Empty(t, errs)
	assert.Equal(t, []string{"c", "d"}, uids)

	reqs := m.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, url.Values{"perPage": {"1"}, "page": {"3"}, "tags": {"vip"}}, reqs[0].Query)
	assert.Equal(t, url.Values{"perPage": {"1"}, "page": {"4"}, "tags": {"vip"}}, reqs[1].Query)
	assert.Equal(t, &ListUsersParams{PerPage: 50, Page: 7, Tags: []string{"vip"}}, params, "All never writes to params")
}

func TestUsersService_All_SendsOnBehalfOfOnEveryPage(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users").Reply(200).BodyString(usersPage(1, 2, "a"))
	m.on("GET", "/users").Reply(200).BodyString(usersPage(2, 2, "b"))

	uids, errs := usersCollect(m.Users.All(context.Background(), &ListUsersParams{PerPage: 1}, OnBehalfOf("viewer")))
	assert.Empty(t, errs)
	assert.Equal(t, []string{"a", "b"}, uids)
	reqs := m.requests()
	require.Len(t, reqs, 2)
	for _, req := range reqs {
		assert.Equal(t, []string{"viewer"}, req.Header.Values("onBehalfOf"))
	}
}

func TestUsersService_All_BreakStopsFetching(t *testing.T) {
	m := newMock(t, WithMaxRetries(0))
	m.on("GET", "/users").Reply(200).BodyString(usersPage(1, 5, "a", "b"))

	var seen []string
	for u, err := range m.Users.All(context.Background(), &ListUsersParams{PerPage: 2}) {
		require.NoError(t, err)
		seen = append(seen, u.UID)
		break
	}
	assert.Equal(t, []string{"a"}, seen)
	assert.Len(t, m.requests(), 1, "no page is fetched after the loop breaks")
}

func TestUsersService_All_ValidationErrorYieldedOnce(t *testing.T) {
	for _, tt := range usersListValidation {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t, WithMaxRetries(0))
			var opts []RequestOption
			if tt.field == "onBehalfOf" {
				opts = append(opts, OnBehalfOf("a b"))
			}
			var yields int
			for u, err := range m.Users.All(context.Background(), tt.params, opts...) {
				yields++
				assert.Nil(t, u)
				usersRequireValidation(t, err, tt.field)
			}
			assert.Equal(t, 1, yields)
			assert.Empty(t, m.requests())
		})
	}
}

func TestUsersService_All_FailureYieldedOnceAfterTheItemsSoFar(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users").Reply(200).BodyString(usersPage(1, 3, "a", "b"))
	m.on("GET", "/users").Reply(403).BodyString(`{"error":{"message":"no","source":"chat-api","code":"AUTH_ERR_NO_ACCESS"}}`)

	var uids []string
	var errs []error
	for u, err := range m.Users.All(context.Background(), &ListUsersParams{PerPage: 2}) {
		if err != nil {
			assert.Nil(t, u)
			errs = append(errs, err)
			continue
		}
		uids = append(uids, u.UID)
	}
	assert.Equal(t, []string{"a", "b"}, uids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrNoAccess)
	assert.Len(t, m.requests(), 2, "nothing is fetched after a failure")
}

// --- every method ---

// usersCall is one Users method called with valid arguments; it returns its result (nil for Delete) and error.
type usersCall struct {
	name   string
	method string // what the mock must answer
	path   string
	call   func(ctx context.Context, s *UsersService) (any, error)
}

// usersFirst returns the first pair seq yields, and stops it.
func usersFirst(seq iter.Seq2[*User, error]) (*User, error) {
	for u, err := range seq {
		return u, err
	}
	return nil, nil
}

var usersCalls = []usersCall{
	{"Create", "POST", "/users", func(ctx context.Context, s *UsersService) (any, error) {
		return s.Create(ctx, &CreateUserParams{UID: "user_000", Name: "User Zero"})
	}},
	{"Get", "GET", "/users/user_000", func(ctx context.Context, s *UsersService) (any, error) {
		return s.Get(ctx, "user_000")
	}},
	{"Update", "PUT", "/users/user_000", func(ctx context.Context, s *UsersService) (any, error) {
		return s.Update(ctx, "user_000", &UpdateUserParams{Name: Ptr("Ada")})
	}},
	{"Delete", "DELETE", "/users/user_000", func(ctx context.Context, s *UsersService) (any, error) {
		return nil, s.Delete(ctx, "user_000", nil)
	}},
	{"Deactivate", "DELETE", "/users", func(ctx context.Context, s *UsersService) (any, error) {
		return s.Deactivate(ctx, "user_000")
	}},
	{"Reactivate", "PUT", "/users", func(ctx context.Context, s *UsersService) (any, error) {
		return s.Reactivate(ctx, "user_000")
	}},
	{"List", "GET", "/users", func(ctx context.Context, s *UsersService) (any, error) {
		return s.List(ctx, nil)
	}},
	{"All", "GET", "/users", func(ctx context.Context, s *UsersService) (any, error) {
		return usersFirst(s.All(ctx, nil))
	}},
}

// usersCallNamed returns the call of usersCalls named name.
func usersCallNamed(t *testing.T, name string) usersCall {
	t.Helper()
	for _, c := range usersCalls {
		if c.name == name {
			return c
		}
	}
	t.Fatalf("no call named %s", name)
	return usersCall{}
}

// usersIsNil reports whether a method's result is nil, typed or not.
func usersIsNil(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case *User:
		return v == nil
	case *UserPage:
		return v == nil
	case *DeactivateResult:
		return v == nil
	case *ReactivateResult:
		return v == nil
	}
	return false
}

// `{"data":null}`, `{}`, `null`, or a 200 carrying an error envelope used to make List, All, Deactivate and
// Reactivate succeed empty. That is ErrInvalidResponse, for every method that returns data; Delete returns none, so
// any 2xx is its success.
func TestUsersService_AnswerWithoutDataIsInvalidResponse(t *testing.T) {
	bodies := []string{
		`{"data":null}`,
		`{}`,
		`null`,
		``,
		`{"meta":{"pagination":{"total":1}}}`,
		usersErrUIDNotFound,
		`<html>OK</html>`,
	}
	for _, c := range usersCalls {
		for _, body := range bodies {
			t.Run(c.name+" "+body, func(t *testing.T) {
				m := newMock(t)
				m.on(c.method, c.path).Reply(200).BodyString(body)
				res, err := c.call(context.Background(), m.Users)
				assert.True(t, usersIsNil(res), "a failed call returns a nil result, got %#v", res)
				if c.name == "Delete" {
					assert.NoError(t, err)
					return
				}
				assert.ErrorIs(t, err, ErrInvalidResponse)
				assert.NotErrorIs(t, err, ErrUIDNotFound, "a 200 is not an API error, whatever its body")
				assert.Len(t, m.requests(), 1)
			})
		}
	}
}

func TestUsersService_WrongShapeIsInvalidResponse(t *testing.T) {
	tests := []struct {
		call string // a name in usersCalls
		body string
	}{
		{"Get", `{"data":[` + userGeorge + `]}`},                  // a list instead of a user
		{"Create", `{"data":"cometchat-uid-6"}`},                  // a string
		{"List", data(userGeorge)},                                // a user instead of a list
		{"All", `{"data":{"0":` + userGeorge + `}}`},              // an object of users
		{"Deactivate", `{"data":["user_000"]}`},                   // a list
		{"Reactivate", `{"data":{"reactivatedUids":"user_000"}}`}, // a string bucket
		{"Deactivate", `{"data":{"deactivatedUids":["user_000"]`}, // cut off
	}
	for _, tt := range tests {
		t.Run(tt.call+" "+tt.body, func(t *testing.T) {
			c := usersCallNamed(t, tt.call)
			m := newMock(t)
			m.on(c.method, c.path).Reply(200).BodyString(tt.body)
			res, err := c.call(context.Background(), m.Users)
			assert.True(t, usersIsNil(res), "got %#v", res)
			assert.ErrorIs(t, err, ErrInvalidResponse)
		})
	}
}

func TestUsersService_FailedCallReturnsNil(t *testing.T) {
	for _, c := range usersCalls {
		t.Run(c.name, func(t *testing.T) {
			m := newMock(t)
			m.on(c.method, c.path).Reply(404).BodyString(usersErrUIDNotFound)
			res, err := c.call(context.Background(), m.Users)
			assert.True(t, usersIsNil(res), "got %#v beside the error", res)
			require.ErrorIs(t, err, ErrUIDNotFound)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
			assert.Len(t, m.requests(), 1)
		})
	}
}

// A nil context used to panic; it must be an error.
func TestUsersService_NilContextIsAValidationError(t *testing.T) {
	var nilCtx context.Context
	for _, c := range usersCalls {
		t.Run(c.name, func(t *testing.T) {
			m := newMock(t, WithMaxRetries(0))
			var (
				res any
				err error
			)
			require.NotPanics(t, func() { res, err = c.call(nilCtx, m.Users) })
			assert.True(t, usersIsNil(res), "got %#v", res)
			usersRequireValidation(t, err, "ctx")
			assert.Empty(t, m.requests())
		})
	}
	t.Run("All yields it once", func(t *testing.T) {
		m := newMock(t, WithMaxRetries(0))
		uids, errs := usersCollect(m.Users.All(nilCtx, &ListUsersParams{PerPage: 5}))
		assert.Empty(t, uids)
		require.Len(t, errs, 1)
		usersRequireValidation(t, errs[0], "ctx")
		assert.Empty(t, m.requests())
	})
}

func TestPtr(t *testing.T) {
	p := Ptr("x")
	require.NotNil(t, p)
	assert.Equal(t, "x", *p)
	assert.NotSame(t, p, Ptr("x"), "every call returns a new pointer")
	v := 3
	q := Ptr(v)
	v = 4
	assert.Equal(t, 3, *q, "Ptr points to a copy")
}

// --- fuzz ---

// FuzzUsersService_GetDecodesAnyAnswer: any 200 body to Users.Get is either a *User or an error matching
// ErrInvalidResponse; never a panic, never both, never neither.
func FuzzUsersService_GetDecodesAnyAnswer(f *testing.F) {
	for _, s := range []string{
		data(userBarry),
		data(userGeorge),
		usersListGeorge,
		data(`{"uid":"user_000","name":"test","link":"https:\/\/foo.bar","metadata":"{\"email\":\"user@email.com\"}","createdAt":1694667000,"updatedAt":1694667984}`),
		data(`{"uid":"a","createdAt":"1694667984","updatedAt":1.5e9,"lastActiveAt":null,"metadata":[1]}`),
		data(`{"uid":"a","createdAt":1e400,"tags":"x","blockedByMe":"yes"}`),
		data(`{"uid":"\ud800"}`),
		"{\"data\":{\"uid\":\"\xff\"}}",
		usersErrUIDNotFound,
		`{"data":{"uid":"a"`,
		`{"data":null}`,
		`{}`,
		`null`,
		``,
		`<html>OK</html>`,
		`[]`,
		`{"data":[]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		m := newMock(t, WithMaxRetries(0))
		m.on("GET", "/users/user_000").Reply(200).BodyString(string(body))
		u, err := m.Users.Get(context.Background(), "user_000")
		switch {
		case err == nil && u == nil:
			t.Fatalf("nil user and nil error for %q", body)
		case err != nil && u != nil:
			t.Fatalf("user %+v beside error %v", u, err)
		case err != nil && !errors.Is(err, ErrInvalidResponse):
			t.Fatalf("error %v does not match ErrInvalidResponse", err)
		}
	})
}
