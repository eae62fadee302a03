/**
 * `run: script` with real interpreters (Bun for js, python3 for python) through the real service,
 * worker and Temporal: inline code with arguments, environment and stdin; sources fetched over
 * HTTP through the egress policy and read from allowed `file:` folders; a runaway script and the
 * children it started stopped by the task's timeout, nothing left behind.
 */
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { ExecutionPhase } from '@baton/proto';
import { RUN_NOTHING } from '../../src/activities/run/index.ts';
import { eventually, startStack, uniqueName } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';
import { document, processesWith } from './support.ts';

setDefaultTimeout(60_000);

const sources = mkdtempSync(join(tmpdir(), 'baton-script-sources-'));
const elsewhere = mkdtempSync(join(tmpdir(), 'baton-script-elsewhere-'));
writeFileSync(join(sources, 'hello.py'), 'import sys\nprint("file says " + sys.argv[1])\n');
writeFileSync(join(elsewhere, 'secret.py'), 'print("must not run")\n');
symlinkSync(join(elsewhere, 'secret.py'), join(sources, 'link.py'));

let stack: Stack;
let server: ReturnType<typeof Bun.serve>;
beforeAll(async () => {
  server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('console.log("served:" + process.argv[2]);\n') });
  stack = await startStack({
    run: { ...RUN_NOTHING, scriptLanguages: ['js', 'python'], scriptSourceDirs: [sources] },
    egress: { allow: new Set(['loopback']) },
  });
});
afterAll(async () => {
  await stack?.stop();
  server?.stop(true);
});

const run = (yaml: string, input: Record<string, unknown> = {}) => stack.client.execute({ workflowExecutionId: uniqueName('script'), workflowYaml: yaml, input });

test('inline js, run by Bun, with arguments, environment and stdin', async () => {
  const code = 'const input = await Bun.stdin.text(); console.log(JSON.stringify({ args: process.argv.slice(2), mode: process.env.MODE, input }))';
  const yaml = document(
    'js',
    `  - js:\n      run:\n        script:\n          language: js\n          code: '${code}'\n          arguments: [one, '\${ .two }']\n          environment: { MODE: '\${ .mode }' }\n          stdin: piped\n      output:\n        as: \${ fromjson }\n`,
  );
  expect((await run(yaml, { two: 'zwei', mode: 'test' })).output).toEqual({ args: ['one', 'zwei'], mode: 'test', input: 'piped' });
});

test('inline python, run by python3; an exception is the task error with the end of stderr', async () => {
  const ok = document('py', `  - py:\n      run:\n        script:\n          language: python\n          code: |\n            import sys\n            print(sum(int(a) for a in sys.argv[1:]))\n          arguments: ['2', '40']\n`);
  expect((await run(ok)).output).toBe('42');
  const raising = document('py-raise', `  - py:\n      run:\n        script:\n          language: python\n          code: raise ValueError("bad input")\n`);
  const failed = await run(raising);
  expect(failed.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
  expect(failed.error).toMatchObject({ status: 500, title: 'Process exited with code 1' });
  expect(failed.error?.detail).toContain('ValueError: bad input');
});

test('a source over HTTP goes through the egress policy', async () => {
  const yaml = document('http-source', `  - js:\n      run:\n        script:\n          language: js\n          source:\n            endpoint: ${server.url.origin}/script.js\n          arguments: [fetched]\n`);
  expect((await run(yaml)).output).toBe('served:fetched');
});

test('a file: source is read inside --run-script-source-dirs and refused outside', async () => {
  const inside = document('file-source', `  - py:\n      run:\n        script:\n          language: python\n          source:\n            endpoint: file://${join(sources, 'hello.py')}\n          arguments: [hi]\n`);
  expect((await run(inside)).output).toBe('file says hi');
  const outside = document('file-outside', `  - py:\n      run:\n        script:\n          language: python\n          source:\n            endpoint: file://${join(sources, '..', elsewhere.split('/').pop()!, 'secret.py')}\n`);
  const failed = await run(outside);
  expect(failed.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
  expect(failed.error).toMatchObject({ status: 403, title: 'Refused by the run policy' });
  // A symlink inside the folder pointing out of it is judged by where it points.
  const linked = document('file-link', `  - py:\n      run:\n        script:\n          language: python\n          source:\n            endpoint: file://${join(sources, 'link.py')}\n`);
  expect((await run(linked)).error).toMatchObject({ status: 403 });
});

test('a runaway script and the children it started are stopped by the task timeout, nothing left behind', async () => {
  const marker = `runaway-script-${Date.now()}`;
  const code = `Bun.spawn(["sleep", "303"], { stdout: "ignore" }); Bun.spawn(["sh", "-c", "sleep 304 # ${marker}"]); while (true) { await Bun.sleep(10); }`;
  const yaml = document('runaway-js', `  - spin:\n      timeout: { after: { seconds: 2 } }\n      run:\n        script:\n          language: js\n          code: '${code}'\n`);
  const pending = run(yaml);
  const running = await eventually(async () => processesWith(marker), (pids) => pids.length > 0, 15_000);
  expect(running.length).toBeGreaterThan(0);
  const failed = await pending;
  expect(failed.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
  expect(failed.error).toMatchObject({ status: 408 });
  const left = await eventually(async () => processesWith(marker), (pids) => pids.length === 0, 10_000);
  expect(left).toEqual([]);
});
