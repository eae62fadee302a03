package caller

// Integration tests of the Go caller against a real Temporal dev server and a real Baton runner.
// They need TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and BATON_RUNNER_ADDRESS; caller/test/go.test.ts
// starts both and runs `go test` with them set (`bun test caller/test/go.test.ts`).

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	runnerv1 "github.com/baton-dev/baton/caller/go/gen/workflowrunnerv1"
)

type stack struct {
	temporal client.Client
	runner   runnerv1.WorkflowRunnerServiceControllerClient
	// token is the runner's bearer token (BATON_RUNNER_TOKEN), empty when it requires none.
	token string
	// taskQueue is served by the shared worker for the whole run.
	taskQueue string
}

var shared *stack

func TestMain(m *testing.M) {
	address, namespace, runnerAddress := os.Getenv("TEMPORAL_ADDRESS"), os.Getenv("TEMPORAL_NAMESPACE"), os.Getenv("BATON_RUNNER_ADDRESS")
	if address == "" || namespace == "" || runnerAddress == "" {
		fmt.Println("SKIP: the Go caller's tests need TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and BATON_RUNNER_ADDRESS; run them with `bun test caller/test/go.test.ts`, which starts a dev server and a runner")
		os.Exit(0)
	}
	temporalClient, err := client.Dial(client.Options{
		HostPort:  address,
		Namespace: namespace,
		Logger:    sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))),
	})
	if err != nil {
		fmt.Printf("cannot reach Temporal at %s: %v\n", address, err)
		os.Exit(1)
	}
	token := os.Getenv("BATON_RUNNER_TOKEN")
	connection, err := grpc.NewClient(runnerAddress,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithUnaryInterceptor(func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
			if token != "" && method != runnerv1.WorkflowRunnerServiceController_ExecuteAsync_FullMethodName {
				ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
			}
			return invoker(ctx, method, req, reply, cc, opts...)
		}))
	if err != nil {
		fmt.Printf("cannot dial the runner at %s: %v\n", runnerAddress, err)
		os.Exit(1)
	}
	shared = &stack{
		temporal:  temporalClient,
		runner:    runnerv1.NewWorkflowRunnerServiceControllerClient(connection),
		token:     token,
		taskQueue: fmt.Sprintf("go-caller-%d", time.Now().UnixNano()),
	}
	sharedWorker := shared.newWorker(shared.taskQueue, &Activities{Runner: shared.runner, Token: token})
	if err := sharedWorker.Start(); err != nil {
		fmt.Printf("cannot start the caller worker: %v\n", err)
		os.Exit(1)
	}
	code := m.Run()
	sharedWorker.Stop()
	_ = connection.Close()
	temporalClient.Close()
	os.Exit(code)
}

// activities are the real caller activities, with the runner's token.
func (s *stack) activities() *Activities {
	return &Activities{Runner: s.runner, Token: s.token}
}

// newWorker registers the calling workflow and an executeOnRunner activity: the real one's
// method, or a replacement for tests that need to interfere with it.
func (s *stack) newWorker(taskQueue string, executeOnRunner any) worker.Worker {
	w := worker.New(s.temporal, taskQueue, worker.Options{})
	w.RegisterWorkflow(CallRunnerWorkflow)
	if activities, ok := executeOnRunner.(*Activities); ok {
		executeOnRunner = activities.ExecuteOnRunner
	}
	w.RegisterActivityWithOptions(executeOnRunner, activity.RegisterOptions{Name: ActivityName})
	return w
}

func (s *stack) start(t *testing.T, taskQueue string, request CallRequest) client.WorkflowRun {
	t.Helper()
	run, err := s.temporal.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{
		ID:        "go-caller-" + request.Args.WorkflowExecutionID,
		TaskQueue: taskQueue,
	}, CallRunnerWorkflow, request)
	if err != nil {
		t.Fatalf("start the calling workflow: %v", err)
	}
	return run
}

func outcomeOf(t *testing.T, run client.WorkflowRun) CallOutcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var outcome CallOutcome
	if err := run.Get(ctx, &outcome); err != nil {
		t.Fatalf("the calling workflow failed: %v", err)
	}
	return outcome
}

// waitForExecution polls the runner until the execution satisfies done.
func (s *stack) waitForExecution(t *testing.T, id string, what string, done func(*runnerv1.Execution) bool) *runnerv1.Execution {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var last *runnerv1.Execution
	for time.Now().Before(deadline) {
		execution, err := s.runner.GetExecution(context.Background(), &runnerv1.GetExecutionRequest{ExecutionId: id})
		if err == nil {
			last = execution
			if done(execution) {
				return execution
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("execution %s never became %s; last seen: %v", id, what, last)
	return nil
}

func uniqueID(name string) string {
	return fmt.Sprintf("%s-%d", name, time.Now().UnixNano())
}

func document(name string, tasks string) string {
	return fmt.Sprintf("document:\n  dsl: '1.0.0'\n  namespace: caller-go\n  name: %s\n  version: '0.1.0'\ndo:\n%s", name, tasks)
}

func waitThenGreet(wait string) string {
	return document("greet", fmt.Sprintf(`  - pause:
      wait: %s
  - greet:
      set:
        greeting: ${ "hello " + $input.name }
        language: go
`, wait))
}

func TestSuccessReturnsTheYamlWorkflowsOutput(t *testing.T) {
	id := uniqueID("go-success")
	run := shared.start(t, shared.taskQueue, CallRequest{Args: ExecuteArgs{
		WorkflowExecutionID: id, WorkflowYAML: waitThenGreet("PT0.2S"), Input: map[string]any{"name": "Ada"},
	}})
	outcome := outcomeOf(t, run)
	if outcome.Kind != "completed" {
		t.Fatalf("want completed, got %+v", outcome)
	}
	output, _ := outcome.Output.(map[string]any)
	if output["greeting"] != "hello Ada" || output["language"] != "go" {
		t.Fatalf("want the YAML workflow's output, got %#v", outcome.Output)
	}
}

func TestRaiseFailsTheActivityWithTheRunnersErrorAndTheWorkflowBranchesOnIt(t *testing.T) {
	id := uniqueID("go-raise")
	yaml := document("reject", `  - reject:
      raise:
        error:
          type: https://serverlessworkflow.io/spec/1.0.0/errors/validation
          status: 422
          title: Order rejected
          detail: the basket is empty
`)
	outcome := outcomeOf(t, shared.start(t, shared.taskQueue, CallRequest{Args: ExecuteArgs{WorkflowExecutionID: id, WorkflowYAML: yaml}}))
	if outcome.Kind != string(KindFailed) || outcome.Failure == nil {
		t.Fatalf("want the runner's failure, got %+v", outcome)
	}
	failure := *outcome.Failure
	if failure.Type != "https://serverlessworkflow.io/spec/1.0.0/errors/validation" || failure.Status != 422 ||
		failure.Title != "Order rejected" || failure.Detail != "the basket is empty" || failure.WorkflowExecutionID != id ||
		!strings.Contains(failure.TaskPath, "reject") {
		t.Fatalf("unexpected failure details: %+v", failure)
	}
}

func TestARefusedRequestFailsAtOnceWithTheRunnersMessage(t *testing.T) {
	id := uniqueID("go-refused")
	outcome := outcomeOf(t, shared.start(t, shared.taskQueue, CallRequest{Args: ExecuteArgs{WorkflowExecutionID: id, WorkflowYAML: "do: 42"}}))
	if outcome.Kind != string(KindRejected) || outcome.Rejection == nil || outcome.Rejection.Code != "INVALID_ARGUMENT" || outcome.Rejection.Message == "" {
		t.Fatalf("want an INVALID_ARGUMENT rejection, got %+v", outcome)
	}
}

func TestCancellingTheCallerCancelsTheRunnersExecution(t *testing.T) {
	id := uniqueID("go-cancel-caller")
	run := shared.start(t, shared.taskQueue, CallRequest{Args: ExecuteArgs{WorkflowExecutionID: id, WorkflowYAML: waitThenGreet("PT60S"), Input: map[string]any{"name": "Ada"}}})
	shared.waitForExecution(t, id, "in progress", func(e *runnerv1.Execution) bool { return e.Phase == runnerv1.ExecutionPhase_EXECUTION_IN_PROGRESS })
	if err := shared.temporal.CancelWorkflow(context.Background(), run.GetID(), run.GetRunID()); err != nil {
		t.Fatalf("cancel the calling workflow: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := run.Get(ctx, nil)
	var cancelled *temporal.CanceledError
	if !errors.As(err, &cancelled) {
		t.Fatalf("want the calling workflow cancelled, got %v", err)
	}
	shared.waitForExecution(t, id, "cancelled", func(e *runnerv1.Execution) bool { return e.Phase == runnerv1.ExecutionPhase_EXECUTION_CANCELLED })
}

func TestCancellingTheRunnersExecutionEndsTheCallersActivityAsCancelled(t *testing.T) {
	id := uniqueID("go-cancel-runner")
	run := shared.start(t, shared.taskQueue, CallRequest{Args: ExecuteArgs{WorkflowExecutionID: id, WorkflowYAML: waitThenGreet("PT60S"), Input: map[string]any{"name": "Ada"}}})
	shared.waitForExecution(t, id, "in progress", func(e *runnerv1.Execution) bool { return e.Phase == runnerv1.ExecutionPhase_EXECUTION_IN_PROGRESS })
	if _, err := shared.runner.CancelExecution(context.Background(), &runnerv1.CancelExecutionRequest{ExecutionId: id, Reason: "operator stop"}); err != nil {
		t.Fatalf("cancelExecution: %v", err)
	}
	outcome := outcomeOf(t, run)
	if outcome.Kind != string(KindCancelled) || outcome.By != "runner" {
		t.Fatalf("want the caller's activity cancelled by the runner, got %+v", outcome)
	}
}

func TestParkedMeansParkedTheResultWaitsForACallerWorker(t *testing.T) {
	id := uniqueID("go-parked")
	taskQueue := uniqueID("go-caller-parked")
	// The runner may start before its answer reaches the activity: stop the worker only once the
	// activity has returned ErrResultPending, or stopping would fail the attempt instead.
	parked := make(chan struct{})
	real := shared.activities()
	first := shared.newWorker(taskQueue, func(ctx context.Context, args ExecuteArgs) (any, error) {
		result, err := real.ExecuteOnRunner(ctx, args)
		if errors.Is(err, activity.ErrResultPending) {
			close(parked)
		}
		return result, err
	})
	if err := first.Start(); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	run := shared.start(t, taskQueue, CallRequest{Args: ExecuteArgs{WorkflowExecutionID: id, WorkflowYAML: waitThenGreet("PT3S"), Input: map[string]any{"name": "Ada"}}})
	select {
	case <-parked:
	case <-time.After(30 * time.Second):
		t.Fatal("the activity never parked")
	}
	first.Stop()
	if execution, err := shared.runner.GetExecution(context.Background(), &runnerv1.GetExecutionRequest{ExecutionId: id}); err != nil || execution.Phase != runnerv1.ExecutionPhase_EXECUTION_IN_PROGRESS {
		t.Fatalf("the runner must still be working when the caller's worker is gone: %v %v", execution.GetPhase(), err)
	}

	// The runner closes the parked activity while no caller worker exists. (Its own record of the
	// delivery is the runner's business and tested there.)
	shared.waitForExecution(t, id, "completed", func(e *runnerv1.Execution) bool { return e.Phase == runnerv1.ExecutionPhase_EXECUTION_COMPLETED })
	deadline := time.Now().Add(30 * time.Second)
	for {
		description, err := shared.temporal.DescribeWorkflowExecution(context.Background(), run.GetID(), run.GetRunID())
		if err == nil && len(description.GetPendingActivities()) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the runner never closed the parked activity (describe error: %v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	description, err := shared.temporal.DescribeWorkflowExecution(context.Background(), run.GetID(), run.GetRunID())
	if err != nil {
		t.Fatalf("describe: %v", err)
	}
	if status := description.GetWorkflowExecutionInfo().GetStatus(); status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Fatalf("without a worker the calling workflow must still be running, got %v", status)
	}
	if pending := len(description.GetPendingActivities()); pending != 0 {
		t.Fatalf("the runner's completion must have closed the parked activity, %d still pending", pending)
	}

	second := shared.newWorker(taskQueue, shared.activities())
	if err := second.Start(); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	defer second.Stop()
	outcome := outcomeOf(t, run)
	if output, _ := outcome.Output.(map[string]any); outcome.Kind != "completed" || output["greeting"] != "hello Ada" {
		t.Fatalf("want the result delivered to the new worker, got %+v", outcome)
	}
}

func TestAShortStartToCloseTimesOutAndTheRunnerKeepsItsResult(t *testing.T) {
	id := uniqueID("go-timeout")
	outcome := outcomeOf(t, shared.start(t, shared.taskQueue, CallRequest{
		Args:         ExecuteArgs{WorkflowExecutionID: id, WorkflowYAML: waitThenGreet("PT4S"), Input: map[string]any{"name": "Ada"}},
		StartToClose: 1500 * time.Millisecond, MaximumAttempts: 1,
	}))
	if outcome.Kind != string(KindTimedOut) || outcome.Timeout != enumspb.TIMEOUT_TYPE_START_TO_CLOSE.String() {
		t.Fatalf("want a StartToClose timeout, got %+v", outcome)
	}
	execution := shared.waitForExecution(t, id, "completed with its callback lost", func(e *runnerv1.Execution) bool {
		return e.Phase == runnerv1.ExecutionPhase_EXECUTION_COMPLETED && e.GetCallback().GetDelivery() == runnerv1.CallbackDelivery_CALLBACK_LOST
	})
	if greeting := execution.GetOutput().GetStructValue().GetFields()["greeting"].GetStringValue(); greeting != "hello Ada" {
		t.Fatalf("the runner must keep the result, got %v", execution.GetOutput())
	}
}

func TestARetriedActivityReTargetsTheOneExecution(t *testing.T) {
	id := uniqueID("go-retry")
	taskQueue := uniqueID("go-caller-retry")
	real := shared.activities()
	// The first attempt reaches the runner, then dies as if its worker crashed before it could park.
	flaky := func(ctx context.Context, args ExecuteArgs) (any, error) {
		result, err := real.ExecuteOnRunner(ctx, args)
		if activity.GetInfo(ctx).Attempt == 1 && errors.Is(err, activity.ErrResultPending) {
			return nil, temporal.NewApplicationError("simulated crash after executeAsync", "SimulatedCrash")
		}
		return result, err
	}
	w := shared.newWorker(taskQueue, flaky)
	if err := w.Start(); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	defer w.Stop()
	run := shared.start(t, taskQueue, CallRequest{Args: ExecuteArgs{WorkflowExecutionID: id, WorkflowYAML: waitThenGreet("PT2S"), Input: map[string]any{"name": "Ada"}}})
	outcome := outcomeOf(t, run)
	if output, _ := outcome.Output.(map[string]any); outcome.Kind != "completed" || output["greeting"] != "hello Ada" {
		t.Fatalf("want the second attempt to get the result, got %+v", outcome)
	}
	runs, err := shared.temporal.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
		Query: fmt.Sprintf("WorkflowId = '%s'", id),
	})
	if err != nil {
		t.Fatalf("list runner executions: %v", err)
	}
	if count := len(runs.GetExecutions()); count != 1 {
		t.Fatalf("want exactly one runner execution for %s, found %d", id, count)
	}
	attempts := activityAttempts(t, run)
	if attempts != 2 {
		t.Fatalf("want the result on attempt 2, the activity completed on attempt %d", attempts)
	}
}

// activityAttempts reads the attempt that completed the calling workflow's activity from its history.
func activityAttempts(t *testing.T, run client.WorkflowRun) int32 {
	t.Helper()
	history := shared.temporal.GetWorkflowHistory(context.Background(), run.GetID(), run.GetRunID(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var attempt int32
	for history.HasNext() {
		event, err := history.Next()
		if err != nil {
			t.Fatalf("read history: %v", err)
		}
		if started := event.GetActivityTaskStartedEventAttributes(); started != nil {
			attempt = started.GetAttempt()
		}
	}
	return attempt
}

func TestTheActivitySendsTheRunnersBearerToken(t *testing.T) {
	if shared.token == "" {
		t.Skip("the runner requires no token (BATON_RUNNER_TOKEN unset)")
	}
	taskQueue := uniqueID("go-caller-no-token")
	w := shared.newWorker(taskQueue, &Activities{Runner: shared.runner})
	if err := w.Start(); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	defer w.Stop()
	outcome := outcomeOf(t, shared.start(t, taskQueue, CallRequest{Args: ExecuteArgs{WorkflowExecutionID: uniqueID("go-no-token"), WorkflowYAML: waitThenGreet("PT0S")}}))
	if outcome.Kind != string(KindRejected) || outcome.Rejection == nil || outcome.Rejection.Code != "UNAUTHENTICATED" {
		t.Fatalf("without the token the runner must refuse the call, got %+v", outcome)
	}
}

// The TypeScript activity and the Go one are interchangeable: same activity type, same JSON
// arguments. caller/test/go.test.ts serves the TypeScript one on BATON_TS_ACTIVITY_QUEUE.
func TestAGoWorkflowParksTheTypeScriptActivity(t *testing.T) {
	queue := os.Getenv("BATON_TS_ACTIVITY_QUEUE")
	if queue == "" {
		t.Skip("no TypeScript caller worker (BATON_TS_ACTIVITY_QUEUE unset)")
	}
	id := uniqueID("go-calls-ts")
	outcome := outcomeOf(t, shared.start(t, shared.taskQueue, CallRequest{
		Args:              ExecuteArgs{WorkflowExecutionID: id, WorkflowYAML: waitThenGreet("PT0.2S"), Input: map[string]any{"name": "Ada"}},
		ActivityTaskQueue: queue,
	}))
	if output, _ := outcome.Output.(map[string]any); outcome.Kind != "completed" || output["greeting"] != "hello Ada" {
		t.Fatalf("want the YAML output through the TypeScript activity, got %+v", outcome)
	}
	history := shared.temporal.GetWorkflowHistory(context.Background(), "go-caller-"+id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var identities []string
	for history.HasNext() {
		event, err := history.Next()
		if err != nil {
			t.Fatalf("read history: %v", err)
		}
		if started := event.GetActivityTaskStartedEventAttributes(); started != nil {
			identities = append(identities, started.GetIdentity())
		}
	}
	if len(identities) != 1 || !strings.HasPrefix(identities[0], "typescript-caller@") {
		t.Fatalf("want one attempt on the TypeScript worker, got %q", identities)
	}
}

func TestForcingTheRunnersExecutionToStopFailsTheCallerAsTerminated(t *testing.T) {
	id := uniqueID("go-terminate")
	run := shared.start(t, shared.taskQueue, CallRequest{Args: ExecuteArgs{WorkflowExecutionID: id, WorkflowYAML: waitThenGreet("PT60S"), Input: map[string]any{"name": "Ada"}}})
	shared.waitForExecution(t, id, "in progress", func(e *runnerv1.Execution) bool { return e.Phase == runnerv1.ExecutionPhase_EXECUTION_IN_PROGRESS })
	if _, err := shared.runner.CancelExecution(context.Background(), &runnerv1.CancelExecutionRequest{ExecutionId: id, Reason: "operator kill", Force: true}); err != nil {
		t.Fatalf("cancelExecution with force: %v", err)
	}
	if outcome := outcomeOf(t, run); outcome.Kind != string(KindTerminated) {
		t.Fatalf("want the caller's activity failed as terminated, got %+v", outcome)
	}
}

func TestMalformedArgumentsFailBeforeReachingTheRunner(t *testing.T) {
	id := uniqueID("go-malformed")
	outcome := outcomeOf(t, shared.start(t, shared.taskQueue, CallRequest{Args: ExecuteArgs{WorkflowExecutionID: id}}))
	if outcome.Kind != string(KindInvalidArgs) {
		t.Fatalf("want invalid-args, got %+v", outcome)
	}
	if _, err := shared.runner.GetExecution(context.Background(), &runnerv1.GetExecutionRequest{ExecutionId: id}); status.Code(err) != codes.NotFound {
		t.Fatalf("the runner must never have seen %s, got %v", id, err)
	}
}

func TestTheRunnersHeartbeatsKeepAParkedActivityAlivePastItsHeartbeatTimeout(t *testing.T) {
	id := uniqueID("go-heartbeats")
	outcome := outcomeOf(t, shared.start(t, shared.taskQueue, CallRequest{
		Args:             ExecuteArgs{WorkflowExecutionID: id, WorkflowYAML: waitThenGreet("PT6S"), Input: map[string]any{"name": "Ada"}},
		HeartbeatTimeout: 4 * time.Second, MaximumAttempts: 1,
	}))
	if outcome.Kind != "completed" {
		t.Fatalf("the runner's heartbeats must keep the activity alive, got %+v", outcome)
	}
}
