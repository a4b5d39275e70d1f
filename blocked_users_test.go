package cometchat

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The recorded exchanges of users-adjacent-api.md §3 (production, Sept 2023): user_000 blocks and unblocks
// user_001, and lists the 24 users it has blocked, 5 per page.
const (
	recordedBlock   = `{"data":{"user_001":{"success":true,"message":"The user with UID user_000 has blocked user with UID user_001 successfully."}}}`
	recordedUnblock = `{"data":{"user_001":{"success":true,"message":"The user with UID user_000 has unblocked user with UID user_001 successfully."}}}`
	recordedCursor  = `{"updatedAt":1694665810,"affix":"prepend"}`
)

// recordedBlockedUser is user_<n> as the recorded list shows it: exactly the recorded keys, blocked n seconds after
// user_000's first block (user_021: blockedAt 1694666036, createdAt 1694665807, as recorded).
func recordedBlockedUser(n int) string {
	return fmt.Sprintf(`{"uid":"user_%03d","name":"user_%03d","status":"offline","role":"default","blockedByMe":true,"blockedByMeAt":%d,"blockedAt":%d,"createdAt":%d,"conversationId":"user_000_user_user_%03d"}`,
		n, n, 1694666015+n, 1694666015+n, 1694665786+n, n)
}

// recordedUIDs are the uids of the first n recorded blocked users: user_001, user_002, ...
func recordedUIDs(n int) []string {
	uids := make([]string, n)
	for i := range uids {
		uids[i] = fmt.Sprintf("user_%03d", i+1)
	}
	return uids
}

// blockedPage is page n of a list of total blocked users, perPage per page, with the recorded pagination quirks:
// total always 0, total_pages current+1 while the page is full.
func blockedPage(n, perPage, total int) string {
	var items []string
	for i := (n-1)*perPage + 1; i <= min(n*perPage, total); i++ {
		items = append(items, recordedBlockedUser(i))
	}
	totalPages := n
	if len(items) == perPage {
		totalPages = n + 1
	}
	return `{"data":[` + strings.Join(items, ",") + `],"meta":{"pagination":{"total":0,"count":` + strconv.Itoa(len(items)) +
		`,"per_page":` + strconv.Itoa(perPage) + `,"current_page":` + strconv.Itoa(n) + `,"total_pages":` + strconv.Itoa(totalPages) +
		`},"cursor":` + recordedCursor + `}}`
}

func TestBlockedUsersService_Block_ReplaysTheRecordedExchange(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users/user_000/blockedusers").Reply(200).BodyString(recordedBlock)

	res, err := m.BlockedUsers.Block(context.Background(), "user_000", "user_001")
	require.NoError(t, err)
	assert.Equal(t, []string{"user_001"}, res.Succeeded)
	assert.Empty(t, res.Failed)

	req := m.last(t)
	assert.Equal(t, http.MethodPost, req.Method)
	assert.Equal(t, "/users/user_000/blockedusers", req.Path)
	assert.Empty(t, req.Query)
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"blockedUids":["user_001"]}`, req.Body)
	assert.Len(t, m.requests(), 1)
}

func TestBlockedUsersService_Unblock_ReplaysTheRecordedExchange(t *testing.T) {
	m := newMock(t)
	m.on("DELETE", "/users/user_000/blockedusers").Reply(200).BodyString(recordedUnblock)

	res, err := m.BlockedUsers.Unblock(context.Background(), "user_000", "user_001")
	require.NoError(t, err)
	assert.Equal(t, []string{"user_001"}, res.Succeeded)
	assert.Empty(t, res.Failed)

	req := m.last(t)
	assert.Equal(t, http.MethodDelete, req.Method, "DELETE with a JSON body")
	assert.Equal(t, "/users/user_000/blockedusers", req.Path)
	assert.Empty(t, req.Query)
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"blockedUids":["user_001"]}`, req.Body)
	assert.Len(t, m.requests(), 1)
}

func TestBlockedUsersService_BlockAndUnblock_SendBatchesOf25(t *testing.T) {
	for method, call := range map[string]func(c *Client, uids []string) (*BatchResult, error){
		"POST": func(c *Client, uids []string) (*BatchResult, error) {
			return c.BlockedUsers.Block(context.Background(), "user_000", uids...)
		},
		"DELETE": func(c *Client, uids []string) (*BatchResult, error) {
			return c.BlockedUsers.Unblock(context.Background(), "user_000", uids...)
		},
	} {
		t.Run(method, func(t *testing.T) {
			uids := uidsFrom("user", 26)
			m := newMock(t)
			m.on(method, "/users/user_000/blockedusers").Reply(200).BodyString(flatAnswer(entriesOf(uids[:25], `{"success":true,"message":"done"}`)))
			m.on(method, "/users/user_000/blockedusers").Reply(200).BodyString(flatAnswer(entriesOf(uids[25:], `{"success":true,"message":"done"}`)))

			res, err := call(m.Client, uids)
			require.NoError(t, err)
			assert.Equal(t, uids, res.Succeeded)
			assert.Empty(t, res.Failed)
			reqs := m.requests()
			require.Len(t, reqs, 2)
			assert.Equal(t, uids[:25], sentUIDs(t, reqs[0], "blockedUids"))
			assert.Equal(t, uids[25:], sentUIDs(t, reqs[1], "blockedUids"))
		})
	}
}

func TestBlockedUsersService_Block_LowercasesAndSendsRepeatsOnce(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users/user_000/blockedusers").Reply(200).BodyString(flatAnswer(
		`"user_001":{"success":true,"message":"ok"}`, `"USER_002":{"success":true,"message":"ok"}`))

	res, err := m.BlockedUsers.Block(context.Background(), "user_000", "User_001", "user_002", "USER_001")
	require.NoError(t, err)
	assert.Equal(t, []string{"user_001", "user_002"}, sentUIDs(t, m.last(t), "blockedUids"))
	assert.Equal(t, []string{"user_001", "user_002"}, res.Succeeded)
}

// TestBlockedUsersService_Block_PerUIDFailures: failure entries in either shape become *APIErrors matching their
// sentinel; the other uids keep their outcome.
func TestBlockedUsersService_Block_PerUIDFailures(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users/user_000/blockedusers").Reply(200).BodyString(flatAnswer(
		`"user_001":{"success":true,"message":"The user with UID user_000 has blocked user with UID user_001 successfully."}`,
		`"user_002":{"success":false,"code":"ERR_UID_NOT_FOUND","message":"The UID user_002 does not exist."}`,
		`"user_003":{"success":false,"error":{"code":"ERR_CANNOT_BLOCK_SELF","message":"A user cannot block themselves."}}`,
	))

	res, err := m.BlockedUsers.Block(context.Background(), "user_000", "user_001", "user_002", "user_003")
	require.NoError(t, err)
	assert.Equal(t, []string{"user_001"}, res.Succeeded)
	require.Len(t, res.Failed, 2)
	assert.ErrorIs(t, res.Failed["user_002"], ErrUIDNotFound)
	assert.ErrorIs(t, res.Failed["user_003"], ErrCannotBlockSelf)
	var apiErr *APIError
	require.ErrorAs(t, res.Failed["user_003"], &apiErr)
	assert.Equal(t, "A user cannot block themselves.", apiErr.Message)
}

// TestBlockedUsersService_Block_BatchFailingAsAWhole: an unknown blocker fails the first batch; its uids are in
// Failed with that error, the second batch is not sent, and the result so far comes back with the error.
func TestBlockedUsersService_Block_BatchFailingAsAWhole(t *testing.T) {
	uids := uidsFrom("user", 30)
	m := newMock(t)
	m.on("POST", "/users/ghost/blockedusers").Reply(404).BodyString(uidNotFound)

	res, err := m.BlockedUsers.Block(context.Background(), "ghost", uids...)
	require.ErrorIs(t, err, ErrUIDNotFound)
	require.NotNil(t, res)
	assert.Empty(t, res.Succeeded)
	assert.Len(t, res.Failed, 25)
	for _, uid := range uids[:25] {
		assert.Same(t, err, res.Failed[uid])
	}
	for _, uid := range uids[25:] {
		assert.NotContains(t, res.Failed, uid, "%s was never sent", uid)
	}
	assert.Len(t, m.requests(), 1)
}

// TestBlockedUsersService_Unblock_RetriedWithItsBody: DELETE is idempotent, so a 503 is retried, with the same
// body.
func TestBlockedUsersService_Unblock_RetriedWithItsBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		m.on("DELETE", "/users/user_000/blockedusers").Reply(503).BodyString(`<html>Service Unavailable</html>`)
		m.on("DELETE", "/users/user_000/blockedusers").Reply(200).BodyString(recordedUnblock)

		res, err := m.BlockedUsers.Unblock(context.Background(), "user_000", "user_001")
		require.NoError(t, err)
		assert.Equal(t, []string{"user_001"}, res.Succeeded)
		reqs := m.requests()
		require.Len(t, reqs, 2)
		for _, req := range reqs {
			assert.JSONEq(t, `{"blockedUids":["user_001"]}`, req.Body)
		}
	})
}

// TestBlockedUsersService_RefusesInvalidArgumentsBeforeSending: a user may not block themselves (compared
// case-insensitively); every uid follows the uid rules and the list is not empty. Nothing is sent.
func TestBlockedUsersService_RefusesInvalidArgumentsBeforeSending(t *testing.T) {
	tests := []struct {
		name    string
		uid     string
		blocked []string
		field   string
	}{
		{"self", "user_000", []string{"user_000"}, "blocked[0]"},
		{"self in another case", "user_000", []string{"user_001", "USER_000"}, "blocked[1]"},
		{"no uids", "user_000", nil, "blocked"},
		{"invalid uid in the list", "user_000", []string{"user_001", "user 002"}, "blocked[1]"},
		{"invalid blocker", "user/000", []string{"user_001"}, "uid"},
		{"empty blocker", "", []string{"user_001"}, "uid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			res, err := m.BlockedUsers.Block(context.Background(), tt.uid, tt.blocked...)
			assert.Nil(t, res)
			requireValidationField(t, err, tt.field)
			res, err = m.BlockedUsers.Unblock(context.Background(), tt.uid, tt.blocked...)
			assert.Nil(t, res)
			requireValidationField(t, err, tt.field)
			assert.Empty(t, m.requests())
		})
	}
}

// TestBlockedUsersService_All_ReplaysTheRecordedList: the 5 recorded pages (total 0, total_pages 2, 3, 4, 5, 5)
// yield the 24 blocked users exactly once, oldest block first, in 5 requests.
func TestBlockedUsersService_All_ReplaysTheRecordedList(t *testing.T) {
	m := newMock(t)
	for n := 1; n <= 5; n++ {
		m.on("GET", "/users/user_000/blockedusers").Reply(200).BodyString(blockedPage(n, 5, 24))
	}

	var got []string
	for u, err := range m.BlockedUsers.All(context.Background(), "user_000", &ListBlockedUsersParams{PerPage: 5}) {
		require.NoError(t, err)
		got = append(got, u.UID)
		n := int64(len(got))
		assert.Equal(t, &User{
			UID: u.UID, Name: u.UID, Status: StatusOffline, Role: "default", BlockedByMe: true,
			BlockedByMeAt: time.Unix(1694666015+n, 0).UTC(), BlockedAt: time.Unix(1694666015+n, 0).UTC(),
			CreatedAt: time.Unix(1694665786+n, 0).UTC(), ConversationID: "user_000_user_" + u.UID,
		}, u)
	}
	assert.Equal(t, recordedUIDs(24), got)
	reqs := m.requests()
	require.Len(t, reqs, 5)
	for i, req := range reqs {
		assert.Equal(t, http.MethodGet, req.Method)
		assert.Equal(t, "/users/user_000/blockedusers", req.Path)
		assert.Equal(t, url.Values{"perPage": {"5"}, "page": {strconv.Itoa(i + 1)}}, req.Query)
		assert.Empty(t, req.Body)
	}
}

func TestBlockedUsersService_List_ReportsTheTotalAsUnknown(t *testing.T) {
	tests := []struct {
		page int
		want Pagination
	}{
		{1, Pagination{Total: -1, Count: 5, PerPage: 5, CurrentPage: 1, TotalPages: 2}},
		{4, Pagination{Total: -1, Count: 5, PerPage: 5, CurrentPage: 4, TotalPages: 5}},
		{5, Pagination{Total: -1, Count: 4, PerPage: 5, CurrentPage: 5, TotalPages: 5}},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.page), func(t *testing.T) {
			m := newMock(t)
			m.on("GET", "/users/user_000/blockedusers").Reply(200).BodyString(blockedPage(tt.page, 5, 24))

			page, err := m.BlockedUsers.List(context.Background(), "user_000", &ListBlockedUsersParams{PerPage: 5, Page: tt.page})
			require.NoError(t, err)
			assert.Equal(t, tt.want, page.Pagination, "total 0 is never shown as a count")
			assert.Equal(t, Cursor{UpdatedAt: time.Unix(1694665810, 0).UTC(), Affix: "prepend"}, page.Cursor)
			assert.Len(t, page.Users, tt.want.Count)
			assert.Equal(t, url.Values{"perPage": {"5"}, "page": {strconv.Itoa(tt.page)}}, m.last(t).Query)
		})
	}
}

// TestBlockedUsersService_List_DecodesEveryRecordedField: the recorded items decode without loss into User.
func TestBlockedUsersService_List_DecodesEveryRecordedField(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/user_000/blockedusers").Reply(200).BodyString(
		`{"data":[{"uid":"user_021","name":"user_021","status":"offline","role":"default","blockedByMe":true,"blockedByMeAt":1694666036,"blockedAt":1694666036,"createdAt":1694665807,"conversationId":"user_000_user_user_021"}],` +
			`"meta":{"pagination":{"total":0,"count":1,"per_page":5,"current_page":5,"total_pages":5},"cursor":{"updatedAt":1694665810,"affix":"prepend"}}}`)

	page, err := m.BlockedUsers.List(context.Background(), "user_000", nil)
	require.NoError(t, err)
	require.Len(t, page.Users, 1)
	assert.Equal(t, &User{
		UID: "user_021", Name: "user_021", Status: StatusOffline, Role: "default",
		BlockedByMe: true, BlockedByMeAt: time.Unix(1694666036, 0).UTC(), BlockedAt: time.Unix(1694666036, 0).UTC(),
		CreatedAt: time.Unix(1694665807, 0).UTC(), ConversationID: "user_000_user_user_021",
	}, page.Users[0])
	assert.Empty(t, m.last(t).Query, "nil params: the server's defaults")
}

// TestBlockedUsersService_All_StopsAtAnEmptyPage: when the last page is full, the server still announces one more
// page; All asks for it and stops at its emptiness.
func TestBlockedUsersService_All_StopsAtAnEmptyPage(t *testing.T) {
	m := newMock(t)
	for n := 1; n <= 3; n++ {
		m.on("GET", "/users/user_000/blockedusers").Reply(200).BodyString(blockedPage(n, 5, 10))
	}

	var got []string
	for u, err := range m.BlockedUsers.All(context.Background(), "user_000", &ListBlockedUsersParams{PerPage: 5}) {
		require.NoError(t, err)
		got = append(got, u.UID)
	}
	assert.Equal(t, recordedUIDs(10), got)
	assert.Len(t, m.requests(), 3)
}

func TestBlockedUsersService_All_StartsAtPageAndStopsWhenTheLoopBreaks(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/user_000/blockedusers").Reply(200).BodyString(blockedPage(3, 5, 24))
	params := &ListBlockedUsersParams{PerPage: 5, Page: 3}

	var got []string
	for u, err := range m.BlockedUsers.All(context.Background(), "user_000", params) {
		require.NoError(t, err)
		got = append(got, u.UID)
		if len(got) == 3 {
			break
		}
	}
	assert.Equal(t, []string{"user_011", "user_012", "user_013"}, got)
	assert.Len(t, m.requests(), 1)
	assert.Equal(t, "3", m.last(t).Query.Get("page"))
	assert.Equal(t, ListBlockedUsersParams{PerPage: 5, Page: 3}, *params, "the caller's params are not changed")
}

func TestBlockedUsersService_All_YieldsAFailureOnceAndStops(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/user_000/blockedusers").Reply(200).BodyString(blockedPage(1, 5, 24))
	m.on("GET", "/users/user_000/blockedusers").Reply(404).BodyString(uidNotFound)

	var uids []string
	var errs []error
	for u, err := range m.BlockedUsers.All(context.Background(), "user_000", &ListBlockedUsersParams{PerPage: 5}) {
		if u != nil {
			uids = append(uids, u.UID)
		}
		errs = append(errs, err)
	}
	assert.Equal(t, recordedUIDs(5), uids)
	require.Len(t, errs, 6)
	assert.ErrorIs(t, errs[5], ErrUIDNotFound)
	assert.Len(t, m.requests(), 2)
}

func TestBlockedUsersService_ListAndAll_RejectInvalidArgumentsBeforeSending(t *testing.T) {
	for _, tt := range []struct {
		uid    string
		params *ListBlockedUsersParams
		field  string
	}{
		{"", nil, "uid"},
		{"user 000", nil, "uid"},
		{"user_000", &ListBlockedUsersParams{PerPage: -5}, "perPage"},
		{"user_000", &ListBlockedUsersParams{PerPage: 1001}, "perPage"},
		{"user_000", &ListBlockedUsersParams{Page: -1}, "page"},
	} {
		m := newMock(t)
		page, err := m.BlockedUsers.List(context.Background(), tt.uid, tt.params)
		assert.Nil(t, page)
		requireValidationField(t, err, tt.field)
		n := 0
		for u, err := range m.BlockedUsers.All(context.Background(), tt.uid, tt.params) {
			n++
			assert.Nil(t, u)
			requireValidationField(t, err, tt.field)
		}
		assert.Equal(t, 1, n)
		assert.Empty(t, m.requests())
	}
}

func TestBlockedUsersService_List_AnswerWithoutDataIsInvalidResponse(t *testing.T) {
	for what, answer := range answersWithoutData(true) {
		t.Run(what, func(t *testing.T) {
			m := newMock(t)
			m.on("GET", "/users/user_000/blockedusers").Reply(200).BodyString(answer)

			page, err := m.BlockedUsers.List(context.Background(), "user_000", nil)
			assert.Nil(t, page)
			assert.ErrorIs(t, err, ErrInvalidResponse)
		})
	}
}
