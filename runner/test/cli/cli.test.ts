import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { testTemporal } from '../../../test/temporal-env.ts';
import { baton, startLocalStack, type LocalStack } from './local-stack.ts';

const RAISE = `document: {dsl: '1.0.0', namespace: test, name: raise, version: '1.0.0'}
do:
  - check:
      raise:
        error:
          type: https://serverlessworkflow.io/spec/1.0.0/errors/validation
          status: 400
          title: Bad order
          detail: \${ "order \\(.id) has no items" }
`;
const SLOW = `document: {dsl: '1.0.0', namespace: test, name: slow, version: '1.0.0'}
do:
  - nap:
      wait: {minutes: 5}
`;

let stack: LocalStack;
let runner: string[];
const files = { raise: '', slow: '' };

beforeAll(async () => {
  const { address } = testTemporal();
  stack = await startLocalStack({
    args: ['--temporal-address', address, '--task-queue', `cli-${crypto.randomUUID()}`],
  });
  runner = ['--runner', stack.grpcAddress];
  const dir = `${process.env.TMPDIR ?? '/tmp'}/baton-cli-${crypto.randomUUID()}`;
  files.raise = `${dir}/raise.yaml`;
  files.slow = `${dir}/slow.yaml`;
  await Bun.write(files.raise, RAISE);
  await Bun.write(files.slow, SLOW);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

describe('baton run', () => {
  test('follows a successful execution and prints its output as JSON', async () => {
    const result = await baton(['run', 'examples/hello.yaml', '--input', '{"name":"Ada"}', ...runner]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/✓ \/do\/0\/greet\s+set\s+completed/);
    const json = result.stdout.slice(result.stdout.indexOf('{'));
    expect(JSON.parse(json)).toEqual({ greeting: 'Hello, Ada!', length: 3 });
  });

  test('reports a failure with its type, status and task path, and exits 1', async () => {
    const result = await baton(['run', files.raise, '--input', '{"id":7}', ...runner]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/✗ \/do\/0\/check\s+raise\s+failed/);
    expect(result.stderr).toContain('failed: https://serverlessworkflow.io/spec/1.0.0/errors/validation (status 400) at /do/0/check');
    expect(result.stderr).toContain('order 7 has no items');
  });

  test('--json prints one machine-readable execution', async () => {
    const result = await baton(['run', 'examples/hello.yaml', '--input', '{"name":"Bob"}', '--json', ...runner]);
    expect(result.exitCode).toBe(0);
    const execution = JSON.parse(result.stdout);
    expect(execution.phase).toBe('completed');
    expect(execution.output).toEqual({ greeting: 'Hello, Bob!', length: 3 });
    expect(execution.tasks.map((task: { path: string }) => task.path)).toEqual(['/do/0/greet']);
  });

  test('an invalid document is rejected with positions and codes, exit 1', async () => {
    const result = await baton(['run', 'runner/test/cli/fixtures/three-mistakes.yaml', ...runner]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/\d+:\d+: \[SW\d+\]/);
  });
});

describe('bad input', () => {
  test('input that is not JSON names the position and exits 2', async () => {
    const result = await baton(['run', 'examples/hello.yaml', '--input', '{"name": }', ...runner]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--input is not valid JSON');
    expect(result.stderr).toContain('line 1, column 10');
  });

  test('a missing workflow file exits 2', async () => {
    const result = await baton(['run', 'no/such/file.yaml', ...runner]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('workflow file not found: no/such/file.yaml');
  });

  test('an unreachable runner says what to do and exits 3', async () => {
    const result = await baton(['status', 'anything', '--runner', '127.0.0.1:1']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('is `bun run local` running? (tried 127.0.0.1:1)');
  });

  test('an unknown flag exits 2 with a pointer to --help', async () => {
    const result = await baton(['run', 'examples/hello.yaml', '--frobnicate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('baton run --help');
  });
});

describe('steering an execution', () => {
  test('cancel stops a running execution; status then shows it cancelled and exits 1', async () => {
    const id = `slow-${crypto.randomUUID()}`;
    const started = await baton(['run', files.slow, '--id', id, '--detach', ...runner]);
    expect(started.exitCode).toBe(0);
    expect(started.stdout.trim()).toBe(id);

    const cancelled = await baton(['cancel', id, ...runner]);
    expect(cancelled.exitCode).toBe(0);

    const watched = await baton(['watch', id, ...runner]);
    expect(watched.exitCode).toBe(1);
    expect(watched.stdout).toMatch(/\/do\/0\/nap\s+wait\s+cancelled/);

    const status = await baton(['status', id, '--json', ...runner]);
    expect(JSON.parse(status.stdout).phase).toBe('cancelled');
    expect(status.exitCode).toBe(1);
  });

  test('status of an unknown id exits 1 with the runner\'s sentence', async () => {
    const result = await baton(['status', `missing-${crypto.randomUUID()}`, ...runner]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('no execution with id');
  });
});

describe('help', () => {
  test('every command has --help with an example', async () => {
    for (const command of ['run', 'status', 'watch', 'cancel', 'pause', 'resume', 'validate', 'graph', 'schema']) {
      const result = await baton([command, '--help']);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`Usage: baton ${command}`);
      expect(result.stdout).toContain('Examples:');
    }
  });
});

test('a reader that stops early ends the output quietly', async () => {
  // The schema is larger than a pipe's buffer, so the writer meets the closed pipe.
  const child = Bun.spawn(['bash', '-c', 'bun runner/src/cli/main.ts schema | head -c 20 > /dev/null; exit "${PIPESTATUS[0]}"'], {
    cwd: new URL('../../../', import.meta.url).pathname,
    stdout: 'ignore',
    stderr: 'pipe',
  });
  const [stderr, exitCode] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  const result = { stderr, exitCode };
  expect(result.stderr).not.toContain('EPIPE');
  expect(result.exitCode).toBe(0);
});
