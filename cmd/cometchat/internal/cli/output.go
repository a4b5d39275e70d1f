package cli

// Output: every command that prints data prints objects with the API's own field names, in one of four formats
// (-o): an aligned table for people, JSON (an object for one, an array for a list), JSON Lines (one object a
// line) and CSV (a header row of the same names, as "users import" reads it). Data goes to stdout; messages,
// progress and errors to stderr.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gocometchat/cometchat"
)

// The output formats of -o.
const (
	formatTable = "table"
	formatJSON  = "json"
	formatJSONL = "jsonl"
	formatCSV   = "csv"
)

var formats = []string{formatTable, formatJSON, formatJSONL, formatCSV}

// field is one key of an object, in the API's name and form: strings, int64 Unix seconds for times, bools,
// []string, map[string]any, or a nested object.
type field struct {
	key   string
	value any
}

// object is an API object with its keys in the API's order; unset fields are left out, as the API does.
type object []field

// set appends key unless value is its type's zero (or an empty time, slice or map).
func (o *object) set(key string, value any) {
	switch v := value.(type) {
	case string:
		if v == "" {
			return
		}
	case bool:
		if !v {
			return
		}
	case time.Time:
		if v.IsZero() {
			return
		}
		value = v.Unix()
	case []string:
		if v == nil {
			return
		}
	case map[string]any:
		if v == nil {
			return
		}
	case object:
		if len(v) == 0 {
			return
		}
	}
	*o = append(*o, field{key, value})
}

func (o object) get(key string) (any, bool) {
	for _, f := range o {
		if f.key == key {
			return f.value, true
		}
	}
	return nil, false
}

// MarshalJSON writes the keys in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.key)
		b.Write(k)
		b.WriteByte(':')
		v, err := marshalJSON(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalJSON encodes v compactly without HTML escaping (URLs keep their &).
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// userObject is u as the API writes a user. Its auth token (only ever set by users create --with-auth-token,
// whose point is to mint one) is shown as the API gives it.
func userObject(u *cometchat.User) object {
	var o object
	o.set("uid", u.UID)
	o.set("name", u.Name)
	o.set("avatar", u.Avatar)
	o.set("link", u.Link)
	o.set("role", u.Role)
	o.set("statusMessage", u.StatusMessage)
	o.set("metadata", u.Metadata)
	o.set("status", string(u.Status))
	o.set("tags", u.Tags)
	o.set("authToken", u.AuthToken)
	o.set("createdAt", u.CreatedAt)
	o.set("updatedAt", u.UpdatedAt)
	o.set("lastActiveAt", u.LastActiveAt)
	o.set("deactivatedAt", u.DeactivatedAt)
	o.set("conversationId", u.ConversationID)
	o.set("blockedByMe", u.BlockedByMe)
	o.set("hasBlockedMe", u.HasBlockedMe)
	o.set("blockedByMeAt", u.BlockedByMeAt)
	o.set("blockedAt", u.BlockedAt)
	return o
}

// tokenObject is t as the API writes an auth token; the token itself redacted unless reveal.
func tokenObject(t *cometchat.AuthToken, reveal bool) object {
	var o object
	o.set("uid", t.UID)
	token := t.Token
	if !reveal {
		token = redactToken(token)
	}
	o.set("authToken", token)
	o.set("createdAt", t.CreatedAt)
	o.set("platform", t.Platform)
	o.set("userAgent", t.UserAgent)
	o.set("appInfo", t.AppInfo)
	return o
}

// redactToken keeps what identifies a token to its owner (the uid and the start of the timestamp, as the SDK's
// own formatting does) and hides the secret part.
func redactToken(token string) string {
	if token == "" {
		return ""
	}
	keep := strings.LastIndexByte(token, '_') + 1 + 4
	if len(token)-keep < 16 {
		return "[redacted]"
	}
	return token[:keep] + "…[redacted]"
}

// roleObject is r as the API writes a role.
func roleObject(r *cometchat.Role) object {
	var o object
	o.set("role", r.ID)
	o.set("name", r.Name)
	o.set("description", r.Description)
	o.set("metadata", r.Metadata)
	if s := r.Settings; s != nil {
		var so object
		so.set("listUsers", string(s.ListUsers))
		so.set("sendMessagesTo", string(s.SendMessagesTo))
		o.set("settings", so)
	}
	o.set("createdAt", r.CreatedAt)
	o.set("updatedAt", r.UpdatedAt)
	return o
}

// column is one column of a list: its key, and its header in a table.
type column struct {
	key, header string
}

// The columns of each kind of list. CSV has every column; a table the ones marked for it.
var (
	userColumns = []column{
		{"uid", "UID"}, {"name", "NAME"}, {"avatar", ""}, {"link", ""}, {"role", "ROLE"},
		{"statusMessage", ""}, {"metadata", ""}, {"tags", "TAGS"}, {"status", "STATUS"},
		{"createdAt", "CREATED"}, {"updatedAt", ""}, {"lastActiveAt", "LAST ACTIVE"}, {"deactivatedAt", ""},
	}
	friendColumns = append(slices.Clone(userColumns), column{"conversationId", ""},
		column{"blockedByMe", ""}, column{"hasBlockedMe", ""})
	blockedColumns = append(slices.Clone(userColumns), column{"conversationId", ""},
		column{"blockedByMeAt", "BLOCKED"})
	tokenColumns = []column{
		{"uid", "UID"}, {"authToken", "AUTH TOKEN"}, {"createdAt", "CREATED"}, {"platform", "PLATFORM"},
		{"userAgent", "USER AGENT"}, {"appInfo", ""},
	}
	roleColumns = []column{
		{"role", "ROLE"}, {"name", "NAME"}, {"description", "DESCRIPTION"}, {"metadata", ""},
		{"settings", "SETTINGS"}, {"createdAt", "CREATED"}, {"updatedAt", ""},
	}
	// resultColumns are the rows of a per-uid outcome (deactivate, friends add, block...).
	resultColumns = []column{{"uid", "UID"}, {"result", "RESULT"}, {"code", "CODE"}, {"message", "MESSAGE"}}
)

// listWriter writes a list of objects, one at a time, in a format. Close ends the list (a JSON array's "]", a
// table's alignment) and must be called even for an empty list.
type listWriter interface {
	add(o object) error
	close() error
}

// newListWriter returns the writer of format for lists of columns. empty is said on stderr when a table is
// empty ("no users").
func newListWriter(w, stderr io.Writer, format string, cols []column, empty string) listWriter {
	switch format {
	case formatJSON:
		return &jsonArrayWriter{w: w}
	case formatJSONL:
		return &jsonLinesWriter{w: w}
	case formatCSV:
		return &csvWriter{w: csv.NewWriter(w), cols: cols}
	}
	return &tableWriter{w: w, stderr: stderr, cols: cols, empty: empty}
}

type jsonArrayWriter struct {
	w io.Writer
	n int
}

func (j *jsonArrayWriter) add(o object) error {
	b, err := indentJSON(o, "  ")
	if err != nil {
		return err
	}
	sep := ",\n  "
	if j.n == 0 {
		sep = "[\n  "
	}
	j.n++
	_, err = io.WriteString(j.w, sep+string(b))
	return err
}

func (j *jsonArrayWriter) close() error {
	end := "\n]\n"
	if j.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

type jsonLinesWriter struct{ w io.Writer }

func (j *jsonLinesWriter) add(o object) error {
	b, err := marshalJSON(o)
	if err != nil {
		return err
	}
	_, err = j.w.Write(append(b, '\n'))
	return err
}

func (j *jsonLinesWriter) close() error { return nil }

type csvWriter struct {
	w      *csv.Writer
	cols   []column
	header bool
}

func (c *csvWriter) writeHeader() error {
	if c.header {
		return nil
	}
	c.header = true
	names := make([]string, len(c.cols))
	for i, col := range c.cols {
		names[i] = col.key
	}
	return c.w.Write(names)
}

func (c *csvWriter) add(o object) error {
	if err := c.writeHeader(); err != nil {
		return err
	}
	row := make([]string, len(c.cols))
	for i, col := range c.cols {
		if v, ok := o.get(col.key); ok {
			row[i] = csvCell(v)
		}
	}
	if err := c.w.Write(row); err != nil {
		return err
	}
	c.w.Flush() // stream: a reader of the pipe sees each row as it comes
	return c.w.Error()
}

func (c *csvWriter) close() error {
	if err := c.writeHeader(); err != nil {
		return err
	}
	c.w.Flush()
	return c.w.Error()
}

// csvCell writes a value as "users import" reads it: times as Unix seconds, tags as a|b (a JSON array when a
// tag holds a "|" or spaces at its ends), metadata and other objects as JSON.
func csvCell(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		return strconv.FormatBool(v)
	case []string:
		plain := true
		for _, t := range v {
			if t == "" || strings.Contains(t, "|") || strings.TrimSpace(t) != t || strings.HasPrefix(t, "[") {
				plain = false
			}
		}
		if plain && len(v) > 0 {
			return strings.Join(v, "|")
		}
	}
	b, _ := marshalJSON(v)
	return string(b)
}

type tableWriter struct {
	w, stderr io.Writer
	cols      []column
	empty     string
	rows      [][]string
}

func (t *tableWriter) add(o object) error {
	var row []string
	for _, col := range t.cols {
		if col.header == "" {
			continue
		}
		v, _ := o.get(col.key)
		row = append(row, tableCell(col.key, v))
	}
	t.rows = append(t.rows, row)
	return nil
}

func (t *tableWriter) close() error {
	if len(t.rows) == 0 {
		if t.empty != "" {
			fmt.Fprintln(t.stderr, t.empty)
		}
		return nil
	}
	tw := tabwriter.NewWriter(t.w, 0, 0, 2, ' ', 0)
	var header []string
	for _, col := range t.cols {
		if col.header != "" {
			header = append(header, col.header)
		}
	}
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, row := range t.rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}

// tableCell shows a value to a person: times in UTC, tags comma-separated, objects as JSON, nothing for unset.
func tableCell(key string, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case int64:
		if strings.HasSuffix(key, "At") {
			return time.Unix(v, 0).UTC().Format("2006-01-02 15:04:05Z")
		}
		return strconv.FormatInt(v, 10)
	case []string:
		return strings.Join(v, ",")
	case string:
		return strings.NewReplacer("\n", " ", "\t", " ").Replace(v)
	}
	b, _ := marshalJSON(v)
	return string(b)
}

// writeObject prints one object: as itself in JSON, one line in JSON Lines, a header and a row in CSV, and
// "key  value" lines in a table.
func writeObject(w io.Writer, format string, cols []column, o object) error {
	switch format {
	case formatJSON:
		b, err := indentJSON(o, "")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	case formatJSONL, formatCSV:
		lw := newListWriter(w, io.Discard, format, cols, "")
		if err := lw.add(o); err != nil {
			return err
		}
		return lw.close()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range o {
		fmt.Fprintf(tw, "%s\t%s\n", f.key, tableCell(f.key, f.value))
	}
	return tw.Flush()
}

// indentJSON encodes o indented by two spaces, every line after the first prefixed.
func indentJSON(o object, prefix string) ([]byte, error) {
	b, err := marshalJSON(o)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, prefix, "  "); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// outcome is one uid's result in a call on many users at once.
type outcome struct {
	uid, result string
	err         error // the API's refusal for this uid
}

// writeOutcomes prints per-uid results. JSON keeps the API's shape of such answers: an object keyed by uid whose
// values are {"success":true} or {"success":false,"error":{"code","message"}}; JSON Lines, CSV and tables have
// one row per uid with its result.
func writeOutcomes(w, stderr io.Writer, format string, outs []outcome) error {
	if format == formatJSON {
		var o object
		for _, out := range outs {
			o = append(o, field{out.uid, outcomeEntry(out)})
		}
		b, err := indentJSON(o, "")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	}
	cols := resultColumns
	if format == formatTable && !slices.ContainsFunc(outs, func(o outcome) bool { return o.err != nil }) {
		cols = cols[:2] // no code or message to show
	}
	lw := newListWriter(w, stderr, format, cols, "")
	for _, out := range outs {
		var o object
		o.set("uid", out.uid)
		o.set("result", out.result)
		if e, ok := apiError(out.err); ok {
			o.set("code", e.Code)
			o.set("message", e.Message)
		} else if out.err != nil {
			o.set("message", out.err.Error())
		}
		if err := lw.add(o); err != nil {
			return err
		}
	}
	return lw.close()
}

func outcomeEntry(out outcome) object {
	var o object
	o = append(o, field{"success", out.err == nil})
	if out.err == nil {
		o.set("result", out.result)
		return o
	}
	var eo object
	if e, ok := apiError(out.err); ok {
		eo.set("code", e.Code)
		eo.set("message", e.Message)
	} else {
		eo.set("message", out.err.Error())
	}
	o.set("error", eo)
	return o
}

// bucketObject is a result that sorts uids into buckets, keyed as the API answers (deactivatedUids, ...).
func bucketObject(buckets ...bucket) object {
	var o object
	for _, b := range buckets {
		uids := b.uids
		if uids == nil {
			uids = []string{}
		}
		o = append(o, field{b.key, uids})
	}
	return o
}

type bucket struct {
	key, result string
	uids        []string
}

// bucketOutcomes flattens buckets into per-uid outcomes, in the order given.
func bucketOutcomes(order []string, buckets ...bucket) []outcome {
	res := map[string]string{}
	for _, b := range buckets {
		for _, uid := range b.uids {
			res[strings.ToLower(uid)] = b.result
		}
	}
	var outs []outcome
	for _, uid := range uniqueLower(order) {
		outs = append(outs, outcome{uid: uid, result: res[uid]})
	}
	return outs
}

// batchOutcomes flattens a BatchResult into per-uid outcomes in the order given.
func batchOutcomes(order []string, ok string, r *cometchat.BatchResult) []outcome {
	if r == nil {
		return nil
	}
	var outs []outcome
	for _, uid := range uniqueLower(order) {
		switch {
		case slices.Contains(r.Succeeded, uid):
			outs = append(outs, outcome{uid: uid, result: ok})
		case r.Failed[uid] != nil:
			outs = append(outs, outcome{uid: uid, result: "failed", err: r.Failed[uid]})
		}
	}
	return outs
}

// uniqueLower returns uids lowercased (the server's form), each once, in the order given.
func uniqueLower(uids []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, uid := range uids {
		if uid = strings.ToLower(uid); !seen[uid] {
			seen[uid] = true
			out = append(out, uid)
		}
	}
	return out
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
