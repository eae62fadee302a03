import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDslCommand } from '../src/cli/index.ts';
import type { CliIo } from '../src/cli/index.ts';

const specs = join(import.meta.dir, '../../specs/dsl');
const threeMistakes = join(specs, 'invalid/three-mistakes.yaml');
const minimal = join(specs, 'valid/minimal.yaml');

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
    readFile: async (path: string) => readFileSync(path, 'utf8'),
  };
  return io;
}

describe('baton validate', () => {
  test('prints all three mistakes of a file, each with line, column, task path, code and a code frame', async () => {
    const io = capture();
    expect(await runDslCommand(['validate', threeMistakes], io)).toBe(1);
    expect(io.out).toContain(`error[SW301]: 'notifyUser' is not a task in this list\n  --> ${threeMistakes}:13:13 (do[0].fetchUser.then)`);
    expect(io.out).toContain(`error[SW400]: jq syntax error: unexpected end of expression\n  --> ${threeMistakes}:16:46 (do[1].enrich.set.name)`);
    expect(io.out).toContain(`error[SW203]: must be integer or a \${ } expression\n  --> ${threeMistakes}:19:18 (do[2].notify.wait.minutes)`);
    expect(io.out).toContain("13 |       then: notifyUser\n   |             ^\n   = hint: did you mean 'notify'?");
    expect(io.out).toContain(`invalid ${threeMistakes}: 3 errors`);
  });

  test('exit 0 for valid files, --json for machines', async () => {
    const io = capture();
    expect(await runDslCommand(['validate', '--json', minimal, threeMistakes], io)).toBe(1);
    const report = JSON.parse(io.out);
    expect(report.valid).toBe(false);
    expect(report.files[0]).toMatchObject({ file: minimal, ok: true, workflow: { name: 'minimal', tasks: 1 } });
    expect(report.files[1].diagnostics.map((d: { code: string }) => d.code)).toEqual(['SW301', 'SW400', 'SW203']);
    const valid = capture();
    expect(await runDslCommand(['validate', minimal], valid)).toBe(0);
    expect(valid.out).toBe(`ok ${minimal}: default/minimal@0.1.0, 1 top-level task\n`);
  });

  test('exit 2 for usage and I/O errors', async () => {
    for (const argv of [['validate'], ['validate', '--yaml', minimal], ['validate', '/no/such/file.yaml'], ['nonsense'], []]) {
      const io = capture();
      expect(await runDslCommand(argv, io)).toBe(2);
      expect(io.err.length).toBeGreaterThan(0);
    }
  });

  test('the stand-alone entry point runs as a process with the same exit codes', () => {
    const main = join(import.meta.dir, '../src/cli/main.ts');
    const invalid = Bun.spawnSync(['bun', main, 'validate', threeMistakes]);
    expect(invalid.exitCode).toBe(1);
    expect(invalid.stdout.toString()).toContain('SW301');
    expect(Bun.spawnSync(['bun', main, 'validate', minimal]).exitCode).toBe(0);
    expect(Bun.spawnSync(['bun', main, 'validate']).exitCode).toBe(2);
    const piped = Bun.spawnSync(['bun', main, 'validate', '-'], { stdin: new TextEncoder().encode(readFileSync(threeMistakes, 'utf8')) });
    expect(piped.exitCode).toBe(1);
    expect(piped.stdout.toString()).toContain('  --> -:13:13 (do[0].fetchUser.then)');
  });
});

describe('baton graph and baton schema', () => {
  test('graph prints a Mermaid flowchart following the flow', async () => {
    const io = capture();
    expect(await runDslCommand(['graph', join(specs, 'valid/error-handling.yaml')], io)).toBe(0);
    expect(io.out.startsWith('flowchart TD\n')).toBe(true);
    expect(io.out).toContain('{"check"}');
    // `then: reject` jumps to the sibling; `then: exit` leaves the try list for the next task.
    expect(io.out).toContain('t1 -->|"missing: .id == null"| t2\n');
    expect(io.out).toContain('t2>"raise reject"]');
    expect(io.out).toContain('t1 -->|"fine (default)"| t4\n');
    expect(io.out).toContain('-. "catch $problem" .->');
    expect(io.out).toContain('start --> t0');
    // `if: .fail` on the last task: skipping it continues past the end of the list, ending the workflow.
    expect(io.out).toContain('t4 -. "skip unless .fail" .-> finish');
  });

  test('graph of an invalid document reports its diagnostics and exits 1', async () => {
    const io = capture();
    expect(await runDslCommand(['graph', threeMistakes], io)).toBe(1);
    expect(io.err).toContain('SW301');
  });

  test('schema prints the workflow JSON Schema', async () => {
    const io = capture();
    expect(await runDslCommand(['schema'], io)).toBe(0);
    const schema = JSON.parse(io.out);
    expect(schema.$id).toBe('https://serverlessworkflow.io/schemas/1.0.3/workflow.json');
    expect(schema.$defs.task).toBeDefined();
  });
});
