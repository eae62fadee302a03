// Package caller is the Go twin of @baton/caller: a Temporal activity that hands a Serverless
// Workflow document to the Baton runner together with its own task token and parks itself by
// returning activity.ErrResultPending, exactly as a Zigflow-style engine does. The runner heartbeats
// the parked activity while the workflow runs and completes, fails or cancels it at the end.
package caller

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/structpb"

	runnerv1 "github.com/baton-dev/baton/caller/go/gen/workflowrunnerv1"
)

// ActivityName is the activity type on the wire, the same as the TypeScript caller's, so either
// language's workflow can schedule either language's activity.
const ActivityName = "executeOnRunner"

// tokenHintChars bounds how much of the task token (a bearer secret) may reach a log line.
const tokenHintChars = 20

const defaultCallTimeout = 30 * time.Second

// ExecuteArgs is what one hand-off carries; the JSON names match the TypeScript caller's.
type ExecuteArgs struct {
	// WorkflowExecutionID becomes the runner's execution id and Temporal workflow id. Retries resend
	// it, so the runner re-targets its callback instead of starting a second execution.
	WorkflowExecutionID string `json:"workflowExecutionId"`
	// WorkflowYAML is a Serverless Workflow 1.0 document (YAML or JSON).
	WorkflowYAML string `json:"workflowYaml"`
	// Input is the workflow's $input; nil means {}.
	Input map[string]any `json:"input,omitempty"`
	// CallbackNamespace is the namespace whose activity the runner completes; empty means the one
	// this activity runs in, which is where its task token belongs.
	CallbackNamespace string `json:"callbackNamespace,omitempty"`
}

// Activities holds the runner client the activity calls. Register it with
// worker.RegisterActivityWithOptions(a.ExecuteOnRunner, activity.RegisterOptions{Name: ActivityName}).
type Activities struct {
	Runner runnerv1.WorkflowRunnerServiceControllerClient
	// Token, when set, is sent as `authorization: Bearer <token>` (a runner started with --auth-token).
	Token string
	// CallTimeout bounds one executeAsync call (default 30 s).
	CallTimeout time.Duration
}

// ExecuteOnRunner calls executeAsync with this activity's task token and returns
// activity.ErrResultPending: the worker lets go of the activity, Temporal keeps it open, and the
// runner's completion is what the scheduling workflow receives.
func (a *Activities) ExecuteOnRunner(ctx context.Context, args ExecuteArgs) (any, error) {
	if err := args.check(); err != nil {
		return nil, err
	}
	info := activity.GetInfo(ctx)
	request := &runnerv1.WorkflowExecuteInput{
		WorkflowExecutionId: args.WorkflowExecutionID,
		WorkflowYaml:        args.WorkflowYAML,
		CallbackToken:       info.TaskToken,
		CallbackNamespace:   args.CallbackNamespace,
	}
	if request.CallbackNamespace == "" {
		request.CallbackNamespace = info.Namespace
	}
	if args.Input != nil {
		input, err := structpb.NewStruct(args.Input)
		if err != nil {
			return nil, invalidArgs(fmt.Sprintf("input is not a JSON object: %v", err))
		}
		request.Input = input
	}
	timeout := a.CallTimeout
	if timeout == 0 {
		timeout = defaultCallTimeout
	}
	callCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if a.Token != "" {
		callCtx = metadata.AppendToOutgoingContext(callCtx, "authorization", "Bearer "+a.Token)
	}
	answer, err := a.Runner.ExecuteAsync(callCtx, request)
	if err != nil {
		return nil, failureFor(err, args.WorkflowExecutionID)
	}
	activity.GetLogger(ctx).Info("handed off to the Baton runner; parking the activity until it calls back",
		"workflowExecutionId", args.WorkflowExecutionID,
		"attempt", info.Attempt,
		"tokenHint", TokenHint(info.TaskToken),
		"runnerStatus", answer.GetStatus(),
		"runnerMessage", answer.GetMessage(),
		"temporalWorkflowId", answer.GetTemporalWorkflowId(),
	)
	return nil, activity.ErrResultPending
}

// TokenHint is the log-safe form of a task token: the first characters of its base64.
func TokenHint(token []byte) string {
	encoded := base64.StdEncoding.EncodeToString(token)
	if len(encoded) > tokenHintChars {
		return encoded[:tokenHintChars]
	}
	return encoded
}

func (args ExecuteArgs) check() error {
	switch {
	case args.WorkflowExecutionID == "":
		return invalidArgs("workflowExecutionId must be a non-empty string")
	case len(args.WorkflowYAML) == 0:
		return invalidArgs("workflowYaml must be a non-empty string")
	}
	return nil
}

func invalidArgs(reason string) error {
	return temporal.NewNonRetryableApplicationError(reason, FailureTypeInvalidArgs, nil)
}

// transientCodes mean the runner or Temporal is down or slow right now. ResourceExhausted is
// transient only with a retry hint (retryAfter): without one it is a request over the runner's
// size limits, which no retry fixes.
var transientCodes = map[codes.Code]bool{
	codes.Unavailable:      true,
	codes.DeadlineExceeded: true,
	codes.Aborted:          true,
	codes.Canceled:         true,
}

type callProblem struct {
	Code                string `json:"code"`
	WorkflowExecutionID string `json:"workflow_execution_id"`
}

func failureFor(err error, workflowExecutionID string) error {
	answer, ok := status.FromError(err)
	if !ok {
		if errors.Is(err, context.DeadlineExceeded) {
			answer = status.New(codes.DeadlineExceeded, err.Error())
		} else {
			answer = status.New(codes.Unknown, err.Error())
		}
	}
	problem := callProblem{Code: grpcCodeName(answer.Code()), WorkflowExecutionID: workflowExecutionID}
	if delay, ok := retryAfter(answer); ok {
		return temporal.NewApplicationErrorWithOptions(
			fmt.Sprintf("the runner is busy (%s): %s", problem.Code, answer.Message()),
			FailureTypeUnreachable,
			temporal.ApplicationErrorOptions{Details: []interface{}{problem}, NextRetryDelay: delay})
	}
	if transientCodes[answer.Code()] {
		return temporal.NewApplicationError(
			fmt.Sprintf("the runner did not answer (%s): %s", problem.Code, answer.Message()),
			FailureTypeUnreachable, problem)
	}
	return temporal.NewNonRetryableApplicationError(answer.Message(), FailureTypeRejected, nil, problem)
}

// grpcCodeName spells a code the way gRPC's status tables do (INVALID_ARGUMENT), like the TS caller.
func grpcCodeName(code codes.Code) string {
	names := map[codes.Code]string{
		codes.OK: "OK", codes.Canceled: "CANCELLED", codes.Unknown: "UNKNOWN",
		codes.InvalidArgument: "INVALID_ARGUMENT", codes.DeadlineExceeded: "DEADLINE_EXCEEDED",
		codes.NotFound: "NOT_FOUND", codes.AlreadyExists: "ALREADY_EXISTS",
		codes.PermissionDenied: "PERMISSION_DENIED", codes.ResourceExhausted: "RESOURCE_EXHAUSTED",
		codes.FailedPrecondition: "FAILED_PRECONDITION", codes.Aborted: "ABORTED",
		codes.OutOfRange: "OUT_OF_RANGE", codes.Unimplemented: "UNIMPLEMENTED", codes.Internal: "INTERNAL",
		codes.Unavailable: "UNAVAILABLE", codes.DataLoss: "DATA_LOSS", codes.Unauthenticated: "UNAUTHENTICATED",
	}
	if name, ok := names[code]; ok {
		return name
	}
	return fmt.Sprintf("CODE_%d", code)
}

// retryInfoTypeURL names the google.rpc.RetryInfo the runner puts in a refusal worth retrying.
const retryInfoTypeURL = "type.googleapis.com/google.rpc.RetryInfo"

// retryAfter reads the runner's retry hint: a RESOURCE_EXHAUSTED carrying a google.rpc.RetryInfo
// (its start queue was full, or Temporal rate-limited it). Decoded by hand — RetryInfo is one
// Duration field — so the caller needs no error-details dependency.
func retryAfter(answer *status.Status) (time.Duration, bool) {
	if answer.Code() != codes.ResourceExhausted {
		return 0, false
	}
	for _, detail := range answer.Proto().GetDetails() {
		if detail.GetTypeUrl() != retryInfoTypeURL {
			continue
		}
		var delay durationpb.Duration
		info := detail.GetValue()
		// RetryInfo { google.protobuf.Duration retry_delay = 1; }: tag 0x0a, length, Duration bytes.
		if len(info) >= 2 && info[0] == 0x0a && int(info[1]) == len(info)-2 && proto.Unmarshal(info[2:], &delay) == nil {
			return delay.AsDuration(), true
		}
		return time.Second, true
	}
	return 0, false
}
