/**
 * `bun run bench:jq` — Baton's jq engine against real jq 1.8.2 (jq-wasm) in the same process, on
 * typical workflow expressions: compile time, warm evaluation median, and the ratio.
 */
import { loadJq } from 'jq-wasm';
import { compileJq } from '../src/jq/index.ts';

const order = {
  id: 'ord-1042',
  customer: { id: 'c-77', name: 'Ada Lovelace', email: 'ada@example.com', tier: 'gold', address: { city: 'London', zip: 'N1' } },
  items: Array.from({ length: 12 }, (_, i) => ({ sku: `sku-${i}`, qty: (i % 4) + 1, price: 3.5 + i, tags: i % 3 ? ['std'] : ['promo', 'std'] })),
  status: 'pending',
  retries: null,
};
const thousand = Array.from({ length: 1000 }, (_, i) => ({ id: i, amount: (i * 37) % 101, ok: i % 7 !== 0 }));

const cases: Array<{ name: string; expr: string; input: unknown; vars?: Record<string, unknown> }> = [
  { name: 'field access', expr: '.customer.name', input: order },
  { name: 'nested optional', expr: '.customer.address.city?', input: order },
  { name: 'array index', expr: '.items[0].sku', input: order },
  { name: 'object construction', expr: '{id, name: .customer.name, city: .customer.address.city}', input: order },
  { name: 'default with //', expr: '.retries // 3', input: order },
  { name: 'string interpolation', expr: '"Order \\(.id) for \\(.customer.name)"', input: order },
  { name: 'map', expr: '.items | map(.qty * .price)', input: order },
  { name: 'map/select', expr: '[.items[] | select(.qty > 2) | .sku]', input: order },
  { name: 'total with add', expr: '[.items[] | .qty * .price] | add', input: order },
  { name: 'comparison and', expr: '.status == "pending" and .customer.tier == "gold"', input: order },
  { name: 'if/elif/else', expr: 'if .customer.tier == "gold" then 0.1 elif .customer.tier == "silver" then 0.05 else 0 end', input: order },
  { name: 'variables ($input)', expr: '$input.customer.id + "/" + $context.run', input: null, vars: { input: order, context: { run: 'r-9' } } },
  { name: 'update |=', expr: '.items[].price |= . * 1.2 | .items[0].price', input: order },
  { name: 'to_entries', expr: '.customer | to_entries | map("\\(.key)=\\(.value)") | join("&")', input: order },
  { name: 'any/all', expr: 'any(.items[]; .tags | index("promo")) and all(.items[]; .qty > 0)', input: order },
  { name: 'sort_by/group_by', expr: '.items | group_by(.qty) | map({qty: .[0].qty, n: length})', input: order },
  { name: 'test (regex)', expr: '.customer.email | test("^[^@]+@example\\\\.com$")', input: order },
  { name: 'tostring/tojson', expr: '{id, n: (.items | length)} | tojson', input: order },
  { name: 'reduce over 1,000', expr: 'reduce .[] as $x (0; . + $x.amount)', input: thousand },
  { name: 'select over 1,000', expr: '[.[] | select(.ok and .amount > 50) | .id] | length', input: thousand },
];

function median(samples: number[]): number {
  const s = samples.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Median microseconds of `fn`, sampled in batches until ~budgetMs has passed (after warm-up). */
function measure(fn: () => void, budgetMs = 150): number {
  for (let i = 0; i < 20; i++) fn();
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (performance.now() < end || samples.length < 15) {
    const batch = 10;
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    samples.push(((performance.now() - t0) * 1000) / batch);
  }
  return median(samples);
}

const jqLoadStart = performance.now();
const jq = await loadJq();
const jqLoadMs = performance.now() - jqLoadStart;

const fmt = (us: number): string => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2));
const rows: string[][] = [];
const evalRatios: number[] = [];
for (const c of cases) {
  const program = compileJq(c.expr);
  const ours = program.run(c.input, c.vars ?? {});
  const flags = ['-c', ...Object.entries(c.vars ?? {}).flatMap(([k, v]) => ['--argjson', k, JSON.stringify(v)])];
  const theirs = jq.json(JSON.stringify(c.input), c.expr, flags);
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) throw new Error(`engines disagree on ${c.expr}: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`);
  const parseUs = measure(() => compileJq(c.expr));
  const evalUs = measure(() => program.run(c.input, c.vars ?? {}));
  const wasmUs = measure(() => jq.json(JSON.stringify(c.input), c.expr, flags));
  evalRatios.push(wasmUs / evalUs);
  rows.push([c.name, fmt(parseUs), fmt(evalUs), fmt(wasmUs), `${(wasmUs / evalUs).toFixed(0)}x`]);
}

const header = ['expression', 'compile µs', 'eval µs (median, warm)', 'jq-wasm µs', 'jq-wasm / baton'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
const geo = Math.exp(evalRatios.reduce((a, r) => a + Math.log(r), 0) / evalRatios.length);
console.log(`\njq-wasm load (once per process/workflow): ${jqLoadMs.toFixed(1)} ms; Baton jq: no load step (module code only).`);
console.log(`geometric mean speed-up over jq-wasm: ${geo.toFixed(0)}x`);
