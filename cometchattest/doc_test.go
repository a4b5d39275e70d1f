package cometchattest

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests pin the behaviour the package doc says is copied from production, with the values of real production
// exchanges recorded in 2023 (the public php-vcr cassettes of recca0120/comet-chat): a change to the fake that
// breaks fidelity fails here.

// assertProductionHeaders checks the headers production sends on every answer.
func assertProductionHeaders(t *testing.T, r response) {
	t.Helper()
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Equal(t, "must-revalidate, no-cache, private", r.header.Get("Cache-Control"))
	assert.Equal(t, "Accept-Encoding", r.header.Get("Vary"))
	assert.Equal(t, strconv.Itoa(len(r.raw)), r.header.Get("Content-Length"))
}

// assertRateHeaders checks the four X-RateLimit-* headers.
func assertRateHeaders(t *testing.T, r response, limit, remaining, appLimit, appRemaining string) {
	t.Helper()
	assert.Equal(t, []string{limit}, r.header.Values("X-RateLimit-Limit"))
	assert.Equal(t, []string{remaining}, r.header.Values("X-RateLimit-Remaining"))
	assert.Equal(t, []string{appLimit}, r.header.Values("X-RateLimit-Limit-For-App"))
	assert.Equal(t, []string{appRemaining}, r.header.Values("X-RateLimit-Remaining-For-App"))
}

// Recorded (user/exhausted_quota.yaml): the 26th user of a free plan.
const recordedQuotaBody = `{"error":{"message":"You've exhausted the quota. The allowed limit of the feature Create User for your current plan free-2023-01 is 25. Please upgrade the plan to increase the limit.","devMessage":"You've exhausted the quota. The allowed limit of the feature Create User for your current plan free-2023-01 is 25. Please upgrade the plan to increase the limit.","source":"chat-api","code":"ERR_PLAN_QUOTA_RESTRICTION"}}`

func TestServer_Fidelity_PlanQuotaRefusesThe26thUser(t *testing.T) {
	srv, _ := newTestServer(t, WithUserLimit(25))
	var seeds []*cometchat.User
	for i := range 24 {
		seeds = append(seeds, &cometchat.User{UID: fmt.Sprintf("user_%03d", i+1), Name: "N"})
	}
	seeds[0].DeactivatedAt = t0 // deactivated users count
	require.NoError(t, srv.AddUsers(seeds...))
	call(t, srv, http.MethodPost, "/users", `{"uid":"user_025","name":"test"}`).data(t)

	r := call(t, srv, http.MethodPost, "/users", `{"uid":"user_000","name":"test","avatar":"https://via.placeholder.com/640x480.png/001122?text=accusamus","link":"https://ankunding.com/commodi-debitis-sed-laboriosam-aliquid-voluptatum-enim-doloremque","withAuthToken":true}`)
	assert.Equal(t, http.StatusPaymentRequired, r.status)
	assert.Equal(t, recordedQuotaBody, r.raw)
	assert.Equal(t, "418", r.header.Get("Content-Length"), "recorded length")
	assertProductionHeaders(t, r)
	assertRateHeaders(t, r, "10000", "9998", "100000", "99998") // the recorded values: the app's second request
	_, ok := srv.User("user_000")
	assert.False(t, ok)

	// The quota is n: the message names it.
	small, _ := newTestServer(t, WithUserLimit(1))
	createUser(t, small, `{"uid":"a","name":"A"}`)
	e := call(t, small, http.MethodPost, "/users", `{"uid":"b","name":"B"}`).apiErr(t, http.StatusPaymentRequired, "ERR_PLAN_QUOTA_RESTRICTION")
	assert.Equal(t, "You've exhausted the quota. The allowed limit of the feature Create User for your current plan free-2023-01 is 1. Please upgrade the plan to increase the limit.", e["message"])
	assert.Equal(t, e["message"], e["devMessage"])
}

// recordedListCreatedAt are the createdAt of user_000 … user_024 in user/list_users.yaml.
var recordedListCreatedAt = []int64{1694667958, 1694667959, 1694667960, 1694667961, 1694667962, 1694667963,
	1694667964, 1694667965, 1694667966, 1694667967, 1694667968, 1694667970, 1694667971, 1694667972, 1694667973,
	1694667974, 1694667975, 1694667976, 1694667978, 1694667979, 1694667980, 1694667981, 1694667982, 1694667983,
	1694667984}

func TestServer_Fidelity_ListCursorIsTheNewestOfTheWholeList(t *testing.T) {
	srv, _ := newTestServer(t)
	var seeds []*cometchat.User
	for i, at := range recordedListCreatedAt {
		uid := fmt.Sprintf("user_%03d", i)
		seeds = append(seeds, &cometchat.User{UID: uid, Name: uid, CreatedAt: time.Unix(at, 0)})
	}
	require.NoError(t, srv.AddUsers(seeds...))
	for page := 1; page <= 5; page++ {
		r := call(t, srv, http.MethodGet, "/users?perPage=5&page="+strconv.Itoa(page), "[]")
		var items string
		for i := 0; i < 5; i++ {
			n := 25 - (page-1)*5 - 1 - i
			if i > 0 {
				items += ","
			}
			items += fmt.Sprintf(`{"uid":"user_%03d","name":"user_%03d","status":"offline","role":"default","createdAt":%d}`, n, n, recordedListCreatedAt[n])
		}
		assert.JSONEq(t, `{"data":[`+items+`],"meta":{"pagination":{"total":25,"count":5,"per_page":5,"current_page":`+
			strconv.Itoa(page)+`,"total_pages":5},"cursor":{"updatedAt":1694667984,"affix":"prepend"}}}`, r.raw, "page %d", page)
		assertProductionHeaders(t, r)
		assertRateHeaders(t, r, "20000", strconv.Itoa(20000-page), "100000", strconv.Itoa(100000-page))
	}
}

func TestServer_Fidelity_UpdateTokenWithEmptyPHPArrayBody(t *testing.T) {
	srv, _ := newTestServer(t)
	const tok = "user_000_1694668129d2eca40a65abba29e6860224018ad8"
	require.NoError(t, srv.AddUsers(&cometchat.User{UID: "user_000", Name: "user_000", CreatedAt: time.Unix(1694668129, 0), AuthToken: tok}))
	r := call(t, srv, http.MethodPut, "/users/user_000/auth_tokens/"+tok, "[]")
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, `{"data":{"uid":"user_000","authToken":"`+tok+`","createdAt":1694668129}}`, r.raw, "recorded body")
	assert.Equal(t, "114", r.header.Get("Content-Length"), "recorded length")
	assertProductionHeaders(t, r)
	assertRateHeaders(t, r, "20000", "19999", "100000", "99999")
}

// Recorded (message/get_message.yaml #0): a POST to an endpoint that only takes GET.
const recordedNotFoundBody = `{"error":{"message":"The API endpoint is invalid. Please verify the API call.","devMessage":"The endpoint of the API is invalid. Please have the API call checked.","source":"chat-api","code":"ERR_API_NOT_FOUND"}}`

func TestServer_Fidelity_WrongEndpointIs404WithoutRateLimitHeaders(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, tc := range []struct{ method, path string }{{http.MethodPost, "/messages/356"}, {http.MethodPost, "/users/a"}} {
		r := call(t, srv, tc.method, tc.path, "[]")
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.Equal(t, recordedNotFoundBody, r.raw)
		assert.Equal(t, "212", r.header.Get("Content-Length"), "recorded length")
		assertProductionHeaders(t, r)
		for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Limit-For-App", "X-RateLimit-Remaining-For-App"} {
			assert.Empty(t, r.header.Values(h), h)
		}
	}
	r := call(t, srv, http.MethodGet, "/users", "")
	assertRateHeaders(t, r, "20000", "19999", "100000", "99999") // the 404s were not counted
}
