package cometchat

import (
	"context"
	"iter"
	"net/http"
)

// FriendsService manages friendships: mutual, with no request step, at most 1,000 friends per user. Get it from
// Client.Friends; it is safe for concurrent use. Docs: https://www.cometchat.com/docs/rest-api/friends
type FriendsService service

// ListFriendsParams filters and pages Friends.List and Friends.All.
type ListFriendsParams struct {
	// SearchKey matches the start of a friend's uid or name.
	SearchKey string `url:"searchKey,omitempty"`
	PerPage   int    `url:"perPage,omitempty"` // 0: server default (100); 1..1000
	Page      int    `url:"page,omitempty"`    // 0: first page
}

func (p *ListFriendsParams) validate() error {
	if p == nil {
		return nil
	}
	return validatePaging(p.PerPage, p.Page)
}

// Add befriends uid with each of friends (POST /users/{uid}/friends; mutual, no request step). Any number of
// uids: the SDK fills batches of 25 (the API's limit) in input order, sends them one after another and merges
// the results. When a batch fails as a whole, its uids go to Failed with that error, later batches are not sent,
// and Add returns the result so far together with the error (the one exception to "a failed call returns a nil
// result"; the uids of later batches are in neither bucket). Per-uid failures (ErrAlreadyFriend, ErrUIDNotFound,
// the 1,000-friend limit) are in Failed. A user may not befriend themselves: a *ValidationError, nothing sent.
// Docs: https://www.cometchat.com/docs/rest-api/friends/add-friend
func (s *FriendsService) Add(ctx context.Context, uid string, friends ...string) (*BatchResult, error) {
	friends, err := validateOthers("friends", uid, friends)
	if err != nil {
		return nil, err
	}
	path := pathOf("users", uid, "friends")
	return batches(friends, func(batch []string) (*BatchResult, error) {
		return s.client.sendBatch(ctx, http.MethodPost, path, "accepted", batch)
	})
}

// Remove ends uid's friendship with each of friends (DELETE /users/{uid}/friends with a JSON body), in batches of
// 25 sent one after another; it stops at the first batch that fails, earlier batches staying done. Whether one uid
// that is not a friend fails the whole batch is UNCONFIRMED (cometchattest: yes, with ErrNotAFriend, and nothing
// of that batch is removed). Docs: https://www.cometchat.com/docs/rest-api/friends/remove-friend
func (s *FriendsService) Remove(ctx context.Context, uid string, friends ...string) error {
	friends, err := validateOthers("friends", uid, friends)
	if err != nil {
		return err
	}
	path := pathOf("users", uid, "friends")
	for start := 0; start < len(friends); start += maxBatch {
		batch := friends[start:min(start+maxBatch, len(friends))]
		if err := s.client.Do(ctx, http.MethodDelete, path, nil, map[string][]string{"friends": batch}, nil); err != nil {
			return err
		}
	}
	return nil
}

// List returns one page of uid's friends (GET /users/{uid}/friends), each as uid sees them (ConversationID, the
// block fields). Docs: https://www.cometchat.com/docs/rest-api/friends/list-friends
func (s *FriendsService) List(ctx context.Context, uid string, params *ListFriendsParams) (*UserPage, error) {
	if err := validateUID("uid", uid); err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	p, err := getPage(ctx, s.client, pathOf("users", uid, "friends"), encodeQuery(params), (*wireUser).user)
	if err != nil {
		return nil, err
	}
	return userPage(p), nil
}

// All returns an iterator over every friend of uid matching params, page by page from params.Page, with the
// paging rules of UsersService.All.
func (s *FriendsService) All(ctx context.Context, uid string, params *ListFriendsParams) iter.Seq2[*User, error] {
	p := copyParams(params)
	if err := validateUID("uid", uid); err != nil {
		return failed[User](err)
	}
	if err := p.validate(); err != nil {
		return failed[User](err)
	}
	path := pathOf("users", uid, "friends")
	return paginate(ctx, p.Page, func(ctx context.Context, page int) (*page[User], error) {
		p.Page = page
		return getPage(ctx, s.client, path, encodeQuery(&p), (*wireUser).user)
	}, userKey)
}
