package cometchat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// Helpers shared by the tests of the auth tokens, roles, friends and blocked users services.

// requireValidationField asserts that err is a *ValidationError for field, matching ErrValidation.
func requireValidationField(t *testing.T, err error, field string) {
	t.Helper()
	require.Error(t, err)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve, "want a *ValidationError for %q, got %v", field, err)
	assert.Equal(t, field, ve.Field, "the field named by %v", err)
	assert.ErrorIs(t, err, ErrValidation)
	var apiErr *APIError
	assert.False(t, errors.As(err, &apiErr), "a *ValidationError is not an *APIError")
}

// jsonInner is s as the inside of a JSON string, escaped as encoding/json escapes it ("<" as \u003c).
func jsonInner(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// phpJSONInner is s as the inside of a JSON string, escaped as CometChat's PHP server escapes it: "/" as "\/" and
// everything beyond ASCII as \uXXXX.
func phpJSONInner(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '/':
			b.WriteString(`\` + string(r))
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// assertNoSecret asserts that s shows secret in none of the forms a server may echo it in: raw, escaped for a URL,
// escaped in JSON by Go or by PHP.
func assertNoSecret(t *testing.T, s, secret string) {
	t.Helper()
	for _, form := range []string{secret, url.PathEscape(secret), url.QueryEscape(secret), jsonInner(secret), phpJSONInner(secret)} {
		assert.NotContains(t, s, form, "the text shows the secret %q", secret)
	}
}

// answersWithoutData are 2xx answers that lack the data a method returns (a list when list is true, else one
// object): each must be an error matching ErrInvalidResponse, never an empty success.
func answersWithoutData(list bool) map[string]string {
	answers := map[string]string{
		"null data":      `{"data":null}`,
		"empty object":   `{}`,
		"null":           `null`,
		"error envelope": `{"error":{"message":"Failed to validate the data sent with the request.","source":"chat-api","code":"ERR_BAD_REQUEST"}}`,
		"not JSON":       `<html>OK</html>`,
		"empty body":     ``,
	}
	if list {
		answers["object instead of a list"] = `{"data":{}}`
		answers["meta only"] = `{"meta":{"pagination":{"total":1,"count":1,"per_page":100,"current_page":1,"total_pages":1}}}`
	} else {
		answers["list instead of an object"] = `{"data":[]}`
		answers["string instead of an object"] = `{"data":"ok"}`
	}
	return answers
}

// batchCalls are the SDK's batch calls, each acting for user_000 on uids and answered at path.
var batchCalls = map[string]struct {
	method, path string
	call         func(c *Client, uids ...string) (*BatchResult, error)
}{
	"Friends.Add": {"POST", "/users/user_000/friends", func(c *Client, uids ...string) (*BatchResult, error) {
		return c.Friends.Add(context.Background(), "user_000", uids...)
	}},
	"BlockedUsers.Block": {"POST", "/users/user_000/blockedusers", func(c *Client, uids ...string) (*BatchResult, error) {
		return c.BlockedUsers.Block(context.Background(), "user_000", uids...)
	}},
	"BlockedUsers.Unblock": {"DELETE", "/users/user_000/blockedusers", func(c *Client, uids ...string) (*BatchResult, error) {
		return c.BlockedUsers.Unblock(context.Background(), "user_000", uids...)
	}},
}

// answerShapes are the two shapes of a batch answer: entries keyed by uid in "data", or nested under "accepted".
var answerShapes = map[string]func(...string) string{"flat": flatAnswer, "nested": nestedAnswer}

// TestBatch_FailureEntriesBecomeAPIErrors: the server's entry for a failed uid comes flat ({"success":false,
// "code","message"}) or nested ({"success":false,"error":{...}}), its error possibly a bare string; each becomes an
// *APIError with the server's code and message, matching its sentinel, for every batch call and answer shape.
func TestBatch_FailureEntriesBecomeAPIErrors(t *testing.T) {
	entries := []struct {
		name  string
		entry string
		want  APIError
	}{
		{"flat", `{"success":false,"code":"ERR_ALREADY_FRIEND","message":"Already friends."}`,
			APIError{Code: "ERR_ALREADY_FRIEND", Message: "Already friends."}},
		{"nested", `{"success":false,"error":{"code":"ERR_UID_NOT_FOUND","message":"The UID user_001 does not exist.","devMessage":"Create it first.","source":"chat-api"}}`,
			APIError{Code: "ERR_UID_NOT_FOUND", Message: "The UID user_001 does not exist.", DevMessage: "Create it first.", Source: "chat-api"}},
		{"nested with details", `{"success":false,"error":{"code":"ERR_BAD_REQUEST","message":"Invalid.","details":{"uid":["The uid is invalid."]}}}`,
			APIError{Code: "ERR_BAD_REQUEST", Message: "Invalid.", Details: map[string][]string{"uid": {"The uid is invalid."}}}},
		{"error as a string", `{"success":false,"code":"ERR_NOT_A_FRIEND","error":"Not a friend."}`,
			APIError{Code: "ERR_NOT_A_FRIEND", Message: "Not a friend."}},
		{"nested error preferred", `{"success":false,"code":"ERR_X","message":"flat","error":{"code":"ERR_CANNOT_BLOCK_SELF","message":"nested"}}`,
			APIError{Code: "ERR_CANNOT_BLOCK_SELF", Message: "nested"}},
		{"message only", `{"success":false,"message":"Failed to add friend."}`, APIError{Message: "Failed to add friend."}},
	}
	for name, c := range batchCalls {
		for shape, answer := range answerShapes {
			for _, e := range entries {
				t.Run(name+"/"+shape+"/"+e.name, func(t *testing.T) {
					m := newMock(t)
					m.on(c.method, c.path).Reply(200).BodyString(answer(`"user_001":`+e.entry, `"user_002":{"success":true,"message":"ok"}`))

					res, err := c.call(m.Client, "user_001", "user_002")
					require.NoError(t, err)
					assert.Equal(t, []string{"user_002"}, res.Succeeded)
					require.Len(t, res.Failed, 1)
					var apiErr *APIError
					require.ErrorAs(t, res.Failed["user_001"], &apiErr)
					assert.Equal(t, e.want, *apiErr)
					if e.want.Code != "" {
						assert.Equal(t, "cometchat: "+e.want.Code+": "+e.want.Message, apiErr.Error())
					}
				})
			}
		}
	}
}

// TestBatch_FailureEntryWithoutReasonStillSaysSomething: {"success":false} alone is a failure whose error says the
// server gave no reason, never an empty message.
func TestBatch_FailureEntryWithoutReasonStillSaysSomething(t *testing.T) {
	for _, entry := range []string{`{"success":false}`, `{"success":false,"error":null}`, `{"success":false,"error":{}}`, `{"success":false,"error":""}`} {
		t.Run(entry, func(t *testing.T) {
			m := newMock(t)
			m.on("POST", "/users/user_000/friends").Reply(200).BodyString(flatAnswer(`"user_001":` + entry))

			res, err := m.Friends.Add(context.Background(), "user_000", "user_001")
			require.NoError(t, err)
			assert.Empty(t, res.Succeeded)
			var apiErr *APIError
			require.ErrorAs(t, res.Failed["user_001"], &apiErr)
			assert.Empty(t, apiErr.Code)
			assert.NotEmpty(t, apiErr.Message)
			assert.NotErrorIs(t, apiErr, ErrInvalidResponse, "the server did account for the uid")
		})
	}
}

// TestBatch_FailureEntriesNeverShowTheAPIKey: CometChat echoes the API key in some messages; a per-uid failure's
// error is redacted as a whole answer's is.
func TestBatch_FailureEntriesNeverShowTheAPIKey(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users/user_000/blockedusers").Reply(200).BodyString(flatAnswer(
		`"user_001":{"success":false,"error":{"code":"AUTH_ERR_NO_ACCESS","message":"The key ` + testKey + ` cannot be used.","devMessage":"The ` + testKey + ` key does not have enough clearance.","details":{"` + testKey + `":["` + testKey + `"]}}}`))

	res, err := m.BlockedUsers.Block(context.Background(), "user_000", "user_001")
	require.NoError(t, err)
	var apiErr *APIError
	require.ErrorAs(t, res.Failed["user_001"], &apiErr)
	assert.ErrorIs(t, apiErr, ErrNoAccess)
	assertNoSecret(t, fmt.Sprintf("%v %+v", apiErr, *apiErr), testKey)
	assert.Contains(t, apiErr.Message, "[redacted]")
}

// TestBatch_UIDNamedAccepted: a uid may be "accepted", the key the nested shape uses; it is read right in both
// shapes.
func TestBatch_UIDNamedAccepted(t *testing.T) {
	for shape, answer := range answerShapes {
		t.Run(shape, func(t *testing.T) {
			m := newMock(t)
			m.on("POST", "/users/user_000/friends").Reply(200).BodyString(answer(
				`"accepted":{"success":false,"code":"ERR_ALREADY_FRIEND","message":"Already friends."}`, `"bob":`+friendAdded))

			res, err := m.Friends.Add(context.Background(), "user_000", "accepted", "bob")
			require.NoError(t, err)
			assert.Equal(t, []string{"bob"}, res.Succeeded)
			require.Len(t, res.Failed, 1)
			assert.ErrorIs(t, res.Failed["accepted"], ErrAlreadyFriend)
		})
	}
}

// TestBatch_UnreadableEntryCountsAsLeftOut: an entry that is not a {"success": bool, ...} object does not say the
// uid succeeded: the uid is in Failed with an error matching ErrInvalidResponse, in either answer shape. In the flat
// shape the other entries keep their outcome.
func TestBatch_UnreadableEntryCountsAsLeftOut(t *testing.T) {
	for shape, answer := range answerShapes {
		for _, entry := range []string{`"ok"`, `true`, `[]`, `{"success":"true"}`, `{"success":1}`} {
			t.Run(shape+"/"+entry, func(t *testing.T) {
				m := newMock(t)
				m.on("POST", "/users/user_000/friends").Reply(200).BodyString(answer(`"user_001":`+entry, `"user_002":{"success":true}`))

				res, err := m.Friends.Add(context.Background(), "user_000", "user_001", "user_002")
				require.NoError(t, err)
				assert.NotContains(t, res.Succeeded, "user_001")
				assert.ErrorIs(t, res.Failed["user_001"], ErrInvalidResponse)
				if shape == "flat" {
					assert.Equal(t, []string{"user_002"}, res.Succeeded)
					assert.Len(t, res.Failed, 1)
				}
			})
		}
	}
}

// TestBatch_AnswerWithoutEntries: data without any entry leaves every uid in Failed with ErrInvalidResponse; an
// answer without data, or not an object, fails the batch as a whole.
func TestBatch_AnswerWithoutEntries(t *testing.T) {
	for name, answer := range map[string]string{"empty data": `{"data":{}}`, "empty accepted": `{"data":{"accepted":{}}}`} {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("POST", "/users/user_000/friends").Reply(200).BodyString(answer)

			res, err := m.Friends.Add(context.Background(), "user_000", "user_001", "user_002")
			require.NoError(t, err)
			assert.Empty(t, res.Succeeded)
			require.Len(t, res.Failed, 2)
			for _, err := range res.Failed {
				assert.ErrorIs(t, err, ErrInvalidResponse)
			}
		})
	}
	for name, c := range batchCalls {
		for what, answer := range answersWithoutData(false) {
			t.Run(name+"/"+what, func(t *testing.T) {
				m := newMock(t)
				m.on(c.method, c.path).Reply(200).BodyString(answer)

				res, err := c.call(m.Client, "user_001", "user_002")
				require.ErrorIs(t, err, ErrInvalidResponse)
				require.NotNil(t, res, "the result so far comes back with the error")
				assert.Empty(t, res.Succeeded)
				assert.Equal(t, map[string]error{"user_001": err, "user_002": err}, res.Failed)
			})
		}
	}
}

// TestBatch_EveryUIDInExactlyOneBucket: over several batches with mixed outcomes, every uid given is reported
// once, lowercased, successes in the order given.
func TestBatch_EveryUIDInExactlyOneBucket(t *testing.T) {
	var uids []string
	for i := 1; i <= 55; i++ {
		uids = append(uids, fmt.Sprintf("User_%02d", i))
	}
	given := append(slices.Clone(uids), "user_01", "USER_30") // repeats, in another case
	var lower []string
	for _, uid := range uids {
		lower = append(lower, strings.ToLower(uid))
	}
	// Each batch's answer: even uids succeed, multiples of 3 fail, the rest are left out.
	answer := func(batch []string) string {
		var entries []string
		for _, uid := range batch {
			var n int
			_, _ = fmt.Sscanf(uid, "user_%d", &n)
			switch {
			case n%2 == 0:
				entries = append(entries, `"`+strings.ToUpper(uid)+`":{"success":true}`)
			case n%3 == 0:
				entries = append(entries, `"`+uid+`":{"success":false,"error":{"code":"ERR_ALREADY_FRIEND","message":"x"}}`)
			}
		}
		return nestedAnswer(entries...)
	}
	m := newMock(t)
	for start := 0; start < len(lower); start += 25 {
		m.on("POST", "/users/user_000/friends").Reply(200).BodyString(answer(lower[start:min(start+25, len(lower))]))
	}

	res, err := m.Friends.Add(context.Background(), "user_000", given...)
	require.NoError(t, err)
	assert.Len(t, m.requests(), 3)
	var wantOK []string
	for i, uid := range lower {
		n := i + 1
		switch {
		case n%2 == 0:
			wantOK = append(wantOK, uid)
			assert.NotContains(t, res.Failed, uid)
		case n%3 == 0:
			assert.ErrorIs(t, res.Failed[uid], ErrAlreadyFriend, uid)
		default:
			assert.ErrorIs(t, res.Failed[uid], ErrInvalidResponse, uid)
		}
	}
	assert.Equal(t, wantOK, res.Succeeded)
	assert.Equal(t, len(lower), len(res.Succeeded)+len(res.Failed), "no uid twice, none missing")
}

// FuzzBatch_DecodesAnyAnswer: whatever a 200 answer to Friends.Add holds, the SDK does not panic, and every uid
// sent lands in exactly one bucket, or the call errs (with ErrInvalidResponse: the batch failed as a whole, its
// uids in Failed with that error, later batches not sent).
func FuzzBatch_DecodesAnyAnswer(f *testing.F) {
	f.Add(specFriendsAdded, uint8(2))
	f.Add(recordedBlock, uint8(1))
	f.Add(flatAnswer(`"friend_01":`+friendAdded, `"friend_02":{"success":false,"code":"ERR_ALREADY_FRIEND","message":"x"}`), uint8(3))
	f.Add(nestedAnswer(`"FRIEND_01":`+friendAdded, `"friend_02":{"success":false,"error":{"code":"ERR_UID_NOT_FOUND"}}`), uint8(30))
	f.Add(nestedAnswer(`"accepted":{"success":true}`), uint8(1))
	f.Add(flatAnswer(`"accepted":{"success":true}`, `"friend_01":{"success":false,"error":"no"}`), uint8(59))
	f.Add(`{"data":{"accepted":{"friend_01":"x"}}}`, uint8(2))
	f.Add(`{"data":{"friend_01":{"success":"yes"}}}`, uint8(1))
	f.Add(`{"data":{}}`, uint8(26))
	f.Add(`{"data":[]}`, uint8(1))
	f.Add(`{"data":null}`, uint8(1))
	f.Add(`{}`, uint8(1))
	f.Add(`null`, uint8(1))
	f.Add(``, uint8(1))
	f.Add(`{"error":{"code":"ERR_BAD_REQUEST","message":"no"}}`, uint8(1))
	f.Fuzz(func(t *testing.T, body string, n uint8) {
		count := int(n)%60 + 1
		friends := uidsFrom("Friend", count)
		var sent []string
		for _, uid := range friends {
			sent = append(sent, strings.ToLower(uid))
		}
		m := newMock(t)
		batches := (count + 24) / 25
		for range batches {
			m.on("POST", "/users/user_000/friends").Reply(200).BodyString(body)
		}

		res, err := m.Friends.Add(context.Background(), "user_000", friends...)
		require.NotNil(t, res, "past validation, Add always returns its result")
		requests := len(m.requests())
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidResponse)
			gock.Flush() // the later batches' answers are not asked for
		} else {
			require.Equal(t, batches, requests)
		}
		seen := make(map[string]bool)
		for _, uid := range res.Succeeded {
			require.False(t, seen[uid], "%s succeeded twice", uid)
			seen[uid] = true
		}
		for uid, e := range res.Failed {
			require.False(t, seen[uid], "%s both succeeded and failed", uid)
			require.Error(t, e, uid)
			var apiErr *APIError
			require.True(t, errors.As(e, &apiErr) || errors.Is(e, ErrInvalidResponse), "%s: %v", uid, e)
			if apiErr != nil {
				require.NotEmpty(t, apiErr.Code+apiErr.Message, uid)
			}
			seen[uid] = true
		}
		for i, uid := range sent {
			batch := i / 25
			switch {
			case batch < requests-1 || err == nil:
				require.True(t, seen[uid], "%s was sent and is in no bucket", uid)
			case batch == requests-1:
				require.Same(t, err, res.Failed[uid], "%s failed with its batch", uid)
			default:
				require.False(t, seen[uid], "%s was never sent", uid)
			}
		}
		require.Len(t, seen, min(requests*25, count), "only uids sent are reported")
		require.True(t, slices.IsSortedFunc(res.Succeeded, strings.Compare), "successes in the order given: %v", res.Succeeded)
	})
}

// One nested entry that does not decode must not hide the others (it once made the whole answer read flat).
func TestBatch_NestedUnreadableEntryDoesNotHideItsSiblings(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users/user_000/friends").Reply(200).BodyString(nestedAnswer(`"user_001":"ok"`, `"user_002":{"success":true}`))
	res, err := m.Friends.Add(context.Background(), "user_000", "user_001", "user_002")
	require.NoError(t, err)
	assert.Equal(t, []string{"user_002"}, res.Succeeded)
	assert.ErrorIs(t, res.Failed["user_001"], ErrInvalidResponse)
}

// A per-uid failure has no status and may have no code: its text must still read well.
func TestBatch_FailureEntryWithMessageOnlyReadsWell(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users/user_000/friends").Reply(200).BodyString(flatAnswer(`"user_001":{"success":false,"message":"Failed to add friend."}`))
	res, err := m.Friends.Add(context.Background(), "user_000", "user_001")
	require.NoError(t, err)
	assert.Equal(t, "cometchat: Failed to add friend.", res.Failed["user_001"].Error())
}

// An entry without a "success" flag says nothing about its uid: no outcome, so ErrInvalidResponse.
func TestBatch_EntryWithoutSuccessFlagCountsAsLeftOut(t *testing.T) {
	for _, entry := range []string{`null`, `{}`, `{"message":"Created relationship with status accepted."}`} {
		m := newMock(t)
		m.on("POST", "/users/user_000/friends").Reply(200).BodyString(flatAnswer(`"user_001":` + entry))
		res, err := m.Friends.Add(context.Background(), "user_000", "user_001")
		require.NoError(t, err)
		assert.ErrorIs(t, res.Failed["user_001"], ErrInvalidResponse, entry)
	}
}
