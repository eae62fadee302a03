/** A list of named tasks (`do`, `for.do`, `fork.branches`, `try`, `catch.do`) → plan tasks. */
import type { Task } from '../plan.ts';
import { joinPointer } from '../parse/pointer.ts';
import type { CompileContext } from './context.ts';
import { taskBase } from './task-base.ts';
import { taskKey } from '../document/task-kind.ts';
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
import { asArray, singleEntry } from '../document/values.ts';
import type { JsonObject } from '../document/values.ts';

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

export function compileTaskList(ctx: CompileContext, value: unknown, pointer: string): Task[] {
  const entries = (asArray(value) ?? []).map((item) => singleEntry(item)!);
  const siblings = new Map(entries.map(([name], index) => [name, index]));
  return entries.map(([name, body], index) => compileTask(ctx, name, body as JsonObject, joinPointer(pointer, index, name), siblings));
}

/** One task at `pointer` (in a list, or a `use.functions` definition). */
export function compileTask(ctx: CompileContext, name: string, body: JsonObject, pointer: string, siblings: ReadonlyMap<string, number>): Task {
  const site = { ctx, name, body, pointer, siblings };
  return COMPILERS[taskKey(body)!](site, taskBase(site));
}
