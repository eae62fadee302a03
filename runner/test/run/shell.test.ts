/**
 * `run: shell` with real processes, through the real gRPC service, worker and Temporal dev server:
 * every `return` mode, arguments (both DSL forms), environment, stdin, a non-zero exit, `await:
 * false`, the output cap, a runaway command stopped by its timeout with its whole process tree,
 * and a cancel while a command runs.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { ExecutionPhase } from '@baton/proto';
import { RUN_NOTHING } from '../../src/activities/run/index.ts';
import { eventually, startStack, uniqueName } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';
import { document, processesWith } from './support.ts';

setDefaultTimeout(60_000);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ run: { ...RUN_NOTHING, shellCommands: ['*'], outputBytes: 4096 } });
});
afterAll(async () => {
  await stack?.stop();
});

const run = (yaml: string, input: Record<string, unknown> = {}) => stack.client.execute({ workflowExecutionId: uniqueName('shell'), workflowYaml: yaml, input });

describe('return modes', () => {
  const shell = (mode: string) =>
    document('modes', `  - greet:\n      run:\n        shell:\n          command: 'echo "out $GREETING"; echo err >&2; exit 0'\n          environment: { GREETING: hello }\n        return: ${mode}\n`);

  test('stdout (the default) is the text written, without its last line break', async () => {
    expect((await run(shell('stdout'))).output).toBe('out hello');
  });
  test('stderr', async () => {
    expect((await run(shell('stderr'))).output).toBe('err');
  });
  test('code', async () => {
    expect((await run(shell('code'))).output).toBe(0);
  });
  test('all', async () => {
    expect((await run(shell('all'))).output).toEqual({ code: 0, stdout: 'out hello', stderr: 'err' });
  });
  test('none passes the task input through', async () => {
    expect((await run(shell('none'), { kept: true })).output).toEqual({ kept: true });
  });
});

test('arguments (1.0.3 list, from expressions) are appended quoted: data never becomes shell syntax', async () => {
  const yaml = document('args', `  - echo:\n      run:\n        shell:\n          command: printf '%s|'\n          arguments: ['\${ .a }', 'two words', '; echo injected']\n`);
  expect((await run(yaml, { a: '$HOME' })).output).toBe('$HOME|two words|; echo injected|');
});

test("arguments in DSL 1.0.0's mapping form: each key, then its value unless null", async () => {
  const yaml = document('args-map', `  - echo:\n      run:\n        shell:\n          command: echo\n          arguments:\n            --user: john\n            '\${ .flag }':\n`, '1.0.0');
  expect((await run(yaml, { flag: '-v' })).output).toBe('--user john -v');
});

test('stdin from an expression', async () => {
  const yaml = document('stdin', `  - upper:\n      run:\n        shell:\n          command: tr a-z A-Z\n          stdin: \${ .text }\n`);
  expect((await run(yaml, { text: 'quiet words' })).output).toBe('QUIET WORDS');
});

test("the process does not see the runner's environment", async () => {
  process.env.BATON_SECRET_LEAK_PROBE = 'should-not-leak';
  try {
    const yaml = document('env', `  - env:\n      run:\n        shell:\n          command: env\n`);
    const output = String((await run(yaml)).output);
    expect(output).toContain('PATH=');
    expect(output).not.toContain('should-not-leak');
  } finally {
    delete process.env.BATON_SECRET_LEAK_PROBE;
  }
});

test('a non-zero exit fails the task with the code and the end of stderr; try/catch sees it', async () => {
  const failing = document('exit', `  - fail:\n      run:\n        shell:\n          command: 'echo working; echo "disk full" >&2; exit 3'\n`);
  const failed = await run(failing);
  expect(failed.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
  expect(failed.error).toMatchObject({ type: expect.stringContaining('/errors/runtime'), status: 500, title: 'Process exited with code 3', instance: '/do/0/fail' });
  expect(failed.error?.detail).toContain('stderr ends: disk full');

  const caught = document(
    'exit-caught',
    `  - guarded:\n      try:\n        - fail:\n            run:\n              shell:\n                command: 'exit 4'\n      catch:\n        as: problem\n        do:\n          - keep:\n              set: { title: '\${ $problem.title }' }\n`,
  );
  expect((await run(caught)).output).toEqual({ title: 'Process exited with code 4' });
});

test('with `return: code` a non-zero exit is the answer, not an error', async () => {
  const yaml = document('code', `  - probe:\n      run:\n        shell:\n          command: 'exit 7'\n        return: code\n`);
  expect((await run(yaml)).output).toBe(7);
});

test('output past --run-output-bytes stops the process and fails the task with 413 naming the cap', async () => {
  const yaml = document('flood', `  - flood:\n      run:\n        shell:\n          command: 'yes flood-marker-4096'\n`);
  const failed = await run(yaml);
  expect(failed.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
  expect(failed.error).toMatchObject({ status: 413, title: 'Output too large' });
  expect(failed.error?.detail).toContain('more than 4096 bytes to stdout (--run-output-bytes)');
  expect(processesWith('flood-marker-4096')).toEqual([]);
});

test('await: false starts the command and goes on with the task input', async () => {
  const marker = `detached-${Date.now()}`;
  const yaml = document('detached', `  - background:\n      run:\n        shell:\n          command: 'sleep 4; echo ${marker}'\n        await: false\n  - after:\n      set: { next: true }\n`);
  const done = await run(yaml, { started: true });
  expect(done.output).toEqual({ next: true });
  // Still running after the workflow completed.
  expect(processesWith(marker).length).toBeGreaterThan(0);
});

test('a runaway command tree is stopped by its task timeout and nothing is left behind', async () => {
  const marker = `runaway-${Date.now()}`;
  // Three processes in the tree: the shell, a background sleeper and a foreground one.
  const yaml = document(
    'runaway',
    `  - spin:\n      timeout: { after: { seconds: 2 } }\n      run:\n        shell:\n          command: 'sleep 300 & sh -c "sleep 301; echo ${marker}"; wait'\n`,
  );
  const id = uniqueName('runaway');
  const pending = stack.client.execute({ workflowExecutionId: id, workflowYaml: yaml });
  const running = await eventually(async () => processesWith(marker), (pids) => pids.length > 0, 10_000);
  expect(running.length).toBeGreaterThan(0);
  const failed = await pending;
  expect(failed.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
  expect(failed.error).toMatchObject({ status: 408 });
  const left = await eventually(async () => processesWith(marker), (pids) => pids.length === 0, 10_000);
  expect(left).toEqual([]);
});

test('cancelling the execution while a command runs kills the command', async () => {
  const marker = `cancel-me-${Date.now()}`;
  const yaml = document('cancel', `  - wait:\n      run:\n        shell:\n          command: 'sleep 302; echo ${marker}'\n`);
  const id = uniqueName('cancel');
  await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: yaml });
  const running = await eventually(async () => processesWith(marker), (pids) => pids.length > 0, 10_000);
  expect(running.length).toBeGreaterThan(0);
  await stack.client.cancelExecution({ executionId: id });
  const left = await eventually(async () => processesWith(marker), (pids) => pids.length === 0, 20_000);
  expect(left).toEqual([]);
  const ended = await eventually(() => stack.client.getExecution(id), (execution) => execution.phase === ExecutionPhase.EXECUTION_CANCELLED);
  expect(ended.phase).toBe(ExecutionPhase.EXECUTION_CANCELLED);
});

test('try/retry runs a failing command again until it succeeds', async () => {
  const counter = `/tmp/baton-retry-${process.pid}-${Date.now()}`;
  const yaml = document(
    'retry',
    `  - flaky:\n      try:\n        - attempt:\n            run:\n              shell:\n                command: 'n=$(cat "$COUNTER" 2>/dev/null || echo 0); echo $((n+1)) > "$COUNTER"; [ "$n" -ge 2 ] && echo "succeeded after $n failures"'\n                environment: { COUNTER: '\${ .counter }' }\n      catch:\n        retry:\n          delay: { milliseconds: 10 }\n          limit: { attempt: { count: 5 } }\n`,
  );
  expect((await run(yaml, { counter })).output).toBe('succeeded after 2 failures');
});
