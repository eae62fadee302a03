package caller

import (
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/types/known/anypb"
)

// The runner's refusal for load: RESOURCE_EXHAUSTED with a RetryInfo of 1.5 s
// (RetryInfo{retry_delay: Duration{seconds: 1, nanos: 500_000_000}}, as the runner encodes it).
func busyAnswer() error {
	info := []byte{0x0a, 0x08, 0x08, 0x01, 0x10, 0x80, 0xca, 0xb5, 0xee, 0x01}
	return status.ErrorProto(&spb.Status{
		Code:    int32(codes.ResourceExhausted),
		Message: "the runner is busy",
		Details: []*anypb.Any{{TypeUrl: retryInfoTypeURL, Value: info}},
	})
}

func TestResourceExhaustedWithRetryHintIsRetriedAfterTheHint(t *testing.T) {
	var app *temporal.ApplicationError
	if !errors.As(failureFor(busyAnswer(), "id"), &app) {
		t.Fatal("expected an ApplicationError")
	}
	if app.NonRetryable() || app.Type() != FailureTypeUnreachable {
		t.Fatalf("expected a retryable %s, got %s (non-retryable %v)", FailureTypeUnreachable, app.Type(), app.NonRetryable())
	}
	if app.NextRetryDelay() != 1500*time.Millisecond {
		t.Fatalf("expected the runner's 1.5 s hint, got %v", app.NextRetryDelay())
	}
}

func TestResourceExhaustedWithoutHintIsFinalAndUnavailableIsRetried(t *testing.T) {
	var app *temporal.ApplicationError
	errors.As(failureFor(status.Error(codes.ResourceExhausted, "workflow_yaml is too large"), "id"), &app)
	if !app.NonRetryable() || app.Type() != FailureTypeRejected {
		t.Fatalf("a size refusal must be final, got %s (non-retryable %v)", app.Type(), app.NonRetryable())
	}
	errors.As(failureFor(status.Error(codes.Unavailable, "Temporal is unreachable"), "id"), &app)
	if app.NonRetryable() || app.Type() != FailureTypeUnreachable {
		t.Fatalf("UNAVAILABLE must be retried, got %s", app.Type())
	}
}
