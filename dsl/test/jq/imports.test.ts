/**
 * The jq engine's modules import each other in one direction: no module reaches itself again
 * through value imports (type-only imports vanish at run time and may point back).
 */
import { expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const JQ = resolve(import.meta.dir, '../../src/jq');
const VALUE_IMPORT = /^\s*(?:import|export)\s+(?!type\s)[^'"]*?from\s+['"](\.[^'"]+)['"]/gm;

function valueImports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(VALUE_IMPORT)].map((match) => resolve(dirname(file), match[1]!));
}

function cycles(): string[][] {
  const files = readdirSync(JQ, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts')).map((name) => join(JQ, name));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      found.push([...stack.slice(stack.indexOf(file)), file].map((path) => path.slice(JQ.length + 1)));
      return;
    }
    state.set(file, 'open');
    stack.push(file);
    for (const next of valueImports(file)) visit(next);
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) visit(file);
  return found;
}

test('no import cycle among the jq modules', () => {
  expect(cycles()).toEqual([]);
});
