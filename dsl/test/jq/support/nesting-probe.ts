/**
 * Runs in a worker thread (a workflow's kind of stack): answers each list of programs it is sent
 * with their outcomes, so nesting.test.ts can compare them with the main thread's.
 */
import { nestingOutcome } from './nesting-outcome.ts';

declare const self: Worker;

self.onmessage = (event: MessageEvent<string[]>) => {
  self.postMessage(event.data.map(nestingOutcome));
};
