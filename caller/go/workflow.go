package caller

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// RunnerHeartbeatInterval is how often the runner heartbeats a parked caller activity.
const RunnerHeartbeatInterval = 10 * time.Second

// DefaultActivityOptions are the handshake's defaults, the same as the TypeScript caller's:
// wait up to 24 h; three missed runner heartbeats mean the runner is gone; retries (which resend
// the same execution id and re-target the callback) back off from 1 s to 1 min, 10 attempts;
// cancelling waits for the runner to confirm the execution was cancelled.
func DefaultActivityOptions() workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout: 24 * time.Hour,
		HeartbeatTimeout:    3 * RunnerHeartbeatInterval,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			MaximumAttempts:        10,
			NonRetryableErrorTypes: []string{FailureTypeRejected, FailureTypeInvalidArgs},
		},
		WaitForCancellation: true,
	}
}

// ExecuteOnRunner schedules the caller activity with the given options (DefaultActivityOptions
// when nil). Get the YAML workflow's output from the future; classify its error with RunnerErrorOf.
func ExecuteOnRunner(ctx workflow.Context, args ExecuteArgs, options *workflow.ActivityOptions) workflow.Future {
	chosen := DefaultActivityOptions()
	if options != nil {
		chosen = *options
	}
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, chosen), ActivityName, args)
}

// CallRequest is the input of CallRunnerWorkflow.
type CallRequest struct {
	Args ExecuteArgs `json:"args"`
	// StartToClose, HeartbeatTimeout and MaximumAttempts override the defaults when non-zero.
	StartToClose     time.Duration `json:"startToClose,omitempty"`
	HeartbeatTimeout time.Duration `json:"heartbeatTimeout,omitempty"`
	MaximumAttempts  int32         `json:"maximumAttempts,omitempty"`
	// ActivityTaskQueue runs the activity on another task queue, e.g. a worker in another language.
	ActivityTaskQueue string `json:"activityTaskQueue,omitempty"`
}

// CallOutcome is what CallRunnerWorkflow returns: the YAML workflow's output, or how it ended badly.
type CallOutcome struct {
	Kind      string           `json:"kind"`
	Output    any              `json:"output,omitempty"`
	Failure   *RunnerFailure   `json:"failure,omitempty"`
	Rejection *RunnerRejection `json:"rejection,omitempty"`
	Message   string           `json:"message,omitempty"`
	By        string           `json:"by,omitempty"`
	Timeout   string           `json:"timeout,omitempty"`
}

// CallRunnerWorkflow runs one YAML workflow on the runner and branches on how it ended. A
// cancellation of this workflow is returned as its error, so it ends cancelled.
func CallRunnerWorkflow(ctx workflow.Context, request CallRequest) (CallOutcome, error) {
	options := DefaultActivityOptions()
	if request.StartToClose > 0 {
		options.StartToCloseTimeout = request.StartToClose
	}
	if request.HeartbeatTimeout > 0 {
		options.HeartbeatTimeout = request.HeartbeatTimeout
	}
	if request.MaximumAttempts > 0 {
		options.RetryPolicy.MaximumAttempts = request.MaximumAttempts
	}
	options.TaskQueue = request.ActivityTaskQueue
	var output any
	err := ExecuteOnRunner(ctx, request.Args, &options).Get(ctx, &output)
	if err == nil {
		return CallOutcome{Kind: "completed", Output: output}, nil
	}
	classified, ok := RunnerErrorOf(err)
	if !ok || (classified.Kind == KindCancelled && ctx.Err() != nil) {
		return CallOutcome{}, err
	}
	outcome := CallOutcome{Kind: string(classified.Kind), Failure: classified.Failure, Rejection: classified.Rejection, Message: classified.Message, By: classified.CancelledBy}
	if classified.Kind == KindTimedOut {
		outcome.Timeout = classified.TimeoutType.String()
	}
	return outcome, nil
}
