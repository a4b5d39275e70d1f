package cometchat

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"time"

	"github.com/gocometchat/cometchat/internal/wire"
)

// RolesService manages the app's roles: every user has one (User.Role, "default" unless given), and a role's
// settings govern what its users may do. Get it from Client.Roles; it is safe for concurrent use.
// Docs: https://www.cometchat.com/docs/rest-api/roles
type RolesService service

// RoleVisibility says whom a role's users may list or message.
type RoleVisibility string

// The visibilities CometChat knows.
const (
	VisibilityAll         RoleVisibility = "all"
	VisibilityFriendsOnly RoleVisibility = "friendsOnly"
)

func (v RoleVisibility) valid() bool {
	return v == "" || v == VisibilityAll || v == VisibilityFriendsOnly
}

// RoleSettings are a role's legacy access settings. An empty field is not sent. Whether Roles.Update merges
// settings into the stored ones or replaces them as a whole is UNCONFIRMED (cometchattest replaces them): send
// both fields to be sure, and clear settings with Unset (RoleFieldSettings), not with an empty RoleSettings.
type RoleSettings struct {
	ListUsers      RoleVisibility `json:"listUsers,omitempty"`      // whom the role's users may list
	SendMessagesTo RoleVisibility `json:"sendMessagesTo,omitempty"` // whom they may message
}

func (s *RoleSettings) validate() error {
	if s == nil {
		return nil
	}
	if !s.ListUsers.valid() {
		return invalid("settings.listUsers", `must be "all" or "friendsOnly"`)
	}
	if !s.SendMessagesTo.valid() {
		return invalid("settings.sendMessagesTo", `must be "all" or "friendsOnly"`)
	}
	return nil
}

// Role is a CometChat role as the API returns it.
type Role struct {
	ID          string // the "role" field: ≤100 chars of a-z 0-9 - _, lowercased by the server
	Name        string
	Description string
	Metadata    map[string]any
	Settings    *RoleSettings // nil when the role has none
	CreatedAt   time.Time
	UpdatedAt   time.Time // zero until the first update
}

type wireRole struct {
	ID          string        `json:"role"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Metadata    wire.Object   `json:"metadata"`
	Settings    *RoleSettings `json:"settings"`
	CreatedAt   wire.Time     `json:"createdAt"`
	UpdatedAt   wire.Time     `json:"updatedAt"`
}

func (w *wireRole) identified() bool { return w.ID != "" }

func (w *wireRole) role() *Role {
	return &Role{
		ID: w.ID, Name: w.Name, Description: w.Description, Metadata: w.Metadata,
		Settings: w.Settings, CreatedAt: w.CreatedAt.Time(), UpdatedAt: w.UpdatedAt.Time(),
	}
}

// CreateRoleParams is the body of Roles.Create. ID and Name are required; empty optional fields are not sent.
type CreateRoleParams struct {
	ID, Name, Description string
	Metadata              map[string]any
	Settings              *RoleSettings
}

type createRoleBody struct {
	ID          string          `json:"role"`
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Metadata    json.RawMessage `json:"metadata,omitempty"`
	Settings    *RoleSettings   `json:"settings,omitempty"`
}

// body validates p and returns what Create sends.
func (p *CreateRoleParams) body() (*createRoleBody, error) {
	if p == nil {
		return nil, invalid("params", "must not be nil")
	}
	if err := validateUID("role", p.ID); err != nil {
		return nil, err
	}
	if err := validateText("name", p.Name, maxRoleNameLen); err != nil {
		return nil, err
	}
	meta, err := validateRoleFields(&p.Description, p.Metadata, p.Settings)
	if err != nil {
		return nil, err
	}
	return &createRoleBody{ID: p.ID, Name: p.Name, Description: p.Description, Metadata: nonEmpty(p.Metadata, meta), Settings: p.Settings}, nil
}

// validateRoleFields checks the optional fields of a role and returns the metadata's encoding.
func validateRoleFields(description *string, metadata map[string]any, settings *RoleSettings) (json.RawMessage, error) {
	if description != nil {
		if err := validateLength("description", *description, maxDescriptionLen); err != nil {
			return nil, err
		}
	}
	if err := settings.validate(); err != nil {
		return nil, err
	}
	// No size limit: the docs disagree (none, or 1.6K characters); the server decides.
	return validateObject("metadata", metadata, 0)
}

// RoleField is a field that Roles.Update can clear with Unset.
type RoleField string

// The fields Roles.Update can clear.
const (
	RoleFieldDescription RoleField = "description"
	RoleFieldMetadata    RoleField = "metadata"
	RoleFieldSettings    RoleField = "settings"
)

// UpdateRoleParams is a partial update: a nil field is left unchanged; a non-nil Metadata, even empty, replaces
// it; Unset clears the listed fields. A field cannot be both set and unset.
type UpdateRoleParams struct {
	Name, Description *string
	Metadata          map[string]any // nil: unchanged; non-nil (even empty): replace
	Settings          *RoleSettings
	Unset             []RoleField
}

type updateRoleBody struct {
	Name        *string         `json:"name,omitempty"`
	Description *string         `json:"description,omitempty"`
	Metadata    json.RawMessage `json:"metadata,omitempty"` // nil: not sent
	Settings    *RoleSettings   `json:"settings,omitempty"`
	Unset       []RoleField     `json:"unset,omitempty"`
}

// body validates p and returns what Update sends.
func (p *UpdateRoleParams) body() (*updateRoleBody, error) {
	if p == nil {
		return nil, invalid("params", "must not be nil")
	}
	if p.Name != nil {
		if err := validateText("name", *p.Name, maxRoleNameLen); err != nil {
			return nil, err
		}
	}
	set := map[RoleField]bool{RoleFieldDescription: p.Description != nil, RoleFieldMetadata: p.Metadata != nil, RoleFieldSettings: p.Settings != nil}
	for _, f := range p.Unset {
		wasSet, known := set[f]
		switch {
		case !known:
			return nil, invalid("unset", "must list only description, metadata or settings")
		case wasSet:
			return nil, invalid(string(f), "cannot be both set and unset")
		}
	}
	meta, err := validateRoleFields(p.Description, p.Metadata, p.Settings)
	if err != nil {
		return nil, err
	}
	return &updateRoleBody{Name: p.Name, Description: p.Description, Metadata: meta, Settings: p.Settings, Unset: p.Unset}, nil
}

// ListRolesParams pages Roles.List and Roles.All: PerPage 0 (server default, 100) or 1..1000, Page 0 (first) or
// more.
type ListRolesParams struct {
	PerPage int `url:"perPage,omitempty"`
	Page    int `url:"page,omitempty"`
}

func (p *ListRolesParams) validate() error {
	if p == nil {
		return nil
	}
	return validatePaging(p.PerPage, p.Page)
}

// RolePage is one page of Roles.List.
type RolePage struct {
	Roles      []*Role
	Pagination Pagination
}

// Create creates a role (POST /roles) and returns it as stored, its ID lowercased. params is required; it is
// validated before anything is sent. An app has at most 25 roles, "default" included (past that: ErrPlanQuota).
// Docs: https://www.cometchat.com/docs/rest-api/roles/create
func (s *RolesService) Create(ctx context.Context, params *CreateRoleParams) (*Role, error) {
	body, err := params.body()
	if err != nil {
		return nil, err
	}
	return getOne(ctx, s.client, http.MethodPost, "/roles", body, (*wireRole).role)
}

// Get returns the role id (GET /roles/{role}); an unknown id fails with ErrRoleNotFound.
// Docs: https://www.cometchat.com/docs/rest-api/roles/get
func (s *RolesService) Get(ctx context.Context, id string) (*Role, error) {
	if err := validateUID("role", id); err != nil {
		return nil, err
	}
	return getOne(ctx, s.client, http.MethodGet, pathOf("roles", id), nil, (*wireRole).role)
}

// Update changes the role id (PUT /roles/{role}) and returns it as stored. params is required (see
// UpdateRoleParams for what nil and empty mean). Docs: https://www.cometchat.com/docs/rest-api/roles/update
func (s *RolesService) Update(ctx context.Context, id string, params *UpdateRoleParams) (*Role, error) {
	if err := validateUID("role", id); err != nil {
		return nil, err
	}
	body, err := params.body()
	if err != nil {
		return nil, err
	}
	return getOne(ctx, s.client, http.MethodPut, pathOf("roles", id), body, (*wireRole).role)
}

// Delete deletes the role id (DELETE /roles/{role}). The "default" role cannot be deleted: ErrRoleDeleteDenied.
// What happens to the users holding a deleted role is UNCONFIRMED (cometchattest gives them "default").
// Docs: https://www.cometchat.com/docs/rest-api/roles/delete
func (s *RolesService) Delete(ctx context.Context, id string) error {
	if err := validateUID("role", id); err != nil {
		return err
	}
	return s.client.Do(ctx, http.MethodDelete, pathOf("roles", id), nil, nil, nil)
}

// List returns one page of the app's roles (GET /roles). Docs: https://www.cometchat.com/docs/rest-api/roles/list
func (s *RolesService) List(ctx context.Context, params *ListRolesParams) (*RolePage, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	p, err := getPage(ctx, s.client, "/roles", encodeQuery(params), (*wireRole).role)
	if err != nil {
		return nil, err
	}
	return &RolePage{Roles: p.items, Pagination: p.pagination}, nil
}

// All returns an iterator over every role, page by page from params.Page, with the paging rules of
// UsersService.All.
func (s *RolesService) All(ctx context.Context, params *ListRolesParams) iter.Seq2[*Role, error] {
	p := copyParams(params)
	if err := p.validate(); err != nil {
		return failed[Role](err)
	}
	return paginate(ctx, p.Page, func(ctx context.Context, page int) (*page[Role], error) {
		p.Page = page
		return getPage(ctx, s.client, "/roles", encodeQuery(&p), (*wireRole).role)
	}, func(r *Role) string { return r.ID })
}
