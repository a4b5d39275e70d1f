package cometchat

import (
	"context"
	"iter"
	"net/http"
)

// BlockedUsersService manages blocks: once a user blocks another, all direct communication between them stops
// both ways, until unblocked. Get it from Client.BlockedUsers; it is safe for concurrent use.
// Docs: https://www.cometchat.com/docs/rest-api/blocked-users
type BlockedUsersService service

// ListBlockedUsersParams pages BlockedUsers.List and BlockedUsers.All: PerPage 0 (server default, 100) or 1..1000,
// Page 0 (first) or more.
type ListBlockedUsersParams struct {
	PerPage int `url:"perPage,omitempty"`
	Page    int `url:"page,omitempty"`
}

func (p *ListBlockedUsersParams) validate() error {
	if p == nil {
		return nil
	}
	return validatePaging(p.PerPage, p.Page)
}

// Block makes uid block each of blocked (POST /users/{uid}/blockedusers), in batches of 25 with the rules of
// FriendsService.Add: per-uid outcomes in the result; a batch failing as a whole ends the call with the result
// so far and the error. A user may not block themselves: a *ValidationError, nothing sent.
// Docs: https://www.cometchat.com/docs/rest-api/blocked-users/block-users
func (s *BlockedUsersService) Block(ctx context.Context, uid string, blocked ...string) (*BatchResult, error) {
	return s.send(ctx, http.MethodPost, uid, blocked)
}

// Unblock makes uid unblock each of blocked (DELETE /users/{uid}/blockedusers with a JSON body), with the rules
// of Block. Docs: https://www.cometchat.com/docs/rest-api/blocked-users/unblock-users
func (s *BlockedUsersService) Unblock(ctx context.Context, uid string, blocked ...string) (*BatchResult, error) {
	return s.send(ctx, http.MethodDelete, uid, blocked)
}

func (s *BlockedUsersService) send(ctx context.Context, method, uid string, blocked []string) (*BatchResult, error) {
	blocked, err := validateOthers("blocked", uid, blocked)
	if err != nil {
		return nil, err
	}
	path := pathOf("users", uid, "blockedusers")
	return batches(blocked, func(batch []string) (*BatchResult, error) {
		return s.client.sendBatch(ctx, method, path, "blockedUids", batch)
	})
}

// List returns one page of the users uid has blocked (GET /users/{uid}/blockedusers), oldest block first. Its
// pagination is the server's, with one correction: the server always says total 0, so Pagination.Total is -1
// (unknown); TotalPages is CurrentPage+1 while pages are full (recorded behaviour), so All follows pages until a
// short or empty one. Docs: https://www.cometchat.com/docs/rest-api/blocked-users/list-blocked-users
func (s *BlockedUsersService) List(ctx context.Context, uid string, params *ListBlockedUsersParams) (*UserPage, error) {
	if err := validateUID("uid", uid); err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	p, err := s.page(ctx, uid, params)
	if err != nil {
		return nil, err
	}
	return userPage(p), nil
}

func (s *BlockedUsersService) page(ctx context.Context, uid string, params *ListBlockedUsersParams) (*page[User], error) {
	p, err := getPage(ctx, s.client, pathOf("users", uid, "blockedusers"), encodeQuery(params), (*wireUser).user)
	if err != nil {
		return nil, err
	}
	p.pagination.Total = -1
	return p, nil
}

// All returns an iterator over every user uid has blocked, oldest block first, page by page from params.Page, with
// the paging rules of UsersService.All: every blocked user exactly once, however the server's total_pages grows.
func (s *BlockedUsersService) All(ctx context.Context, uid string, params *ListBlockedUsersParams) iter.Seq2[*User, error] {
	p := copyParams(params)
	if err := validateUID("uid", uid); err != nil {
		return failed[User](err)
	}
	if err := p.validate(); err != nil {
		return failed[User](err)
	}
	return paginate(ctx, p.Page, func(ctx context.Context, page int) (*page[User], error) {
		p.Page = page
		return s.page(ctx, uid, &p)
	}, userKey)
}
