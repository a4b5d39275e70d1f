package cometchat_test

// Users.Import against the cometchattest fake, on a fake clock shared by the
// client and the server. Helpers are prefixed imp.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

// impFake starts a fake server that enforces the data import's 60 requests
// a minute (and a generous budget for the rest), and a client of it, both on
// clk.
func impFake(t *testing.T, clk *cometchat.ImpClock, opts ...cometchattest.ServerOption) (*cometchattest.Server, *cometchat.Client) {
	t.Helper()
	srv := cometchattest.NewServer(append([]cometchattest.ServerOption{
		cometchattest.WithClock(clk.Now), cometchattest.WithRateLimit(1_000_000),
	}, opts...)...)
	t.Cleanup(srv.Close)
	c := srv.Client()
	clk.Install(c)
	return srv, c
}

func impFakeUsers(prefix string, n int) []*cometchat.ImportUser {
	users := make([]*cometchat.ImportUser, n)
	for i := range users {
		users[i] = &cometchat.ImportUser{
			UID:          fmt.Sprintf("%s%06d", prefix, i),
			Name:         fmt.Sprintf("User %d", i),
			Tags:         []string{"migrated"},
			Metadata:     map[string]any{"plan": "gold"},
			CreatedAt:    time.Unix(1_500_000_000+int64(i), 0),
			LastActiveAt: time.Unix(1_600_000_000+int64(i), 0),
		}
	}
	return users
}

// impLanded asserts that every user of users is stored exactly once.
func impLanded(t *testing.T, srv *cometchattest.Server, users []*cometchat.ImportUser) {
	t.Helper()
	stored := map[string]int{}
	for _, u := range srv.Users() {
		stored[u.UID]++
	}
	for _, u := range users {
		assert.Equal(t, 1, stored[strings.ToLower(u.UID)], "user %s stored", u.UID)
	}
}

func TestImportIntoFake(t *testing.T) {
	clk := cometchat.NewImpClock()
	srv, c := impFake(t, clk)
	users := impFakeUsers("u", 10_001)

	var last [3]int
	rep, err := c.Users.Import(context.Background(), users,
		cometchat.WithImportProgress(func(done, failed, total int) { last = [3]int{done, failed, total} }))
	require.NoError(t, err)
	assert.Empty(t, rep.Failed)
	require.Len(t, rep.Imported, 10_001)
	assert.Equal(t, [3]int{10_001, 0, 10_001}, last)

	assert.Equal(t, 201, srv.RequestCountFor(http.MethodPost, "/data_import/users"), "no request was refused (429) and resent")
	assert.Equal(t, 3*time.Minute, clk.Elapsed(), "60 requests a minute, no slower")
	impLanded(t, srv, users)

	got, ok := srv.User("u000123")
	require.True(t, ok)
	assert.Equal(t, users[123].CreatedAt.Unix(), got.CreatedAt.Unix(), "history kept")
	assert.Equal(t, users[123].LastActiveAt.Unix(), got.LastActiveAt.Unix())
	assert.Equal(t, []string{"migrated"}, got.Tags)
	assert.Equal(t, map[string]any{"plan": "gold"}, got.Metadata)
	assert.Equal(t, users[9_999].CreatedAt.Unix(), rep.Imported[9_999].CreatedAt.Unix())
}

func TestImportIntoFakeSharesTheBudget(t *testing.T) {
	// Another process used half of the import budget a moment ago: the
	// server refuses with 429 and Retry-After, the import waits and loses
	// nobody.
	clk := cometchat.NewImpClock()
	srv, c := impFake(t, clk)
	other := srv.Client()
	clk.Install(other)
	for i := range 30 {
		_, err := other.Users.Import(context.Background(), impFakeUsers(fmt.Sprintf("other%02d-", i), 1))
		require.NoError(t, err)
	}

	users := impFakeUsers("u", 60*50)
	rep, err := c.Users.Import(context.Background(), users)
	require.NoError(t, err)
	assert.Empty(t, rep.Failed)
	assert.Len(t, rep.Imported, len(users))
	impLanded(t, srv, users)
	refused := srv.RequestCountFor(http.MethodPost, "/data_import/users") - 30 - 60
	assert.Equal(t, 1, refused, "one 429, then the client holds until the server's wait is over")
	assert.Equal(t, time.Minute, clk.Elapsed())
}

func TestImportIntoFakeExistingUsers(t *testing.T) {
	clk := cometchat.NewImpClock()
	srv, c := impFake(t, clk)
	require.NoError(t, srv.AddUsers(&cometchat.User{UID: "u000002", Name: "Already"}, &cometchat.User{UID: "u000070", Name: "Already"}))
	users := impFakeUsers("U", 100) // upper case: the server lowercases

	t.Run("data import: a failure per user", func(t *testing.T) {
		rep, err := c.Users.Import(context.Background(), users)
		require.NoError(t, err)
		require.Len(t, rep.Failed, 2)
		assert.Equal(t, 2, rep.Failed[0].Index)
		assert.Equal(t, 70, rep.Failed[1].Index)
		for _, f := range rep.Failed {
			assert.ErrorIs(t, f.Err, cometchat.ErrUIDAlreadyExists)
		}
		assert.Len(t, rep.Imported, 98)
		assert.Equal(t, "u000000", rep.Imported[0].UID)
	})
	t.Run("create: already there", func(t *testing.T) {
		// A re-run of the same input: everything is there now.
		rep, err := c.Users.Import(context.Background(), users, cometchat.WithImportStrategy(cometchat.ImportStrategyCreate))
		require.NoError(t, err)
		assert.Empty(t, rep.Failed)
		assert.Empty(t, rep.Imported)
		assert.Len(t, rep.Existing, 100)
		assert.Equal(t, cometchat.ImportExisting{Index: 5, UID: "U000005"}, rep.Existing[5])
	})
	got, _ := srv.User("u000002")
	assert.Equal(t, "Already", got.Name, "an existing user is never overwritten")
	assert.Len(t, srv.Users(), 100)
}

func TestImportIntoFakeFaults(t *testing.T) {
	clk := cometchat.NewImpClock()
	srv, c := impFake(t, clk)
	srv.InjectFault(cometchattest.Fault{Method: http.MethodPost, Path: "/data_import/users", Status: http.StatusBadGateway})
	users := impFakeUsers("u", 120)
	rep, err := c.Users.Import(context.Background(), users)
	require.NoError(t, err)
	require.Len(t, rep.Failed, 50)
	var apiErr *cometchat.APIError
	require.ErrorAs(t, rep.Failed[0].Err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Len(t, rep.Imported, 70)

	// Retry just the failed ones.
	var retry []*cometchat.ImportUser
	for _, f := range rep.Failed {
		retry = append(retry, users[f.Index])
	}
	rep, err = c.Users.Import(context.Background(), retry)
	require.NoError(t, err)
	assert.Len(t, rep.Imported, 50)
	impLanded(t, srv, users)
}

func TestImportIntoFakeStopsOnBadKey(t *testing.T) {
	clk := cometchat.NewImpClock()
	srv, _ := impFake(t, clk)
	c, err := cometchat.NewClient(srv.AppID(), srv.Region(), "wrong-key", cometchat.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	clk.Install(c)
	for _, strategy := range []cometchat.ImportStrategy{cometchat.ImportStrategyDataImport, cometchat.ImportStrategyCreate} {
		rep, err := c.Users.Import(context.Background(), impFakeUsers("u", 500), cometchat.WithImportStrategy(strategy))
		require.ErrorIs(t, err, cometchat.ErrAPIKeyNotFound)
		assert.NotContains(t, err.Error(), "wrong-key", "the key is redacted")
		assert.Len(t, rep.Failed, 500)
	}
	assert.Empty(t, srv.Users())
}

func TestImportIntoFakeCancelAndResume(t *testing.T) {
	for _, tt := range []struct {
		name     string
		strategy cometchat.ImportStrategy
		inFlight int // users whose request was cut off: they may have landed
	}{
		{"data import", cometchat.ImportStrategyDataImport, 50},
		{"create", cometchat.ImportStrategyCreate, 4},
	} {
		strategy := tt.strategy
		t.Run(tt.name, func(t *testing.T) {
			clk := cometchat.NewImpClock()
			srv, c := impFake(t, clk)
			users := impFakeUsers("u", 1_000)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rep, err := c.Users.Import(ctx, users, cometchat.WithImportStrategy(strategy), cometchat.WithImportWorkers(4),
				cometchat.WithImportProgress(func(done, _, _ int) {
					if done >= 300 {
						cancel()
					}
				}))
			require.ErrorIs(t, err, context.Canceled)
			landed := len(srv.Users())
			assert.GreaterOrEqual(t, landed, len(rep.Imported), "the report holds what was done")
			assert.LessOrEqual(t, landed-len(rep.Imported), tt.inFlight, "only requests cut off in flight are unknown")
			assert.Equal(t, len(users), len(rep.Imported)+len(rep.Failed)+len(rep.Existing))

			// Resume: run the same input again; what landed is already there.
			rep, err = c.Users.Import(context.Background(), users, cometchat.WithImportStrategy(strategy))
			require.NoError(t, err)
			for _, f := range rep.Failed {
				assert.ErrorIs(t, f.Err, cometchat.ErrUIDAlreadyExists)
			}
			impLanded(t, srv, users)
			assert.Len(t, srv.Users(), len(users))
		})
	}
}

func TestImportCreateIntoRateLimitedFake(t *testing.T) {
	// A server allowing 100 requests a minute and a client paced at 100 a
	// minute: no request is refused.
	clk := cometchat.NewImpClock()
	srv := cometchattest.NewServer(cometchattest.WithClock(clk.Now), cometchattest.WithRateLimit(100))
	t.Cleanup(srv.Close)
	c := srv.Client()
	clk.Install(c)
	users := impFakeUsers("u", 450)
	rep, err := c.Users.Import(context.Background(), users, cometchat.WithImportStrategy(cometchat.ImportStrategyCreate),
		cometchat.WithImportRate(100), cometchat.WithImportWorkers(8))
	require.NoError(t, err)
	assert.Len(t, rep.Imported, 450)
	assert.Equal(t, 450, srv.RequestCountFor(http.MethodPost, "/users"), "no 429")
	assert.GreaterOrEqual(t, clk.Elapsed(), 4*time.Minute)
	impLanded(t, srv, users)

	// A tighter server: the client meets 429s, waits as told, loses nobody.
	srv2 := cometchattest.NewServer(cometchattest.WithClock(clk.Now), cometchattest.WithRateLimit(40))
	t.Cleanup(srv2.Close)
	c2 := srv2.Client()
	clk.Install(c2)
	rep, err = c2.Users.Import(context.Background(), users[:200], cometchat.WithImportStrategy(cometchat.ImportStrategyCreate),
		cometchat.WithImportRate(100), cometchat.WithImportWorkers(8))
	require.NoError(t, err)
	assert.Len(t, rep.Imported, 200)
	impLanded(t, srv2, users[:200])
	assert.Greater(t, srv2.RequestCountFor(http.MethodPost, "/users"), 200, "some requests were refused and resent")
	assert.GreaterOrEqual(t, clk.Elapsed(), 4*time.Minute+4*time.Minute, "200 at the server's 40 a minute")
}
