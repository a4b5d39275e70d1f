package cometchat

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"time"

	"github.com/google/go-querystring/query"
)

// UsersService manages the users of the app. Get it from Client.Users; it is
// safe for concurrent use. Docs: https://www.cometchat.com/docs/rest-api/users
type UsersService service

// UserStatus is a user's presence.
type UserStatus string

// The presences CometChat reports.
const (
	StatusAvailable UserStatus = "available"
	StatusOffline   UserStatus = "offline"
)

// User is a CometChat user as the API returns it. Absent fields are zero:
// empty strings, nil maps and slices, the zero time.Time.
type User struct {
	UID, Name, Avatar, Link, Role, StatusMessage string
	// Metadata is the user's custom JSON object; "@private" holds data only
	// the user and the admin API see (email, contactNumber).
	Metadata map[string]any
	Status   UserStatus
	// Tags come back from Create, Update and Get when set, and from lists
	// only with ListUsersParams.WithTags.
	Tags []string
	// AuthToken is set only by Create with WithAuthToken: a secret that logs
	// the user in on a device; hand it to that user's app and nobody else.
	AuthToken     string
	CreatedAt     time.Time // zero when absent
	UpdatedAt     time.Time // zero until the first update
	LastActiveAt  time.Time
	DeactivatedAt time.Time
	// The fields below come only with OnBehalfOf: they describe the user as
	// the viewer sees them.
	ConversationID string
	BlockedByMe    bool
	HasBlockedMe   bool
	BlockedByMeAt  time.Time
	BlockedAt      time.Time
}

// wireUser is the User object on the wire.
type wireUser struct {
	UID            string   `json:"uid"`
	Name           string   `json:"name"`
	Avatar         string   `json:"avatar"`
	Link           string   `json:"link"`
	Role           string   `json:"role"`
	StatusMessage  string   `json:"statusMessage"`
	Metadata       any      `json:"metadata"` // see metadataOf
	Status         string   `json:"status"`
	Tags           []string `json:"tags"`
	AuthToken      string   `json:"authToken"`
	CreatedAt      unixTime `json:"createdAt"`
	UpdatedAt      unixTime `json:"updatedAt"`
	LastActiveAt   unixTime `json:"lastActiveAt"`
	DeactivatedAt  unixTime `json:"deactivatedAt"`
	ConversationID string   `json:"conversationId"`
	BlockedByMe    bool     `json:"blockedByMe"`
	HasBlockedMe   bool     `json:"hasBlockedMe"`
	BlockedByMeAt  unixTime `json:"blockedByMeAt"`
	BlockedAt      unixTime `json:"blockedAt"`
}

func (w *wireUser) user() *User {
	return &User{
		UID:            w.UID,
		Name:           w.Name,
		Avatar:         w.Avatar,
		Link:           w.Link,
		Role:           w.Role,
		StatusMessage:  w.StatusMessage,
		Metadata:       metadataOf(w.Metadata),
		Status:         UserStatus(w.Status),
		Tags:           w.Tags,
		AuthToken:      w.AuthToken,
		CreatedAt:      w.CreatedAt.Time(),
		UpdatedAt:      w.UpdatedAt.Time(),
		LastActiveAt:   w.LastActiveAt.Time(),
		DeactivatedAt:  w.DeactivatedAt.Time(),
		ConversationID: w.ConversationID,
		BlockedByMe:    w.BlockedByMe,
		HasBlockedMe:   w.HasBlockedMe,
		BlockedByMeAt:  w.BlockedByMeAt.Time(),
		BlockedAt:      w.BlockedAt.Time(),
	}
}

// metadataOf turns decoded metadata into User.Metadata: a JSON object, or a
// string holding one (CometChat accepts metadata sent as a JSON-encoded
// string and may store it so). Any other shape is nil rather than failing
// the call (UNCONFIRMED what the server returns then: lenient). The field is
// decoded as any, not through an UnmarshalJSON method, because the decoder
// then builds the map in the same pass instead of handing the method bytes
// to parse a second time.
func metadataOf(v any) map[string]any {
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

// CreateUserParams is the body of Users.Create. UID and Name are required;
// empty optional fields are not sent.
type CreateUserParams struct {
	UID, Name, Avatar, Link, Role, StatusMessage string
	Metadata                                     map[string]any
	Tags                                         []string
	// WithAuthToken asks for an auth token in the answer (User.AuthToken).
	WithAuthToken bool
}

type createUserBody struct {
	UID           string         `json:"uid"`
	Name          string         `json:"name"`
	Avatar        string         `json:"avatar,omitempty"`
	Link          string         `json:"link,omitempty"`
	Role          string         `json:"role,omitempty"`
	StatusMessage string         `json:"statusMessage,omitempty"`
	Metadata      map[string]any `json:"metadata,omitempty"`
	Tags          []string       `json:"tags,omitempty"`
	WithAuthToken bool           `json:"withAuthToken,omitempty"`
}

// validate checks non-nil params. metadataShown skips the check of the
// metadata's size, which encodes it: the caller's encoded body already
// showed it within the limit (see metadataShown).
func (p *CreateUserParams) validate(metadataShown bool) error {
	return validateNewUser(p.UID, p.Name, userFields{
		avatar: setField(&p.Avatar), link: setField(&p.Link), role: setField(&p.Role),
		metadata: p.Metadata, hasMetadata: p.Metadata != nil && !metadataShown,
		tags: p.Tags, hasTags: p.Tags != nil,
	})
}

// Create creates a user (POST /users) and returns it as stored: the uid
// lowercased, role "default" unless given, and with WithAuthToken an auth
// token. A uid in use, a deactivated one included, fails with
// ErrUIDAlreadyExists. params is required; it is validated before anything
// is sent. A POST is never retried after it may have reached the server.
// Docs: https://www.cometchat.com/docs/rest-api/users/create
func (s *UsersService) Create(ctx context.Context, params *CreateUserParams) (*User, error) {
	if params == nil {
		return nil, errNilParams()
	}
	// Encoded before validating, so that validation can skip encoding the
	// metadata again. A pointer conversion, not a copy of the params into
	// an interface.
	cl, encErr := newCall(http.MethodPost, "/users", (*createUserBody)(params))
	if err := params.validate(metadataShown(cl, encErr)); err != nil {
		return nil, err
	}
	if encErr != nil {
		return nil, encErr
	}
	return s.client.fetchUser(ctx, cl)
}

func errNilParams() error { return invalid("params", "must not be nil") }

// metadataShown reports whether cl's encoded body proves the metadata it
// carries within the 5 KiB limit, so that validation need not encode the
// metadata a second time just to measure it: the metadata's JSON is part
// of the body's, encoded with the same settings, and the body (without its
// final newline) is no longer than the limit. A larger body, or one that
// failed to encode, proves nothing and the metadata is checked on its own.
func metadataShown(cl *call, encErr error) bool {
	return encErr == nil && len(cl.body)-1 <= maxMetadataLen
}

// fetchUser performs a call answered by one user.
func (c *Client) fetchUser(ctx context.Context, cl *call) (*User, error) {
	env, err := getData[*wireUser](ctx, c, cl)
	if err != nil {
		return nil, err
	}
	if env.Data == nil {
		return nil, missingData(cl)
	}
	return env.Data.user(), nil
}

// Get returns the user uid (GET /users/{uid}). An unknown or deactivated uid
// fails with ErrUIDNotFound. With OnBehalfOf the answer adds the viewer's
// fields (ConversationID, BlockedByMe, ...).
// Docs: https://www.cometchat.com/docs/rest-api/users/get
func (s *UsersService) Get(ctx context.Context, uid string, opts ...RequestOption) (*User, error) {
	if err := validateUID("uid", uid); err != nil {
		return nil, err
	}
	ro, err := collectRequestOptions(opts)
	if err != nil {
		return nil, err
	}
	cl := &call{method: http.MethodGet, path: pathOf("users", uid), onBehalfOf: ro.onBehalfOf}
	return s.client.fetchUser(ctx, cl)
}

// UserField is a field that Users.Update can clear with Unset.
type UserField string

// The fields Update can clear.
const (
	UserFieldAvatar   UserField = "avatar"
	UserFieldLink     UserField = "link"
	UserFieldMetadata UserField = "metadata"
)

// UpdateUserParams is a partial update: a nil pointer, map or slice leaves
// the field unchanged; a non-nil Metadata or Tags, even empty, replaces it;
// Unset clears the listed fields on the server. A field cannot be both set
// and unset.
type UpdateUserParams struct {
	Name, Avatar, Link, Role, StatusMessage *string
	Metadata                                map[string]any // nil: unchanged; non-nil (even empty): replace
	Tags                                    []string       // nil: unchanged; non-nil (even empty): replace
	Unset                                   []UserField
}

type updateUserBody struct {
	Name          *string         `json:"name,omitempty"`
	Avatar        *string         `json:"avatar,omitempty"`
	Link          *string         `json:"link,omitempty"`
	Role          *string         `json:"role,omitempty"`
	StatusMessage *string         `json:"statusMessage,omitempty"`
	Metadata      *map[string]any `json:"metadata,omitempty"`
	Tags          *[]string       `json:"tags,omitempty"`
	Unset         []UserField     `json:"unset,omitempty"`
}

// validate checks non-nil params; metadataShown is as for
// CreateUserParams.validate.
func (p *UpdateUserParams) validate(metadataShown bool) error {
	if p.Name != nil {
		if err := validateText("name", *p.Name, maxNameLen); err != nil {
			return err
		}
	}
	if err := p.validateUnset(); err != nil {
		return err
	}
	return userFields{
		avatar: p.Avatar, link: p.Link, role: p.Role,
		metadata: p.Metadata, hasMetadata: p.Metadata != nil && !metadataShown,
		tags: p.Tags, hasTags: p.Tags != nil,
	}.validate()
}

func (p *UpdateUserParams) validateUnset() error {
	for _, f := range p.Unset {
		set := false
		switch f {
		case UserFieldAvatar:
			set = p.Avatar != nil
		case UserFieldLink:
			set = p.Link != nil
		case UserFieldMetadata:
			set = p.Metadata != nil
		default:
			return invalid("unset", "must list only avatar, link or metadata")
		}
		if set {
			return invalid(string(f), "cannot be both set and unset")
		}
	}
	return nil
}

func (p *UpdateUserParams) body() updateUserBody {
	b := updateUserBody{
		Name: p.Name, Avatar: p.Avatar, Link: p.Link, Role: p.Role,
		StatusMessage: p.StatusMessage, Unset: p.Unset,
	}
	if p.Metadata != nil {
		b.Metadata = &p.Metadata
	}
	if p.Tags != nil {
		b.Tags = &p.Tags
	}
	return b
}

// Update changes the user uid (PUT /users/{uid}) and returns it as stored,
// with UpdatedAt set. params is required (see UpdateUserParams for what
// nil and empty mean). An unknown or deactivated uid fails with
// ErrUIDNotFound. Docs: https://www.cometchat.com/docs/rest-api/users/update
func (s *UsersService) Update(ctx context.Context, uid string, params *UpdateUserParams) (*User, error) {
	if err := validateUID("uid", uid); err != nil {
		return nil, err
	}
	if params == nil {
		return nil, errNilParams()
	}
	cl, encErr := newCall(http.MethodPut, pathOf("users", uid), params.body())
	if err := params.validate(metadataShown(cl, encErr)); err != nil {
		return nil, err
	}
	if encErr != nil {
		return nil, encErr
	}
	return s.client.fetchUser(ctx, cl)
}

// DeleteUserParams says how Users.Delete deletes.
type DeleteUserParams struct {
	// Permanent deletes the user with all their messages and conversations,
	// irreversibly, and frees the uid. false (and nil params): deactivate only.
	Permanent bool
}

type deleteUserBody struct {
	Permanent bool `json:"permanent"`
}

// Delete deletes the user uid (DELETE /users/{uid}). By default (nil params
// or Permanent false) the user is only deactivated, as Deactivate does, and
// the uid stays taken; with Permanent the user and their data are gone for
// good, deactivated users included. A soft delete of an unknown or
// deactivated uid fails with ErrUIDNotFound.
// Docs: https://www.cometchat.com/docs/rest-api/users/delete
func (s *UsersService) Delete(ctx context.Context, uid string, params *DeleteUserParams) error {
	if err := validateUID("uid", uid); err != nil {
		return err
	}
	var body any
	if params != nil && params.Permanent {
		body = deleteUserBody{Permanent: true}
	}
	cl, err := newCall(http.MethodDelete, pathOf("users", uid), body)
	if err != nil {
		return err
	}
	// Any 2xx is success: the exact soft-delete body is UNCONFIRMED.
	return s.client.do(ctx, cl, nil)
}

// DeactivateResult sorts the uids given to Users.Deactivate by outcome.
// NotFound echoes uids as sent; the others are lowercased by the server.
type DeactivateResult struct{ Deactivated, AlreadyDeactivated, NotFound []string }

// ReactivateResult sorts the uids given to Users.Reactivate by outcome.
type ReactivateResult struct{ Reactivated, NotDeactivated, NotFound []string }

// Deactivate deactivates users (DELETE /users): they can no longer log in or
// be fetched, their data is kept, and Reactivate undoes it. Unknown uids are
// reported in NotFound, not as an error. At least one uid is required; each
// is validated. CometChat's batch limit is UNCONFIRMED (older docs say 25),
// so the SDK sends the list as given and lets the server decide.
// Docs: https://www.cometchat.com/docs/rest-api/users/deactivate
func (s *UsersService) Deactivate(ctx context.Context, uids ...string) (*DeactivateResult, error) {
	if err := validateUIDs(uids); err != nil {
		return nil, err
	}
	cl, err := newCall(http.MethodDelete, "/users", struct {
		UIDs []string `json:"uidsToDeactivate"`
	}{uids})
	if err != nil {
		return nil, err
	}
	env, err := getData[struct {
		Deactivated        []string `json:"deactivatedUids"`
		AlreadyDeactivated []string `json:"alreadyDeactivatedUids"`
		NotFound           []string `json:"notFound"`
	}](ctx, s.client, cl)
	if err != nil {
		return nil, err
	}
	return (*DeactivateResult)(&env.Data), nil
}

// Reactivate reactivates deactivated users (PUT /users). Uids that were not
// deactivated or do not exist are reported in the result, not as an error.
// At least one uid is required; each is validated.
// Docs: https://www.cometchat.com/docs/rest-api/users/reactivate
func (s *UsersService) Reactivate(ctx context.Context, uids ...string) (*ReactivateResult, error) {
	if err := validateUIDs(uids); err != nil {
		return nil, err
	}
	cl, err := newCall(http.MethodPut, "/users", struct {
		UIDs []string `json:"uidsToActivate"`
	}{uids})
	if err != nil {
		return nil, err
	}
	env, err := getData[struct {
		Reactivated    []string `json:"reactivatedUids"`
		NotDeactivated []string `json:"nonDeactivatedUids"`
		NotFound       []string `json:"notFound"`
	}](ctx, s.client, cl)
	if err != nil {
		return nil, err
	}
	return (*ReactivateResult)(&env.Data), nil
}

// ListUsersParams filters and pages Users.List and Users.All. Zero values
// are not sent; lists are sent comma-separated. nil params lists everyone
// with the server's defaults.
type ListUsersParams struct {
	// SearchKey matches, case-insensitively, the start of the uid or name.
	SearchKey string `url:"searchKey,omitempty"`
	// SearchIn restricts SearchKey to "name" and/or "uid".
	SearchIn []string   `url:"searchIn,omitempty,comma"`
	Status   UserStatus `url:"status,omitempty"`
	Role     string     `url:"role,omitempty"`
	Roles    []string   `url:"roles,omitempty,comma"`
	// Tags matches users having any of the tags.
	Tags []string `url:"tags,omitempty,comma"`
	// WithTags includes each user's Tags in the answer.
	WithTags        bool `url:"withTags,omitempty"`
	OnlyDeactivated bool `url:"onlyDeactivated,omitempty"`
	WithDeactivated bool `url:"withDeactivated,omitempty"`
	PerPage         int  `url:"perPage,omitempty"` // 0: server default (100); 1..1000, else a *ValidationError
	Page            int  `url:"page,omitempty"`    // 0: first page; negative is a *ValidationError
}

func (p *ListUsersParams) validate() error {
	if p == nil {
		return nil
	}
	return validatePaging(p.PerPage, p.Page)
}

// pageSize is how many users a page holds at most: PerPage, or the server's
// default of 100.
func (p *ListUsersParams) pageSize() int {
	if p == nil || p.PerPage == 0 {
		return defaultPerPage
	}
	return p.PerPage
}

// defaultPerPage is the page size the server uses when none is sent.
const defaultPerPage = 100

// UserPage is one page of Users.List.
type UserPage struct {
	Users      []*User
	Pagination Pagination
	Cursor     Cursor
}

// List returns one page of users (GET /users), newest first. Deactivated
// users are left out unless asked for. Use All to walk every page.
// Docs: https://www.cometchat.com/docs/rest-api/users/list
func (s *UsersService) List(ctx context.Context, params *ListUsersParams, opts ...RequestOption) (*UserPage, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	ro, err := collectRequestOptions(opts)
	if err != nil {
		return nil, err
	}
	return s.list(ctx, params, ro)
}

func (s *UsersService) list(ctx context.Context, params *ListUsersParams, ro requestOptions) (*UserPage, error) {
	cl := &call{method: http.MethodGet, path: "/users", query: encodeQuery(params), onBehalfOf: ro.onBehalfOf}
	// Room for a full page up front: growing a slice of structs this size
	// one doubling at a time would allocate and copy the page twice over.
	env, err := getDataInto(ctx, s.client, cl, &envelope[[]wireUser]{Data: make([]wireUser, 0, params.pageSize())})
	if err != nil {
		return nil, err
	}
	page := &UserPage{
		Users:      make([]*User, len(env.Data)),
		Pagination: env.pagination(),
		Cursor:     env.cursor(),
	}
	for i := range env.Data {
		page.Users[i] = env.Data[i].user()
	}
	return page, nil
}

// All returns an iterator over every user matching params, page by page,
// starting at params.Page and holding one page in memory at a time:
//
//	for u, err := range client.Users.All(ctx, &cometchat.ListUsersParams{PerPage: 1000}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(u.UID)
//	}
//
// params is copied, so the caller may reuse it. Validation errors and
// failures are yielded once as (nil, err), after which the sequence ends;
// breaking out of the loop stops fetching. Paging stops at the last page,
// on an empty page, or when the server does not advance. The list is paged
// by offset, newest first: users created while iterating shift later pages,
// so a user may be seen twice; dedupe by UID if that matters.
func (s *UsersService) All(ctx context.Context, params *ListUsersParams, opts ...RequestOption) iter.Seq2[*User, error] {
	var p ListUsersParams
	if params != nil {
		p = *params
	}
	ro, err := collectRequestOptions(opts)
	if err == nil {
		err = p.validate()
	}
	if err != nil {
		return func(yield func(*User, error) bool) { yield(nil, err) }
	}
	fetch := func(ctx context.Context, page int) ([]*User, Pagination, error) {
		p.Page = page
		up, err := s.list(ctx, &p, ro)
		if err != nil {
			return nil, Pagination{}, err
		}
		return up.Users, up.Pagination, nil
	}
	return paginate(ctx, p.Page, fetch, func(u *User) string { return u.UID })
}

// Ptr returns a pointer to v, for the optional fields of params:
// &cometchat.UpdateUserParams{Name: cometchat.Ptr("Ada")}.
func Ptr[T any](v T) *T { return &v }

// encodeQuery encodes list params with go-querystring, from their url tags
// (zero values left out, lists comma-separated, keys sorted); nil encodes
// as "". The params types hold only strings, ints, bools and string slices,
// which go-querystring always encodes, so its error cannot happen.
func encodeQuery[P any](params *P) string {
	if params == nil {
		return ""
	}
	q, _ := query.Values(params)
	return q.Encode()
}

// missingData is the error of a 2xx answer without its "data".
func missingData(cl *call) error {
	return (&bodyError{decodeErr: errNoData, status: http.StatusOK}).wrap(cl)
}

var errNoData = errors.New(`answer has no "data"`)
