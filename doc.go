// Package cometchat is a client for CometChat's REST API v3: users and what they connect to (their auth tokens, the
// app's roles, friendships, blocks), and bulk migration of an existing user base.
//
// # Quick start
//
// Create one Client per app and share it; it is safe for concurrent use:
//
//	client, err := cometchat.NewClient(appID, cometchat.RegionUS, apiKey)
//	if err != nil {
//		return err // a *ValidationError: nothing was sent
//	}
//	user, err := client.Users.Create(ctx, &cometchat.CreateUserParams{
//		UID:           "ada",
//		Name:          "Ada Lovelace",
//		WithAuthToken: true, // hand user.AuthToken to Ada's app to log her in
//	})
//
// The API key is a server-side secret (a REST API key with fullAccess scope). The SDK never puts it in an error, a
// log line or a formatted value, and redacts it wherever a server echoes it. Users' auth tokens get the same care:
// a User or an AuthToken prints and logs with its token redacted.
//
// # Services
//
// Client.Users, Client.AuthTokens, Client.Roles, Client.Friends and Client.BlockedUsers each wrap one area of the API,
// with methods of one shape: arguments are validated (a *ValidationError, nothing sent), one request is made, the
// answer is converted. Client.Do reaches any other endpoint through the same request path.
//
// # Errors
//
// Every call takes a context first and returns either a result or an error, never both. Three kinds of error come
// back:
//
//   - *ValidationError, before anything is sent, when an argument breaks a documented constraint (a uid with a
//     slash, a 101-character name, a PerPage of 5000, a nil context). It matches ErrValidation and names the field.
//   - *APIError for every non-2xx answer, JSON or not. Match it with errors.Is against the sentinels
//     (ErrUIDNotFound, ErrUIDAlreadyExists, ErrTooManyRequests, ...) and read it with errors.As for the status, code,
//     message, per-field Details, RetryAfter and RateLimit.
//   - Everything else: context errors match context.Canceled and context.DeadlineExceeded; a 2xx answer that is not
//     what the method returns matches ErrInvalidResponse; one above the size limit matches ErrResponseTooLarge.
//
// For example:
//
//	u, err := client.Users.Get(ctx, "ada")
//	switch {
//	case errors.Is(err, cometchat.ErrUIDNotFound):
//		// unknown or deactivated
//	case err != nil:
//		return err
//	}
//
// # Retries and rate limits
//
// Calls are retried through github.com/hashicorp/go-retryablehttp (3 times by default, see WithMaxRetries and
// WithRetryWait). A 429 is retried for every method, as CometChat does not process a rate-limited request; 502, 503,
// 504, connection failures and answers cut off mid-body only for GET, PUT and DELETE. A POST (Create) is never sent
// again once it may have reached the server, on HTTP/1.1 or HTTP/2, so a user is never created twice. Waits honour
// Retry-After and the rate-limit reset header; a wait longer than the maximum is not waited but returned at once as a
// 429 *APIError with RetryAfter set. Every wait ends with the context, and WithTimeout bounds a whole call, retries
// included. Client.RateLimit reports the limits the last answer announced.
//
// # Pagination
//
// List returns one page; All returns an iterator over every page, holding one page in memory at a time:
//
//	for u, err := range client.Users.All(ctx, &cometchat.ListUsersParams{PerPage: 1000}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(u.UID)
//	}
//
// It stops at the last page, on an empty page, or when the server repeats itself, so it never loops forever on a
// broken server; breaking out of the loop stops fetching.
//
// # Bulk migration
//
// Users.Import moves an existing user base in through CometChat's data import API, keeping creation and last-active
// times, in batches of 50 and never faster than 60 requests a minute; ImportStrategyCreate trades the history for
// speed. Every input user ends up in the report as imported or failed with a typed error; nobody is dropped
// silently. The cometchat command (cmd/cometchat) imports CSV and JSON Lines files on top of it.
//
// # Testing
//
// Package cometchattest is an in-memory CometChat server, as net/http/httptest is for HTTP. Use it to test code that
// uses this SDK without an account or network:
//
//	srv := cometchattest.NewServer()
//	defer srv.Close()
//	client := srv.Client()
//
// It answers as production does (its tests pin the recorded production exchanges), and can rate-limit, enforce the
// plan's quota and fail on purpose (429s, 5xx, delays).
//
// # Concurrency
//
// A *Client and its services are safe for concurrent use and hold no per-call state; share one per app. Its
// transport keeps up to 128 idle connections to the API host. Values returned to the caller (users, pages, tokens)
// belong to the caller.
package cometchat
