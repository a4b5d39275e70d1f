package cometchat

import (
	"context"
	"hash/fnv"
	"iter"
	"net/http"
	"net/url"
	"time"

	"github.com/gocometchat/cometchat/internal/wire"
	"github.com/google/go-querystring/query"
)

// Pagination is the position of a page in a list, from the answer's meta.pagination.
type Pagination struct {
	// Total is the number of items in the whole list; -1 where the server does not know it
	// (BlockedUsers.List, whose answers always say 0).
	Total int
	// Count is the number of items on this page.
	Count   int
	PerPage int
	// CurrentPage is 1-based. TotalPages is 0 for an empty list; for BlockedUsers.List it is the server's
	// CurrentPage+1 while pages are full, so it grows as you page.
	CurrentPage, TotalPages int
}

// Cursor is a list's meta.cursor: the time of the newest change to the listed items and how new items relate to
// the list ("prepend": they come first). The SDK pages by page number; Cursor is informational.
type Cursor struct {
	UpdatedAt time.Time
	Affix     string
}

// page is one page of a list, converted: what every List returns before it picks its page type.
type page[T any] struct {
	items      []*T
	pagination Pagination
	cursor     Cursor
}

// getPage performs a list call (GET path?query) and converts its items. A 2xx answer without a "data" array is an
// error matching ErrInvalidResponse.
func getPage[W, T any](ctx context.Context, c *Client, path string, query url.Values, convert func(*W) *T, opts ...RequestOption) (*page[T], error) {
	var env wire.List[W]
	if err := c.do(ctx, http.MethodGet, path, query, nil, &env, wire.Unmarshal, opts); err != nil {
		return nil, err
	}
	if env.Data == nil {
		return nil, errNoData(http.MethodGet, path)
	}
	p, cur := env.PageMeta()
	out := &page[T]{
		items: make([]*T, len(*env.Data)),
		pagination: Pagination{
			Total:       int(p.Total),
			Count:       int(p.Count),
			PerPage:     int(p.PerPage),
			CurrentPage: int(p.CurrentPage),
			TotalPages:  int(p.TotalPages),
		},
	}
	if cur != nil {
		out.cursor = Cursor{UpdatedAt: cur.UpdatedAt.Time(), Affix: cur.Affix}
	}
	for i := range *env.Data {
		out.items[i] = convert(&(*env.Data)[i])
	}
	return out, nil
}

// encodeQuery encodes list params with go-querystring, from their url tags (zero values left out, lists
// comma-separated); nil encodes as no query. The params types hold only strings, ints, bools and string slices,
// which go-querystring always encodes, so its error cannot happen.
func encodeQuery[P any](params *P) url.Values {
	if params == nil {
		return nil
	}
	q, _ := query.Values(params)
	return q
}

// paginate is the paging engine of every All method. It fetches page after page starting at first (0 means 1),
// holding one page at a time, and yields their items. It stops after the last page (CurrentPage >= TotalPages,
// re-read on every page), on an empty page, when the loop breaks, and on a server that repeats itself: a page
// number at or below one already seen, a page with the same items as an earlier one (in any order), a page with
// nothing the previous page did not already have or starting with the previous page's first item, or more pages
// than the first page's Total can fill (with room for items added while paging). A failure is yielded once as
// (nil, err) and ends the sequence. key identifies an item.
func paginate[T any](ctx context.Context, first int, fetch func(ctx context.Context, page int) (*page[T], error), key func(*T) string) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		var (
			pageNum   = max(first, 1)
			lastSeen  = 0
			maxPage   = 0 // from the first page's Total; 0: no bound known
			seenPages = make(map[uint64]bool)
			previous  map[string]bool
			prevFirst string
		)
		for {
			p, err := fetch(ctx, pageNum)
			if err != nil {
				yield(nil, err)
				return
			}
			current := p.pagination.CurrentPage
			if current == 0 {
				current = pageNum
			}
			keys, sum := pageKeys(p.items, key)
			if len(p.items) == 0 || current <= lastSeen || seenPages[sum] || subset(keys, previous) ||
				key(p.items[0]) == prevFirst {
				return
			}
			for _, it := range p.items {
				if !yield(it, nil) {
					return
				}
			}
			if maxPage == 0 && p.pagination.Total > 0 {
				perPage := max(p.pagination.PerPage, len(p.items))
				maxPage = current + 2*((p.pagination.Total+perPage-1)/perPage) + 1
			}
			if current >= p.pagination.TotalPages || maxPage > 0 && current >= maxPage {
				return
			}
			lastSeen, seenPages[sum], previous, prevFirst, pageNum = current, true, keys, key(p.items[0]), current+1
		}
	}
}

// failed is a sequence that yields err once: what an All method returns for arguments it rejects.
func failed[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}

// pageKeys returns the keys of a page's items and an order-independent checksum of them.
func pageKeys[T any](items []*T, key func(*T) string) (map[string]bool, uint64) {
	keys := make(map[string]bool, len(items))
	var sum uint64
	for _, it := range items {
		k := key(it)
		keys[k] = true
		h := fnv.New64a()
		_, _ = h.Write([]byte(k))
		sum += h.Sum64()
	}
	return keys, sum
}

// subset reports whether every key of a is in b (and b is not nil): the page brings nothing new.
func subset(a, b map[string]bool) bool {
	if b == nil {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}
