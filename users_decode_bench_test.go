package cometchat

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/gocometchat/cometchat/internal/benchdata"
	"github.com/gocometchat/cometchat/internal/wire"
)

// The decoding of a realistic 100-user page (138 KB) alone, from bytes in memory, three ways:
//
//   - decoder=wire: the SDK's (wire.Unmarshal into wire.List[wireUser]: the v2 engine);
//   - decoder=legacy: the SDK's before the v2 engine (encoding/json's Unmarshal into the wire user with metadata
//     as an any, converted afterwards, as users_decode_test.go's legacyUser);
//   - decoder=hand: the hand-written baseline's (json.NewDecoder(r).Decode into benchdata.HandPage).
//
// It reports ns/user besides the per-page figures (allocs/op are per page of 100). BenchmarkDecodeUsersPage_Ratio
// interleaves them and reports wire/legacy and wire/hand.
//
//	go test -run '^$' -bench DecodeUsersPage -benchmem -count 10 . | benchstat -col /decoder -

var decodePage = benchdata.Page(1, 100, 100_000)

func decodeWire() error {
	var env wire.List[wireUser]
	if err := wire.Unmarshal(decodePage, &env); err != nil {
		return err
	}
	users := make([]*User, len(*env.Data))
	for i := range *env.Data {
		users[i] = (*env.Data)[i].user()
	}
	if len(users) != 100 || len(users[0].Metadata) == 0 {
		return errNoData("GET", "/users")
	}
	return nil
}

func decodeLegacy() error {
	var env wire.List[legacyUser]
	if err := json.Unmarshal(decodePage, &env); err != nil {
		return err
	}
	users := make([]*User, len(*env.Data))
	for i := range *env.Data {
		users[i] = (*env.Data)[i].user()
	}
	if len(users) != 100 || len(users[0].Metadata) == 0 {
		return errNoData("GET", "/users")
	}
	return nil
}

func decodeHand() error {
	var p benchdata.HandPage
	if err := json.NewDecoder(bytes.NewReader(decodePage)).Decode(&p); err != nil {
		return err
	}
	if len(p.Data) != 100 || len(p.Data[0].Metadata) == 0 {
		return errNoData("GET", "/users")
	}
	return nil
}

func BenchmarkDecodeUsersPage(b *testing.B) {
	for _, d := range []struct {
		name   string
		decode func() error
	}{{"wire", decodeWire}, {"legacy", decodeLegacy}, {"hand", decodeHand}} {
		b.Run("decoder="+d.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(decodePage)))
			start := time.Now()
			for range b.N {
				if err := d.decode(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N)/100, "ns/user")
		})
	}
}

// BenchmarkDecodeUsersPage_Ratio alternates blocks of 5 pages of each decoder and reports the time of the SDK's
// decoder over the others'.
func BenchmarkDecodeUsersPage_Ratio(b *testing.B) {
	decoders := []func() error{decodeWire, decodeLegacy, decodeHand}
	var times [3]time.Duration
	for round := 0; round*5 < b.N || round < 3; round++ {
		for j := range decoders {
			k := (j + round) % len(decoders) // each goes first in turn
			start := time.Now()
			for range 5 {
				if err := decoders[k](); err != nil {
					b.Fatal(err)
				}
			}
			times[k] += time.Since(start)
		}
	}
	b.ReportMetric(float64(times[0])/float64(times[1]), "wire/legacy")
	b.ReportMetric(float64(times[0])/float64(times[2]), "wire/hand")
}
