package userimport

// The report is a JSON Lines log, appended to and flushed as the import
// goes, so that it survives a crash:
//
//	{"type":"run","input":"/home/ada/users.csv","format":"csv","strategy":"import","time":"2025-01-02T03:04:05Z"}
//	{"type":"failure","line":7,"uid":"bob","kind":"invalid","code":"ERR_VALIDATION","field":"avatar","error":"...","record":{...}}
//	{"type":"failure","line":9,"uid":"eve","kind":"failed","code":"ERR_BAD_REQUEST","status":400,"error":"...","record":{...}}
//	{"type":"checkpoint","line":1001}
//	{"type":"resolved","line":9,"uid":"eve"}
//
// A checkpoint says every input line up to and including it was processed:
// users that landed need nothing more, and each one that did not has a
// failure entry. A later entry for the same line replaces an earlier one,
// so a retry appends "resolved" (it landed) or a new failure. The pending
// failures are those whose line's last entry is a failure; --retry-from
// retries them, --resume retries those up to the last checkpoint and goes on
// with the input after it. "record" holds the user's fields as read (edit it
// in the report to fix an invalid user before retrying); "raw" what was read
// of a record that could not be split into fields. The run entry names the
// input by its absolute path, so that --resume works from any directory
// (reports written by examples/import-users hold the path as typed: it is
// tried from the current directory, then from the report's).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Entry types.
const (
	entryRun        = "run"
	entryFailure    = "failure"
	entryResolved   = "resolved"
	entryCheckpoint = "checkpoint"
)

// Failure kinds and the codes of problems found before sending.
const (
	kindInvalid = "invalid" // the input must be fixed
	kindFailed  = "failed"  // CometChat refused or failed: retrying may work

	codeMalformed = "ERR_MALFORMED_RECORD"
	codeInvalid   = "ERR_VALIDATION"
	codeDuplicate = "ERR_DUPLICATE_UID"
)

// entry is one line of the report.
type entry struct {
	Type   string         `json:"type"`
	Line   int            `json:"line,omitempty"`
	UID    string         `json:"uid,omitempty"`
	Kind   string         `json:"kind,omitempty"`
	Code   string         `json:"code,omitempty"`
	Status int            `json:"status,omitempty"`
	Field  string         `json:"field,omitempty"`
	Error  string         `json:"error,omitempty"`
	Record map[string]any `json:"record,omitempty"`
	Raw    any            `json:"raw,omitempty"`

	// run entries
	Input    string `json:"input,omitempty"` // absolute path; "-" for stdin
	Format   string `json:"format,omitempty"`
	Strategy string `json:"strategy,omitempty"`
	Time     string `json:"time,omitempty"`
}

// reportWriter appends entries to the report file.
type reportWriter struct {
	f   *os.File
	buf *bufio.Writer
	enc *json.Encoder
}

// createReport opens path for appending, creating it if needed.
func createReport(path string) (*reportWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 64<<10)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return &reportWriter{f: f, buf: buf, enc: enc}, nil
}

func (w *reportWriter) write(e *entry) error {
	if w == nil {
		return nil
	}
	return w.enc.Encode(e)
}

// flush makes what was written durable: after a checkpoint, a crash loses
// nothing the checkpoint vouches for.
func (w *reportWriter) flush() error {
	if w == nil {
		return nil
	}
	if err := w.buf.Flush(); err != nil {
		return err
	}
	return w.f.Sync()
}

func (w *reportWriter) close() error {
	if w == nil {
		return nil
	}
	err := w.flush()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// priorReport is what an earlier run's report says.
type priorReport struct {
	path       string
	size       int64 // what was read: entries appended later are this run's own
	checkpoint int   // the last checkpoint's line; 0 when none
	run        *entry
	last       map[int]int // line → index of the line's last failure or resolved entry
	pending    int         // failures pending, all lines
	pendingUp  int         // failures pending on lines up to the checkpoint
}

// readReport scans a report once to find its last checkpoint and which
// failures are pending. Memory: one map entry per line with an entry.
func readReport(path string) (*priorReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	p := &priorReport{path: path, size: st.Size(), last: make(map[int]int)}
	kinds := make(map[int]string)
	err = scanReport(io.LimitReader(f, p.size), func(i int, e *entry) error {
		switch e.Type {
		case entryRun:
			if p.run == nil {
				p.run = e
			}
		case entryCheckpoint:
			p.checkpoint = max(p.checkpoint, e.Line)
		case entryFailure, entryResolved:
			p.last[e.Line] = i
			kinds[e.Line] = e.Type
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for line, k := range kinds {
		if k == entryFailure {
			p.pending++
			if line <= p.checkpoint {
				p.pendingUp++
			}
		}
	}
	return p, nil
}

// failuresAfter returns the pending failures of lines after the checkpoint, by line: those of the chunk an
// interrupted run was importing, which a resumed run reads again from the input.
func (p *priorReport) failuresAfter() (map[int]*entry, error) {
	out := make(map[int]*entry)
	f, err := os.Open(p.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	err = scanReport(io.LimitReader(f, p.size), func(i int, e *entry) error {
		if e.Type == entryFailure && p.last[e.Line] == i && e.Line > p.checkpoint {
			out[e.Line] = e
		}
		return nil
	})
	return out, err
}

// failures calls fn for every pending failure in report order: with
// upTo >= 0, only those of lines up to upTo.
func (p *priorReport) failures(upTo int, fn func(e *entry) error) error {
	f, err := os.Open(p.path)
	if err != nil {
		return err
	}
	defer f.Close()
	return scanReport(io.LimitReader(f, p.size), func(i int, e *entry) error {
		if e.Type != entryFailure || p.last[e.Line] != i || upTo >= 0 && e.Line > upTo {
			return nil
		}
		return fn(e)
	})
}

// scanReport decodes the entries of r in order.
func scanReport(r io.Reader, fn func(i int, e *entry) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for i, lineNo := 0, 1; ; lineNo++ {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			var e entry
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.UseNumber() // keep the numbers of records exact
			if jerr := dec.Decode(&e); jerr != nil {
				if errors.Is(err, io.EOF) {
					// A last line cut off by a crash: ignore it.
					return nil
				}
				return fmt.Errorf("report line %d: %w", lineNo, jerr)
			}
			if err := fn(i, &e); err != nil {
				return err
			}
			i++
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// recordOf turns a pending failure back into a record to retry: its
// "record" (possibly edited since), or, when it has none, the failure again.
func recordOf(e *entry) *record {
	rec := &record{Line: e.Line, Fields: e.Record, Raw: e.Raw, Prior: e}
	if e.Record == nil {
		rec.Err = errors.New(e.Error)
		if e.Error == "" {
			rec.Err = errors.New("no record to retry: add one to the report")
		}
		return rec
	}
	// Re-read the record as JSON would be, so that numbers stay exact.
	b, err := json.Marshal(e.Record)
	if err == nil {
		rec.Fields, err = decodeObject(b)
	}
	if err != nil {
		rec.Err = err
		return rec
	}
	rec.User, rec.Err = userFromFields(rec.Fields)
	return rec
}

func runEntry(input, format, strategy string, now time.Time) *entry {
	return &entry{Type: entryRun, Input: input, Format: format, Strategy: strategy, Time: now.UTC().Format(time.RFC3339)}
}
