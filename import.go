package cometchat

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocometchat/cometchat/internal/pacer"
	"github.com/gocometchat/cometchat/internal/redact"
	"github.com/gocometchat/cometchat/internal/retry"
	"github.com/gocometchat/cometchat/internal/wire"
)

// Limits of POST /data_import/users.
const (
	importBatchSize         = 50
	importRequestsPerWindow = 60
	importWindow            = time.Minute
)

// Defaults of ImportStrategyCreate: stay under the 10,000/min core limit.
const (
	DefaultImportWorkers   = 16
	DefaultImportPerMinute = 9000
)

// ImportUser is one user to migrate with Users.Import. UID and Name are required, with the rules of
// CreateUserParams.
type ImportUser struct {
	UID, Name, Avatar, Link, Role, StatusMessage string
	Metadata                                     map[string]any
	Tags                                         []string
	// CreatedAt and LastActiveAt keep the user's history (sent as strings of Unix seconds). Zero: not sent.
	// ImportStrategyCreate cannot keep them.
	CreatedAt, LastActiveAt time.Time
}

// ImportFailure is a user of the input that was not imported.
type ImportFailure struct {
	Index int    // position in the input slice
	UID   string // as given in the input
	// Err is an *APIError (the user's own failure, or its whole batch's), a *ValidationError (not sent), or, for
	// users left when the import stopped early, the error that stopped it.
	Err error
}

// ImportExisting is a user of the input that was already in CometChat (ImportStrategyCreate only): a re-run of
// the same input resumes instead of failing on users an earlier run created.
type ImportExisting struct {
	Index int
	UID   string
}

// ImportReport is the outcome of Users.Import. Every input user is in exactly one of Imported, Failed and
// Existing (the last only with ImportStrategyCreate).
type ImportReport struct {
	Imported []*User         // in input order
	Failed   []ImportFailure // in input order
	Existing []ImportExisting
}

// ImportStrategy is how Users.Import moves users in.
type ImportStrategy int

const (
	// ImportStrategyDataImport (the default) uses POST /data_import/users: 50 users per request, 60 requests per
	// minute (3,000 users/min), and keeps CreatedAt and LastActiveAt.
	ImportStrategyDataImport ImportStrategy = iota
	// ImportStrategyCreate calls POST /users with bounded concurrency (WithImportWorkers) and pacing
	// (WithImportRate): up to 9,000 users/min by default, but without history. A uid that already exists counts
	// as already there (ImportReport.Existing).
	ImportStrategyCreate
)

// ImportOption configures Users.Import.
type ImportOption func(*importOptions)

type importOptions struct {
	progress  func(done, failed, total int)
	strategy  ImportStrategy
	workers   int
	perMinute int
	createSet string // the first option given that only ImportStrategyCreate takes
}

// WithImportProgress calls fn after every batch (and once at the end) with done = users processed so far
// (imported + failed + existing), failed = users failed so far, and total = len(users). fn is called from one
// goroutine at a time, never with smaller counts than before, and should return quickly.
func WithImportProgress(fn func(done, failed, total int)) ImportOption {
	return func(o *importOptions) { o.progress = fn }
}

// WithImportStrategy chooses how users are moved in; the default is ImportStrategyDataImport.
func WithImportStrategy(s ImportStrategy) ImportOption {
	return func(o *importOptions) { o.strategy = s }
}

// WithImportWorkers sets how many Create calls ImportStrategyCreate keeps in flight (default 16). n must be
// positive. Only ImportStrategyCreate takes it: with the default strategy it is a *ValidationError.
func WithImportWorkers(n int) ImportOption {
	return func(o *importOptions) {
		o.workers = n
		o.markCreateOnly("importWorkers")
	}
}

// WithImportRate caps ImportStrategyCreate at perMinute requests in any 60-second window (default 9,000, under
// CometChat's 10,000/min core limit; the free plan allows 500/min in all). The window is the Client's, shared by
// all its Import calls, whatever rate each asks for. perMinute must be positive. Only ImportStrategyCreate takes
// it: with the default strategy (always 60 requests a minute) it is a *ValidationError.
func WithImportRate(perMinute int) ImportOption {
	return func(o *importOptions) {
		o.perMinute = perMinute
		o.markCreateOnly("importRate")
	}
}

func (o *importOptions) markCreateOnly(name string) {
	if o.createSet == "" {
		o.createSet = name
	}
}

func (o *importOptions) validate() error {
	switch {
	case o.strategy != ImportStrategyDataImport && o.strategy != ImportStrategyCreate:
		return invalid("importStrategy", "unknown strategy")
	case o.strategy == ImportStrategyDataImport && o.createSet != "":
		return invalid(o.createSet, "applies only to ImportStrategyCreate")
	case o.workers <= 0:
		return invalid("importWorkers", "must be positive")
	case o.perMinute <= 0:
		return invalid("importRate", "must be positive")
	}
	return nil
}

// importWindows pace a Client's imports: one window per endpoint, shared by its successive and concurrent Import
// calls, so that a caller importing in chunks stays under the limits across the chunks.
type importWindows struct {
	dataImport *pacer.Window // POST /data_import/users
	create     *pacer.Window // POST /users, for ImportStrategyCreate
}

func newImportWindows() importWindows {
	return importWindows{dataImport: pacer.New(importWindow), create: pacer.New(importWindow)}
}

// importPolicy is the retry policy of an import's requests: the client's, allowing at least 10 retries and a
// server-dictated wait of up to 2 minutes, since the data import endpoint asks for up to a minute ("Please retry
// for seconds after 58"). Imports POST, so only 429s and refused connections are retried.
func importPolicy(p retry.Policy) retry.Policy {
	return retry.Policy{MaxRetries: max(p.MaxRetries, 10), WaitMin: p.WaitMin, WaitMax: max(p.WaitMax, 2*time.Minute)}
}

// Import migrates users through POST /data_import/users (≤ 50 per request, never more than 60 requests in any 60 s
// window across all Import calls of this Client). Users failing validation, nil entries, or repeating an earlier
// uid of the input (compared case-insensitively, as the server lowercases) are reported in Failed, not sent.
// Batches are filled in input order. Every request goes through the Client's one retry layer, paced: a 429 is
// retried after the wait the server asks for (up to 2 minutes), holding the window for every import of the
// Client meanwhile; a batch that fails as a whole is reported for each of its users. A non-nil error means the
// import stopped early (context ended, or an authentication, permission or plan quota error that every later
// request would meet too); the report still holds what was done, and the users not done are in Failed with that
// error. Docs: https://www.cometchat.com/docs/rest-api/data-import-apis/users/import-users
func (s *UsersService) Import(ctx context.Context, users []*ImportUser, opts ...ImportOption) (*ImportReport, error) {
	if ctx == nil {
		return nil, invalid("ctx", "must not be nil")
	}
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
	c      *Client
	users  []*ImportUser
	opts   importOptions
	valid  []int             // indexes of the users to send, in input order
	bodies []*importUserBody // what each valid user sends, by input index

	mu       sync.Mutex
	outcomes []outcome
	done     int
	failed   int

	// progressMu serializes progress calls (the create strategy's workers all report), so fn sees one call at a
	// time and never a count going back.
	progressMu           sync.Mutex
	reported             bool
	lastDone, lastFailed int
}

func newImportRun(c *Client, users []*ImportUser, o importOptions) *importRun {
	r := &importRun{c: c, users: users, opts: o, outcomes: make([]outcome, len(users)), bodies: make([]*importUserBody, len(users))}
	seen := make(map[string]int, len(users))
	for i, u := range users {
		body, err := u.body()
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
		r.bodies[i] = body
	}
	return r
}

// Validate checks u with the rules Import applies before sending (those of CreateUserParams, plus CreatedAt and
// LastActiveAt after 1970), without sending anything, e.g. for a dry run. It returns a *ValidationError naming
// the first field at fault, or nil. Import also refuses a uid repeated in its input, which Validate cannot see.
func (u *ImportUser) Validate() error {
	_, err := u.body()
	return err
}

// body validates u and returns what an import sends for it (the createdAt and lastActiveAt of the data import
// strategy included; the create strategy leaves them out).
func (u *ImportUser) body() (*importUserBody, error) {
	if u == nil {
		return nil, invalid("user", "must not be nil")
	}
	meta, err := validateNewUser(u.UID, u.Name, userFields{
		avatar: ifSet(u.Avatar), link: ifSet(u.Link), role: ifSet(u.Role), metadata: u.Metadata, tags: u.Tags,
	})
	if err != nil {
		return nil, err
	}
	if !u.CreatedAt.IsZero() && u.CreatedAt.Unix() <= 0 {
		return nil, invalid("createdAt", "must be after 1970-01-01")
	}
	if !u.LastActiveAt.IsZero() && u.LastActiveAt.Unix() <= 0 {
		return nil, invalid("lastActiveAt", "must be after 1970-01-01")
	}
	return &importUserBody{
		createUserBody: createUserBody{
			UID: u.UID, Name: u.Name, Avatar: u.Avatar, Link: u.Link, Role: u.Role,
			StatusMessage: u.StatusMessage, Metadata: nonEmpty(u.Metadata, meta), Tags: u.Tags,
		},
		CreatedAt:    unixString(u.CreatedAt),
		LastActiveAt: unixString(u.LastActiveAt),
	}, nil
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

// reportProgress calls the progress callback with the current counts, unless they are those of its previous call.
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

// report settles every user left with the error that stopped the import, if any, and sorts the outcomes.
func (r *importRun) report(stop error) *ImportReport {
	if stop != nil {
		for _, i := range r.valid {
			r.settle(i, outcome{err: stop})
		}
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

// stops reports whether err ends the whole import: the context ended, or every later request would fail the same
// way (authentication, permission, plan quota). A call that timed out on its own (WithTimeout) fails its users
// only.
func stops(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return true
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden ||
		errors.Is(err, ErrPlanQuota)
}

// stopError is the error an import that stopped returns: the context's, or the one every request would meet.
func stopError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return contextErr(ctx)
	}
	return err
}

// dataImport sends the valid users in batches of 50, one after another, paced by the Client's window.
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

// sendBatch imports one batch and settles each of its users. It returns an error only when the import must stop.
func (r *importRun) sendBatch(ctx context.Context, batch []int) error {
	var env wire.One[map[string]wire.Entry[wireUser]]
	err := r.c.do(ctx, http.MethodPost, "/data_import/users", nil, r.batchBody(batch), &env, wire.Unmarshal,
		[]RequestOption{pacing(r.c.imports.dataImport, importRequestsPerWindow), retrying(importPolicy(r.c.policy))})
	if err == nil && env.Data == nil {
		err = errNoData(http.MethodPost, "/data_import/users")
	}
	if err != nil {
		for _, i := range batch {
			r.settle(i, outcome{err: err})
		}
		if stops(ctx, err) {
			return stopError(ctx, err)
		}
		return nil
	}
	red := r.c.redactor(&request{})
	for _, i := range batch {
		r.settle(i, entryOutcome(*env.Data, r.users[i], red))
	}
	return nil
}

func (r *importRun) batchBody(batch []int) map[string]map[string]*importUserBody {
	users := make(map[string]*importUserBody, len(batch))
	for _, i := range batch {
		users[r.users[i].UID] = r.bodies[i]
	}
	return map[string]map[string]*importUserBody{"users": users}
}

// importUserBody is a user of a data import: the fields of a create (its withAuthToken is never set, so never
// sent) and the history, as strings.
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

// entryOutcome reads a user's entry of the answer, keyed by uid as sent or lowercased. A success without the user
// object is reported with the user as sent (lenient: the shape of entries is UNCONFIRMED for users).
func entryOutcome(entries map[string]wire.Entry[wireUser], u *ImportUser, red *redact.Redactor) outcome {
	e, ok := entries[u.UID]
	if !ok {
		e, ok = entries[strings.ToLower(u.UID)]
	}
	switch {
	case ok && e.Failed():
		return outcome{err: entryError(e.Failure(), red)}
	case ok && e.Succeeded() && e.Data != nil:
		return outcome{user: e.Data.user()}
	case ok && e.Succeeded():
		return outcome{user: u.asUser()}
	}
	return outcome{err: &requestError{kind: ErrInvalidResponse,
		msg: ErrInvalidResponse.Error() + ": POST /data_import/users: the answer has no outcome for uid " + u.UID}}
}

func (u *ImportUser) asUser() *User {
	return &User{
		UID: strings.ToLower(u.UID), Name: u.Name, Avatar: u.Avatar, Link: u.Link,
		Role: u.Role, StatusMessage: u.StatusMessage, Metadata: u.Metadata, Tags: u.Tags,
		CreatedAt: u.CreatedAt, LastActiveAt: u.LastActiveAt,
	}
}

// create runs ImportStrategyCreate: workers calling POST /users, paced by the Client's window at
// opts.perMinute requests a minute. A worker meeting an error that stops the import stops the feeding; requests
// already under way finish, so that their users' outcomes are known rather than lost to a cancellation.
func (r *importRun) create(ctx context.Context) error {
	stopped, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(r.opts.workers, max(len(r.valid), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				o := r.createOne(ctx, i)
				if o.err != nil && ctx.Err() != nil {
					continue // cut off by the caller: report() settles it with the context's error
				}
				r.settle(i, o)
				if o.err != nil && stops(ctx, o.err) {
					stop(o.err)
				}
				r.reportProgress()
			}
		}()
	}
feed:
	for _, i := range r.valid {
		if stopped.Err() != nil { // checked first: select picks at random among ready cases
			break
		}
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
	return context.Cause(stopped) // nil unless a worker's error stopped the import
}

// createOne creates one user as Users.Create does (the user was validated with the same rules), through the
// Client's create window.
func (r *importRun) createOne(ctx context.Context, i int) outcome {
	var env wire.One[wireUser]
	err := r.c.do(ctx, http.MethodPost, "/users", nil, &r.bodies[i].createUserBody, &env, wire.Unmarshal,
		[]RequestOption{pacing(r.c.imports.create, r.opts.perMinute), retrying(importPolicy(r.c.policy))})
	switch {
	case errors.Is(err, ErrUIDAlreadyExists):
		return outcome{existing: true}
	case err != nil:
		return outcome{err: err}
	case env.Data == nil || !complete(env.Data):
		return outcome{err: errNoData(http.MethodPost, "/users")}
	}
	return outcome{user: env.Data.user()}
}
