/** A list of named tasks (`do`, `for.do`, `fork.branches`, `try`, `catch.do`). */
import type { FlowTarget, Task } from '../plan.ts';
import { joinPointer } from '../parse/pointer.ts';
import type { CompileContext } from './context.ts';
import type { Scope } from './expressions.ts';
import type { Siblings } from './flow.ts';
import { taskBase } from './task-base.ts';
import { TASK_KEYS, taskKey } from '../document/task-kind.ts';
import type { TaskKey } from '../document/task-kind.ts';
import type { TaskCompiler } from './task-site.ts';
import { callTask } from './tasks/call.ts';
import { doTask } from './tasks/do.ts';
import { emitTask } from './tasks/emit.ts';
import { forTask } from './tasks/for.ts';
import { forkTask } from './tasks/fork.ts';
import { listenTask } from './tasks/listen.ts';
import { zigflowListenOr } from './tasks/listen-temporal.ts';
import { raiseTask } from './tasks/raise.ts';
import { runTask } from './tasks/run.ts';
import { setTask } from './tasks/set.ts';
import { switchTask } from './tasks/switch.ts';
import { tryTask } from './tasks/try.ts';
import { waitTask } from './tasks/wait.ts';
import { asArray, asObject, singleEntry } from '../document/values.ts';
import type { JsonObject } from '../document/values.ts';
import { didYouMean } from '../document/suggest.ts';

const COMPILERS: Record<TaskKey, TaskCompiler> = {
  call: callTask,
  do: doTask,
  emit: emitTask,
  for: forTask,
  fork: forkTask,
  listen: zigflowListenOr(listenTask),
  raise: raiseTask,
  run: runTask,
  set: setTask,
  switch: switchTask,
  try: tryTask,
  wait: waitTask,
};




/** `enclosing` is the list holding the task that owns this one, for hints about misplaced `then`s. */
export function compileTaskList(ctx: CompileContext, value: unknown, pointer: string, scope: Scope, enclosing?: Siblings): Task[] {
  const items = asArray(value);
  if (!items) return [];
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
  const tasks: Task[] = [];
  items.forEach((item, index) => {
    const entry = singleEntry(item);
    if (!entry) return;
    const [name, rawBody] = entry;
    const body = asObject(rawBody);
    if (!body) return;
    const task = compileTask(ctx, name, body, joinPointer(pointer, index, name), siblings, scope);
    if (task) tasks.push(task);
  });
  if (tasks.length === items.length) reportUnreachable(ctx, tasks);
  return tasks;
}

/** One task at `pointer` (in a list, or a `use.functions` definition); undefined when it cannot compile (its errors are reported). */
export function compileTask(ctx: CompileContext, name: string, body: JsonObject, pointer: string, siblings: Siblings, scope: Scope): Task | undefined {
  const key = taskKey(body);
  if (!key) {
    const candidates = Object.keys(body).map((written) => didYouMean(written, TASK_KEYS)).find((hint) => hint !== undefined);
    ctx.error('SW205', pointer, `task '${name}' is not a known kind of task`, {
      atKey: true,
      hint: candidates ?? `a task has one of: ${TASK_KEYS.join(', ')}`,
    });
    return undefined;
  }
  const site = { ctx, name, body, pointer, siblings, scope };
  const task = COMPILERS[key](site, taskBase(site));
  if (!task) ctx.droppedTasks.push(pointer);
  return task;
}

/** Tasks no path reaches: after an `end`, `exit` or `raise`, and never the target of a `then`. */
function reportUnreachable(ctx: CompileContext, tasks: readonly Task[]): void {
  const reached = new Set<number>();
  const pending = [0];
  while (pending.length > 0) {
    const index = pending.pop()!;
    const task = tasks[index];
    if (!task || reached.has(index)) continue;
    reached.add(index);
    for (const next of successors(task, index)) pending.push(next);
  }
  tasks.forEach((task, index) => {
    if (!reached.has(index)) {
      ctx.warning('SW308', task.reference, `task '${task.name}' can never run: no path leads to it`, {
        atKey: true,
        hint: 'the task before it ends the flow (end, exit or raise) and no `then` names it',
      });
    }
  });
}

function successors(task: Task, index: number): number[] {
  const targets = (flow: FlowTarget): number[] => (flow.kind === 'continue' ? [index + 1] : flow.kind === 'goto' ? [flow.index] : []);
  // A task skipped by its `if` continues with the next one, whatever its `then` says.
  const skipped = task.if ? [index + 1] : [];
  const own = task.kind === 'raise' ? [] : targets(task.then);
  if (task.kind !== 'switch') return [...skipped, ...own];
  const cases = task.cases.flatMap((branch) => targets(branch.then));
  return [...skipped, ...cases, ...(task.cases.some((branch) => !branch.when) ? [] : own)];
}
