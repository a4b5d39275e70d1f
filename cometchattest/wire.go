package cometchattest

import (
	"bytes"
	"encoding/json"
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

var contentJSON = []string{"application/json"}

// listBufs recycles the bodies of list answers (often 100 KB and more): measured, it doubles List throughput on
// two cores by sparing the garbage collector (BenchmarkServer_ListUsers). Other answers are small and allocate.
var listBufs = sync.Pool{New: func() any { return new([]byte) }}

func getListBuf(n int) *[]byte {
	buf := listBufs.Get().(*[]byte)
	if cap(*buf) < n {
		*buf = make([]byte, 0, n)
	}
	return buf
}

// putListBuf returns buf once the answer is written (ResponseWriter.Write does not keep it); rare huge pages are
// let go rather than pinned in the pool.
func putListBuf(buf *[]byte) {
	if cap(*buf) <= 1<<20 {
		listBufs.Put(buf)
	}
}

// writeData answers 200 {"data": v} (and meta for lists). Users (a userView or a []userView) are spliced in from
// their cached encodings; anything else goes through encoding/json.
func writeData(w http.ResponseWriter, v any, meta *listMeta) {
	switch d := v.(type) {
	case userView:
		b := make([]byte, 0, 10+d.size())
		b = append(b, `{"data":`...)
		b = appendUser(b, &d)
		writeBody(w, http.StatusOK, append(b, '}'))
	case []userView:
		n := 160
		for i := range d {
			n += d[i].size() + 1
		}
		buf := getListBuf(n)
		defer putListBuf(buf)
		b := append((*buf)[:0], `{"data":[`...)
		for i := range d {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendUser(b, &d[i])
		}
		b = append(b, ']')
		if meta != nil {
			b = appendMeta(b, meta)
		}
		b = append(b, '}')
		*buf = b
		writeBody(w, http.StatusOK, b)
	default:
		writeJSON(w, http.StatusOK, dataEnvelope{Data: v, Meta: meta})
	}
}

// writeJSON encodes v with encoding/json, escaping "/" as "\/" as the real server does, and writes it at once.
// The rewrite is safe on any JSON text encoding/json makes with HTML escaping off: outside strings JSON has no
// "/", and stored raw JSON is re-encoded on the way in, so it holds no "\/" escapes.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Every value stored was decoded from JSON or checked by encoding it, so this is a bug in the fake.
		buf.Reset()
		status = http.StatusInternalServerError
		_ = enc.Encode(errorEnvelope{newError("ERR_EXCEPTION", "Something went wrong.", "cometchattest: encoding the response: "+err.Error())})
	}
	raw := bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})
	writeBody(w, status, appendEscapingSlash(make([]byte, 0, len(raw)+bytes.Count(raw, []byte{'/'})), raw))
}

// marshalJSON encodes v like writeJSON (no HTML escaping) without the final newline; v must be encodable.
func marshalJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("cometchattest: encoding " + err.Error()) // a bug in the fake: only plain values come here
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})
}

// writeBody writes a JSON answer in one write, with its length, so the connection stays keep-alive without
// chunking.
func writeBody(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h["Content-Type"] = contentJSON
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	_, _ = w.Write(b)
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
	Error   *importError `json:"error,omitempty"`
	user    *userView    // the imported user, when Success
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
