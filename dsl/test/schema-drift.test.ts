import { expect, test } from 'bun:test';
import { join } from 'node:path';

test.each([['extract-schema.ts'], ['generate-validators.ts']])('%s --check: the committed output is current', (script) => {
  const run = Bun.spawnSync(['bun', join(import.meta.dir, '../scripts', script), '--check']);
  expect(run.stderr.toString()).toBe('');
  expect(run.exitCode).toBe(0);
});
