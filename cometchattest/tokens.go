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
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Force bool `json:"force"`
	}
	if !readBody(w, r, &in) {
		return
	}
	now := s.now()
	value := newTokenValue(lowerASCII(r.PathValue("uid")), now)
	s.withUser(w, r, func(u *user) answer {
		if n := len(u.tokens); n > 0 && !in.Force {
			return answer{data: u.tokens[n-1].wire(u.uid)}
		}
		t := &token{value: value, createdAt: now.Unix()}
		s.st.addToken(u, t)
		return answer{data: t.wire(u.uid)}
	})
}

// listTokens serves GET /users/{uid}/auth_tokens: newest first, paginated, no cursor.
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	var d details
	perPage, page := parsePaging(&d, r.URL.Query())
	if d != nil {
		writeError(w, errValidation(d))
		return
	}
	start, end := pageBounds(perPage, page)
	s.withUser(w, r, func(u *user) answer {
		total := len(u.tokens)
		items := make([]wireToken, 0, max(min(end, total)-start, 0))
		for i := total - 1 - start; i >= 0 && i > total-1-end; i-- {
			items = append(items, u.tokens[i].wire(u.uid))
		}
		return answer{data: items, meta: &listMeta{Pagination: pageOf(total, len(items), perPage, page)}}
	})
}

// withToken is withUser for the token the path also names: 404 ERR_AUTH_TOKEN_NOT_FOUND when the user has no such
// active token.
func (s *Server) withToken(w http.ResponseWriter, r *http.Request, fn func(u *user, t *token) answer) {
	value := r.PathValue("token")
	s.withUser(w, r, func(u *user) answer {
		t := u.token(value)
		if t == nil {
			return failed(errTokenNotFound())
		}
		return fn(u, t)
	})
}

// getToken serves GET /users/{uid}/auth_tokens/{token}.
func (s *Server) getToken(w http.ResponseWriter, r *http.Request) {
	s.withToken(w, r, func(u *user, t *token) answer { return answer{data: t.wire(u.uid)} })
}

// updateToken serves PUT /users/{uid}/auth_tokens/{token}.
func (s *Server) updateToken(w http.ResponseWriter, r *http.Request) {
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
	s.withToken(w, r, func(u *user, t *token) answer {
		setIf(&t.platform, in.Platform)
		setIf(&t.userAgent, in.UserAgent)
		if appInfo != nil {
			t.appInfo = appInfo
		}
		return answer{data: t.wire(u.uid)}
	})
}

// deleteToken serves DELETE /users/{uid}/auth_tokens/{token}.
func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) {
	s.withToken(w, r, func(u *user, t *token) answer {
		u.deleteToken(t.value)
		return answer{data: successMessage{true, "Auth token deleted successfully."}}
	})
}

// flushTokens serves DELETE /users/{uid}/auth_tokens.
func (s *Server) flushTokens(w http.ResponseWriter, r *http.Request) {
	s.withUser(w, r, func(u *user) answer {
		u.tokens = nil
		return answer{data: successMessage{true, "Cleared Auth Tokens successfully for uid " + u.uid + "."}}
	})
}
