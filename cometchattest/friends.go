package cometchattest

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
)

// checkBatch requires 1–25 non-empty uids in the list field of a friends or blocked-users body, writing the 400
// itself.
func checkBatch(w http.ResponseWriter, field string, uids []string) bool {
	if len(uids) > maxBatch {
		var d details
		d.add(field, "The "+field+" may not have more than 25 items.")
		writeError(w, errValidation(d))
		return false
	}
	return checkUIDList(w, field, uids)
}

// batchResults collects the per-uid entries of a call, keyed by lowercased uid; a uid repeated in the request
// keeps the entry of its first occurrence.
type batchResults map[string]batchEntry

func (b batchResults) seen(uid string) bool {
	_, ok := b[uid]
	return ok
}

// addFriends serves POST /users/{uid}/friends: each uid in "accepted" becomes a friend of uid, both ways.
func (s *Server) addFriends(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Accepted []string `json:"accepted"`
	}
	if !readBody(w, r, &in) || !checkBatch(w, "accepted", in.Accepted) {
		return
	}
	s.withUser(w, r, func(u *user) answer {
		out := make(batchResults, len(in.Accepted))
		for _, sent := range in.Accepted {
			uid := lowerASCII(sent)
			if out.seen(uid) {
				continue
			}
			f := s.st.active(uid)
			_, already := u.friends[uid]
			switch {
			case uid == u.uid:
				out[uid] = entryFailed(errSelfRelation())
			case f == nil:
				out[uid] = entryFailed(errUIDNotFound(uid))
			case already:
				out[uid] = entryFailed(errAlreadyFriend(u.uid, uid))
			case len(u.friends) >= maxFriends:
				out[uid] = entryFailed(errFriendLimit(u.uid))
			case len(f.friends) >= maxFriends:
				out[uid] = entryFailed(errFriendLimit(uid))
			default:
				s.st.befriend(u, f)
				out[uid] = entryOK("Created relationship with status accepted.")
			}
		}
		return answer{data: map[string]batchResults{"accepted": out}}
	})
}

// removeFriends serves DELETE /users/{uid}/friends: all or nothing, every uid in "friends" must be a friend.
func (s *Server) removeFriends(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Friends []string `json:"friends"`
	}
	if !readBody(w, r, &in) || !checkBatch(w, "friends", in.Friends) {
		return
	}
	s.withUser(w, r, func(u *user) answer {
		for _, sent := range in.Friends {
			if _, ok := u.friends[lowerASCII(sent)]; !ok {
				return failed(errNotAFriend(u.uid, lowerASCII(sent)))
			}
		}
		for _, sent := range in.Friends {
			if f := s.st.byUID[lowerASCII(sent)]; f != nil {
				unfriend(u, f)
			}
		}
		return answer{data: successMessage{true, "Deleted the friend relations succussfully"}}
	})
}

// listFriends serves GET /users/{uid}/friends: active friends, newest friendship first, as uid sees them, with
// meta.pagination and meta.cursor like GET /users.
func (s *Server) listFriends(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	var d details
	perPage, page := parsePaging(&d, v)
	if d != nil {
		writeError(w, errValidation(d))
		return
	}
	search := strings.ToLower(v.Get("searchKey"))
	start, end := pageBounds(perPage, page)
	now := s.now().Unix()
	s.withUser(w, r, func(u *user) answer {
		type friend struct {
			u   *user
			seq uint64
		}
		var matches []friend
		for uid, seq := range u.friends {
			f := s.st.active(uid)
			if f != nil && (search == "" || strings.HasPrefix(f.uid, search) || strings.HasPrefix(f.nameLower, search)) {
				matches = append(matches, friend{f, seq})
			}
		}
		slices.SortFunc(matches, func(a, b friend) int { return cmp.Compare(b.seq, a.seq) })
		items := make([]userView, 0, max(min(end, len(matches))-start, 0))
		newest := int64(0)
		for i, m := range matches {
			newest = max(newest, m.u.stamp())
			if i >= start && i < end {
				items = append(items, m.u.view(false))
				items[len(items)-1].extra = viewerExtra(m.u, u)
			}
		}
		if len(matches) == 0 {
			newest = now
		}
		return answer{data: items, meta: &listMeta{Pagination: pageOf(len(matches), len(items), perPage, page),
			Cursor: &listCursor{newest, "prepend"}}}
	})
}
