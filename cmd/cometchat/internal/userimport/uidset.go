package userimport

// uidSet remembers the uids of the input (as 64-bit hashes of the lowercased
// uid, with the line that used each first), to catch a uid repeated far
// apart in a streamed input. It costs about 12 bytes per uid: recent uids
// sit in a small map, merged now and then into two sorted arrays searched by
// bisection (a map costs about three times as much per entry).

import (
	"slices"
	"sort"
)

type uidSet struct {
	recent map[uint64]uint32
	keys   []uint64 // sorted
	lines  []uint32 // lines[i] goes with keys[i]
}

// minMerge is how many recent uids wait in the map before a merge; merges
// also wait for the map to reach an eighth of the arrays, so that merging
// stays linear in the input overall.
const minMerge = 1 << 16

func newUIDSet() *uidSet { return &uidSet{recent: make(map[uint64]uint32)} }

// get returns the line of key, if seen.
func (s *uidSet) get(key uint64) (uint32, bool) {
	if line, ok := s.recent[key]; ok {
		return line, true
	}
	i, ok := slices.BinarySearch(s.keys, key)
	if !ok {
		return 0, false
	}
	return s.lines[i], true
}

// add records key at line; key must not be in the set.
func (s *uidSet) add(key uint64, line uint32) {
	s.recent[key] = line
	if len(s.recent) >= max(minMerge, len(s.keys)/8) {
		s.merge()
	}
}

func (s *uidSet) len() int { return len(s.recent) + len(s.keys) }

// merge moves the recent uids into the sorted arrays.
func (s *uidSet) merge() {
	add := make([]uint64, 0, len(s.recent))
	for k := range s.recent {
		add = append(add, k)
	}
	sort.Slice(add, func(i, j int) bool { return add[i] < add[j] })
	keys := make([]uint64, 0, len(s.keys)+len(add))
	lines := make([]uint32, 0, len(s.keys)+len(add))
	i, j := 0, 0
	for i < len(s.keys) || j < len(add) {
		if j == len(add) || i < len(s.keys) && s.keys[i] < add[j] {
			keys, lines = append(keys, s.keys[i]), append(lines, s.lines[i])
			i++
			continue
		}
		keys, lines = append(keys, add[j]), append(lines, s.recent[add[j]])
		j++
	}
	s.keys, s.lines = keys, lines
	clear(s.recent)
}
