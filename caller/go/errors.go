package caller

import (
	"errors"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

// The failure types (FailureTypeRejected, FailureTypeExecutionCancelled...) are in
// failure_types.go, generated from the one table in proto/src/failure-types.ts.

// ErrorKind says how a hand-off ended badly.
type ErrorKind string

const (
	// KindFailed: the YAML workflow failed (raise, call error); Failure says how.
	KindFailed ErrorKind = "failed"
	// KindRejected: the runner refused the request (bad YAML...); Rejection says why.
	KindRejected ErrorKind = "rejected"
	// KindUnreachable: the runner did not answer and the retries are spent.
	KindUnreachable ErrorKind = "unreachable"
	// KindInvalidArgs: the activity's arguments were malformed.
	KindInvalidArgs ErrorKind = "invalid-args"
	// KindCancelled: the execution was cancelled; CancelledBy says by the calling workflow
	// ("caller", confirmed by the runner through the heartbeat) or on the runner ("runner").
	KindCancelled ErrorKind = "cancelled"
	// KindTerminated: the execution was terminated on the runner (cancelExecution with force).
	KindTerminated ErrorKind = "terminated"
	// KindTimedOut: the activity ran out of time; TimeoutType HEARTBEAT means the runner went quiet.
	KindTimedOut ErrorKind = "timed-out"
	// KindUnexpected: a failure neither the caller nor the runner produces; read Message.
	KindUnexpected ErrorKind = "unexpected"
)

// RunnerFailure is what the runner attaches when the YAML workflow fails.
type RunnerFailure struct {
	Type                string `json:"type"`
	Message             string `json:"message"`
	WorkflowExecutionID string `json:"workflow_execution_id"`
	Status              int    `json:"status"`
	Title               string `json:"title,omitempty"`
	Detail              string `json:"detail,omitempty"`
	TaskPath            string `json:"task_path,omitempty"`
}

// RunnerRejection is the runner's refusal: the gRPC status name and its message.
type RunnerRejection struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// RunnerError classifies an error returned by the ExecuteOnRunner future.
type RunnerError struct {
	Kind        ErrorKind
	Message     string
	CancelledBy string
	Failure     *RunnerFailure
	Rejection   *RunnerRejection
	TimeoutType enumspb.TimeoutType
}

// RunnerErrorOf classifies err; ok is false when err is not an activity error (return it as is).
func RunnerErrorOf(err error) (RunnerError, bool) {
	var activityErr *temporal.ActivityError
	if !errors.As(err, &activityErr) {
		return RunnerError{}, false
	}
	var cancelled *temporal.CanceledError
	if errors.As(err, &cancelled) {
		return RunnerError{Kind: KindCancelled, CancelledBy: "caller", Message: cancelled.Error()}, true
	}
	var timeout *temporal.TimeoutError
	if errors.As(err, &timeout) {
		return RunnerError{Kind: KindTimedOut, Message: timeout.Error(), TimeoutType: timeout.TimeoutType()}, true
	}
	var app *temporal.ApplicationError
	if !errors.As(err, &app) {
		return RunnerError{Kind: KindUnexpected, Message: activityErr.Error()}, true
	}
	switch app.Type() {
	case FailureTypeExecutionCancelled:
		return RunnerError{Kind: KindCancelled, CancelledBy: "runner", Message: app.Message()}, true
	case FailureTypeExecutionTerminated:
		return RunnerError{Kind: KindTerminated, Message: app.Message()}, true
	case FailureTypeRejected:
		var problem callProblem
		_ = app.Details(&problem)
		return RunnerError{Kind: KindRejected, Message: app.Message(), Rejection: &RunnerRejection{Code: problem.Code, Message: app.Message()}}, true
	case FailureTypeUnreachable:
		return RunnerError{Kind: KindUnreachable, Message: app.Message()}, true
	case FailureTypeInvalidArgs:
		return RunnerError{Kind: KindInvalidArgs, Message: app.Message()}, true
	}
	var failure RunnerFailure
	if !app.HasDetails() || app.Details(&failure) != nil || failure.WorkflowExecutionID == "" {
		return RunnerError{Kind: KindUnexpected, Message: app.Message()}, true
	}
	failure.Type = app.Type()
	failure.Message = app.Message()
	return RunnerError{Kind: KindFailed, Message: app.Message(), Failure: &failure}, true
}
