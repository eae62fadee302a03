import { expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileWorkflow, toMermaid } from '../src/index.ts';
import type { Task } from '../src/index.ts';

const valid = join(import.meta.dir, '../../specs/dsl/valid');

test.each(readdirSync(valid).filter((name) => /\.(ya?ml|json)$/.test(name)))('%s: every edge of the Mermaid graph joins declared nodes and every task has a node', (name) => {
  const result = compileWorkflow(readFileSync(join(valid, name), 'utf8'));
  if (!result.ok) throw new Error(name);
  const chart = toMermaid(result.plan);
  const lines = chart.trimEnd().split('\n').map((line) => line.trim());
  expect(lines[0]).toBe('flowchart TD');
  const declared = new Set<string>();
  for (const line of lines) {
    const node = /^([A-Za-z][\w]*)(?:\(\(|\[\[|\[\/|\[|\{\{|\{|>)/.exec(line);
    if (node && !line.includes('-->') && !line.includes('.->')) declared.add(node[1]!);
  }
  const edges = lines.filter((line) => line.includes('-->') || line.includes('.->'));
  expect(edges.length).toBeGreaterThan(0);
  for (const edge of edges) {
    const [from] = edge.split(/\s/);
    const to = edge.split(/\s/).at(-1)!;
    expect(declared).toContain(from!);
    expect(declared).toContain(to);
  }
  let tasks = 0;
  const count = (list: readonly Task[]): void => {
    for (const task of list) {
      tasks++;
      if (task.kind === 'do' || task.kind === 'for') count(task.do);
      if (task.kind === 'fork') count(task.branches);
      if (task.kind === 'try') count([...task.try, ...(task.catch.do ?? [])]);
    }
  };
  count(result.plan.do);
  expect([...declared].filter((id) => /^t\d+$/.test(id)).length).toBe(tasks);
});
