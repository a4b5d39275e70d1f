package cometchat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// codeError is the type of the sentinel errors. A sentinel carries the
// CometChat error code it stands for; *APIError.Is compares codes.
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

func sentinel(code, text string) error { return &codeError{code: code, text: text} }

// Sentinel errors. Match them with errors.Is against any error returned by
// this package: an *APIError matches the sentinel of its Code. They are never
// returned bare, always inside an *APIError (or, for ErrValidation, a
// *ValidationError), so errors.As gives the details.
var (
	// ErrUIDNotFound: the uid does not exist or the user is deactivated (404).
	ErrUIDNotFound = sentinel("ERR_UID_NOT_FOUND", "uid not found")
	// ErrUIDAlreadyExists: Create with a uid in use, a deactivated one included (400).
	ErrUIDAlreadyExists = sentinel("ERR_UID_ALREADY_EXISTS", "uid already exists")
	// ErrBadRequest: the server rejected the body; APIError.Details names the fields (400).
	ErrBadRequest = sentinel("ERR_BAD_REQUEST", "bad request")
	// ErrEmptyAPIKey: the request carried no apikey header (401).
	ErrEmptyAPIKey = sentinel("AUTH_ERR_EMPTY_APIKEY", "empty API key")
	// ErrAPIKeyNotFound: the API key is unknown to the app (401).
	ErrAPIKeyNotFound = sentinel("AUTH_ERR_APIKEY_NOT_FOUND", "API key not found")
	// ErrNoAccess: the API key lacks the scope for the call, e.g. an authOnly key (403).
	ErrNoAccess = sentinel("AUTH_ERR_NO_ACCESS", "API key has no access")
	// ErrPlanQuota: the plan's quota is reached, e.g. 25 users on the free plan (402).
	ErrPlanQuota = sentinel("ERR_PLAN_QUOTA_RESTRICTION", "plan quota reached")
	// ErrTooManyRequests: rate limited. Matches code ERR_TOO_MANY_REQUESTS and
	// any HTTP 429; APIError.RetryAfter says how long the server asked to wait.
	ErrTooManyRequests = sentinel("ERR_TOO_MANY_REQUESTS", "too many requests")
	// ErrAuthTokenNotFound: the auth token does not exist (404).
	ErrAuthTokenNotFound = sentinel("ERR_AUTH_TOKEN_NOT_FOUND", "auth token not found")
	// ErrValidation is matched by every *ValidationError: an argument broke a
	// documented constraint and nothing was sent.
	ErrValidation = sentinel("", "invalid argument")

	// ErrEmptyAppID: the request carried no app id (401).
	ErrEmptyAppID = sentinel("AUTH_ERR_EMPTY_APPID", "empty app id")
	// ErrInvalidAppID: the app id is unknown in that region (401).
	ErrInvalidAppID = sentinel("AUTH_ERR_INVALID_APPID", "invalid app id")
	// ErrAPINotFound: unknown endpoint or method (404); usually a wrong base URL.
	ErrAPINotFound = sentinel("ERR_API_NOT_FOUND", "API endpoint not found")
	// ErrRoleNotFound: the role given to Create or Update does not exist in the app.
	ErrRoleNotFound = sentinel("ERR_ROLE_NOT_FOUND", "role not found")
	// ErrPlanRestriction: the feature is not part of the app's plan.
	ErrPlanRestriction = sentinel("ERR_PLAN_RESTRICTION", "plan restriction")
	// ErrSubscriptionExpired: the app's subscription has expired.
	ErrSubscriptionExpired = sentinel("ERR_SUBSCRIPTION_EXPIRED", "subscription expired")
	// ErrInvalidAPIVersion: the API version in the base URL is not supported.
	ErrInvalidAPIVersion = sentinel("ERR_INVALID_API_VERSION", "invalid API version")
	// ErrMissionFailed: a server-side failure (5xx).
	ErrMissionFailed = sentinel("ERR_MISSION_FAILED", "server failure")
	// ErrOperationFailed: a server-side failure (5xx).
	ErrOperationFailed = sentinel("ERR_OPERATION_FAILED", "operation failed")
	// ErrException: a server-side failure (5xx).
	ErrException = sentinel("ERR_EXCEPTION", "server exception")
	// ErrBadErrorResponse: the server failed while building its error answer.
	ErrBadErrorResponse = sentinel("ERR_BAD_ERROR_RESPONSE", "bad error response")
	// ErrUIDDeleteFailed: the server failed to delete the user.
	ErrUIDDeleteFailed = sentinel("ERR_UID_DELETE_FAILED", "user delete failed")
	// ErrAuthTokenDeleteFailed: the server failed to delete the auth token.
	ErrAuthTokenDeleteFailed = sentinel("ERR_AUTH_TOKEN_DELETE_FAILED", "auth token delete failed")
	// ErrAuthTokensDeleteFailed: the server failed to flush the user's auth tokens.
	ErrAuthTokensDeleteFailed = sentinel("ERR_AUTH_TOKENS_DELETE_FAILED", "auth tokens flush failed")
	// ErrWSUserCreationFailed: the user was not created on the realtime layer.
	ErrWSUserCreationFailed = sentinel("ERR_WS_USER_CREATION_FAILED", "realtime user creation failed")
	// ErrWSUserUpdationFailed: the user was not updated on the realtime layer.
	ErrWSUserUpdationFailed = sentinel("ERR_WS_USER_UPDATION_FAILED", "realtime user update failed")
	// ErrImportInvalidUserFormat: a user of a data import had the wrong shape,
	// e.g. its key and uid differ.
	ErrImportInvalidUserFormat = sentinel("ERR_IMPORT_INVALID_USER_FORMAT", "invalid import user format")

	// ErrInvalidResponse is matched by the error of a call whose 2xx answer
	// could not be decoded (not JSON, truncated, or the wrong shape). The write
	// may have happened on the server.
	ErrInvalidResponse = errors.New("cometchat: invalid response body")
	// ErrResponseTooLarge is matched by the error of a call whose answer was
	// larger than the limit set with WithMaxResponseBytes (32 MiB by default).
	ErrResponseTooLarge = errors.New("cometchat: response body too large")
)

// maxErrorBody bounds how much of an error answer is read and parsed, and
// maxKeptBody how much of it APIError.Body keeps.
const (
	maxErrorBody = 64 << 10
	maxKeptBody  = 2 << 10
)

// APIError is every non-2xx answer of the CometChat API, JSON or not, and
// the per-user failures of Users.Import. Match it with errors.Is against the
// sentinels (ErrUIDNotFound, ...) and read it with errors.As:
//
//	var apiErr *cometchat.APIError
//	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest { ... }
//
// A body that is not CometChat JSON (an HTML 502 from a proxy) leaves Code
// empty and sets Message to the status text. The API key never appears in
// any field: CometChat echoes it in some messages and the SDK redacts it.
type APIError struct {
	StatusCode int                 // HTTP status; 0 for a per-user failure inside a successful Import batch
	Code       string              // e.g. "ERR_UID_NOT_FOUND"; "" when the body was not CometChat JSON
	Message    string              // the server's message, or the status text
	DevMessage string              // the server's message for developers, when sent
	Source     string              // "chat-api" for CometChat errors
	Details    map[string][]string // per-field validation messages, e.g. {"tags.0": [...]}
	RetryAfter time.Duration       // on a 429 or 503: from Retry-After or the rate-limit reset header, when sent
	RateLimit  RateLimit           // the rate-limit headers of this answer
	// Body is the start of the raw answer (at most 2 KiB, API key redacted),
	// kept for debugging answers that are not CometChat JSON.
	Body string
}

// Error names the status, the code and the message, e.g.
// "cometchat: 404 ERR_UID_NOT_FOUND: The UID alice does not exist ...".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("cometchat: ")
	if e.StatusCode != 0 {
		b.WriteString(strconv.Itoa(e.StatusCode))
		if e.Code == "" {
			if t := http.StatusText(e.StatusCode); t != "" {
				b.WriteString(" " + t)
			}
		}
	}
	if e.Code != "" {
		if e.StatusCode != 0 {
			b.WriteByte(' ')
		}
		b.WriteString(e.Code)
	}
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		b.WriteString(": " + e.Message)
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.String() + ")")
	}
	return b.String()
}

// Is reports whether target is the sentinel of e's Code. ErrTooManyRequests
// also matches any 429 answer, whatever its body.
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

// ValidationError is returned before any request is sent when an argument
// breaks a documented constraint. It matches ErrValidation. It never holds
// the offending value, which may be personal or secret.
type ValidationError struct {
	Field  string // e.g. "uid", "name", "tags[3]", "metadata"
	Reason string // what the value must be, e.g. "must be at most 100 characters"
}

// Error returns "cometchat: invalid <field>: <reason>".
func (e *ValidationError) Error() string {
	return "cometchat: invalid " + e.Field + ": " + e.Reason
}

// Is reports whether target is ErrValidation.
func (e *ValidationError) Is(target error) bool { return target == ErrValidation }

// errorEnvelope is CometChat's error body:
// {"error":{"message","devMessage","source","code","details"}}.
type errorEnvelope struct {
	Error *struct {
		Message    string        `json:"message"`
		DevMessage string        `json:"devMessage"`
		Source     string        `json:"source"`
		Code       string        `json:"code"`
		Details    flexibleLists `json:"details"`
	} `json:"error"`
}

// flexibleLists decodes validation details. CometChat sends arrays of
// messages per field; a single string per field is accepted too, and any
// other shape is ignored rather than failing the whole error.
type flexibleLists map[string][]string

func (f *flexibleLists) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return nil
	}
	out := make(flexibleLists, len(raw))
	for k, v := range raw {
		var list []string
		if json.Unmarshal(v, &list) == nil {
			out[k] = list
			continue
		}
		var one string
		if json.Unmarshal(v, &one) == nil {
			out[k] = []string{one}
		}
	}
	*f = out
	return nil
}

// newAPIError builds the error for a non-2xx answer from its status, headers
// and the first bytes of its body, redacting the secrets (the API key, an
// auth token of the path) wherever the server echoed them.
func newAPIError(status int, h http.Header, body []byte, now time.Time, secrets ...string) *APIError {
	e := &APIError{
		StatusCode: status,
		RateLimit:  parseRateLimit(h),
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		e.RetryAfter, _ = parseServerWait(h, now)
	}
	var env errorEnvelope
	if json.Unmarshal(body, &env) == nil && env.Error != nil {
		e.Code = env.Error.Code
		e.Message = env.Error.Message
		e.DevMessage = env.Error.DevMessage
		e.Source = env.Error.Source
		if len(env.Error.Details) > 0 {
			e.Details = env.Error.Details
		}
	}
	switch {
	case e.Message != "":
	case status >= 300 && status < 400:
		e.Message = "redirect not followed: the SDK never sends the API key to another location"
	default:
		e.Message = http.StatusText(status)
	}
	// Redact the whole body before cutting it: a secret straddling the cut
	// would otherwise leave its first characters behind.
	e.Body = string(body)
	e.redact(secrets...)
	if len(e.Body) > maxKeptBody {
		e.Body = e.Body[:maxKeptBody]
	}
	e.Body = strings.ToValidUTF8(e.Body, "\uFFFD")
	return e
}

// redact replaces every occurrence of the secrets in the error's text
// fields, each as sent and as JSON would escape it inside a string (the raw
// Body holds the escaped form: CometChat writes "/" as "\/").
func (e *APIError) redact(secrets ...string) {
	r := secretReplacer(secrets)
	if r == nil {
		return
	}
	e.Code = r.Replace(e.Code)
	e.Message = r.Replace(e.Message)
	e.DevMessage = r.Replace(e.DevMessage)
	e.Source = r.Replace(e.Source)
	e.Body = r.Replace(e.Body)
	for k, msgs := range e.Details {
		for i, m := range msgs {
			msgs[i] = r.Replace(m)
		}
		if rk := r.Replace(k); rk != k {
			delete(e.Details, k)
			e.Details[rk] = msgs
		}
	}
}

// secretReplacer replaces each non-empty secret, and its JSON-escaped forms,
// with [redacted]; nil when there is nothing to replace. A secret shorter
// than shortSecret is replaced only where it stands as a word of its own
// (not inside a longer run of letters, digits, '_' or '-'), so that a short
// token such as "tok" does not turn "Auth token" into "Auth [redacted]en";
// a longer one is replaced wherever it appears.
func secretReplacer(secrets []string) *redactor {
	r := &redactor{}
	var pairs []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, form := range jsonForms(s) {
			if len(s) < shortSecret {
				r.short = append(r.short, form)
			} else {
				pairs = append(pairs, form, redacted)
			}
		}
	}
	if pairs == nil && r.short == nil {
		return nil
	}
	if pairs != nil {
		r.long = strings.NewReplacer(pairs...)
	}
	return r
}

// shortSecret is the length below which a secret could plausibly occur
// inside an ordinary word.
const shortSecret = 16

// redactor replaces secrets in text; see secretReplacer.
type redactor struct {
	long  *strings.Replacer
	short []string
}

// Replace returns s with the secrets replaced by [redacted].
func (r *redactor) Replace(s string) string {
	if r.long != nil {
		s = r.long.Replace(s)
	}
	for _, secret := range r.short {
		s = replaceWord(s, secret)
	}
	return s
}

// replaceWord replaces the occurrences of w in s that are not part of a
// longer word.
func replaceWord(s, w string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, w)
		if i < 0 {
			break
		}
		end := i + len(w)
		isWord := (i == 0 || !wordByte(s[i-1])) && (end == len(s) || !wordByte(s[end]))
		b.WriteString(s[:i])
		if isWord {
			b.WriteString(redacted)
		} else {
			b.WriteString(w)
		}
		s = s[end:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(s)
	return b.String()
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// jsonForms returns s as JSON may write it inside a string: escaped with
// and without HTML escaping and with "/" as "\/", then s itself (escaped
// forms first, so that one holding s as a prefix is replaced whole).
func jsonForms(s string) []string {
	var forms []string
	seen := map[string]bool{s: true}
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			forms = append(forms, f)
		}
	}
	for _, html := range []bool{true, false} {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(html)
		if enc.Encode(s) != nil {
			continue
		}
		q := strings.TrimSuffix(buf.String(), "\n")
		q = q[1 : len(q)-1] // drop the quotes
		add(strings.ReplaceAll(q, "/", `\/`))
		add(q)
	}
	return append(forms, s)
}

// redacted stands in for secrets in every string the SDK produces.
const redacted = "[redacted]"

// Header names in canonical form, so lookups skip canonicalisation.
const (
	hdrRetryAfter      = "Retry-After"
	hdrLimit           = "X-Ratelimit-Limit"
	hdrRemaining       = "X-Ratelimit-Remaining"
	hdrAppLimit        = "X-Ratelimit-Limit-For-App"
	hdrAppRemaining    = "X-Ratelimit-Remaining-For-App"
	hdrReset           = "X-Ratelimit-Reset"
	hdrOldLimit        = "X-Rate-Limit"
	hdrOldLimitLimit   = "X-Rate-Limit-Limit"
	hdrOldRemaining    = "X-Rate-Limit-Remaining"
	hdrOldReset        = "X-Rate-Limit-Reset"
	hdrOldAppLimit     = "X-Rate-Limit-Limit-For-App"
	hdrOldAppRemaining = "X-Rate-Limit-Remaining-For-App"
)

// parseRateLimit reads the rate-limit headers of an answer, accepting both
// the X-RateLimit-* spelling CometChat sends and the older X-Rate-Limit-*.
// Absent or malformed headers leave zero values.
func parseRateLimit(h http.Header) RateLimit {
	rl := RateLimit{
		Limit:        headerInt(h, hdrLimit, hdrOldLimit, hdrOldLimitLimit),
		Remaining:    headerInt(h, hdrRemaining, hdrOldRemaining),
		AppLimit:     headerInt(h, hdrAppLimit, hdrOldAppLimit),
		AppRemaining: headerInt(h, hdrAppRemaining, hdrOldAppRemaining),
	}
	if secs := headerInt(h, hdrReset, hdrOldReset); secs > 0 {
		rl.Reset = time.Unix(int64(secs), 0)
	}
	return rl
}

// headerInt returns the first of names that holds a non-negative integer.
func headerInt(h http.Header, names ...string) int {
	for _, name := range names {
		if v := h[name]; len(v) > 0 {
			if n, err := strconv.Atoi(strings.TrimSpace(v[0])); err == nil && n >= 0 {
				return n
			}
		}
	}
	return 0
}

// parseServerWait returns the wait an answer asks for: Retry-After in
// seconds or as an HTTP date, else the rate-limit reset header (Unix
// seconds). ok is false when none is present and parseable; a time in the
// past is a zero wait.
func parseServerWait(h http.Header, now time.Time) (wait time.Duration, ok bool) {
	if v := h[hdrRetryAfter]; len(v) > 0 {
		s := strings.TrimSpace(v[0])
		if secs, err := strconv.ParseInt(s, 10, 64); err == nil && secs >= 0 {
			return min(time.Duration(min(secs, int64(maxRetryAfter/time.Second)))*time.Second, maxRetryAfter), true
		}
		if t, err := http.ParseTime(s); err == nil {
			return clampWait(t.Sub(now)), true
		}
	}
	if secs := headerInt(h, hdrReset, hdrOldReset); secs > 0 {
		return clampWait(time.Unix(int64(secs), 0).Sub(now)), true
	}
	return 0, false
}

// maxRetryAfter bounds what a server can ask for, so absurd headers cannot
// overflow a time.Duration.
const maxRetryAfter = 24 * time.Hour

func clampWait(d time.Duration) time.Duration {
	return min(max(d, 0), maxRetryAfter)
}

// wrapTransport turns a failure to get an answer into the SDK's error,
// naming the call by method and path only: the URL's query may hold
// personal data and is left out. Context errors stay matchable with
// errors.Is(err, context.Canceled) / context.DeadlineExceeded.
func wrapTransport(method, path string, err error) error {
	return fmt.Errorf("cometchat: %s %s: %w", method, path, err)
}
