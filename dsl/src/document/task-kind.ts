/** Which kind of task a task body is, told by its defining key. */

/** Defining keys in the order that disambiguates (`for` and `try` tasks also carry `do`). */
export const TASK_KEYS = ['for', 'try', 'call', 'fork', 'emit', 'listen', 'raise', 'run', 'set', 'switch', 'wait', 'do'] as const;

export type TaskKey = (typeof TASK_KEYS)[number];

export function taskKey(body: Readonly<Record<string, unknown>>): TaskKey | undefined {
  return TASK_KEYS.find((key) => Object.hasOwn(body, key));
}

/** The call kinds that run as activities, so task-level `metadata.activityOptions` apply to them. */
const ACTIVITY_CALLS: ReadonlySet<string> = new Set(['http', 'openapi', 'grpc', 'mcp', 'activity']);
/** The call kinds whose activity is Baton's own, so it can heartbeat at `metadata.heartbeat` (`call: activity` runs the caller's code). */
const HEARTBEAT_CALLS: ReadonlySet<string> = new Set(['http', 'openapi', 'grpc']);

function runsProcess(body: Readonly<Record<string, unknown>>): boolean {
  const run = body.run;
  if (typeof run !== 'object' || run === null || Array.isArray(run)) return false;
  const process = run as Readonly<Record<string, unknown>>;
  return process.shell !== undefined || process.script !== undefined || process.container !== undefined;
}

/** Whether the task schedules an activity (a call of ACTIVITY_CALLS or a process). */
export function taskRunsActivity(body: Readonly<Record<string, unknown>>): boolean {
  return (typeof body.call === 'string' && ACTIVITY_CALLS.has(body.call)) || runsProcess(body);
}

/** Whether the task's activity is Baton's own and heartbeats at `metadata.heartbeat`. */
export function taskHeartbeats(body: Readonly<Record<string, unknown>>): boolean {
  return HEARTBEAT_CALLS.has(String(body.call)) || runsProcess(body);
}
