/**
 * Mutation fuzzing: thousands of damaged documents, each of which must end in a plan or in coded
 * diagnostics — never an exception, an SW900 (internal error) or a hang. Seeded, so a failure
 * reproduces; the failing document is printed.
 */
import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { compileWorkflow, DIAGNOSTIC_CODES } from '../src/index.ts';
import type { CompileResult } from '../src/index.ts';

const corpus = join(import.meta.dir, '../../specs/dsl');
const seeds = ['valid', 'invalid'].flatMap((folder) =>
  readdirSync(join(corpus, folder))
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .map((name) => readFileSync(join(corpus, folder, name), 'utf8')),
);
const validSeeds = readdirSync(join(corpus, 'valid'))
  .filter((name) => /\.(ya?ml|json)$/.test(name))
  .map((name) => parse(readFileSync(join(corpus, 'valid', name), 'utf8')) as unknown);

/** mulberry32: small, seeded, good enough to pick mutations. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

const GARBAGE = ['\u0000', '\uffff', '{', '}', '[', ']', ':', '- ', '&a', '*a', '!!binary', '!tag', '#', '"', "'", '|', '>', '? ', '${', '${ .a + }', '\t', '\r\n', '---\n', '...\n', '%YAML 1.1\n', '\ud800', 'ü', '🙂'];
const KEYS = ['do', 'set', 'call', 'with', 'then', 'for', 'in', 'each', 'switch', 'when', 'try', 'catch', 'retry', 'raise', 'error', 'wait', 'fork', 'branches', 'run', 'workflow', 'input', 'output', 'export', 'as', 'from', 'schema', 'document', 'timeout', 'after', 'use', 'errors', 'retries', 'metadata', 'activityOptions', 'listen', 'emit'];
const VALUES: readonly unknown[] = [null, true, 0, -1, 1.5, 1e308, '', 'x', 'end', 'PT1S', 'P1Y', '${ . }', '${ input }', '${ $nope }', '${ (((( }', [], {}, [[]], { a: {} }, { seconds: '${ .s }' }, 'https://example.com/{id}'];

function mutateText(rng: Rng, text: string): string {
  const at = Math.floor(rng() * (text.length + 1));
  switch (Math.floor(rng() * 7)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(rng() * 40));
    case 1:
      return text.slice(0, at) + pick(rng, GARBAGE) + text.slice(at);
    case 2: {
      const lines = text.split('\n');
      const line = Math.floor(rng() * lines.length);
      lines.splice(line, 0, lines[Math.floor(rng() * lines.length)] ?? '');
      return lines.join('\n');
    }
    case 3: {
      const lines = text.split('\n');
      const line = Math.floor(rng() * lines.length);
      lines[line] = ' '.repeat(Math.floor(rng() * 8)) + (lines[line] ?? '').trimStart();
      return lines.join('\n');
    }
    case 4:
      return text.slice(0, at);
    case 5:
      return Array.from(text.slice(0, 200), () => String.fromCharCode(Math.floor(rng() * 0x3000))).join('');
    default:
      return text.slice(0, at) + '['.repeat(1 + Math.floor(rng() * 300)) + text.slice(at);
  }
}

function mutateValue(rng: Rng, value: unknown, depth = 0): unknown {
  if (rng() < 0.15 || depth > 12) {
    switch (Math.floor(rng() * 4)) {
      case 0:
        return structuredClone(pick(rng, VALUES));
      case 1: {
        let nested: unknown = value;
        for (let i = 0, n = Math.floor(rng() * 90); i < n; i++) nested = rng() < 0.5 ? [nested] : { [pick(rng, KEYS)]: nested };
        return nested;
      }
      case 2:
        return typeof value === 'string' ? `\${ ${value} }` : String(value);
      default:
        return Array.isArray(value) ? value.slice(1) : value;
    }
  }
  if (Array.isArray(value)) return value.map((item) => mutateValue(rng, item, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(() => rng() > 0.05);
    if (rng() < 0.1) entries.push([pick(rng, KEYS), structuredClone(pick(rng, VALUES))]);
    return Object.fromEntries(entries.map(([key, item]) => [rng() < 0.03 ? pick(rng, KEYS) : key, mutateValue(rng, item, depth + 1)]));
  }
  return value;
}

function checkOutcome(result: CompileResult, source: string): void {
  try {
    if (result.ok) {
      expect(JSON.parse(JSON.stringify(result.plan))).toEqual(result.plan);
      return;
    }
    expect(result.diagnostics.length).toBeGreaterThan(0);
    let previous = { line: 0, column: 0 };
    for (const diagnostic of result.diagnostics) {
      expect(Object.keys(DIAGNOSTIC_CODES)).toContain(diagnostic.code);
      expect(diagnostic.code).not.toBe('SW900');
      expect(diagnostic.message.length).toBeGreaterThan(0);
      expect(Number.isInteger(diagnostic.line) && diagnostic.line >= 0).toBe(true);
      expect(Number.isInteger(diagnostic.column) && diagnostic.column >= 0).toBe(true);
      expect(diagnostic.line > previous.line || (diagnostic.line === previous.line && diagnostic.column >= previous.column)).toBe(true);
      previous = diagnostic;
    }
  } catch (error) {
    console.error(`failing document:\n${source.slice(0, 2000)}\n${JSON.stringify(result).slice(0, 2000)}`);
    throw error;
  }
}

function compileSafely(source: string): CompileResult {
  try {
    return compileWorkflow(source, { file: 'fuzz.yaml' });
  } catch (error) {
    console.error(`compileWorkflow threw on:\n${source.slice(0, 2000)}`);
    throw error;
  }
}

describe('mutation fuzzing', () => {
  test('3000 text mutations end in a plan or coded diagnostics', () => {
    const rng = random(0xba70);
    for (let i = 0; i < 3000; i++) {
      let text = pick(rng, seeds);
      for (let n = 1 + Math.floor(rng() * 3); n > 0; n--) text = mutateText(rng, text);
      checkOutcome(compileSafely(text), text);
    }
  }, 120_000);

  test('3000 structural mutations (deletions, type swaps, renamed keys, deep nesting) end in a plan or coded diagnostics', () => {
    const rng = random(0x5eed);
    for (let i = 0; i < 3000; i++) {
      const text = stringify(mutateValue(rng, pick(rng, validSeeds)), { aliasDuplicateObjects: false });
      checkOutcome(compileSafely(text), text);
    }
  }, 120_000);
});
