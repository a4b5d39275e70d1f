package cometchat_test

// Users.Get, Create, List and All through the SDK against the same calls written by hand with net/http and
// encoding/json (the harness is client_bench_test.go; BENCHMARKS.md holds the numbers):
//
//	go test -run '^$' -bench 'UsersService_(Get|Create|List|All)$' -benchmem -count 10 . | benchstat -col /impl -
//	go test -run '^$' -bench 'UsersService_Ratio' -count 10 . | benchstat -
//
// BenchmarkUsersService_{Get,Create,List,All} run each side on its own, named .../impl=sdk and .../impl=hand, for
// time and allocations per call. BenchmarkUsersService_Ratio interleaves the two and reports sdk/hand, the number
// to trust on a shared machine.

import (
	"context"
	"errors"
	"testing"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/internal/benchdata"
)

const (
	listPerPage = 100     // a List call's page
	allUsers    = 100_000 // the users an All walk reads
	allPerPage  = 1_000   // the page size of the walk: the API's largest
)

var errWrong = errors.New("wrong answer")

// benchOp is one operation through both clients; an error or a wrong answer fails the benchmark.
type benchOp struct {
	name       string
	block      int // calls per block when interleaved
	sdk        func(*cometchat.Client) error
	hand       func(*handClient) error
	bigList    bool // served from bigList, in memory only
	noLoopback bool
}

var benchOps = []benchOp{
	{name: "Get", block: 100, sdk: sdkGet, hand: handGet},
	{name: "Create", block: 100, sdk: sdkCreate, hand: handCreateUser},
	{name: "List", block: 10, sdk: sdkList, hand: handList},
	{name: "All", block: 1, sdk: sdkAll, hand: handAll, bigList: true, noLoopback: true},
}

func sdkGet(c *cometchat.Client) error {
	u, err := c.Users.Get(context.Background(), "user_000002")
	if err == nil && (u.UID != "user_000002" || len(u.Metadata) == 0) {
		err = errWrong
	}
	return err
}

func handGet(h *handClient) error {
	u, err := h.getUser(context.Background(), "user_000002")
	if err == nil && (u.UID != "user_000002" || len(u.Metadata) == 0) {
		err = errWrong
	}
	return err
}

func sdkCreate(c *cometchat.Client) error {
	u, err := c.Users.Create(context.Background(), &cometchat.CreateUserParams{
		UID: "user_000006", Name: "Bench User 6", Avatar: "https://assets.example.com/avatars/v2/user_000006.webp",
		Link: "https://example.com/profiles/user_000006", Role: "default", StatusMessage: "In a meeting / back at 3",
		Metadata: benchMeta, Tags: benchTags, WithAuthToken: true,
	})
	if err == nil && u.AuthToken == "" {
		err = errWrong
	}
	return err
}

func handCreateUser(h *handClient) error {
	u, err := h.createUser(context.Background(), &handCreate{
		UID: "user_000006", Name: "Bench User 6", Avatar: "https://assets.example.com/avatars/v2/user_000006.webp",
		Link: "https://example.com/profiles/user_000006", Role: "default", StatusMessage: "In a meeting / back at 3",
		Metadata: benchMeta, Tags: benchTags, WithAuthToken: true,
	})
	if err == nil && u.AuthToken == "" {
		err = errWrong
	}
	return err
}

var (
	benchMeta = benchdata.Metadata("user_000006")
	benchTags = benchdata.Tags()
)

func sdkList(c *cometchat.Client) error {
	p, err := c.Users.List(context.Background(), &cometchat.ListUsersParams{PerPage: listPerPage, Page: 1})
	if err == nil && len(p.Users) != listPerPage {
		err = errWrong
	}
	return err
}

func handList(h *handClient) error {
	p, err := h.listUsers(context.Background(), listPerPage, 1)
	if err == nil && len(p.Data) != listPerPage {
		err = errWrong
	}
	return err
}

func sdkAll(c *cometchat.Client) error {
	n := 0
	for _, err := range c.Users.All(context.Background(), &cometchat.ListUsersParams{PerPage: allPerPage}) {
		if err != nil {
			return err
		}
		n++
	}
	if n != allUsers {
		return errWrong
	}
	return nil
}

func handAll(h *handClient) error {
	n := 0
	if err := h.allUsers(context.Background(), allPerPage, func(*handUser) { n++ }); err != nil {
		return err
	}
	if n != allUsers {
		return errWrong
	}
	return nil
}

// api returns the answers op reads.
func (op *benchOp) api() *benchAPI {
	if op.bigList {
		return bigList()
	}
	return newBenchAPI(listPerPage, 1, allUsers)
}

// transports runs f for each way of serving op: memory, then loopback.
func (op *benchOp) transports(b *testing.B, f func(b *testing.B, c benchClients)) {
	b.Run("transport=memory", func(b *testing.B) { f(b, memoryClients(b, op.api())) })
	if !op.noLoopback {
		b.Run("transport=loopback", func(b *testing.B) { f(b, loopbackClients(b, op.api())) })
	}
}

// pair runs the op named name through each client on its own, in memory and over the loopback interface.
func pair(b *testing.B, name string) {
	for _, op := range benchOps {
		if op.name != name {
			continue
		}
		op.transports(b, func(b *testing.B, c benchClients) {
			b.Run("impl=sdk", func(b *testing.B) { run(b, func() error { return op.sdk(c.sdk) }) })
			b.Run("impl=hand", func(b *testing.B) { run(b, func() error { return op.hand(c.hand) }) })
		})
	}
}

func BenchmarkUsersService_Get(b *testing.B)    { pair(b, "Get") }
func BenchmarkUsersService_Create(b *testing.B) { pair(b, "Create") }
func BenchmarkUsersService_List(b *testing.B)   { pair(b, "List") }

// BenchmarkUsersService_All walks 100,000 users, 1,000 a page, from memory: one op is one whole walk.
func BenchmarkUsersService_All(b *testing.B) { pair(b, "All") }

// BenchmarkUsersService_Ratio interleaves every op through the SDK and by hand (see interleave) and reports
// sdk/hand, for each way of serving.
func BenchmarkUsersService_Ratio(b *testing.B) {
	for _, op := range benchOps {
		b.Run("op="+op.name, func(b *testing.B) {
			op.transports(b, func(b *testing.B, c benchClients) {
				interleave(b, op.block, func() error { return op.sdk(c.sdk) }, func() error { return op.hand(c.hand) })
			})
		})
	}
}
