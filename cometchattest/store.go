package cometchattest

import (
	"encoding/json"
	"slices"
)

const (
	defaultRole      = "default"
	maxRoles         = 25   // per app, "default" included
	maxFriends       = 1000 // per user
	maxBatch         = 25   // uids per friends or blocked-users request
	statusOffline    = "offline"
	statusAvailable  = "available"
	maxActiveTokens  = 100
	maxImportPerCall = 50
)

// user is the stored form of a CometChat user. Strings, tags and metadata are replaced, never changed in place;
// a change to any field the user object shows must call dirty, so the cached encoding is rebuilt.
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

	enc, encTags []byte // cached encoding, see encoded; nil: to be built

	friends   map[string]uint64   // friend uid → the friendship's sequence number (mutual: both sides hold it)
	blocks    map[string]blockRec // uid this user blocked → when
	blockedBy map[string]bool     // uids that blocked this user (the reverse of their blocks)
}

// blockRec is one block: when it was made, and its sequence number to order blocks made in the same second.
type blockRec struct {
	at  int64
	seq uint64
}

// role is an app role. Strings and metadata are replaced, never changed in place.
type role struct {
	id, name, description string
	metadata              json.RawMessage // nil: unset
	settings              *roleSettings   // nil: unset
	createdAt, updatedAt  int64
}

// roleSettings is a role's legacy access settings; an empty value is not stored.
type roleSettings struct {
	ListUsers      string `json:"listUsers,omitempty"`
	SendMessagesTo string `json:"sendMessagesTo,omitempty"`
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
	roles       map[string]*role
	roleOrder   []*role // creation order
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

// newStore is an empty store whose app has the "default" role and the seeded ones, created at now.
func newStore(now int64, seedRoles []string) store {
	st := store{byUID: make(map[string]*user), roles: make(map[string]*role)}
	st.addRole(&role{id: defaultRole, name: "Default", description: "Default role", createdAt: now})
	for _, id := range seedRoles {
		if st.roles[id] == nil {
			st.addRole(&role{id: id, name: id, createdAt: now})
		}
	}
	return st
}

func (st *store) addRole(r *role) {
	st.roles[r.id] = r
	st.roleOrder = append(st.roleOrder, r)
}

// deleteRole removes r; its users get the default role.
func (st *store) deleteRole(r *role) {
	delete(st.roles, r.id)
	st.roleOrder = slices.DeleteFunc(st.roleOrder, func(e *role) bool { return e == r })
	for _, u := range st.order {
		if u.role == r.id {
			u.role = defaultRole
			u.dirty()
		}
	}
}

// befriend makes a and b friends of each other.
func (st *store) befriend(a, b *user) {
	seq := st.nextSeq()
	if a.friends == nil {
		a.friends = make(map[string]uint64)
	}
	if b.friends == nil {
		b.friends = make(map[string]uint64)
	}
	a.friends[b.uid], b.friends[a.uid] = seq, seq
}

func unfriend(a, b *user) {
	delete(a.friends, b.uid)
	delete(b.friends, a.uid)
}

// block records that a blocked b at now, unless it already did.
func (st *store) block(a, b *user, now int64) {
	if _, ok := a.blocks[b.uid]; ok {
		return
	}
	if a.blocks == nil {
		a.blocks = make(map[string]blockRec)
	}
	if b.blockedBy == nil {
		b.blockedBy = make(map[string]bool)
	}
	a.blocks[b.uid] = blockRec{at: now, seq: st.nextSeq()}
	b.blockedBy[a.uid] = true
}

func unblock(a, b *user) {
	delete(a.blocks, b.uid)
	delete(b.blockedBy, a.uid)
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

// remove deletes u for good; its tokens, friendships and blocks (both ways) go with it.
func (st *store) remove(u *user) {
	for f := range u.friends {
		delete(st.byUID[f].friends, u.uid)
	}
	for b := range u.blocks {
		delete(st.byUID[b].blockedBy, u.uid)
	}
	for b := range u.blockedBy {
		delete(st.byUID[b].blocks, u.uid)
	}
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
	u.dirty()
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
