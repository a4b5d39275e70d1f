package cometchattest

import (
	"fmt"
	"net/http"
	"strconv"
)

// details is the per-field part of a validation error, keyed like the real API ("uid", "tags.0").
type details map[string][]string

func (d *details) add(field, msg string) {
	if *d == nil {
		*d = make(details)
	}
	(*d)[field] = append((*d)[field], msg)
}

// first is one message of d, for places (import entries) that carry a single message.
func (d details) first() string {
	best := ""
	for field := range d {
		if best == "" || field < best {
			best = field
		}
	}
	if best == "" {
		return ""
	}
	return d[best][0]
}

// apiError is an error answer: its status and its envelope.
type apiError struct {
	status int
	body   wireError
}

func newError(code, msg, dev string) wireError {
	return wireError{Message: msg, DevMessage: dev, Source: "chat-api", Code: code}
}

func writeError(w http.ResponseWriter, e apiError) {
	writeJSON(w, e.status, errorEnvelope{e.body})
}

const msgValidation = "Failed to validate the data sent with the request."

func errValidation(d details) apiError {
	e := newError("ERR_BAD_REQUEST", msgValidation, msgValidation)
	e.Details = d
	return apiError{http.StatusBadRequest, e}
}

// errBadBody is a body that is not JSON (or not the JSON shape the endpoint takes as a whole).
func errBadBody(dev string) apiError {
	return apiError{http.StatusBadRequest, newError("ERR_BAD_REQUEST",
		"The request body is not valid JSON.", dev)}
}

func errBodyTooLarge() apiError {
	msg := fmt.Sprintf("The request body is larger than %d bytes.", maxBodyBytes)
	return apiError{http.StatusRequestEntityTooLarge, newError("ERR_BAD_REQUEST", msg, msg)}
}

func errUIDNotFound(uid string) apiError {
	return apiError{http.StatusNotFound, newError("ERR_UID_NOT_FOUND",
		fmt.Sprintf("The UID %s does not exist, please make sure you have created a user with UID %s.", uid, uid),
		fmt.Sprintf("The UID %s does not exist, so please make sure you have created a user with UID %s.", uid, uid))}
}

func errUIDExists(uid string) apiError {
	return apiError{http.StatusBadRequest, newError("ERR_UID_ALREADY_EXISTS",
		fmt.Sprintf("The uid %s already exists. Please use another uid or try after permanently deleting the user.", uid),
		fmt.Sprintf("The uid %s already exists. Please use another uid or try recreating after permanently deleting the user.", uid))}
}

// errRoleNotFound is 400 for a user's role, 404 for a role the path names.
func errRoleNotFound(status int, role string) apiError {
	return apiError{status, newError("ERR_ROLE_NOT_FOUND",
		fmt.Sprintf("The role %s does not exist. Please create the role first.", role),
		fmt.Sprintf("The role %s does not exist, so please create the role %s before using it.", role, role))}
}

const msgTokenNotFound = "Auth token does not exist."

func errTokenNotFound() apiError {
	return apiError{http.StatusNotFound, newError("ERR_AUTH_TOKEN_NOT_FOUND", msgTokenNotFound, msgTokenNotFound)}
}

// errAPINotFound is production's answer to an unknown endpoint or method, as recorded.
func errAPINotFound() apiError {
	return apiError{http.StatusNotFound, newError("ERR_API_NOT_FOUND",
		"The API endpoint is invalid. Please verify the API call.",
		"The endpoint of the API is invalid. Please have the API call checked.")}
}

func errEmptyAPIKey() apiError {
	return apiError{http.StatusUnauthorized, newError("AUTH_ERR_EMPTY_APIKEY",
		"The apikey header is missing. Please pass your REST API key in the apikey header.",
		"The request has no apikey header, so please add the REST API key of your app in the apikey header.")}
}

// errAPIKeyNotFound echoes the key the caller sent, as the real API does; key is "" for injected faults.
func errAPIKeyNotFound(key string) apiError {
	if key != "" {
		key += " "
	}
	return apiError{http.StatusUnauthorized, newError("AUTH_ERR_APIKEY_NOT_FOUND",
		fmt.Sprintf("The key %sdoes not exist. Please make sure you are using a valid API key.", key),
		fmt.Sprintf("The key %sdoes not exist for this app, so please use a valid API key of the app.", key))}
}

func errNoAccess() apiError {
	return apiError{http.StatusForbidden, newError("AUTH_ERR_NO_ACCESS",
		"The key cannot be used to perform this operation. Please use API key with a correct scope to perform the operation.",
		"The key does not have enough clearance. To perform the operation, please use the API key with the correct scope.")}
}

// errPlanQuota is production's answer to creating past a plan's quota (recorded for feature "Create User" of the
// free plan, limit 25).
func errPlanQuota(feature string, limit int) apiError {
	msg := fmt.Sprintf("You've exhausted the quota. The allowed limit of the feature %s for your current plan "+
		"free-2023-01 is %d. Please upgrade the plan to increase the limit.", feature, limit)
	return apiError{http.StatusPaymentRequired, newError("ERR_PLAN_QUOTA_RESTRICTION", msg, msg)}
}

func errTooManyRequests(retryAfter int) apiError {
	msg := "Please retry for seconds after " + strconv.Itoa(retryAfter)
	return apiError{http.StatusTooManyRequests, newError("ERR_TOO_MANY_REQUESTS", msg, msg)}
}

func errMissionFailed(status int) apiError {
	return apiError{status, newError("ERR_MISSION_FAILED",
		"Something went wrong. Please try again later.",
		"The server failed to complete the operation, so please retry after some time.")}
}

// faultError is the envelope an injected fault with a Status and no Body answers with.
func faultError(status int) apiError {
	switch {
	case status == http.StatusUnauthorized:
		return errAPIKeyNotFound("")
	case status == http.StatusPaymentRequired:
		return errPlanQuota("Create User", 25)
	case status == http.StatusForbidden:
		return errNoAccess()
	case status == http.StatusNotFound:
		return errAPINotFound()
	case status == http.StatusTooManyRequests:
		return errTooManyRequests(1)
	case status >= 500:
		return errMissionFailed(status)
	default: // 400 and any other 4xx
		e := newError("ERR_BAD_REQUEST", "The request could not be processed.", "The request could not be processed.")
		return apiError{status, e}
	}
}

func errRoleDeleteDenied() apiError {
	return apiError{http.StatusBadRequest, newError("ERR_ROLE_DELETE_DENIED",
		"The default role can not be deleted.",
		"The role default is the default role of the app, so it can not be deleted.")}
}

func errSelfRelation() apiError {
	return apiError{http.StatusBadRequest, newError("ERR_CANNOT_FORM_SELF_RELATION",
		"A user cannot form a relationship with itself.",
		"The uid and the friend uid are the same, so no relationship can be formed.")}
}

func errAlreadyFriend(uid, friend string) apiError {
	msg := fmt.Sprintf("The user with UID %s is already a friend of the user with UID %s.", friend, uid)
	return apiError{http.StatusBadRequest, newError("ERR_ALREADY_FRIEND", msg, msg)}
}

func errNotAFriend(uid, friend string) apiError {
	msg := fmt.Sprintf("The user with UID %s is not a friend of the user with UID %s.", friend, uid)
	return apiError{http.StatusBadRequest, newError("ERR_NOT_A_FRIEND", msg, msg)}
}

// errFriendLimit is the failure of a friendship that would take one of the two users past 1,000 friends.
func errFriendLimit(full string) apiError {
	msg := fmt.Sprintf("Failed to add the friend: the user with UID %s already has %d friends.", full, maxFriends)
	return apiError{http.StatusBadRequest, newError("ERR_FAILED_TO_ADD_FRIEND", msg, msg)}
}

func errCannotBlockSelf() apiError {
	return apiError{http.StatusBadRequest, newError("ERR_CANNOT_BLOCK_SELF",
		"A user cannot block itself.", "The uid and the uid to block are the same, so the block is not possible.")}
}
