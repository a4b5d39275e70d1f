package cometchat

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Roles as the OpenAPI file's examples show them (users-adjacent-api.md §1), with the server's "\/" escapes.
const (
	roleManager = `{"role":"manager","name":"manager","description":"This role gives an update access","metadata":{"email":"managers@gmail.com","site":"https:\/\/example.com"},"settings":{"listUsers":"all","sendMessagesTo":"friendsOnly"},"createdAt":1638343994}`
	roleDefault = `{"role":"default","name":"Default","description":"Default role for all users","createdAt":1629869270,"updatedAt":1638343994}`
	roleDeleted = `{"data":{"success":true,"message":"Role manager has been deleted successfully."}}`
)

// managerRole is roleManager decoded.
func managerRole() *Role {
	return &Role{
		ID: "manager", Name: "manager", Description: "This role gives an update access",
		Metadata:  map[string]any{"email": "managers@gmail.com", "site": "https://example.com"},
		Settings:  &RoleSettings{ListUsers: VisibilityAll, SendMessagesTo: VisibilityFriendsOnly},
		CreatedAt: time.Unix(1638343994, 0).UTC(),
	}
}

// rolesPage is a list answer holding roles with the given ids.
func rolesPage(ids []string, page, totalPages int) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = `{"role":"` + id + `","name":"` + id + `","createdAt":1638343994}`
	}
	return `{"data":[` + strings.Join(items, ",") + `],"meta":{"pagination":{"total":` + strconv.Itoa(totalPages*len(ids)) +
		`,"count":` + strconv.Itoa(len(ids)) + `,"per_page":` + strconv.Itoa(len(ids)) + `,"current_page":` + strconv.Itoa(page) +
		`,"total_pages":` + strconv.Itoa(totalPages) + `}}}`
}

func roleError(code, message string) string {
	return `{"error":{"message":"` + message + `","devMessage":"` + message + `","source":"chat-api","code":"` + code + `"}}`
}

func TestRolesService_Create_SendsTheFieldsSet(t *testing.T) {
	tests := []struct {
		name   string
		params *CreateRoleParams
		want   string
	}{
		{"every field", &CreateRoleParams{
			ID: "manager", Name: "manager", Description: "This role gives an update access",
			Metadata: map[string]any{"email": "managers@gmail.com"},
			Settings: &RoleSettings{ListUsers: VisibilityAll, SendMessagesTo: VisibilityFriendsOnly},
		}, `{"role":"manager","name":"manager","description":"This role gives an update access","metadata":{"email":"managers@gmail.com"},"settings":{"listUsers":"all","sendMessagesTo":"friendsOnly"}}`},
		{"required fields only", &CreateRoleParams{ID: "manager", Name: "Manager"}, `{"role":"manager","name":"Manager"}`},
		{"one setting", &CreateRoleParams{ID: "manager", Name: "Manager", Settings: &RoleSettings{SendMessagesTo: VisibilityAll}},
			`{"role":"manager","name":"Manager","settings":{"sendMessagesTo":"all"}}`},
		{"id as given, the server lowercases", &CreateRoleParams{ID: "Team-Lead_2", Name: "Team lead"}, `{"role":"Team-Lead_2","name":"Team lead"}`},
		{"text as given", &CreateRoleParams{ID: "m", Name: "<Managers> & co", Description: "a/b"}, `{"role":"m","name":"<Managers> & co","description":"a/b"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("POST", "/roles").Reply(200).BodyString(data(roleManager))

			role, err := m.Roles.Create(context.Background(), tt.params)
			require.NoError(t, err)
			req := m.last(t)
			assert.Equal(t, http.MethodPost, req.Method)
			assert.Equal(t, "/roles", req.Path)
			assert.Empty(t, req.Query)
			assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
			assert.JSONEq(t, tt.want, req.Body)
			if strings.Contains(tt.want, "<") {
				assert.Contains(t, req.Body, "<Managers> & co", "text is not HTML-escaped")
			}
			assert.Len(t, m.requests(), 1)
			assert.Equal(t, managerRole(), role)
		})
	}
}

func TestRolesService_Create_AcceptsTheLimits(t *testing.T) {
	params := &CreateRoleParams{
		ID:          strings.Repeat("r", 100),
		Name:        strings.Repeat("é", 100), // 100 characters, 200 bytes
		Description: strings.Repeat("😀", 255), // 255 characters
		Metadata:    map[string]any{"big": strings.Repeat("x", 64<<10)},
	}
	m := newMock(t)
	m.on("POST", "/roles").Reply(200).BodyString(data(roleManager))

	_, err := m.Roles.Create(context.Background(), params)
	require.NoError(t, err)
	assert.Len(t, m.requests(), 1)
}

func TestRolesService_Create_RejectsInvalidParamsBeforeSending(t *testing.T) {
	valid := func(edit func(p *CreateRoleParams)) *CreateRoleParams {
		p := &CreateRoleParams{ID: "manager", Name: "Manager"}
		edit(p)
		return p
	}
	tests := []struct {
		name   string
		params *CreateRoleParams
		field  string
	}{
		{"nil params", nil, "params"},
		{"no id", valid(func(p *CreateRoleParams) { p.ID = "" }), "role"},
		{"id with a space", valid(func(p *CreateRoleParams) { p.ID = "team lead" }), "role"},
		{"id with a slash", valid(func(p *CreateRoleParams) { p.ID = "a/b" }), "role"},
		{"id with a dot", valid(func(p *CreateRoleParams) { p.ID = "a.b" }), "role"},
		{"id not ASCII", valid(func(p *CreateRoleParams) { p.ID = "rôle" }), "role"},
		{"id too long", valid(func(p *CreateRoleParams) { p.ID = strings.Repeat("r", 101) }), "role"},
		{"no name", valid(func(p *CreateRoleParams) { p.Name = "" }), "name"},
		{"blank name", valid(func(p *CreateRoleParams) { p.Name = " \t " }), "name"},
		{"name too long", valid(func(p *CreateRoleParams) { p.Name = strings.Repeat("é", 101) }), "name"},
		{"name not UTF-8", valid(func(p *CreateRoleParams) { p.Name = "a\xffb" }), "name"},
		{"description too long", valid(func(p *CreateRoleParams) { p.Description = strings.Repeat("d", 256) }), "description"},
		{"description not UTF-8", valid(func(p *CreateRoleParams) { p.Description = "\xc3" }), "description"},
		{"unknown listUsers", valid(func(p *CreateRoleParams) { p.Settings = &RoleSettings{ListUsers: "everyone"} }), "settings.listUsers"},
		{"listUsers in the wrong case", valid(func(p *CreateRoleParams) { p.Settings = &RoleSettings{ListUsers: "All"} }), "settings.listUsers"},
		{"unknown sendMessagesTo", valid(func(p *CreateRoleParams) {
			p.Settings = &RoleSettings{ListUsers: VisibilityAll, SendMessagesTo: "friendsonly"}
		}), "settings.sendMessagesTo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			role, err := m.Roles.Create(context.Background(), tt.params)
			assert.Nil(t, role)
			requireValidationField(t, err, tt.field)
			assert.Empty(t, m.requests())
		})
	}
}

func TestRolesService_Create_Errors(t *testing.T) {
	tests := map[string]struct {
		status  int
		answer  string
		is      error
		details map[string][]string
	}{
		"26th role": {402, roleError("ERR_PLAN_QUOTA_RESTRICTION", "You have reached the limit of roles for your plan."), ErrPlanQuota, nil},
		"rejected": {400, `{"error":{"message":"Failed to validate the data sent with the request.","source":"chat-api","code":"ERR_BAD_REQUEST","details":{"role":["The role has already been taken."]}}}`,
			ErrBadRequest, map[string][]string{"role": {"The role has already been taken."}}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("POST", "/roles").Reply(tt.status).BodyString(tt.answer)

			role, err := m.Roles.Create(context.Background(), &CreateRoleParams{ID: "manager", Name: "Manager"})
			assert.Nil(t, role)
			require.ErrorIs(t, err, tt.is)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.details, apiErr.Details)
			assert.Len(t, m.requests(), 1, "a POST that reached the server is not sent again")
		})
	}
}

func TestRolesService_Get_SendsAndDecodes(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/roles/default").Reply(200).BodyString(data(roleDefault))

	role, err := m.Roles.Get(context.Background(), "default")
	require.NoError(t, err)
	req := m.last(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, "/roles/default", req.Path)
	assert.Empty(t, req.Query)
	assert.Empty(t, req.Body)
	assert.Equal(t, &Role{
		ID: "default", Name: "Default", Description: "Default role for all users",
		CreatedAt: time.Unix(1629869270, 0).UTC(), UpdatedAt: time.Unix(1638343994, 0).UTC(),
	}, role, "no metadata, no settings: nil")
}

// TestRolesService_Get_DecodesLeniently: metadata may come back as a string holding JSON, as user metadata may;
// it is decoded the same way, and an unusable value never fails the answer.
func TestRolesService_Get_DecodesLeniently(t *testing.T) {
	tests := map[string]struct {
		metadata string
		want     map[string]any
	}{
		"object":                   {`{"a":1}`, map[string]any{"a": float64(1)}},
		"string holding an object": {`"{\"a\":1}"`, map[string]any{"a": float64(1)}},
		"string not holding JSON":  {`"a=1"`, nil},
		"array":                    {`[1]`, nil},
		"null":                     {`null`, nil},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("GET", "/roles/manager").Reply(200).
				BodyString(data(`{"role":"manager","name":"Manager","metadata":` + tt.metadata + `,"createdAt":"1638343994"}`))

			role, err := m.Roles.Get(context.Background(), "manager")
			require.NoError(t, err)
			assert.Equal(t, tt.want, role.Metadata)
			assert.Equal(t, "Manager", role.Name)
			assert.Equal(t, time.Unix(1638343994, 0).UTC(), role.CreatedAt, "a timestamp as a string is read too")
		})
	}
}

func TestRolesService_Get_NotFound(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/roles/ghost").Reply(404).BodyString(roleError("ERR_ROLE_NOT_FOUND", "The role ghost does not exist."))

	role, err := m.Roles.Get(context.Background(), "ghost")
	assert.Nil(t, role)
	require.ErrorIs(t, err, ErrRoleNotFound)
	assert.NotErrorIs(t, err, ErrUIDNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, "The role ghost does not exist.", apiErr.Message)
}

// TestRolesService_RoleID_RejectedBeforeSending: a role id follows the uid rules in Get, Update and Delete.
func TestRolesService_RoleID_RejectedBeforeSending(t *testing.T) {
	for name, id := range map[string]string{
		"empty":      "",
		"slash":      "a/b",
		"dot dot":    "..",
		"space":      "team lead",
		"query":      "a?b",
		"not ASCII":  "rôle",
		"too long":   strings.Repeat("r", 101),
		"percent":    "a%2Fb",
		"header cut": "a\r\nb",
	} {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			ctx := context.Background()
			role, err := m.Roles.Get(ctx, id)
			assert.Nil(t, role)
			requireValidationField(t, err, "role")
			role, err = m.Roles.Update(ctx, id, &UpdateRoleParams{Name: Ptr("Manager")})
			assert.Nil(t, role)
			requireValidationField(t, err, "role")
			requireValidationField(t, m.Roles.Delete(ctx, id), "role")
			assert.Empty(t, m.requests())
		})
	}
}

func TestRolesService_Update_SendsOnlyTheFieldsSet(t *testing.T) {
	tests := []struct {
		name   string
		params *UpdateRoleParams
		want   string
	}{
		{"nothing set", &UpdateRoleParams{}, `{}`},
		{"name only", &UpdateRoleParams{Name: Ptr("Managers")}, `{"name":"Managers"}`},
		{"empty description is sent", &UpdateRoleParams{Description: Ptr("")}, `{"description":""}`},
		{"empty metadata replaces", &UpdateRoleParams{Metadata: map[string]any{}}, `{"metadata":{}}`},
		{"metadata", &UpdateRoleParams{Metadata: map[string]any{"email": "managers@gmail.com"}}, `{"metadata":{"email":"managers@gmail.com"}}`},
		{"settings", &UpdateRoleParams{Settings: &RoleSettings{ListUsers: VisibilityFriendsOnly}}, `{"settings":{"listUsers":"friendsOnly"}}`},
		{"unset every field", &UpdateRoleParams{Unset: []RoleField{RoleFieldDescription, RoleFieldMetadata, RoleFieldSettings}},
			`{"unset":["description","metadata","settings"]}`},
		{"set some, unset others", &UpdateRoleParams{Name: Ptr("Managers"), Settings: &RoleSettings{SendMessagesTo: VisibilityAll}, Unset: []RoleField{RoleFieldMetadata}},
			`{"name":"Managers","settings":{"sendMessagesTo":"all"},"unset":["metadata"]}`},
		{"empty unset is not sent", &UpdateRoleParams{Name: Ptr("Managers"), Unset: []RoleField{}}, `{"name":"Managers"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("PUT", "/roles/manager").Reply(200).BodyString(data(roleManager))

			role, err := m.Roles.Update(context.Background(), "manager", tt.params)
			require.NoError(t, err)
			req := m.last(t)
			assert.Equal(t, http.MethodPut, req.Method)
			assert.Equal(t, "/roles/manager", req.Path)
			assert.Empty(t, req.Query)
			assert.JSONEq(t, tt.want, req.Body)
			assert.NotContains(t, req.Body, `"role"`, "the id is the path, not the body")
			assert.Equal(t, managerRole(), role)
		})
	}
}

func TestRolesService_Update_RejectsInvalidParamsBeforeSending(t *testing.T) {
	tests := []struct {
		name   string
		params *UpdateRoleParams
		field  string
	}{
		{"nil params", nil, "params"},
		{"description set and unset", &UpdateRoleParams{Description: Ptr("d"), Unset: []RoleField{RoleFieldDescription}}, "description"},
		{"empty description set and unset", &UpdateRoleParams{Description: Ptr(""), Unset: []RoleField{RoleFieldDescription}}, "description"},
		{"metadata set and unset", &UpdateRoleParams{Metadata: map[string]any{}, Unset: []RoleField{RoleFieldMetadata}}, "metadata"},
		{"settings set and unset", &UpdateRoleParams{Settings: &RoleSettings{}, Unset: []RoleField{RoleFieldSettings}}, "settings"},
		{"name cannot be unset", &UpdateRoleParams{Unset: []RoleField{"name"}}, "unset"},
		{"unknown field", &UpdateRoleParams{Unset: []RoleField{RoleFieldMetadata, "access"}}, "unset"},
		{"empty field", &UpdateRoleParams{Unset: []RoleField{""}}, "unset"},
		{"field in the wrong case", &UpdateRoleParams{Unset: []RoleField{"Settings"}}, "unset"},
		{"blank name", &UpdateRoleParams{Name: Ptr("  ")}, "name"},
		{"empty name", &UpdateRoleParams{Name: Ptr("")}, "name"},
		{"name too long", &UpdateRoleParams{Name: Ptr(strings.Repeat("n", 101))}, "name"},
		{"description too long", &UpdateRoleParams{Description: Ptr(strings.Repeat("é", 256))}, "description"},
		{"unknown listUsers", &UpdateRoleParams{Settings: &RoleSettings{ListUsers: "nobody"}}, "settings.listUsers"},
		{"unknown sendMessagesTo", &UpdateRoleParams{Settings: &RoleSettings{SendMessagesTo: "friends"}}, "settings.sendMessagesTo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			role, err := m.Roles.Update(context.Background(), "manager", tt.params)
			assert.Nil(t, role)
			requireValidationField(t, err, tt.field)
			assert.Empty(t, m.requests())
		})
	}
}

func TestRolesService_Update_AcceptsTheLimits(t *testing.T) {
	m := newMock(t)
	m.on("PUT", "/roles/manager").Reply(200).BodyString(data(roleManager))

	_, err := m.Roles.Update(context.Background(), "manager", &UpdateRoleParams{
		Name: Ptr(strings.Repeat("n", 100)), Description: Ptr(strings.Repeat("é", 255)),
	})
	require.NoError(t, err)
	assert.Len(t, m.requests(), 1)
}

func TestRolesService_Update_UnknownRole(t *testing.T) {
	m := newMock(t)
	m.on("PUT", "/roles/ghost").Reply(404).BodyString(roleError("ERR_ROLE_NOT_FOUND", "The role ghost does not exist."))

	role, err := m.Roles.Update(context.Background(), "ghost", &UpdateRoleParams{Name: Ptr("Ghost")})
	assert.Nil(t, role)
	assert.ErrorIs(t, err, ErrRoleNotFound)
}

func TestRolesService_Delete_SendsNoBody(t *testing.T) {
	m := newMock(t)
	m.on("DELETE", "/roles/manager").Reply(200).BodyString(roleDeleted)

	require.NoError(t, m.Roles.Delete(context.Background(), "manager"))
	req := m.last(t)
	assert.Equal(t, http.MethodDelete, req.Method)
	assert.Equal(t, "/roles/manager", req.Path)
	assert.Empty(t, req.Query)
	assert.Empty(t, req.Body)
	assert.Empty(t, req.Header.Get("Content-Type"))
	assert.Len(t, m.requests(), 1)
}

func TestRolesService_Delete_Errors(t *testing.T) {
	tests := map[string]struct {
		id     string
		status int
		answer string
		is     error
		isNot  error
	}{
		"the default role": {"default", 400, roleError("ERR_ROLE_DELETE_DENIED", "The default role can not be deleted."), ErrRoleDeleteDenied, ErrRoleNotFound},
		"an unknown role":  {"ghost", 404, roleError("ERR_ROLE_NOT_FOUND", "The role ghost does not exist."), ErrRoleNotFound, ErrRoleDeleteDenied},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("DELETE", "/roles/"+tt.id).Reply(tt.status).BodyString(tt.answer)

			err := m.Roles.Delete(context.Background(), tt.id)
			require.ErrorIs(t, err, tt.is)
			assert.NotErrorIs(t, err, tt.isNot)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Len(t, m.requests(), 1)
		})
	}
}

func TestRolesService_List_SendsPagingQuery(t *testing.T) {
	tests := []struct {
		name   string
		params *ListRolesParams
		want   url.Values
	}{
		{"nil params", nil, url.Values{}},
		{"zero params", &ListRolesParams{}, url.Values{}},
		{"per page and page", &ListRolesParams{PerPage: 5, Page: 2}, url.Values{"perPage": {"5"}, "page": {"2"}}},
		{"largest page", &ListRolesParams{PerPage: 1000}, url.Values{"perPage": {"1000"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("GET", "/roles").Reply(200).BodyString(rolesPage([]string{"default"}, 1, 1))

			_, err := m.Roles.List(context.Background(), tt.params)
			require.NoError(t, err)
			req := m.last(t)
			assert.Equal(t, http.MethodGet, req.Method)
			assert.Equal(t, "/roles", req.Path)
			assert.Equal(t, tt.want, req.Query)
			assert.Empty(t, req.Body)
		})
	}
}

func TestRolesService_List_DecodesRolesAndPagination(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/roles").Reply(200).BodyString(`{"data":[` + roleDefault + `,` + roleManager + `],` +
		`"meta":{"pagination":{"total":2,"count":2,"per_page":100,"current_page":1,"total_pages":1}}}`)

	page, err := m.Roles.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, page.Roles, 2)
	assert.Equal(t, "default", page.Roles[0].ID)
	assert.Equal(t, time.Unix(1638343994, 0).UTC(), page.Roles[0].UpdatedAt)
	assert.Nil(t, page.Roles[0].Settings)
	assert.Equal(t, managerRole(), page.Roles[1])
	assert.Equal(t, Pagination{Total: 2, Count: 2, PerPage: 100, CurrentPage: 1, TotalPages: 1}, page.Pagination)
}

func TestRolesService_ListAndAll_RejectInvalidPagingBeforeSending(t *testing.T) {
	for _, tt := range []struct {
		params *ListRolesParams
		field  string
	}{
		{&ListRolesParams{PerPage: -1}, "perPage"},
		{&ListRolesParams{PerPage: 1001}, "perPage"},
		{&ListRolesParams{Page: -2}, "page"},
	} {
		m := newMock(t)
		page, err := m.Roles.List(context.Background(), tt.params)
		assert.Nil(t, page)
		requireValidationField(t, err, tt.field)
		n := 0
		for role, err := range m.Roles.All(context.Background(), tt.params) {
			n++
			assert.Nil(t, role)
			requireValidationField(t, err, tt.field)
		}
		assert.Equal(t, 1, n)
		assert.Empty(t, m.requests())
	}
}

func TestRolesService_All_WalksEveryPage(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/roles").Reply(200).BodyString(rolesPage([]string{"default", "admin"}, 1, 3))
	m.on("GET", "/roles").Reply(200).BodyString(rolesPage([]string{"manager", "support"}, 2, 3))
	m.on("GET", "/roles").Reply(200).BodyString(rolesPage([]string{"guest"}, 3, 3))
	params := &ListRolesParams{PerPage: 2}

	var got []string
	for role, err := range m.Roles.All(context.Background(), params) {
		require.NoError(t, err)
		got = append(got, role.ID)
	}
	assert.Equal(t, []string{"default", "admin", "manager", "support", "guest"}, got)
	reqs := m.requests()
	require.Len(t, reqs, 3)
	for i, req := range reqs {
		assert.Equal(t, "/roles", req.Path)
		assert.Equal(t, url.Values{"perPage": {"2"}, "page": {strconv.Itoa(i + 1)}}, req.Query)
	}
	assert.Equal(t, ListRolesParams{PerPage: 2}, *params, "the caller's params are not changed")
}

func TestRolesService_All_StopsOnAServerThatRepeatsItself(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/roles").Reply(200).BodyString(rolesPage([]string{"default", "admin"}, 1, 50))
	m.on("GET", "/roles").Reply(200).BodyString(rolesPage([]string{"admin", "default"}, 2, 50))

	var got []string
	for role, err := range m.Roles.All(context.Background(), nil) {
		require.NoError(t, err)
		got = append(got, role.ID)
	}
	assert.Equal(t, []string{"default", "admin"}, got, "every role once")
	assert.Len(t, m.requests(), 2)
}

func TestRolesService_All_YieldsAFailureOnceAndStops(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/roles").Reply(200).BodyString(rolesPage([]string{"default"}, 1, 3))
	m.on("GET", "/roles").Reply(403).BodyString(roleError("AUTH_ERR_NO_ACCESS", "The key cannot be used to perform this operation."))

	var roles []*Role
	var errs []error
	for role, err := range m.Roles.All(context.Background(), nil) {
		roles, errs = append(roles, role), append(errs, err)
	}
	require.Len(t, errs, 2)
	assert.NoError(t, errs[0])
	assert.Equal(t, "default", roles[0].ID)
	assert.Nil(t, roles[1])
	assert.ErrorIs(t, errs[1], ErrNoAccess)
	assert.Len(t, m.requests(), 2)
}

// TestRolesService_AnswerWithoutDataIsInvalidResponse: a 2xx answer without the role (or the list) is an error
// matching ErrInvalidResponse, never an empty success.
func TestRolesService_AnswerWithoutDataIsInvalidResponse(t *testing.T) {
	calls := map[string]struct {
		method, path string
		list         bool
		call         func(c *Client) (any, error)
	}{
		"Create": {"POST", "/roles", false, func(c *Client) (any, error) {
			return c.Roles.Create(context.Background(), &CreateRoleParams{ID: "manager", Name: "Manager"})
		}},
		"Get": {"GET", "/roles/manager", false, func(c *Client) (any, error) {
			return c.Roles.Get(context.Background(), "manager")
		}},
		"Update": {"PUT", "/roles/manager", false, func(c *Client) (any, error) {
			return c.Roles.Update(context.Background(), "manager", &UpdateRoleParams{Name: Ptr("Managers")})
		}},
		"List": {"GET", "/roles", true, func(c *Client) (any, error) {
			return c.Roles.List(context.Background(), nil)
		}},
	}
	for name, c := range calls {
		for what, answer := range answersWithoutData(c.list) {
			t.Run(name+"/"+what, func(t *testing.T) {
				m := newMock(t)
				m.on(c.method, c.path).Reply(200).BodyString(answer)

				got, err := c.call(m.Client)
				assert.Nil(t, got)
				require.ErrorIs(t, err, ErrInvalidResponse)
				var apiErr *APIError
				assert.False(t, errors.As(err, &apiErr))
			})
		}
	}
}
