package cometchat

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Limits of POST /data_import/users.
const (
	importBatchSize         = 50
	importRequestsPerWindow = 60
	importWindow            = time.Minute
	// maxImportRateLimited bounds how often one request of Import (a batch,
	// or a user of ImportStrategyCreate) is resent after a 429.
	maxImportRateLimited = 10
)

// Defaults of the create strategy: stay under the 10,000/min core limit.
const (
	DefaultImportWorkers   = 16
	DefaultImportPerMinute = 9000
)

// ImportUser is one user to migrate with Users.Import. UID and Name are
// required, with the rules of CreateUserParams.
type ImportUser struct {
	UID, Name, Avatar, Link, Role, StatusMessage string
	Metadata                                     map[string]any
	Tags                                         []string
	// CreatedAt and LastActiveAt keep the user's history (sent as strings of
	// Unix seconds). Zero: not sent. The create strategy cannot keep them.
	CreatedAt, LastActiveAt time.Time
}

// ImportFailure is a user of the input that was not imported.
type ImportFailure struct {
	Index int    // position in the input slice
	UID   string // as given in the input
	// Err is an *APIError (the user's own failure, or its whole batch's), a
	// *ValidationError (not sent), or, for users left when the import
	// stopped early, the error that stopped it.
	Err error
}

// ImportExisting is a user of the input that was already in CometChat
// (ImportStrategyCreate only): a re-run of the same input resumes instead of
// failing on users an earlier run created.
type ImportExisting struct {
	Index int
	UID   string
}

// ImportReport is the outcome of Users.Import. With the default strategy
// every input user is in exactly one of Imported and Failed; with
// ImportStrategyCreate, users that already existed are in Existing.
type ImportReport struct {
	Imported []*User         // in input order
	Failed   []ImportFailure // in input order
	Existing []ImportExisting
}

// ImportStrategy is how Users.Import moves users in.
type ImportStrategy int

const (
	// ImportStrategyDataImport (the default) uses POST /data_import/users:
	// 50 users per request, 60 requests per minute (3,000 users/min), and
	// keeps CreatedAt and LastActiveAt.
	ImportStrategyDataImport ImportStrategy = iota
	// ImportStrategyCreate calls POST /users with bounded concurrency
	// (WithImportWorkers) and pacing (WithImportRate): up to 9,000 users/min
	// by default, but without history. A uid that already exists counts as
	// already there (ImportReport.Existing). The pacing is per Client: all
	// Import calls of a Client with the same rate share one window, so
	// importing in chunks stays under the rate.
	ImportStrategyCreate
)

// ImportOption configures Users.Import.
type ImportOption func(*importOptions)

type importOptions struct {
	progress  func(done, failed, total int)
	strategy  ImportStrategy
	workers   int
	perMinute int
}

// WithImportProgress calls fn after every batch (and once at the end) with
// done = users processed so far (imported + failed, + existing), failed =
// users failed so far, and total = len(users). fn is called from one
// goroutine at a time and should return quickly.
func WithImportProgress(fn func(done, failed, total int)) ImportOption {
	return func(o *importOptions) { o.progress = fn }
}

// WithImportStrategy chooses how users are moved in; the default is
// ImportStrategyDataImport.
func WithImportStrategy(s ImportStrategy) ImportOption {
	return func(o *importOptions) { o.strategy = s }
}

// WithImportWorkers sets how many Create calls ImportStrategyCreate keeps in
// flight (default 16). n must be positive.
func WithImportWorkers(n int) ImportOption {
	return func(o *importOptions) { o.workers = n }
}

// WithImportRate caps ImportStrategyCreate at perMinute requests in any
// 60-second window, across all Import calls of the Client using that rate
// (default 9,000, under CometChat's 10,000/min core limit; the free plan
// allows 500/min in all). perMinute must be positive; the window's memory
// follows the requests of the last minute, not perMinute.
func WithImportRate(perMinute int) ImportOption {
	return func(o *importOptions) { o.perMinute = perMinute }
}

func (o *importOptions) validate() error {
	switch {
	case o.strategy != ImportStrategyDataImport && o.strategy != ImportStrategyCreate:
		return invalid("WithImportStrategy", "unknown strategy")
	case o.workers <= 0:
		return invalid("WithImportWorkers", "must be positive")
	case o.perMinute <= 0:
		return invalid("WithImportRate", "must be positive")
	}
	return nil
}

// Import migrates users through POST /data_import/users (≤ 50 per request,
// never more than 60 requests in any 60 s window across all Import calls of
// this Client, and slower after any 429). Users failing validation, nil
// entries, or repeating an earlier uid of the input (compared
// case-insensitively, as the server lowercases) are reported in Failed, not
// sent. Batches are filled in input order. A batch that fails as a whole is
// retried per the Client's retry policy (a POST is not retried on 5xx) and
// then reported for each of its users. A non-nil error means the import
// stopped early (context ended, or an authentication, permission or plan
// quota error that every later request would meet too); the report still
// holds what was done, and the users not done are in Failed with that error.
// Docs: https://www.cometchat.com/docs/rest-api/data-import-apis/users/import-users
func (s *UsersService) Import(ctx context.Context, users []*ImportUser, opts ...ImportOption) (*ImportReport, error) {
	o := importOptions{workers: DefaultImportWorkers, perMinute: DefaultImportPerMinute}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	run := newImportRun(s.client, users, o)
	var err error
	if o.strategy == ImportStrategyCreate {
		err = run.create(ctx)
	} else {
		err = run.dataImport(ctx)
	}
	return run.report(err), err
}

// outcome is what happened to one input user.
type outcome struct {
	done     bool
	user     *User
	err      error
	existing bool
}

// importRun is the state of one Import call.
type importRun struct {
	c     *Client
	users []*ImportUser
	opts  importOptions
	valid []int // indexes of the users to send, in input order

	mu       sync.Mutex
	outcomes []outcome
	done     int
	failed   int

	// progressMu serializes progress calls (the create strategy's workers
	// all report), so fn sees one call at a time and never a count going back.
	progressMu           sync.Mutex
	reported             bool // progress was called at least once
	lastDone, lastFailed int  // the counts of its last call
}

func newImportRun(c *Client, users []*ImportUser, o importOptions) *importRun {
	r := &importRun{c: c, users: users, opts: o, outcomes: make([]outcome, len(users))}
	seen := make(map[string]int, len(users))
	for i, u := range users {
		err := u.Validate()
		if err == nil {
			key := strings.ToLower(u.UID)
			if j, dup := seen[key]; dup {
				err = invalid("uid", "repeats the uid of users["+strconv.Itoa(j)+"]")
			} else {
				seen[key] = i
			}
		}
		if err != nil {
			r.settle(i, outcome{err: err})
			continue
		}
		r.valid = append(r.valid, i)
	}
	return r
}

// Validate checks u with the rules Import applies before sending (those of
// CreateUserParams, plus CreatedAt and LastActiveAt after 1970), without
// sending anything, e.g. for a dry run. It returns a *ValidationError naming
// the first field at fault, or nil. Import also refuses a uid repeated in
// its input, which Validate cannot see.
func (u *ImportUser) Validate() error {
	if u == nil {
		return invalid("user", "must not be nil")
	}
	err := validateNewUser(u.UID, u.Name, userFields{
		avatar: setField(&u.Avatar), link: setField(&u.Link), role: setField(&u.Role),
		metadata: u.Metadata, hasMetadata: u.Metadata != nil,
		tags: u.Tags, hasTags: u.Tags != nil,
	})
	if err != nil {
		return err
	}
	if err := validateTimestamp("createdAt", u.CreatedAt); err != nil {
		return err
	}
	return validateTimestamp("lastActiveAt", u.LastActiveAt)
}

func validateTimestamp(field string, t time.Time) error {
	if !t.IsZero() && t.Unix() <= 0 {
		return invalid(field, "must be after 1970-01-01")
	}
	return nil
}

// settle records the outcome of user i, once.
func (r *importRun) settle(i int, o outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.outcomes[i].done {
		return
	}
	o.done = true
	r.outcomes[i] = o
	r.done++
	if o.err != nil {
		r.failed++
	}
}

// settleRest fails every user without an outcome with err.
func (r *importRun) settleRest(err error) {
	for _, i := range r.valid {
		r.settle(i, outcome{err: err})
	}
}

// reportProgress calls the progress callback with the current counts,
// unless they are those of its previous call (the final call of an import
// whose last batch was already reported).
func (r *importRun) reportProgress() {
	if r.opts.progress == nil {
		return
	}
	r.progressMu.Lock()
	defer r.progressMu.Unlock()
	r.mu.Lock()
	done, failed := r.done, r.failed
	r.mu.Unlock()
	if r.reported && done == r.lastDone && failed == r.lastFailed {
		return
	}
	r.reported, r.lastDone, r.lastFailed = true, done, failed
	r.opts.progress(done, failed, len(r.users))
}

func (r *importRun) report(stop error) *ImportReport {
	if stop != nil {
		r.settleRest(stop)
	}
	r.reportProgress()
	rep := &ImportReport{}
	for i, o := range r.outcomes {
		uid := ""
		if r.users[i] != nil {
			uid = r.users[i].UID
		}
		switch {
		case o.existing:
			rep.Existing = append(rep.Existing, ImportExisting{Index: i, UID: uid})
		case o.err != nil:
			rep.Failed = append(rep.Failed, ImportFailure{Index: i, UID: uid, Err: o.err})
		default:
			rep.Imported = append(rep.Imported, o.user)
		}
	}
	return rep
}

// fatal reports whether err ends the whole import because every later
// request would fail the same way: authentication, permission, plan quota.
// (A call that timed out on its own, see WithTimeout, fails its users only.)
func fatal(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden ||
		errors.Is(err, ErrPlanQuota)
}

// dataImport sends the valid users in batches of 50, paced by the Client's
// import window.
func (r *importRun) dataImport(ctx context.Context) error {
	for start := 0; start < len(r.valid); start += importBatchSize {
		batch := r.valid[start:min(start+importBatchSize, len(r.valid))]
		if err := r.sendBatch(ctx, batch); err != nil {
			return err
		}
		r.reportProgress()
	}
	return nil
}

type importEntry struct {
	Success bool            `json:"success"`
	Data    *wireUser       `json:"data"`
	Error   json.RawMessage `json:"error"`
}

// sendBatch imports one batch, resending it after a 429, and settles each
// of its users. It returns an error only when the import must stop.
func (r *importRun) sendBatch(ctx context.Context, batch []int) error {
	cl, err := newCall(http.MethodPost, "/data_import/users", r.batchBody(batch))
	if err != nil {
		return err
	}
	// The batch's 429s come back here rather than being retried inside the
	// call, so that every request that reaches the server goes through the
	// window.
	cl.paced = true
	var env *envelope[map[string]importEntry]
	for try := 0; ; try++ {
		err = r.c.paced(ctx, r.c.imports.dataImport, func() (err error) {
			env, err = getData[map[string]importEntry](ctx, r.c, cl)
			return err
		})
		if !r.c.backOffAfter429(ctx, r.c.imports.dataImport, err, try) {
			break
		}
	}
	if err != nil {
		for _, i := range batch {
			r.settle(i, outcome{err: err})
		}
		switch {
		case ctx.Err() != nil:
			return contextErr(ctx)
		case fatal(err):
			return err
		}
		return nil
	}
	for _, i := range batch {
		r.settle(i, r.entryOutcome(env.Data, r.users[i]))
	}
	return nil
}

func (r *importRun) batchBody(batch []int) any {
	users := make(map[string]importUserBody, len(batch))
	for _, i := range batch {
		u := r.users[i]
		users[u.UID] = importUserBody{
			createUserBody: createUserBody{
				UID: u.UID, Name: u.Name, Avatar: u.Avatar, Link: u.Link, Role: u.Role,
				StatusMessage: u.StatusMessage, Metadata: u.Metadata, Tags: u.Tags,
			},
			CreatedAt: unixString(u.CreatedAt), LastActiveAt: unixString(u.LastActiveAt),
		}
	}
	return struct {
		Users map[string]importUserBody `json:"users"`
	}{users}
}

// importUserBody is a user of a data import: the fields of a create (its
// withAuthToken is never set, so never sent) and the history, as strings.
type importUserBody struct {
	createUserBody
	CreatedAt    string `json:"createdAt,omitempty"`
	LastActiveAt string `json:"lastActiveAt,omitempty"`
}

func unixString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.Unix(), 10)
}

// entryOutcome reads a user's entry of the answer, keyed by uid as sent or
// lowercased. A success without the user object is reported with the user
// as sent (lenient: the shape of entries is UNCONFIRMED for users).
func (r *importRun) entryOutcome(entries map[string]importEntry, u *ImportUser) outcome {
	e, ok := entries[u.UID]
	if !ok {
		e, ok = entries[strings.ToLower(u.UID)]
	}
	switch {
	case !ok:
		return outcome{err: &APIError{Message: "the answer holds no entry for this uid"}}
	case !e.Success:
		return outcome{err: entryError(e.Error, r.c.creds().key)}
	case e.Data != nil:
		return outcome{user: e.Data.user()}
	}
	return outcome{user: u.asUser()}
}

// entryError decodes a failed entry's error: an object {code, message} or
// a string (UNCONFIRMED for users: both accepted).
func entryError(raw json.RawMessage, key string) *APIError {
	var obj struct {
		Code       string        `json:"code"`
		Message    string        `json:"message"`
		DevMessage string        `json:"devMessage"`
		Details    flexibleLists `json:"details"`
	}
	e := &APIError{}
	if json.Unmarshal(raw, &obj) == nil {
		e.Code, e.Message, e.DevMessage = obj.Code, obj.Message, obj.DevMessage
		if len(obj.Details) > 0 {
			e.Details = obj.Details
		}
	} else {
		_ = json.Unmarshal(raw, &e.Message)
	}
	if e.Code == "" && e.Message == "" {
		e.Message = "import failed for this user"
	}
	e.redact(key)
	return e
}

func (u *ImportUser) asUser() *User {
	return &User{
		UID: strings.ToLower(u.UID), Name: u.Name, Avatar: u.Avatar, Link: u.Link,
		Role: u.Role, StatusMessage: u.StatusMessage, Metadata: u.Metadata, Tags: u.Tags,
		CreatedAt: u.CreatedAt, LastActiveAt: u.LastActiveAt,
	}
}

// create runs ImportStrategyCreate: workers calling POST /users, paced by
// a window of opts.perMinute requests per minute.
func (r *importRun) create(ctx context.Context) error {
	// A worker meeting an error that stops the import (see fatal) cancels
	// stopped with it as the cause: no more users are taken and waits for the
	// window end, but requests in flight finish, so that their users'
	// outcomes are known rather than lost to a cancellation.
	stopped, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	win := r.c.imports.createWindow(r.opts.perMinute)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(r.opts.workers, max(len(r.valid), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				o := r.createOne(ctx, stopped, win, r.users[i])
				if o.err != nil && stopped.Err() != nil && isContextErr(o.err) {
					// Not sent, or cut off by the caller's context: report()
					// settles it with the error that stopped the import.
					continue
				}
				r.settle(i, o)
				if fatal(o.err) {
					stop(o.err)
				}
				r.reportProgress()
			}
		}()
	}
feed:
	for _, i := range r.valid {
		select {
		case jobs <- i:
		case <-stopped.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if ctx.Err() != nil {
		return contextErr(ctx)
	}
	// Not the caller's context: only a worker's fatal error stops early.
	return context.Cause(stopped)
}

// createOne creates one user as Users.Create does (the user was validated
// with the same rules), but with its 429s handed back so that the shared
// window holds every worker until the server's wait is over. Waits end with
// stopped; the request itself only with ctx.
func (r *importRun) createOne(ctx, stopped context.Context, win *slidingWindow, u *ImportUser) outcome {
	cl, err := newCall(http.MethodPost, "/users", createUserBody{
		UID: u.UID, Name: u.Name, Avatar: u.Avatar, Link: u.Link, Role: u.Role,
		StatusMessage: u.StatusMessage, Metadata: u.Metadata, Tags: u.Tags,
	})
	if err != nil {
		return outcome{err: err}
	}
	cl.paced = true
	for try := 0; ; try++ {
		var user *User
		err := r.c.paced(stopped, win, func() (err error) {
			user, err = r.c.fetchUser(ctx, cl)
			return err
		})
		if r.c.backOffAfter429(stopped, win, err, try) {
			continue
		}
		if errors.Is(err, ErrUIDAlreadyExists) {
			return outcome{existing: true}
		}
		return outcome{user: user, err: err}
	}
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// paced runs send once win has a place for it; ctx ends the wait. The place
// is booked until send returns, so the window counts from when the server
// answered: no more than the window's limit can reach the server in any
// window, however slow the network.
func (c *Client) paced(ctx context.Context, win *slidingWindow, send func() error) error {
	id, at, err := win.reserve(ctx, c.now)
	if err != nil {
		return err
	}
	// The wait is measured again: reserve may have waited for a request in
	// flight, and other goroutines share the clock.
	err = c.sleep(ctx, at.Sub(c.now()))
	if err == nil {
		err = send()
	}
	win.finish(id, c.now())
	return err
}

// backOffAfter429 reports whether a request should be sent again after err:
// a 429 (a paced call gets every 429 back), fewer than maxImportRateLimited
// times. It holds the window until the server's wait is over (Retry-After,
// else the retry wait's maximum), for every request of the window; the
// next paced call sleeps it.
func (c *Client) backOffAfter429(ctx context.Context, win *slidingWindow, err error, try int) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests || try >= maxImportRateLimited {
		return false
	}
	wait := apiErr.RetryAfter
	if wait <= 0 {
		wait = c.opts.retryWaitMax
	}
	win.holdUntil(c.now().Add(wait))
	return ctx.Err() == nil
}

// slidingWindow allows at most limit requests in any window of length per.
// A request counts from its booking until it ended (however slow the
// network, it may reach the server at any moment in between), and no
// request is booked before the limit-th one before it ended: every booking
// is at least per after the latest end of the requests that left the
// window, so of any limit+1 requests the last starts at least per after the
// first ended. The window keeps the requests that still count (ended less
// than per ago, or in flight), at most limit of them. Safe for concurrent
// use.
type slidingWindow struct {
	mu        sync.Mutex
	limit     int
	per       time.Duration
	q         []booking     // q[head:]: the requests that still count, in booking order
	head      int           // index in q of the oldest
	first     uint64        // sequence number of q[head]
	left      time.Time     // the latest end among requests that left the window
	notBefore time.Time     // closed until then, e.g. after a 429
	ended     chan struct{} // closed when a request ends, while someone waits for one
}

// booking is one request of a window.
type booking struct {
	end  time.Time // when it ended; its booked start while in flight
	done bool      // it ended
}

func newSlidingWindow(limit int, per time.Duration) *slidingWindow {
	return &slidingWindow{limit: limit, per: per}
}

// importPacers are a Client's import windows, shared by its successive and
// concurrent Import calls, so that a caller importing in chunks stays under
// the limits across the chunks: one for the data import endpoint, and one
// per rate of ImportStrategyCreate.
type importPacers struct {
	dataImport *slidingWindow

	mu     sync.Mutex
	create map[int]*slidingWindow
}

func newImportPacers() *importPacers {
	return &importPacers{dataImport: newSlidingWindow(importRequestsPerWindow, importWindow)}
}

// createWindow returns the window of ImportStrategyCreate at perMinute
// requests a minute, the same one on every call.
func (p *importPacers) createWindow(perMinute int) *slidingWindow {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.create[perMinute] == nil {
		if p.create == nil {
			p.create = make(map[int]*slidingWindow)
		}
		p.create[perMinute] = newSlidingWindow(perMinute, importWindow)
	}
	return p.create[perMinute]
}

// reserve books the earliest moment from now() at which one more request
// fits in the window; it returns the booking (for finish) and its moment.
// When the window is full and its oldest request is still in flight, it
// first waits for a request to end (or for ctx to end).
func (w *slidingWindow) reserve(ctx context.Context, now func() time.Time) (id uint64, at time.Time, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		at = now()
		// Requests that ended at least per ago constrain nothing any more.
		for w.head < len(w.q) && w.q[w.head].done && !w.q[w.head].end.Add(w.per).After(at) {
			w.pop()
		}
		if len(w.q)-w.head < w.limit {
			break
		}
		if w.q[w.head].done {
			w.pop()
			break
		}
		if w.ended == nil {
			w.ended = make(chan struct{})
		}
		ended := w.ended
		w.mu.Unlock()
		select {
		case <-ended:
			w.mu.Lock()
		case <-ctx.Done():
			w.mu.Lock()
			return 0, time.Time{}, contextErr(ctx)
		}
	}
	if !w.left.IsZero() && w.left.Add(w.per).After(at) {
		at = w.left.Add(w.per)
	}
	if w.notBefore.After(at) {
		at = w.notBefore
	}
	if w.head > 0 && w.head >= len(w.q)/2 { // reclaim the popped half
		w.q = w.q[:copy(w.q, w.q[w.head:])]
		w.head = 0
	}
	w.q = append(w.q, booking{end: at})
	return w.first + uint64(len(w.q)-1-w.head), at, nil
}

// pop lets the oldest (ended) request leave the window; w.mu is held.
func (w *slidingWindow) pop() {
	if e := w.q[w.head].end; e.After(w.left) {
		w.left = e
	}
	w.q[w.head] = booking{}
	w.head++
	w.first++
}

// finish records that the request booked as id ended at t.
func (w *slidingWindow) finish(id uint64, t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := &w.q[w.head+int(id-w.first)] // in flight: still in the window
	if t.After(b.end) {
		b.end = t
	}
	b.done = true
	if w.ended != nil {
		close(w.ended)
		w.ended = nil
	}
}

// holdUntil keeps the window closed until t, e.g. after a 429.
func (w *slidingWindow) holdUntil(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if t.After(w.notBefore) {
		w.notBefore = t
	}
}
