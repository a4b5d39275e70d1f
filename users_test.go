package cometchat

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

func TestUsersCreate_RequestAndSpecResponse(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPost)
		testQuery(t, r, nil)
		testJSONBody(t, r, `{
			"uid":"cometchat-uid-6","name":"Barry Allen","link":"https://cometchat.com",
			"avatar":"https://assets.cometchat.io/sampleapp/v2/groups/cometchat-guid-1.webp",
			"role":"manager","statusMessage":"Saving the day","tags":["Engineer","manager"],
			"metadata":{"@private":{"email":"barry@example.com"},"level":3},
			"withAuthToken":true}`)
		replyJSON(w, http.StatusOK, specBodyCreateUser)
	})

	u, err := client.Users.Create(context.Background(), &CreateUserParams{
		UID:           "cometchat-uid-6",
		Name:          "Barry Allen",
		Avatar:        "https://assets.cometchat.io/sampleapp/v2/groups/cometchat-guid-1.webp",
		Link:          "https://cometchat.com",
		Role:          "manager",
		StatusMessage: "Saving the day",
		Metadata:      map[string]any{"@private": map[string]any{"email": "barry@example.com"}, "level": 3},
		Tags:          []string{"Engineer", "manager"},
		WithAuthToken: true,
	})
	require.NoError(t, err)
	utAssertSpecCreatedUser(t, u)
}

// utAssertSpecCreatedUser checks the decoding of specBodyCreateUser.
func utAssertSpecCreatedUser(t *testing.T, u *User) {
	t.Helper()
	require.NotNil(t, u)
	assert.Equal(t, "cometchat-uid-6", u.UID)
	assert.Equal(t, "Barry Allen", u.Name)
	assert.Equal(t, "https://cometchat.com", u.Link)
	assert.Equal(t, "https://assets.cometchat.io/sampleapp/v2/groups/cometchat-guid-1.webp", u.Avatar)
	assert.Equal(t, StatusOffline, u.Status)
	assert.Equal(t, "manager", u.Role)
	assert.Equal(t, []string{"Engineer", "manager"}, u.Tags)
	assert.Equal(t, specAuthToken, u.AuthToken)
	utAssertUnix(t, 1638354015, u.CreatedAt, "CreatedAt")
	// Omitted on the wire: zero values.
	assert.True(t, u.UpdatedAt.IsZero(), "UpdatedAt absent: zero time")
	assert.True(t, u.LastActiveAt.IsZero())
	assert.True(t, u.DeactivatedAt.IsZero())
	assert.Empty(t, u.StatusMessage)
	assert.Nil(t, u.Metadata)
	assert.Empty(t, u.ConversationID)
	assert.False(t, u.BlockedByMe)
	assert.False(t, u.HasBlockedMe)
}

func TestUsersCreate_MinimalBodyHasOnlyWhatWasSet(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPost)
		testJSONBody(t, r, `{"uid":"user_000","name":"User Zero"}`)
		replyJSON(w, http.StatusOK, `{"data":{"uid":"user_000","name":"User Zero","status":"offline","role":"default","createdAt":1694667000}}`)
	})
	u, err := client.Users.Create(context.Background(), &CreateUserParams{UID: "user_000", Name: "User Zero"})
	require.NoError(t, err)
	assert.Equal(t, "user_000", u.UID)
	assert.Equal(t, "default", u.Role)
	assert.Empty(t, u.AuthToken, "no authToken unless asked")
	assert.Nil(t, u.Tags)
}

func TestUsersCreate_ServerEscapedSlashes(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusOK, utEscapeSlashes(specBodyCreateUser))
	})
	u, err := client.Users.Create(context.Background(), &CreateUserParams{UID: "cometchat-uid-6", Name: "Barry Allen"})
	require.NoError(t, err)
	utAssertSpecCreatedUser(t, u)
}

func TestUsersCreate_DuplicateUID(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var hits atomic.Int64
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		replyJSON(w, http.StatusBadRequest, specErrUIDAlreadyExists)
	})
	u, err := client.Users.Create(context.Background(), &CreateUserParams{UID: "user_000", Name: "User Zero"})
	assert.Nil(t, u)
	assert.ErrorIs(t, err, ErrUIDAlreadyExists)
	assert.Equal(t, int64(1), hits.Load(), "a 400 is not retried")
}

// TestUsersCreate_Gock checks the create call against the production host
// name through gock, on a dedicated intercepted http.Client.
func TestUsersCreate_Gock(t *testing.T) {
	// Not parallel: gock's mock registry is global.
	defer gock.Off()
	hc := &http.Client{}
	gock.InterceptClient(hc)
	defer gock.RestoreClient(hc)

	var sent []byte
	gock.New("https://myapp.api-eu.cometchat.io").
		Post("/v3/users").
		MatchHeader("apikey", "^"+setupAPIKey+"$").
		MatchHeader("Accept", "^application/json$").
		MatchHeader("Content-Type", "^application/json$").
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			b, err := io.ReadAll(r.Body)
			sent = b
			return true, err
		}).
		Reply(http.StatusOK).
		SetHeader("Content-Type", "application/json").
		BodyString(utEscapeSlashes(specBodyCreateUser))

	c, err := NewClient("myapp", RegionEU, setupAPIKey, WithHTTPClient(hc), WithMaxRetries(0))
	require.NoError(t, err)
	u, err := c.Users.Create(context.Background(), &CreateUserParams{
		UID: "cometchat-uid-6", Name: "Barry Allen", Role: "manager", WithAuthToken: true,
	})
	require.NoError(t, err)
	utAssertSpecCreatedUser(t, u)
	assert.True(t, gock.IsDone(), "the mock was called")
	testJSONBytes(t, sent, `{"uid":"cometchat-uid-6","name":"Barry Allen","role":"manager","withAuthToken":true}`)
}

func TestUsersGet_Request(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users/CometChat-UID-1", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testQuery(t, r, nil)
		testNoBody(t, r)
		testNoHeader(t, r, "onBehalfOf")
		replyJSON(w, http.StatusOK, `{"data":{"uid":"cometchat-uid-1","name":"Andrew Joseph","status":"available","role":"default","createdAt":1629869270}}`)
	})
	// Upper case is valid: the server lowercases.
	u, err := client.Users.Get(context.Background(), "CometChat-UID-1")
	require.NoError(t, err)
	assert.Equal(t, "cometchat-uid-1", u.UID)
	assert.Equal(t, StatusAvailable, u.Status)
}

func TestUsersGet_OnBehalfOfAndViewerFields(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users/cometchat-uid-2", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testHeader(t, r, "onBehalfOf", "cometchat-uid-1")
		replyJSON(w, http.StatusOK, `{"data":{"uid":"cometchat-uid-2","name":"George Alan",
			"avatar":"https:\/\/assets.cometchat.io\/sampleapp\/v2\/users\/cometchat-uid-2.webp",
			"link":"https:\/\/foo.bar","statusMessage":"Busy","status":"available","role":"default",
			"metadata":{"@private":{"email":"george@example.com","contactNumber":"0123456789"}},
			"tags":["vip"],"createdAt":1629869270,"updatedAt":1630308676,"lastActiveAt":1694667000,
			"conversationId":"cometchat-uid-1_user_cometchat-uid-2","blockedByMe":true,"hasBlockedMe":true,
			"blockedByMeAt":1694667984,"blockedAt":1694667985}}`)
	})
	u, err := client.Users.Get(context.Background(), "cometchat-uid-2", OnBehalfOf("cometchat-uid-1"))
	require.NoError(t, err)
	assert.Equal(t, "https://assets.cometchat.io/sampleapp/v2/users/cometchat-uid-2.webp", u.Avatar)
	assert.Equal(t, "https://foo.bar", u.Link)
	assert.Equal(t, "Busy", u.StatusMessage)
	assert.Equal(t, map[string]any{"@private": map[string]any{"email": "george@example.com", "contactNumber": "0123456789"}}, u.Metadata)
	assert.Equal(t, []string{"vip"}, u.Tags)
	utAssertUnix(t, 1629869270, u.CreatedAt, "CreatedAt")
	utAssertUnix(t, 1630308676, u.UpdatedAt, "UpdatedAt")
	utAssertUnix(t, 1694667000, u.LastActiveAt, "LastActiveAt")
	assert.True(t, u.DeactivatedAt.IsZero())
	assert.Equal(t, "cometchat-uid-1_user_cometchat-uid-2", u.ConversationID)
	assert.True(t, u.BlockedByMe)
	assert.True(t, u.HasBlockedMe)
}

func TestUsersGet_NotFound(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var hits atomic.Int64
	mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		replyJSON(w, http.StatusNotFound, specErrUIDNotFound)
	})
	u, err := client.Users.Get(context.Background(), "user_000")
	assert.Nil(t, u)
	require.ErrorIs(t, err, ErrUIDNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, int64(1), hits.Load(), "a 404 is not retried")
}

func TestUsersUpdate_Bodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *UpdateUserParams
		want   string
	}{
		{"nothing set", &UpdateUserParams{}, `{}`},
		{"name only", &UpdateUserParams{Name: Ptr("Ada")}, `{"name":"Ada"}`},
		{"spec example", &UpdateUserParams{Name: Ptr("test"), Link: Ptr("https://foo.bar"), Unset: []UserField{UserFieldAvatar}},
			`{"name":"test","link":"https://foo.bar","unset":["avatar"]}`},
		{"every field", &UpdateUserParams{
			Name: Ptr("Ada"), Avatar: Ptr("https://x.io/a.png"), Link: Ptr("http://x.io"), Role: Ptr("admin"),
			StatusMessage: Ptr("Coding"), Metadata: map[string]any{"k": "v"}, Tags: []string{"a", "b"},
		}, `{"name":"Ada","avatar":"https://x.io/a.png","link":"http://x.io","role":"admin","statusMessage":"Coding","metadata":{"k":"v"},"tags":["a","b"]}`},
		{"empty tags replace", &UpdateUserParams{Tags: []string{}}, `{"tags":[]}`},
		{"empty metadata replaces", &UpdateUserParams{Metadata: map[string]any{}}, `{"metadata":{}}`},
		{"nil tags and metadata unchanged", &UpdateUserParams{Tags: nil, Metadata: nil, Role: Ptr("default")}, `{"role":"default"}`},
		{"unset all three", &UpdateUserParams{Unset: []UserField{UserFieldAvatar, UserFieldLink, UserFieldMetadata}},
			`{"unset":["avatar","link","metadata"]}`},
		{"empty status message is sent when set", &UpdateUserParams{StatusMessage: Ptr("")}, `{"statusMessage":""}`},
		{"html is not escaped", &UpdateUserParams{StatusMessage: Ptr("<b>&</b>")}, `{"statusMessage":"<b>&</b>"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPut)
				testQuery(t, r, nil)
				body, err := io.ReadAll(r.Body)
				assert.NoError(t, err)
				testHeader(t, r, "Content-Type", "application/json")
				testJSONBytes(t, body, tt.want)
				if tt.name == "html is not escaped" {
					assert.NotContains(t, string(body), `\u003c`, "HTML escaping must be off")
				}
				replyJSON(w, http.StatusOK, `{"data":{"uid":"user_000","name":"Ada","createdAt":1694667000,"updatedAt":1694667984}}`)
			})
			u, err := client.Users.Update(context.Background(), "user_000", tt.params)
			require.NoError(t, err)
			assert.Equal(t, "user_000", u.UID)
			utAssertUnix(t, 1694667984, u.UpdatedAt, "UpdatedAt")
		})
	}
}

func TestUsersUpdate_ParamsNotMutated(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusOK, `{"data":{"uid":"user_000","name":"Ada"}}`)
	})
	p := &UpdateUserParams{Name: Ptr("Ada"), Tags: []string{}, Unset: []UserField{UserFieldLink}}
	_, err := client.Users.Update(context.Background(), "user_000", p)
	require.NoError(t, err)
	assert.Equal(t, "Ada", *p.Name)
	assert.NotNil(t, p.Tags)
	assert.Empty(t, p.Tags)
	assert.Nil(t, p.Metadata)
	assert.Equal(t, []UserField{UserFieldLink}, p.Unset)
}

func TestUsersUpdate_MetadataAsJSONStringAndOmittedFields(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"name":"test","link":"https://foo.bar","unset":["avatar"]}`)
		// The answer lacks avatar (unset), holds metadata as a JSON-encoded
		// string as CometChat's QA suite stores it, and escapes slashes.
		replyJSON(w, http.StatusOK, `{"data":{"uid":"user_000","name":"test","link":"https:\/\/foo.bar","metadata":"{\"email\":\"user@email.com\"}","status":"offline","role":"default","createdAt":1694667000,"updatedAt":1694667984}}`)
	})
	u, err := client.Users.Update(context.Background(), "user_000", &UpdateUserParams{
		Name: Ptr("test"), Link: Ptr("https://foo.bar"), Unset: []UserField{UserFieldAvatar},
	})
	require.NoError(t, err)
	assert.Equal(t, "test", u.Name)
	assert.Equal(t, "https://foo.bar", u.Link)
	assert.Empty(t, u.Avatar)
	assert.Equal(t, map[string]any{"email": "user@email.com"}, u.Metadata)
	utAssertUnix(t, 1694667000, u.CreatedAt, "CreatedAt")
	utAssertUnix(t, 1694667984, u.UpdatedAt, "UpdatedAt")
}

func TestUsersDelete_SoftAndPermanent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		params   *DeleteUserParams
		wantBody string // "" means no body
		reply    string
	}{
		{"nil params is soft", nil, "", specBodyDeleteSoft},
		{"Permanent false is soft", &DeleteUserParams{}, "", specBodyDeleteSoft},
		{"permanent", &DeleteUserParams{Permanent: true}, `{"permanent":true}`, specBodyDeletePermanent},
		{"any 200 body is success", nil, "", ``},
		{"unknown 200 body is success", nil, "", `{"data":{"something":"else"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			var hits atomic.Int64
			mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				testMethod(t, r, http.MethodDelete)
				testQuery(t, r, nil)
				if tt.wantBody == "" {
					testNoBody(t, r)
				} else {
					testJSONBody(t, r, tt.wantBody)
				}
				replyJSON(w, http.StatusOK, tt.reply)
			})
			require.NoError(t, client.Users.Delete(context.Background(), "user_000", tt.params))
			assert.Equal(t, int64(1), hits.Load())
		})
	}
}

func TestUsersDelete_NotFound(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusNotFound, specErrUIDNotFound)
	})
	err := client.Users.Delete(context.Background(), "user_000", nil)
	assert.ErrorIs(t, err, ErrUIDNotFound)
}

func TestUsersDeactivate(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodDelete)
		testQuery(t, r, nil)
		testJSONBody(t, r, `{"uidsToDeactivate":["Alice","bob","ghost"]}`)
		replyJSON(w, http.StatusOK, `{"data":{"deactivatedUids":["alice"],"alreadyDeactivatedUids":["bob"],"notFound":["ghost"]}}`)
	})
	res, err := client.Users.Deactivate(context.Background(), "Alice", "bob", "ghost")
	require.NoError(t, err)
	assert.Equal(t, &DeactivateResult{Deactivated: []string{"alice"}, AlreadyDeactivated: []string{"bob"}, NotFound: []string{"ghost"}}, res)
}

func TestUsersDeactivate_EmptyBucketsOmitted(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"uidsToDeactivate":["user_000"]}`)
		replyJSON(w, http.StatusOK, specBodyDeleteSoft)
	})
	res, err := client.Users.Deactivate(context.Background(), "user_000")
	require.NoError(t, err)
	assert.Equal(t, []string{"user_000"}, res.Deactivated)
	assert.Empty(t, res.AlreadyDeactivated)
	assert.Empty(t, res.NotFound)
}

func TestUsersReactivate(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPut)
		testQuery(t, r, nil)
		testJSONBody(t, r, `{"uidsToActivate":["alice","bob","x"]}`)
		replyJSON(w, http.StatusOK, `{"data":{"reactivatedUids":["alice"],"nonDeactivatedUids":["bob"],"notFound":["x"]}}`)
	})
	res, err := client.Users.Reactivate(context.Background(), "alice", "bob", "x")
	require.NoError(t, err)
	assert.Equal(t, &ReactivateResult{Reactivated: []string{"alice"}, NotDeactivated: []string{"bob"}, NotFound: []string{"x"}}, res)
}

func TestUsersReactivate_OnlyNotFound(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"uidsToActivate":["x"]}`)
		replyJSON(w, http.StatusOK, specBodyReactivateNotFound)
	})
	res, err := client.Users.Reactivate(context.Background(), "x")
	require.NoError(t, err)
	assert.Equal(t, []string{"x"}, res.NotFound)
	assert.Empty(t, res.Reactivated)
	assert.Empty(t, res.NotDeactivated)
}

func TestUsersList_Query(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *ListUsersParams
		want   url.Values
	}{
		{"nil params", nil, nil},
		{"zero params", &ListUsersParams{}, nil},
		{"false booleans are not sent", &ListUsersParams{WithTags: false, OnlyDeactivated: false, WithDeactivated: false}, nil},
		{"empty lists are not sent", &ListUsersParams{SearchIn: []string{}, Roles: []string{}, Tags: []string{}}, nil},
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
		{"single tag", &ListUsersParams{Tags: []string{"vip"}}, url.Values{"tags": {"vip"}}},
		{"offline status", &ListUsersParams{Status: StatusOffline}, url.Values{"status": {"offline"}}},
		{"search key is escaped", &ListUsersParams{SearchKey: "a b&c=d#e+f"}, url.Values{"searchKey": {"a b&c=d#e+f"}}},
		{"per page bounds", &ListUsersParams{PerPage: 1000}, url.Values{"perPage": {"1000"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testNoBody(t, r)
				testQuery(t, r, tt.want)
				testNoHeader(t, r, "onBehalfOf")
				replyJSON(w, http.StatusOK, specBodyListUsers)
			})
			_, err := client.Users.List(context.Background(), tt.params)
			require.NoError(t, err)
		})
	}
}

func TestUsersList_SpecResponse(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"as documented":        specBodyListUsers,
		"with escaped slashes": utEscapeSlashes(specBodyListUsers),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
				testHeader(t, r, "onBehalfOf", "cometchat-uid-1")
				replyJSON(w, http.StatusOK, body)
			})
			page, err := client.Users.List(context.Background(), &ListUsersParams{PerPage: 5}, OnBehalfOf("cometchat-uid-1"))
			require.NoError(t, err)
			require.Len(t, page.Users, 1)
			u := page.Users[0]
			assert.Equal(t, "cometchat-uid-2", u.UID)
			assert.Equal(t, "George Alan", u.Name)
			assert.Equal(t, "https://assets.cometchat.io/sampleapp/v2/users/cometchat-uid-2.webp", u.Avatar)
			assert.Equal(t, StatusOffline, u.Status)
			assert.Equal(t, "default", u.Role)
			utAssertUnix(t, 1629869270, u.CreatedAt, "CreatedAt")
			utAssertUnix(t, 1630308676, u.UpdatedAt, "UpdatedAt")
			assert.Nil(t, u.Tags, "tags only with withTags")
			assert.Empty(t, u.Link)
			assert.Nil(t, u.Metadata)

			assert.Equal(t, Pagination{Total: 25, Count: 5, PerPage: 5, CurrentPage: 1, TotalPages: 5}, page.Pagination)
			assert.Equal(t, "prepend", page.Cursor.Affix, "the cursor sits inside meta")
			utAssertUnix(t, 1694667984, page.Cursor.UpdatedAt, "Cursor.UpdatedAt")
		})
	}
}

func TestUsersList_CursorAtTopLevelAndEmptyList(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		// The OpenAPI example's shape: cursor beside meta; an empty list.
		replyJSON(w, http.StatusOK, `{"data":[],"meta":{"pagination":{"total":0,"count":0,"per_page":100,"current_page":1,"total_pages":0}},"cursor":{"updatedAt":1694667984,"affix":"prepend"}}`)
	})
	page, err := client.Users.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, page.Users)
	assert.Equal(t, Pagination{PerPage: 100, CurrentPage: 1}, page.Pagination)
	assert.Equal(t, "prepend", page.Cursor.Affix)
	utAssertUnix(t, 1694667984, page.Cursor.UpdatedAt, "Cursor.UpdatedAt")
}

func TestUsersList_WithTagsAndNoMeta(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, url.Values{"withTags": {"true"}})
		replyJSON(w, http.StatusOK, `{"data":[{"uid":"a","name":"A","tags":["x","y"],"deactivatedAt":1694667000},{"uid":"b","name":"B"}]}`)
	})
	page, err := client.Users.List(context.Background(), &ListUsersParams{WithTags: true})
	require.NoError(t, err)
	require.Len(t, page.Users, 2)
	assert.Equal(t, []string{"x", "y"}, page.Users[0].Tags)
	utAssertUnix(t, 1694667000, page.Users[0].DeactivatedAt, "DeactivatedAt")
	assert.True(t, page.Users[1].CreatedAt.IsZero(), "absent createdAt: zero time")
	assert.Equal(t, Pagination{}, page.Pagination, "no meta: zero Pagination")
	assert.Equal(t, Cursor{}, page.Cursor)
}

func TestUsersAll_OnBehalfOfOnEveryPage(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var hits atomic.Int64
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		testHeader(t, r, "onBehalfOf", "viewer")
		if n == 1 {
			replyJSON(w, http.StatusOK, `{"data":[{"uid":"a","name":"A"}],"meta":{"pagination":{"total":2,"count":1,"per_page":1,"current_page":1,"total_pages":2}}}`)
			return
		}
		replyJSON(w, http.StatusOK, `{"data":[{"uid":"b","name":"B"}],"meta":{"pagination":{"total":2,"count":1,"per_page":1,"current_page":2,"total_pages":2}}}`)
	})
	var uids []string
	for u, err := range client.Users.All(context.Background(), &ListUsersParams{PerPage: 1}, OnBehalfOf("viewer")) {
		require.NoError(t, err)
		uids = append(uids, u.UID)
	}
	assert.Equal(t, []string{"a", "b"}, uids)
	assert.Equal(t, int64(2), hits.Load())
}

// TestUsers_FailedCallReturnsNilResult: a failed call never returns a
// half-filled result beside its error.
func TestUsers_FailedCallReturnsNilResult(t *testing.T) {
	t.Parallel()
	client, mux, _ := setupWith(t, WithMaxRetries(0))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusNotFound, specErrUIDNotFound)
	})
	ctx := context.Background()
	calls := map[string]func() (any, error){
		"Create": func() (any, error) {
			return client.Users.Create(ctx, &CreateUserParams{UID: "user_000", Name: "N"})
		},
		"Get":               func() (any, error) { return client.Users.Get(ctx, "user_000") },
		"Update":            func() (any, error) { return client.Users.Update(ctx, "user_000", &UpdateUserParams{Name: Ptr("N")}) },
		"Deactivate":        func() (any, error) { return client.Users.Deactivate(ctx, "user_000") },
		"Reactivate":        func() (any, error) { return client.Users.Reactivate(ctx, "user_000") },
		"List":              func() (any, error) { return client.Users.List(ctx, nil) },
		"AuthTokens.Create": func() (any, error) { return client.AuthTokens.Create(ctx, "user_000", nil) },
		"AuthTokens.List":   func() (any, error) { return client.AuthTokens.List(ctx, "user_000", nil) },
		"AuthTokens.Get":    func() (any, error) { return client.AuthTokens.Get(ctx, "user_000", "tok") },
		"AuthTokens.Update": func() (any, error) { return client.AuthTokens.Update(ctx, "user_000", "tok", nil) },
	}
	for name, call := range calls {
		res, err := call()
		assert.ErrorIs(t, err, ErrUIDNotFound, name)
		assert.True(t, utIsNil(res), "%s returned %#v beside its error", name, res)
	}
	assert.ErrorIs(t, client.Users.Delete(ctx, "user_000", nil), ErrUIDNotFound)
	assert.ErrorIs(t, client.AuthTokens.Delete(ctx, "user_000", "tok"), ErrUIDNotFound)
	assert.ErrorIs(t, client.AuthTokens.Flush(ctx, "user_000"), ErrUIDNotFound)
}

// utIsNil reports whether v is nil or a nil pointer in an interface.
func utIsNil(v any) bool {
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
	case *AuthToken:
		return v == nil
	case *AuthTokenPage:
		return v == nil
	}
	return false
}

func TestUsers_WrongShapeIsInvalidResponse(t *testing.T) {
	t.Parallel()
	client, mux, _ := setupWith(t, WithMaxRetries(0))
	mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusOK, `{"data":[{"uid":"user_000"}]}`)
	})
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusOK, `{"data":{"uid":"user_000"}}`)
	})
	u, err := client.Users.Get(context.Background(), "user_000")
	assert.Nil(t, u)
	assert.ErrorIs(t, err, ErrInvalidResponse)
	page, err := client.Users.List(context.Background(), nil)
	assert.Nil(t, page)
	assert.ErrorIs(t, err, ErrInvalidResponse)
}

func TestUsers_MissingDataIsInvalidResponse(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{}`, `{"data":null}`, `null`, `{"meta":{}}`} {
		t.Run(body, func(t *testing.T) {
			t.Parallel()
			client, _ := utNewCannedClient(t, http.StatusOK, nil, body)
			u, err := client.Users.Get(context.Background(), "user_000")
			assert.Nil(t, u)
			assert.ErrorIs(t, err, ErrInvalidResponse)
			u, err = client.Users.Create(context.Background(), &CreateUserParams{UID: "user_000", Name: "N"})
			assert.Nil(t, u)
			assert.ErrorIs(t, err, ErrInvalidResponse)
		})
	}
}

func TestPtr(t *testing.T) {
	t.Parallel()
	p := Ptr("x")
	require.NotNil(t, p)
	assert.Equal(t, "x", *p)
	q := Ptr("x")
	assert.NotSame(t, p, q, "every call returns a new pointer")
	assert.Equal(t, 3, *Ptr(3))
}

func TestUser_DecodesTimestampsLeniently(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/users/float":
			replyJSON(w, http.StatusOK, `{"data":{"uid":"a","createdAt":1694667984.0,"updatedAt":"1694667985"}}`)
		case "/users/zero":
			replyJSON(w, http.StatusOK, `{"data":{"uid":"a","createdAt":0,"updatedAt":null,"lastActiveAt":"","metadata":"not json"}}`)
		}
	})
	u, err := client.Users.Get(context.Background(), "float")
	require.NoError(t, err)
	utAssertUnix(t, 1694667984, u.CreatedAt, "CreatedAt")
	utAssertUnix(t, 1694667985, u.UpdatedAt, "UpdatedAt")

	u, err = client.Users.Get(context.Background(), "zero")
	require.NoError(t, err)
	assert.True(t, u.CreatedAt.IsZero())
	assert.True(t, u.UpdatedAt.IsZero())
	assert.True(t, u.LastActiveAt.IsZero())
	assert.Nil(t, u.Metadata)
}

func TestUsers_ContextCanceledBeforeCall(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusOK, `{"data":{"uid":"user_000"}}`)
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	u, err := client.Users.Get(ctx, "user_000")
	assert.Nil(t, u)
	assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
}

func TestUsers_JSONNumbersInMetadataRoundTrip(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		var got map[string]any
		assert.NoError(t, json.NewDecoder(r.Body).Decode(&got))
		replyJSON(w, http.StatusOK, `{"data":{"uid":"a","name":"A","metadata":{"n":1.5,"nested":{"ok":true}}}}`)
	})
	u, err := client.Users.Create(context.Background(), &CreateUserParams{UID: "a", Name: "A", Metadata: map[string]any{"n": 1.5}})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"n": 1.5, "nested": map[string]any{"ok": true}}, u.Metadata)
}
