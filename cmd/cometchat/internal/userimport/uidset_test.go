package userimport

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUIDSet(t *testing.T) {
	s := newUIDSet()
	rng := rand.New(rand.NewPCG(1, 2))
	want := map[uint64]uint32{}
	for line := uint32(1); line <= 300_000; line++ {
		k := rng.Uint64() % 400_000 // repeats on purpose
		if got, ok := s.get(k); ok {
			require.Equal(t, want[k], got, "key %d", k)
			continue
		}
		_, seen := want[k]
		require.False(t, seen, "key %d lost", k)
		s.add(k, line)
		want[k] = line
	}
	assert.Equal(t, len(want), s.len())
	assert.Greater(t, len(s.keys), 0, "merged into the sorted arrays")
	for k, line := range want {
		got, ok := s.get(k)
		require.True(t, ok)
		require.Equal(t, line, got)
	}
}
