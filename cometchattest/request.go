package cometchattest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// maxBodyBytes bounds every request body. The largest valid one, an import of 50 users with every field at its
// limit in 4-byte runes, is about 1.1 MB.
const maxBodyBytes = 4 << 20

const (
	defaultPerPage = 100
	maxPerPage     = 1000
)

// readBody decodes the JSON body into dst. An absent or empty body leaves dst as it is (every endpoint that takes
// a body treats that as {}); anything else that is not a JSON object of the right types is a 400 (or a 413 when
// too large), written here. It reports whether the handler may go on.
func readBody(w http.ResponseWriter, r *http.Request, dst any) bool {
	raw, e, ok := readRaw(w, r)
	if !ok {
		writeError(w, e)
		return false
	}
	if len(raw) == 0 || isEmptyArray(raw) { // PHP's json_encode sends an empty map as []
		return true
	}
	if e, ok := decodeInto(raw, dst); !ok {
		writeError(w, e)
		return false
	}
	return true
}

// isEmptyArray reports whether raw is the JSON text [] (with any whitespace inside). Clients written in PHP encode
// an empty associative array that way, and production accepts it wherever it accepts {}.
func isEmptyArray(raw []byte) bool {
	return len(raw) >= 2 && raw[0] == '[' && raw[len(raw)-1] == ']' && len(bytes.TrimSpace(raw[1:len(raw)-1])) == 0
}

func readRaw(w http.ResponseWriter, r *http.Request) ([]byte, apiError, bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, apiError{}, true
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errBodyTooLarge(), false
		}
		return nil, errBadBody("reading the body: " + err.Error()), false
	}
	return bytes.TrimSpace(raw), apiError{}, true
}

// decodeInto unmarshals a JSON object into dst, turning type mismatches into per-field validation details.
func decodeInto(raw []byte, dst any) (apiError, bool) {
	err := json.Unmarshal(raw, dst)
	if err == nil {
		return apiError{}, true
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := strings.TrimPrefix(typeErr.Field, "userInput.") // the embedded struct's Go name is not a JSON field
		if field == "" {
			return errBadBody("the request body must be a JSON object"), false
		}
		var d details
		d.add(field, typeMessage(field, typeErr.Type))
		return errValidation(d), false
	}
	return errBadBody(err.Error()), false
}

var stringLists = map[string]bool{"tags": true, "unset": true, "uidsToDeactivate": true, "uidsToActivate": true,
	"accepted": true, "friends": true, "blockedUids": true}

// typeMessage words a type mismatch the way the API's validator does.
func typeMessage(field string, t reflect.Type) string {
	if stringLists[field] { // the decoder names the list, not the item, when an item is not a string
		return "The " + field + " must be an array of strings."
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "The " + field + " must be a string."
	case reflect.Bool:
		return "The " + field + " field must be true or false."
	case reflect.Slice:
		return "The " + field + " must be an array."
	case reflect.Map, reflect.Struct:
		return "The " + field + " must be an object."
	default:
		return "The " + field + " is invalid."
	}
}

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
