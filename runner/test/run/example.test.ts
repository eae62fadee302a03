/** examples/run-processes.yaml runs as its comment says, under the settings it names. */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { loadConfig } from '../../src/config.ts';
import { startStack, uniqueName } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';

setDefaultTimeout(60_000);

let stack: Stack;
beforeAll(async () => {
  const loaded = loadConfig({ argv: ['--run-shell-commands', 'tr', '--run-script-languages', 'js,python'], env: {} });
  if (!loaded.ok) throw new Error('the example settings do not load');
  stack = await startStack({ run: loaded.config.run });
});
afterAll(async () => {
  await stack?.stop();
});

test('run-processes counts, shouts and reverses', async () => {
  const workflowYaml = await Bun.file('examples/run-processes.yaml').text();
  const done = await stack.client.execute({ workflowExecutionId: uniqueName('example'), workflowYaml, input: { text: 'simple things should be simple' } });
  expect(done.error).toBeUndefined();
  expect(done.output).toEqual({ words: 5, shouted: 'SIMPLE THINGS SHOULD BE SIMPLE', reversed: 'elpmis eb dluohs sgniht elpmis' });
});
