package userimport

// Streaming readers of the input: CSV with a header row, or JSON Lines. Both
// yield one record at a time, so the input is never held in memory. A
// record that cannot be read (bad quoting, wrong field count, bad JSON, a
// value of the wrong form) comes back with Err set and its line number; it
// does not stop the reader.

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gocometchat/cometchat"
)

// Columns are the fields import reads: the columns of a CSV input (its header row names them, in any order and
// case; uid and name are required) and the keys of a JSON Lines one. They are the API's own field names.
var Columns = []string{
	"uid", "name", "avatar", "link", "role", "statusMessage", "metadata", "tags", "createdAt", "lastActiveAt",
}

// IgnoredColumns are the other fields of the API's user object: import cannot set them, so a CSV or JSON Lines
// file written by "cometchat users export" or "users list" (which carry them) imports as it is, without them.
// Any other column or key is refused, to catch a misspelt one.
var IgnoredColumns = []string{
	"status", "authToken", "updatedAt", "deactivatedAt", "conversationId",
	"blockedByMe", "hasBlockedMe", "blockedByMeAt", "blockedAt",
}

// maxLine bounds one JSONL line (and so one user); longer lines are
// reported as malformed and skipped.
const maxLine = 1 << 20

// record is one user of the input as read.
type record struct {
	Line   int                   // where the record starts in the input, from 1
	Fields map[string]any        // its values by field name: strings from CSV, JSON values from JSONL
	Raw    any                   // what was read when it could not be split into fields: a string or []string
	User   *cometchat.ImportUser // nil when Err is set
	Err    error                 // why the record is malformed (a *fieldError or a parse error)
	Prior  *entry                // the report's failure this record retries, if any
}

// fieldError is a value of the wrong form, e.g. a createdAt that is neither
// Unix seconds nor RFC 3339.
type fieldError struct {
	Field, Reason string
}

// Error names the field and what its value must be.
func (e *fieldError) Error() string { return e.Field + ": " + e.Reason }

// recordReader yields the records of an input in order; io.EOF at the end.
type recordReader interface {
	Next() (*record, error)
}

// newReader returns the reader for format ("csv" or "jsonl").
func newReader(format string, in io.Reader) (recordReader, error) {
	switch format {
	case "csv":
		return newCSVReader(in)
	case "jsonl":
		return newJSONLReader(in), nil
	}
	return nil, fmt.Errorf("unknown format %q (want csv or jsonl)", format)
}

// formatOf guesses the format from a file name: .csv, or .jsonl, .ndjson
// and .json for JSON Lines.
func formatOf(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".csv"):
		return "csv"
	case strings.HasSuffix(lower, ".jsonl"), strings.HasSuffix(lower, ".ndjson"), strings.HasSuffix(lower, ".json"):
		return "jsonl"
	}
	return ""
}

// canonicalField maps a header cell or key to its field name, ignoring case
// ("createdat" is createdAt); "" when unknown. ignored is true for the
// fields of IgnoredColumns, whose name is then returned too.
func canonicalField(name string) (field string, ignored bool) {
	name = strings.TrimSpace(name)
	for _, f := range Columns {
		if strings.EqualFold(name, f) {
			return f, false
		}
	}
	for _, f := range IgnoredColumns {
		if strings.EqualFold(name, f) {
			return f, true
		}
	}
	return "", false
}

// unknownField is the error of a column or key that is neither read nor ignored.
func unknownField(what, name string) error {
	return fmt.Errorf("unknown %s %q (known: %s; ignored: %s)", what, name, strings.Join(Columns, ", "), strings.Join(IgnoredColumns, ", "))
}

type csvReader struct {
	r      *csv.Reader
	header []string // field name of each column; "" for an ignored one
}

func newCSVReader(in io.Reader) (*csvReader, error) {
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1 // checked per record, so that one bad row is not fatal
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the CSV input is empty: want a header row (uid,name,...)")
	}
	if err != nil {
		return nil, fmt.Errorf("reading the CSV header: %w", err)
	}
	c := &csvReader{r: r, header: make([]string, len(header))}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF") // a byte order mark from spreadsheet exports
		}
		f, ignored := canonicalField(h)
		switch {
		case f == "":
			return nil, fmt.Errorf("CSV header: %w", unknownField("column", h))
		case slices.Contains(c.header[:i], f):
			return nil, fmt.Errorf("CSV header: column %q appears twice", f)
		case !ignored:
			c.header[i] = f
		}
	}
	if !slices.Contains(c.header, "uid") || !slices.Contains(c.header, "name") {
		return nil, errors.New("CSV header: the uid and name columns are required")
	}
	return c, nil
}

// Next reads the next row: a record, with Err set when the row is malformed.
func (c *csvReader) Next() (*record, error) {
	row, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &record{Line: pe.StartLine, Raw: slices.Clone(row), Err: errors.New(pe.Err.Error())}, nil
	}
	if err != nil {
		return nil, err
	}
	line, _ := c.r.FieldPos(0)
	rec := &record{Line: line}
	if len(row) != len(c.header) {
		rec.Raw = slices.Clone(row)
		rec.Err = fmt.Errorf("has %d fields, the header has %d", len(row), len(c.header))
		return rec, nil
	}
	rec.Fields = make(map[string]any, len(row))
	for i, v := range row {
		if v != "" && c.header[i] != "" {
			rec.Fields[c.header[i]] = v
		}
	}
	rec.User, rec.Err = userFromFields(rec.Fields)
	return rec, nil
}

type jsonlReader struct {
	r    *bufio.Reader
	line int
}

func newJSONLReader(in io.Reader) *jsonlReader {
	return &jsonlReader{r: bufio.NewReaderSize(in, 64<<10)}
}

// readLine returns the next line without its end; a line longer than
// maxLine is consumed and reported as too long.
func (j *jsonlReader) readLine() (line []byte, tooLong bool, err error) {
	for {
		chunk, isPrefix, err := j.r.ReadLine()
		if err != nil {
			return nil, false, err
		}
		if !tooLong {
			if len(line)+len(chunk) > maxLine {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if !isPrefix {
			return line, tooLong, nil
		}
	}
}

// Next reads the next non-blank line: a record, with Err set when the line is malformed.
func (j *jsonlReader) Next() (*record, error) {
	for {
		line, tooLong, err := j.readLine()
		if err != nil {
			return nil, err // io.EOF at the end
		}
		j.line++
		if tooLong {
			return &record{Line: j.line, Err: fmt.Errorf("line longer than %d bytes", maxLine)}, nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue // blank lines are allowed
		}
		rec := &record{Line: j.line}
		rec.Fields, rec.Err = decodeObject(line)
		if rec.Err != nil {
			rec.Raw = string(line)
			return rec, nil
		}
		rec.User, rec.Err = userFromFields(rec.Fields)
		return rec, nil
	}
}

// decodeObject reads one JSON object of user fields (numbers kept exact).
func decodeObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("not valid JSON: more than one value on the line")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("not a JSON object")
	}
	fields := make(map[string]any, len(obj))
	for k, val := range obj {
		f, ignored := canonicalField(k)
		if f == "" {
			return nil, unknownField("field", k)
		}
		if val != nil && !ignored {
			fields[f] = val
		}
	}
	return fields, nil
}

// userFromFields builds the user of a record. Values may be strings (CSV,
// or JSON written by hand) or JSON values: metadata an object or a string
// holding one; tags an array, a JSON array in a string, or "a|b|c";
// createdAt and lastActiveAt Unix seconds (number or string) or RFC 3339.
// The user is not validated here (see cometchat.ImportUser.Validate).
func userFromFields(f map[string]any) (*cometchat.ImportUser, error) {
	u := &cometchat.ImportUser{}
	strs := []struct {
		name string
		dst  *string
	}{
		{"uid", &u.UID}, {"name", &u.Name}, {"avatar", &u.Avatar}, {"link", &u.Link},
		{"role", &u.Role}, {"statusMessage", &u.StatusMessage},
	}
	for _, s := range strs {
		v, ok := f[s.name]
		if !ok {
			continue
		}
		switch v := v.(type) {
		case string:
			*s.dst = v
		case json.Number:
			if s.name != "uid" { // numeric ids from a database are common
				return nil, &fieldError{s.name, "must be a string"}
			}
			*s.dst = v.String()
		default:
			return nil, &fieldError{s.name, "must be a string"}
		}
	}
	var err error
	if u.Metadata, err = metadataOf(f["metadata"]); err != nil {
		return nil, err
	}
	if u.Tags, err = tagsOf(f["tags"]); err != nil {
		return nil, err
	}
	if u.CreatedAt, err = timeOf("createdAt", f["createdAt"]); err != nil {
		return nil, err
	}
	if u.LastActiveAt, err = timeOf("lastActiveAt", f["lastActiveAt"]); err != nil {
		return nil, err
	}
	return u, nil
}

func metadataOf(v any) (map[string]any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return v, nil
	case string:
		if strings.TrimSpace(v) == "" {
			return nil, nil
		}
		obj, err := decodeAny([]byte(v))
		if m, ok := obj.(map[string]any); ok && err == nil {
			return m, nil
		}
	}
	return nil, &fieldError{"metadata", "must be a JSON object"}
}

func tagsOf(v any) ([]string, error) {
	bad := &fieldError{"tags", `must be a JSON array of strings or "a|b|c"`}
	switch v := v.(type) {
	case nil:
		return nil, nil
	case []any:
		tags := make([]string, len(v))
		for i, t := range v {
			s, ok := t.(string)
			if !ok {
				return nil, bad
			}
			tags[i] = s
		}
		return tags, nil
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return nil, nil
		}
		if strings.HasPrefix(s, "[") {
			arr, err := decodeAny([]byte(s))
			if a, ok := arr.([]any); ok && err == nil {
				return tagsOf(a)
			}
			return nil, bad
		}
		tags := strings.Split(s, "|")
		for i := range tags {
			tags[i] = strings.TrimSpace(tags[i])
		}
		return tags, nil
	}
	return nil, bad
}

func timeOf(field string, v any) (time.Time, error) {
	var s string
	switch v := v.(type) {
	case nil:
		return time.Time{}, nil
	case json.Number:
		s = v.String()
	case string:
		s = strings.TrimSpace(v)
	default:
		return time.Time{}, &fieldError{field, "must be Unix seconds or an RFC 3339 time"}
	}
	if s == "" {
		return time.Time{}, nil
	}
	if secs, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(secs, 0), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, &fieldError{field, "must be Unix seconds or an RFC 3339 time, not " + strconv.Quote(s)}
}

func decodeAny(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

// countRecords counts the records of an input as the reader of format will yield them (malformed ones included,
// blank JSON Lines not), without decoding them: the total that progress and the summary measure against.
func countRecords(format string, in io.Reader) (int, error) {
	switch format {
	case "csv":
		r := csv.NewReader(in)
		r.FieldsPerRecord = -1
		r.ReuseRecord = true
		if _, err := r.Read(); err != nil {
			if errors.Is(err, io.EOF) {
				return 0, nil
			}
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return 0, err
			}
		}
		n := 0
		for {
			_, err := r.Read()
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			var pe *csv.ParseError
			if err != nil && !errors.As(err, &pe) {
				return n, err
			}
			n++
		}
	case "jsonl":
		j := newJSONLReader(in)
		n := 0
		for {
			line, tooLong, err := j.readLine()
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			if err != nil {
				return n, err
			}
			if tooLong || len(bytes.TrimSpace(line)) > 0 {
				n++
			}
		}
	}
	return 0, fmt.Errorf("unknown format %q (want csv or jsonl)", format)
}
