import { expect, test } from 'bun:test';
import { join } from 'node:path';

test('the vendored schema equals the one in the installed @serverlessworkflow/sdk', () => {
  const run = Bun.spawnSync(['bun', join(import.meta.dir, '../scripts/extract-schema.ts'), '--check']);
  expect(run.stderr.toString()).toBe('');
  expect(run.exitCode).toBe(0);
});
