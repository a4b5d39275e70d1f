package cometchat

import (
	"context"
	"encoding/json"
	"io"
	"iter"
	"strconv"
	"time"
)

// Pagination is the position of a page in a list, from the answer's
// meta.pagination. TotalPages is 0 for an empty list.
type Pagination struct{ Total, Count, PerPage, CurrentPage, TotalPages int }

// Cursor is the users list's meta.cursor: the time of the newest update the
// server saw and how new users relate to the list ("prepend": they come
// first). The SDK pages by page number; Cursor is informational.
type Cursor struct {
	UpdatedAt time.Time
	Affix     string
}

// envelope is the success body: {"data": ..., "meta": ...}. The cursor sits
// inside meta on the real API; the OpenAPI example puts it at the top level,
// so both are read (UNCONFIRMED which one every endpoint uses: lenient).
type envelope[D any] struct {
	Data   D           `json:"data"`
	Meta   *wireMeta   `json:"meta"`
	Cursor *wireCursor `json:"cursor"`

	used bool // an attempt decoded into it: the next one starts from zero
}

type wireMeta struct {
	Pagination wirePagination `json:"pagination"`
	Cursor     *wireCursor    `json:"cursor"`
}

type wirePagination struct {
	Total       flexInt `json:"total"`
	Count       flexInt `json:"count"`
	PerPage     flexInt `json:"per_page"`
	CurrentPage flexInt `json:"current_page"`
	TotalPages  flexInt `json:"total_pages"`
}

type wireCursor struct {
	UpdatedAt unixTime `json:"updatedAt"`
	Affix     string   `json:"affix"`
}

// decode implements decoder: it decodes straight from the response stream,
// holding no copy of the body beyond the decoder's own buffer. The first
// attempt decodes into e as the caller prepared it (a list's Data may be
// an empty slice with room for the page, which the decoder fills without
// growing it step by step); a retry starts from the zero envelope.
func (e *envelope[D]) decode(r io.Reader) error {
	if e.used {
		*e = envelope[D]{}
	}
	e.used = true
	return json.NewDecoder(r).Decode(e)
}

func (e *envelope[D]) pagination() Pagination {
	if e.Meta == nil {
		return Pagination{}
	}
	p := e.Meta.Pagination
	return Pagination{
		Total:       int(p.Total),
		Count:       int(p.Count),
		PerPage:     int(p.PerPage),
		CurrentPage: int(p.CurrentPage),
		TotalPages:  int(p.TotalPages),
	}
}

func (e *envelope[D]) cursor() Cursor {
	c := e.Cursor
	if e.Meta != nil && e.Meta.Cursor != nil {
		c = e.Meta.Cursor
	}
	if c == nil {
		return Cursor{}
	}
	return Cursor{UpdatedAt: c.UpdatedAt.Time(), Affix: c.Affix}
}

// flexInt decodes a JSON number or a numeric string; anything else is 0.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	*f = flexInt(parseNumber(b))
	return nil
}

// unixTime decodes CometChat's timestamps: integer Unix seconds (a float or
// a numeric string is accepted too); null, 0 and anything else are the zero
// time.Time.
type unixTime int64

func (t *unixTime) UnmarshalJSON(b []byte) error {
	*t = unixTime(parseNumber(b))
	return nil
}

// Time converts to time.Time in UTC, zero for 0.
func (t unixTime) Time() time.Time {
	if t <= 0 {
		return time.Time{}
	}
	return time.Unix(int64(t), 0).UTC()
}

// parseNumber reads an integer from a JSON number or string, truncating
// fractions; 0 when b holds neither.
func parseNumber(b []byte) int64 {
	if len(b) >= 2 && b[0] == '"' {
		b = b[1 : len(b)-1]
	}
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(string(b), 64); err == nil && f >= -1<<62 && f <= 1<<62 {
		return int64(f)
	}
	return 0
}

// pageFetcher fetches one page of a list by its 1-based number.
type pageFetcher[T any] func(ctx context.Context, page int) ([]T, Pagination, error)

// paginate is the paging engine of every All method. It fetches page after
// page starting at first (0 means 1), holding one page at a time, and stops
// after the last page (CurrentPage >= TotalPages), on an empty page, when
// the server does not advance (it answers a page number at or below one
// already seen, or repeats the previous page's first item: key identifies
// an item), or when the loop breaks. A failure is yielded once as (zero,
// err) and ends the sequence.
func paginate[T any](ctx context.Context, first int, fetch pageFetcher[T], key func(T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		page, seen, prevKey := max(first, 1), 0, ""
		for {
			items, p, err := fetch(ctx, page)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			current := p.CurrentPage
			if current == 0 {
				current = page
			}
			if len(items) == 0 || current <= seen || prevKey != "" && key(items[0]) == prevKey {
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if current >= p.TotalPages {
				return
			}
			seen, prevKey, page = current, key(items[0]), current+1
		}
	}
}
