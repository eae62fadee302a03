/**
 * Runs every case under specs/run/ on the real dev server: specs/run/<case>/workflow.yaml with
 * input.json, expecting expected.json (the workflow output) or expected-error.json (a subset of
 * the WorkflowError: type, status, title, instance). Documents under specs/run/<case>/catalogue/
 * are given to the execution as its `run: workflow` catalogue; env.json, when present, is Zigflow's `$env`;
 * messages.json, when present, lists Temporal messages sent to the execution once it started, in
 * order (`{"signal": name, "payload": …}`, `{"update": name, "payload": …, "reply": …}`: see
 * messages.ts). `@@HTTP@@` in any YAML is replaced
 * by the base URL of the HTTP server this test starts (see http-fixture.ts).
 *
 * With BATON_RECORD_HISTORIES=1 each case's history is written to specs/histories/<case>.json,
 * which replay.test.ts replays against the current interpreter.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '@baton/dsl';
import { compileFile, failureOf, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import { HTTP_PLACEHOLDER, startHttpFixture } from './http-fixture.ts';
import { sendMessages } from './messages.ts';
import type { CaseMessage } from './messages.ts';
import type { HttpFixture } from './http-fixture.ts';
import { recordHistory } from '../support/record-history.ts';

const CASES_DIR = join(import.meta.dir, '../../../specs/run');
const cases = readdirSync(CASES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

let harness: Harness;
let http: HttpFixture;

beforeAll(async () => {
  http = startHttpFixture();
  harness = await startHarness('conformance');
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  http?.stop();
});

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function catalogueOf(dir: string, substitutions: Record<string, string>): Record<string, Plan> | undefined {
  const folder = join(dir, 'catalogue');
  if (!existsSync(folder)) return undefined;
  const catalogue: Record<string, Plan> = {};
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.yaml')).sort()) {
    const plan = compileFile(join(folder, file), substitutions);
    catalogue[`${plan.document.namespace}/${plan.document.name}/${plan.document.version}`] = plan;
  }
  return catalogue;
}

describe('specs/run conformance cases', () => {
  test('there are cases to run', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const name of cases) {
    test(name, async () => {
      const dir = join(CASES_DIR, name);
      const substitutions = { [HTTP_PLACEHOLDER]: http.baseUrl };
      const plan = compileFile(join(dir, 'workflow.yaml'), substitutions);
      const inputPath = join(dir, 'input.json');
      const input = existsSync(inputPath) ? readJson(inputPath) : {};
      const catalogue = catalogueOf(dir, substitutions);
      const envPath = join(dir, 'env.json');
      const handle = await harness.start(plan, input, {
        executionId: `case-${name}-${crypto.randomUUID()}`,
        ...(catalogue ? { catalogue } : {}),
        ...(existsSync(envPath) ? { env: readJson(envPath) as Record<string, string> } : {}),
      });
      const messagesPath = join(dir, 'messages.json');
      if (existsSync(messagesPath)) await sendMessages(handle, readJson(messagesPath) as CaseMessage[]);
      const expectedErrorPath = join(dir, 'expected-error.json');
      if (existsSync(expectedErrorPath)) {
        const error = await failureOf(handle);
        expect(error).toMatchObject(readJson(expectedErrorPath) as Record<string, unknown>);
      } else {
        expect(await handle.result()).toEqual(readJson(join(dir, 'expected.json')));
      }
      // The first run: for a case that continues as new, that is where the decision to do so is.
      await recordHistory(harness.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId), name);
    }, 60_000);
  }
});
