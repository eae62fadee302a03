/**
 * `baton validate`, `graph` and `schema` as a person runs them: the real `baton` process, no
 * runner needed, exit codes as docs/cli.md lists them.
 */
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dir, '../../..');
const main = join(root, 'runner/src/cli/main.ts');
const specs = join(root, 'specs/dsl');
const threeMistakes = join(specs, 'invalid/three-mistakes.yaml');
const minimal = join(specs, 'valid/minimal.yaml');

function baton(args: readonly string[], stdin?: string): { code: number; out: string; err: string } {
  const run = Bun.spawnSync(['bun', main, ...args], { env: { ...process.env, NO_COLOR: '1' }, ...(stdin === undefined ? {} : { stdin: new TextEncoder().encode(stdin) }) });
  return { code: run.exitCode, out: run.stdout.toString(), err: run.stderr.toString() };
}

describe('baton validate', () => {
  test('--explain names the dialect and the differences from the specification that apply', () => {
    const zigflow = join(root, 'specs/run/zigflow-fork-by-branch/workflow.yaml');
    const { code, out } = baton(['validate', '--explain', zigflow, minimal]);
    expect(code).toBe(0);
    expect(out).toContain("dialect: Zigflow — runs with Zigflow's semantics");
    expect(out).toContain('- $input is the workflow input in every task');
    expect(out).toContain('- a non-competing fork outputs an object keyed by branch name');
    expect(out).not.toContain('one workflow type per task');
    expect(out).toContain(`ok ${minimal}: default/minimal@0.1.0, 1 top-level task\n  dialect: Serverless Workflow specification\n`);
    const json = JSON.parse(baton(['validate', '--explain', '--json', zigflow]).out);
    expect(json.files[0].explanation.dialect).toBe('zigflow');
  });

  test("--explain says a Zigflow listen receives Temporal messages, only when the document listens", () => {
    const listening = join(root, 'specs/run/zigflow-listen-signals/workflow.yaml');
    const quiet = join(root, 'specs/run/zigflow-fork-by-branch/workflow.yaml');
    const line = '- listen receives Temporal signals, queries and updates named by with.id';
    expect(baton(['validate', '--explain', listening]).out).toContain(line);
    expect(baton(['validate', '--explain', quiet]).out).not.toContain(line);
  });

  test('--explain says what a Zigflow schedule starts, only when the document has a schedule', () => {
    const scheduled = `document: {dsl: 1.0.0, taskQueue: q, workflowType: nightly, version: 1.0.0, metadata: {scheduleWorkflowName: nightly, scheduleInput: [{region: '\${ $env.REGION }'}]}}\nschedule: {every: PT1M}\ndo:\n  - a:\n      set: {x: 1}\n`;
    const line = "- document.metadata.scheduleWorkflowName/scheduleInput decide what the deployment's schedule starts: 'nightly' with scheduleInput's argument";
    expect(baton(['validate', '--explain', '-'], scheduled).out).toContain(line);
    expect(baton(['validate', '--explain', join(root, 'specs/run/zigflow-fork-by-branch/workflow.yaml')]).out).not.toContain('scheduleWorkflowName');
    const named = scheduled.replace('scheduleWorkflowName: nightly,', 'scheduleWorkflowName: nightly, scheduleId: nightly-report,');
    expect(baton(['validate', '--explain', '-'], named).out).toContain("under the Temporal Schedule id 'nightly-report'");
  });

  test('prints all three mistakes of a file, each with line, column, task path, code and a code frame', () => {
    const { code, out } = baton(['validate', threeMistakes]);
    expect(code).toBe(1);
    expect(out).toContain(`error[SW301]: 'notifyUser' is not a task in this list\n  --> ${threeMistakes}:13:13 (do[0].fetchUser.then)`);
    expect(out).toContain(`error[SW400]: jq syntax error: unexpected end of expression\n  --> ${threeMistakes}:16:46 (do[1].enrich.set.name)`);
    expect(out).toContain(`error[SW203]: must be integer or a \${ } expression\n  --> ${threeMistakes}:19:18 (do[2].notify.wait.minutes)`);
    expect(out).toContain("13 |       then: notifyUser\n   |             ^\n   = hint: did you mean 'notify'?");
    expect(out).toContain(`invalid ${threeMistakes}: 3 errors`);
  });

  test('exit 0 for valid files, --json for machines, - for standard input', () => {
    const { code, out } = baton(['validate', '--json', minimal, threeMistakes]);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report.valid).toBe(false);
    expect(report.files[0]).toMatchObject({ file: minimal, ok: true, workflow: { name: 'minimal', tasks: 1 } });
    expect(report.files[1].diagnostics.map((d: { code: string }) => d.code)).toEqual(['SW301', 'SW400', 'SW203']);
    const valid = baton(['validate', minimal]);
    expect(valid.code).toBe(0);
    expect(valid.out).toBe(`ok ${minimal}: default/minimal@0.1.0, 1 top-level task\n`);
    const piped = baton(['validate', '-'], readFileSync(threeMistakes, 'utf8'));
    expect(piped.code).toBe(1);
    expect(piped.out).toContain('  --> -:13:13 (do[0].fetchUser.then)');
  });

  test('exit 2 for usage and I/O errors, with a sentence', () => {
    for (const args of [['validate'], ['validate', '--yaml', minimal], ['validate', '/no/such/file.yaml'], ['graph'], ['graph', '/no/such/file.yaml'], ['schema', 'extra']]) {
      const { code, err } = baton(args);
      expect(code).toBe(2);
      expect(err).toMatch(/^baton (validate|graph|schema): /);
    }
  });
});

describe('baton graph and baton schema', () => {
  test('graph prints a Mermaid flowchart following the flow', () => {
    const { code, out } = baton(['graph', join(specs, 'valid/error-handling.yaml')]);
    expect(code).toBe(0);
    expect(out.startsWith('flowchart TD\n')).toBe(true);
    expect(out).toContain('{"check"}');
    // `then: reject` jumps to the sibling; `then: exit` leaves the try list for the next task.
    expect(out).toContain('t1 -->|"missing: .id == null"| t2\n');
    expect(out).toContain('t2>"raise reject"]');
    expect(out).toContain('t1 -->|"fine (default)"| t4\n');
    expect(out).toContain('-. "catch $problem" .->');
    expect(out).toContain('start --> t0');
    // `if: .fail` on the last task: skipping it continues past the end of the list, ending the workflow.
    expect(out).toContain('t4 -. "skip unless .fail" .-> finish');
  });

  test('graph of an invalid document reports its diagnostics and exits 1', () => {
    const { code, err } = baton(['graph', threeMistakes]);
    expect(code).toBe(1);
    expect(err).toContain('SW301');
  });

  test('schema prints the JSON Schema of the newest DSL release', () => {
    const { code, out } = baton(['schema']);
    expect(code).toBe(0);
    const schema = JSON.parse(out);
    expect(schema.$id).toBe('https://serverlessworkflow.io/schemas/1.0.3/workflow.json');
    expect(schema.$defs.task).toBeDefined();
  });
});
