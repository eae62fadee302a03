/**
 * The workflow modules a worker context shares between executions keep no per-execution state:
 * every module with state at module scope, and every module importing one, is listed as evaluated
 * per execution (runner/src/temporal/shared-workflow-modules.ts). A state-holding module shared by
 * mistake would leak one execution's state into the next.
 */
import { expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { PER_EXECUTION_MODULES, sharedWorkflowModules } from '../../src/temporal/shared-workflow-modules.ts';

const SRC = resolve(import.meta.dir, '../../src');
const VALUE_IMPORT = /^\s*(?:import|export)\s+(?!type\s)[^'"]*?from\s+['"](\.[^'"]+)['"]/gm;
/** Module-scope bindings that can change: `let`/`var`, or a mutable collection held by a `const`. */
const MODULE_STATE = /^(?:export\s+)?(?:let|var)\s|^(?:export\s+)?const\s+\w+\s*(?::\s*(?!\s)(?!Readonly)[^=]+)?=\s*new\s+(?:Map|Set|WeakMap|WeakSet)\b/m;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Modules (relative to `root`) that must be evaluated per execution: those with state, and their importers. */
function needingOwnCopy(root: string, dirs: readonly string[]): string[] {
  const files = dirs.flatMap((dir) => sourceFiles(join(root, dir)));
  const imports = new Map(
    files.map((file) => [file, [...readFileSync(file, 'utf8').matchAll(VALUE_IMPORT)].map((m) => resolve(dirname(file), m[1]!))]),
  );
  const needing = new Set(files.filter((file) => MODULE_STATE.test(readFileSync(file, 'utf8'))));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [file, targets] of imports) {
      if (!needing.has(file) && targets.some((target) => needing.has(target))) {
        needing.add(file);
        grew = true;
      }
    }
  }
  return [...needing].map((file) => relative(root, file)).sort();
}

test('every workflow module with module-scope state, and every importer of one, is evaluated per execution', () => {
  expect(needingOwnCopy(SRC, ['workflow', 'contract'])).toEqual([...PER_EXECUTION_MODULES].sort());
});

test('the shared modules are every other workflow and contract module, and the pure packages', () => {
  const shared = sharedWorkflowModules();
  expect(shared.filter((path) => PER_EXECUTION_MODULES.includes(relative(SRC, path)))).toEqual([]);
  expect(shared).toContain(join(SRC, 'contract', 'index.ts'));
  expect(shared).toContain(join(SRC, 'workflow', 'tasks', 'set.ts'));
  expect(shared).toContain('@baton/dsl/runtime');
  const all = ['workflow', 'contract'].flatMap((dir) => sourceFiles(join(SRC, dir)));
  expect(shared.length).toBe(all.length - PER_EXECUTION_MODULES.length + 2);
});

test('the check finds module state and the modules importing it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-shared-'));
  try {
    mkdirSync(join(dir, 'workflow'));
    writeFileSync(join(dir, 'workflow', 'counter.ts'), 'let count = 0;\nexport const next = () => ++count;\n');
    writeFileSync(join(dir, 'workflow', 'cache.ts'), 'const seen: Map<string, number> = new Map();\nexport const see = (k: string) => seen.set(k, 1);\n');
    writeFileSync(join(dir, 'workflow', 'table.ts'), "const ENDED: ReadonlySet<string> = new Set(['a']);\nexport const ended = (p: string) => ENDED.has(p);\n");
    writeFileSync(join(dir, 'workflow', 'user.ts'), "import { next } from './counter.ts';\nexport const id = () => next();\n");
    writeFileSync(join(dir, 'workflow', 'typed.ts'), "import type { next } from './counter.ts';\nexport type N = typeof next;\n");
    expect(needingOwnCopy(dir, ['workflow'])).toEqual(['workflow/cache.ts', 'workflow/counter.ts', 'workflow/user.ts']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
