/**
 * `bun run bench:dsl`: compile time of a 5-task and a 50-task workflow (warm, median of many),
 * documents per second, the same for @serverlessworkflow/sdk's deserialize (js-yaml + ajv +
 * hydration) on the same text with the ratio, and the wall time of cold `validate` processes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileWorkflow } from '../src/index.ts';
import { benchmarkWorkflow } from './workflows.ts';

interface Figures {
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly perSecond: number;
}

function measure(run: () => void, iterations: number): Figures {
  for (let i = 0; i < Math.min(200, iterations); i++) run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const medianMs = samples[Math.floor(samples.length / 2)]!;
  return { medianMs, p90Ms: samples[Math.floor(samples.length * 0.9)]!, perSecond: 1000 / medianMs };
}

const format = (figures: Figures) =>
  `median ${figures.medianMs.toFixed(3)} ms  p90 ${figures.p90Ms.toFixed(3)} ms  ${Math.round(figures.perSecond).toLocaleString('en')} docs/s`;

const sdkImportStart = performance.now();
const { Classes } = await import('@serverlessworkflow/sdk');
const sdkImportMs = performance.now() - sdkImportStart;

console.log(`@baton/dsl compile benchmark (warm, same process; ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)})\n`);
const directory = mkdtempSync(join(tmpdir(), 'baton-bench-dsl-'));
try {
  const files: string[] = [];
  for (const [tasks, iterations] of [
    [5, 3000],
    [50, 500],
  ] as const) {
    const source = benchmarkWorkflow(tasks);
    const file = join(directory, `bench-${tasks}.yaml`);
    writeFileSync(file, source);
    files.push(file);
    const check = compileWorkflow(source);
    if (!check.ok) throw new Error(`benchmark workflow is invalid: ${JSON.stringify(check.diagnostics)}`);
    Classes.Workflow.deserialize(source);

    const baton = measure(() => compileWorkflow(source), iterations);
    const sdk = measure(() => Classes.Workflow.deserialize(source), iterations);
    console.log(`${tasks}-task workflow (${source.length.toLocaleString('en')} bytes, ${iterations} runs)`);
    console.log(`  baton compileWorkflow          ${format(baton)}`);
    console.log(`  sdk Workflow.deserialize       ${format(sdk)}`);
    console.log(`  ratio sdk/baton (median)       ${(sdk.medianMs / baton.medianMs).toFixed(2)}x\n`);
  }
  console.log(`sdk import (once per process)    ${sdkImportMs.toFixed(0)} ms`);

  // `baton validate` as people run it (the CLI lives in the runner; @baton/dsl is a library).
  const main = join(import.meta.dir, '../../runner/src/cli/main.ts');
  const walls: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const run = Bun.spawnSync(['bun', main, 'validate', files[1]!]);
    walls.push(performance.now() - start);
    if (run.exitCode !== 0) throw new Error(`validate failed: ${run.stdout.toString()}${run.stderr.toString()}`);
  }
  const baseline: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    Bun.spawnSync(['bun', '-e', '0']);
    baseline.push(performance.now() - start);
  }
  walls.sort((a, b) => a - b);
  baseline.sort((a, b) => a - b);
  console.log(`cold \`validate\` (50-task file)   median ${walls[3]!.toFixed(0)} ms wall over 7 processes (bare \`bun -e 0\`: ${baseline[3]!.toFixed(0)} ms)`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
