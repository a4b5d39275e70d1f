package cometchattest

import (
	"encoding/json"
	"slices"
)

const (
	defaultRole      = "default"
	statusOffline    = "offline"
	statusAvailable  = "available"
	maxActiveTokens  = 100
	maxImportPerCall = 50
)

// user is the stored form of a CometChat user. Strings, tags and metadata are replaced, never changed in place,
// so a handler may copy the fields under the lock and encode them after releasing it.
type user struct {
	uid, name, nameLower              string
	avatar, link, role, statusMessage string
	status                            string
	metadata                          json.RawMessage // canonical JSON: an object, or a string (see doc.go)
	tags                              []string
	createdAt, updatedAt              int64
	lastActiveAt, deactivatedAt       int64
	deactivated                       bool
	seq                               uint64   // insertion number: breaks createdAt ties
	tokens                            []*token // active tokens, oldest first by (createdAt, seq)
}

// token is an active auth token of a user.
type token struct {
	value               string
	createdAt           int64
	seq                 uint64
	platform, userAgent string
	appInfo             json.RawMessage
}

// store holds users twice: by uid for lookups, and in a slice ordered by (createdAt, seq) so a list is a scan
// from the end, newest first, without sorting per request.
type store struct {
	byUID       map[string]*user
	order       []*user
	seq         uint64
	deactivated int // users with deactivated set, so unfiltered lists can skip the scan

	newest   int64 // the newest stamp (see stamp) of all users, valid while newestOK
	newestOK bool
}

// stamp is what a users list's meta.cursor.updatedAt is made of: the user's updatedAt, or createdAt before any
// update.
func (u *user) stamp() int64 { return max(u.createdAt, u.updatedAt) }

// newestStamp is the newest stamp of all stored users (0 when there are none), recomputed after a change that may
// have lowered it.
func (st *store) newestStamp() int64 {
	if !st.newestOK {
		st.newest = 0
		for _, u := range st.order {
			st.newest = max(st.newest, u.stamp())
		}
		st.newestOK = true
	}
	return st.newest
}

// changed notes that a user's timestamps changed.
func (st *store) changed() { st.newestOK = false }

func newStore() store {
	return store{byUID: make(map[string]*user)}
}

// older reports whether a sorts before b in creation order.
func older(aCreated int64, aSeq uint64, bCreated int64, bSeq uint64) bool {
	return aCreated < bCreated || aCreated == bCreated && aSeq < bSeq
}

func (st *store) nextSeq() uint64 {
	st.seq++
	return st.seq
}

// insert adds u, which must have a uid not in use. Appending is the common case (a clock that moves forward); an
// older createdAt (imports, seeding, a clock moved back) costs one binary search and a copy.
func (st *store) insert(u *user) {
	u.seq = st.nextSeq()
	st.byUID[u.uid] = u
	if u.deactivated {
		st.deactivated++
	}
	st.newest = max(st.newest, u.stamp())
	n := len(st.order)
	if n == 0 || !older(u.createdAt, u.seq, st.order[n-1].createdAt, st.order[n-1].seq) {
		st.order = append(st.order, u)
		return
	}
	st.order = slices.Insert(st.order, st.index(u), u)
}

// insertMany adds users in bulk (seeding), sorting once instead of inserting one by one.
func (st *store) insertMany(users []*user) {
	for _, u := range users {
		u.seq = st.nextSeq()
		st.byUID[u.uid] = u
		if u.deactivated {
			st.deactivated++
		}
	}
	st.order = append(st.order, users...)
	st.changed()
	less := func(a, b *user) int {
		if older(a.createdAt, a.seq, b.createdAt, b.seq) {
			return -1
		}
		if older(b.createdAt, b.seq, a.createdAt, a.seq) {
			return 1
		}
		return 0
	}
	if !slices.IsSortedFunc(st.order, less) {
		slices.SortFunc(st.order, less)
	}
}

// index is where u is, or would be, in st.order.
func (st *store) index(u *user) int {
	i, _ := slices.BinarySearchFunc(st.order, u, func(e, t *user) int {
		if older(e.createdAt, e.seq, t.createdAt, t.seq) {
			return -1
		}
		if e == t {
			return 0
		}
		return 1
	})
	return i
}

// remove deletes u for good; its tokens go with it.
func (st *store) remove(u *user) {
	delete(st.byUID, u.uid)
	st.changed()
	if u.deactivated {
		st.deactivated--
	}
	if i := st.index(u); i < len(st.order) && st.order[i] == u {
		st.order = slices.Delete(st.order, i, i+1)
	}
}

// active is the user with this (lowercased) uid unless it is unknown or deactivated.
func (st *store) active(uid string) *user {
	if u := st.byUID[uid]; u != nil && !u.deactivated {
		return u
	}
	return nil
}

func (st *store) setDeactivated(u *user, deactivated bool, now int64) {
	if u.deactivated == deactivated {
		return
	}
	u.deactivated = deactivated
	if deactivated {
		u.deactivatedAt = now
		st.deactivated++
	} else {
		u.deactivatedAt = 0
		st.deactivated--
	}
}

// addToken stores t as u's newest active token, archiving (dropping) the oldest past maxActiveTokens.
func (st *store) addToken(u *user, t *token) {
	t.seq = st.nextSeq()
	i, _ := slices.BinarySearchFunc(u.tokens, t, func(e, t *token) int {
		if older(e.createdAt, e.seq, t.createdAt, t.seq) {
			return -1
		}
		return 1
	})
	u.tokens = slices.Insert(u.tokens, i, t)
	if len(u.tokens) > maxActiveTokens {
		u.tokens = slices.Delete(u.tokens, 0, len(u.tokens)-maxActiveTokens)
	}
}

func (u *user) token(value string) *token {
	for _, t := range u.tokens {
		if t.value == value {
			return t
		}
	}
	return nil
}

func (u *user) deleteToken(value string) bool {
	for i, t := range u.tokens {
		if t.value == value {
			u.tokens = slices.Delete(u.tokens, i, i+1)
			return true
		}
	}
	return false
}
