package storage

import (
	"context"
	"errors"

	"github.com/rapportcim/rapport/internal/textcheck"
)

// The canonical storage errors. Backends return them wrapped in an *Error
// that keeps the native cause; callers match them with errors.Is.
var (
	// ErrNotFound: no record with that key exists in the tenant.
	ErrNotFound = errors.New("storage: not found")
	// ErrAlreadyExists: a create found a record with the same key.
	ErrAlreadyExists = errors.New("storage: already exists")
	// ErrConflict: an update or delete named a revision that is not the
	// stored one (somebody else wrote first). Re-read and retry.
	ErrConflict = errors.New("storage: revision conflict")
	// ErrClosed: the backend was closed.
	ErrClosed = errors.New("storage: backend closed")
	// ErrInvalidCursor: a cursor is malformed, or belongs to another tenant
	// or another list.
	ErrInvalidCursor = errors.New("storage: invalid cursor")
	// ErrInvalidArgument: a request a backend cannot serve (a record without
	// a tenant or ID, a Create with a non-zero revision, text that is not
	// valid UTF-8 or holds NUL).
	ErrInvalidArgument = errors.New("storage: invalid argument")
	// ErrCorrupt: a stored record cannot be decoded (its document was
	// damaged outside the backend, or written by an incompatible version).
	// The cause names the record: a *[CorruptError], or for a list the
	// errors.Join of one *CorruptError per such record. A Get fails with it;
	// a list or page never fails as a whole because of it: it returns the
	// records that decode, in order, the cursor to continue from as if the
	// corrupt ones had been returned, and this error beside them.
	ErrCorrupt = errors.New("storage: stored record cannot be decoded")
)

// CorruptError names a stored record that cannot be decoded; it is the
// cause inside an [ErrCorrupt]. Err is the decoder's error (it may quote
// part of the stored document, so log it with care).
type CorruptError struct {
	Entity Entity // the kind of record: EntityCustomer, …
	ID     string // its ID in canonical text form
	Err    error
}

func (e *CorruptError) Error() string {
	return "corrupt " + string(e.Entity) + " " + e.ID + ": " + e.Err.Error()
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Error is a storage failure: the operation, the canonical sentinel (Kind)
// and the backend's native cause. Both errors.Is(err, storage.ErrNotFound)
// and errors.As(err, &sqliteErr) see through it.
type Error struct {
	Op   string // "sqlitestore.UpdateCustomer"
	Kind error  // one of the sentinels above, or nil for an unclassified failure
	Err  error  // the native cause, or nil
}

func (e *Error) Error() string {
	msg := e.Op
	if e.Kind != nil {
		msg += ": " + e.Kind.Error()
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the sentinel and the cause.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// E builds an *Error. Context errors (context.Canceled,
// context.DeadlineExceeded) and errors that already are an *Error are
// returned unchanged, so a cancelled call reports exactly ctx.Err().
func E(op string, kind, cause error) error {
	if cause != nil && kind == nil {
		if errors.Is(cause, context.Canceled) || errors.Is(cause, context.DeadlineExceeded) {
			return cause
		}
		var se *Error
		if errors.As(cause, &se) {
			return cause
		}
	}
	return &Error{Op: op, Kind: kind, Err: cause}
}

// TextError is the cause inside the [ErrInvalidArgument] that [CheckText]
// returns: Field is the JSON path of the first string of the record that is
// not valid UTF-8 or contains NUL. It holds no part of the text.
type TextError struct {
	Field   string // "attributes.trim_code", "life_events[0].source"
	Problem string // "not valid UTF-8" or "contains NUL"
}

func (e *TextError) Error() string { return e.Field + ": " + e.Problem }

// CheckText returns an *Error of kind [ErrInvalidArgument] (with a
// *[TextError] as cause) when a string anywhere in rec (a record value or a
// pointer to one: every exported field, list element, map key and value) is
// not valid UTF-8 or contains NUL, and nil otherwise. Such text cannot be
// stored faithfully by every engine (encoding/json replaces invalid bytes
// with U+FFFD; SQL text columns cut or refuse NUL), so every backend refuses
// it on every write, and backends never disagree about what was stored. The
// domain packages' Validate methods report the same strings as validation
// errors; CheckText is the backends' guard for writes that skip Validate.
func CheckText(op string, rec any) error {
	var first *TextError
	textcheck.Walk(rec, func(path, problem string) {
		if first == nil {
			first = &TextError{Field: path, Problem: problem}
		}
	})
	if first != nil {
		return E(op, ErrInvalidArgument, first)
	}
	return nil
}
