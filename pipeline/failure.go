package pipeline

import (
	"errors"
	"time"
)

// Failure is an error that retrying cannot fix: a corrupt or encrypted file,
// an image too large to decode safely. The document ends in failed/ with
// Advice (Vietnamese, for the clerk: what happened and what to do) and the
// technical error beside it.
type Failure struct {
	Advice string
	Err    error
}

func (f *Failure) Error() string { return f.Err.Error() }
func (f *Failure) Unwrap() error { return f.Err }

// Permanent marks err as a failure that retrying cannot fix.
func Permanent(advice string, err error) error {
	if err == nil {
		return nil
	}
	return &Failure{Advice: advice, Err: err}
}

// IsPermanent reports whether err (or an error it wraps) is a Failure.
func IsPermanent(err error) bool {
	var f *Failure
	return errors.As(err, &f)
}

// Reason is the text written beside a failed file: the advice, if any, then
// the technical detail.
func Reason(err error) string {
	var f *Failure
	if errors.As(err, &f) && f.Advice != "" {
		return f.Advice + "\nChi tiết kỹ thuật (technical detail): " + err.Error()
	}
	return "Không xử lý được tệp này sau nhiều lần thử. Hãy báo cho bộ phận CNTT.\n" +
		"Chi tiết kỹ thuật (technical detail): " + err.Error()
}

// maxDeliveries bounds how often one message is tried. Transient failures
// back off up to retryCap between tries, so this is hours of an unavailable
// service, or a page that crashes every worker that takes it.
const (
	maxDeliveries = 60
	retryBase     = 2 * time.Second
	retryCap      = 5 * time.Minute
)

// retryDelay is the pause before delivery n+1 of a message that failed n times.
func retryDelay(n uint64) time.Duration {
	d := retryBase
	for i := uint64(1); i < n && d < retryCap; i++ {
		d *= 2
	}
	return min(d, retryCap)
}
