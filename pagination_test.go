package cometchat

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// server is a scripted list: page n (1-based) answers pages[n-1] with its pagination, or, past the script, the
// answer of last(n). It counts fetches.
type server struct {
	pages   []fakePage
	last    func(n int) fakePage
	fetches []int
}

type fakePage struct {
	uids []string
	p    Pagination
	err  error
}

func (s *server) fetch(_ context.Context, n int) (*page[User], error) {
	s.fetches = append(s.fetches, n)
	fp := fakePage{}
	switch {
	case n-1 < len(s.pages):
		fp = s.pages[n-1]
	case s.last != nil:
		fp = s.last(n)
	}
	if fp.err != nil {
		return nil, fp.err
	}
	out := &page[User]{pagination: fp.p}
	for _, uid := range fp.uids {
		out.items = append(out.items, &User{UID: uid})
	}
	return out, nil
}

// walk runs the engine over s from first and returns the uids yielded and the error, if any.
func walk(s *server, first int) ([]string, error) {
	var uids []string
	for u, err := range paginate(context.Background(), first, s.fetch, userKey) {
		if err != nil {
			return uids, err
		}
		uids = append(uids, u.UID)
	}
	return uids, nil
}

func TestPaginate_WalksToTheLastPage(t *testing.T) {
	s := &server{pages: []fakePage{
		{[]string{"a", "b"}, Pagination{Total: 5, Count: 2, PerPage: 2, CurrentPage: 1, TotalPages: 3}, nil},
		{[]string{"c", "d"}, Pagination{Total: 5, Count: 2, PerPage: 2, CurrentPage: 2, TotalPages: 3}, nil},
		{[]string{"e"}, Pagination{Total: 5, Count: 1, PerPage: 2, CurrentPage: 3, TotalPages: 3}, nil},
	}}
	uids, err := walk(s, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, uids)
	assert.Equal(t, []int{1, 2, 3}, s.fetches)
}

func TestPaginate_StartsAtTheGivenPage(t *testing.T) {
	s := &server{last: func(n int) fakePage {
		return fakePage{[]string{fmt.Sprint(n)}, Pagination{Total: 5, PerPage: 1, CurrentPage: n, TotalPages: 5}, nil}
	}}
	uids, err := walk(s, 4)
	require.NoError(t, err)
	assert.Equal(t, []string{"4", "5"}, uids)
}

func TestPaginate_StopsOnAnEmptyPage(t *testing.T) {
	s := &server{pages: []fakePage{
		{[]string{"a"}, Pagination{Total: 9, PerPage: 1, CurrentPage: 1, TotalPages: 9}, nil},
		{nil, Pagination{Total: 9, PerPage: 1, CurrentPage: 2, TotalPages: 9}, nil},
	}}
	uids, err := walk(s, 1)
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, uids)
	assert.Len(t, s.fetches, 2)
}

func TestPaginate_ErrorYieldedOnceThenStops(t *testing.T) {
	boom := errors.New("boom")
	s := &server{pages: []fakePage{
		{[]string{"a"}, Pagination{Total: 3, PerPage: 1, CurrentPage: 1, TotalPages: 3}, nil},
		{err: boom},
	}}
	var got []error
	n := 0
	for u, err := range paginate(context.Background(), 1, s.fetch, userKey) {
		n++
		if err != nil {
			assert.Nil(t, u)
			got = append(got, err)
		}
	}
	assert.Equal(t, []error{boom}, got)
	assert.Equal(t, 2, n)
}

func TestPaginate_BreakStopsFetching(t *testing.T) {
	s := &server{last: func(n int) fakePage {
		return fakePage{[]string{fmt.Sprint(n, "a"), fmt.Sprint(n, "b")}, Pagination{Total: 100, PerPage: 2, CurrentPage: n, TotalPages: 50}, nil}
	}}
	for u := range paginate(context.Background(), 1, s.fetch, userKey) {
		if u.UID == "2a" {
			break
		}
	}
	assert.Equal(t, []int{1, 2}, s.fetches)
}

func TestPaginate_ServersThatRepeatThemselvesEnd(t *testing.T) {
	tests := []struct {
		name string
		last func(n int) fakePage
		max  int // fetches allowed
	}{
		{
			// Security issue #11, break 8: pages alternate [a,b] / [b,a], current_page echoed, total_pages = page+1.
			name: "alternating pages",
			last: func(n int) fakePage {
				uids := []string{"a", "b"}
				if n%2 == 0 {
					uids = []string{"b", "a"}
				}
				return fakePage{uids, Pagination{Total: 2, PerPage: 2, CurrentPage: n, TotalPages: n + 1}, nil}
			},
			max: 2,
		},
		{
			name: "the same page whatever is asked",
			last: func(int) fakePage {
				return fakePage{[]string{"a", "b"}, Pagination{Total: 10, PerPage: 2, CurrentPage: 1, TotalPages: 5}, nil}
			},
			max: 2,
		},
		{
			name: "page number echoed, first item repeats",
			last: func(n int) fakePage {
				return fakePage{[]string{"a", fmt.Sprint(n)}, Pagination{PerPage: 2, CurrentPage: n, TotalPages: n + 1}, nil}
			},
			max: 2,
		},
		{
			name: "a cycle of three pages",
			last: func(n int) fakePage {
				k := n % 3
				return fakePage{[]string{fmt.Sprint(k, "x"), fmt.Sprint(k, "y")}, Pagination{Total: 0, PerPage: 2, CurrentPage: n, TotalPages: n + 1}, nil}
			},
			max: 4,
		},
		{
			name: "a page with nothing new",
			last: func(n int) fakePage {
				if n == 1 {
					return fakePage{[]string{"a", "b", "c"}, Pagination{PerPage: 3, CurrentPage: 1, TotalPages: 9}, nil}
				}
				return fakePage{[]string{"c", "a"}, Pagination{PerPage: 3, CurrentPage: n, TotalPages: 9}, nil}
			},
			max: 2,
		},
		{
			name: "endless fresh pages past the first page's total",
			last: func(n int) fakePage {
				return fakePage{[]string{fmt.Sprint(n)}, Pagination{Total: 10, PerPage: 1, CurrentPage: n, TotalPages: n + 1}, nil}
			},
			max: 22,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &server{last: tt.last}
			uids, err := walk(s, 1)
			require.NoError(t, err)
			assert.LessOrEqual(t, len(s.fetches), tt.max)
			seen := map[string]bool{}
			for _, uid := range uids {
				assert.False(t, seen[uid], "yielded %s twice", uid)
				seen[uid] = true
			}
		})
	}
}

func TestPaginate_BlockedUsersGrowingTotalPagesYieldsEveryoneOnce(t *testing.T) {
	// The recorded blocked-users list: total 0, total_pages = current+1 while pages are full.
	var pages []fakePage
	for n := 1; n <= 5; n++ {
		var uids []string
		for i := (n-1)*5 + 1; i <= min(n*5, 24); i++ {
			uids = append(uids, fmt.Sprintf("user_%03d", i))
		}
		tp := n + 1
		if len(uids) < 5 {
			tp = n
		}
		pages = append(pages, fakePage{uids, Pagination{Total: 0, Count: len(uids), PerPage: 5, CurrentPage: n, TotalPages: tp}, nil})
	}
	s := &server{pages: pages}
	uids, err := walk(s, 1)
	require.NoError(t, err)
	require.Len(t, uids, 24)
	assert.Equal(t, "user_001", uids[0])
	assert.Equal(t, "user_024", uids[23])
	assert.Equal(t, []int{1, 2, 3, 4, 5}, s.fetches)
}

func TestGetPage_AnswerWithoutADataArrayIsErrInvalidResponse(t *testing.T) {
	for _, body := range []string{`{"data":null}`, `{}`, `null`, `{"error":{"code":"ERR_BAD_REQUEST"}}`, `{"meta":{"pagination":{"total":3}}}`} {
		m := newMock(t)
		m.on("GET", "/users").Times(2).Reply(200).BodyString(body)
		page, err := m.Users.List(context.Background(), nil)
		assert.Nil(t, page, body)
		assert.ErrorIs(t, err, ErrInvalidResponse, body)
		var n int
		for _, err := range m.Users.All(context.Background(), nil) {
			n++
			assert.ErrorIs(t, err, ErrInvalidResponse, body)
		}
		assert.Equal(t, 1, n)
	}
}

func TestGetPage_EmptyDataArrayIsAnEmptyPage(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users").Reply(200).BodyString(`{"data":[],"meta":{"pagination":{"total":0,"count":0,"per_page":100,"current_page":1,"total_pages":0}}}`)
	page, err := m.Users.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, page.Users)
	assert.Equal(t, Pagination{PerPage: 100, CurrentPage: 1}, page.Pagination)
}
