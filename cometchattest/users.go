package cometchattest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// createUserInput is the body of POST /users.
type createUserInput struct {
	userInput
	WithAuthToken bool `json:"withAuthToken"`
}

// withUser is the prologue of every handler that acts on the user its path names: it lowercases {uid}, takes
// s.mu and runs fn with that user when it is active; otherwise the answer is 404 ERR_UID_NOT_FOUND. The answer is
// written after the lock is released.
func (s *Server) withUser(w http.ResponseWriter, r *http.Request, fn func(u *user) answer) {
	uid := lowerASCII(r.PathValue("uid"))
	s.mu.Lock()
	var a answer
	if u := s.st.active(uid); u != nil {
		a = fn(u)
	} else {
		a = failed(errUIDNotFound(uid))
	}
	s.mu.Unlock()
	a.write(w)
}

// createUser serves POST /users.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	var in createUserInput
	if !readBody(w, r, &in) {
		return
	}
	var d details
	u := in.toUser(&d)
	if d != nil {
		writeError(w, errValidation(d))
		return
	}
	now := s.now()
	u.createdAt = now.Unix()
	var tok string
	if in.WithAuthToken {
		tok = newTokenValue(u.uid, now)
	}
	s.mu.Lock()
	a := func() answer {
		if e, ok := s.roleExists(u.role); !ok {
			return failed(e)
		}
		if s.st.byUID[u.uid] != nil { // deactivated uids stay taken until deleted permanently
			return failed(errUIDExists(u.uid))
		}
		if s.overUserLimit() {
			return failed(errPlanQuota("Create User", s.userLimit))
		}
		s.st.insert(u)
		out := u.view(true)
		if in.WithAuthToken {
			s.st.addToken(u, &token{value: tok, createdAt: u.createdAt})
			out.extra.authToken = tok
		}
		return answer{data: out}
	}()
	s.mu.Unlock()
	a.write(w)
}

// getUser serves GET /users/{uid}.
func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	viewerUID := lowerASCII(r.Header.Get("Onbehalfof"))
	s.withUser(w, r, func(u *user) answer {
		viewer, e := s.viewer(viewerUID)
		if viewer == nil && e.status != 0 {
			return failed(e)
		}
		out := u.view(true)
		out.extra = viewerExtra(u, viewer)
		return answer{data: out}
	})
}

// viewer looks up the active user an onBehalfOf header names; nil without a header, or with 404
// ERR_UID_NOT_FOUND when there is no such active user. It runs under s.mu.
func (s *Server) viewer(uid string) (*user, apiError) {
	if uid == "" {
		return nil, apiError{}
	}
	if v := s.st.active(uid); v != nil {
		return v, apiError{}
	}
	return nil, errUIDNotFound(uid)
}

// viewerExtra is what the real API adds to u as viewer sees it (onBehalfOf, friends lists): the conversation id
// of the two, and whether either blocked the other, with when. Nothing without a viewer. It runs under s.mu.
func viewerExtra(u, viewer *user) userExtra {
	if viewer == nil {
		return userExtra{}
	}
	mine, blockedByMe := viewer.blocks[u.uid]
	theirs, hasBlockedMe := u.blocks[viewer.uid]
	x := userExtra{viewer: true, blockedByMe: blockedByMe, hasBlockedMe: hasBlockedMe}
	switch {
	case blockedByMe:
		x.blockedByMeAt, x.blockedAt = mine.at, mine.at
	case hasBlockedMe:
		x.blockedAt = theirs.at
	}
	if viewer != u {
		x.conversationID = conversationID(viewer.uid, u.uid)
	}
	return x
}

// conversationID is the id of the one-to-one conversation of two users: "<a>_user_<b>", the uids sorted.
func conversationID(a, b string) string {
	return min(a, b) + "_user_" + max(a, b)
}

// updateUser serves PUT /users/{uid}.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	var in updateInput
	if !readBody(w, r, &in) {
		return
	}
	var d details
	meta := in.check(&d)
	if d != nil {
		writeError(w, errValidation(d))
		return
	}
	if in.Role != nil {
		*in.Role = lowerASCII(*in.Role)
	}
	now := s.now().Unix()
	s.withUser(w, r, func(u *user) answer {
		if in.Role != nil {
			if e, ok := s.roleExists(*in.Role); !ok {
				return failed(e)
			}
		}
		in.apply(u, meta, now)
		s.st.changed()
		return answer{data: u.view(true)}
	})
}

// deleteUser serves DELETE /users/{uid}: permanent deletion with {"permanent":true}, deactivation otherwise.
func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Permanent bool `json:"permanent"`
	}
	if !readBody(w, r, &in) {
		return
	}
	uid := lowerASCII(r.PathValue("uid"))
	now := s.now().Unix()
	s.mu.Lock()
	u := s.st.byUID[uid]
	found := u != nil && (in.Permanent || !u.deactivated) // a permanent delete also frees a deactivated uid
	switch {
	case !found:
	case in.Permanent:
		s.st.remove(u)
	default:
		s.st.setDeactivated(u, true, now)
	}
	s.mu.Unlock()
	switch {
	case !found:
		writeError(w, errUIDNotFound(uid))
	case in.Permanent:
		writeData(w, successMessage{true, "User with UID " + uid + " has been deleted successfully."}, nil)
	default:
		writeData(w, deactivateResult{Deactivated: []string{uid}}, nil)
	}
}

// deactivateUsers serves DELETE /users.
func (s *Server) deactivateUsers(w http.ResponseWriter, r *http.Request) {
	var in struct {
		UIDs []string `json:"uidsToDeactivate"`
	}
	if !readBody(w, r, &in) || !checkUIDList(w, "uidsToDeactivate", in.UIDs) {
		return
	}
	var out deactivateResult
	now := s.now().Unix()
	s.mu.Lock()
	for _, sent := range in.UIDs {
		uid := lowerASCII(sent)
		switch u := s.st.byUID[uid]; {
		case u == nil:
			out.NotFound = append(out.NotFound, sent)
		case u.deactivated:
			out.AlreadyDeactivated = append(out.AlreadyDeactivated, uid)
		default:
			s.st.setDeactivated(u, true, now)
			out.Deactivated = append(out.Deactivated, uid)
		}
	}
	s.mu.Unlock()
	writeData(w, out, nil)
}

// reactivateUsers serves PUT /users.
func (s *Server) reactivateUsers(w http.ResponseWriter, r *http.Request) {
	var in struct {
		UIDs []string `json:"uidsToActivate"`
	}
	if !readBody(w, r, &in) || !checkUIDList(w, "uidsToActivate", in.UIDs) {
		return
	}
	var out reactivateResult
	s.mu.Lock()
	for _, sent := range in.UIDs {
		uid := lowerASCII(sent)
		switch u := s.st.byUID[uid]; {
		case u == nil:
			out.NotFound = append(out.NotFound, sent)
		case !u.deactivated:
			out.NotDeactivated = append(out.NotDeactivated, uid)
		default:
			s.st.setDeactivated(u, false, 0)
			out.Reactivated = append(out.Reactivated, uid)
		}
	}
	s.mu.Unlock()
	writeData(w, out, nil)
}

// checkUIDList requires a non-empty list of non-empty uids, writing the 400 itself.
func checkUIDList(w http.ResponseWriter, field string, uids []string) bool {
	var d details
	if len(uids) == 0 {
		d.add(field, "The "+field+" field is required.")
	}
	for i, uid := range uids {
		if uid == "" {
			f := field + "." + strconv.Itoa(i)
			d.add(f, "The "+f+" field is required.")
		}
	}
	if d != nil {
		writeError(w, errValidation(d))
		return false
	}
	return true
}

// userQuery is the parsed query of GET /users.
type userQuery struct {
	search                                     string // lowercased
	inUID, inName                              bool
	status                                     string
	roles, tags                                []string
	withTags, onlyDeactivated, withDeactivated bool
	perPage, page                              int
}

func parseUserQuery(v url.Values) (userQuery, details) {
	var d details
	q := userQuery{search: strings.ToLower(v.Get("searchKey")), inUID: true, inName: true}
	if in := splitList(v.Get("searchIn")); len(in) > 0 {
		q.inUID, q.inName = false, false
		for _, f := range in {
			switch strings.ToLower(f) {
			case "uid":
				q.inUID = true
			case "name":
				q.inName = true
			default:
				d.add("searchIn", "The selected searchIn is invalid.")
			}
		}
	}
	switch q.status = v.Get("status"); q.status {
	case "", statusAvailable, statusOffline:
	default:
		d.add("status", "The selected status is invalid.")
	}
	q.roles = splitList(v.Get("roles"))
	if role := v.Get("role"); role != "" {
		q.roles = append(q.roles, role)
	}
	q.tags = splitList(v.Get("tags"))
	q.withTags = parseBool(&d, v, "withTags")
	q.onlyDeactivated = parseBool(&d, v, "onlyDeactivated")
	q.withDeactivated = parseBool(&d, v, "withDeactivated")
	parseBool(&d, v, "count") // accepted and ignored: the fake always counts
	q.perPage, q.page = parsePaging(&d, v)
	return q, d
}

// match applies every filter but paging.
func (q *userQuery) match(u *user) bool {
	if u.deactivated != q.onlyDeactivated && !(u.deactivated && q.withDeactivated) {
		return false
	}
	if q.search != "" && !(q.inUID && strings.HasPrefix(u.uid, q.search) || q.inName && strings.HasPrefix(u.nameLower, q.search)) {
		return false
	}
	if q.status != "" && u.status != q.status {
		return false
	}
	if len(q.roles) > 0 && !slices.Contains(q.roles, u.role) {
		return false
	}
	if len(q.tags) > 0 && !slices.ContainsFunc(u.tags, func(t string) bool { return slices.Contains(q.tags, t) }) {
		return false
	}
	return true
}

// everyUser reports whether the query selects every stored user except deactivated ones, so paging can index
// the order slice instead of scanning it.
func (q *userQuery) everyUser(st *store) bool {
	return q.search == "" && q.status == "" && len(q.roles) == 0 && len(q.tags) == 0 && !q.onlyDeactivated &&
		(q.withDeactivated || st.deactivated == 0)
}

// listUsers serves GET /users: newest createdAt first, ties broken newest insertion first.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	q, d := parseUserQuery(r.URL.Query())
	if d != nil {
		writeError(w, errValidation(d))
		return
	}
	viewerUID := lowerASCII(r.Header.Get("Onbehalfof"))
	now := s.now().Unix()
	start, end := pageBounds(q.perPage, q.page)
	s.mu.Lock()
	viewer, e := s.viewer(viewerUID)
	if viewer == nil && e.status != 0 {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	items := make([]userView, 0, min(q.perPage, len(s.st.order)))
	total := 0
	var newest int64
	if q.everyUser(&s.st) {
		total = len(s.st.order)
		newest = s.st.newestStamp()
		for i := total - 1 - start; i >= 0 && i > total-1-end; i-- {
			u := s.st.order[i]
			items = append(items, u.view(q.withTags))
			items[len(items)-1].extra = viewerExtra(u, viewer)
		}
	} else {
		for i := len(s.st.order) - 1; i >= 0; i-- {
			if u := s.st.order[i]; q.match(u) {
				newest = max(newest, u.stamp())
				if total >= start && total < end {
					items = append(items, u.view(q.withTags))
					items[len(items)-1].extra = viewerExtra(u, viewer)
				}
				total++
			}
		}
	}
	s.mu.Unlock()
	if total == 0 {
		newest = now // nothing to be newest: the clock's now
	}
	meta := &listMeta{Pagination: pageOf(total, len(items), q.perPage, q.page), Cursor: &listCursor{newest, "prepend"}}
	writeData(w, items, meta)
}

// overUserLimit reports whether WithUserLimit's quota is used up; it runs under s.mu.
func (s *Server) overUserLimit() bool { return s.userLimit > 0 && len(s.st.byUID) >= s.userLimit }

// roleExists checks a user's (lowercased) role against the app's roles; it runs under s.mu.
func (s *Server) roleExists(role string) (apiError, bool) {
	if s.st.roles[role] != nil {
		return apiError{}, true
	}
	return errRoleNotFound(http.StatusBadRequest, role), false
}
