/**
 * Which workflow modules one reusable V8 context evaluates once and shares between executions
 * (the bundle's `preloadModules`), and which it evaluates afresh for every execution.
 *
 * The SDK gives each execution its own copy of every module it did not preload, so per-execution
 * module state stays isolated. That copy is most of what a trivial execution costs the worker:
 * evaluating all of the interpreter's modules took about 5 ms of CPU and kept about 100 KiB alive
 * per cached execution (a hand-written workflow: 1 ms, 14 KiB). Only the modules that hold state at
 * module scope need a copy, with every module that imports one (a shared module's imports are
 * shared too); everything else is pure code, loaded once per context and deep-frozen by the SDK.
 * runner/test/interpreter/shared-modules.test.ts checks this list against the sources.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dir, '..');

/** Relative to runner/src: modules keeping per-execution state at module scope, then their importers. */
export const PER_EXECUTION_MODULES: readonly string[] = [
  // State: the callback line of this execution.
  'workflow/callback.ts',
  // State: how this run ended, and the awaitEndUpdate answers still waiting for it.
  'workflow/awaited-end.ts',
  // State: this execution's event subscriptions.
  'workflow/events/inbox.ts',
  // State: the count of children this run started (part of each child's id).
  'workflow/tasks/run-workflow.ts',
  // State: the search attributes each run's cluster knows, asked once per run.
  'workflow/search-attributes.ts',
  // They import one of the above.
  'workflow/index.ts',
  'workflow/interpreter.ts',
  'workflow/tasks/index.ts',
  'workflow/tasks/listen.ts',
  'workflow/deployment/event-trigger.ts',
  'workflow/deployment/registry.ts',
];

/**
 * Outside runner/src: pure libraries the workflow code imports. The jq engine's memo of compiled
 * programs is shared on purpose: compiling is a pure function, so executions see no difference.
 */
const SHARED_PACKAGES = ['@baton/dsl/runtime', '@cfworker/json-schema'];

/** Absolute paths of the runner's shared workflow modules (workflow/ and contract/), then the shared packages. */
export function sharedWorkflowModules(): string[] {
  const modules = ['workflow', 'contract'].flatMap((dir) => sourceFiles(join(SRC, dir)));
  return [...modules.filter((path) => !PER_EXECUTION_MODULES.includes(relative(SRC, path))), ...SHARED_PACKAGES];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
