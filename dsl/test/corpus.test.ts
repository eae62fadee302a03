/**
 * The executable corpus in specs/dsl: every valid document compiles (and its plan survives JSON),
 * every invalid one fails with exactly its expected codes at its expected positions. Expectations
 * live at the end of each YAML file as `# expect: CODE line:column task.path` lines (a `.expect`
 * file beside JSON documents); `# maxBytes: N` sets the size limit for that case.
 */
import { describe, expect, test } from 'bun:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileWorkflow } from '../src/index.ts';

const corpus = join(import.meta.dir, '../../specs/dsl');
const documents = (folder: string) =>
  readdirSync(join(corpus, folder))
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort();

function options(name: string, text: string) {
  const maxBytes = /^# maxBytes: (\d+)$/m.exec(text);
  return { file: name, ...(maxBytes ? { maxBytes: Number(maxBytes[1]) } : {}) };
}

describe('valid corpus', () => {
  test.each(documents('valid'))('%s compiles', (name) => {
    const text = readFileSync(join(corpus, 'valid', name), 'utf8');
    const result = compileWorkflow(text, options(name, text));
    if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`).join('\n'));
    expect(JSON.parse(JSON.stringify(result.plan))).toEqual(result.plan);
    expect(result.plan.do.length).toBeGreaterThan(0);
  });
});

describe('invalid corpus', () => {
  test.each(documents('invalid'))('%s fails with exactly its expected diagnostics', (name) => {
    const path = join(corpus, 'invalid', name);
    const text = readFileSync(path, 'utf8');
    const expectations = name.endsWith('.json')
      ? existsSync(`${path}.expect`) ? readFileSync(`${path}.expect`, 'utf8') : ''
      : [...text.matchAll(/^# expect: (.+)$/gm)].map((match) => match[1]).join('\n');
    const expected = expectations.split('\n').map((line) => line.trim()).filter(Boolean);
    expect(expected.length).toBeGreaterThan(0);
    const result = compileWorkflow(text, options(name, text));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const actual = result.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.taskPath || '-'}`);
    expect(actual).toEqual(expected);
    for (const diagnostic of result.diagnostics) {
      expect(diagnostic.file).toBe(name);
      expect(diagnostic.message.length).toBeGreaterThan(0);
    }
  });
});
