package cometchattest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func storeUIDs(st *store) []string {
	var out []string
	for _, u := range st.order {
		out = append(out, u.uid)
	}
	return out
}

func TestStore_Insert_KeepsCreationOrder(t *testing.T) {
	st := newStore(0, nil)
	for _, u := range []*user{{uid: "b", createdAt: 20}, {uid: "c", createdAt: 30}, {uid: "a", createdAt: 10}, {uid: "b2", createdAt: 20}} {
		st.insert(u)
	}
	assert.Equal(t, []string{"a", "b", "b2", "c"}, storeUIDs(&st), "oldest first; same second: insertion order")
	st.insertMany([]*user{{uid: "z", createdAt: 5}, {uid: "y", createdAt: 25}})
	assert.Equal(t, []string{"z", "a", "b", "b2", "y", "c"}, storeUIDs(&st))

	st.remove(st.byUID["b2"])
	assert.Equal(t, []string{"z", "a", "b", "y", "c"}, storeUIDs(&st))
	assert.Nil(t, st.byUID["b2"])
}

func TestStore_Deactivation_CountsAndActive(t *testing.T) {
	st := newStore(0, nil)
	u := &user{uid: "a"}
	st.insert(u)
	require.Same(t, u, st.active("a"))
	st.setDeactivated(u, true, 7)
	st.setDeactivated(u, true, 8) // no change
	assert.Equal(t, 1, st.deactivated)
	assert.Equal(t, int64(7), u.deactivatedAt)
	assert.Nil(t, st.active("a"))
	st.setDeactivated(u, false, 0)
	assert.Equal(t, 0, st.deactivated)
	assert.Same(t, u, st.active("a"))
	st.setDeactivated(u, true, 9)
	st.remove(u)
	assert.Equal(t, 0, st.deactivated)
}

func TestStore_AddToken_OrdersAndCaps(t *testing.T) {
	st := newStore(0, nil)
	u := &user{uid: "a"}
	st.insert(u)
	st.addToken(u, &token{value: "late", createdAt: 20})
	st.addToken(u, &token{value: "early", createdAt: 10})
	assert.Equal(t, "late", u.tokens[len(u.tokens)-1].value, "newest last, by createdAt")
	for i := range maxActiveTokens {
		st.addToken(u, &token{value: "t", createdAt: int64(30 + i)})
	}
	assert.Len(t, u.tokens, maxActiveTokens)
	assert.Nil(t, u.token("early"), "the oldest are archived")
	assert.True(t, u.deleteToken("t"))
	assert.False(t, u.deleteToken("nope"))
}
