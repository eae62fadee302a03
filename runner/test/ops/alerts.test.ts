/**
 * The alert rules in ops/prometheus are valid (`promtool check rules`) and each alert fires on the
 * synthetic series of its unit test, and only there (`promtool test rules`). A rule whose threshold
 * is loosened must make those tests fail, or they would prove nothing.
 */
import { expect, test } from 'bun:test';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const RULES_DIR = resolve(import.meta.dir, '../../../ops/prometheus');
const promtool = Bun.which('promtool');
if (!promtool) console.warn('promtool is missing (Debian package `prometheus`, listed in .ci/run): the alert rule tests skip');

async function run(args: readonly string[], cwd: string): Promise<{ code: number; output: string }> {
  const child = Bun.spawn([promtool!, ...args], { cwd, stdout: 'pipe', stderr: 'pipe' });
  const output = (await new Response(child.stdout).text()) + (await new Response(child.stderr).text());
  return { code: await child.exited, output };
}

test.skipIf(!promtool)('promtool checks the rules and runs their unit tests: every alert fires where it should, none on a healthy runner', async () => {
  const checked = await run(['check', 'rules', 'baton-alerts.yml'], RULES_DIR);
  expect(checked.output).toContain('SUCCESS: 9 rules found');
  expect(checked.code).toBe(0);
  const tested = await run(['test', 'rules', 'baton-alerts.test.yml'], RULES_DIR);
  expect(tested.output).toContain('SUCCESS');
  expect(tested.code).toBe(0);
});

test.skipIf(!promtool)('the unit tests catch a broken rule', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-alerts-'));
  try {
    copyFileSync(join(RULES_DIR, 'baton-alerts.test.yml'), join(dir, 'baton-alerts.test.yml'));
    const rules = readFileSync(join(RULES_DIR, 'baton-alerts.yml'), 'utf8');
    // Pending callbacks alert only after a day instead of an hour: the 1h test must now fail.
    const broken = rules.replace('baton_callbacks_pending{older_than="1h"}', 'baton_callbacks_pending{older_than="1d"}');
    expect(broken).not.toBe(rules);
    writeFileSync(join(dir, 'baton-alerts.yml'), broken);
    const tested = await run(['test', 'rules', 'baton-alerts.test.yml'], dir);
    expect(tested.code).not.toBe(0);
    expect(tested.output).toContain('BatonCallbacksPendingTooLong');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
