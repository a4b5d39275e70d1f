package cometchat_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
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

// A production client: the app's credentials from the environment and the
// options most services set. NewClient validates and never touches the
// network, so it is safe to call at start-up.
func ExampleNewClient() {
	client, err := cometchat.NewClient(
		os.Getenv("COMETCHAT_APP_ID"),
		cometchat.RegionEU,
		os.Getenv("COMETCHAT_API_KEY"),
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
	// cometchat: invalid WithMaxRetries: must not be negative
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
	// cometchat: invalid WithBaseURL: plain http is allowed only for loopback hosts; use https
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
	// Output: cometchat: invalid WithUserAgent: must be non-empty printable ASCII
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
// slow a batch job down before CometChat answers 429.
func ExampleClient_RateLimit() {
	srv := cometchattest.NewServer(cometchattest.WithRateLimit(100))
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
	// 99 of 100 left for this operation, 99 of 100 for the app
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

// Deactivate sorts the uids by outcome; unknown uids are not an error.
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

	res, err := client.Users.Deactivate(ctx, "ada", "grace", "nobody")
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
// Invalid users are reported, not sent.
func ExampleUsersService_Import() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()
	users := []*cometchat.ImportUser{
		{UID: "ada", Name: "Ada Lovelace", CreatedAt: time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)},
		{UID: "grace", Name: "Grace Hopper", CreatedAt: time.Date(2021, 3, 9, 0, 0, 0, 0, time.UTC)},
		{UID: "linus torvalds", Name: "Linus"},
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
	// 3/3 done, 1 failed
	// imported ada 2019
	// imported grace 2021
	// failed 2 linus torvalds: cometchat: invalid uid: must contain only letters, digits, '_' and '-'
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
	// cometchat: invalid WithImportWorkers: must be positive
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

// Printing an AuthToken shows which token it is without revealing it; only
// the Token field holds the secret. (The fake server's clock is fixed here so
// that the output does not change.)
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
	fmt.Printf("%+v\n", *t)
	// Output:
	// AuthToken{UID: ada, Token: ada_1700…[redacted], CreatedAt: 2023-11-14T22:13:20Z}
	// AuthToken{UID: ada, Token: ada_1700…[redacted], CreatedAt: 2023-11-14T22:13:20Z}
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
	// Output: cometchat.AuthToken{UID: ada, Token: ada_1700…[redacted], CreatedAt: 2023-11-14T22:13:20Z}
}

// LogValue keeps the token out of structured logs. (Times are dropped from
// the log here so that the output does not change.)
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

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindTime {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("token minted", "token", t)
	// Output: level=INFO msg="token minted" token.uid=ada token.token=ada_1700…[redacted]
}

// A server-side validation failure: errors.As gives the status, the code and
// the per-field details.
func ExampleAPIError() {
	srv := cometchattest.NewServer()
	defer srv.Close()
	client := srv.Client()

	_, err := client.Users.List(context.Background(), &cometchat.ListUsersParams{
		SearchKey: "ada",
		SearchIn:  []string{"email"}, // only "name" and "uid" are searchable
	})
	var apiErr *cometchat.APIError
	if !errors.As(err, &apiErr) {
		log.Fatal(err)
	}
	fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message)
	fmt.Println(apiErr.Details["searchIn"])
	fmt.Println(errors.Is(err, cometchat.ErrBadRequest))
	// Output:
	// 400 ERR_BAD_REQUEST Failed to validate the data sent with the request.
	// [The selected searchIn is invalid.]
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
