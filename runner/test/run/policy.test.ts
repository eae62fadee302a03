/**
 * Safe by default: a runner runs no process until its operator allows each kind. A document using
 * a kind (or a literal command, language, image, volume or port) the runner refuses is answered
 * INVALID_ARGUMENT at executeAsync with the task's position, and no execution exists afterwards.
 * Values computed by expressions are checked by the activity, and refused with a 403 error.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { ExecutionPhase } from '@baton/proto';
import { checkShellCommand, RUN_NOTHING } from '../../src/activities/run/index.ts';
import type { RunPolicy } from '../../src/activities/run/index.ts';
import { loadConfig } from '../../src/config.ts';
import { startStack, uniqueName } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';
import { diagnostics, rejection } from '../service/support/wire.ts';
import { document, processesWith } from './support.ts';

setDefaultTimeout(60_000);

describe('a runner with the default configuration', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test('allows no kind: each is refused at executeAsync with its position, and nothing starts', async () => {
    const marker = `never-started-${Date.now()}`;
    const yaml = document(
      'refused',
      `  - first:\n      set: { a: 1 }\n  - outer:\n      do:\n        - sh:\n            run:\n              shell:\n                command: 'echo ${marker}'\n        - js:\n            run:\n              script: { language: js, code: 'console.log(1)' }\n        - box:\n            run:\n              container: { image: busybox }\n`,
    );
    const id = uniqueName('refused');
    const error = await rejection(stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: yaml }));
    expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(diagnostics(error).map((problem) => [problem.code, problem.pointer, problem.taskPath])).toEqual([
      ['RUN_NOT_ALLOWED', '/do/1/outer/do/0/sh/run/shell', '/do/1/outer/do/0/sh'],
      ['RUN_NOT_ALLOWED', '/do/1/outer/do/1/js/run/script', '/do/1/outer/do/1/js'],
      ['RUN_NOT_ALLOWED', '/do/1/outer/do/2/box/run/container', '/do/1/outer/do/2/box'],
    ]);
    expect(error.details).toContain('--run-shell-commands');
    const lookup = await rejection(stack.client.getExecution(id));
    expect(lookup.code).toBe(GrpcStatus.NOT_FOUND);
    expect(processesWith(marker)).toEqual([]);
  });
});

describe('a runner allowing some programs, python and one image pattern', () => {
  let stack: Stack;
  const policy: RunPolicy = { ...RUN_NOTHING, shellCommands: ['echo', 'printf'], scriptLanguages: ['python'], containerImages: ['localhost/baton-test/*'] };
  beforeAll(async () => {
    stack = await startStack({ run: policy });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const refusedAt = async (tasks: string) => {
    const error = await rejection(stack.client.executeAsync({ workflowExecutionId: uniqueName('partly'), workflowYaml: document('partly', tasks) }));
    expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    return diagnostics(error).map((problem) => problem.pointer);
  };

  test('a program off the list, a command that chains another, a js script, an image off the patterns and a volume are refused', async () => {
    expect(await refusedAt(`  - a:\n      run:\n        shell: { command: 'rm -rf /tmp/x' }\n`)).toEqual(['/do/0/a/run/shell/command']);
    expect(await refusedAt(`  - a:\n      run:\n        shell: { command: 'echo hi; rm -rf /tmp/x' }\n`)).toEqual(['/do/0/a/run/shell/command']);
    expect(await refusedAt(`  - a:\n      run:\n        script: { language: js, code: '1' }\n`)).toEqual(['/do/0/a/run/script/language']);
    expect(await refusedAt(`  - a:\n      run:\n        container: { image: docker.io/library/alpine }\n`)).toEqual(['/do/0/a/run/container/image']);
    expect(await refusedAt(`  - a:\n      run:\n        container: { image: localhost/baton-test/busybox:1, volumes: { /etc: /host-etc } }\n`)).toEqual([
      '/do/0/a/run/container/volumes/~1etc',
    ]);
  });

  test('an allowed program runs', async () => {
    const done = await stack.client.execute({ workflowExecutionId: uniqueName('ok'), workflowYaml: document('ok', `  - a:\n      run:\n        shell: { command: 'echo allowed' }\n`) });
    expect(done.output).toBe('allowed');
  });

  test('a command computed by an expression is checked by the activity: refused with 403, nothing runs', async () => {
    const marker = `computed-${Date.now()}`;
    const yaml = document('computed', `  - a:\n      run:\n        shell: { command: '\${ .command }' }\n`);
    const failed = await stack.client.execute({ workflowExecutionId: uniqueName('computed'), workflowYaml: yaml, input: { command: `sh -c 'sleep 5 # ${marker}'` } });
    expect(failed.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
    expect(failed.error).toMatchObject({ status: 403, title: 'Refused by the run policy', instance: '/do/0/a' });
    expect(processesWith(marker)).toEqual([]);
  });
});

describe('the shell allow-list', () => {
  const listed: RunPolicy = { ...RUN_NOTHING, shellCommands: ['echo', '/usr/bin/env'] };
  test.each([
    ['echo hello $NAME', true],
    ['/usr/bin/env', true],
    ['env', false],
    ['/bin/echo hi', false],
    ['echo a && rm -rf /', false],
    ['echo $(id)', false],
    ['echo `id`', false],
    ['echo hi > /etc/passwd', false],
    ['"echo" hi', false],
    ['X=1 echo', false],
    ['echo hi\nid', false],
  ])('%p allowed: %p', (command, allowed) => {
    expect(checkShellCommand(listed, command) === undefined).toBe(allowed);
  });
  test('`*` allows any command line; an empty list allows none', () => {
    expect(checkShellCommand({ ...RUN_NOTHING, shellCommands: ['*'] }, 'a | b; c')).toBeUndefined();
    expect(checkShellCommand(RUN_NOTHING, 'echo')?.message).toContain('--run-shell-commands');
  });
});

test('configuration: each kind is off by default; lists, ports and limits are read from flags and environment', () => {
  const loaded = loadConfig({ argv: [], env: {} });
  expect(loaded.ok && loaded.config.run).toEqual(RUN_NOTHING);
  const set = loadConfig({
    argv: ['--run-shell-commands', 'echo, ls', '--run-container-ports', '8080,9000-9100', '--run-timeout', '30s'],
    env: { BATON_RUN_SCRIPT_LANGUAGES: 'javascript,python', BATON_RUN_CONTAINER_IMAGES: 'busybox:*' },
  });
  expect(set.ok && set.config.run).toMatchObject({
    shellCommands: ['echo', 'ls'],
    scriptLanguages: ['js', 'python'],
    containerImages: ['busybox:*'],
    containerPorts: [{ from: 8080, to: 8080 }, { from: 9000, to: 9100 }],
    timeoutMs: 30_000,
  });
  const bad = loadConfig({ argv: ['--run-script-languages', 'ruby', '--run-container-ports', '99999', '--run-container-runtime', 'lxc'], env: {} });
  expect(bad.ok ? [] : bad.problems.map((problem) => problem.setting)).toEqual(['--run-script-languages', '--run-container-runtime', '--run-container-ports']);
});
