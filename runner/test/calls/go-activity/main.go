// A Temporal activity worker in Go, for runner/test/calls/go-activity.test.ts: it serves
// `call: activity` tasks of a Baton workflow on its own task queue, knowing nothing of Baton.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
)

type Greeting struct {
	Message string `json:"message"`
	Length  int    `json:"length"`
}

func Greet(_ context.Context, name string, times int) (Greeting, error) {
	message := ""
	for i := 0; i < times; i++ {
		message += "Hello, " + name + "! "
	}
	return Greeting{Message: message, Length: len(name)}, nil
}

func Refuse(_ context.Context, reason string) (string, error) {
	return "", temporal.NewNonRetryableApplicationError("refused: "+reason, "GoRefusal", nil)
}

func main() {
	c, err := client.Dial(client.Options{HostPort: os.Getenv("TEMPORAL_ADDRESS"), Namespace: os.Getenv("TEMPORAL_NAMESPACE")})
	if err != nil {
		log.Fatalf("dial: %v", err)
	}
	defer c.Close()
	w := worker.New(c, os.Getenv("TASK_QUEUE"), worker.Options{})
	w.RegisterActivityWithOptions(Greet, activity.RegisterOptions{Name: "GoGreet"})
	w.RegisterActivityWithOptions(Refuse, activity.RegisterOptions{Name: "GoRefuse"})
	if err := w.Start(); err != nil {
		log.Fatalf("start: %v", err)
	}
	fmt.Println("ready")
	// Runs until the test closes stdin.
	buffer := make([]byte, 1)
	for {
		if _, err := os.Stdin.Read(buffer); err != nil {
			break
		}
	}
	w.Stop()
}
