/**
 * `baton deploy | deployments | undeploy | schedules` and `baton run namespace/name/version`, as
 * separate CLI processes against a runner on the dev server.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { startStack, uniqueName } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';
import { baton } from './local-stack.ts';

setDefaultTimeout(60_000);

const NS = uniqueName('cli');
let stack: Stack;
let runner: string[];
let dir: string;

beforeAll(async () => {
  stack = await startStack();
  runner = ['--runner', stack.runner.grpcAddress];
  dir = `${process.env.TMPDIR ?? '/tmp'}/baton-cli-deploy-${crypto.randomUUID()}`;
  await Bun.write(
    `${dir}/nightly.yaml`,
    `document: {dsl: '1.0.3', namespace: ${NS}, name: nightly, version: '1.0.0'}\nschedule:\n  cron: '0 2 * * *'\ndo:\n  - hi:\n      set:\n        hello: \${ .name }\n`,
  );
  await Bun.write(`${dir}/broken.yaml`, `document: {dsl: '1.0.3', namespace: ${NS}, name: broken, version: '1.0.0'}\nschedule:\n  after: {milliseconds: 500}\ndo: []\n`);
});
afterAll(async () => {
  await stack?.stop();
});

test('deploy, list, run by reference, schedules with pause/trigger, undeploy', async () => {
  const key = `${NS}/nightly/1.0.0`;
  const deployed = await baton(['deploy', `${dir}/nightly.yaml`, ...runner]);
  expect(deployed.exitCode).toBe(0);
  expect(deployed.stdout).toContain(`${key}  deployed revision 1; schedule created  cron 0 2 * * *`);
  const again = await baton(['deploy', `${dir}/nightly.yaml`, '--json', ...runner]);
  expect(JSON.parse(again.stdout)[0]).toMatchObject({ changed: false, deployment: { revision: 1, scheduleId: `baton-schedule/${key}` } });

  const listed = await baton(['deployments', '--namespace', NS, '--json', ...runner]);
  expect(listed.exitCode).toBe(0);
  expect(JSON.parse(listed.stdout).map((d: { reference: unknown }) => d.reference)).toEqual([{ namespace: NS, name: 'nightly', version: '1.0.0' }]);

  const run = await baton(['run', key, '--input', '{"name":"Ada"}', ...runner]);
  expect(run.exitCode).toBe(0);
  expect(JSON.parse(run.stdout.slice(run.stdout.indexOf('{')))).toEqual({ hello: 'Ada' });

  const schedules = await baton(['schedules', '--namespace', NS, ...runner]);
  expect(schedules.stdout).toMatch(new RegExp(`${key}  cron 0 2 \\* \\* \\*  next \\d{4}-\\d\\d-\\d\\dT02:00:00`));
  expect((await baton(['schedules', 'pause', key, '--reason', 'maintenance', ...runner])).stdout).toContain('schedule paused');
  expect((await baton(['schedules', '--namespace', NS, ...runner])).stdout).toContain('paused (maintenance)');
  expect((await baton(['schedules', 'trigger', key, ...runner])).exitCode).toBe(0);
  expect((await baton(['schedules', 'resume', key, ...runner])).exitCode).toBe(0);

  expect((await baton(['undeploy', key, ...runner])).stdout).toContain(`${key}: undeployed`);
  const gone = await baton(['undeploy', key, ...runner]);
  expect(gone.exitCode).toBe(1);
  expect(gone.stderr).toContain(`nothing is deployed as ${key}`);
});

test('bad input: invalid document exits 1 with its diagnostics, bad reference and unknown subcommand exit 2', async () => {
  const unknown = await baton(['run', `${NS}/never-deployed/1.0.0`, ...runner]);
  expect(unknown.exitCode).toBe(1);
  expect(unknown.stderr).toContain(`nothing is deployed as ${NS}/never-deployed/1.0.0`);
  expect((await baton(['run', 'no/such/file.yaml', ...runner])).exitCode).toBe(2);
  const broken = await baton(['deploy', `${dir}/broken.yaml`, ...runner]);
  expect(broken.exitCode).toBe(1);
  expect(broken.stderr).toContain('[SW303]');
  expect(broken.stderr).toContain('schedule.after');
  expect((await baton(['undeploy', 'not-a-reference', ...runner])).exitCode).toBe(2);
  expect((await baton(['schedules', 'explode', `${NS}/x/1`, ...runner])).exitCode).toBe(2);
  expect((await baton(['deploy', `${dir}/missing.yaml`, ...runner])).exitCode).toBe(2);
  const help = await baton(['schedules', '--help']);
  expect(help.exitCode).toBe(0);
  expect(help.stdout).toContain('baton schedules pause');
});
