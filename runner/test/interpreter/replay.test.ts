/**
 * Replays the recorded histories (specs/histories/, written with BATON_RECORD_HISTORIES=1 by the
 * conformance test and the other tests that call recordHistory) against the current interpreter:
 * a change that alters what it schedules for a running execution fails here unless it is guarded
 * with `patched()`.
 */
import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { WorkflowBundle } from '@temporalio/worker';
import { interpreterBundle } from '../../src/temporal/worker.ts';
import { TRACING_WORKFLOW_INTERCEPTOR_MODULES } from '../../src/tracing/index.ts';
import { HISTORIES_DIR } from '../support/record-history.ts';

const files = readdirSync(HISTORIES_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();

/** The scheduling-change tests need only a few histories to make their point (and log less). */
const SAMPLE = ['set-object.json', 'http-get-uri-template.json', 'fork-all.json', 'try-catch-as.json'];

function histories(only?: readonly string[]) {
  return files.filter((file) => !only || only.includes(file)).map((file) => ({
    workflowId: file.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'))),
  }));
}

async function replayAll(workflowBundle: WorkflowBundle, only?: readonly string[]): Promise<{ workflowId: string; error?: unknown }[]> {
  const results: { workflowId: string; error?: unknown }[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'baton-replay' }, histories(only))) {
    results.push({ workflowId: result.workflowId, ...(result.error ? { error: result.error } : {}) });
  }
  return results;
}

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function fixtureBundle(name: string): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: join(import.meta.dir, 'fixtures', name), logger: silent });
}

describe('recorded histories', () => {
  test('there are recorded histories', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  test('every recorded history replays against the current interpreter', async () => {
    const results = await replayAll(await interpreterBundle());
    const failed = results.filter((result) => result.error).map((result) => `${result.workflowId}: ${String(result.error)}`);
    expect(failed).toEqual([]);
    expect(results).toHaveLength(files.length);
  }, 120_000);

  test('every recorded history also replays with the tracing interceptors bundled (tracing turned on across a restart)', async () => {
    const results = await replayAll(await interpreterBundle(TRACING_WORKFLOW_INTERCEPTOR_MODULES));
    expect(results.filter((result) => result.error).map((result) => `${result.workflowId}: ${String(result.error)}`)).toEqual([]);
    expect(results).toHaveLength(files.length);
  }, 120_000);

  test('an unguarded scheduling change fails replay', async () => {
    const results = await replayAll(await fixtureBundle('unguarded-change.ts'), SAMPLE);
    const failed = results.filter((result) => result.error);
    expect(results).toHaveLength(SAMPLE.length);
    expect(failed).toHaveLength(SAMPLE.length);
    expect(String(failed[0]?.error)).toMatch(/[Nn]ondetermin|DeterminismViolation/);
  }, 120_000);

  test('the same change guarded with patched() replays', async () => {
    const results = await replayAll(await fixtureBundle('guarded-change.ts'), SAMPLE);
    expect(results).toHaveLength(SAMPLE.length);
    expect(results.filter((result) => result.error).map((result) => result.workflowId)).toEqual([]);
  }, 120_000);
});
