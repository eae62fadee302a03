/**
 * Recording histories for replay.test.ts: with BATON_RECORD_HISTORIES=1 a test writes the history
 * of a run it made to specs/histories/<name>.json; without it, recording does nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = join(import.meta.dir, '../../../specs/histories');

const RECORDING_HISTORIES = process.env.BATON_RECORD_HISTORIES === '1';

/** Writes the history of the run `handle` names (its latest run when it names none). */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (!RECORDING_HISTORIES) return;
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), `${historyToJSON(await handle.fetchHistory())}\n`);
}
