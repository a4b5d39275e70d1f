package cometchat

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// utPagingCap bounds how many requests a paging server answers before it
// fails the test, so an iterator that never stops ends the test instead of
// hanging it.
const utPagingCap = 20

// utPager serves a list endpoint from fixed pages and records what was
// asked. The answer to page n (1-based) is pages[n-1]; past the end, an
// empty page. current_page echoes the request and total_pages is
// len(pages), unless answer overrides the whole body.
type utPager struct {
	t     *testing.T
	field string // "uid" for users, "authToken" for tokens
	pages [][]string
	// answer, when set, builds the body for the n-th request (1-based) of
	// page number page; "" falls back to the default body.
	answer func(n, page int) string

	mu      sync.Mutex
	queries []url.Values
}

func (p *utPager) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	testMethod(p.t, r, http.MethodGet)
	p.mu.Lock()
	p.queries = append(p.queries, r.URL.Query())
	n := len(p.queries)
	p.mu.Unlock()
	if n > utPagingCap {
		p.t.Errorf("the iterator sent more than %d requests: it does not stop", utPagingCap)
		replyJSON(w, http.StatusOK, `{"data":[]}`)
		return
	}
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil {
		page = 1
	}
	if p.answer != nil {
		if body := p.answer(n, page); body != "" {
			replyJSON(w, http.StatusOK, body)
			return
		}
	}
	var items []string
	if page >= 1 && page <= len(p.pages) {
		items = p.pages[page-1]
	}
	replyJSON(w, http.StatusOK, utPageBody(p.field, items, page, len(p.pages)))
}

// utPageBody is a list answer holding items, as page current of total.
func utPageBody(field string, items []string, current, total int) string {
	objs := make([]string, len(items))
	for i, id := range items {
		objs[i] = fmt.Sprintf(`{%q:%q,"uid":"owner","name":"N"}`, field, id)
		if field == "uid" {
			objs[i] = fmt.Sprintf(`{"uid":%q,"name":"N"}`, id)
		}
	}
	return fmt.Sprintf(`{"data":[%s],"meta":{"pagination":{"total":%d,"count":%d,"per_page":%d,"current_page":%d,"total_pages":%d}}}`,
		strings.Join(objs, ","), total*len(items), len(items), len(items), current, total)
}

// requestedPages returns the page query parameter of every request.
func (p *utPager) requestedPages() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, len(p.queries))
	for i, q := range p.queries {
		out[i] = q.Get("page")
	}
	return out
}

// allQueries returns the query of every request.
func (p *utPager) allQueries() []url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]url.Values(nil), p.queries...)
}

func (p *utPager) requests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queries)
}

// utPair is one pair an iterator yielded.
type utPair[T any] struct {
	item T
	err  error
}

// utCollect ranges over seq to its end (never breaking) and returns every pair.
func utCollect[T any](seq func(func(T, error) bool)) []utPair[T] {
	var out []utPair[T]
	for item, err := range seq {
		out = append(out, utPair[T]{item, err})
	}
	return out
}

func utUIDsOf(t *testing.T, pairs []utPair[*User]) []string {
	t.Helper()
	var out []string
	for _, p := range pairs {
		if assert.NoError(t, p.err) && assert.NotNil(t, p.item) {
			out = append(out, p.item.UID)
		}
	}
	return out
}

func utNewUserPager(t *testing.T, pages ...[]string) (*Client, *utPager) {
	client, mux, _ := setup(t)
	p := &utPager{t: t, field: "uid", pages: pages}
	mux.Handle("/users", p)
	return client, p
}

var utThreePages = [][]string{{"u1", "u2"}, {"u3", "u4"}, {"u5"}}

func TestUsersAll_WalksEveryPage(t *testing.T) {
	t.Parallel()
	client, pager := utNewUserPager(t, utThreePages...)
	params := &ListUsersParams{PerPage: 2, SearchKey: "u", Tags: []string{"a", "b"}, WithTags: true}
	seq := client.Users.All(context.Background(), params)
	assert.Zero(t, pager.requests(), "All fetches nothing until ranged over")

	got := utUIDsOf(t, utCollect(seq))
	assert.Equal(t, []string{"u1", "u2", "u3", "u4", "u5"}, got)
	assert.Equal(t, []string{"1", "2", "3"}, pager.requestedPages(), "stops at total_pages without an extra request")
	for i, q := range pager.allQueries() {
		assert.Equal(t, url.Values{
			"perPage": {"2"}, "searchKey": {"u"}, "tags": {"a,b"}, "withTags": {"true"}, "page": {strconv.Itoa(i + 1)},
		}, q, "every page keeps the filters")
	}
}

func TestUsersAll_NilParams(t *testing.T) {
	t.Parallel()
	client, pager := utNewUserPager(t, []string{"a"}, []string{"b"})
	got := utUIDsOf(t, utCollect(client.Users.All(context.Background(), nil)))
	assert.Equal(t, []string{"a", "b"}, got)
	assert.Equal(t, []url.Values{{"page": {"1"}}, {"page": {"2"}}}, pager.allQueries())
}

func TestUsersAll_StartsAtParamsPage(t *testing.T) {
	t.Parallel()
	client, pager := utNewUserPager(t, utThreePages...)
	got := utUIDsOf(t, utCollect(client.Users.All(context.Background(), &ListUsersParams{PerPage: 2, Page: 2})))
	assert.Equal(t, []string{"u3", "u4", "u5"}, got)
	assert.Equal(t, []string{"2", "3"}, pager.requestedPages())
}

func TestUsersAll_CopiesParams(t *testing.T) {
	t.Parallel()
	client, pager := utNewUserPager(t, utThreePages...)
	params := &ListUsersParams{PerPage: 2, Roles: []string{"admin"}, SearchIn: []string{"uid"}}
	before := *params
	first := utUIDsOf(t, utCollect(client.Users.All(context.Background(), params)))
	assert.Equal(t, before, *params, "the caller's params are unchanged")
	assert.Zero(t, params.Page)

	// The same params walk the same pages again.
	second := utUIDsOf(t, utCollect(client.Users.All(context.Background(), params)))
	assert.Equal(t, first, second)
	assert.Equal(t, []string{"1", "2", "3", "1", "2", "3"}, pager.requestedPages())

	// Changing params after All was called does not change the walk.
	seq := client.Users.All(context.Background(), params)
	params.Page = 3
	params.PerPage = 999
	got := utUIDsOf(t, utCollect(seq))
	assert.Equal(t, first, got)
	qs := pager.allQueries()
	assert.Equal(t, "2", qs[len(qs)-1].Get("perPage"))
}

func TestUsersAll_BreakStopsFetching(t *testing.T) {
	t.Parallel()
	for _, stopAfter := range []int{1, 2, 3} {
		t.Run(strconv.Itoa(stopAfter), func(t *testing.T) {
			t.Parallel()
			client, pager := utNewUserPager(t, utThreePages...)
			n := 0
			for u, err := range client.Users.All(context.Background(), &ListUsersParams{PerPage: 2}) {
				require.NoError(t, err)
				require.NotNil(t, u)
				n++
				if n == stopAfter {
					break
				}
			}
			assert.Equal(t, stopAfter, n)
			wantRequests := (stopAfter + 1) / 2 // two users a page
			assert.Equal(t, wantRequests, pager.requests(), "no page is fetched after the loop breaks")
		})
	}
}

func TestUsersAll_ErrorMidwayYieldedOnceThenStops(t *testing.T) {
	t.Parallel()
	client, mux, _ := setupWith(t, WithMaxRetries(0))
	p := &utPager{t: t, field: "uid", pages: utThreePages}
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "2" {
			p.mu.Lock()
			p.queries = append(p.queries, r.URL.Query())
			p.mu.Unlock()
			replyJSON(w, http.StatusInternalServerError, `{"error":{"message":"boom","source":"chat-api","code":"ERR_MISSION_FAILED"}}`)
			return
		}
		p.ServeHTTP(w, r)
	})
	pairs := utCollect(client.Users.All(context.Background(), &ListUsersParams{PerPage: 2}))
	require.Len(t, pairs, 3, "two users, then one error, then nothing")
	assert.Equal(t, "u1", pairs[0].item.UID)
	assert.Equal(t, "u2", pairs[1].item.UID)
	assert.Nil(t, pairs[2].item, "the error comes with a nil user")
	assert.ErrorIs(t, pairs[2].err, ErrMissionFailed)
	assert.Equal(t, []string{"1", "2"}, p.requestedPages(), "no request after the failure")
}

func TestUsersAll_FirstPageError(t *testing.T) {
	t.Parallel()
	client, mux, _ := setupWith(t, WithMaxRetries(0))
	calls := 0
	var mu sync.Mutex
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		mu.Unlock()
		replyJSON(w, http.StatusForbidden, specErrNoAccess)
	})
	pairs := utCollect(client.Users.All(context.Background(), nil))
	require.Len(t, pairs, 1)
	assert.Nil(t, pairs[0].item)
	assert.ErrorIs(t, pairs[0].err, ErrNoAccess)
	mu.Lock()
	assert.Equal(t, 1, calls)
	mu.Unlock()
}

func TestUsersAll_EmptyPageStops(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	p := &utPager{t: t, field: "uid", answer: func(n, page int) string {
		if page == 1 {
			return utPageBody("uid", []string{"a", "b"}, 1, 5) // claims 5 pages
		}
		return `{"data":[],"meta":{"pagination":{"total":10,"count":0,"per_page":2,"current_page":2,"total_pages":5}}}`
	}}
	mux.Handle("/users", p)
	got := utUIDsOf(t, utCollect(client.Users.All(context.Background(), &ListUsersParams{PerPage: 2})))
	assert.Equal(t, []string{"a", "b"}, got)
	assert.Equal(t, []string{"1", "2"}, p.requestedPages())
}

func TestUsersAll_EmptyList(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	p := &utPager{t: t, field: "uid", answer: func(n, page int) string {
		return `{"data":[],"meta":{"pagination":{"total":0,"count":0,"per_page":100,"current_page":1,"total_pages":0}}}`
	}}
	mux.Handle("/users", p)
	assert.Empty(t, utCollect(client.Users.All(context.Background(), nil)))
	assert.Equal(t, 1, p.requests())
}

// TestUsersAll_ServerThatDoesNotAdvance: never loop forever on a server that
// ignores the page number (go-github #3976's lesson).
func TestUsersAll_ServerThatDoesNotAdvance(t *testing.T) {
	t.Parallel()
	page1 := []string{"a", "b"}
	tests := map[string]func(n, page int) string{
		"repeats page 1 as page 1": func(n, page int) string {
			return utPageBody("uid", page1, 1, 5)
		},
		"repeats page 1 labelled as the requested page": func(n, page int) string {
			return utPageBody("uid", page1, page, 5)
		},
		"repeats page 1 without current_page": func(n, page int) string {
			return `{"data":[{"uid":"a","name":"A"},{"uid":"b","name":"B"}],"meta":{"pagination":{"total":10,"count":2,"per_page":2,"total_pages":5}}}`
		},
		"goes back to an earlier page": func(n, page int) string {
			if page <= 2 {
				return utPageBody("uid", []string{fmt.Sprintf("p%d", page)}, page, 5)
			}
			return utPageBody("uid", []string{"p1"}, 1, 5)
		},
	}
	for name, answer := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			p := &utPager{t: t, field: "uid", answer: answer}
			mux.Handle("/users", p)
			pairs := utCollect(client.Users.All(context.Background(), &ListUsersParams{PerPage: 2}))
			require.Less(t, p.requests(), utPagingCap, "the iterator must stop on its own")
			seen := map[string]int{}
			for _, pr := range pairs {
				require.NoError(t, pr.err)
				seen[pr.item.UID]++
			}
			for uid, n := range seen {
				assert.Equal(t, 1, n, "%s yielded %d times: a repeated page must not be yielded again", uid, n)
			}
			assert.LessOrEqual(t, p.requests(), 3)
		})
	}
}

func TestUsersAll_MissingMetaStopsAfterOnePage(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	p := &utPager{t: t, field: "uid", answer: func(n, page int) string {
		return `{"data":[{"uid":"a","name":"A"},{"uid":"b","name":"B"}]}`
	}}
	mux.Handle("/users", p)
	got := utUIDsOf(t, utCollect(client.Users.All(context.Background(), nil)))
	assert.Equal(t, []string{"a", "b"}, got)
	assert.Equal(t, 1, p.requests())
}

func TestUsersAll_SpecPageWithCursor(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	p := &utPager{t: t, field: "uid", answer: func(n, page int) string {
		if page == 1 {
			return specBodyListUsers // current_page 1 of 5
		}
		return `{"data":[],"meta":{"pagination":{"total":25,"count":0,"per_page":5,"current_page":` + strconv.Itoa(page) + `,"total_pages":5}}}`
	}}
	mux.Handle("/users", p)
	got := utUIDsOf(t, utCollect(client.Users.All(context.Background(), &ListUsersParams{PerPage: 5})))
	assert.Equal(t, []string{"cometchat-uid-2"}, got)
	assert.Equal(t, []string{"1", "2"}, p.requestedPages())
}

func TestUsersAll_ValidationErrorYieldedOnce(t *testing.T) {
	t.Parallel()
	c, sent := utNewOfflineClient(t)
	for name, seq := range map[string]func(func(*User, error) bool){
		"PerPage":    c.Users.All(context.Background(), &ListUsersParams{PerPage: 1001}),
		"Page":       c.Users.All(context.Background(), &ListUsersParams{Page: -1}),
		"onBehalfOf": c.Users.All(context.Background(), nil, OnBehalfOf("../x")),
	} {
		pairs := utCollect(seq)
		require.Len(t, pairs, 1, name)
		assert.Nil(t, pairs[0].item)
		utAssertValidation(t, pairs[0].err, name)
	}
	pairs := utCollect(c.AuthTokens.All(context.Background(), "a/b", nil))
	require.Len(t, pairs, 1)
	assert.Nil(t, pairs[0].item)
	utAssertValidation(t, pairs[0].err, "uid")
	utAssertNothingSent(t, sent)
}

func utNewTokenPager(t *testing.T, pages ...[]string) (*Client, *utPager) {
	client, mux, _ := setup(t)
	p := &utPager{t: t, field: "authToken", pages: pages}
	mux.Handle("/users/alice/auth_tokens", p)
	return client, p
}

func utTokensOf(t *testing.T, pairs []utPair[*AuthToken]) []string {
	t.Helper()
	var out []string
	for _, p := range pairs {
		if assert.NoError(t, p.err) && assert.NotNil(t, p.item) {
			out = append(out, p.item.Token)
		}
	}
	return out
}

func TestAuthTokensAll_WalksEveryPage(t *testing.T) {
	t.Parallel()
	client, pager := utNewTokenPager(t, []string{"t1", "t2"}, []string{"t3", "t4"}, []string{"t5"})
	params := &ListAuthTokensParams{PerPage: 2}
	got := utTokensOf(t, utCollect(client.AuthTokens.All(context.Background(), "alice", params)))
	assert.Equal(t, []string{"t1", "t2", "t3", "t4", "t5"}, got)
	assert.Equal(t, []string{"1", "2", "3"}, pager.requestedPages())
	for i, q := range pager.allQueries() {
		assert.Equal(t, url.Values{"perPage": {"2"}, "page": {strconv.Itoa(i + 1)}}, q)
	}
	assert.Equal(t, ListAuthTokensParams{PerPage: 2}, *params, "the caller's params are unchanged")
}

func TestAuthTokensAll_StartsAtPageAndBreaks(t *testing.T) {
	t.Parallel()
	client, pager := utNewTokenPager(t, []string{"t1"}, []string{"t2"}, []string{"t3"}, []string{"t4"})
	var got []string
	for tok, err := range client.AuthTokens.All(context.Background(), "alice", &ListAuthTokensParams{Page: 2}) {
		require.NoError(t, err)
		got = append(got, tok.Token)
		if len(got) == 2 {
			break
		}
	}
	assert.Equal(t, []string{"t2", "t3"}, got)
	assert.Equal(t, []string{"2", "3"}, pager.requestedPages())
}

func TestAuthTokensAll_ErrorMidway(t *testing.T) {
	t.Parallel()
	client, mux, _ := setupWith(t, WithMaxRetries(0))
	p := &utPager{t: t, field: "authToken", pages: [][]string{{"t1"}, {"t2"}, {"t3"}}}
	mux.HandleFunc("/users/alice/auth_tokens", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "2" {
			replyJSON(w, http.StatusNotFound, specErrUIDNotFound) // deleted meanwhile
			return
		}
		p.ServeHTTP(w, r)
	})
	pairs := utCollect(client.AuthTokens.All(context.Background(), "alice", nil))
	require.Len(t, pairs, 2)
	assert.Equal(t, "t1", pairs[0].item.Token)
	assert.Nil(t, pairs[1].item)
	assert.ErrorIs(t, pairs[1].err, ErrUIDNotFound)
	assert.Equal(t, 1, p.requests(), "page 3 is never asked for")
}

func TestAuthTokensAll_ServerThatDoesNotAdvance(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	p := &utPager{t: t, field: "authToken", answer: func(n, page int) string {
		return utPageBody("authToken", []string{"t1", "t2"}, page, 50) // same tokens on every page
	}}
	mux.Handle("/users/alice/auth_tokens", p)
	got := utTokensOf(t, utCollect(client.AuthTokens.All(context.Background(), "alice", nil)))
	assert.Equal(t, []string{"t1", "t2"}, got)
	assert.LessOrEqual(t, p.requests(), 2)
}
