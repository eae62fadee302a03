/** A list of named tasks (`do`, `for.do`, `fork.branches`, `try`, `catch.do`): names, kinds, reachability. */
import { joinPointer } from '../parse/pointer.ts';
import type { ValidationContext } from './context.ts';
import type { Scope } from './expressions.ts';
import { successorsOf } from './flow.ts';
import type { Siblings } from './flow.ts';
import { checkTaskBase } from './task-base.ts';
import { TASK_KEYS, taskKey } from '../document/task-kind.ts';
import type { TaskKey } from '../document/task-kind.ts';
import type { TaskRules } from './task-site.ts';
import { checkCallTask } from './tasks/call.ts';
import { checkDoTask } from './tasks/do.ts';
import { checkEmitTask } from './tasks/emit.ts';
import { checkForTask } from './tasks/for.ts';
import { checkForkTask } from './tasks/fork.ts';
import { checkListenTask } from './tasks/listen.ts';
import { checkRaiseTask } from './tasks/raise.ts';
import { checkRunTask } from './tasks/run.ts';
import { checkSetTask } from './tasks/set.ts';
import { checkSwitchTask } from './tasks/switch.ts';
import { checkTryTask } from './tasks/try.ts';
import { checkWaitTask } from './tasks/wait.ts';
import { asArray, asObject, singleEntry } from '../document/values.ts';
import type { JsonObject } from '../document/values.ts';
import { didYouMean } from '../document/suggest.ts';

const RULES: Record<TaskKey, TaskRules> = {
  call: checkCallTask,
  do: checkDoTask,
  emit: checkEmitTask,
  for: checkForTask,
  fork: checkForkTask,
  listen: checkListenTask,
  raise: checkRaiseTask,
  run: checkRunTask,
  set: checkSetTask,
  switch: checkSwitchTask,
  try: checkTryTask,
  wait: checkWaitTask,
};

/** `enclosing` is the list holding the task that owns this one, for hints about misplaced `then`s. */
export function checkTaskList(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope, enclosing?: Siblings): void {
  const items = asArray(value);
  if (!items) return;
  const names = new Map<string, number>();
  items.forEach((item, index) => {
    const entry = singleEntry(item);
    if (!entry) return;
    const [name] = entry;
    if (names.has(name)) {
      ctx.error('SW300', joinPointer(pointer, index, name), `task name '${name}' is already used at position ${names.get(name)! + 1} of this list`, {
        atKey: true,
        hint: 'task names must be unique within a list so `then` can address them',
      });
      return;
    }
    names.set(name, index);
  });
  const siblings: Siblings = { names, ...(enclosing ? { enclosing } : {}) };
  const tasks: (readonly [string, JsonObject])[] = [];
  const errorsBefore = ctx.errorCount;
  items.forEach((item, index) => {
    const entry = singleEntry(item);
    if (!entry) return;
    const [name, rawBody] = entry;
    const body = asObject(rawBody);
    if (!body) return;
    if (checkTask(ctx, name, body, joinPointer(pointer, index, name), siblings, scope)) tasks.push([name, body]);
  });
  // Reachability is judged on a list whose tasks are all sound: fixing an error may change the flow.
  if (tasks.length === items.length && ctx.errorCount === errorsBefore) reportUnreachable(ctx, tasks, pointer, siblings);
}

/** One task at `pointer` (in a list, or a `use.functions` definition); false when it names no kind of task. */
export function checkTask(ctx: ValidationContext, name: string, body: JsonObject, pointer: string, siblings: Siblings, scope: Scope): boolean {
  const key = taskKey(body);
  if (!key) {
    const candidates = Object.keys(body).map((written) => didYouMean(written, TASK_KEYS)).find((hint) => hint !== undefined);
    ctx.error('SW205', pointer, `task '${name}' is not a known kind of task`, {
      atKey: true,
      hint: candidates ?? `a task has one of: ${TASK_KEYS.join(', ')}`,
    });
    return false;
  }
  const site = { ctx, name, body, pointer, siblings, scope };
  checkTaskBase(site);
  RULES[key](site);
  return true;
}

/** Tasks no path reaches: after an `end`, `exit` or `raise`, and never the target of a `then`. */
function reportUnreachable(ctx: ValidationContext, tasks: readonly (readonly [string, JsonObject])[], pointer: string, siblings: Siblings): void {
  // Most lists only ever continue to the next task: nothing to search.
  if (tasks.every(([, body]) => body.then === undefined && body.switch === undefined && body.raise === undefined)) return;
  const reached = new Set<number>();
  const pending = [0];
  while (pending.length > 0) {
    const index = pending.pop()!;
    const body = tasks[index]?.[1];
    if (!body || reached.has(index)) continue;
    reached.add(index);
    for (const next of successors(body, index, siblings)) pending.push(next);
  }
  tasks.forEach(([name], index) => {
    if (reached.has(index)) return;
    ctx.warning('SW308', joinPointer(pointer, index, name), `task '${name}' can never run: no path leads to it`, {
      atKey: true,
      hint: 'the task before it ends the flow (end, exit or raise) and no `then` names it',
    });
  });
}

function successors(body: JsonObject, index: number, siblings: Siblings): number[] {
  // A task skipped by its `if` continues with the next one, whatever its `then` says.
  const skipped = typeof body.if === 'string' ? [index + 1] : [];
  const key = taskKey(body);
  const own = key === 'raise' ? [] : successorsOf(body.then, index, siblings);
  if (key !== 'switch') return [...skipped, ...own];
  const cases = (asArray(body.switch) ?? []).map((item) => asObject(singleEntry(item)?.[1])).filter((branch) => branch !== undefined);
  const targets = cases.flatMap((branch) => successorsOf(branch.then, index, siblings));
  return [...skipped, ...targets, ...(cases.some((branch) => typeof branch.when !== 'string') ? [] : own)];
}
