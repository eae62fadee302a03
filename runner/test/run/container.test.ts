/**
 * `run: container` through the host's docker or podman CLI, with a busybox image imported locally
 * (no registry is reachable): command, arguments, environment, stdin, volumes, name, `return`
 * modes, a non-zero exit, cleanup always/never, and a container stopped by its task's timeout.
 * Where the machine cannot run containers, every test is skipped and the reason printed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { ExecutionPhase } from '@baton/proto';
import { RUN_NOTHING } from '../../src/activities/run/index.ts';
import { eventually, startStack, uniqueName } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';
import { cliRun, containerState, prepareContainerRuntime, TEST_IMAGE } from './container-runtime.ts';
import { document } from './support.ts';

setDefaultTimeout(120_000);

const runtime = await prepareContainerRuntime();
const unavailable = 'unavailable' in runtime ? runtime.unavailable : undefined;
if (unavailable) console.warn(`[container tests skipped] ${unavailable}`);
const cli = 'cli' in runtime ? runtime.cli : 'podman';
const shared = mkdtempSync(join(tmpdir(), 'baton-volume-'));
writeFileSync(join(shared, 'note.txt'), 'from the host');

let stack: Stack;
const created: string[] = [];
beforeAll(async () => {
  if (unavailable) return;
  stack = await startStack({ run: { ...RUN_NOTHING, containerImages: ['localhost/baton-test/*'], containerVolumes: [shared] } });
});
afterAll(async () => {
  await stack?.stop();
  for (const name of created) await cliRun(cli, ['rm', '-f', name]);
});

const run = (yaml: string, input: Record<string, unknown> = {}) => stack.client.execute({ workflowExecutionId: uniqueName('box'), workflowYaml: yaml, input });
const named = (prefix: string) => {
  const name = uniqueName(prefix);
  created.push(name);
  return name;
};

test.skipIf(unavailable !== undefined)('command, arguments, environment, stdin and a volume reach the container; cleanup always removes it', async () => {
  const name = named('box-all');
  const yaml = document(
    'box',
    `  - box:\n      run:\n        container:\n          image: ${TEST_IMAGE}\n          name: \${ .name }\n          command: sh -c\n          arguments: ['echo "$GREETING $(cat) $(cat /data/note.txt)"']\n          environment: { GREETING: '\${ .greeting }' }\n          stdin: piped\n          volumes: { ${shared}: /data }\n          pullPolicy: never\n          lifetime: { cleanup: always }\n`,
  );
  expect((await run(yaml, { name, greeting: 'hello' })).output).toBe('hello piped from the host');
  expect(await containerState(cli, name)).toBeUndefined();
});

test.skipIf(unavailable !== undefined)('return: all with a non-zero exit; cleanup never keeps the container', async () => {
  const name = named('box-keep');
  const yaml = document(
    'box-code',
    `  - box:\n      run:\n        container:\n          image: ${TEST_IMAGE}\n          name: ${name}\n          command: sh -c\n          arguments: ['echo out; echo err >&2; exit 5']\n          pullPolicy: never\n        return: all\n`,
  );
  expect((await run(yaml)).output).toEqual({ code: 5, stdout: 'out', stderr: 'err' });
  expect(await containerState(cli, name)).toBe('exited');
});

test.skipIf(unavailable !== undefined)('a non-zero exit fails the task with the code and the end of stderr', async () => {
  const yaml = document(
    'box-fail',
    `  - box:\n      run:\n        container:\n          image: ${TEST_IMAGE}\n          command: sh -c\n          arguments: ['echo broken >&2; exit 2']\n          pullPolicy: never\n          lifetime: { cleanup: always }\n`,
  );
  const failed = await run(yaml);
  expect(failed.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
  expect(failed.error).toMatchObject({ status: 500, title: 'Process exited with code 2' });
  expect(failed.error?.detail).toContain('stderr ends: broken');
});

test.skipIf(unavailable !== undefined)('a container past its task timeout is killed through the runtime, not just its CLI', async () => {
  const name = named('box-slow');
  const yaml = document(
    'box-slow',
    `  - box:\n      timeout: { after: { seconds: 3 } }\n      run:\n        container:\n          image: ${TEST_IMAGE}\n          name: ${name}\n          command: sleep 300\n          pullPolicy: never\n`,
  );
  const failed = await run(yaml);
  expect(failed.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
  expect(failed.error).toMatchObject({ status: 408 });
  const state = await eventually(() => containerState(cli, name), (current) => current !== 'running', 15_000);
  expect(state).not.toBe('running');
});
