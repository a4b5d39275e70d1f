// Package cometchattest provides an in-memory CometChat REST API v3 server for tests, as net/http/httptest does
// for HTTP. It serves users, auth tokens, users data import, roles, friends and blocked users with the wire
// format, validation, errors and rate-limit headers of the real API, so code using the cometchat SDK (or plain
// HTTP) can be tested without a CometChat account or network access. Every place it answers differently from
// production is a bug: report it.
//
//	srv := cometchattest.NewServer()
//	defer srv.Close()
//	client := srv.Client() // a *cometchat.Client wired to srv, retrying after 1–10 ms
//
//	u, err := client.Users.Create(ctx, &cometchat.CreateUserParams{UID: "alice", Name: "Alice"})
//	...
//	_, err = client.Users.Get(ctx, "bob")
//	errors.Is(err, cometchat.ErrUIDNotFound) // true
//
// Client's retry wait is short (cometchat.WithRetryWait(time.Millisecond, 10*time.Millisecond), placed before the
// caller's options, which win), so a test that injects a few 5xx answers runs in milliseconds, not seconds.
//
// Tests can seed and inspect the store directly (AddUsers, User, Users, Tokens, SetUserStatus, Roles, Friends,
// Blocked, AddFriends, AddBlocks, Reset), count requests (RequestCount, RequestCountFor), control time (WithClock),
// set the plan's quota (WithUserLimit), enforce rate limits (WithRateLimit, WithAppRateLimit), seed the app's
// roles (WithRoles) and make the server fail on purpose (InjectFault). A Server is safe for concurrent use; every
// method may be called while requests are served. The command cometchat-fake (cmd/cometchat-fake) serves the same
// fake for programs not written in Go.
//
// # Endpoints
//
// Below URL() (which ends in /v3):
//
//	GET, POST, DELETE (deactivate), PUT (reactivate)     /users
//	GET, PUT, DELETE                                      /users/{uid}
//	POST, GET, DELETE (flush)                             /users/{uid}/auth_tokens
//	GET, PUT, DELETE                                      /users/{uid}/auth_tokens/{token}
//	POST                                                  /data_import/users
//	POST, GET                                             /roles
//	GET, PUT, DELETE                                      /roles/{role}
//	POST (add), GET, DELETE (remove, JSON body)           /users/{uid}/friends
//	POST (block), GET, DELETE (unblock, JSON body)        /users/{uid}/blockedusers
//
// Anything else (another path or method, HEAD, a path with an empty, "." or ".." segment or a trailing "/") is
// 404 ERR_API_NOT_FOUND, never a redirect or a 405. Path segments are percent-decoded one by one, so an escaped
// "/" stays inside its segment.
//
// # Behaviour copied from production
//
// Every success is 200 {"data": ...}; lists add meta.pagination (snake_case keys) and, for users, friends and
// blocked users, meta.cursor {"updatedAt", "affix": "prepend"}. Unset fields are omitted, never null; timestamps
// are integer Unix seconds; "/" is escaped as "\/" inside JSON strings. Errors are {"error":{"message",
// "devMessage","source":"chat-api","code"}} plus "details" (per field, array items as "tags.0") for validation
// failures. Every answer carries "Cache-Control: must-revalidate, no-cache, private" and "Vary: Accept-Encoding".
//   - uids are lowercased (path and body) before validation and lookup. A duplicate uid, a deactivated one
//     included, is 400 ERR_UID_ALREADY_EXISTS; an unknown or deactivated uid is 404 ERR_UID_NOT_FOUND.
//   - A missing apikey header is 401 AUTH_ERR_EMPTY_APIKEY, a wrong one 401 AUTH_ERR_APIKEY_NOT_FOUND (its
//     message echoes the key sent).
//   - An unknown endpoint is 404 ERR_API_NOT_FOUND with production's message ("The API endpoint is invalid.
//     Please verify the API call.") and devMessage ("The endpoint of the API is invalid. Please have the API call
//     checked."), and without X-RateLimit-* headers.
//   - With WithUserLimit(n), creating a user when n exist, deactivated ones included, is 402
//     ERR_PLAN_QUOTA_RESTRICTION with production's message (also the devMessage): "You've exhausted the quota. The
//     allowed limit of the feature Create User for your current plan free-2023-01 is <n>. Please upgrade the plan
//     to increase the limit."
//   - meta.cursor.updatedAt of a users list is the newest updatedAt (or createdAt, before any update) of the whole
//     matching list, the same on every page.
//   - A body of [] (how PHP encodes an empty map) is accepted wherever {} is: as a whole body, and for object
//     fields (metadata, appInfo, role settings).
//   - Role ids are lowercased; "default" always exists and cannot be deleted (ERR_ROLE_DELETE_DENIED); an app has
//     at most 25 roles, "default" included; a user's role must be one of the app's roles (400 ERR_ROLE_NOT_FOUND).
//   - Blocking and unblocking answer per uid: {"data":{"<uid>":{"success":true,"message":"The user with UID a has
//     blocked user with UID b successfully."}}} ("unblocked" for DELETE). The blocked-users list has the recorded
//     quirks: oldest block first, total always 0, total_pages = current_page+1 on a full page and = current_page
//     on a short (or empty) one, items with exactly uid, name, status, role, blockedByMe, blockedByMeAt,
//     blockedAt, createdAt, conversationId, plus avatar, link, statusMessage, metadata, updatedAt, lastActiveAt when
//     set (no tags, no hasBlockedMe).
//   - The rate-limit model (see Rate limits).
//
// The 2023 recordings are pinned by doc_test.go. One deliberate deviation: production listed 200 active auth
// tokens for one user in 2023, but the current docs cap a user's active tokens at 100 (the oldest archived), and
// the fake follows the docs.
//
// # Settled choices
//
// Where neither the recordings nor the docs say, the fake does this. Messages of the errors listed here are the
// fake's own wording; codes and statuses are as given.
//
// Users and lists:
//   - The tags filter of GET /users matches users having any of the listed tags; role and roles combine into one
//     set. Tag and role filters compare exactly; searchKey is a case-insensitive prefix match on uid and name (or
//     the fields searchIn names).
//   - Every user is "offline" unless a test calls SetUserStatus.
//   - GET /users/{uid} and create/update answers include tags when set; list items only with withTags=true.
//   - A user's role is lowercased before it is checked and stored; without WithRoles only "default" exists.
//   - Deactivation sets deactivatedAt, not updatedAt; reactivation clears deactivatedAt.
//   - total_pages is ceil(total / perPage), 0 for an empty list (not for blocked users, see above). perPage
//     defaults to 100 and is clamped to 1000; below 1 or not a number is 400 ERR_BAD_REQUEST with
//     details.perPage (likewise page, 1-based). Boolean query parameters take true/false and 1/0. Users are
//     listed newest createdAt first; within one second the later insertion comes first. The cursor of an empty
//     list is the clock's now.
//   - DELETE /users/{uid} without a body (or with "permanent": false) deactivates and answers
//     {"data":{"deactivatedUids":["<uid>"]}}; with "permanent": true it deletes the user with its tokens,
//     friendships and blocks (both ways) for good, also a deactivated user, freeing the uid. Deactivation keeps
//     friendships and blocks.
//   - Empty strings in create and import bodies count as not sent. In an update, name "" is "The name field must
//     have a value.", avatar or link "" is "must be a valid URL" (clear them with unset), statusMessage "" clears
//     it. Sending a field and unsetting it in one update clears it.
//   - metadata must be a JSON object of at most 5 KB (5,120 bytes, re-encoded compactly). A string is accepted
//     too: a string holding a JSON object is stored as that object, any other string as the string.
//   - A body that is not JSON (or not an object) is 400 ERR_BAD_REQUEST without details; a field of the wrong
//     type is 400 ERR_BAD_REQUEST with details for that field; a body over 4 MiB is 413 with code
//     ERR_BAD_REQUEST. A body is only read by endpoints that take one; an empty body counts as {}.
//   - The onBehalfOf header, on GET /users and GET /users/{uid}, must name an active user (else 404
//     ERR_UID_NOT_FOUND) and adds conversationId ("<a>_user_<b>", the two uids sorted; not for oneself),
//     blockedByMe (the viewer blocked the user) and hasBlockedMe (the user blocked the viewer), and when blocked
//     blockedByMeAt (when the viewer blocked) and blockedAt (that time, else when the user blocked the viewer).
//   - Both auth errors are 401. Unknown endpoints still need the key: a missing or wrong key is 401 before the
//     404.
//   - The app id is not checked (the real API reads it from the hostname, which the base URL replaces).
//
// Auth tokens:
//   - Token create without force returns the user's newest active token if there is one, else mints one. Tokens
//     look like <uid>_<unix seconds><30 hex digits>. Minting past 100 active tokens drops the oldest, which is
//     then unknown (404 ERR_AUTH_TOKEN_NOT_FOUND) like a deleted one. Token lists are newest first and paginated
//     like users, without a cursor.
//
// Plan quota and data import:
//   - WithUserLimit: the quota is checked after validation, the role and the duplicate-uid check. Data import
//     counts toward it: an entry past the quota fails with ERR_PLAN_QUOTA_RESTRICTION. AddUsers is not refused,
//     but the users it adds count.
//   - POST /data_import/users takes {"users": {"<uid>": {...}}} with at most 50 users (more, none or a non-object
//     is 400 ERR_BAD_REQUEST with details.users). Each user is validated like a create; createdAt and lastActiveAt
//     are Unix seconds as strings or numbers (absent: createdAt is now). The answer has one entry per key, under
//     the key as sent: {"success":true,"data":User} or {"success":false,"error":{"code","message"}} with code
//     ERR_IMPORT_INVALID_USER_FORMAT (entry not an object, or its uid missing or not matching the key
//     case-insensitively), ERR_BAD_REQUEST (plus details), ERR_ROLE_NOT_FOUND, ERR_UID_ALREADY_EXISTS (taken, or
//     earlier in the same request) or ERR_PLAN_QUOTA_RESTRICTION. A key repeated verbatim keeps its last value.
//
// Roles:
//   - "default" is {"role":"default","name":"Default","description":"Default role"} created when the server
//     starts (or is Reset). WithRoles roles are named after their ids.
//   - ERR_ROLE_NOT_FOUND is 404 for the role a /roles/{role} path names (lowercased first) and 400 for a user's
//     role. ERR_ROLE_DELETE_DENIED is 400. Creating an existing id is 400 ERR_BAD_REQUEST with details
//     {"role":["The role has already been taken."]}. The 26th role is 402 ERR_PLAN_QUOTA_RESTRICTION with
//     production's quota message naming the feature "Create Role" and 25.
//   - Validation (400 ERR_BAD_REQUEST with details): role 1–100 of a-z 0-9 - _ after lowercasing; name required,
//     1–100 characters (an update may leave it out, not blank it); description at most 255 characters; metadata
//     any JSON object (no size limit beyond the body's); settings an object whose listUsers and sendMessagesTo,
//     when present, are "all" or "friendsOnly" (other keys are ignored; an empty object or [] stores no settings);
//     unset items among description, metadata and settings. An update ignores a "role" in its body, replaces
//     settings as a whole, treats description "" as clearing it, runs unset last and sets updatedAt.
//   - DELETE answers {"data":{"success":true,"message":"Role <id> has been deleted successfully."}}; the users
//     holding the role get "default" (their updatedAt is unchanged).
//   - GET /roles lists in creation order, "default" first, with meta.pagination only.
//
// Friends and blocked users:
//   - An unknown or deactivated {uid} in the path is 404 ERR_UID_NOT_FOUND.
//   - accepted (add friends), friends (remove) and blockedUids take 1–25 non-empty uids; none, more, a blank one
//     or a non-array is 400 ERR_BAD_REQUEST with details for that field.
//   - Add friends answers 200 {"data":{"accepted":{"<uid>":{"success":true,"message":"Created relationship with
//     status accepted."}}}}, keyed by lowercased uid. A failed entry is {"success":false,"error":{"code",
//     "message"}} with ERR_CANNOT_FORM_SELF_RELATION, ERR_UID_NOT_FOUND (unknown or deactivated), ERR_ALREADY_FRIEND
//     or ERR_FAILED_TO_ADD_FRIEND (either user already has 1,000 friends). A uid repeated in one request keeps the
//     result of its first occurrence (so do block and unblock). Friendship is mutual; blocks do not prevent it.
//   - Remove friends is all or nothing: any listed uid that is not a friend (unknown ones included) is 400
//     ERR_NOT_A_FRIEND and nothing changes; else 200 {"data":{"success":true,"message":"Deleted the friend
//     relations succussfully"}} (sic, as the spec has it).
//   - GET /users/{uid}/friends lists active friends, newest friendship first, as uid sees them (user fields without
//     tags, plus conversationId, blockedByMe, hasBlockedMe and the block times as with onBehalfOf); searchKey is a
//     case-insensitive prefix of uid or name. Deactivated friends stay friends but are not listed. Its pagination
//     is the usual one and its cursor is computed like the users list's.
//   - Blocking: a failed entry is ERR_CANNOT_BLOCK_SELF or ERR_UID_NOT_FOUND (unknown or deactivated), for block
//     and unblock alike. Blocking a user already blocked succeeds and keeps the first block's time; unblocking a
//     user not blocked succeeds and changes nothing.
//   - GET /users/{uid}/blockedusers lists the users uid blocked (not those who blocked uid), active ones only,
//     takes perPage and page only, and its cursor is computed like the users list's.
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
