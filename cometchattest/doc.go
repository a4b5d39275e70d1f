// Package cometchattest provides an in-memory CometChat REST API v3 server for tests, as net/http/httptest does
// for HTTP. It serves the Users and Auth Tokens endpoints and POST /data_import/users with the wire format,
// validation, errors and rate-limit headers of the real API, so code using the cometchat SDK (or plain HTTP) can
// be tested without a CometChat account or network access.
//
//	srv := cometchattest.NewServer()
//	defer srv.Close()
//	client := srv.Client() // a *cometchat.Client wired to srv, retrying after 1–10 ms instead of the SDK's 500 ms+
//
//	u, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "alice", Name: "Alice"})
//	...
//	_, err = client.Users.Get(ctx, "bob")
//	errors.Is(err, cometchat.ErrUIDNotFound) // true
//
// Client's retry wait is short (WithRetryWait(time.Millisecond, 10*time.Millisecond), placed before the caller's
// options, which win), so a test that injects a few 5xx answers runs in milliseconds.
//
// Tests can seed and inspect the store directly (AddUsers, User, Users, Tokens, SetUserStatus, Reset), count
// requests (RequestCount, RequestCountFor), control time (WithClock), enforce a rate limit (WithRateLimit),
// declare the app's roles (WithRoles) and make the server fail on purpose (InjectFault). A Server is safe for
// concurrent use; every method may be called while requests are served.
//
// # Endpoints
//
// Below URL() (which ends in /v3): GET, POST, DELETE (deactivate) and PUT (reactivate) /users; GET, PUT and
// DELETE /users/{uid}; POST, GET and DELETE (flush) /users/{uid}/auth_tokens; GET, PUT and DELETE
// /users/{uid}/auth_tokens/{token}; POST /data_import/users. Anything else is 404 ERR_API_NOT_FOUND. Path
// segments are percent-decoded one by one, so an escaped "/" stays inside its segment.
//
// # Behaviour copied from the real API
//
// Every success is 200 {"data": ...}; lists add meta.pagination (snake_case keys) and, for users, meta.cursor.
// Unset fields are omitted, never null; timestamps are integer Unix seconds; "/" is escaped as "\/" inside JSON
// strings. Errors are {"error":{"message","devMessage","source":"chat-api","code"}} plus "details" (per field,
// array items as "tags.0") for validation failures. uids are lowercased (path and body) before validation and
// lookup. A duplicate uid, a deactivated one included, is 400 ERR_UID_ALREADY_EXISTS; an unknown or deactivated
// uid is 404 ERR_UID_NOT_FOUND. A missing apikey header is 401 AUTH_ERR_EMPTY_APIKEY, a wrong one 401
// AUTH_ERR_APIKEY_NOT_FOUND (its message echoes the key sent, like the real API). Every answer to an endpoint
// carries X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Limit-For-App and X-RateLimit-Remaining-For-App
// (see Rate limits); every answer carries "Cache-Control: must-revalidate, no-cache, private" and "Vary:
// Accept-Encoding". An unknown endpoint or method is 404 ERR_API_NOT_FOUND with production's message and
// devMessage and no X-RateLimit-* headers. With WithUserLimit(n), creating a user when n exist (deactivated ones
// included) is 402 ERR_PLAN_QUOTA_RESTRICTION with production's message naming "Create User", plan free-2023-01
// and n. meta.cursor.updatedAt of a users list is the newest updatedAt (or createdAt, before any update) of the
// whole matching list, the same on every page. A body of [] (how PHP encodes an empty map) is accepted wherever
// {} is, as a whole body and for object fields (metadata, appInfo).
//
// # Choices where the API is not documented
//
// The spec this package follows leaves some behaviour open; the fake does this:
//   - The tags filter of GET /users matches users having any of the listed tags. role and roles combine into one
//     set of accepted roles. Tag and role filters compare exactly; searchKey is a case-insensitive prefix match
//     on uid and name (or the fields searchIn names).
//   - Every user is "offline" unless a test calls SetUserStatus.
//   - Any role is accepted unless WithRoles declared the app's roles; then an unknown role on create, update,
//     import or AddUsers is 400 ERR_ROLE_NOT_FOUND. "default" always exists.
//   - GET /users/{uid} and create/update answers include tags when set; list items only with withTags=true.
//   - Deactivation sets deactivatedAt, not updatedAt; reactivation clears deactivatedAt.
//   - total_pages is ceil(total / perPage), 0 for an empty list. perPage defaults to 100 and is clamped to 1000;
//     below 1 or not a number is 400 ERR_BAD_REQUEST with details.perPage (likewise page, 1-based). Boolean
//     query parameters take true/false and 1/0. Order is newest createdAt first; within one second the later
//     insertion comes first. meta.cursor.affix is "prepend"; the cursor of an empty list is the clock's now.
//   - Token create without force returns the user's newest active token if there is one, else mints one. Tokens
//     look like <uid>_<unix seconds><30 hex digits>. A user keeps at most 100 active tokens, as the current docs
//     say; minting more drops the oldest, which is then unknown (404 ERR_AUTH_TOKEN_NOT_FOUND) like a deleted one.
//     This deliberately deviates from a 2023 recording in which production listed 200 tokens for one user. Token
//     lists are newest first and paginated like users, without a cursor.
//   - WithUserLimit: the quota is checked after validation and the duplicate-uid check; data import counts toward
//     it (a refused entry fails with ERR_PLAN_QUOTA_RESTRICTION); AddUsers ignores it, but its users count.
//   - DELETE /users/{uid} without a body (or with "permanent": false) deactivates and answers
//     {"data":{"deactivatedUids":["<uid>"]}}; with "permanent": true it deletes the user and its tokens for good,
//     also a deactivated user, freeing the uid.
//   - Empty strings in create and import bodies count as not sent. In an update, name "" is "The name field must
//     have a value.", avatar or link "" is "must be a valid URL" (clear them with unset), statusMessage "" clears
//     it. Sending a field and unsetting it in one update clears it.
//   - metadata must be a JSON object of at most 5 KB (5,120 bytes, re-encoded compactly). A string is accepted
//     too, on create as on update: a string holding a JSON object is stored as that object, any other string as
//     the string.
//   - A body that is not JSON (or not an object) is 400 ERR_BAD_REQUEST without details; a field of the wrong
//     type is 400 ERR_BAD_REQUEST with details for that field; a body over 4 MiB is 413 with code
//     ERR_BAD_REQUEST. A body is only read by endpoints that take one; an empty body counts as {}.
//   - The onBehalfOf header, on GET /users and GET /users/{uid}, must name an active user (else 404
//     ERR_UID_NOT_FOUND) and adds conversationId ("<a>_user_<b>", the two uids sorted), blockedByMe and
//     hasBlockedMe (always false: the fake has no blocking).
//   - POST /data_import/users takes {"users": {"<uid>": {...}}} with at most 50 users (more, none or a non-object
//     is 400 ERR_BAD_REQUEST with details.users). Each user is validated like a create; createdAt and lastActiveAt
//     are Unix seconds as strings or numbers (absent: createdAt is now). The answer has one entry per key, under
//     the key as sent: {"success":true,"data":User} or {"success":false,"error":{"code","message"}} with code
//     ERR_IMPORT_INVALID_USER_FORMAT (entry not an object, or its uid missing or not matching the key
//     case-insensitively), ERR_BAD_REQUEST (plus details), ERR_ROLE_NOT_FOUND or ERR_UID_ALREADY_EXISTS (taken, or
//     earlier in the same request). A key repeated verbatim in the JSON keeps its last value.
//   - The app id is not checked (the real API reads it from the hostname, which the base URL replaces).
//
// # Rate limits
//
// As in production, every request to an endpoint counts in two sliding 60-second windows: its operation class's
// (X-RateLimit-Limit and -Remaining: 20000 per minute for standard operations, 10000 for core ones, POST /users
// and DELETE /users/{uid}, 60 for data import) and the app's, which counts every request of the app whatever its
// class (X-RateLimit-Limit-For-App and -Remaining-For-App: 100000). By default nothing is refused: the headers
// count down as production's do. WithRateLimit(n) enforces n for standard and core operations together (and 60
// for data import); WithAppRateLimit(n) enforces the app's window at n. Past an enforced limit the answer is 429
// ERR_TOO_MANY_REQUESTS ("Please retry for seconds after N") with Retry-After (whole seconds until the oldest
// request leaves the full window, at least 1) and X-RateLimit-Reset (that moment in Unix seconds, rounded up).
// 429s, 401s and fault answers use no budget (they report the windows without counting); requests that reach no
// endpoint neither count nor report. Windows follow the WithClock clock, which should not move backwards.
//
// # Faults
//
// InjectFault queues a Fault that answers matching requests before authentication and rate limiting: an error
// status with a fitting envelope or a given body, extra headers, and/or a delay (after which, with Status 0, the
// request is served normally). See Fault and InjectFault.
package cometchattest
