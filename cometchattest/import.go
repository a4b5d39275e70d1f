package cometchattest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// importInput is one user of POST /data_import/users. Timestamps come as strings of Unix seconds; numbers are
// accepted too.
type importInput struct {
	userInput
	CreatedAt    json.RawMessage `json:"createdAt"`
	LastActiveAt json.RawMessage `json:"lastActiveAt"`
}

type importEntry struct {
	key string
	raw json.RawMessage
}

// importUsers serves POST /data_import/users. Each user succeeds or fails on its own; the answer has one entry
// per key of the request, under that key as sent.
func (s *Server) importUsers(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Users json.RawMessage `json:"users"`
	}
	if !readBody(w, r, &body) {
		return
	}
	entries, d := parseImportEntries(body.Users)
	if d != nil {
		writeError(w, errValidation(d))
		return
	}
	now := s.now().Unix()
	results := make([]importResult, len(entries))
	valid := make([]*user, len(entries))
	for i, en := range entries {
		u, ierr := s.importUser(en, now)
		if ierr != nil {
			results[i] = importResult{Error: ierr}
			continue
		}
		valid[i] = u
	}
	s.mu.Lock()
	for i, u := range valid {
		if u == nil {
			continue
		}
		var e apiError
		if e, _ = s.roleExists(u.role); e.status == 0 {
			switch {
			case s.st.byUID[u.uid] != nil: // taken before, or earlier in this request
				e = errUIDExists(u.uid)
			case s.overUserLimit():
				e = errPlanQuota("Create User", s.userLimit)
			}
		}
		if e.status != 0 {
			results[i] = importResult{Error: &importError{Code: e.body.Code, Message: e.body.Message}}
			continue
		}
		s.st.insert(u)
		out := u.view(true)
		results[i] = importResult{Success: true, user: &out}
	}
	s.mu.Unlock()
	writeImportResults(w, entries, results)
}

// writeImportResults answers {"data":{"<key>": result, …}} in the order of the request's keys.
func writeImportResults(w http.ResponseWriter, entries []importEntry, results []importResult) {
	b := append(make([]byte, 0, 256*len(entries)), `{"data":{`...)
	for i := range results {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, entries[i].key), ':')
		if r := &results[i]; r.user != nil {
			b = append(b, `{"success":true,"data":`...)
			b = append(appendUser(b, r.user), '}')
		} else {
			b = appendEscapingSlash(b, marshalJSON(r))
		}
	}
	writeBody(w, http.StatusOK, append(b, '}', '}'))
}

// parseImportEntries reads the users object in order, so duplicates within a request fail deterministically. A
// key repeated verbatim keeps its last value, as a JSON decoder on the real server would.
func parseImportEntries(raw json.RawMessage) ([]importEntry, details) {
	var d details
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		d.add("users", "The users field is required.")
		return nil, d
	}
	if raw[0] != '{' {
		d.add("users", "The users must be an object keyed by uid.")
		return nil, d
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	_, _ = dec.Token() // the '{' checked above; raw is valid JSON, the body decoded
	var entries []importEntry
	seen := make(map[string]int)
	for dec.More() {
		tok, err := dec.Token()
		key, isKey := tok.(string)
		var v json.RawMessage
		if err != nil || !isKey || dec.Decode(&v) != nil {
			d.add("users", "The users must be an object keyed by uid.")
			return nil, d
		}
		if i, dup := seen[key]; dup {
			entries[i].raw = v
			continue
		}
		seen[key] = len(entries)
		entries = append(entries, importEntry{key, v})
	}
	switch {
	case len(entries) == 0:
		d.add("users", "The users field is required.")
	case len(entries) > maxImportPerCall:
		d.add("users", "The users may not have more than 50 items.")
	}
	if d != nil {
		return nil, d
	}
	return entries, nil
}

// importUser validates one entry and builds its user, or says why the entry fails.
func (s *Server) importUser(en importEntry, now int64) (*user, *importError) {
	if len(en.raw) == 0 || en.raw[0] != '{' {
		return nil, &importError{Code: "ERR_IMPORT_INVALID_USER_FORMAT", Message: "The user " + en.key + " is not a JSON object."}
	}
	var in importInput
	if e, ok := decodeInto(en.raw, &in); !ok {
		return nil, &importError{Code: e.body.Code, Message: firstMessage(e.body), Details: e.body.Details}
	}
	if in.UID == "" || lowerASCII(in.UID) != lowerASCII(en.key) {
		return nil, &importError{Code: "ERR_IMPORT_INVALID_USER_FORMAT",
			Message: "The uid of the user must match its key " + en.key + "."}
	}
	var d details
	u := in.toUser(&d)
	createdAt := parseTimestamp(&d, "createdAt", in.CreatedAt)
	lastActiveAt := parseTimestamp(&d, "lastActiveAt", in.LastActiveAt)
	if d != nil {
		return nil, &importError{Code: "ERR_BAD_REQUEST", Message: d.first(), Details: d}
	}
	u.createdAt, u.lastActiveAt = createdAt, lastActiveAt
	if u.createdAt == 0 {
		u.createdAt = now
	}
	return u, nil
}

func firstMessage(e wireError) string {
	if m := e.Details.first(); m != "" {
		return m
	}
	return e.Message
}

// parseTimestamp reads Unix seconds sent as a string or a number; absent, null, "" and 0 mean not sent.
func parseTimestamp(d *details, field string, raw json.RawMessage) int64 {
	if len(raw) == 0 || string(raw) == "null" {
		return 0
	}
	text := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			text = "x"
		}
		if text == "" {
			return 0
		}
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 0 {
		d.add(field, "The "+field+" must be a valid Unix timestamp in seconds.")
		return 0
	}
	return n
}
