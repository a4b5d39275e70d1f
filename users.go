package cometchat

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"

	"github.com/gocometchat/cometchat/internal/wire"
)

// UsersService manages the users of the app. Get it from Client.Users; it is safe for concurrent use.
// Docs: https://www.cometchat.com/docs/rest-api/users
type UsersService service

// UserStatus is a user's presence.
type UserStatus string

// The presences CometChat reports.
const (
	StatusAvailable UserStatus = "available"
	StatusOffline   UserStatus = "offline"
)

// User is a CometChat user as the API returns it. Absent fields are zero: empty strings, nil maps and slices, the
// zero time.Time. Printing or logging a User (fmt's verbs, slog) shows AuthToken redacted; encoding it as JSON
// shows everything, AuthToken included.
type User struct {
	UID, Name, Avatar, Link, Role, StatusMessage string
	// Metadata is the user's custom JSON object; "@private" holds data only the user and the admin API see
	// (email, contactNumber).
	Metadata map[string]any
	Status   UserStatus
	// Tags come back from Create, Update and Get when set, and from lists only with ListUsersParams.WithTags.
	Tags []string
	// AuthToken is set only by Create with WithAuthToken: a secret that logs the user in on a device; hand it to
	// that user's app and nobody else.
	AuthToken     string
	CreatedAt     time.Time // zero when absent
	UpdatedAt     time.Time // zero until the first update
	LastActiveAt  time.Time
	DeactivatedAt time.Time
	// The fields below describe the user as a viewer sees them: they come with OnBehalfOf, and in the lists of
	// Friends and BlockedUsers.
	ConversationID string
	BlockedByMe    bool
	HasBlockedMe   bool
	BlockedByMeAt  time.Time
	BlockedAt      time.Time
}

// wireUser is the User object on the wire.
type wireUser struct {
	UID            string      `json:"uid"`
	Name           string      `json:"name"`
	Avatar         string      `json:"avatar"`
	Link           string      `json:"link"`
	Role           string      `json:"role"`
	StatusMessage  string      `json:"statusMessage"`
	Metadata       wire.Object `json:"metadata"`
	Status         string      `json:"status"`
	Tags           []string    `json:"tags"`
	AuthToken      string      `json:"authToken"`
	CreatedAt      wire.Time   `json:"createdAt"`
	UpdatedAt      wire.Time   `json:"updatedAt"`
	LastActiveAt   wire.Time   `json:"lastActiveAt"`
	DeactivatedAt  wire.Time   `json:"deactivatedAt"`
	ConversationID string      `json:"conversationId"`
	BlockedByMe    bool        `json:"blockedByMe"`
	HasBlockedMe   bool        `json:"hasBlockedMe"`
	BlockedByMeAt  wire.Time   `json:"blockedByMeAt"`
	BlockedAt      wire.Time   `json:"blockedAt"`
}

func (w *wireUser) identified() bool { return w.UID != "" }

func (w *wireUser) user() *User {
	return &User{
		UID:            w.UID,
		Name:           w.Name,
		Avatar:         w.Avatar,
		Link:           w.Link,
		Role:           w.Role,
		StatusMessage:  w.StatusMessage,
		Metadata:       w.Metadata,
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

// CreateUserParams is the body of Users.Create. UID and Name are required; empty optional fields are not sent.
type CreateUserParams struct {
	UID, Name, Avatar, Link, Role, StatusMessage string
	Metadata                                     map[string]any
	Tags                                         []string
	// WithAuthToken asks for an auth token in the answer (User.AuthToken).
	WithAuthToken bool
}

type createUserBody struct {
	UID           string          `json:"uid"`
	Name          string          `json:"name"`
	Avatar        string          `json:"avatar,omitempty"`
	Link          string          `json:"link,omitempty"`
	Role          string          `json:"role,omitempty"`
	StatusMessage string          `json:"statusMessage,omitempty"`
	Metadata      json.RawMessage `json:"metadata,omitempty"`
	Tags          []string        `json:"tags,omitempty"`
	WithAuthToken bool            `json:"withAuthToken,omitempty"`
}

// body validates p and returns what Create sends.
func (p *CreateUserParams) body() (*createUserBody, error) {
	if p == nil {
		return nil, invalid("params", "must not be nil")
	}
	meta, err := validateNewUser(p.UID, p.Name, userFields{
		avatar: ifSet(p.Avatar), link: ifSet(p.Link), role: ifSet(p.Role), metadata: p.Metadata, tags: p.Tags,
	})
	if err != nil {
		return nil, err
	}
	return &createUserBody{
		UID: p.UID, Name: p.Name, Avatar: p.Avatar, Link: p.Link, Role: p.Role, StatusMessage: p.StatusMessage,
		Metadata: nonEmpty(p.Metadata, meta), Tags: p.Tags, WithAuthToken: p.WithAuthToken,
	}, nil
}

// nonEmpty is the encoding of an optional object of a create: nil (not sent) when the object is empty.
func nonEmpty(m map[string]any, encoded json.RawMessage) json.RawMessage {
	if len(m) == 0 {
		return nil
	}
	return encoded
}

// Create creates a user (POST /users) and returns it as stored: the uid lowercased, role "default" unless given,
// and with WithAuthToken an auth token. A uid in use, a deactivated one included, fails with ErrUIDAlreadyExists;
// a role the app does not have with ErrRoleNotFound. params is required; it is validated before anything is
// sent. A POST is never sent twice once it may have reached the server.
// Docs: https://www.cometchat.com/docs/rest-api/users/create
func (s *UsersService) Create(ctx context.Context, params *CreateUserParams) (*User, error) {
	body, err := params.body()
	if err != nil {
		return nil, err
	}
	return getOne(ctx, s.client, http.MethodPost, "/users", body, (*wireUser).user)
}

// Get returns the user uid (GET /users/{uid}). An unknown or deactivated uid fails with ErrUIDNotFound. With
// OnBehalfOf the answer adds the viewer's fields (ConversationID, BlockedByMe, ...).
// Docs: https://www.cometchat.com/docs/rest-api/users/get
func (s *UsersService) Get(ctx context.Context, uid string, opts ...RequestOption) (*User, error) {
	if err := validateUID("uid", uid); err != nil {
		return nil, err
	}
	return getOne(ctx, s.client, http.MethodGet, pathOf("users", uid), nil, (*wireUser).user, opts...)
}

// UserField is a field that Users.Update can clear with Unset.
type UserField string

// The fields Update can clear.
const (
	UserFieldAvatar   UserField = "avatar"
	UserFieldLink     UserField = "link"
	UserFieldMetadata UserField = "metadata"
)

// UpdateUserParams is a partial update: a nil pointer, map or slice leaves the field unchanged; a non-nil Metadata
// or Tags, even empty, replaces it; Unset clears the listed fields on the server. A field cannot be both set and
// unset.
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
	Metadata      json.RawMessage `json:"metadata,omitempty"` // nil: not sent; "{}" replaces with nothing
	Tags          *[]string       `json:"tags,omitempty"`
	Unset         []UserField     `json:"unset,omitempty"`
}

// body validates p and returns what Update sends.
func (p *UpdateUserParams) body() (*updateUserBody, error) {
	if p == nil {
		return nil, invalid("params", "must not be nil")
	}
	if p.Name != nil {
		if err := validateText("name", *p.Name, maxNameLen); err != nil {
			return nil, err
		}
	}
	set := map[UserField]bool{UserFieldAvatar: p.Avatar != nil, UserFieldLink: p.Link != nil, UserFieldMetadata: p.Metadata != nil}
	for _, f := range p.Unset {
		wasSet, known := set[f]
		switch {
		case !known:
			return nil, invalid("unset", "must list only avatar, link or metadata")
		case wasSet:
			return nil, invalid(string(f), "cannot be both set and unset")
		}
	}
	meta, err := userFields{
		avatar: ifNotNil(p.Avatar), link: ifNotNil(p.Link), role: ifNotNil(p.Role), metadata: p.Metadata, tags: p.Tags,
	}.validate()
	if err != nil {
		return nil, err
	}
	b := &updateUserBody{
		Name: p.Name, Avatar: p.Avatar, Link: p.Link, Role: p.Role, StatusMessage: p.StatusMessage,
		Metadata: meta, Unset: p.Unset,
	}
	if p.Tags != nil {
		b.Tags = &p.Tags
	}
	return b, nil
}

// Update changes the user uid (PUT /users/{uid}) and returns it as stored, with UpdatedAt set. params is required
// (see UpdateUserParams for what nil and empty mean). An unknown or deactivated uid fails with ErrUIDNotFound.
// Docs: https://www.cometchat.com/docs/rest-api/users/update
func (s *UsersService) Update(ctx context.Context, uid string, params *UpdateUserParams) (*User, error) {
	if err := validateUID("uid", uid); err != nil {
		return nil, err
	}
	body, err := params.body()
	if err != nil {
		return nil, err
	}
	return getOne(ctx, s.client, http.MethodPut, pathOf("users", uid), body, (*wireUser).user)
}

// DeleteUserParams says how Users.Delete deletes.
type DeleteUserParams struct {
	// Permanent deletes the user with all their messages and conversations, irreversibly, and frees the uid.
	// false (and nil params): deactivate only.
	Permanent bool
}

// Delete deletes the user uid (DELETE /users/{uid}). By default (nil params or Permanent false) the user is only
// deactivated, as Deactivate does, and the uid stays taken; with Permanent the user and their data are gone for
// good, deactivated users included. A soft delete of an unknown or deactivated uid fails with ErrUIDNotFound. Any
// 2xx answer is success (the exact soft-delete body is UNCONFIRMED).
// Docs: https://www.cometchat.com/docs/rest-api/users/delete
func (s *UsersService) Delete(ctx context.Context, uid string, params *DeleteUserParams) error {
	if err := validateUID("uid", uid); err != nil {
		return err
	}
	var body any
	if params != nil && params.Permanent {
		body = map[string]bool{"permanent": true}
	}
	return s.client.Do(ctx, http.MethodDelete, pathOf("users", uid), nil, body, nil)
}

// DeactivateResult sorts the uids given to Users.Deactivate by outcome. Every uid given is in exactly one bucket,
// once, lowercased (the server's form), in the order given.
type DeactivateResult struct{ Deactivated, AlreadyDeactivated, NotFound []string }

// ReactivateResult sorts the uids given to Users.Reactivate by outcome, as DeactivateResult does.
type ReactivateResult struct{ Reactivated, NotDeactivated, NotFound []string }

type wireDeactivation struct {
	Deactivated        []string `json:"deactivatedUids"`
	AlreadyDeactivated []string `json:"alreadyDeactivatedUids"`
	NotFound           []string `json:"notFound"`
}

type wireReactivation struct {
	Reactivated    []string `json:"reactivatedUids"`
	NotDeactivated []string `json:"nonDeactivatedUids"`
	NotFound       []string `json:"notFound"`
}

// Deactivate deactivates users (DELETE /users): they can no longer log in or be fetched, their data is kept, and
// Reactivate undoes it. Unknown uids are reported in NotFound, not as an error. At least one uid is required; each
// is validated, and repeats (compared case-insensitively) are sent once. An answer that does not account for
// every uid is an error matching ErrInvalidResponse. CometChat's batch limit is UNCONFIRMED (older docs say 25), so
// the SDK sends the list as given and lets the server decide.
// Docs: https://www.cometchat.com/docs/rest-api/users/deactivate
func (s *UsersService) Deactivate(ctx context.Context, uids ...string) (*DeactivateResult, error) {
	uids, err := normalizeUIDs("uids", uids)
	if err != nil {
		return nil, err
	}
	w, err := getOne(ctx, s.client, http.MethodDelete, "/users", map[string][]string{"uidsToDeactivate": uids},
		func(w *wireDeactivation) *wireDeactivation { return w })
	if err != nil {
		return nil, err
	}
	b, err := sortBuckets(http.MethodDelete, uids, w.Deactivated, w.AlreadyDeactivated, w.NotFound)
	if err != nil {
		return nil, err
	}
	return &DeactivateResult{Deactivated: b[0], AlreadyDeactivated: b[1], NotFound: b[2]}, nil
}

// Reactivate reactivates deactivated users (PUT /users). Uids that were not deactivated or do not exist are
// reported in the result, not as an error. The rules of Deactivate apply.
// Docs: https://www.cometchat.com/docs/rest-api/users/reactivate
func (s *UsersService) Reactivate(ctx context.Context, uids ...string) (*ReactivateResult, error) {
	uids, err := normalizeUIDs("uids", uids)
	if err != nil {
		return nil, err
	}
	w, err := getOne(ctx, s.client, http.MethodPut, "/users", map[string][]string{"uidsToActivate": uids},
		func(w *wireReactivation) *wireReactivation { return w })
	if err != nil {
		return nil, err
	}
	b, err := sortBuckets(http.MethodPut, uids, w.Reactivated, w.NotDeactivated, w.NotFound)
	if err != nil {
		return nil, err
	}
	return &ReactivateResult{Reactivated: b[0], NotDeactivated: b[1], NotFound: b[2]}, nil
}

// sortBuckets puts each uid sent (lowercased, no repeats) into the first of the answer's buckets that names it,
// compared case-insensitively, keeping the order sent. An answer that names a uid in no bucket is invalid.
func sortBuckets(method string, sent []string, answer ...[]string) ([][]string, error) {
	out := make([][]string, len(answer))
	for _, uid := range sent {
		i := bucketOf(uid, answer)
		if i < 0 {
			return nil, &requestError{kind: ErrInvalidResponse,
				msg: fmt.Sprintf("%v: %s /users: the answer does not account for uid %s", ErrInvalidResponse, method, uid)}
		}
		out[i] = append(out[i], uid)
	}
	return out, nil
}

func bucketOf(uid string, buckets [][]string) int {
	for i, b := range buckets {
		for _, v := range b {
			if strings.EqualFold(v, uid) {
				return i
			}
		}
	}
	return -1
}

// ListUsersParams filters and pages Users.List and Users.All. Zero values are not sent; lists are sent
// comma-separated. nil params lists everyone with the server's defaults.
type ListUsersParams struct {
	// SearchKey matches, case-insensitively, the start of the uid or name.
	SearchKey string `url:"searchKey,omitempty"`
	// SearchIn restricts SearchKey to "name" and/or "uid".
	SearchIn []string `url:"searchIn,omitempty,comma"`
	// Status is StatusAvailable, StatusOffline or "" (any).
	Status UserStatus `url:"status,omitempty"`
	Role   string     `url:"role,omitempty"`
	Roles  []string   `url:"roles,omitempty,comma"`
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
	switch p.Status {
	case "", StatusAvailable, StatusOffline:
	default:
		return invalid("status", `must be "available", "offline" or empty`)
	}
	for i, f := range p.SearchIn {
		if f != "name" && f != "uid" {
			return invalid(fmt.Sprintf("searchIn[%d]", i), `must be "name" or "uid"`)
		}
	}
	if p.Role != "" {
		if err := validateUID("role", p.Role); err != nil {
			return err
		}
	}
	for i, r := range p.Roles {
		if err := validateUID(fmt.Sprintf("roles[%d]", i), r); err != nil {
			return err
		}
	}
	for i, t := range p.Tags {
		if err := validateText(fmt.Sprintf("tags[%d]", i), t, maxTagLen); err != nil {
			return err
		}
	}
	return validatePaging(p.PerPage, p.Page)
}

// UserPage is one page of users: from Users.List, Friends.List or BlockedUsers.List. Printing or logging it shows
// auth tokens redacted.
type UserPage struct {
	Users      []*User
	Pagination Pagination
	Cursor     Cursor
}

func userPage(p *page[User]) *UserPage {
	return &UserPage{Users: p.items, Pagination: p.pagination, Cursor: p.cursor}
}

// List returns one page of users (GET /users), newest first. Deactivated users are left out unless asked for.
// Use All to walk every page. Docs: https://www.cometchat.com/docs/rest-api/users/list
func (s *UsersService) List(ctx context.Context, params *ListUsersParams, opts ...RequestOption) (*UserPage, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	p, err := getPage(ctx, s.client, "/users", encodeQuery(params), (*wireUser).user, opts...)
	if err != nil {
		return nil, err
	}
	return userPage(p), nil
}

// All returns an iterator over every user matching params, page by page, starting at params.Page and holding one
// page in memory at a time:
//
//	for u, err := range client.Users.All(ctx, &cometchat.ListUsersParams{PerPage: 1000}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(u.UID)
//	}
//
// params is copied, so the caller may reuse it. Validation errors and failures are yielded once as (nil, err),
// after which the sequence ends; breaking out of the loop stops fetching. Paging stops at the last page, on an
// empty page, and on a server that repeats itself (see Pagination). The list is paged by offset, newest first:
// users created while iterating shift later pages, so a user may be seen twice; dedupe by UID if that matters.
func (s *UsersService) All(ctx context.Context, params *ListUsersParams, opts ...RequestOption) iter.Seq2[*User, error] {
	p := copyParams(params)
	if err := p.validate(); err != nil {
		return failed[User](err)
	}
	return paginate(ctx, p.Page, func(ctx context.Context, page int) (*page[User], error) {
		p.Page = page
		return getPage(ctx, s.client, "/users", encodeQuery(&p), (*wireUser).user, opts...)
	}, userKey)
}

func userKey(u *User) string { return u.UID }

// copyParams returns a copy of *params, or the zero value for nil.
func copyParams[P any](params *P) P {
	var p P
	if params != nil {
		p = *params
	}
	return p
}

// Ptr returns a pointer to v, for the optional fields of params: &cometchat.UpdateUserParams{Name:
// cometchat.Ptr("Ada")}.
func Ptr[T any](v T) *T { return &v }
