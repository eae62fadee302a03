/** Synthetic but realistic workflows for the benchmark: every supported kind, expressions throughout. */
import { stringify } from 'yaml';

const KINDS = ['set', 'http', 'switch', 'for', 'try', 'wait', 'fork'] as const;

function task(kind: (typeof KINDS)[number], index: number, count: number): Record<string, unknown> {
  const next = index + 1 < count ? `step${index + 1}` : 'end';
  switch (kind) {
    case 'set':
      return { set: { [`value${index}`]: `\${ .value${index - 1} // 0 | . + ${index} }`, label: `step ${index}`, nested: { ok: true, at: '${ $task.name }' } } };
    case 'http':
      return {
        call: 'http',
        with: {
          method: 'post',
          endpoint: 'https://api.example.com/orders/{orderId}/lines',
          headers: { authorization: '${ "Bearer " + $secrets.apiToken }', 'content-type': 'application/json' },
          body: { id: '${ .orderId }', index },
        },
        output: { as: '.body' },
        timeout: { after: 'PT30S' },
      };
    case 'switch':
      return { switch: [{ big: { when: `.value${index - 1} > 100`, then: next } }, { small: { then: 'continue' } }] };
    case 'for':
      return { for: { each: 'line', in: '.lines', at: 'position' }, while: '$position < 50', do: [{ [`price${index}`]: { set: { sku: '${ $line.sku }', total: '${ $line.price * $line.quantity }' } } }] };
    case 'try':
      return {
        try: [{ [`attempt${index}`]: { call: 'http', with: { method: 'get', endpoint: '${ "https://stock.example.com/" + .sku }' } } }],
        catch: { errors: { with: { status: 503 } }, as: 'failure', retry: { delay: { seconds: 1 }, backoff: { exponential: { factor: 2 } }, limit: { attempt: { count: 3 } } } },
      };
    case 'wait':
      return { wait: { milliseconds: 10 * index } };
    case 'fork':
      return { fork: { compete: false, branches: [{ [`left${index}`]: { set: { side: 'left' } } }, { [`right${index}`]: { set: { side: '${ .side // "right" }' } } }] } };
  }
}

export function benchmarkWorkflow(taskCount: number): string {
  const tasks = Array.from({ length: taskCount }, (_, index) => ({ [`step${index}`]: task(KINDS[index % KINDS.length]!, index, taskCount) }));
  return stringify(
    {
      document: { dsl: '1.0.0', namespace: 'bench', name: `bench-${taskCount}`, version: '1.0.0' },
      use: { secrets: ['apiToken'] },
      input: { from: '${ { orderId: .orderId, lines: (.lines // []) } }' },
      do: tasks,
      output: { as: '${ . }' },
    },
    { lineWidth: 0 },
  );
}
