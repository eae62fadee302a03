/**
 * The workflow sandbox line. Workflow code (runner/src/workflow) may import only its own modules,
 * the contract (runner/src/contract), `@temporalio/workflow` and `@baton/dsl/runtime`; the contract
 * only itself, those two and the failure-type table of `@baton/proto`. Type-only imports count
 * too: a type that lives elsewhere is a crossing the contract should hold.
 */
import { expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dir, '../../src');
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

const SANDBOX_PACKAGES = ['@temporalio/workflow', '@baton/dsl/runtime'];
/**
 * JSON Schema validation of task input and output runs in workflow code: a pure, dependency-free
 * validator with no clock, randomness or I/O (data-flow.ts).
 */
const SCHEMA_VALIDATOR = '@cfworker/json-schema';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import in `dir` that leaves the allowed folders or names a package not allowed. */
function violations(dir: string, allowedDirs: readonly string[], allowedPackages: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(dir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        if (!allowedDirs.some((allowed) => target.startsWith(`${allowed}/`))) found.push(`${relative(dir, file)} → ${specifier}`);
      } else if (!allowedPackages.includes(specifier)) {
        found.push(`${relative(dir, file)} → ${specifier}`);
      }
    }
    if (/\brequire\(/.test(readFileSync(file, 'utf8'))) found.push(`${relative(dir, file)} → require()`);
  }
  return found;
}

/** Over-long workflow ids end in a SHA-256 (contract/workflow-id.ts): pure functions of their input. */
const ID_DIGEST = ['@noble/hashes/sha2.js', '@noble/hashes/utils.js'];

const WORKFLOW = join(SRC, 'workflow');
const CONTRACT = join(SRC, 'contract');

test('workflow code imports only itself, the contract, @temporalio/workflow and @baton/dsl/runtime', () => {
  expect(sourceFiles(WORKFLOW).length).toBeGreaterThan(20);
  expect(violations(WORKFLOW, [WORKFLOW, CONTRACT], [...SANDBOX_PACKAGES, SCHEMA_VALIDATOR])).toEqual([]);
});

test('the contract imports only itself, @temporalio/workflow, @baton/dsl/runtime, the failure-type table and a SHA-256', () => {
  expect(violations(CONTRACT, [CONTRACT], [...SANDBOX_PACKAGES, '@baton/proto/failure-types', ...ID_DIGEST])).toEqual([]);
});

test('the check catches a workflow module reaching past the line, by value or by type', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-surface-'));
  try {
    mkdirSync(join(dir, 'workflow'));
    writeFileSync(
      join(dir, 'workflow', 'bad.ts'),
      "import { x } from '../service/x.ts';\nimport type { Y } from '@temporalio/client';\nimport { ok } from './ok.ts';\n",
    );
    expect(violations(join(dir, 'workflow'), [join(dir, 'workflow')], SANDBOX_PACKAGES)).toEqual([
      'bad.ts → ../service/x.ts',
      'bad.ts → @temporalio/client',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
