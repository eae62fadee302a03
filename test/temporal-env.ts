/** The Temporal server the test harness (test/preload.ts) started for this run. */
export function testTemporal(): { address: string; namespace: string } {
  const address = process.env.TEMPORAL_ADDRESS;
  const namespace = process.env.TEMPORAL_NAMESPACE;
  if (!address || !namespace) {
    throw new Error('TEMPORAL_ADDRESS is not set: run tests with `bun test` so test/preload.ts starts the dev server');
  }
  return { address, namespace };
}

/** A task queue no other test file uses, so workers never steal each other's tasks. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}
