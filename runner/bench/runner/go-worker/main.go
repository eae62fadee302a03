// A bare Go worker: the hand-written one-set workflow on the Go SDK, nothing else. Zigflow is a
// Go interpreter on the same SDK, so what this worker spends per execution is the floor of what
// Zigflow spends: bench:runner divides the runner's CPU by it for an upper bound of the ratio to
// Zigflow. Prints "ready -" once polling; configured by TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and
// BENCH_TASK_QUEUE, like bare-worker.ts.
package main

import (
	"fmt"
	"log"
	"log/slog"
	"os"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

type oneSetInput struct {
	Name string `json:"name"`
}

type oneSetOutput struct {
	Greeting string `json:"greeting"`
}

// handwrittenOneSet is the same workflow as handwrittenOneSet in runner/bench/handwritten.ts.
func handwrittenOneSet(_ workflow.Context, input oneSetInput) (oneSetOutput, error) {
	return oneSetOutput{Greeting: fmt.Sprintf("Hello, %s!", input.Name)}, nil
}

func main() {
	c, err := client.Dial(client.Options{
		HostPort:  envOr("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		Namespace: envOr("TEMPORAL_NAMESPACE", "default"),
		// Warnings and errors only, as bare-worker.ts logs.
		Logger: sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))),
	})
	if err != nil {
		log.Fatalf("connecting to Temporal: %v", err)
	}
	defer c.Close()
	w := worker.New(c, envOr("BENCH_TASK_QUEUE", "bench-bare-go"), worker.Options{
		// The runner's own worker limit, as bare-worker.ts sets it.
		MaxConcurrentWorkflowTaskExecutionSize: 100,
	})
	w.RegisterWorkflowWithOptions(handwrittenOneSet, workflow.RegisterOptions{Name: "handwrittenOneSet"})
	if err := w.Start(); err != nil {
		log.Fatalf("starting the worker: %v", err)
	}
	fmt.Println("ready -")
	<-worker.InterruptCh()
	w.Stop()
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}
