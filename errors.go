package cometchat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gocometchat/cometchat/internal/ratelimit"
	"github.com/gocometchat/cometchat/internal/redact"
	"github.com/gocometchat/cometchat/internal/transport"
	"github.com/gocometchat/cometchat/internal/wire"
)

// Every error the SDK returns is one of three kinds:
//   - *ValidationError: an argument broke a documented constraint; nothing was sent.
//   - *APIError: CometChat (or a proxy in front of it) answered with a non-2xx status.
//   - otherwise no usable answer came: the context ended (errors.Is context.Canceled / DeadlineExceeded), the
//     network failed, or a 2xx answer could not be read (ErrInvalidResponse, ErrResponseTooLarge).
//
// Match them with errors.Is against the sentinels below and read them with errors.As.

// codeError is the type of the sentinels that stand for a CometChat error code; *APIError.Is compares codes.
type codeError struct {
	code string
	text string
}

func (e *codeError) Error() string {
	if e.code == "" {
		return "cometchat: " + e.text
	}
	return "cometchat: " + e.text + " (" + e.code + ")"
}

// Sentinel errors for the error codes callers branch on. Match them with errors.Is: an *APIError matches the
// sentinel of its Code, and ErrValidation is matched by every *ValidationError. They are never returned bare, so
// errors.As gives the details. Other codes (ERR_MISSION_FAILED, ERR_API_NOT_FOUND, ...) are in APIError.Code.
var (
	// ErrUIDNotFound: the uid does not exist or the user is deactivated (404).
	ErrUIDNotFound error = &codeError{"ERR_UID_NOT_FOUND", "uid not found"}
	// ErrUIDAlreadyExists: Users.Create with a uid in use, a deactivated one included (400).
	ErrUIDAlreadyExists error = &codeError{"ERR_UID_ALREADY_EXISTS", "uid already exists"}
	// ErrBadRequest: the server rejected the body; APIError.Details names the fields (400).
	ErrBadRequest error = &codeError{"ERR_BAD_REQUEST", "bad request"}
	// ErrEmptyAPIKey: the request carried no apikey header (401).
	ErrEmptyAPIKey error = &codeError{"AUTH_ERR_EMPTY_APIKEY", "empty API key"}
	// ErrAPIKeyNotFound: the API key is unknown to the app (401).
	ErrAPIKeyNotFound error = &codeError{"AUTH_ERR_APIKEY_NOT_FOUND", "API key not found"}
	// ErrNoAccess: the API key lacks the scope for the call, e.g. an authOnly key (403).
	ErrNoAccess error = &codeError{"AUTH_ERR_NO_ACCESS", "API key has no access"}
	// ErrPlanQuota: the plan's quota is reached, e.g. 25 users on the free plan (402).
	ErrPlanQuota error = &codeError{"ERR_PLAN_QUOTA_RESTRICTION", "plan quota reached"}
	// ErrTooManyRequests: rate limited. Matches code ERR_TOO_MANY_REQUESTS and any HTTP 429;
	// APIError.RetryAfter says how long the server asked to wait.
	ErrTooManyRequests error = &codeError{"ERR_TOO_MANY_REQUESTS", "too many requests"}
	// ErrAuthTokenNotFound: the auth token does not exist (404).
	ErrAuthTokenNotFound error = &codeError{"ERR_AUTH_TOKEN_NOT_FOUND", "auth token not found"}
	// ErrRoleNotFound: the role does not exist: Roles.Get/Update/Delete of an unknown id, or a user given a
	// role the app does not have.
	ErrRoleNotFound error = &codeError{"ERR_ROLE_NOT_FOUND", "role not found"}
	// ErrRoleDeleteDenied: the "default" role cannot be deleted.
	ErrRoleDeleteDenied error = &codeError{"ERR_ROLE_DELETE_DENIED", "role cannot be deleted"}
	// ErrAlreadyFriend: the users are friends already (a per-uid failure of Friends.Add).
	ErrAlreadyFriend error = &codeError{"ERR_ALREADY_FRIEND", "already friends"}
	// ErrNotAFriend: Friends.Remove of a user who is not a friend.
	ErrNotAFriend error = &codeError{"ERR_NOT_A_FRIEND", "not a friend"}
	// ErrCannotBlockSelf: a user cannot block themselves (the SDK refuses it before sending).
	ErrCannotBlockSelf error = &codeError{"ERR_CANNOT_BLOCK_SELF", "cannot block oneself"}
	// ErrValidation is matched by every *ValidationError: an argument broke a documented constraint and nothing
	// was sent.
	ErrValidation error = &codeError{"", "invalid argument"}

	// ErrInvalidResponse is matched by the error of a call whose 2xx answer could not be used: not JSON, cut off,
	// the wrong shape, without the data the method returns, or not accounting for every uid sent. The call may
	// have taken effect on the server.
	ErrInvalidResponse = errors.New("cometchat: invalid response body")
	// ErrResponseTooLarge is matched by the error of a call whose answer was larger than the limit set with
	// WithMaxResponseBytes (32 MiB by default). The call may have taken effect on the server.
	ErrResponseTooLarge = errors.New("cometchat: response body too large")
)

// maxKeptBody bounds how much of an error answer APIError.Body keeps.
const maxKeptBody = 2 << 10

// APIError is every non-2xx answer of the CometChat API, JSON or not, and each per-user failure inside a
// successful batch answer (Users.Import, Friends.Add, BlockedUsers.Block and Unblock). Match it with errors.Is
// against the sentinels (ErrUIDNotFound, ...) and read it with errors.As:
//
//	var apiErr *cometchat.APIError
//	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest { ... }
//
// A body that is not CometChat JSON (an HTML 502 from a proxy) leaves Code empty and sets Message to the status
// text. Neither the API key, an auth token of the request, nor its query values appear in any field: CometChat
// echoes the key in some messages and the SDK redacts it, whatever the server sends.
type APIError struct {
	StatusCode int                 // HTTP status; 0 for a per-uid failure inside a successful batch answer
	Code       string              // e.g. "ERR_UID_NOT_FOUND"; "" when the body was not CometChat JSON
	Message    string              // the server's message, or the status text
	DevMessage string              // the server's message for developers, when sent
	Source     string              // "chat-api" for CometChat errors
	Details    map[string][]string // per-field validation messages, e.g. {"tags.0": [...]}
	RetryAfter time.Duration       // on a 429 or 503: from Retry-After or the rate-limit reset header, when sent
	RateLimit  RateLimit           // the rate-limit headers of this answer
	// Body is the start of the raw answer (at most 2 KiB, secrets redacted), kept for debugging answers that are
	// not CometChat JSON.
	Body string
}

// Error names the status, the code and the message, e.g.
// "cometchat: 404 ERR_UID_NOT_FOUND: The UID alice does not exist ...".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("cometchat: ")
	if e.StatusCode != 0 {
		b.WriteString(strconv.Itoa(e.StatusCode))
		if t := http.StatusText(e.StatusCode); t != "" && e.Code == "" {
			b.WriteString(" " + t)
		}
	}
	if e.Code != "" {
		if e.StatusCode != 0 {
			b.WriteByte(' ')
		}
		b.WriteString(e.Code)
	}
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		if e.StatusCode != 0 || e.Code != "" {
			b.WriteString(": ")
		}
		b.WriteString(e.Message)
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.String() + ")")
	}
	return b.String()
}

// Is reports whether target is the sentinel of e's Code. ErrTooManyRequests also matches any 429 answer,
// whatever its body.
func (e *APIError) Is(target error) bool {
	t, ok := target.(*codeError)
	if !ok {
		return false
	}
	if t == ErrTooManyRequests && e.StatusCode == http.StatusTooManyRequests {
		return true
	}
	return t.code != "" && t.code == e.Code
}

// ValidationError is returned before any request is sent when an argument breaks a documented constraint. It
// matches ErrValidation. It never holds the offending value, which may be personal or secret.
type ValidationError struct {
	// Field names the argument in lowerCamelCase: as the API names it for what is sent ("uid", "name",
	// "tags[3]", "metadata", "perPage", "onBehalfOf"), as the Go parameter or option is named otherwise ("ctx",
	// "params", "appID", "apiKey", "baseURL", "path").
	Field  string
	Reason string // what the value must be, e.g. "must be at most 100 characters"
}

// Error returns "cometchat: invalid <field>: <reason>".
func (e *ValidationError) Error() string {
	return "cometchat: invalid " + e.Field + ": " + e.Reason
}

// Is reports whether target is ErrValidation.
func (e *ValidationError) Is(target error) bool { return target == ErrValidation }

func invalid(field, reason string) *ValidationError {
	return &ValidationError{Field: field, Reason: reason}
}

// newAPIError builds the error for a non-2xx answer, redacting every secret of the call wherever the server
// echoed it.
func newAPIError(resp *transport.Response, r *redact.Redactor) *APIError {
	e := &APIError{StatusCode: resp.Status, RateLimit: RateLimit(ratelimit.Parse(resp.Header))}
	if resp.Status == http.StatusTooManyRequests || resp.Status == http.StatusServiceUnavailable {
		e.RetryAfter, _ = ratelimit.ServerWait(resp.Header, time.Now())
	}
	// The first JSON value of the body: a proxy may append bytes to an answer, a slow server cut it off.
	var env wire.Error
	if json.NewDecoder(bytes.NewReader(resp.Body)).Decode(&env) == nil && env.Error != nil {
		e.fill(*env.Error)
	}
	switch {
	case e.Message != "":
	case resp.Status >= 300 && resp.Status < 400:
		e.Message = "redirect not followed: the SDK never sends the API key to another location"
	default:
		e.Message = http.StatusText(resp.Status)
	}
	// Redact the whole body before cutting it: a secret straddling the cut would leave its start behind.
	body := r.String(string(resp.Body))
	if len(body) > maxKeptBody {
		body = body[:maxKeptBody]
	}
	e.Body = strings.ToValidUTF8(body, "\uFFFD")
	e.redact(r)
	return e
}

// entryError is the *APIError of one uid's failed entry inside a batch answer.
func entryError(f wire.ErrorFields, r *redact.Redactor) *APIError {
	e := &APIError{}
	e.fill(f)
	if e.Code == "" && e.Message == "" {
		e.Message = "the server reported a failure for this uid without saying why"
	}
	e.redact(r)
	return e
}

func (e *APIError) fill(f wire.ErrorFields) {
	e.Code, e.Message, e.DevMessage, e.Source = f.Code, f.Message, f.DevMessage, f.Source
	if len(f.Details) > 0 {
		e.Details = f.Details
	}
}

// redact removes the secrets from every text field.
func (e *APIError) redact(r *redact.Redactor) {
	e.Code = r.String(e.Code)
	e.Message = r.String(e.Message)
	e.DevMessage = r.String(e.DevMessage)
	e.Source = r.String(e.Source)
	if e.Details == nil {
		return
	}
	details := make(map[string][]string, len(e.Details))
	for k, msgs := range e.Details {
		clean := make([]string, len(msgs))
		for i, m := range msgs {
			clean[i] = r.String(m)
		}
		details[r.String(k)] = clean
	}
	e.Details = details
}

// requestError is a call that got no usable answer. Its text names the call by method and path (an auth token
// redacted, no query) and has every secret of the call redacted. It unwraps to its cause only when the cause's
// text held no secret: a server can put anything in a malformed answer, and it may end up in an error of net/http.
type requestError struct {
	msg   string
	kind  error // ErrInvalidResponse, ErrResponseTooLarge or nil
	cause error // nil when its text held a secret
}

func (e *requestError) Error() string { return e.msg }

func (e *requestError) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.kind, e.cause} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// failure is the error of a call that got no usable answer: the context ended (its error and cause stay
// matchable), the answer's body was too large or could not be read, or the network failed.
func (c *Client) failure(ctx context.Context, r *request, err error) error {
	var be *transport.BodyError
	switch {
	case ctx.Err() != nil:
		return &requestError{msg: "cometchat: " + r.method + " " + r.logPath() + ": " + ctx.Err().Error(), cause: contextErr(ctx)}
	case errors.As(err, &be) && be.Oversize:
		return &requestError{kind: ErrResponseTooLarge,
			msg: fmt.Sprintf("%v: %s %s (status %d)", ErrResponseTooLarge, r.method, r.logPath(), be.Status)}
	case errors.As(err, &be):
		return redacted(c.redactor(r), ErrInvalidResponse,
			fmt.Sprintf("%v: %s %s (status %d): ", ErrInvalidResponse, r.method, r.logPath(), be.Status), be.Err)
	}
	return redacted(c.redactor(r), nil, "cometchat: "+r.method+" "+r.logPath()+": ", err)
}

// redacted is a requestError saying prefix and cause's text with the secrets of red removed.
func redacted(red *redact.Redactor, kind error, prefix string, cause error) error {
	text := cause.Error()
	clean := red.String(text)
	if clean != text {
		cause = nil
	}
	return &requestError{msg: prefix + clean, kind: kind, cause: cause}
}

// invalidResponse is the error of a 2xx answer that did not decode.
func invalidResponse(method, logPath string, status int, cause error) error {
	return &requestError{kind: ErrInvalidResponse, cause: cause,
		msg: fmt.Sprintf("%v: %s %s (status %d): %v", ErrInvalidResponse, method, logPath, status, cause)}
}

// errNoData is the error of a 2xx answer without the data its method returns.
func errNoData(method, path string) error {
	return &requestError{kind: ErrInvalidResponse,
		msg: fmt.Sprintf(`%v: %s %s: the answer has no "data"`, ErrInvalidResponse, method, redactPath(path))}
}

// contextErr is ctx's error, with its cause when the context was cancelled with one, so that errors.Is matches
// both.
func contextErr(ctx context.Context) error {
	err, cause := ctx.Err(), context.Cause(ctx)
	if err == nil || cause == nil || errors.Is(cause, err) {
		return cause
	}
	return fmt.Errorf("%w: %w", err, cause)
}
