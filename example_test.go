package cometchat_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

// Every example runs against cometchattest, an in-memory CometChat server,
// so it needs no account and no network. In production, build the client
// with NewClient instead of srv.Client().

// The whole flow: create a user with an auth token for their app, read a
// user that does not exist, and walk every user.
func Example() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client() // production: cometchat.NewClient(appID, cometchat.RegionUS, apiKey)
	ctx := context.Background()

	ada, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada Lovelace", WithAuthToken: true})
	if err != nil {
		log.Fatal(err)
	}
	// ada.AuthToken logs Ada in: hand it to her app, and to nobody else.
	fmt.Println("created", ada.UID, "with a token:", ada.AuthToken != "")

	if _, err := client.Users.Get(ctx, "grace"); errors.Is(err, cometchat.ErrUIDNotFound) {
		fmt.Println("grace is not a user yet")
	} else if err != nil {
		log.Fatal(err)
	}

	for u, err := range client.Users.All(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.UID, u.Name)
	}
	// Output:
	// created ada with a token: true
	// grace is not a user yet
	// ada Ada Lovelace
}

// The error-handling patterns: match sentinels with errors.Is, most specific
// first, and read the details with errors.As.
func Example_errorHandling() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client(cometchat.WithMaxRetries(0))
	srv.InjectFault(cometchattest.Fault{Path: "/users/bob", Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"120"}}})
	srv.InjectFault(cometchattest.Fault{Path: "/users/carol", Status: http.StatusServiceUnavailable})

	for _, uid := range []string{"grace", "Ada Lovelace", "bob", "carol"} {
		u, err := client.Users.Get(context.Background(), uid)
		var apiErr *cometchat.APIError
		switch {
		case err == nil:
			fmt.Println(u.Name)
		case errors.Is(err, cometchat.ErrValidation):
			fmt.Println(uid, "is invalid, nothing was sent:", err)
		case errors.Is(err, cometchat.ErrUIDNotFound):
			fmt.Println(uid, "does not exist or is deactivated")
		case errors.Is(err, cometchat.ErrTooManyRequests) && errors.As(err, &apiErr):
			fmt.Println(uid, "rate limited, retry after", apiErr.RetryAfter)
		case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
			fmt.Println(uid, "gave up:", err)
		case errors.As(err, &apiErr):
			fmt.Println(uid, "failed:", apiErr.StatusCode, apiErr.Code)
		default:
			log.Fatal(err) // transport or decoding failure
		}
	}
	// Output:
	// grace does not exist or is deactivated
	// Ada Lovelace is invalid, nothing was sent: cometchat: invalid uid: must contain only letters, digits, '_' and '-'
	// bob rate limited, retry after 2m0s
	// carol failed: 503 ERR_MISSION_FAILED
}

// A production client with the options most services set. NewClient
// validates and never touches the network, so it is safe to call at
// start-up.
func ExampleNewClient() {
	// In production, read the app id and the REST API key (a server-side
	// secret) from the environment or a secret store.
	appID, apiKey := "a1b2c3", "rest-api-key"

	client, err := cometchat.NewClient(appID, cometchat.RegionEU, apiKey,
		cometchat.WithTimeout(30*time.Second),
		cometchat.WithMaxRetries(5),
		cometchat.WithUserAgent("billing-service/2.3"),
		cometchat.WithLogger(slog.Default()),
	)
	if err != nil {
		log.Fatal(err) // a *ValidationError naming the argument; the key is never shown
	}
	// Share client across goroutines: one per app.
	fmt.Println(client)
	// Output: cometchat.Client{appID: a1b2c3, region: eu, baseURL: https://a1b2c3.api-eu.cometchat.io/v3, apiKey: [redacted]}
}

// NewClient reports a bad argument as a *ValidationError before anything is
// sent.
func ExampleNewClient_validation() {
	_, err := cometchat.NewClient("my app", cometchat.RegionUS, "rest-api-key")
	var ve *cometchat.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field, "-", ve.Reason)
	}

	_, err = cometchat.NewClient("a1b2c3", cometchat.RegionUS, "rest-api-key", cometchat.WithMaxRetries(-1))
	fmt.Println(err)
	// Output:
	// appID - must be 1 to 63 letters, digits or hyphens
	// cometchat: invalid maxRetries: must not be negative
}

// WithBaseURL points the client at another server: a cometchattest server
// (as srv.Client does), or a proxy.
func ExampleWithBaseURL() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client, err := cometchat.NewClient(srv.AppID(), srv.Region(), srv.APIKey(), cometchat.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.Users.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("users:", page.Pagination.Total)

	// Plain http is refused for anything but loopback: the API key would cross
	// the network in clear text.
	_, err = cometchat.NewClient("a1b2c3", cometchat.RegionUS, "rest-api-key",
		cometchat.WithBaseURL("http://proxy.internal/v3"))
	fmt.Println(err)
	// Output:
	// users: 0
	// cometchat: invalid baseURL: plain http is allowed only for loopback hosts; use https
}

// WithHTTPClient sends through the caller's http.Client, e.g. one with an
// instrumented or proxying transport. Its Timeout bounds each attempt.
func ExampleWithHTTPClient() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	hc := &http.Client{Timeout: 10 * time.Second}
	client := srv.Client(cometchat.WithHTTPClient(hc))

	u, err := client.Users.Create(context.Background(), &cometchat.CreateUserParams{UID: "ada", Name: "Ada"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.UID)
	// Output: ada
}

// WithMaxRetries(0) returns the first failure as is, e.g. for a caller that
// retries at a higher level.
func ExampleWithMaxRetries() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	srv.InjectFault(cometchattest.Fault{Status: http.StatusServiceUnavailable})
	client := srv.Client(cometchat.WithMaxRetries(0))

	_, err := client.Users.List(context.Background(), nil)
	fmt.Println(err)
	fmt.Println("requests sent:", srv.RequestCount())
	// Output:
	// cometchat: 503 ERR_MISSION_FAILED: Something went wrong. Please try again later.
	// requests sent: 1
}

// Retries are transparent: two 503s, then success. WithRetryWait bounds the
// waits between attempts (short here to keep the example fast).
func ExampleWithRetryWait() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	srv.InjectFault(cometchattest.Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable, Times: 2})
	client := srv.Client(cometchat.WithRetryWait(time.Millisecond, 10*time.Millisecond))

	page, err := client.Users.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("users:", len(page.Users), "requests sent:", srv.RequestCount())
	// Output: users: 0 requests sent: 3
}

// WithTimeout bounds a whole call, retries included; the error then matches
// context.DeadlineExceeded.
func ExampleWithTimeout() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	srv.InjectFault(cometchattest.Fault{Delay: 5 * time.Second}) // a server that hangs
	client := srv.Client(cometchat.WithTimeout(50 * time.Millisecond))

	_, err := client.Users.List(context.Background(), nil)
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// Output: true
}

// WithUserAgent names the calling service in front of the SDK's own
// User-Agent, so that CometChat support can tell callers apart.
func ExampleWithUserAgent() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client(cometchat.WithUserAgent("billing-service/2.3"))
	if _, err := client.Users.List(context.Background(), nil); err != nil {
		log.Fatal(err)
	}

	_, err := cometchat.NewClient("a1b2c3", cometchat.RegionUS, "rest-api-key", cometchat.WithUserAgent(""))
	fmt.Println(err)
	// Output: cometchat: invalid userAgent: must be non-empty printable ASCII
}

// WithLogger logs each attempt at debug level and each retry at info level,
// never headers, query values or bodies. Here the time and the duration are
// dropped so the output stays the same from run to run.
func ExampleWithLogger() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		},
	}))
	client := srv.Client(cometchat.WithLogger(logger), cometchat.WithRetryWait(time.Millisecond, time.Millisecond))
	srv.InjectFault(cometchattest.Fault{Path: "/users/grace", Status: http.StatusServiceUnavailable})

	_, err := client.Users.Get(context.Background(), "grace")
	fmt.Println(errors.Is(err, cometchat.ErrUIDNotFound))
	// Output:
	// level=DEBUG msg="cometchat: attempt" method=GET path=/users/grace attempt=1 status=503
	// level=INFO msg="cometchat: retrying" method=GET path=/users/grace attempt=1 wait=1ms status=503
	// level=DEBUG msg="cometchat: attempt" method=GET path=/users/grace attempt=2 status=404
	// true
}

// WithMaxResponseBytes caps how much of an answer is read.
func ExampleWithMaxResponseBytes() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client(cometchat.WithMaxResponseBytes(1 << 10)) // 1 KiB, to show the failure
	ctx := context.Background()
	for i := range 20 {
		uid := fmt.Sprintf("user-%02d", i)
		if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: uid, Name: uid}); err != nil {
			log.Fatal(err)
		}
	}

	_, err := client.Users.List(ctx, nil)
	fmt.Println(errors.Is(err, cometchat.ErrResponseTooLarge))
	// Output: true
}

// Ptr fills the optional fields of params: a nil pointer leaves a field
// unchanged, a pointer to "" sets it to empty (here: clears the status
// message).
func ExamplePtr() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	_, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada", StatusMessage: "On leave"})
	if err != nil {
		log.Fatal(err)
	}

	u, err := client.Users.Update(ctx, "ada", &cometchat.UpdateUserParams{
		Name:          cometchat.Ptr("Ada Lovelace"),
		StatusMessage: cometchat.Ptr(""),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %q\n", u.Name, u.StatusMessage)
	// Output: Ada Lovelace ""
}

// OnBehalfOf reads a user as another user sees them, which adds the
// viewer's fields such as the conversation between the two.
func ExampleOnBehalfOf() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	for _, uid := range []string{"ada", "grace"} {
		if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: uid, Name: uid}); err != nil {
			log.Fatal(err)
		}
	}

	u, err := client.Users.Get(ctx, "grace", cometchat.OnBehalfOf("ada"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.ConversationID, u.BlockedByMe, u.HasBlockedMe)
	// Output: ada_user_grace false false
}

// RateLimit reports what the last answer said about the budgets, e.g. to
// slow a batch job down before CometChat answers 429. Listing users is a
// standard operation (20,000 a minute); the app as a whole has 100,000.
func ExampleClient_RateLimit() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	fmt.Println(client.RateLimit() == (cometchat.RateLimit{})) // zero before the first answer

	if _, err := client.Users.List(context.Background(), nil); err != nil {
		log.Fatal(err)
	}
	rl := client.RateLimit()
	fmt.Printf("%d of %d left for this operation, %d of %d for the app\n",
		rl.Remaining, rl.Limit, rl.AppRemaining, rl.AppLimit)
	// Output:
	// true
	// 19999 of 20000 left for this operation, 99999 of 100000 for the app
}

// Printing a client never shows its API key, whatever the verb.
func ExampleClient_String() {
	client, err := cometchat.NewClient("a1b2c3", cometchat.RegionEU, "rest-api-key")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client)
	fmt.Printf("%+v\n", client)
	// Output:
	// cometchat.Client{appID: a1b2c3, region: eu, baseURL: https://a1b2c3.api-eu.cometchat.io/v3, apiKey: [redacted]}
	// cometchat.Client{appID: a1b2c3, region: eu, baseURL: https://a1b2c3.api-eu.cometchat.io/v3, apiKey: [redacted]}
}

// GoString keeps the API key out of %#v too.
func ExampleClient_GoString() {
	client, err := cometchat.NewClient("a1b2c3", cometchat.RegionIN, "rest-api-key")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%#v\n", client)
	// Output: cometchat.Client{appID: a1b2c3, region: in, baseURL: https://a1b2c3.api-in.cometchat.io/v3, apiKey: [redacted]}
}

// LogValue keeps the API key out of structured logs.
func ExampleClient_LogValue() {
	client, err := cometchat.NewClient("a1b2c3", cometchat.RegionUS, "rest-api-key")
	if err != nil {
		log.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("ready", "client", client)
	// Output: level=INFO msg=ready client="cometchat.Client{appID: a1b2c3, region: us, baseURL: https://a1b2c3.api-us.cometchat.io/v3, apiKey: [redacted]}"
}

// Create returns the user as stored: the uid lowercased, the role "default"
// unless given, the status offline.
func ExampleUsersService_Create() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()

	u, err := client.Users.Create(context.Background(), &cometchat.CreateUserParams{
		UID:      "Ada", // stored lowercased
		Name:     "Ada Lovelace",
		Avatar:   "https://example.com/ada.png",
		Metadata: map[string]any{"@private": map[string]any{"email": "ada@example.com"}},
		Tags:     []string{"staff"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.UID, u.Name, u.Role, u.Status, u.Tags, u.CreatedAt.IsZero())
	// Output: ada Ada Lovelace default offline [staff] false
}

// With WithAuthToken the new user comes back with an auth token, saving a
// call to AuthTokens.Create on sign-up.
func ExampleUsersService_Create_withAuthToken() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()

	u, err := client.Users.Create(context.Background(), &cometchat.CreateUserParams{
		UID:           "ada",
		Name:          "Ada Lovelace",
		WithAuthToken: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	// u.AuthToken is a secret: send it to Ada's app only, never log it.
	fmt.Println(strings.HasPrefix(u.AuthToken, "ada_"))
	// Output: true
}

// Get reads one user; an unknown or deactivated uid fails with
// ErrUIDNotFound.
func ExampleUsersService_Get() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada Lovelace"}); err != nil {
		log.Fatal(err)
	}

	u, err := client.Users.Get(ctx, "ada")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.UID, u.Name, u.Status)

	_, err = client.Users.Get(ctx, "grace")
	fmt.Println(errors.Is(err, cometchat.ErrUIDNotFound))
	// Output:
	// ada Ada Lovelace offline
	// true
}

// Update changes only what params sets: here the name, the tags (replaced by
// none) and the avatar (cleared with Unset).
func ExampleUsersService_Update() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	_, err := client.Users.Create(ctx, &cometchat.CreateUserParams{
		UID: "ada", Name: "Ada", Avatar: "https://example.com/ada.png", Link: "https://example.com/ada", Tags: []string{"staff"},
	})
	if err != nil {
		log.Fatal(err)
	}

	u, err := client.Users.Update(ctx, "ada", &cometchat.UpdateUserParams{
		Name:  cometchat.Ptr("Ada Lovelace"),
		Tags:  []string{}, // non-nil and empty: remove every tag; nil: leave them
		Unset: []cometchat.UserField{cometchat.UserFieldAvatar},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s, tags %d, avatar %q, link %s\n", u.Name, len(u.Tags), u.Avatar, u.Link)
	// Output: Ada Lovelace, tags 0, avatar "", link https://example.com/ada
}

// UpdateUserParams tells "leave unchanged" from "replace" from "clear":
// a nil Metadata leaves it, a non-nil one (even empty) replaces it, and
// Unset removes it.
func ExampleUpdateUserParams() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	err := srv.AddUsers(&cometchat.User{UID: "ada", Name: "Ada", Metadata: map[string]any{"plan": "pro"}})
	if err != nil {
		log.Fatal(err)
	}

	for _, params := range []*cometchat.UpdateUserParams{
		{Name: cometchat.Ptr("Ada Lovelace")}, // Metadata nil: unchanged
		{Metadata: map[string]any{}},          // replaced by an empty object
		{Unset: []cometchat.UserField{cometchat.UserFieldMetadata}},
	} {
		u, err := client.Users.Update(ctx, "ada", params)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.Name, u.Metadata, u.Metadata == nil)
	}
	// Output:
	// Ada Lovelace map[plan:pro] false
	// Ada Lovelace map[] false
	// Ada Lovelace map[] true
}

// A soft delete (the default) deactivates the user and keeps the uid taken;
// a permanent one erases the user and their data and frees the uid.
func ExampleUsersService_Delete() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	ada := &cometchat.CreateUserParams{UID: "ada", Name: "Ada Lovelace"}
	if _, err := client.Users.Create(ctx, ada); err != nil {
		log.Fatal(err)
	}

	if err := client.Users.Delete(ctx, "ada", nil); err != nil {
		log.Fatal(err)
	}
	_, err := client.Users.Create(ctx, ada)
	fmt.Println("after soft delete, uid taken:", errors.Is(err, cometchat.ErrUIDAlreadyExists))

	if err := client.Users.Delete(ctx, "ada", &cometchat.DeleteUserParams{Permanent: true}); err != nil {
		log.Fatal(err)
	}
	_, err = client.Users.Create(ctx, ada)
	fmt.Println("after permanent delete, created again:", err == nil)
	// Output:
	// after soft delete, uid taken: true
	// after permanent delete, created again: true
}

// Deactivate sorts the uids by outcome, lowercased as the server stores
// them; unknown uids are not an error.
func ExampleUsersService_Deactivate() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	for _, uid := range []string{"ada", "grace"} {
		if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: uid, Name: uid}); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := client.Users.Deactivate(ctx, "grace"); err != nil {
		log.Fatal(err)
	}

	res, err := client.Users.Deactivate(ctx, "ada", "Grace", "nobody")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("deactivated:", res.Deactivated)
	fmt.Println("already:", res.AlreadyDeactivated)
	fmt.Println("not found:", res.NotFound)
	// Output:
	// deactivated: [ada]
	// already: [grace]
	// not found: [nobody]
}

// Reactivate sorts the uids by outcome, as Deactivate does: users that were
// not deactivated or do not exist are reported, not an error.
func ExampleUsersService_Reactivate() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	for _, uid := range []string{"ada", "grace"} {
		if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: uid, Name: uid}); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := client.Users.Deactivate(ctx, "ada"); err != nil {
		log.Fatal(err)
	}

	res, err := client.Users.Reactivate(ctx, "ada", "grace", "nobody")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("reactivated:", res.Reactivated)
	fmt.Println("were active:", res.NotDeactivated)
	fmt.Println("not found:", res.NotFound)
	// Output:
	// reactivated: [ada]
	// were active: [grace]
	// not found: [nobody]
}

// List returns one page, newest first, with its position in the list.
func ExampleUsersService_List() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	for _, uid := range []string{"ada", "grace", "linus"} {
		if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: uid, Name: uid}); err != nil {
			log.Fatal(err)
		}
	}

	page, err := client.Users.List(ctx, &cometchat.ListUsersParams{PerPage: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range page.Users {
		fmt.Println(u.UID)
	}
	p := page.Pagination
	fmt.Printf("page %d of %d, %d users in all\n", p.CurrentPage, p.TotalPages, p.Total)
	// Output:
	// linus
	// grace
	// page 1 of 2, 3 users in all
}

// All walks every page of a filtered list, fetching the next page only
// when the loop gets there.
func ExampleUsersService_All() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	for i, uid := range []string{"ada", "grace", "linus", "ken", "barbara"} {
		tags := []string{"staff"}
		if i%2 == 1 {
			tags = []string{"guest"}
		}
		if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: uid, Name: uid, Tags: tags}); err != nil {
			log.Fatal(err)
		}
	}

	for u, err := range client.Users.All(ctx, &cometchat.ListUsersParams{Tags: []string{"staff"}, PerPage: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.UID)
	}
	// Output:
	// barbara
	// linus
	// ada
}

// Import moves an existing user base in, keeping when users were created.
// Invalid and repeated users are reported, not sent.
func ExampleUsersService_Import() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	users := []*cometchat.ImportUser{
		{UID: "ada", Name: "Ada Lovelace", CreatedAt: time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)},
		{UID: "grace", Name: "Grace Hopper", CreatedAt: time.Date(2021, 3, 9, 0, 0, 0, 0, time.UTC)},
		{UID: "linus torvalds", Name: "Linus"},
		{UID: "Ada", Name: "Ada again"}, // uids compare case-insensitively
	}

	report, err := client.Users.Import(context.Background(), users,
		cometchat.WithImportProgress(func(done, failed, total int) {
			fmt.Printf("%d/%d done, %d failed\n", done, total, failed)
		}))
	if err != nil {
		log.Fatal(err) // stopped early; report still says what was done
	}
	for _, u := range report.Imported {
		fmt.Println("imported", u.UID, u.CreatedAt.Year())
	}
	for _, f := range report.Failed {
		fmt.Println("failed", f.Index, f.UID+":", f.Err)
	}
	// Output:
	// 4/4 done, 2 failed
	// imported ada 2019
	// imported grace 2021
	// failed 2 linus torvalds: cometchat: invalid uid: must contain only letters, digits, '_' and '-'
	// failed 3 Ada: cometchat: invalid uid: repeats the uid of users[0]
}

// ImportStrategyCreate calls Create for each user, faster but without
// CreatedAt. Users that already exist are reported in Existing, so a re-run
// after an interruption resumes where it stopped.
func ExampleUsersService_Import_createStrategy() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada"}); err != nil {
		log.Fatal(err)
	}
	users := []*cometchat.ImportUser{{UID: "ada", Name: "Ada"}, {UID: "grace", Name: "Grace"}}

	report, err := client.Users.Import(ctx, users, cometchat.WithImportStrategy(cometchat.ImportStrategyCreate))
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range report.Imported {
		fmt.Println("created", u.UID)
	}
	for _, e := range report.Existing {
		fmt.Println("already there", e.UID)
	}
	// Output:
	// created grace
	// already there ada
}

// The default strategy keeps the users' history; the create strategy does
// not, in exchange for speed.
func ExampleWithImportStrategy() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	joined := time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)

	strategies := map[string]cometchat.ImportStrategy{
		"ada":   cometchat.ImportStrategyDataImport,
		"grace": cometchat.ImportStrategyCreate,
	}
	for _, uid := range []string{"ada", "grace"} {
		users := []*cometchat.ImportUser{{UID: uid, Name: uid, CreatedAt: joined}}
		report, err := client.Users.Import(ctx, users, cometchat.WithImportStrategy(strategies[uid]))
		if err != nil {
			log.Fatal(err)
		}
		if len(report.Failed) > 0 {
			log.Fatal(report.Failed[0].Err)
		}
		u := report.Imported[0]
		fmt.Println(u.UID, "joined in 2019:", u.CreatedAt.Equal(joined))
	}
	// Output:
	// ada joined in 2019: true
	// grace joined in 2019: false
}

// WithImportRate and WithImportWorkers pace the create strategy, e.g. to
// leave room for live traffic on the free plan's 500 requests a minute.
func ExampleWithImportRate() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	users := []*cometchat.ImportUser{{UID: "ada", Name: "Ada"}, {UID: "grace", Name: "Grace"}}

	report, err := client.Users.Import(context.Background(), users,
		cometchat.WithImportStrategy(cometchat.ImportStrategyCreate),
		cometchat.WithImportRate(300),
		cometchat.WithImportWorkers(4))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", len(report.Imported))
	// Output: created: 2
}

// An invalid import option fails the whole call before anything is sent.
func ExampleWithImportWorkers() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	users := []*cometchat.ImportUser{{UID: "ada", Name: "Ada"}}

	_, err := client.Users.Import(context.Background(), users,
		cometchat.WithImportStrategy(cometchat.ImportStrategyCreate),
		cometchat.WithImportWorkers(0))
	fmt.Println(err)
	fmt.Println("requests sent:", srv.RequestCount())
	// Output:
	// cometchat: invalid importWorkers: must be positive
	// requests sent: 0
}

// WithImportProgress reports how far an import got, e.g. for a progress bar.
func ExampleWithImportProgress() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	users := make([]*cometchat.ImportUser, 120)
	for i := range users {
		uid := fmt.Sprintf("user-%03d", i)
		users[i] = &cometchat.ImportUser{UID: uid, Name: uid}
	}

	_, err := client.Users.Import(context.Background(), users,
		cometchat.WithImportProgress(func(done, failed, total int) {
			fmt.Printf("%d%%\n", 100*done/total)
		}))
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// 41%
	// 83%
	// 100%
}

// Validate checks a user with Import's rules without sending it, for a dry
// run over the data before a migration.
func ExampleImportUser_Validate() {
	users := []*cometchat.ImportUser{
		{UID: "ada", Name: "Ada Lovelace"},
		{UID: "grace", Name: "Grace Hopper", Avatar: "grace.png"},
		{UID: "linus", Name: " "},
	}
	for _, u := range users {
		if err := u.Validate(); err != nil {
			fmt.Println(u.UID, err)
		}
	}
	// Output:
	// grace cometchat: invalid avatar: must be an absolute http or https URL
	// linus cometchat: invalid name: must not be empty or blank
}

// Create returns the user's current token, or mints one; Force always mints
// a new one, e.g. for a second device.
func ExampleAuthTokensService_Create() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada"}); err != nil {
		log.Fatal(err)
	}

	first, err := client.AuthTokens.Create(ctx, "ada", nil)
	if err != nil {
		log.Fatal(err)
	}
	again, err := client.AuthTokens.Create(ctx, "ada", nil)
	if err != nil {
		log.Fatal(err)
	}
	forced, err := client.AuthTokens.Create(ctx, "ada", &cometchat.CreateAuthTokenParams{Force: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same token again:", again.Token == first.Token)
	fmt.Println("forced a new one:", forced.Token != first.Token)
	// Output:
	// same token again: true
	// forced a new one: true
}

// List returns one page of a user's active tokens, newest first.
func ExampleAuthTokensService_List() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada"}); err != nil {
		log.Fatal(err)
	}
	for range 3 { // one per device
		if _, err := client.AuthTokens.Create(ctx, "ada", &cometchat.CreateAuthTokenParams{Force: true}); err != nil {
			log.Fatal(err)
		}
	}

	page, err := client.AuthTokens.List(ctx, "ada", &cometchat.ListAuthTokensParams{PerPage: 2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("on this page:", len(page.Tokens), "in all:", page.Pagination.Total)
	// Output: on this page: 2 in all: 3
}

// All walks every active token of a user, e.g. to find the one of a device.
func ExampleAuthTokensService_All() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada"}); err != nil {
		log.Fatal(err)
	}
	for _, platform := range []string{"ios", "android", "web"} {
		t, err := client.AuthTokens.Create(ctx, "ada", &cometchat.CreateAuthTokenParams{Force: true})
		if err != nil {
			log.Fatal(err)
		}
		if _, err := client.AuthTokens.Update(ctx, "ada", t.Token, &cometchat.UpdateAuthTokenParams{Platform: cometchat.Ptr(platform)}); err != nil {
			log.Fatal(err)
		}
	}

	for t, err := range client.AuthTokens.All(ctx, "ada", &cometchat.ListAuthTokensParams{PerPage: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(t.UID, t.Platform)
	}
	// Output:
	// ada web
	// ada android
	// ada ios
}

// Get reads one token of a user; an unknown token fails with
// ErrAuthTokenNotFound.
func ExampleAuthTokensService_Get() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	u, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada", WithAuthToken: true})
	if err != nil {
		log.Fatal(err)
	}

	t, err := client.AuthTokens.Get(ctx, "ada", u.AuthToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.UID, t.Token == u.AuthToken, t.CreatedAt.IsZero())

	_, err = client.AuthTokens.Get(ctx, "ada", "ada_0000000000unknown")
	fmt.Println(errors.Is(err, cometchat.ErrAuthTokenNotFound))
	// Output:
	// ada true false
	// true
}

// Update records the device a token is used on.
func ExampleAuthTokensService_Update() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	u, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada", WithAuthToken: true})
	if err != nil {
		log.Fatal(err)
	}

	t, err := client.AuthTokens.Update(ctx, "ada", u.AuthToken, &cometchat.UpdateAuthTokenParams{
		Platform:  cometchat.Ptr("ios"),
		UserAgent: cometchat.Ptr("Notes/4.1 (iPhone; iOS 17.4)"),
		AppInfo:   map[string]any{"version": "4.1"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Platform, t.UserAgent, t.AppInfo["version"])
	// Output: ios Notes/4.1 (iPhone; iOS 17.4) 4.1
}

// Delete revokes one token, e.g. when a user logs out of one device.
func ExampleAuthTokensService_Delete() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	u, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada", WithAuthToken: true})
	if err != nil {
		log.Fatal(err)
	}

	if err := client.AuthTokens.Delete(ctx, "ada", u.AuthToken); err != nil {
		log.Fatal(err)
	}
	_, err = client.AuthTokens.Get(ctx, "ada", u.AuthToken)
	fmt.Println(errors.Is(err, cometchat.ErrAuthTokenNotFound))
	// Output: true
}

// Flush revokes every token of a user, e.g. after a password change: every
// device must log in again.
func ExampleAuthTokensService_Flush() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada"}); err != nil {
		log.Fatal(err)
	}
	for range 3 {
		if _, err := client.AuthTokens.Create(ctx, "ada", &cometchat.CreateAuthTokenParams{Force: true}); err != nil {
			log.Fatal(err)
		}
	}

	if err := client.AuthTokens.Flush(ctx, "ada"); err != nil {
		log.Fatal(err)
	}
	page, err := client.AuthTokens.List(ctx, "ada", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("tokens left:", len(page.Tokens))
	// Output: tokens left: 0
}

// Printing an AuthToken shows which token it is without revealing it: the
// uid and the first digits of its creation time. Only the Token field holds
// the secret. (The fake server's clock is fixed so that the output does not
// change.)
func ExampleAuthToken_String() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada"}); err != nil {
		log.Fatal(err)
	}

	t, err := client.AuthTokens.Create(ctx, "ada", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t)
	// Output: {UID:ada Token:ada_1700…[redacted] CreatedAt:2023-11-14 22:13:20 +0000 UTC Platform: UserAgent: AppInfo:map[]}
}

// GoString keeps the token out of %#v too.
func ExampleAuthToken_GoString() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada"}); err != nil {
		log.Fatal(err)
	}

	t, err := client.AuthTokens.Create(ctx, "ada", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%#v\n", t)
	// Output: cometchat.AuthToken{UID:"ada", Token:"ada_1700…[redacted]", CreatedAt:time.Date(2023, time.November, 14, 22, 13, 20, 0, time.UTC), Platform:"", UserAgent:"", AppInfo:map[string]interface {}(nil)}
}

// LogValue keeps the token out of structured logs, with slog's text and JSON
// handlers alike. (The log's own time is dropped so that the output does not
// change.)
func ExampleAuthToken_LogValue() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada"}); err != nil {
		log.Fatal(err)
	}
	t, err := client.AuthTokens.Create(ctx, "ada", nil)
	if err != nil {
		log.Fatal(err)
	}

	noTime := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	slog.New(slog.NewTextHandler(os.Stdout, noTime)).Info("token minted", "token", t)
	slog.New(slog.NewJSONHandler(os.Stdout, noTime)).Info("token minted", "token", t)
	// Output:
	// level=INFO msg="token minted" token.uid=ada token.token=ada_1700…[redacted] token.createdAt=2023-11-14T22:13:20.000Z
	// {"level":"INFO","msg":"token minted","token":{"uid":"ada","token":"ada_1700…[redacted]","createdAt":"2023-11-14T22:13:20Z"}}
}

// No fmt verb reveals the token, also when the AuthToken sits inside a slice,
// a map or a struct of your own.
func ExampleAuthToken_Format() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada"}); err != nil {
		log.Fatal(err)
	}
	t, err := client.AuthTokens.Create(ctx, "ada", nil)
	if err != nil {
		log.Fatal(err)
	}

	session := struct {
		Device string
		Tokens []*cometchat.AuthToken
	}{"ios", []*cometchat.AuthToken{t}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		shown := fmt.Sprintf(verb, session)
		fmt.Println(verb, "reveals the token:", strings.Contains(shown, t.Token) || strings.Contains(shown, fmt.Sprintf("%x", t.Token)))
	}
	// Output:
	// %v reveals the token: false
	// %+v reveals the token: false
	// %#v reveals the token: false
	// %s reveals the token: false
	// %q reveals the token: false
	// %x reveals the token: false
}

// A page of tokens prints every token redacted.
func ExampleAuthTokenPage_String() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada", WithAuthToken: true}); err != nil {
		log.Fatal(err)
	}

	page, err := client.AuthTokens.List(ctx, "ada", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page)
	// Output: {Tokens:[{UID:ada Token:ada_1700…[redacted] CreatedAt:2023-11-14 22:13:20 +0000 UTC Platform: UserAgent: AppInfo:map[]}] Pagination:{Total:1 Count:1 PerPage:100 CurrentPage:1 TotalPages:1}}
}

// GoString keeps every token of the page out of %#v.
func ExampleAuthTokenPage_GoString() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada", WithAuthToken: true}); err != nil {
		log.Fatal(err)
	}

	page, err := client.AuthTokens.List(ctx, "ada", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%#v\n", page)
	// Output: cometchat.AuthTokenPage{Tokens:[]*cometchat.AuthToken{cometchat.AuthToken{UID:"ada", Token:"ada_1700…[redacted]", CreatedAt:time.Date(2023, time.November, 14, 22, 13, 20, 0, time.UTC), Platform:"", UserAgent:"", AppInfo:map[string]interface {}(nil)}}, Pagination:cometchat.Pagination{Total:1, Count:1, PerPage:100, CurrentPage:1, TotalPages:1}}
}

// LogValue logs a page of tokens with every token redacted; slog's JSON
// handler would otherwise encode the Token fields as they are.
func ExampleAuthTokenPage_LogValue() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada", WithAuthToken: true}); err != nil {
		log.Fatal(err)
	}
	page, err := client.AuthTokens.List(ctx, "ada", nil)
	if err != nil {
		log.Fatal(err)
	}

	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("tokens", "page", page)
	// Output: {"level":"INFO","msg":"tokens","page":{"tokens":{"0":{"uid":"ada","token":"ada_1700…[redacted]","createdAt":"2023-11-14T22:13:20Z"}},"pagination":{"total":1,"count":1,"perPage":100,"currentPage":1,"totalPages":1}}}
}

// No fmt verb reveals a token of the page.
func ExampleAuthTokenPage_Format() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	u, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada", WithAuthToken: true})
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.AuthTokens.List(ctx, "ada", nil)
	if err != nil {
		log.Fatal(err)
	}

	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		fmt.Println(verb, "reveals the token:", strings.Contains(fmt.Sprintf(verb, page), u.AuthToken))
	}
	// Output:
	// %v reveals the token: false
	// %+v reveals the token: false
	// %#v reveals the token: false
	// %s reveals the token: false
	// %q reveals the token: false
}

// Printing a User shows its fields as %+v would, with AuthToken redacted, so
// a user fresh from Create with WithAuthToken can be logged safely.
func ExampleUser_String() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()

	u, err := client.Users.Create(context.Background(), &cometchat.CreateUserParams{UID: "ada", Name: "Ada", WithAuthToken: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u)
	// Output: {UID:ada Name:Ada Avatar: Link: Role:default StatusMessage: Metadata:map[] Status:offline Tags:[] AuthToken:ada_1700…[redacted] CreatedAt:2023-11-14 22:13:20 +0000 UTC UpdatedAt:0001-01-01 00:00:00 +0000 UTC LastActiveAt:0001-01-01 00:00:00 +0000 UTC DeactivatedAt:0001-01-01 00:00:00 +0000 UTC ConversationID: BlockedByMe:false HasBlockedMe:false BlockedByMeAt:0001-01-01 00:00:00 +0000 UTC BlockedAt:0001-01-01 00:00:00 +0000 UTC}
}

// GoString keeps the auth token out of %#v too.
func ExampleUser_GoString() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()

	u, err := client.Users.Create(context.Background(), &cometchat.CreateUserParams{UID: "ada", Name: "Ada", WithAuthToken: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%#v\n", u)
	// Output: cometchat.User{UID:"ada", Name:"Ada", Avatar:"", Link:"", Role:"default", StatusMessage:"", Metadata:map[string]interface {}(nil), Status:"offline", Tags:[]string(nil), AuthToken:"ada_1700…[redacted]", CreatedAt:time.Date(2023, time.November, 14, 22, 13, 20, 0, time.UTC), UpdatedAt:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), LastActiveAt:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeactivatedAt:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), ConversationID:"", BlockedByMe:false, HasBlockedMe:false, BlockedByMeAt:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), BlockedAt:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)}
}

// LogValue logs a user with the auth token redacted and the zero fields left
// out.
func ExampleUser_LogValue() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()
	u, err := client.Users.Create(context.Background(), &cometchat.CreateUserParams{UID: "ada", Name: "Ada", WithAuthToken: true})
	if err != nil {
		log.Fatal(err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("signed up", "user", u)
	// Output: level=INFO msg="signed up" user.uid=ada user.name=Ada user.role=default user.status=offline user.authToken=ada_1700…[redacted] user.createdAt=2023-11-14T22:13:20.000Z
}

// No fmt verb reveals the auth token, also when the User sits inside a slice
// or a map of your own.
func ExampleUser_Format() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	u, err := client.Users.Create(context.Background(), &cometchat.CreateUserParams{UID: "ada", Name: "Ada", WithAuthToken: true})
	if err != nil {
		log.Fatal(err)
	}

	signUps := map[string][]*cometchat.User{"today": {u}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		fmt.Println(verb, "reveals the token:", strings.Contains(fmt.Sprintf(verb, signUps), u.AuthToken))
	}
	// Output:
	// %v reveals the token: false
	// %+v reveals the token: false
	// %#v reveals the token: false
	// %s reveals the token: false
	// %q reveals the token: false
}

// A page of users prints as %+v would, any auth token redacted.
func ExampleUserPage_String() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if err := srv.AddUsers(&cometchat.User{UID: "ada", Name: "Ada"}); err != nil {
		log.Fatal(err)
	}

	page, err := client.Users.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page)
	// Output: {Users:[{UID:ada Name:Ada Avatar: Link: Role:default StatusMessage: Metadata:map[] Status:offline Tags:[] AuthToken: CreatedAt:2023-11-14 22:13:20 +0000 UTC UpdatedAt:0001-01-01 00:00:00 +0000 UTC LastActiveAt:0001-01-01 00:00:00 +0000 UTC DeactivatedAt:0001-01-01 00:00:00 +0000 UTC ConversationID: BlockedByMe:false HasBlockedMe:false BlockedByMeAt:0001-01-01 00:00:00 +0000 UTC BlockedAt:0001-01-01 00:00:00 +0000 UTC}] Pagination:{Total:1 Count:1 PerPage:100 CurrentPage:1 TotalPages:1} Cursor:{UpdatedAt:2023-11-14 22:13:20 +0000 UTC Affix:prepend}}
}

// GoString shows a page as %#v would, any auth token redacted.
func ExampleUserPage_GoString() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()
	if err := srv.AddUsers(&cometchat.User{UID: "ada", Name: "Ada"}); err != nil {
		log.Fatal(err)
	}

	page, err := client.Users.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%#v\n", page)
	// Output: cometchat.UserPage{Users:[]*cometchat.User{cometchat.User{UID:"ada", Name:"Ada", Avatar:"", Link:"", Role:"default", StatusMessage:"", Metadata:map[string]interface {}(nil), Status:"offline", Tags:[]string(nil), AuthToken:"", CreatedAt:time.Date(2023, time.November, 14, 22, 13, 20, 0, time.UTC), UpdatedAt:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), LastActiveAt:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeactivatedAt:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), ConversationID:"", BlockedByMe:false, HasBlockedMe:false, BlockedByMeAt:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), BlockedAt:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)}}, Pagination:cometchat.Pagination{Total:1, Count:1, PerPage:100, CurrentPage:1, TotalPages:1}, Cursor:cometchat.Cursor{UpdatedAt:time.Date(2023, time.November, 14, 22, 13, 20, 0, time.UTC), Affix:"prepend"}}
}

// LogValue logs a page compactly: each user without its zero fields, then
// the pagination.
func ExampleUserPage_LogValue() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()
	if err := srv.AddUsers(&cometchat.User{UID: "ada", Name: "Ada"}, &cometchat.User{UID: "grace", Name: "Grace"}); err != nil {
		log.Fatal(err)
	}
	page, err := client.Users.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("listed", "page", page)
	// Output: level=INFO msg=listed page.users.0.uid=grace page.users.0.name=Grace page.users.0.role=default page.users.0.status=offline page.users.0.createdAt=2023-11-14T22:13:20.000Z page.users.1.uid=ada page.users.1.name=Ada page.users.1.role=default page.users.1.status=offline page.users.1.createdAt=2023-11-14T22:13:20.000Z page.pagination.total=2 page.pagination.count=2 page.pagination.perPage=100 page.pagination.currentPage=1 page.pagination.totalPages=1
}

// No fmt verb reveals an auth token held by a page, e.g. one you assemble
// from freshly created users.
func ExampleUserPage_Format() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	u, err := client.Users.Create(context.Background(), &cometchat.CreateUserParams{UID: "ada", Name: "Ada", WithAuthToken: true})
	if err != nil {
		log.Fatal(err)
	}

	page := cometchat.UserPage{Users: []*cometchat.User{u}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		fmt.Println(verb, "reveals the token:", strings.Contains(fmt.Sprintf(verb, page), u.AuthToken))
	}
	// Output:
	// %v reveals the token: false
	// %+v reveals the token: false
	// %#v reveals the token: false
	// %s reveals the token: false
	// %q reveals the token: false
}

// A check only the server can make (here: the role id is taken) fails with
// an *APIError: errors.As gives the status, the code and the per-field
// details.
func ExampleAPIError() {
	srv := cometchattest.NewServer(cometchattest.WithRoles("moderator"))
	defer srv.Close()
	client := srv.Client()

	_, err := client.Roles.Create(context.Background(), &cometchat.CreateRoleParams{ID: "moderator", Name: "Moderator"})
	var apiErr *cometchat.APIError
	if !errors.As(err, &apiErr) {
		log.Fatal(err)
	}
	fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message)
	fmt.Println(apiErr.Details["role"])
	fmt.Println(errors.Is(err, cometchat.ErrBadRequest))
	// Output:
	// 400 ERR_BAD_REQUEST Failed to validate the data sent with the request.
	// [The role has already been taken.]
	// true
}

// Error names the status, the code and the server's message.
func ExampleAPIError_Error() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()

	_, err := client.Users.Get(context.Background(), "grace")
	fmt.Println(err)
	// Output: cometchat: 404 ERR_UID_NOT_FOUND: The UID grace does not exist, please make sure you have created a user with UID grace.
}

// Is matches an error to the sentinel of its CometChat code, whatever the
// status; ErrTooManyRequests also matches any 429, even an HTML one from a
// proxy.
func ExampleAPIError_Is() {
	srv := cometchattest.NewServer(cometchattest.WithRoles("admin", "moderator"))
	defer srv.Close()
	client := srv.Client(cometchat.WithMaxRetries(0))
	ctx := context.Background()

	_, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada", Role: "editor"})
	fmt.Println(errors.Is(err, cometchat.ErrRoleNotFound), errors.Is(err, cometchat.ErrBadRequest))

	srv.InjectFault(cometchattest.Fault{Status: http.StatusTooManyRequests, Body: "<html>Slow down</html>"})
	_, err = client.Users.List(ctx, nil)
	var apiErr *cometchat.APIError
	if errors.As(err, &apiErr) {
		fmt.Printf("%d %q %v\n", apiErr.StatusCode, apiErr.Code, errors.Is(err, cometchat.ErrTooManyRequests))
	}
	// Output:
	// true false
	// 429 "" true
}

// A 429 is retried after the wait the server asks for when it is within
// WithRetryWait's maximum; a longer wait is not slept but returned at once,
// so the caller can reschedule the work.
func Example_rateLimited() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	srv.InjectFault(cometchattest.Fault{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"120"}}})
	client := srv.Client(cometchat.WithRetryWait(time.Millisecond, 10*time.Millisecond))

	start := time.Now()
	_, err := client.Users.List(context.Background(), nil)
	var apiErr *cometchat.APIError
	if errors.Is(err, cometchat.ErrTooManyRequests) && errors.As(err, &apiErr) {
		fmt.Println("rate limited; try again in", apiErr.RetryAfter)
	}
	fmt.Println("returned at once:", time.Since(start) < time.Second)
	// Output:
	// rate limited; try again in 2m0s
	// returned at once: true
}

// A ValidationError names the argument at fault; nothing was sent.
func ExampleValidationError() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()

	_, err := client.Users.Create(context.Background(), &cometchat.CreateUserParams{
		UID:  "ada",
		Name: strings.Repeat("a", 101),
	})
	var ve *cometchat.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field, "-", ve.Reason)
	}
	fmt.Println("requests sent:", srv.RequestCount())
	// Output:
	// name - must be at most 100 characters
	// requests sent: 0
}

// Every ValidationError matches ErrValidation, and iterators yield it once.
func ExampleValidationError_Is() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()

	for _, err := range client.Users.All(context.Background(), &cometchat.ListUsersParams{PerPage: 5000}) {
		fmt.Println(errors.Is(err, cometchat.ErrValidation), errors.Is(err, cometchat.ErrBadRequest))
	}
	// Output: true false
}

// Error names the argument at fault (an element of a list by its index) and
// what it must be.
func ExampleValidationError_Error() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()

	_, err := client.Users.Create(context.Background(), &cometchat.CreateUserParams{
		UID: "ada", Name: "Ada", Tags: []string{"staff", " "},
	})
	fmt.Println(err)
	// Output: cometchat: invalid tags[1]: must not be empty or blank
}

// Do reaches an endpoint or a field the SDK does not wrap yet, through the
// same request path as every method (API key, retries, *APIError). The whole
// answer, {"data": ..., "meta": ...}, is decoded into a struct of your own.
func ExampleClient_Do() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	if err := srv.AddUsers(&cometchat.User{UID: "ada", Name: "Ada Lovelace"}); err != nil {
		log.Fatal(err)
	}

	var answer struct {
		Data struct {
			UID    string `json:"uid"`
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"data"`
	}
	// Escape user input in the path with url.PathEscape.
	err := client.Do(context.Background(), http.MethodGet, "/users/"+url.PathEscape("ada"), nil, nil, &answer)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(answer.Data.UID, answer.Data.Name, answer.Data.Status)
	// Output: ada Ada Lovelace offline
}

// A POST through Do: body is sent as JSON. Query parameters go in query.
func ExampleClient_Do_post() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	body := map[string]any{
		"role":     "moderator",
		"name":     "Moderator",
		"settings": map[string]string{"sendMessagesTo": "friendsOnly"},
	}
	var created struct {
		Data struct {
			Role     string            `json:"role"`
			Settings map[string]string `json:"settings"`
		} `json:"data"`
	}
	if err := client.Do(ctx, http.MethodPost, "/roles", nil, body, &created); err != nil {
		log.Fatal(err)
	}
	fmt.Println(created.Data.Role, created.Data.Settings)

	var list struct {
		Meta struct {
			Pagination struct {
				Total int `json:"total"`
			} `json:"pagination"`
		} `json:"meta"`
	}
	if err := client.Do(ctx, http.MethodGet, "/roles", url.Values{"perPage": {"1"}}, nil, &list); err != nil {
		log.Fatal(err)
	}
	fmt.Println("roles:", list.Meta.Pagination.Total)
	// Output:
	// moderator map[sendMessagesTo:friendsOnly]
	// roles: 2
}

// Do fails like every method: a path that leaves the API is a
// *ValidationError (nothing sent), a non-2xx answer an *APIError.
func ExampleClient_Do_errors() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	err := client.Do(ctx, http.MethodGet, "/users/../../admin", nil, nil, nil)
	var ve *cometchat.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field)

	err = client.Do(ctx, http.MethodGet, "/no-such-endpoint", nil, nil, nil)
	var apiErr *cometchat.APIError
	fmt.Println(errors.As(err, &apiErr), apiErr.StatusCode, apiErr.Code)
	// Output:
	// true path
	// true 404 ERR_API_NOT_FOUND
}

// On a plan's quota (here 1 user), creating one more user fails with
// ErrPlanQuota, which retrying does not fix.
func ExampleUsersService_Create_planQuota() {
	srv := cometchattest.NewServer(cometchattest.WithUserLimit(1))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada"}); err != nil {
		log.Fatal(err)
	}

	_, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "grace", Name: "Grace"})
	fmt.Println(errors.Is(err, cometchat.ErrPlanQuota))
	fmt.Println(err)
	// Output:
	// true
	// cometchat: 402 ERR_PLAN_QUOTA_RESTRICTION: You've exhausted the quota. The allowed limit of the feature Create User for your current plan free-2023-01 is 1. Please upgrade the plan to increase the limit.
}

// ListUsersParams filters a list; zero fields are not sent. Here: the staff,
// deactivated ones included, with their tags.
func ExampleListUsersParams() {
	srv := cometchattest.NewServer(cometchattest.WithRoles("staff"))
	defer srv.Close()
	client := srv.Client()
	err := srv.AddUsers(
		&cometchat.User{UID: "ada", Name: "Ada", Role: "staff", Tags: []string{"founder"}},
		&cometchat.User{UID: "grace", Name: "Grace", Role: "staff", DeactivatedAt: time.Unix(1700000000, 0)},
		&cometchat.User{UID: "linus", Name: "Linus"},
	)
	if err != nil {
		log.Fatal(err)
	}

	page, err := client.Users.List(context.Background(), &cometchat.ListUsersParams{
		Role:            "staff",
		WithTags:        true,
		WithDeactivated: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range page.Users {
		fmt.Println(u.UID, u.Tags, "deactivated:", !u.DeactivatedAt.IsZero())
	}
	// Output:
	// grace [] deactivated: true
	// ada [founder] deactivated: false
}

// Create adds a role (its id lowercased) that users can then hold; a user's
// role must exist.
func ExampleRolesService_Create() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	role, err := client.Roles.Create(ctx, &cometchat.CreateRoleParams{
		ID:          "Moderator",
		Name:        "Moderator",
		Description: "Keeps the peace",
		Settings: &cometchat.RoleSettings{
			ListUsers:      cometchat.VisibilityAll,
			SendMessagesTo: cometchat.VisibilityFriendsOnly,
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(role.ID, role.Name, role.Description, *role.Settings)

	u, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada", Role: "moderator"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.UID, u.Role)
	// Output:
	// moderator Moderator Keeps the peace {all friendsOnly}
	// ada moderator
}

// Get reads one role; an unknown id fails with ErrRoleNotFound. Every app
// has the "default" role.
func ExampleRolesService_Get() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	role, err := client.Roles.Get(ctx, "default")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(role.ID, role.Name, role.Description)

	_, err = client.Roles.Get(ctx, "admin")
	fmt.Println(errors.Is(err, cometchat.ErrRoleNotFound))
	// Output:
	// default Default Default role
	// true
}

// Update changes only what params sets: here the name and the metadata
// (replaced); Unset clears the description and the settings.
func ExampleRolesService_Update() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	_, err := client.Roles.Create(ctx, &cometchat.CreateRoleParams{
		ID: "moderator", Name: "Moderator", Description: "Keeps the peace",
		Settings: &cometchat.RoleSettings{SendMessagesTo: cometchat.VisibilityFriendsOnly},
	})
	if err != nil {
		log.Fatal(err)
	}

	role, err := client.Roles.Update(ctx, "moderator", &cometchat.UpdateRoleParams{
		Name:     cometchat.Ptr("Moderators"),
		Metadata: map[string]any{"level": 2},
		Unset:    []cometchat.RoleField{cometchat.RoleFieldDescription, cometchat.RoleFieldSettings},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %q %v %v\n", role.Name, role.Description, role.Metadata, role.Settings)
	// Output: Moderators "" map[level:2] <nil>
}

// Delete removes a role; its users get "default". The "default" role itself
// cannot be deleted: ErrRoleDeleteDenied.
func ExampleRolesService_Delete() {
	srv := cometchattest.NewServer(cometchattest.WithRoles("moderator"))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	if _, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada", Role: "moderator"}); err != nil {
		log.Fatal(err)
	}

	if err := client.Roles.Delete(ctx, "moderator"); err != nil {
		log.Fatal(err)
	}
	u, err := client.Users.Get(ctx, "ada")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.UID, u.Role)

	err = client.Roles.Delete(ctx, "default")
	fmt.Println(errors.Is(err, cometchat.ErrRoleDeleteDenied))
	// Output:
	// ada default
	// true
}

// List returns one page of roles, "default" first, then in creation order.
func ExampleRolesService_List() {
	srv := cometchattest.NewServer(cometchattest.WithRoles("admin", "moderator"))
	defer srv.Close()
	client := srv.Client()

	page, err := client.Roles.List(context.Background(), &cometchat.ListRolesParams{PerPage: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range page.Roles {
		fmt.Println(r.ID)
	}
	p := page.Pagination
	fmt.Printf("page %d of %d, %d roles in all\n", p.CurrentPage, p.TotalPages, p.Total)
	// Output:
	// default
	// admin
	// page 1 of 2, 3 roles in all
}

// All walks every role, fetching the next page only when the loop gets
// there.
func ExampleRolesService_All() {
	srv := cometchattest.NewServer(cometchattest.WithRoles("admin", "moderator"))
	defer srv.Close()
	client := srv.Client()

	for r, err := range client.Roles.All(context.Background(), &cometchat.ListRolesParams{PerPage: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.ID, r.Name)
	}
	// Output:
	// default Default
	// admin admin
	// moderator moderator
}

// Add befriends a user with others, mutually and without a request step. Each
// uid has its own outcome: a friend already, or an unknown uid, lands in
// Failed, not in the error.
func ExampleFriendsService_Add() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	err := srv.AddUsers(
		&cometchat.User{UID: "ada", Name: "Ada"},
		&cometchat.User{UID: "grace", Name: "Grace"},
		&cometchat.User{UID: "linus", Name: "Linus"},
	)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Friends.Add(ctx, "ada", "grace"); err != nil {
		log.Fatal(err)
	}

	res, err := client.Friends.Add(ctx, "ada", "Grace", "linus", "nobody")
	if err != nil {
		log.Fatal(err) // the whole call failed
	}
	fmt.Println("now friends:", res.Succeeded)
	fmt.Println("grace already a friend:", errors.Is(res.Failed["grace"], cometchat.ErrAlreadyFriend))
	fmt.Println("nobody unknown:", errors.Is(res.Failed["nobody"], cometchat.ErrUIDNotFound))
	// Output:
	// now friends: [linus]
	// grace already a friend: true
	// nobody unknown: true
}

// Remove ends friendships, both ways. Removing a user who is not a friend
// fails with ErrNotAFriend.
func ExampleFriendsService_Remove() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	err := srv.AddUsers(&cometchat.User{UID: "ada", Name: "Ada"}, &cometchat.User{UID: "grace", Name: "Grace"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Friends.Add(ctx, "ada", "grace"); err != nil {
		log.Fatal(err)
	}

	if err := client.Friends.Remove(ctx, "ada", "grace"); err != nil {
		log.Fatal(err)
	}
	page, err := client.Friends.List(ctx, "grace", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("grace's friends:", len(page.Users))

	err = client.Friends.Remove(ctx, "ada", "grace")
	fmt.Println(errors.Is(err, cometchat.ErrNotAFriend))
	// Output:
	// grace's friends: 0
	// true
}

// List returns one page of a user's friends, newest friendship first, each as
// that user sees them (the conversation between the two).
func ExampleFriendsService_List() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	err := srv.AddUsers(
		&cometchat.User{UID: "ada", Name: "Ada"},
		&cometchat.User{UID: "grace", Name: "Grace"},
		&cometchat.User{UID: "linus", Name: "Linus"},
	)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Friends.Add(ctx, "ada", "grace", "linus"); err != nil {
		log.Fatal(err)
	}

	page, err := client.Friends.List(ctx, "ada", &cometchat.ListFriendsParams{PerPage: 1})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range page.Users {
		fmt.Println(f.UID, f.ConversationID)
	}
	fmt.Println("friends in all:", page.Pagination.Total)
	// Output:
	// linus ada_user_linus
	// friends in all: 2
}

// All walks every friend matching params; SearchKey matches the start of a
// uid or name.
func ExampleFriendsService_All() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	err := srv.AddUsers(
		&cometchat.User{UID: "ada", Name: "Ada"},
		&cometchat.User{UID: "grace", Name: "Grace Hopper"},
		&cometchat.User{UID: "gordon", Name: "Gordon Bell"},
		&cometchat.User{UID: "linus", Name: "Linus"},
	)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Friends.Add(ctx, "ada", "grace", "gordon", "linus"); err != nil {
		log.Fatal(err)
	}

	for f, err := range client.Friends.All(ctx, "ada", &cometchat.ListFriendsParams{SearchKey: "g", PerPage: 1}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(f.Name)
	}
	// Output:
	// Gordon Bell
	// Grace Hopper
}

// Block stops all direct communication between two users, both ways. Each uid
// has its own outcome in the BatchResult. A user reads the other with
// OnBehalfOf to learn who blocked whom.
func ExampleBlockedUsersService_Block() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	err := srv.AddUsers(&cometchat.User{UID: "ada", Name: "Ada"}, &cometchat.User{UID: "grace", Name: "Grace"})
	if err != nil {
		log.Fatal(err)
	}

	res, err := client.BlockedUsers.Block(ctx, "ada", "grace", "nobody")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("blocked:", res.Succeeded, "nobody unknown:", errors.Is(res.Failed["nobody"], cometchat.ErrUIDNotFound))

	grace, err := client.Users.Get(ctx, "grace", cometchat.OnBehalfOf("ada"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("ada blocked grace:", grace.BlockedByMe)
	ada, err := client.Users.Get(ctx, "ada", cometchat.OnBehalfOf("grace"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("grace is blocked by ada:", ada.HasBlockedMe)

	_, err = client.BlockedUsers.Block(ctx, "ada", "ADA") // nobody can block themselves
	fmt.Println(errors.Is(err, cometchat.ErrValidation))
	// Output:
	// blocked: [grace] nobody unknown: true
	// ada blocked grace: true
	// grace is blocked by ada: true
	// true
}

// Unblock lifts blocks. Unblocking a user who was not blocked succeeds and
// changes nothing.
func ExampleBlockedUsersService_Unblock() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	err := srv.AddUsers(
		&cometchat.User{UID: "ada", Name: "Ada"},
		&cometchat.User{UID: "grace", Name: "Grace"},
		&cometchat.User{UID: "linus", Name: "Linus"},
	)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.BlockedUsers.Block(ctx, "ada", "grace"); err != nil {
		log.Fatal(err)
	}

	res, err := client.BlockedUsers.Unblock(ctx, "ada", "grace", "linus")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("unblocked:", res.Succeeded, "failed:", len(res.Failed))

	grace, err := client.Users.Get(ctx, "grace", cometchat.OnBehalfOf("ada"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("ada blocks grace:", grace.BlockedByMe)
	// Output:
	// unblocked: [grace linus] failed: 0
	// ada blocks grace: false
}

// List returns one page of the users a user blocked, oldest block first. The
// server does not know the total (Pagination.Total is -1) and announces one
// more page while pages are full, so use All to get every blocked user.
func ExampleBlockedUsersService_List() {
	srv := cometchattest.NewServer(cometchattest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	err := srv.AddUsers(
		&cometchat.User{UID: "ada", Name: "Ada"},
		&cometchat.User{UID: "grace", Name: "Grace"},
		&cometchat.User{UID: "linus", Name: "Linus"},
	)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.BlockedUsers.Block(ctx, "ada", "linus", "grace"); err != nil {
		log.Fatal(err)
	}

	page, err := client.BlockedUsers.List(ctx, "ada", &cometchat.ListBlockedUsersParams{PerPage: 1})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range page.Users {
		fmt.Println(u.UID, u.BlockedByMe, u.BlockedByMeAt.Format(time.RFC3339))
	}
	p := page.Pagination
	fmt.Printf("page %d of %d so far, total %d\n", p.CurrentPage, p.TotalPages, p.Total)
	// Output:
	// linus true 2023-11-14T22:13:20Z
	// page 1 of 2 so far, total -1
}

// All walks every user a user blocked, oldest block first, however the
// server's page count grows.
func ExampleBlockedUsersService_All() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	err := srv.AddUsers(
		&cometchat.User{UID: "ada", Name: "Ada"},
		&cometchat.User{UID: "grace", Name: "Grace"},
		&cometchat.User{UID: "linus", Name: "Linus"},
		&cometchat.User{UID: "ken", Name: "Ken"},
	)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.BlockedUsers.Block(ctx, "ada", "linus", "grace", "ken"); err != nil {
		log.Fatal(err)
	}

	for u, err := range client.BlockedUsers.All(ctx, "ada", &cometchat.ListBlockedUsersParams{PerPage: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.UID)
	}
	// Output:
	// linus
	// grace
	// ken
}

// A BatchResult sorts the uids of a call on several users by outcome. Each
// failure is an *APIError built from the server's entry for that uid (its
// StatusCode is 0: the answer as a whole succeeded).
func ExampleBatchResult() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	err := srv.AddUsers(&cometchat.User{UID: "ada", Name: "Ada"}, &cometchat.User{UID: "grace", Name: "Grace"})
	if err != nil {
		log.Fatal(err)
	}

	res, err := client.Friends.Add(context.Background(), "ada", "Grace", "Nobody", "Linus")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("succeeded:", res.Succeeded)
	for _, uid := range slices.Sorted(maps.Keys(res.Failed)) { // uids lowercased, as the server stores them
		var apiErr *cometchat.APIError
		if errors.As(res.Failed[uid], &apiErr) {
			fmt.Println("failed:", uid, apiErr.Code)
		}
	}
	// Output:
	// succeeded: [grace]
	// failed: linus ERR_UID_NOT_FOUND
	// failed: nobody ERR_UID_NOT_FOUND
}

// A 2xx answer without the data a method returns (here from a misconfigured
// proxy) is an error matching ErrInvalidResponse, never an empty success.
func Example_invalidResponse() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	srv.InjectFault(cometchattest.Fault{Path: "/users/ada", Status: http.StatusOK, Body: `{"status":"ok"}`})

	u, err := client.Users.Get(context.Background(), "ada")
	fmt.Println(u == nil, errors.Is(err, cometchat.ErrInvalidResponse))
	fmt.Println(err)
	// Output:
	// true true
	// cometchat: invalid response body: GET /users/ada: the answer has no "data"
}

// A wrong API key fails every call with ErrAPIKeyNotFound. CometChat echoes
// the key in its message; the SDK redacts it.
func Example_wrongAPIKey() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client, err := cometchat.NewClient(srv.AppID(), srv.Region(), "not-the-key", cometchat.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.Users.List(context.Background(), nil)
	fmt.Println(errors.Is(err, cometchat.ErrAPIKeyNotFound))
	fmt.Println(err)
	// Output:
	// true
	// cometchat: 401 AUTH_ERR_APIKEY_NOT_FOUND: The key [redacted] does not exist. Please make sure you are using a valid API key.
}
