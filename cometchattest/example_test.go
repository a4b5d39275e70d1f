package cometchattest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

// A test starts a fake server and hands its client to the code under test.
func Example() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	u, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "Alice", Name: "Alice"})
	if err != nil {
		panic(err)
	}
	fmt.Println(u.UID, u.Role, u.Status)

	_, err = client.Users.Get(ctx, "bob")
	fmt.Println(errors.Is(err, cometchat.ErrUIDNotFound))
	// Output:
	// alice default offline
	// true
}

// Seeding puts users in place without HTTP, with the history a test needs; User reads the store back.
func ExampleServer_AddUsers() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	err := srv.AddUsers(
		&cometchat.User{UID: "old", Name: "Old Timer", CreatedAt: time.Unix(1500000000, 0)},
		&cometchat.User{UID: "gone", Name: "Gone", DeactivatedAt: time.Unix(1600000000, 0)},
	)
	if err != nil {
		panic(err)
	}
	page, err := srv.Client().Users.List(context.Background(), nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(page.Users), page.Users[0].UID, page.Users[0].CreatedAt.Unix())
	gone, _ := srv.User("gone")
	fmt.Println(gone.DeactivatedAt.Unix())
	// Output:
	// 1 old 1500000000
	// 1600000000
}

// Faults show how code copes with a failing API: here the SDK retries two 503s and then succeeds.
func ExampleServer_InjectFault() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	if err := srv.AddUsers(&cometchat.User{UID: "alice", Name: "Alice"}); err != nil {
		panic(err)
	}
	srv.InjectFault(cometchattest.Fault{Method: http.MethodGet, Path: "/users/alice", Status: http.StatusServiceUnavailable, Times: 2})

	client := srv.Client(cometchat.WithRetryWait(time.Millisecond, 10*time.Millisecond))
	u, err := client.Users.Get(context.Background(), "alice")
	fmt.Println(u.Name, err, srv.RequestCountFor(http.MethodGet, "/users/alice"))
	// Output: Alice <nil> 3
}

// A rate limit on a fake clock shows the 429 path without waiting a minute.
func ExampleWithRateLimit() {
	now := time.Unix(1700000000, 0)
	srv := cometchattest.NewServer(cometchattest.WithRateLimit(1), cometchattest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	client := srv.Client(cometchat.WithMaxRetries(0))
	ctx := context.Background()

	_, err := client.Users.List(ctx, nil)
	fmt.Println(err)
	_, err = client.Users.List(ctx, nil)
	var apiErr *cometchat.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(errors.Is(err, cometchat.ErrTooManyRequests), apiErr.RetryAfter)
	}
	// Output:
	// <nil>
	// true 1m0s
}
