package cometchattest

import (
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
	if e, ok := s.roleExists(u.role); !ok {
		return nil, errors.New(e.body.Message)
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
	var snap wireUser
	if u != nil {
		snap = u.wire(true)
	}
	s.mu.Unlock()
	if u == nil {
		return nil, false
	}
	return toSDKUser(&snap), true
}

// Users returns snapshots of every stored user, deactivated ones included, in list order (newest createdAt first,
// newest insertion first within a second). See User for what a snapshot holds.
func (s *Server) Users() []*cometchat.User {
	s.mu.Lock()
	snaps := make([]wireUser, len(s.st.order))
	for i, u := range s.st.order {
		snaps[len(snaps)-1-i] = u.wire(true)
	}
	s.mu.Unlock()
	out := make([]*cometchat.User, len(snaps))
	for i := range snaps {
		out[i] = toSDKUser(&snaps[i])
	}
	return out
}

func toSDKUser(w *wireUser) *cometchat.User {
	u := &cometchat.User{
		UID:           w.UID,
		Name:          w.Name,
		Avatar:        w.Avatar,
		Link:          w.Link,
		Role:          w.Role,
		StatusMessage: w.StatusMessage,
		Status:        cometchat.UserStatus(w.Status),
		Tags:          slices.Clone(w.Tags),
		CreatedAt:     unixTime(w.CreatedAt),
		UpdatedAt:     unixTime(w.UpdatedAt),
		LastActiveAt:  unixTime(w.LastActiveAt),
		DeactivatedAt: unixTime(w.DeactivatedAt),
	}
	if len(w.Metadata) > 0 && w.Metadata[0] == '{' {
		_ = json.Unmarshal(w.Metadata, &u.Metadata) // stored metadata is valid JSON
	}
	return u
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
	return true
}

// Reset empties the store and forgets queued faults, rate-limit windows and request counts, as if the server
// had just started; its address, app id, key, clock, roles and rate limit stay. Requests in flight during Reset
// see either the old or the new state.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = newStore()
	s.faults = nil
	s.lim = newLimiter(s.rateLimit, s.appRateLimit)
	s.counts = make(map[requestKey]int)
	s.total = 0
}
