package cometchattest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// newTokenValue mints a token shaped like the real ones: <uid>_<unix seconds><30 hex digits>.
func newTokenValue(uid string, now time.Time) string {
	return uid + "_" + strconv.FormatInt(now.Unix(), 10) + randomHex(15)
}

// createToken serves POST /users/{uid}/auth_tokens: without force it returns the newest active token if any.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, p params) {
	var in struct {
		Force bool `json:"force"`
	}
	if !readBody(w, r, &in) {
		return
	}
	uid := lowerASCII(p.uid)
	now := s.now()
	value := newTokenValue(uid, now)
	s.mu.Lock()
	u := s.st.active(uid)
	if u == nil {
		s.mu.Unlock()
		writeError(w, errUIDNotFound(uid))
		return
	}
	var t *token
	if n := len(u.tokens); n > 0 && !in.Force {
		t = u.tokens[n-1]
	} else {
		t = &token{value: value, createdAt: now.Unix()}
		s.st.addToken(u, t)
	}
	out := t.wire(uid)
	s.mu.Unlock()
	writeData(w, out, nil)
}

// listTokens serves GET /users/{uid}/auth_tokens: newest first, paginated, no cursor.
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, p params) {
	var d details
	perPage, page := parsePaging(&d, r.URL.Query())
	if d != nil {
		writeError(w, errValidation(d))
		return
	}
	uid := lowerASCII(p.uid)
	start, end := pageBounds(perPage, page)
	s.mu.RLock()
	u := s.st.active(uid)
	if u == nil {
		s.mu.RUnlock()
		writeError(w, errUIDNotFound(uid))
		return
	}
	total := len(u.tokens)
	items := make([]wireToken, 0, max(min(end, total)-start, 0))
	for i := total - 1 - start; i >= 0 && i > total-1-end; i-- {
		items = append(items, u.tokens[i].wire(uid))
	}
	s.mu.RUnlock()
	writeData(w, items, &listMeta{Pagination: pageOf(total, len(items), perPage, page)})
}

// withToken runs fn under the write lock with the user and token the path names, or returns the 404 to answer.
func (s *Server) withToken(p params, fn func(u *user, t *token)) (apiError, bool) {
	uid := lowerASCII(p.uid)
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.active(uid)
	if u == nil {
		return errUIDNotFound(uid), false
	}
	t := u.token(p.token)
	if t == nil {
		return errTokenNotFound(), false
	}
	fn(u, t)
	return apiError{}, true
}

// getToken serves GET /users/{uid}/auth_tokens/{token}.
func (s *Server) getToken(w http.ResponseWriter, _ *http.Request, p params) {
	var out wireToken
	if e, ok := s.withToken(p, func(u *user, t *token) { out = t.wire(u.uid) }); !ok {
		writeError(w, e)
		return
	}
	writeData(w, out, nil)
}

// updateToken serves PUT /users/{uid}/auth_tokens/{token}.
func (s *Server) updateToken(w http.ResponseWriter, r *http.Request, p params) {
	var in struct {
		Platform  *string         `json:"platform"`
		UserAgent *string         `json:"userAgent"`
		AppInfo   json.RawMessage `json:"appInfo"`
	}
	if !readBody(w, r, &in) {
		return
	}
	var d details
	appInfo := checkObject(&d, "appInfo", in.AppInfo)
	if d != nil {
		writeError(w, errValidation(d))
		return
	}
	var out wireToken
	e, ok := s.withToken(p, func(u *user, t *token) {
		setIf(&t.platform, in.Platform)
		setIf(&t.userAgent, in.UserAgent)
		if appInfo != nil {
			t.appInfo = appInfo
		}
		out = t.wire(u.uid)
	})
	if !ok {
		writeError(w, e)
		return
	}
	writeData(w, out, nil)
}

// deleteToken serves DELETE /users/{uid}/auth_tokens/{token}.
func (s *Server) deleteToken(w http.ResponseWriter, _ *http.Request, p params) {
	if e, ok := s.withToken(p, func(u *user, t *token) { u.deleteToken(t.value) }); !ok {
		writeError(w, e)
		return
	}
	writeData(w, successMessage{true, "Auth token deleted successfully."}, nil)
}

// flushTokens serves DELETE /users/{uid}/auth_tokens.
func (s *Server) flushTokens(w http.ResponseWriter, _ *http.Request, p params) {
	uid := lowerASCII(p.uid)
	s.mu.Lock()
	u := s.st.active(uid)
	if u != nil {
		u.tokens = nil
	}
	s.mu.Unlock()
	if u == nil {
		writeError(w, errUIDNotFound(uid))
		return
	}
	writeData(w, successMessage{true, "Cleared Auth Tokens successfully for uid " + uid + "."}, nil)
}
