package userimport

// The import loop: read a chunk of records, check them, import the valid
// ones with one Users.Import call, write what did not land to the report,
// then a checkpoint. Memory is bounded by the chunk, plus about 12 bytes per
// uid to catch uids repeated across chunks (see uidSet).

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gocometchat/cometchat"
)

// maxPrinted bounds the problems printed when a report holds them all.
const maxPrinted = 20

type importer struct {
	client       *cometchat.Client
	strategy     cometchat.ImportStrategy
	strategyName string
	importOpts   []cometchat.ImportOption
	chunk        int
	dryRun       bool
	report       *reportWriter
	hooks        Hooks
	inputName    string

	seed    maphash.Seed
	seen    *uidSet // the uids of the input so far, with the line of each first valid use
	stats   stats
	printed int

	rows      int  // records of the input (or failures retried from a report)
	rowsKnown bool // rows is the whole input's count
	total     int  // rows this run handles, for progress; -1 when unknown
	readAll   bool // the input was read to its end
	stopped   bool // Users.Import returned an error: the API stopped the import, or the context ended
	sum       *Summary
}

type stats struct {
	imported, existing, failed, invalid int
	skippedRecords                      int // records up to a resumed run's checkpoint
	retried                             int // failures of the report retried
	read                                int // records read from the input (skipped ones included)
}

func (s *stats) processed() int { return s.imported + s.existing + s.failed + s.invalid }

// source yields records; checkpoints says whether they are input lines (a
// checkpoint follows each chunk) or failures of a report being retried.
type source struct {
	next        func() (*record, error)
	checkpoints bool
}

// inputSource reads r, attaching to each record the pending failure of its line, if any (a resumed run reads
// again the lines after the checkpoint, among which the failures of the chunk it was cut off in).
func (im *importer) inputSource(r recordReader, prior map[int]*entry) *source {
	return &source{
		next: func() (*record, error) {
			rec, err := r.Next()
			if err == nil {
				im.stats.read++
				if e, ok := prior[rec.Line]; ok {
					rec.Prior = e
				}
			} else if errors.Is(err, io.EOF) {
				im.readAll = true
			}
			return rec, err
		},
		checkpoints: true,
	}
}

// run imports src. With prior (--retry-from, --resume) it first retries the
// prior report's pending failures; resuming, it skips the input up to the
// report's last checkpoint (remembering its uids) and goes on after it.
func (im *importer) run(ctx context.Context, src recordReader, prior *priorReport, resume bool) error {
	im.seed = maphash.MakeSeed()
	var after map[int]*entry
	if prior != nil && resume && prior.pending > prior.pendingUp {
		var err error
		if after, err = prior.failuresAfter(); err != nil {
			return fmt.Errorf("reading the report: %w", err)
		}
	}
	var in *source
	if src != nil {
		in = im.inputSource(src, after)
	}
	upTo := -1 // every pending failure
	if prior != nil && resume {
		// Lines after the checkpoint are read again from the input.
		upTo = prior.checkpoint
		if upTo > 0 {
			var err error
			if in, err = im.skip(in, upTo); err != nil {
				return err
			}
		}
	}
	switch {
	case prior != nil && resume:
		im.sum.Skipped = max(im.stats.skippedRecords-prior.pendingUp, 0)
		if im.rowsKnown {
			im.total = im.rows - im.sum.Skipped
		}
	case im.rowsKnown:
		im.total = im.rows
	}
	im.progress(0)
	if prior != nil && upTo != 0 {
		if err := im.retry(ctx, prior, upTo, resume); err != nil {
			return err
		}
	}
	if in == nil {
		return nil
	}
	return im.process(ctx, in)
}

// skip reads the input up to line upTo, remembering the uids it holds, and
// returns the source of the records after it.
func (im *importer) skip(in *source, upTo int) (*source, error) {
	for {
		rec, err := in.next()
		if errors.Is(err, io.EOF) {
			return in, nil
		}
		if err != nil {
			return nil, err
		}
		if rec.Line > upTo {
			pending := rec
			next := in.next
			return &source{
				next: func() (*record, error) {
					if r := pending; r != nil {
						pending = nil
						return r, nil
					}
					return next()
				},
				checkpoints: true,
			}, nil
		}
		im.stats.skippedRecords++
		if rec.Err == nil && rec.User.Validate() == nil {
			key := im.key(rec.User.UID)
			if _, dup := im.seen.get(key); !dup {
				im.seen.add(key, uint32(rec.Line))
			}
		}
	}
}

// retry retries the prior report's pending failures of lines up to upTo
// (all when upTo < 0).
func (im *importer) retry(ctx context.Context, prior *priorReport, upTo int, resume bool) error {
	n := prior.pending
	if resume {
		n = prior.pendingUp
	}
	if n == 0 {
		if resume {
			im.message(fmt.Sprintf("resuming after line %d of %s", upTo, im.inputName))
		}
		return nil
	}
	msg := fmt.Sprintf("retrying the %s pending failures of %s", Thousands(n), prior.path)
	if resume {
		msg = fmt.Sprintf("resuming after line %d of %s; retrying the %s failures up to it first", upTo, im.inputName, Thousands(n))
	}
	im.message(msg)
	// Stream the failures into chunks without holding them all: a
	// goroutine scans the report and hands over one record at a time.
	recs := make(chan *record)
	scanErr := make(chan error, 1)
	scanCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		defer close(recs)
		scanErr <- prior.failures(upTo, func(e *entry) error {
			select {
			case recs <- recordOf(e):
				return nil
			case <-scanCtx.Done():
				return scanCtx.Err()
			}
		})
	}()
	src := &source{
		next: func() (*record, error) {
			r, ok := <-recs
			if !ok {
				return nil, io.EOF
			}
			im.stats.retried++
			return r, nil
		},
	}
	if err := im.process(ctx, src); err != nil {
		return err
	}
	if err := <-scanErr; err != nil {
		return fmt.Errorf("reading the report: %w", err)
	}
	return nil
}

// process imports a source chunk by chunk.
func (im *importer) process(ctx context.Context, src *source) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		recs, send, err := im.readChunk(src)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if len(recs) > 0 {
			if cerr := im.importChunk(ctx, src, recs, send); cerr != nil {
				return cerr
			}
		}
		if err != nil { // io.EOF
			return nil
		}
	}
}

// readChunk reads records until it has im.chunk users to send, checking
// each: recs holds every record read, send the indexes of those to send.
// Problems are recorded in the records' Err.
func (im *importer) readChunk(src *source) (recs []*record, send []int, err error) {
	for len(send) < im.chunk {
		rec, err := src.next()
		if err != nil {
			return recs, send, err
		}
		if im.check(rec) {
			send = append(send, len(recs))
		}
		recs = append(recs, rec)
	}
	return recs, send, nil
}

// dupError is a uid seen on an earlier line of the input.
type dupError struct{ line int }

// Error names the line of the uid's first use.
func (e *dupError) Error() string {
	if e.line == 0 {
		return "uid: repeats a uid used earlier in the input"
	}
	return fmt.Sprintf("uid: repeats the uid of line %d", e.line)
}

// check validates rec and catches repeated uids; false when rec must not be
// sent (its Err says why).
func (im *importer) check(rec *record) bool {
	if rec.Err != nil {
		return false
	}
	if err := rec.User.Validate(); err != nil {
		rec.Err = err
		return false
	}
	if p := rec.Prior; p != nil && p.Code == codeDuplicate && strings.EqualFold(p.UID, rec.User.UID) {
		rec.Err = &dupError{} // not fixed in the report: still a repeat
		return false
	}
	key := im.key(rec.User.UID)
	if line, dup := im.seen.get(key); dup && int(line) != rec.Line {
		rec.Err = &dupError{int(line)}
		return false
	} else if !dup {
		im.seen.add(key, uint32(rec.Line))
	}
	return true
}

func (im *importer) key(uid string) uint64 { return maphash.String(im.seed, strings.ToLower(uid)) }

// importChunk imports the users of recs[send], then reports what did not
// land and, for input records, writes a checkpoint.
func (im *importer) importChunk(ctx context.Context, src *source, recs []*record, send []int) error {
	users := make([]*cometchat.ImportUser, len(send))
	for k, i := range send {
		users[k] = recs[i].User
	}
	base := im.stats.processed()
	invalid := len(recs) - len(send)
	var rep *cometchat.ImportReport
	var stop error
	if im.dryRun {
		rep = &cometchat.ImportReport{}
		for _, u := range users {
			rep.Imported = append(rep.Imported, &cometchat.User{UID: u.UID})
		}
	} else {
		opts := append([]cometchat.ImportOption{
			cometchat.WithImportStrategy(im.strategy),
			cometchat.WithImportProgress(func(done, _, _ int) {
				// failed is left out: it counts the users that already existed, which this program
				// counts as landed once the chunk's report says which they are.
				if ctx.Err() != nil {
					return // the last call of an interrupted import counts the users it did not send
				}
				if im.hooks.Request != nil {
					im.hooks.Request()
				}
				im.progress(base + invalid + done)
			}),
		}, im.importOpts...)
		rep, stop = im.client.Users.Import(ctx, users, opts...)
		if rep == nil { // options refused: a bug of this program
			return stop
		}
		if stop != nil {
			im.stopped = true
		}
	}

	// Each sent user's outcome, by position in users.
	type outcome struct {
		err      error
		existing bool
	}
	outcomes := make([]outcome, len(users))
	for _, f := range rep.Failed {
		outcomes[f.Index] = outcome{err: f.Err}
		if errors.Is(f.Err, cometchat.ErrUIDAlreadyExists) {
			outcomes[f.Index] = outcome{existing: true}
		}
	}
	for _, e := range rep.Existing {
		outcomes[e.Index] = outcome{existing: true}
	}

	sent := 0
	for i, rec := range recs {
		if sent < len(send) && send[sent] == i {
			o := outcomes[sent]
			sent++
			switch {
			case o.err != nil && stop != nil && sameStop(o.err, stop):
				// Not done: the stop error, not the user's. Input records are
				// read again on resume; report failures stay pending.
				continue
			case o.err != nil:
				kind := kindFailed
				var ve *cometchat.ValidationError
				if errors.As(o.err, &ve) {
					kind = kindInvalid
				}
				if err := im.fail(rec, kind, o.err); err != nil {
					return err
				}
			default:
				if o.existing {
					im.stats.existing++
				} else {
					im.stats.imported++
				}
				if rec.Prior != nil {
					if err := im.report.write(&entry{Type: entryResolved, Line: rec.Line, UID: rec.User.UID}); err != nil {
						return err
					}
				}
			}
			continue
		}
		if stop != nil {
			continue // read again on resume
		}
		if err := im.fail(rec, kindInvalid, rec.Err); err != nil {
			return err
		}
	}
	if stop != nil {
		im.progress(im.stats.processed()) // without the users the stop left unsent
		if err := im.report.flush(); err != nil {
			return err
		}
		return stop
	}
	if src.checkpoints && !im.dryRun && len(recs) > 0 {
		if err := im.report.write(&entry{Type: entryCheckpoint, Line: recs[len(recs)-1].Line}); err != nil {
			return err
		}
	}
	if err := im.report.flush(); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	im.progress(im.stats.processed())
	return nil
}

// sameStop reports whether a user's error is the one that stopped the import: the same error, or the same
// refusal met by another request in flight (the create strategy's workers each meet the wrong key).
func sameStop(err, stop error) bool {
	if errors.Is(err, stop) {
		return true
	}
	var a, b *cometchat.APIError
	return errors.As(err, &a) && errors.As(stop, &b) && a.StatusCode == b.StatusCode && a.Code == b.Code
}

// progress tells the hook where the run stands, done rows handled.
func (im *importer) progress(done int) {
	if im.hooks.Progress == nil {
		return
	}
	s := im.stats
	im.hooks.Progress(Progress{
		Strategy: im.strategyName, Total: im.total, Done: done,
		Imported: s.imported, Existing: s.existing, Failed: s.failed, Invalid: s.invalid,
	})
}

func (im *importer) message(line string) {
	if im.hooks.Message != nil {
		im.hooks.Message(line)
	}
}

// fail counts and reports a record that did not land.
func (im *importer) fail(rec *record, kind string, err error) error {
	if kind == kindInvalid {
		im.stats.invalid++
	} else {
		im.stats.failed++
	}
	e := failureEntry(rec, kind, err)
	if im.report == nil || im.dryRun || im.printed < maxPrinted {
		again := ""
		if rec.Prior != nil {
			again = " again"
		}
		im.message(fmt.Sprintf("%s:%d: %s%s: %s", im.inputName, rec.Line, kind, again, e.Error))
		im.printed++
		if im.printed == maxPrinted && im.report != nil && !im.dryRun {
			im.message("more problems are only in the report " + im.sum.Report)
		}
	}
	return im.report.write(e)
}

// failureEntry describes a record that did not land, with what was read of
// it so that it can be fixed and retried.
func failureEntry(rec *record, kind string, err error) *entry {
	e := &entry{Type: entryFailure, Line: rec.Line, Kind: kind, Record: rec.Fields, Raw: rec.Raw, Error: err.Error()}
	switch {
	case rec.User != nil:
		e.UID = rec.User.UID
	case rec.Fields != nil:
		e.UID, _ = rec.Fields["uid"].(string)
	}
	var (
		apiErr *cometchat.APIError
		ve     *cometchat.ValidationError
		fe     *fieldError
		de     *dupError
	)
	switch {
	case errors.As(err, &apiErr):
		e.Code, e.Status = apiErr.Code, apiErr.StatusCode
		if e.Code == "" && e.Status != 0 {
			e.Code = "HTTP_" + strings.ReplaceAll(strings.ToUpper(http.StatusText(e.Status)), " ", "_")
		}
	case errors.As(err, &ve):
		e.Code, e.Field, e.Error = codeInvalid, ve.Field, ve.Field+": "+ve.Reason
	case errors.As(err, &de):
		e.Code, e.Field = codeDuplicate, "uid"
	case errors.As(err, &fe):
		e.Code, e.Field = codeMalformed, fe.Field
	case kind == kindInvalid:
		e.Code = codeMalformed
	default:
		e.Code = "ERR_REQUEST_FAILED" // no answer: the user may or may not have landed
	}
	return e
}

// finish fills the summary once the run is over, however it ended.
func (im *importer) finish(elapsed time.Duration) {
	s, st := im.sum, im.stats
	s.Elapsed = elapsed
	s.Retried = st.retried
	s.Failed, s.Invalid = st.failed, st.invalid
	if im.dryRun {
		s.Valid = st.imported
	} else {
		s.Imported, s.Existing = st.imported, st.existing
	}
	s.Rows, s.RowsKnown = im.rows, im.rowsKnown
	if !s.RowsKnown {
		// Standard input: what was read is all there is once it was read to its end.
		s.Rows, s.RowsKnown = st.read, im.readAll
	}
	s.NotSent = max(s.Rows-s.Skipped-st.processed(), 0)
}

// Thousands formats n with thousands separators: 12,345.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
