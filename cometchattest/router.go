package cometchattest

import (
	"net/http"
	"strings"
)

// opClass is the rate-limit class of an endpoint: the real API gives core operations (create and delete user) a
// smaller budget than standard ones, and the data-import endpoints one of their own. classNone marks a request
// that reached no endpoint.
type opClass uint8

const (
	classNone opClass = iota
	classStandard
	classCore
	classImport
)

// handlerFunc is an endpoint's handler; it reads its path parameters with r.PathValue.
type handlerFunc func(w http.ResponseWriter, r *http.Request)

// routes builds the server's handler: every endpoint is a ServeMux pattern served through the one middleware
// chain; everything else (unknown paths, wrong methods, and paths ServeMux would redirect) goes through the same
// chain to a 404 ERR_API_NOT_FOUND. ServeMux matches {uid} and {token} against the escaped path, so a "%2F" stays
// inside its segment.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, class opClass, h handlerFunc) { mux.Handle(pattern, s.chain(class, h)) }

	handle("GET /v3/users", classStandard, s.listUsers)
	handle("POST /v3/users", classCore, s.createUser)
	handle("DELETE /v3/users", classStandard, s.deactivateUsers)
	handle("PUT /v3/users", classStandard, s.reactivateUsers)
	handle("GET /v3/users/{uid}", classStandard, s.getUser)
	handle("PUT /v3/users/{uid}", classStandard, s.updateUser)
	handle("DELETE /v3/users/{uid}", classCore, s.deleteUser)
	handle("POST /v3/users/{uid}/auth_tokens", classStandard, s.createToken)
	handle("GET /v3/users/{uid}/auth_tokens", classStandard, s.listTokens)
	handle("DELETE /v3/users/{uid}/auth_tokens", classStandard, s.flushTokens)
	handle("GET /v3/users/{uid}/auth_tokens/{token}", classStandard, s.getToken)
	handle("PUT /v3/users/{uid}/auth_tokens/{token}", classStandard, s.updateToken)
	handle("DELETE /v3/users/{uid}/auth_tokens/{token}", classStandard, s.deleteToken)
	handle("POST /v3/data_import/users", classImport, s.importUsers)
	handle("POST /v3/roles", classStandard, s.createRole)
	handle("GET /v3/roles", classStandard, s.listRoles)
	handle("GET /v3/roles/{role}", classStandard, s.getRole)
	handle("PUT /v3/roles/{role}", classStandard, s.updateRole)
	handle("DELETE /v3/roles/{role}", classStandard, s.deleteRole)
	handle("POST /v3/users/{uid}/friends", classStandard, s.addFriends)
	handle("GET /v3/users/{uid}/friends", classStandard, s.listFriends)
	handle("DELETE /v3/users/{uid}/friends", classStandard, s.removeFriends)
	handle("POST /v3/users/{uid}/blockedusers", classStandard, s.blockUsers)
	handle("GET /v3/users/{uid}/blockedusers", classStandard, s.listBlockedUsers)
	handle("DELETE /v3/users/{uid}/blockedusers", classStandard, s.unblockUsers)

	notFound := s.chain(classNone, notFound)
	mux.Handle("/", notFound) // matches every method, so ServeMux never answers 405 itself
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// ServeMux would redirect unclean paths and serve HEAD with the GET handler; the API does neither.
		if r.Method == http.MethodHead || r.Method == http.MethodConnect || !isCleanPath(r.URL.EscapedPath()) {
			notFound.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// chain runs a request through the middleware, in this order: count it, let a queued fault answer, authenticate,
// rate-limit, then run h. Every request the server receives goes through it exactly once, and every answer
// carries production's caching headers.
func (s *Server) chain(class opClass, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr["Cache-Control"] = cacheControl
		hdr["Vary"] = varyEncoding
		sub := pathBelowV3(r.URL.EscapedPath())
		s.countRequest(r.Method, sub)
		if s.serveFault(w, r, sub, class) {
			return
		}
		if !s.authenticate(w, r, class) {
			return
		}
		if !s.admit(w, class) {
			return
		}
		h(w, r)
	})
}

var (
	cacheControl = []string{"must-revalidate, no-cache, private"}
	varyEncoding = []string{"Accept-Encoding"}
)

func notFound(w http.ResponseWriter, _ *http.Request) { writeError(w, errAPINotFound()) }

// pathBelowV3 is the escaped path below /v3, as Fault.Path and RequestCountFor name it; a path outside /v3 is
// returned whole.
func pathBelowV3(path string) string {
	if sub, ok := strings.CutPrefix(path, "/v3"); ok && (sub == "" || sub[0] == '/') {
		return sub
	}
	return path
}

// isCleanPath reports whether path has no empty, "." or ".." segment (so no "//" and no trailing "/").
func isCleanPath(path string) bool {
	if path == "" || path[0] != '/' {
		return false
	}
	for _, seg := range strings.Split(path[1:], "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// authenticate checks the apikey header and answers 401 itself when it is missing or wrong. The app id is not
// checked: the real API takes it from the hostname, which a base URL replaces.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, class opClass) bool {
	key := r.Header.Get("Apikey")
	if key == s.apiKey {
		return true
	}
	s.setRateHeaders(w.Header(), class)
	if key == "" {
		writeError(w, errEmptyAPIKey())
	} else {
		writeError(w, errAPIKeyNotFound(key))
	}
	return false
}
