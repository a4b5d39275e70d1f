package cometchat

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"time"

	"github.com/gocometchat/cometchat/internal/wire"
)

// AuthTokensService manages the auth tokens that log users in from their apps. Get it from Client.AuthTokens; it
// is safe for concurrent use. Docs: https://www.cometchat.com/docs/rest-api/auth-tokens
type AuthTokensService service

// AuthToken is one of a user's auth tokens. Token is a secret: String, GoString, Format and LogValue show it
// redacted, so printing or logging an AuthToken (any fmt verb, slog) never reveals it; only the Token field holds
// it, and encoding the AuthToken as JSON shows it.
type AuthToken struct {
	UID       string
	Token     string // the "authToken" field: the secret itself
	CreatedAt time.Time
	Platform  string
	UserAgent string
	AppInfo   map[string]any
}

type wireAuthToken struct {
	UID       string    `json:"uid"`
	Token     string    `json:"authToken"`
	CreatedAt wire.Time `json:"createdAt"`
	Platform  string    `json:"platform"`
	UserAgent string    `json:"userAgent"`
	// AppInfo is an object; the OpenAPI file types it as a string, so a string holding JSON is accepted too
	// (UNCONFIRMED: no recording shows it). Anything else is dropped rather than failing the answer.
	AppInfo wire.Object `json:"appInfo"`
}

func (w *wireAuthToken) identified() bool { return w.Token != "" }

func (w *wireAuthToken) token() *AuthToken {
	return &AuthToken{
		UID: w.UID, Token: w.Token, CreatedAt: w.CreatedAt.Time(),
		Platform: w.Platform, UserAgent: w.UserAgent, AppInfo: w.AppInfo,
	}
}

// CreateAuthTokenParams is the body of AuthTokens.Create.
type CreateAuthTokenParams struct {
	// Force mints a new token even if the user has one; without it the user's newest active token comes back
	// when there is one.
	Force bool `json:"force,omitempty"`
}

// UpdateAuthTokenParams describes the device a token is used on. nil fields are left unchanged; a non-nil
// AppInfo, even empty, replaces the stored one.
type UpdateAuthTokenParams struct {
	Platform, UserAgent *string
	AppInfo             map[string]any
}

type updateTokenBody struct {
	Platform  *string         `json:"platform,omitempty"`
	UserAgent *string         `json:"userAgent,omitempty"`
	AppInfo   json.RawMessage `json:"appInfo,omitempty"` // nil: not sent
}

// body validates p and returns what Update sends; nil params send {}.
func (p *UpdateAuthTokenParams) body() (*updateTokenBody, error) {
	if p == nil {
		return &updateTokenBody{}, nil
	}
	info, err := validateObject("appInfo", p.AppInfo, 0)
	if err != nil {
		return nil, err
	}
	return &updateTokenBody{Platform: p.Platform, UserAgent: p.UserAgent, AppInfo: info}, nil
}

// ListAuthTokensParams pages AuthTokens.List and AuthTokens.All: PerPage 0 (server default, 100) or 1..1000, Page
// 0 (first) or more.
type ListAuthTokensParams struct {
	PerPage int `url:"perPage,omitempty"`
	Page    int `url:"page,omitempty"`
}

func (p *ListAuthTokensParams) validate() error {
	if p == nil {
		return nil
	}
	return validatePaging(p.PerPage, p.Page)
}

// AuthTokenPage is one page of AuthTokens.List. Printing or logging it shows every token redacted.
type AuthTokenPage struct {
	Tokens     []*AuthToken
	Pagination Pagination
}

// Create returns an auth token for the user uid (POST /users/{uid}/auth_tokens): with Force a new one, otherwise
// the user's newest active token if there is one (nil params: not forced). A user keeps at most 100 active
// tokens; CometChat archives the oldest past that. Docs: https://www.cometchat.com/docs/rest-api/auth-tokens/create
func (s *AuthTokensService) Create(ctx context.Context, uid string, params *CreateAuthTokenParams) (*AuthToken, error) {
	if err := validateUID("uid", uid); err != nil {
		return nil, err
	}
	body := copyParams(params)
	return getOne(ctx, s.client, http.MethodPost, pathOf("users", uid, "auth_tokens"), &body, (*wireAuthToken).token)
}

// List returns one page of the user's active tokens (GET /users/{uid}/auth_tokens), newest first. nil params:
// the first page with the server's page size. Docs: https://www.cometchat.com/docs/rest-api/auth-tokens/list
func (s *AuthTokensService) List(ctx context.Context, uid string, params *ListAuthTokensParams) (*AuthTokenPage, error) {
	if err := validateUID("uid", uid); err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	p, err := getPage(ctx, s.client, pathOf("users", uid, "auth_tokens"), encodeQuery(params), (*wireAuthToken).token)
	if err != nil {
		return nil, err
	}
	return &AuthTokenPage{Tokens: p.items, Pagination: p.pagination}, nil
}

// All returns an iterator over every active token of the user, page by page from params.Page, with the paging
// rules of UsersService.All: params is copied, a failure is yielded once as (nil, err), breaking the loop stops
// fetching.
func (s *AuthTokensService) All(ctx context.Context, uid string, params *ListAuthTokensParams) iter.Seq2[*AuthToken, error] {
	p := copyParams(params)
	if err := validateUID("uid", uid); err != nil {
		return failed[AuthToken](err)
	}
	if err := p.validate(); err != nil {
		return failed[AuthToken](err)
	}
	path := pathOf("users", uid, "auth_tokens")
	return paginate(ctx, p.Page, func(ctx context.Context, page int) (*page[AuthToken], error) {
		p.Page = page
		return getPage(ctx, s.client, path, encodeQuery(&p), (*wireAuthToken).token)
	}, func(t *AuthToken) string { return t.Token })
}

// Get returns one of the user's tokens (GET /users/{uid}/auth_tokens/{token}). An unknown token fails with
// ErrAuthTokenNotFound, an unknown user with ErrUIDNotFound.
// Docs: https://www.cometchat.com/docs/rest-api/auth-tokens/get
func (s *AuthTokensService) Get(ctx context.Context, uid, token string) (*AuthToken, error) {
	path, err := tokenPath(uid, token)
	if err != nil {
		return nil, err
	}
	return getOne(ctx, s.client, http.MethodGet, path, nil, (*wireAuthToken).token)
}

// Update records the device a token is used on (PUT /users/{uid}/auth_tokens/{token}): platform, user agent and
// app info. nil params changes nothing. Docs: https://www.cometchat.com/docs/rest-api/auth-tokens/update
func (s *AuthTokensService) Update(ctx context.Context, uid, token string, params *UpdateAuthTokenParams) (*AuthToken, error) {
	path, err := tokenPath(uid, token)
	if err != nil {
		return nil, err
	}
	body, err := params.body()
	if err != nil {
		return nil, err
	}
	return getOne(ctx, s.client, http.MethodPut, path, body, (*wireAuthToken).token)
}

// Delete revokes one token (DELETE /users/{uid}/auth_tokens/{token}), e.g. on logout or a lost device.
// Docs: https://www.cometchat.com/docs/rest-api/auth-tokens/delete
func (s *AuthTokensService) Delete(ctx context.Context, uid, token string) error {
	path, err := tokenPath(uid, token)
	if err != nil {
		return err
	}
	return s.client.Do(ctx, http.MethodDelete, path, nil, nil, nil)
}

// Flush revokes every token of the user (DELETE /users/{uid}/auth_tokens), e.g. after a password change: every
// device must log in again. Docs: https://www.cometchat.com/docs/rest-api/auth-tokens/flush
func (s *AuthTokensService) Flush(ctx context.Context, uid string) error {
	if err := validateUID("uid", uid); err != nil {
		return err
	}
	return s.client.Do(ctx, http.MethodDelete, pathOf("users", uid, "auth_tokens"), nil, nil, nil)
}

func tokenPath(uid, token string) (string, error) {
	if err := validateUID("uid", uid); err != nil {
		return "", err
	}
	if err := validateToken(token); err != nil {
		return "", err
	}
	return pathOf("users", uid, "auth_tokens", token), nil
}
