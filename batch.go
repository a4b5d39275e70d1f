package cometchat

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/gocometchat/cometchat/internal/wire"
)

// maxBatch is how many uids one friends or blocked-users request carries: the API's limit for friends (25 per
// request); the same for blocked users, whose limit is UNCONFIRMED.
const maxBatch = 25

// BatchResult is the per-uid outcome of a call that acts on several users at once (friends, blocking). Every uid
// sent is in exactly one of Succeeded or Failed, lowercased (the server's form); repeats are sent once.
type BatchResult struct {
	Succeeded []string         // in the order given
	Failed    map[string]error // uid → *APIError built from the server's entry for it (Code, Message)
}

func (r *BatchResult) fail(uid string, err error) {
	if r.Failed == nil {
		r.Failed = make(map[string]error)
	}
	r.Failed[uid] = err
}

// validateOthers checks the uids a user acts on (friends, users to block): uid itself valid, at least one other,
// each valid and none the user itself (compared case-insensitively, as the server lowercases). It returns the
// others lowercased without repeats.
func validateOthers(field, uid string, others []string) ([]string, error) {
	if err := validateUID("uid", uid); err != nil {
		return nil, err
	}
	out, err := normalizeUIDs(field, others)
	if err != nil {
		return nil, err
	}
	for i, o := range others {
		if strings.EqualFold(o, uid) {
			return nil, invalid(field+"["+strconv.Itoa(i)+"]", "must not be the user itself")
		}
	}
	return out, nil
}

// batches calls send with the uids in batches of maxBatch, in order, one after another, and merges the results.
// When a batch fails as a whole, its uids go to Failed with that error, later batches are not sent, and the
// result so far comes back with the error.
func batches(uids []string, send func(batch []string) (*BatchResult, error)) (*BatchResult, error) {
	out := &BatchResult{}
	for start := 0; start < len(uids); start += maxBatch {
		batch := uids[start:min(start+maxBatch, len(uids))]
		res, err := send(batch)
		if err != nil {
			for _, uid := range batch {
				out.fail(uid, err)
			}
			return out, err
		}
		out.Succeeded = append(out.Succeeded, res.Succeeded...)
		for uid, err := range res.Failed {
			out.fail(uid, err)
		}
	}
	return out, nil
}

// sendBatch performs a batch call whose answer's data holds an entry per uid, keyed by uid, directly
// ({"data":{"<uid>":{...}}}, as recorded for blocks) or under "accepted" ({"data":{"accepted":{"<uid>":{...}}}},
// the spec's example for friends): both are accepted. A uid the answer leaves out is in Failed with an error
// matching ErrInvalidResponse.
func (c *Client) sendBatch(ctx context.Context, method, path, key string, batch []string) (*BatchResult, error) {
	var env wire.One[map[string]json.RawMessage]
	if err := c.do(ctx, method, path, nil, map[string][]string{key: batch}, &env, wire.Unmarshal, nil); err != nil {
		return nil, err
	}
	if env.Data == nil {
		return nil, errNoData(method, path)
	}
	entries := batchEntries(*env.Data)
	red := c.redactor(&request{})
	res := &BatchResult{}
	for _, uid := range batch {
		e, ok := findEntry(entries, uid)
		switch {
		case ok && e.Succeeded():
			res.Succeeded = append(res.Succeeded, uid)
		case ok && e.Failed():
			res.fail(uid, entryError(e.Failure(), red))
		default:
			res.fail(uid, &requestError{kind: ErrInvalidResponse,
				msg: fmt.Sprintf("%v: %s %s: the answer has no outcome for uid %s", ErrInvalidResponse, method, path, uid)})
		}
	}
	return res, nil
}

type batchEntry = wire.Entry[json.RawMessage]

// batchEntries reads an answer's entries, flat or nested under "accepted". An entry that does not decode is left
// out (its uid then has no outcome) without hiding the others.
func batchEntries(data map[string]json.RawMessage) map[string]batchEntry {
	if nested, ok := data["accepted"]; ok && !isEntry(nested) {
		var inner map[string]json.RawMessage
		if json.Unmarshal(nested, &inner) == nil {
			data = inner
		}
	}
	m := make(map[string]batchEntry, len(data))
	for k, raw := range data {
		var e batchEntry
		if json.Unmarshal(raw, &e) == nil {
			m[k] = e
		}
	}
	return m
}

// isEntry reports whether raw is one uid's entry ({"success": bool, ...}) rather than a map of them.
func isEntry(raw json.RawMessage) bool {
	var probe struct {
		Success *bool `json:"success"`
	}
	return json.Unmarshal(raw, &probe) == nil && probe.Success != nil
}

// findEntry finds uid's entry, its key compared case-insensitively.
func findEntry(entries map[string]batchEntry, uid string) (batchEntry, bool) {
	if e, ok := entries[uid]; ok {
		return e, true
	}
	for k, e := range entries {
		if strings.EqualFold(k, uid) {
			return e, true
		}
	}
	return batchEntry{}, false
}
