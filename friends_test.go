package cometchat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// Answers of the friends endpoints, from the OpenAPI file's examples (users-adjacent-api.md §2).
const (
	friendAdded    = `{"success":true,"message":"Created relationship with status accepted."}`
	friendsRemoved = `{"data":{"success":true,"message":"Deleted the friend relations succussfully"}}`
	// specFriendsAdded is the spec's example answer of POST /users/{uid}/friends, entries nested under "accepted".
	specFriendsAdded = `{"data":{"accepted":{"cometchat-uid-2":{"success":true,"message":"Created relationship with status accepted."},"cometchat-uid-3":{"success":true,"message":"Created relationship with status accepted."}}}}`
	// friendGeorge is an item of GET /users/{uid}/friends: a user as the listing user sees them.
	friendGeorge = `{"uid":"cometchat-uid-2","name":"George Alan","link":"https:\/\/example.com\/george","avatar":"https:\/\/assets.cometchat.io\/sampleapp\/v2\/users\/cometchat-uid-2.webp","metadata":{"department":"sales"},"status":"available","role":"default","createdAt":1629869270,"updatedAt":1630308676,"conversationId":"cometchat-uid-1_user_cometchat-uid-2","blockedByMe":false,"blockedByMeAt":0,"blockedAt":0}`
)

// entriesOf is the per-uid entries of a batch answer: every uid with the same entry.
func entriesOf(uids []string, entry string) string {
	parts := make([]string, len(uids))
	for i, uid := range uids {
		parts[i] = `"` + uid + `":` + entry
	}
	return strings.Join(parts, ",")
}

// flatAnswer is a batch answer with its entries keyed by uid in "data", as recorded for blocks.
func flatAnswer(entries ...string) string { return `{"data":{` + strings.Join(entries, ",") + `}}` }

// nestedAnswer is a batch answer with its entries under "accepted", as the spec's example for friends.
func nestedAnswer(entries ...string) string {
	return `{"data":{"accepted":{` + strings.Join(entries, ",") + `}}}`
}

// uidsFrom returns n uids prefix_01, prefix_02, ...
func uidsFrom(prefix string, n int) []string {
	uids := make([]string, n)
	for i := range uids {
		uids[i] = fmt.Sprintf("%s_%02d", prefix, i+1)
	}
	return uids
}

// sentUIDs decodes the uids a batch request carried under key.
func sentUIDs(t *testing.T, req *sentRequest, key string) []string {
	t.Helper()
	var body map[string][]string
	require.NoError(t, json.Unmarshal([]byte(req.Body), &body), req.Body)
	require.Len(t, body, 1, "the body holds only %q: %s", key, req.Body)
	return body[key]
}

func TestFriendsService_Add_DecodesTheSpecExample(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users/cometchat-uid-1/friends").Reply(200).BodyString(specFriendsAdded)

	res, err := m.Friends.Add(context.Background(), "cometchat-uid-1", "cometchat-uid-2", "cometchat-uid-3")
	require.NoError(t, err)
	assert.Equal(t, []string{"cometchat-uid-2", "cometchat-uid-3"}, res.Succeeded)
	assert.Empty(t, res.Failed)

	req := m.last(t)
	assert.Equal(t, http.MethodPost, req.Method)
	assert.Equal(t, "/users/cometchat-uid-1/friends", req.Path)
	assert.Empty(t, req.Query)
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"accepted":["cometchat-uid-2","cometchat-uid-3"]}`, req.Body)
	assert.Len(t, m.requests(), 1)
}

// TestFriendsService_Add_DecodesBothAnswerShapes: the spec's schema keys data by uid, its example nests the
// entries under "accepted"; both are read.
func TestFriendsService_Add_DecodesBothAnswerShapes(t *testing.T) {
	for shape, answer := range map[string]func(...string) string{"flat": flatAnswer, "nested": nestedAnswer} {
		t.Run(shape, func(t *testing.T) {
			m := newMock(t)
			m.on("POST", "/users/alice/friends").Reply(200).BodyString(answer(
				`"bob":`+friendAdded,
				`"carol":{"success":false,"code":"ERR_ALREADY_FRIEND","message":"alice and carol are already friends."}`,
				`"dave":{"success":false,"error":{"code":"ERR_UID_NOT_FOUND","message":"The UID dave does not exist.","devMessage":"The UID dave does not exist, so please create it.","source":"chat-api"}}`,
			))

			res, err := m.Friends.Add(context.Background(), "alice", "bob", "carol", "dave")
			require.NoError(t, err)
			assert.Equal(t, []string{"bob"}, res.Succeeded)
			require.Len(t, res.Failed, 2)

			var carol *APIError
			require.ErrorAs(t, res.Failed["carol"], &carol)
			assert.ErrorIs(t, carol, ErrAlreadyFriend)
			assert.Equal(t, "ERR_ALREADY_FRIEND", carol.Code)
			assert.Equal(t, "alice and carol are already friends.", carol.Message)
			assert.Zero(t, carol.StatusCode, "a per-uid failure inside a 200 answer has no status")

			var dave *APIError
			require.ErrorAs(t, res.Failed["dave"], &dave)
			assert.ErrorIs(t, dave, ErrUIDNotFound)
			assert.Equal(t, "The UID dave does not exist.", dave.Message)
			assert.Equal(t, "The UID dave does not exist, so please create it.", dave.DevMessage)
			assert.Equal(t, "chat-api", dave.Source)
		})
	}
}

// TestFriendsService_Add_SendsBatchesOf25InInputOrder: any number of uids, in batches of the API's limit, filled
// in input order, the results merged in that order.
func TestFriendsService_Add_SendsBatchesOf25InInputOrder(t *testing.T) {
	for _, n := range []int{1, 25, 26, 50, 60} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			friends := uidsFrom("friend", n)
			var want [][]string
			m := newMock(t)
			for start := 0; start < n; start += 25 {
				batch := friends[start:min(start+25, n)]
				want = append(want, batch)
				m.on("POST", "/users/alice/friends").Reply(200).BodyString(nestedAnswer(entriesOf(batch, friendAdded)))
			}

			res, err := m.Friends.Add(context.Background(), "alice", friends...)
			require.NoError(t, err)
			assert.Equal(t, friends, res.Succeeded)
			assert.Empty(t, res.Failed)
			reqs := m.requests()
			require.Len(t, reqs, len(want))
			for i, req := range reqs {
				assert.Equal(t, http.MethodPost, req.Method)
				assert.Equal(t, "/users/alice/friends", req.Path)
				assert.Equal(t, want[i], sentUIDs(t, req, "accepted"), "batch %d", i)
			}
		})
	}
}

// TestFriendsService_Add_SendsBatchesOneAfterAnother: a batch is sent only once the previous one is answered
// (60 uids: 25, 25 and 10, each answered after one virtual second).
func TestFriendsService_Add_SendsBatchesOneAfterAnother(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		friends := uidsFrom("friend", 60)
		m := newMock(t)
		var mu sync.Mutex
		var at []time.Time
		for start := 0; start < 60; start += 25 {
			batch := friends[start:min(start+25, 60)]
			m.on("POST", "/users/alice/friends").AddMatcher(func(*http.Request, *gock.Request) (bool, error) {
				mu.Lock()
				defer mu.Unlock()
				at = append(at, time.Now())
				return true, nil
			}).Reply(200).Delay(time.Second).BodyString(flatAnswer(entriesOf(batch, friendAdded)))
		}
		start := time.Now()

		res, err := m.Friends.Add(context.Background(), "alice", friends...)
		require.NoError(t, err)
		assert.Equal(t, friends, res.Succeeded)
		require.Len(t, at, 3)
		for i, sent := range at {
			assert.Equal(t, time.Duration(i)*time.Second, sent.Sub(start), "batch %d is sent when batch %d is answered", i, i-1)
		}
		assert.Equal(t, 3*time.Second, time.Since(start))
	})
}

// TestFriendsService_Add_LowercasesAndSendsRepeatsOnce: the server stores uids lowercased; the SDK sends them so,
// each once, and reports each once, whatever case the answer's keys have.
func TestFriendsService_Add_LowercasesAndSendsRepeatsOnce(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users/Alice/friends").Reply(200).BodyString(flatAnswer(
		`"BOB":`+friendAdded,
		`"carol":`+friendAdded,
		`"Dave":{"success":false,"code":"ERR_ALREADY_FRIEND","message":"Already friends."}`,
	))

	res, err := m.Friends.Add(context.Background(), "Alice", "Bob", "bob", "CAROL", "BOB", "dave", "Carol")
	require.NoError(t, err)
	assert.Equal(t, []string{"bob", "carol", "dave"}, sentUIDs(t, m.last(t), "accepted"))
	assert.Equal(t, []string{"bob", "carol"}, res.Succeeded)
	require.Len(t, res.Failed, 1)
	assert.ErrorIs(t, res.Failed["dave"], ErrAlreadyFriend)
}

// TestFriendsService_Add_UIDLeftOutOfTheAnswerFails: a uid the answer does not account for is in Failed with an
// error matching ErrInvalidResponse; the others keep their outcome.
func TestFriendsService_Add_UIDLeftOutOfTheAnswerFails(t *testing.T) {
	for shape, answer := range map[string]func(...string) string{"flat": flatAnswer, "nested": nestedAnswer} {
		t.Run(shape, func(t *testing.T) {
			m := newMock(t)
			m.on("POST", "/users/alice/friends").Reply(200).BodyString(answer(`"bob":`+friendAdded, `"mallory":`+friendAdded))

			res, err := m.Friends.Add(context.Background(), "alice", "bob", "carol")
			require.NoError(t, err)
			assert.Equal(t, []string{"bob"}, res.Succeeded, "a uid that was not sent is not reported")
			require.Len(t, res.Failed, 1)
			assert.ErrorIs(t, res.Failed["carol"], ErrInvalidResponse)
			var apiErr *APIError
			assert.False(t, errors.As(res.Failed["carol"], &apiErr), "the server said nothing about carol")
			assert.Contains(t, res.Failed["carol"].Error(), "carol")
		})
	}
}

// TestFriendsService_Add_BatchFailingAsAWhole: its uids go to Failed with that error, later batches are not sent,
// and Add returns the result so far with the error.
func TestFriendsService_Add_BatchFailingAsAWhole(t *testing.T) {
	friends := uidsFrom("friend", 60)
	tests := map[string]struct {
		status int
		answer string
		is     error
	}{
		"no access":      {403, `{"error":{"message":"The key cannot be used to perform this operation.","source":"chat-api","code":"AUTH_ERR_NO_ACCESS"}}`, ErrNoAccess},
		"server failure": {500, `{"error":{"message":"Something went wrong.","source":"chat-api","code":"ERR_MISSION_FAILED"}}`, nil},
		"no data":        {200, `{"data":null}`, ErrInvalidResponse},
		"not JSON":       {200, `<html>OK</html>`, ErrInvalidResponse},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("POST", "/users/alice/friends").Reply(200).BodyString(flatAnswer(
				entriesOf(friends[:24], friendAdded),
				`"friend_25":{"success":false,"code":"ERR_ALREADY_FRIEND","message":"Already friends."}`,
			))
			m.on("POST", "/users/alice/friends").Reply(tt.status).BodyString(tt.answer)

			res, err := m.Friends.Add(context.Background(), "alice", friends...)
			require.Error(t, err)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			require.NotNil(t, res, "the result so far comes back with the error")
			assert.Equal(t, friends[:24], res.Succeeded, "the first batch's outcomes are kept")
			assert.ErrorIs(t, res.Failed["friend_25"], ErrAlreadyFriend)
			for _, uid := range friends[25:50] {
				assert.Same(t, err, res.Failed[uid], "%s failed with its batch", uid)
			}
			for _, uid := range friends[50:] {
				assert.NotContains(t, res.Succeeded, uid)
				assert.NotContains(t, res.Failed, uid, "%s was never sent", uid)
			}
			assert.Len(t, res.Failed, 26)
			assert.Len(t, m.requests(), 2, "the third batch is not sent, a failed POST is not sent again")
		})
	}
}

// TestFriendsService_Add_RefusesInvalidArgumentsBeforeSending: a user may not befriend themselves (compared
// case-insensitively, as the server lowercases), every uid follows the uid rules and the list is not empty; Remove
// checks the same. Nothing is sent.
func TestFriendsService_Add_RefusesInvalidArgumentsBeforeSending(t *testing.T) {
	tests := []struct {
		name    string
		uid     string
		friends []string
		field   string
	}{
		{"self", "alice", []string{"alice"}, "friends[0]"},
		{"self in another case", "alice", []string{"bob", "ALICE"}, "friends[1]"},
		{"self in a later batch", "Alice", append(uidsFrom("friend", 30), "alice"), "friends[30]"},
		{"no friends", "alice", nil, "friends"},
		{"empty list", "alice", []string{}, "friends"},
		{"empty uid in the list", "alice", []string{"bob", ""}, "friends[1]"},
		{"uid with a slash in the list", "alice", []string{"bob", "carol", "a/b"}, "friends[2]"},
		{"uid too long in the list", "alice", []string{strings.Repeat("b", 101)}, "friends[0]"},
		{"empty uid", "", []string{"bob"}, "uid"},
		{"uid with a space", "al ice", []string{"bob"}, "uid"},
		{"uid escaping the path", "..", []string{"bob"}, "uid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			res, err := m.Friends.Add(context.Background(), tt.uid, tt.friends...)
			assert.Nil(t, res)
			requireValidationField(t, err, tt.field)
			requireValidationField(t, m.Friends.Remove(context.Background(), tt.uid, tt.friends...), tt.field)
			assert.Empty(t, m.requests())
		})
	}
}

func TestFriendsService_Remove_SendsAJSONBodyWithDelete(t *testing.T) {
	m := newMock(t)
	m.on("DELETE", "/users/alice/friends").Reply(200).BodyString(friendsRemoved)

	require.NoError(t, m.Friends.Remove(context.Background(), "alice", "Bob", "carol", "bob"))
	req := m.last(t)
	assert.Equal(t, http.MethodDelete, req.Method)
	assert.Equal(t, "/users/alice/friends", req.Path)
	assert.Empty(t, req.Query)
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"friends":["bob","carol"]}`, req.Body, "lowercased, each once")
	assert.Len(t, m.requests(), 1)
}

func TestFriendsService_Remove_SendsBatchesOf25InOrder(t *testing.T) {
	friends := uidsFrom("friend", 60)
	m := newMock(t)
	for range 3 {
		m.on("DELETE", "/users/alice/friends").Reply(200).BodyString(friendsRemoved)
	}

	require.NoError(t, m.Friends.Remove(context.Background(), "alice", friends...))
	reqs := m.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, friends[:25], sentUIDs(t, reqs[0], "friends"))
	assert.Equal(t, friends[25:50], sentUIDs(t, reqs[1], "friends"))
	assert.Equal(t, friends[50:], sentUIDs(t, reqs[2], "friends"))
}

func TestFriendsService_Remove_StopsAtTheFirstFailingBatch(t *testing.T) {
	friends := uidsFrom("friend", 60)
	m := newMock(t)
	m.on("DELETE", "/users/alice/friends").Reply(200).BodyString(friendsRemoved)
	m.on("DELETE", "/users/alice/friends").Reply(400).
		BodyString(`{"error":{"message":"alice and friend_30 are not friends.","source":"chat-api","code":"ERR_NOT_A_FRIEND"}}`)

	err := m.Friends.Remove(context.Background(), "alice", friends...)
	require.ErrorIs(t, err, ErrNotAFriend)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.Len(t, m.requests(), 2, "the third batch is not sent")
}

func TestFriendsService_Remove_UnknownUser(t *testing.T) {
	m := newMock(t)
	m.on("DELETE", "/users/ghost/friends").Reply(404).BodyString(uidNotFound)

	assert.ErrorIs(t, m.Friends.Remove(context.Background(), "ghost", "bob"), ErrUIDNotFound)
	assert.Len(t, m.requests(), 1, "a 404 is not retried")
}

func TestFriendsService_List_SendsSearchAndPaging(t *testing.T) {
	tests := []struct {
		name   string
		params *ListFriendsParams
		want   url.Values
	}{
		{"nil params", nil, url.Values{}},
		{"zero params", &ListFriendsParams{}, url.Values{}},
		{"search key", &ListFriendsParams{SearchKey: "geo"}, url.Values{"searchKey": {"geo"}}},
		{"search key needing escapes", &ListFriendsParams{SearchKey: "Zoë & co+1"}, url.Values{"searchKey": {"Zoë & co+1"}}},
		{"everything", &ListFriendsParams{SearchKey: "geo", PerPage: 10, Page: 3}, url.Values{"searchKey": {"geo"}, "perPage": {"10"}, "page": {"3"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("GET", "/users/cometchat-uid-1/friends").Reply(200).BodyString(`{"data":[]}`)

			_, err := m.Friends.List(context.Background(), "cometchat-uid-1", tt.params)
			require.NoError(t, err)
			req := m.last(t)
			assert.Equal(t, http.MethodGet, req.Method)
			assert.Equal(t, "/users/cometchat-uid-1/friends", req.Path)
			assert.Equal(t, tt.want, req.Query)
			assert.Empty(t, req.Body)
		})
	}
}

func TestFriendsService_List_DecodesFriendsAsTheUserSeesThem(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/cometchat-uid-1/friends").Reply(200).BodyString(`{"data":[` + friendGeorge + `],` +
		`"meta":{"pagination":{"total":1,"count":1,"per_page":100,"current_page":1,"total_pages":1},"cursor":{"updatedAt":1694667984,"affix":"prepend"}}}`)

	page, err := m.Friends.List(context.Background(), "cometchat-uid-1", nil)
	require.NoError(t, err)
	require.Len(t, page.Users, 1)
	assert.Equal(t, &User{
		UID: "cometchat-uid-2", Name: "George Alan", Link: "https://example.com/george",
		Avatar:   "https://assets.cometchat.io/sampleapp/v2/users/cometchat-uid-2.webp",
		Metadata: map[string]any{"department": "sales"}, Status: StatusAvailable, Role: "default",
		CreatedAt: time.Unix(1629869270, 0).UTC(), UpdatedAt: time.Unix(1630308676, 0).UTC(),
		ConversationID: "cometchat-uid-1_user_cometchat-uid-2",
	}, page.Users[0], "blockedByMeAt 0 is the zero time")
	assert.Equal(t, Pagination{Total: 1, Count: 1, PerPage: 100, CurrentPage: 1, TotalPages: 1}, page.Pagination)
	assert.Equal(t, Cursor{UpdatedAt: time.Unix(1694667984, 0).UTC(), Affix: "prepend"}, page.Cursor)
}

// TestFriendsService_List_ErrorNeverShowsTheSearchKey: a search key may be personal; an answer echoing it does not
// carry it into the error.
func TestFriendsService_List_ErrorNeverShowsTheSearchKey(t *testing.T) {
	const key = "ada.lovelace@example.com"
	m := newMock(t)
	m.on("GET", "/users/alice/friends").Reply(400).
		BodyString(`{"error":{"message":"Cannot search for ` + key + `.","source":"chat-api","code":"ERR_BAD_REQUEST","details":{"searchKey":["` + key + ` is invalid"]}}}`)

	page, err := m.Friends.List(context.Background(), "alice", &ListFriendsParams{SearchKey: key})
	assert.Nil(t, page)
	require.ErrorIs(t, err, ErrBadRequest)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assertNoSecret(t, fmt.Sprintf("%v %+v", err, *apiErr), key)
}

func TestFriendsService_All_KeepsTheSearchOnEveryPage(t *testing.T) {
	page := func(uids []string, n, total int) string {
		items := make([]string, len(uids))
		for i, uid := range uids {
			items[i] = `{"uid":"` + uid + `","name":"` + uid + `","status":"offline","role":"default","createdAt":1694665807}`
		}
		return `{"data":[` + strings.Join(items, ",") + `],"meta":{"pagination":{"total":5,"count":` + strconv.Itoa(len(uids)) +
			`,"per_page":2,"current_page":` + strconv.Itoa(n) + `,"total_pages":` + strconv.Itoa(total) + `},"cursor":{"updatedAt":1694665810,"affix":"prepend"}}}`
	}
	m := newMock(t)
	m.on("GET", "/users/alice/friends").Reply(200).BodyString(page([]string{"geo_1", "geo_2"}, 1, 3))
	m.on("GET", "/users/alice/friends").Reply(200).BodyString(page([]string{"geo_3", "geo_4"}, 2, 3))
	m.on("GET", "/users/alice/friends").Reply(200).BodyString(page([]string{"geo_5"}, 3, 3))
	params := &ListFriendsParams{SearchKey: "geo", PerPage: 2}

	var got []string
	for u, err := range m.Friends.All(context.Background(), "alice", params) {
		require.NoError(t, err)
		got = append(got, u.UID)
	}
	assert.Equal(t, []string{"geo_1", "geo_2", "geo_3", "geo_4", "geo_5"}, got)
	reqs := m.requests()
	require.Len(t, reqs, 3)
	for i, req := range reqs {
		assert.Equal(t, url.Values{"searchKey": {"geo"}, "perPage": {"2"}, "page": {strconv.Itoa(i + 1)}}, req.Query)
	}
	assert.Equal(t, ListFriendsParams{SearchKey: "geo", PerPage: 2}, *params, "the caller's params are not changed")
}

func TestFriendsService_All_YieldsAFailureOnceAndStops(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/alice/friends").Reply(404).BodyString(uidNotFound)

	n := 0
	for u, err := range m.Friends.All(context.Background(), "alice", nil) {
		n++
		assert.Nil(t, u)
		assert.ErrorIs(t, err, ErrUIDNotFound)
	}
	assert.Equal(t, 1, n)
}

func TestFriendsService_ListAndAll_RejectInvalidArgumentsBeforeSending(t *testing.T) {
	for _, tt := range []struct {
		uid    string
		params *ListFriendsParams
		field  string
	}{
		{"", nil, "uid"},
		{"a/b", nil, "uid"},
		{"alice", &ListFriendsParams{PerPage: -1}, "perPage"},
		{"alice", &ListFriendsParams{PerPage: 1001}, "perPage"},
		{"alice", &ListFriendsParams{SearchKey: "x", Page: -1}, "page"},
	} {
		m := newMock(t)
		page, err := m.Friends.List(context.Background(), tt.uid, tt.params)
		assert.Nil(t, page)
		requireValidationField(t, err, tt.field)
		n := 0
		for u, err := range m.Friends.All(context.Background(), tt.uid, tt.params) {
			n++
			assert.Nil(t, u)
			requireValidationField(t, err, tt.field)
		}
		assert.Equal(t, 1, n)
		assert.Empty(t, m.requests())
	}
}

func TestFriendsService_List_AnswerWithoutDataIsInvalidResponse(t *testing.T) {
	for what, answer := range answersWithoutData(true) {
		t.Run(what, func(t *testing.T) {
			m := newMock(t)
			m.on("GET", "/users/alice/friends").Reply(200).BodyString(answer)

			page, err := m.Friends.List(context.Background(), "alice", nil)
			assert.Nil(t, page)
			assert.ErrorIs(t, err, ErrInvalidResponse)
		})
	}
}
