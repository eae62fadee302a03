/**
 * Only the catalogue documents an execution references (transitively) travel with it, and child
 * workflow ids are deterministic and never collide, even for children started in one workflow task.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { referencedCatalogue } from '../../src/contract/index.ts';
import type { InterpreterArgs } from '../../src/contract/index.ts';
import { compileYaml, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness('catalogue');
});
afterAll(async () => {
  await harness?.stop();
});

const header = (name: string) => `document:\n  dsl: '1.0.0'\n  namespace: cat\n  name: ${name}\n  version: '1.0.0'\n`;
const run = (name: string, extra = '') => `run:\n        workflow:\n          namespace: cat\n          name: ${name}\n          version: '1.0.0'${extra}`;

const leaf = compileYaml(`${header('leaf')}do:\n  - answer:\n      set:\n        leaf: \${ .n }\n`, 'leaf.yaml');
const middle = compileYaml(
  `${header('middle')}do:\n  - call:\n      ${run('leaf', '\n          input:\n            n: ${ .n }')}\n`,
  'middle.yaml',
);
const unrelated = compileYaml(`${header('unrelated')}do:\n  - noop:\n      set:\n        x: 1\n`, 'unrelated.yaml');
const catalogue = { 'cat/leaf/1.0.0': leaf, 'cat/middle/1.0.0': middle, 'cat/unrelated/1.0.0': unrelated };

test('the referenced documents are found through nesting and other documents, and nothing else', () => {
  const parent = compileYaml(
    `${header('parent')}do:\n  - guarded:\n      try:\n        - inner:\n            ${run('middle').replaceAll('\n', '\n      ')}\n      catch:\n        do:\n          - noop:\n              set:\n                x: 1\n`,
    'parent.yaml',
  );
  expect(Object.keys(referencedCatalogue(parent, catalogue) ?? {}).sort()).toEqual(['cat/leaf/1.0.0', 'cat/middle/1.0.0']);
  expect(referencedCatalogue(leaf, catalogue)).toBeUndefined();
  expect(referencedCatalogue(middle, undefined)).toBeUndefined();
});

test('a loop starting children in one workflow task: distinct deterministic ids, each child carries only its own documents', async () => {
  const parent = compileYaml(
    `${header('looping')}do:
  - each:
      for:
        each: n
        in: \${ [1, 2, 3] }
      do:
        - launch:
            run:
              workflow:
                namespace: cat
                name: middle
                version: '1.0.0'
                input:
                  n: \${ $n }
              await: false
  - done:
      set:
        launched: true
`,
    'looping.yaml',
  );
  const handle = await harness.start(parent, {}, { catalogue: referencedCatalogue(parent, catalogue) });
  expect(await handle.result()).toEqual({ launched: true });
  const events = (await handle.fetchHistory()).events ?? [];
  const initiated = events.flatMap((event) => event.startChildWorkflowExecutionInitiatedEventAttributes ?? []);
  const ids = initiated.map((attributes) => attributes.workflowId ?? '');
  expect(ids).toHaveLength(3);
  expect(new Set(ids).size).toBe(3);
  for (const id of ids) expect(id).toStartWith(`${handle.workflowId}/do/0/each/do/0/launch#${handle.firstExecutionRunId}.`);

  const childArgs = initiated.map((attributes) => defaultPayloadConverter.fromPayload<InterpreterArgs>(attributes.input!.payloads![0]!));
  for (const args of childArgs) expect(Object.keys(args.catalogue ?? {})).toEqual(['cat/leaf/1.0.0']);
  const results = await Promise.all(ids.map((id) => harness.client.workflow.getHandle(id).result()));
  expect(results.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ leaf: 1 }, { leaf: 2 }, { leaf: 3 }]);
}, 30_000);
