package cometchattest

import (
	"errors"
	"math"
	"net/url"
	"strconv"
	"strings"
)

const (
	defaultPerPage = 100
	maxPerPage     = 1000
)

// parsePaging reads perPage (default 100; above 1000 clamped to 1000; below 1 or not a number → details) and page
// (1-based, default 1; below 1 or not a number → details). Empty values count as absent.
func parsePaging(d *details, v url.Values) (perPage, page int) {
	perPage, page = defaultPerPage, 1
	if s := v.Get("perPage"); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil && !(errors.Is(err, strconv.ErrRange) && n > 0):
			d.add("perPage", "The perPage must be an integer.")
		case n < 1:
			d.add("perPage", "The perPage must be at least 1.")
		default:
			perPage = min(n, maxPerPage)
		}
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil && !(errors.Is(err, strconv.ErrRange) && n > 0):
			d.add("page", "The page must be an integer.")
		case n < 1:
			d.add("page", "The page must be at least 1.")
		default:
			page = n // a huge page is simply past the end
		}
	}
	return perPage, page
}

// pageBounds is the half-open range of result positions on page, safe from overflow for any page.
func pageBounds(perPage, page int) (start, end int) {
	if page-1 >= math.MaxInt/perPage-1 {
		return math.MaxInt - 1, math.MaxInt
	}
	start = (page - 1) * perPage
	return start, start + perPage
}

func pageOf(total, count, perPage, page int) pagination {
	return pagination{
		Total:       total,
		Count:       count,
		PerPage:     perPage,
		CurrentPage: page,
		TotalPages:  (total + perPage - 1) / perPage,
	}
}

// parseBool reads a boolean query parameter: true/false, also 1/0; empty or absent is false.
func parseBool(d *details, v url.Values, name string) bool {
	switch v.Get(name) {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	default:
		d.add(name, "The "+name+" field must be true or false.")
		return false
	}
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
