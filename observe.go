package rapport

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/rapportcim/rapport/storage"
)

// Operation is what an Observer is told about one Book call, after it
// returned.
type Operation struct {
	// Name is the call: "Receive", "Send", "Conversations.Assign".
	Name string
	// Start is when the call began (time.Now, not the Book's clock), and
	// Duration how long it took (measured on the monotonic clock).
	Start    time.Time
	Duration time.Duration
	// Err is the call's error, nil on success. Its text may quote the
	// record that was refused: an Observer that exports it must treat it
	// as customer data. Outcome is the safe summary.
	Err error
	// Outcome classifies the result without customer data: "ok",
	// "invalid" (a validation error), "refused" (ErrRefused), "not_found",
	// "conflict", "already_exists", "invalid_cursor", "corrupt", "closed",
	// "canceled", "deadline" or "error".
	Outcome string
}

// observe reports a finished call to the Logger (at Debug level on
// success, Warn for a refusal or invalid input, Error otherwise) and to
// the Observer. Only the call's name, the tenant, the duration and the
// outcome are logged: never arguments, records or error text, which can
// hold customer data. Use it as
//
//	defer b.observe(ctx, "Receive", time.Now(), &err)
func (b *Book) observe(ctx context.Context, name string, start time.Time, errp *error) {
	var err error
	if errp != nil {
		err = *errp
	}
	outcome := outcomeOf(err)
	level := slog.LevelDebug
	switch outcome {
	case "ok", "canceled":
	case "invalid", "refused", "not_found", "conflict", "already_exists", "invalid_cursor":
		level = slog.LevelWarn
	default:
		level = slog.LevelError
	}
	d := time.Since(start)
	if b.log.Enabled(ctx, level) {
		b.log.LogAttrs(ctx, level, "rapport: "+name,
			slog.String("op", name), slog.String("tenant", string(b.tenant)),
			slog.Duration("duration", d), slog.String("outcome", outcome))
	}
	if b.observer != nil {
		b.observer(ctx, Operation{Name: name, Start: start, Duration: d, Err: err, Outcome: outcome})
	}
}

// outcomeOf names an error's kind for logs and metrics.
func outcomeOf(err error) string {
	var fe FieldError
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline"
	case errors.Is(err, ErrRefused):
		return "refused"
	case errors.Is(err, storage.ErrNotFound):
		return "not_found"
	case errors.Is(err, storage.ErrConflict):
		return "conflict"
	case errors.Is(err, storage.ErrAlreadyExists):
		return "already_exists"
	case errors.Is(err, storage.ErrInvalidCursor):
		return "invalid_cursor"
	case errors.Is(err, storage.ErrCorrupt):
		return "corrupt"
	case errors.Is(err, storage.ErrClosed):
		return "closed"
	case errors.As(err, &fe):
		return "invalid"
	}
	return "error"
}
