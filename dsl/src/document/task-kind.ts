/** Which kind of task a task body is, told by its defining key. */

/** Defining keys in the order that disambiguates (`for` and `try` tasks also carry `do`). */
export const TASK_KEYS = ['for', 'try', 'call', 'fork', 'emit', 'listen', 'raise', 'run', 'set', 'switch', 'wait', 'do'] as const;

export type TaskKey = (typeof TASK_KEYS)[number];

export function taskKey(body: Readonly<Record<string, unknown>>): TaskKey | undefined {
  return TASK_KEYS.find((key) => Object.hasOwn(body, key));
}
