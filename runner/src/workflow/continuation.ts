/**
 * Continue-as-new: where an execution stands, as plain JSON, so the next run can pick up at the
 * same task with the same `$context` and status. Only sequential positions are resumable (task
 * lists and `for` iterations); inside `fork`, `try` or a task with a timeout the interpreter
 * waits until it is back on sequential ground before continuing as new.
 */
import type { ExecutionStatus } from '../contract/index.ts';
import type { CarriedMessages } from './temporal-messages.ts';

/** Position inside a task list: the task at `index` is next, or (with `task`) half-way through. */
export interface ListCursor {
  readonly index: number;
  /** The raw input of the task at `index`. */
  readonly input: unknown;
  readonly task?: TaskCursor;
}

/** A composite task already started: its input stages are done, `inner` says where inside it. */
export interface TaskCursor {
  readonly rawInput: unknown;
  readonly input: unknown;
  readonly startedAtMs: number;
  readonly inner: unknown;
}

/** What a `for` iterates: the values (or a count), and the keys when it iterates an object. */
export interface ForItems {
  readonly values: readonly unknown[] | number;
  readonly keys?: readonly string[];
}

/**
 * A `for` half-way through. The collection is carried only when it cannot be computed again:
 * when `in` reads neither `$context` nor the clock, the next run evaluates it again from the
 * task's carried input (same data, same value) and checks the size, so a loop over a large
 * computed array does not put the array into every continue-as-new. Counts are always carried.
 */
export interface ForCursor {
  readonly iteration: number;
  readonly iterationInput: unknown;
  /** Absent when the collection is recomputed on resume. */
  readonly items?: ForItems;
  /** The collection's size, when it is recomputed. */
  readonly size?: number;
  readonly body: ListCursor;
}

export const CARRIED_STATE_VERSION = 1;

export interface CarriedState {
  readonly version: typeof CARRIED_STATE_VERSION;
  readonly cursor: ListCursor;
  readonly context: unknown;
  readonly status: ExecutionStatus;
  readonly workflowStartedAtMs: number;
  readonly paused: boolean;
  /** Zigflow's `$data` and `$output`, for plans in its dialect. */
  readonly data?: Record<string, unknown>;
  readonly lastOutput?: unknown;
  /** Zigflow's `listen`: signals received and not yet read, and the queries being answered. */
  readonly messages?: CarriedMessages;
  /**
   * The operator's cancel reason, when it arrived (as a signal, just before Temporal's cancel
   * request) and the run then continued as new: the request reaches the next run, so must the reason.
   */
  readonly cancelReason?: string;
}

/** Thrown from a safe point and re-thrown by every enclosing level with its own position added. */
export class ContinueAsNewRequest {
  constructor(readonly cursor: unknown) {}
}

export function readCarried(value: unknown): CarriedState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const state = value as Partial<CarriedState>;
  return state.version === CARRIED_STATE_VERSION && state.cursor && state.status ? (state as CarriedState) : undefined;
}
