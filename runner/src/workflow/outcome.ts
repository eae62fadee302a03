/** How an execution ended; the callback end-game turns it into a completion of the caller's activity. */
import type { WorkflowError } from '../contract/index.ts';

export type ExecutionOutcome =
  | { readonly kind: 'completed'; readonly output: unknown }
  | { readonly kind: 'failed'; readonly error: WorkflowError }
  | { readonly kind: 'cancelled'; readonly reason?: string };
