package cometchattest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
)

// maxBodyBytes bounds every request body. The largest valid one, an import of 50 users with every field at its
// limit in 4-byte runes, is about 1.1 MB.
const maxBodyBytes = 4 << 20

// opClass is the rate-limit class of an operation: the real API gives core operations (create and delete user) a
// smaller budget than standard ones, and the data-import endpoints one of their own.
type opClass uint8

const (
	classStandard opClass = iota
	classCore
	classImport
)

// params are the path parameters of a route, percent-decoded.
type params struct {
	uid, token string
}

type handler func(s *Server, w http.ResponseWriter, r *http.Request, p params)

// serveHTTP runs every request through the same steps: count it, let a queued fault answer, find the route,
// authenticate, rate-limit, then run the endpoint's handler.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	sub, underV3 := strings.CutPrefix(path, "/v3")
	if !underV3 || (sub != "" && sub[0] != '/') {
		sub = path
		underV3 = false
	}
	s.countRequest(r.Method, sub)
	if s.nfaults.Load() > 0 {
		if f, ok := s.takeFault(r.Method, sub); ok && s.applyFault(w, r, f) {
			return
		}
	}
	var h handler
	var class opClass
	var p params
	if underV3 {
		h, class, p = resolve(r.Method, sub)
	}
	if e, ok := s.authenticate(r); !ok {
		s.setRateHeaders(w.Header(), class)
		writeError(w, e)
		return
	}
	if e, ok := s.admit(w.Header(), class); !ok {
		writeError(w, e)
		return
	}
	if h == nil {
		writeError(w, errAPINotFound())
		return
	}
	h(s, w, r, p)
}

// resolve maps a method and the escaped path below /v3 to a handler; nil means no such endpoint. Segments are
// percent-decoded one by one, so "%2F" inside a uid stays part of that uid.
func resolve(method, sub string) (handler, opClass, params) {
	var seg [5]string
	n := 0
	rest := strings.TrimPrefix(sub, "/")
	for {
		if n == len(seg) {
			return nil, classStandard, params{}
		}
		part, tail, more := strings.Cut(rest, "/")
		if part == "" {
			return nil, classStandard, params{}
		}
		if strings.IndexByte(part, '%') >= 0 {
			var err error
			if part, err = url.PathUnescape(part); err != nil || part == "" {
				return nil, classStandard, params{}
			}
		}
		seg[n] = part
		n++
		if !more {
			break
		}
		rest = tail
	}
	switch {
	case n == 2 && seg[0] == "data_import" && seg[1] == "users":
		if method == http.MethodPost {
			return (*Server).importUsers, classImport, params{}
		}
	case seg[0] != "users":
	case n == 1:
		switch method {
		case http.MethodGet:
			return (*Server).listUsers, classStandard, params{}
		case http.MethodPost:
			return (*Server).createUser, classCore, params{}
		case http.MethodDelete:
			return (*Server).deactivateUsers, classStandard, params{}
		case http.MethodPut:
			return (*Server).reactivateUsers, classStandard, params{}
		}
	case n == 2:
		p := params{uid: seg[1]}
		switch method {
		case http.MethodGet:
			return (*Server).getUser, classStandard, p
		case http.MethodPut:
			return (*Server).updateUser, classStandard, p
		case http.MethodDelete:
			return (*Server).deleteUser, classCore, p
		}
	case seg[2] != "auth_tokens":
	case n == 3:
		p := params{uid: seg[1]}
		switch method {
		case http.MethodPost:
			return (*Server).createToken, classStandard, p
		case http.MethodGet:
			return (*Server).listTokens, classStandard, p
		case http.MethodDelete:
			return (*Server).flushTokens, classStandard, p
		}
	case n == 4:
		p := params{uid: seg[1], token: seg[3]}
		switch method {
		case http.MethodGet:
			return (*Server).getToken, classStandard, p
		case http.MethodPut:
			return (*Server).updateToken, classStandard, p
		case http.MethodDelete:
			return (*Server).deleteToken, classStandard, p
		}
	}
	return nil, classStandard, params{}
}

// authenticate checks the apikey header. The app id is not checked: the real API takes it from the hostname.
func (s *Server) authenticate(r *http.Request) (apiError, bool) {
	key := r.Header.Get("Apikey")
	switch key {
	case s.apiKey:
		return apiError{}, true
	case "":
		return errEmptyAPIKey(), false
	default:
		return errAPIKeyNotFound(key), false
	}
}

// readBody decodes the JSON body into dst. An absent or empty body leaves dst as it is (every endpoint that takes
// a body treats that as {}); anything else that is not a JSON object of the right types is a 400 (or a 413 when
// too large), written here. It reports whether the handler may go on.
func readBody(w http.ResponseWriter, r *http.Request, dst any) bool {
	raw, e, ok := readRaw(w, r)
	if !ok {
		writeError(w, e)
		return false
	}
	if len(raw) == 0 {
		return true
	}
	if e, ok := decodeInto(raw, dst); !ok {
		writeError(w, e)
		return false
	}
	return true
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

var stringLists = map[string]bool{"tags": true, "unset": true, "uidsToDeactivate": true, "uidsToActivate": true}

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
		if t.Elem().Kind() == reflect.Uint8 { // json.RawMessage never mismatches; kept for completeness
			return "The " + field + " is invalid."
		}
		return "The " + field + " must be an array."
	case reflect.Map, reflect.Struct:
		return "The " + field + " must be an object."
	default:
		return "The " + field + " is invalid."
	}
}
