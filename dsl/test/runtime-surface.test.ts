/**
 * `@baton/dsl/runtime` is imported by workflow-sandbox code: it and everything it imports must be
 * our own deterministic modules — no package (yaml, ajv …) and no Node built-in.
 */
import { expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as runtime from '../src/runtime.ts';

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

function importGraph(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      const typeOnly = /^\s*(?:import|export)\s+type\s/.test(match[0]);
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else if (!typeOnly) external.add(specifier);
    }
    if (/\brequire\(/.test(source)) external.add(`require() in ${file}`);
  }
  return { files, external };
}

test('the runtime entry reaches no package and no Node built-in', () => {
  const { files, external } = importGraph(resolve(import.meta.dir, '../src/runtime.ts'));
  expect([...external]).toEqual([]);
  expect(files.size).toBeGreaterThan(3);
  for (const file of files) expect(file).not.toMatch(/\/(parse|validate|compile|cli|builder)\//);
});

test('the runtime entry exports the sandbox surface', () => {
  expect(Object.keys(runtime).sort()).toEqual(
    [
      'AUTHORIZATION_SCHEMES',
      'DEFAULT_JQ_BUDGET',
      'ERROR_TYPE_PREFIXES',
      'EXPRESSION_SITES',
      'HOST_CAPABILITIES',
      'JqCapabilityError',
      'JQ_VARIABLES',
      'JqBudgetError',
      'JqRuntimeError',
      'JqSyntaxError',
      'MAX_DURATION_MS',
      'PLAN_FORMAT_VERSION',
      'RUNTIME_ARGUMENTS',
      'STANDARD_ERROR_KINDS',
      'ZIGFLOW_LISTEN_TIMEOUT_MS',
      'ZIGFLOW_RUNTIME_ARGUMENTS',
      'ZIGFLOW_UUID_VARIABLE',
      'runtimeArgumentsAt',
      'TOKEN_EXCHANGE_GRANT',
      'WORKFLOW_JQ_OPTIONS',
      'compileJq',
      'durationToMs',
      'errorTypeMatches',
      'inErrorTypeForm',
      'parseTimestamp',
      'standardErrorKind',
      'standardErrorType',
    ].sort(),
  );
  expect(runtime.durationToMs('PT2S')).toEqual({ ok: true, ms: 2000 });
  expect(runtime.compileJq('.a + 1').run({ a: 1 })).toEqual([2]);
});
