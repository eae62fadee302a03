/**
 * A Temporal worker of your own, in TypeScript: it serves the activity examples/activity.yaml
 * calls, on the task queue `examples-activities`. It runs no workflow and knows nothing of Baton,
 * except its payload codec: the runner encrypts what it records, activity arguments included, so
 * a worker serving `call: activity` decodes with the same keys (`BATON_CODEC_KEYS`, or the keys
 * `bun run local` keeps in .baton/codec.keys).
 * `bun examples/activity/worker.ts [temporal address]` (default localhost:7233).
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { parseCodecKeys, runnerDataConverter } from '@baton/runner';

export const EXAMPLE_ACTIVITY_QUEUE = 'examples-activities';

export const activities = {
  async scoreApplicant(name: string, yearsOfExperience: number): Promise<{ name: string; score: number }> {
    return { name, score: Math.min(100, 40 + yearsOfExperience * 10) };
  },
};

/** The runner's payload keys: the environment's, else local mode's file, else none (payloads in clear). */
async function codecKeys(): Promise<string | undefined> {
  if (process.env.BATON_CODEC_KEYS) return process.env.BATON_CODEC_KEYS;
  const file = Bun.file('.baton/codec.keys');
  return (await file.exists()) ? file.text() : undefined;
}

export async function startActivityWorker(address: string, taskQueue = EXAMPLE_ACTIVITY_QUEUE) {
  const text = await codecKeys();
  const keys = text ? parseCodecKeys(text) : [];
  if ('code' in keys) throw new Error(`the codec keys are unusable: ${keys.message}`);
  const dataConverter = runnerDataConverter(keys);
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection, taskQueue, activities, ...(dataConverter ? { dataConverter } : {}) });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

if (import.meta.main) {
  await startActivityWorker(process.argv[2] ?? 'localhost:7233');
  console.log(`serving scoreApplicant on the task queue ${EXAMPLE_ACTIVITY_QUEUE}`);
}
