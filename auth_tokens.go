package cometchat

import (
	"context"
	"iter"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AuthTokensService manages the auth tokens that log users in from their
// apps. Get it from Client.AuthTokens; it is safe for concurrent use.
// Docs: https://www.cometchat.com/docs/rest-api/auth-tokens
type AuthTokensService service

// AuthToken is one of a user's auth tokens. Token is a secret: String,
// GoString and LogValue show it redacted, so printing or logging an
// AuthToken (%v, %+v, %#v, slog) never reveals it; only the Token field
// holds it.
type AuthToken struct {
	UID       string
	Token     string // the "authToken" field: the secret itself
	CreatedAt time.Time
	Platform  string
	UserAgent string
	AppInfo   map[string]any
}

type wireAuthToken struct {
	UID       string         `json:"uid"`
	Token     string         `json:"authToken"`
	CreatedAt unixTime       `json:"createdAt"`
	Platform  string         `json:"platform"`
	UserAgent string         `json:"userAgent"`
	AppInfo   map[string]any `json:"appInfo"`
}

func (w *wireAuthToken) token() *AuthToken {
	return &AuthToken{
		UID: w.UID, Token: w.Token, CreatedAt: w.CreatedAt.Time(),
		Platform: w.Platform, UserAgent: w.UserAgent, AppInfo: w.AppInfo,
	}
}

// redactToken keeps what identifies a token without revealing it: the uid
// part and the first digits of the creation time ("user_000_1694…[redacted]"
// for "user_000_1694..."). Nothing is shown unless at least 16 characters
// stay hidden.
func redactToken(token string) string {
	if token == "" {
		return ""
	}
	keep := strings.LastIndexByte(token, '_') + 1 + 4
	if len(token)-keep < 16 || !utf8.ValidString(token[:keep]) {
		return redacted
	}
	return token[:keep] + "…" + redacted
}

// String shows the token's fields with Token redacted.
func (t AuthToken) String() string {
	s := "AuthToken{UID: " + t.UID + ", Token: " + redactToken(t.Token)
	if !t.CreatedAt.IsZero() {
		s += ", CreatedAt: " + t.CreatedAt.UTC().Format(time.RFC3339)
	}
	if t.Platform != "" {
		s += ", Platform: " + t.Platform
	}
	if t.UserAgent != "" {
		s += ", UserAgent: " + strconv.Quote(t.UserAgent)
	}
	return s + "}"
}

// GoString is String, so %#v never reveals the token either.
func (t AuthToken) GoString() string { return "cometchat." + t.String() }

// LogValue renders the token for slog as a group with Token redacted.
func (t AuthToken) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("uid", t.UID), slog.String("token", redactToken(t.Token))}
	if !t.CreatedAt.IsZero() {
		attrs = append(attrs, slog.Time("createdAt", t.CreatedAt))
	}
	if t.Platform != "" {
		attrs = append(attrs, slog.String("platform", t.Platform))
	}
	return slog.GroupValue(attrs...)
}

// CreateAuthTokenParams is the body of AuthTokens.Create.
type CreateAuthTokenParams struct {
	// Force mints a new token even if the user has one; without it the
	// user's newest active token comes back when there is one.
	Force bool
}

type createTokenBody struct {
	Force bool `json:"force,omitempty"`
}

// UpdateAuthTokenParams describes the device a token is used on. nil
// fields are left unchanged; a non-nil AppInfo replaces the stored one.
type UpdateAuthTokenParams struct {
	Platform, UserAgent *string
	AppInfo             map[string]any
}

type updateTokenBody struct {
	Platform  *string         `json:"platform,omitempty"`
	UserAgent *string         `json:"userAgent,omitempty"`
	AppInfo   *map[string]any `json:"appInfo,omitempty"`
}

// ListAuthTokensParams pages AuthTokens.List and AuthTokens.All, with the
// bounds of ListUsersParams: PerPage 0 (server default, 100) or 1..1000,
// Page 0 (first) or more.
type ListAuthTokensParams struct {
	PerPage int `url:"perPage,omitempty"`
	Page    int `url:"page,omitempty"`
}

// AuthTokenPage is one page of AuthTokens.List. Its LogValue redacts the
// tokens, so logging a page is as safe as logging one AuthToken.
type AuthTokenPage struct {
	Tokens     []*AuthToken
	Pagination Pagination
}

// LogValue renders the page for slog with every token redacted (slog's
// JSON handler would otherwise encode the Token fields as they are).
func (p *AuthTokenPage) LogValue() slog.Value {
	tokens := make([]slog.Attr, 0, len(p.Tokens))
	for i, t := range p.Tokens {
		if t != nil {
			tokens = append(tokens, slog.Attr{Key: strconv.Itoa(i), Value: t.LogValue()})
		}
	}
	return slog.GroupValue(
		slog.Attr{Key: "tokens", Value: slog.GroupValue(tokens...)},
		slog.Int("currentPage", p.Pagination.CurrentPage),
		slog.Int("totalPages", p.Pagination.TotalPages),
		slog.Int("total", p.Pagination.Total),
	)
}

// Create returns an auth token for the user uid (POST
// /users/{uid}/auth_tokens): with Force a new one, otherwise the user's
// newest active token if there is one (nil params: not forced). A user keeps
// at most 100 active tokens; CometChat archives the oldest past that.
// Docs: https://www.cometchat.com/docs/rest-api/auth-tokens/create
func (s *AuthTokensService) Create(ctx context.Context, uid string, params *CreateAuthTokenParams) (*AuthToken, error) {
	if err := validateUID("uid", uid); err != nil {
		return nil, err
	}
	var body createTokenBody
	if params != nil {
		body.Force = params.Force
	}
	cl, err := newCall(http.MethodPost, pathOf("users", uid, "auth_tokens"), body)
	if err != nil {
		return nil, err
	}
	return s.client.fetchToken(ctx, cl)
}

func (c *Client) fetchToken(ctx context.Context, cl *call) (*AuthToken, error) {
	env, err := getData[*wireAuthToken](ctx, c, cl)
	if err != nil {
		return nil, err
	}
	if env.Data == nil {
		return nil, missingData(cl)
	}
	return env.Data.token(), nil
}

// List returns one page of the user's active tokens (GET
// /users/{uid}/auth_tokens), newest first. nil params: the first page with
// the server's page size. Docs: https://www.cometchat.com/docs/rest-api/auth-tokens/list
func (s *AuthTokensService) List(ctx context.Context, uid string, params *ListAuthTokensParams) (*AuthTokenPage, error) {
	if err := validateUID("uid", uid); err != nil {
		return nil, err
	}
	if params != nil {
		if err := validatePaging(params.PerPage, params.Page); err != nil {
			return nil, err
		}
	}
	cl := &call{method: http.MethodGet, path: pathOf("users", uid, "auth_tokens"), query: encodeQuery(params)}
	env, err := getData[[]wireAuthToken](ctx, s.client, cl)
	if err != nil {
		return nil, err
	}
	page := &AuthTokenPage{Tokens: make([]*AuthToken, len(env.Data)), Pagination: env.pagination()}
	for i := range env.Data {
		page.Tokens[i] = env.Data[i].token()
	}
	return page, nil
}

// All returns an iterator over every active token of the user, page by
// page from params.Page, with the paging rules of UsersService.All: params
// is copied, a failure is yielded once as (nil, err), breaking the loop
// stops fetching.
func (s *AuthTokensService) All(ctx context.Context, uid string, params *ListAuthTokensParams) iter.Seq2[*AuthToken, error] {
	var p ListAuthTokensParams
	if params != nil {
		p = *params
	}
	err := validateUID("uid", uid)
	if err == nil {
		err = validatePaging(p.PerPage, p.Page)
	}
	if err != nil {
		return func(yield func(*AuthToken, error) bool) { yield(nil, err) }
	}
	fetch := func(ctx context.Context, page int) ([]*AuthToken, Pagination, error) {
		p.Page = page
		tp, err := s.List(ctx, uid, &p)
		if err != nil {
			return nil, Pagination{}, err
		}
		return tp.Tokens, tp.Pagination, nil
	}
	return paginate(ctx, p.Page, fetch, func(t *AuthToken) string { return t.Token })
}

// Get returns one of the user's tokens (GET /users/{uid}/auth_tokens/{token}).
// An unknown token fails with ErrAuthTokenNotFound, an unknown user with
// ErrUIDNotFound. Docs: https://www.cometchat.com/docs/rest-api/auth-tokens/get
func (s *AuthTokensService) Get(ctx context.Context, uid, token string) (*AuthToken, error) {
	path, err := tokenPath(uid, token)
	if err != nil {
		return nil, err
	}
	return s.client.fetchToken(ctx, &call{method: http.MethodGet, path: path})
}

// Update records the device a token is used on (PUT
// /users/{uid}/auth_tokens/{token}): platform, user agent and app info. nil
// params changes nothing. Docs: https://www.cometchat.com/docs/rest-api/auth-tokens/update
func (s *AuthTokensService) Update(ctx context.Context, uid, token string, params *UpdateAuthTokenParams) (*AuthToken, error) {
	path, err := tokenPath(uid, token)
	if err != nil {
		return nil, err
	}
	var body updateTokenBody
	if params != nil {
		body = updateTokenBody{Platform: params.Platform, UserAgent: params.UserAgent}
		if params.AppInfo != nil {
			body.AppInfo = &params.AppInfo
		}
	}
	cl, err := newCall(http.MethodPut, path, body)
	if err != nil {
		return nil, err
	}
	return s.client.fetchToken(ctx, cl)
}

// Delete revokes one token (DELETE /users/{uid}/auth_tokens/{token}), e.g.
// on logout or a lost device. Docs: https://www.cometchat.com/docs/rest-api/auth-tokens/delete
func (s *AuthTokensService) Delete(ctx context.Context, uid, token string) error {
	path, err := tokenPath(uid, token)
	if err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: path}, nil)
}

// Flush revokes every token of the user (DELETE /users/{uid}/auth_tokens),
// e.g. after a password change: every device must log in again.
// Docs: https://www.cometchat.com/docs/rest-api/auth-tokens/flush
func (s *AuthTokensService) Flush(ctx context.Context, uid string) error {
	if err := validateUID("uid", uid); err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: pathOf("users", uid, "auth_tokens")}, nil)
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
