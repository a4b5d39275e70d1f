package cometchattest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// The fake's own wire types. They deliberately share nothing with the SDK's, so an SDK that disagrees with the
// spec on a field name or shape fails against the fake instead of agreeing with itself.

type dataEnvelope struct {
	Data any       `json:"data"`
	Meta *listMeta `json:"meta,omitempty"`
}

type listMeta struct {
	Pagination pagination  `json:"pagination"`
	Cursor     *listCursor `json:"cursor,omitempty"`
}

type pagination struct {
	Total       int `json:"total"`
	Count       int `json:"count"`
	PerPage     int `json:"per_page"`
	CurrentPage int `json:"current_page"`
	TotalPages  int `json:"total_pages"`
}

type listCursor struct {
	UpdatedAt int64  `json:"updatedAt"`
	Affix     string `json:"affix"`
}

type wireUser struct {
	UID            string          `json:"uid"`
	Name           string          `json:"name"`
	Avatar         string          `json:"avatar,omitempty"`
	Link           string          `json:"link,omitempty"`
	Role           string          `json:"role"`
	StatusMessage  string          `json:"statusMessage,omitempty"`
	Metadata       json.RawMessage `json:"metadata,omitempty"`
	Status         string          `json:"status"`
	Tags           []string        `json:"tags,omitempty"`
	AuthToken      string          `json:"authToken,omitempty"`
	CreatedAt      int64           `json:"createdAt"`
	UpdatedAt      int64           `json:"updatedAt,omitempty"`
	LastActiveAt   int64           `json:"lastActiveAt,omitempty"`
	DeactivatedAt  int64           `json:"deactivatedAt,omitempty"`
	ConversationID string          `json:"conversationId,omitempty"`
	BlockedByMe    *bool           `json:"blockedByMe,omitempty"`
	HasBlockedMe   *bool           `json:"hasBlockedMe,omitempty"`
	BlockedByMeAt  int64           `json:"blockedByMeAt,omitempty"`
	BlockedAt      int64           `json:"blockedAt,omitempty"`
}

type wireToken struct {
	UID       string          `json:"uid"`
	AuthToken string          `json:"authToken"`
	CreatedAt int64           `json:"createdAt"`
	Platform  string          `json:"platform,omitempty"`
	UserAgent string          `json:"userAgent,omitempty"`
	AppInfo   json.RawMessage `json:"appInfo,omitempty"`
}

type successMessage struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
}

type errorEnvelope struct {
	Error wireError `json:"error"`
}

type wireError struct {
	Message    string  `json:"message"`
	DevMessage string  `json:"devMessage"`
	Source     string  `json:"source"`
	Code       string  `json:"code"`
	Details    details `json:"details,omitempty"`
}

// wire builds the JSON form of u. It must run under s.mu; the result shares only immutable values with u.
func (u *user) wire(withTags bool) wireUser {
	w := wireUser{
		UID:           u.uid,
		Name:          u.name,
		Avatar:        u.avatar,
		Link:          u.link,
		Role:          u.role,
		StatusMessage: u.statusMessage,
		Metadata:      u.metadata,
		Status:        u.status,
		CreatedAt:     u.createdAt,
		UpdatedAt:     u.updatedAt,
		LastActiveAt:  u.lastActiveAt,
		DeactivatedAt: u.deactivatedAt,
	}
	if withTags {
		w.Tags = u.tags
	}
	return w
}

func (t *token) wire(uid string) wireToken {
	return wireToken{
		UID:       uid,
		AuthToken: t.value,
		CreatedAt: t.createdAt,
		Platform:  t.platform,
		UserAgent: t.userAgent,
		AppInfo:   t.appInfo,
	}
}

var (
	bufPool      = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 2048)) }}
	contentJSON  = []string{"application/json"}
	escapedSlash = []byte(`\/`)
)

// answer is what a handler decided while holding the lock, written once the lock is released: an error when
// err.status is set, else 200 {"data": data} (and meta for lists).
type answer struct {
	err  apiError
	data any
	meta *listMeta
}

func failed(e apiError) answer { return answer{err: e} }

func (a answer) write(w http.ResponseWriter) {
	if a.err.status != 0 {
		writeError(w, a.err)
		return
	}
	writeData(w, a.data, a.meta)
}

func pageOf(total, count, perPage, page int) pagination {
	return pagination{
		Total:       total,
		Count:       count,
		PerPage:     perPage,
		CurrentPage: page,
		TotalPages:  (total + perPage - 1) / perPage,
	}
}

// writeData answers 200 {"data": v} (and meta for lists).
func writeData(w http.ResponseWriter, v any, meta *listMeta) {
	writeJSON(w, http.StatusOK, dataEnvelope{Data: v, Meta: meta})
}

// writeJSON encodes v into a pooled buffer (so the length is known and the connection stays keep-alive without
// chunking) and writes it escaping "/" as "\/", as the real server does. That rewrite is safe on any JSON text:
// outside strings JSON has no "/", and stored raw JSON is re-encoded on the way in, so it holds no "\/" escapes.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer putBuf(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Every value stored was decoded from JSON or checked by encoding it, so this is a bug in the fake.
		buf.Reset()
		status = http.StatusInternalServerError
		_ = enc.Encode(errorEnvelope{newError("ERR_EXCEPTION", "Something went wrong.", "cometchattest: encoding the response: "+err.Error())})
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})
	h := w.Header()
	h["Content-Type"] = contentJSON
	h["Content-Length"] = []string{strconv.Itoa(len(b) + bytes.Count(b, escapedSlash[1:]))}
	w.WriteHeader(status)
	writeEscapingSlash(w, b)
}

func writeEscapingSlash(w io.Writer, b []byte) {
	for {
		i := bytes.IndexByte(b, '/')
		if i < 0 {
			_, _ = w.Write(b)
			return
		}
		_, _ = w.Write(b[:i])
		_, _ = w.Write(escapedSlash)
		b = b[i+1:]
	}
}

func putBuf(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 { // let rare huge pages go rather than pin their memory in the pool
		bufPool.Put(buf)
	}
}

type deactivateResult struct {
	Deactivated        []string `json:"deactivatedUids,omitempty"`
	AlreadyDeactivated []string `json:"alreadyDeactivatedUids,omitempty"`
	NotFound           []string `json:"notFound,omitempty"`
}

type reactivateResult struct {
	Reactivated    []string `json:"reactivatedUids,omitempty"`
	NotDeactivated []string `json:"nonDeactivatedUids,omitempty"`
	NotFound       []string `json:"notFound,omitempty"`
}

type importResult struct {
	Success bool         `json:"success"`
	Data    *wireUser    `json:"data,omitempty"`
	Error   *importError `json:"error,omitempty"`
}

type importError struct {
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Details details `json:"details,omitempty"`
}

type wireRole struct {
	Role        string          `json:"role"`
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Metadata    json.RawMessage `json:"metadata,omitempty"`
	Settings    *roleSettings   `json:"settings,omitempty"`
	CreatedAt   int64           `json:"createdAt"`
	UpdatedAt   int64           `json:"updatedAt,omitempty"`
}

// wire builds the JSON form of a role; it runs under s.mu.
func (ro *role) wire() wireRole {
	out := wireRole{Role: ro.id, Name: ro.name, Description: ro.description, Metadata: ro.metadata,
		CreatedAt: ro.createdAt, UpdatedAt: ro.updatedAt}
	if ro.settings != nil {
		rs := *ro.settings
		out.Settings = &rs
	}
	return out
}

// batchEntry is the per-uid result of a friends or blocked-users call.
type batchEntry struct {
	Success bool        `json:"success"`
	Message string      `json:"message,omitempty"`
	Error   *entryError `json:"error,omitempty"`
}

type entryError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func entryOK(msg string) batchEntry { return batchEntry{Success: true, Message: msg} }

func entryFailed(e apiError) batchEntry {
	return batchEntry{Error: &entryError{Code: e.body.Code, Message: e.body.Message}}
}
