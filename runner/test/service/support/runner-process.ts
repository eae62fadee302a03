/**
 * A whole runner (worker + gRPC service) in its own process, configured from the environment as a
 * deployed replica would be; the replica tests start two and SIGKILL one. Prints
 * "ready <grpc address>" once serving.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../../../src/config.ts';
import { runtimeTelemetry, startRunner } from '../../../src/runner.ts';

const loaded = loadConfig({ argv: process.argv.slice(2), env: process.env });
if (!loaded.ok) {
  console.error(loaded.problems.map((p) => `${p.setting}: ${p.message}`).join('\n'));
  process.exit(2);
}
const telemetry = runtimeTelemetry(loaded.config);
if (telemetry) Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: telemetry });
const runner = await startRunner(loaded.config, { role: 'all', log: { info: () => undefined, warn: (m) => console.error(m) } });
console.log(`ready ${runner.grpcAddress}`);
process.on('SIGTERM', () => void runner.stop().then(() => process.exit(0)));
await runner.workerDone;
