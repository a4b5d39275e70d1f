package cometchattest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gocometchat/cometchat"
)

// AddUsers seeds the store directly, without HTTP, rate limits or faults. Each user is checked like POST /users
// (uid lowercased; name, avatar, link, role, metadata and tags constraints; declared roles) and must have a uid
// not yet taken (deactivated users included) nor repeated in the call; if any fails, none is added and the error
// names it. Honoured fields: UID, Name, Avatar, Link, Role (empty: "default"), StatusMessage, Metadata, Status
// (empty: offline), Tags, CreatedAt (zero: now), UpdatedAt, LastActiveAt, DeactivatedAt (non-zero: the user is
// deactivated) and AuthToken (non-empty: stored as the user's active token, created at CreatedAt). Timestamps
// are kept to the second. The users are copied; the caller keeps ownership of them. Adding many users in one
// call is much faster than one at a time.
func (s *Server) AddUsers(users ...*cometchat.User) error {
	now := s.now().Unix()
	built := make([]*user, 0, len(users))
	inCall := make(map[string]bool, len(users))
	for i, cu := range users {
		u, err := s.seedUser(cu, now)
		if err != nil {
			return fmt.Errorf("cometchattest: AddUsers: user %d: %w", i, err)
		}
		if inCall[u.uid] {
			return fmt.Errorf("cometchattest: AddUsers: user %d: uid %s is repeated", i, u.uid)
		}
		inCall[u.uid] = true
		built = append(built, u)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, u := range built {
		if s.st.byUID[u.uid] != nil {
			return fmt.Errorf("cometchattest: AddUsers: user %d: uid %s already exists", i, u.uid)
		}
		if e, ok := s.roleExists(u.role); !ok {
			return fmt.Errorf("cometchattest: AddUsers: user %d: %s", i, e.body.Message)
		}
	}
	s.st.insertMany(built)
	for i, u := range built {
		if tok := users[i].AuthToken; tok != "" {
			s.st.addToken(u, &token{value: tok, createdAt: u.createdAt})
		}
	}
	return nil
}

// seedUser validates one seeded user and builds its stored form.
func (s *Server) seedUser(cu *cometchat.User, now int64) (*user, error) {
	if cu == nil {
		return nil, errors.New("nil user")
	}
	meta, err := seedMetadata(cu.Metadata)
	if err != nil {
		return nil, err
	}
	in := userInput{UID: cu.UID, Name: cu.Name, Avatar: cu.Avatar, Link: cu.Link, Role: cu.Role,
		StatusMessage: cu.StatusMessage, Metadata: meta, Tags: cu.Tags}
	var d details
	u := in.toUser(&d)
	if d != nil {
		return nil, fmt.Errorf("invalid: %s", joinDetails(d))
	}
	if cu.Status != "" {
		u.status = string(cu.Status)
	}
	u.createdAt = unixOr(cu.CreatedAt, now)
	u.updatedAt = unixOr(cu.UpdatedAt, 0)
	u.lastActiveAt = unixOr(cu.LastActiveAt, 0)
	if !cu.DeactivatedAt.IsZero() {
		u.deactivated, u.deactivatedAt = true, cu.DeactivatedAt.Unix()
	}
	return u, nil
}

func seedMetadata(m map[string]any) (json.RawMessage, error) {
	if m == nil {
		return nil, nil
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	return raw, nil
}

func joinDetails(d details) string {
	var parts []string
	for _, msgs := range d {
		parts = append(parts, msgs...)
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

func unixOr(t time.Time, zero int64) int64 {
	if t.IsZero() {
		return zero
	}
	return t.Unix()
}

// User returns a snapshot of the stored user with this uid (lowercased first), deactivated users included, for
// assertions. It is a copy the caller owns: Tags and Metadata are always filled when set, AuthToken is empty (see
// Tokens), and metadata stored as a plain string (see the package doc) is not represented.
func (s *Server) User(uid string) (*cometchat.User, bool) {
	s.mu.Lock()
	u := s.st.byUID[lowerASCII(uid)]
	var snap *cometchat.User
	var meta json.RawMessage
	if u != nil {
		snap, meta = u.snapshot()
	}
	s.mu.Unlock()
	if u == nil {
		return nil, false
	}
	setMetadata(snap, meta)
	return snap, true
}

// Users returns snapshots of every stored user, deactivated ones included, in list order (newest createdAt first,
// newest insertion first within a second). See User for what a snapshot holds.
func (s *Server) Users() []*cometchat.User {
	s.mu.Lock()
	out := make([]*cometchat.User, len(s.st.order))
	metas := make([]json.RawMessage, len(s.st.order))
	for i, u := range s.st.order {
		j := len(out) - 1 - i
		out[j], metas[j] = u.snapshot()
	}
	s.mu.Unlock()
	for i := range out {
		setMetadata(out[i], metas[i])
	}
	return out
}

// snapshot copies u for the caller, but for its stored metadata, which setMetadata decodes once the lock is
// released. It runs under s.mu.
func (u *user) snapshot() (*cometchat.User, json.RawMessage) {
	return &cometchat.User{
		UID:           u.uid,
		Name:          u.name,
		Avatar:        u.avatar,
		Link:          u.link,
		Role:          u.role,
		StatusMessage: u.statusMessage,
		Status:        cometchat.UserStatus(u.status),
		Tags:          slices.Clone(u.tags),
		CreatedAt:     unixTime(u.createdAt),
		UpdatedAt:     unixTime(u.updatedAt),
		LastActiveAt:  unixTime(u.lastActiveAt),
		DeactivatedAt: unixTime(u.deactivatedAt),
	}, u.metadata
}

func setMetadata(cu *cometchat.User, meta json.RawMessage) {
	if len(meta) > 0 && meta[0] == '{' {
		_ = json.Unmarshal(meta, &cu.Metadata) // stored metadata is valid JSON
	}
}

func unixTime(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// Tokens returns the active auth tokens of the user with this uid (lowercased first), newest first; nil when the
// user does not exist. The slice is the caller's.
func (s *Server) Tokens(uid string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.byUID[lowerASCII(uid)]
	if u == nil {
		return nil
	}
	out := make([]string, len(u.tokens))
	for i, t := range u.tokens {
		out[len(out)-1-i] = t.value
	}
	return out
}

// SetUserStatus sets the presence the API reports for a user (the fake has no real-time connections, so every
// user is offline until a test says otherwise). It reports false when no user has this uid (lowercased first);
// deactivated users can be set too.
func (s *Server) SetUserStatus(uid string, status cometchat.UserStatus) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.byUID[lowerASCII(uid)]
	if u == nil {
		return false
	}
	u.status = string(status)
	u.dirty()
	return true
}

// Reset empties the store (users, tokens, friendships, blocks, and roles back to "default" and the WithRoles ones)
// and forgets queued faults, rate-limit windows and request counts, as if the server had just started; its
// address, app id, key, clock and options stay. Requests in flight during Reset
// see either the old or the new state.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = newStore(s.now().Unix(), s.seedRoles)
	s.faults = nil
	s.lim = newLimiter(s.rateLimit, s.appRateLimit)
	s.counts = make(map[requestKey]int)
	s.total = 0
}

// Roles returns the ids of the app's roles in list order (creation order, "default" first).
func (s *Server) Roles() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.st.roleOrder))
	for i, r := range s.st.roleOrder {
		out[i] = r.id
	}
	return out
}

// Friends returns the uids of the friends of the user with this uid (lowercased first), newest friendship first,
// deactivated friends included; nil when the user does not exist. The slice is the caller's.
func (s *Server) Friends(uid string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.byUID[lowerASCII(uid)]
	if u == nil {
		return nil
	}
	out := make([]string, 0, len(u.friends))
	for f := range u.friends {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(u.friends[b], u.friends[a]) })
	return out
}

// Blocked returns the uids the user with this uid (lowercased first) has blocked, oldest block first, deactivated
// users included; nil when the user does not exist. The slice is the caller's.
func (s *Server) Blocked(uid string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.byUID[lowerASCII(uid)]
	if u == nil {
		return nil
	}
	out := make([]string, 0, len(u.blocks))
	for b := range u.blocks {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b string) int {
		ra, rb := u.blocks[a], u.blocks[b]
		return cmp.Or(cmp.Compare(ra.at, rb.at), cmp.Compare(ra.seq, rb.seq))
	})
	return out
}

// AddFriends seeds friendships without HTTP: each of friends becomes a friend of uid, both ways (uids lowercased
// first). Every user must exist (deactivated ones may), none may be uid itself, and nobody may end up with more
// than 1,000 friends; otherwise nothing is added and the error says why. Existing friendships are kept as they are.
func (s *Server) AddFriends(uid string, friends ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, others, err := s.seedRelation("AddFriends", uid, friends)
	if err != nil {
		return err
	}
	added := map[string]int{}
	for _, f := range others {
		if _, ok := u.friends[f.uid]; !ok {
			added[u.uid]++
			added[f.uid]++
		}
	}
	for id, n := range added {
		if len(s.st.byUID[id].friends)+n > maxFriends {
			return fmt.Errorf("cometchattest: AddFriends: %s would have more than %d friends", id, maxFriends)
		}
	}
	for _, f := range others {
		if _, ok := u.friends[f.uid]; !ok {
			s.st.befriend(u, f)
		}
	}
	return nil
}

// AddBlocks seeds blocks without HTTP: uid blocks each of blocked (uids lowercased first) at the clock's now.
// Every user must exist (deactivated ones may) and none may be uid itself; otherwise nothing is added and the error
// says why. Existing blocks keep their time.
func (s *Server) AddBlocks(uid string, blocked ...string) error {
	now := s.now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	u, others, err := s.seedRelation("AddBlocks", uid, blocked)
	if err != nil {
		return err
	}
	for _, b := range others {
		s.st.block(u, b, now)
	}
	return nil
}

// seedRelation looks up the users of AddFriends and AddBlocks; it runs under s.mu.
func (s *Server) seedRelation(op, uid string, others []string) (*user, []*user, error) {
	u := s.st.byUID[lowerASCII(uid)]
	if u == nil {
		return nil, nil, fmt.Errorf("cometchattest: %s: no user %s", op, lowerASCII(uid))
	}
	out := make([]*user, 0, len(others))
	for _, id := range others {
		o := s.st.byUID[lowerASCII(id)]
		switch {
		case o == nil:
			return nil, nil, fmt.Errorf("cometchattest: %s: no user %s", op, lowerASCII(id))
		case o == u:
			return nil, nil, fmt.Errorf("cometchattest: %s: %s cannot relate to itself", op, u.uid)
		}
		out = append(out, o)
	}
	return u, out, nil
}
