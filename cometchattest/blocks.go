package cometchattest

import (
	"cmp"
	"net/http"
	"slices"
)

// blockUsers serves POST /users/{uid}/blockedusers.
func (s *Server) blockUsers(w http.ResponseWriter, r *http.Request) {
	s.blockOrUnblock(w, r, true)
}

// unblockUsers serves DELETE /users/{uid}/blockedusers.
func (s *Server) unblockUsers(w http.ResponseWriter, r *http.Request) {
	s.blockOrUnblock(w, r, false)
}

// blockOrUnblock blocks (or unblocks) each uid of "blockedUids" for uid, one result per uid. Blocking a user
// already blocked and unblocking one not blocked succeed and change nothing.
func (s *Server) blockOrUnblock(w http.ResponseWriter, r *http.Request, block bool) {
	var in struct {
		BlockedUIDs []string `json:"blockedUids"`
	}
	if !readBody(w, r, &in) || !checkBatch(w, "blockedUids", in.BlockedUIDs) {
		return
	}
	now := s.now().Unix()
	verb := "unblocked"
	if block {
		verb = "blocked"
	}
	s.withUser(w, r, func(u *user) answer {
		out := make(batchResults, len(in.BlockedUIDs))
		for _, sent := range in.BlockedUIDs {
			uid := lowerASCII(sent)
			if out.seen(uid) {
				continue
			}
			b := s.st.active(uid)
			switch {
			case uid == u.uid:
				out[uid] = entryFailed(errCannotBlockSelf())
				continue
			case b == nil:
				out[uid] = entryFailed(errUIDNotFound(uid))
				continue
			case block:
				s.st.block(u, b, now)
			default:
				unblock(u, b)
			}
			out[uid] = entryOK("The user with UID " + u.uid + " has " + verb + " user with UID " + uid + " successfully.")
		}
		return answer{data: out}
	})
}

// listBlockedUsers serves GET /users/{uid}/blockedusers with production's quirks: oldest block first, total always
// 0, and total_pages one past the current page while the page is full.
func (s *Server) listBlockedUsers(w http.ResponseWriter, r *http.Request) {
	var d details
	perPage, page := parsePaging(&d, r.URL.Query())
	if d != nil {
		writeError(w, errValidation(d))
		return
	}
	start, end := pageBounds(perPage, page)
	now := s.now().Unix()
	s.withUser(w, r, func(u *user) answer {
		type blocked struct {
			u   *user
			rec blockRec
		}
		var matches []blocked
		for uid, rec := range u.blocks {
			if b := s.st.active(uid); b != nil {
				matches = append(matches, blocked{b, rec})
			}
		}
		slices.SortFunc(matches, func(a, b blocked) int {
			return cmp.Or(cmp.Compare(a.rec.at, b.rec.at), cmp.Compare(a.rec.seq, b.rec.seq))
		})
		items := make([]userView, 0, max(min(end, len(matches))-start, 0))
		newest := now
		for i, m := range matches {
			if i == 0 {
				newest = 0
			}
			newest = max(newest, m.u.stamp())
			if i >= start && i < end {
				item := m.u.view(false)
				item.extra = userExtra{blockedList: true, blockedByMe: true, blockedByMeAt: m.rec.at, blockedAt: m.rec.at,
					conversationID: conversationID(u.uid, m.u.uid)}
				items = append(items, item)
			}
		}
		p := pagination{Count: len(items), PerPage: perPage, CurrentPage: page, TotalPages: page}
		if len(items) == perPage {
			p.TotalPages = page + 1
		}
		return answer{data: items, meta: &listMeta{Pagination: p, Cursor: &listCursor{newest, "prepend"}}}
	})
}
