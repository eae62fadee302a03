import { expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES } from '../src/index.ts';

test('docs/dsl.md lists exactly the codes of errors.ts, with the same meanings', () => {
  const doc = readFileSync(join(import.meta.dir, '../../docs/dsl.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| (SW\d{3}) \| (.+) \|$/gm)].map((match) => [match[1], match[2]]);
  expect(rows).toEqual(Object.entries(DIAGNOSTIC_CODES));
});
