/**
 * A runner worker in its own process (role "worker"), configured from the environment exactly as
 * a deployed one would be; the crash test SIGKILLs it. Prints "ready" once polling.
 */
import { loadConfig } from '../../../src/config.ts';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runtimeTelemetry, startRunner } from '../../../src/runner.ts';

const loaded = loadConfig({ argv: process.argv.slice(2), env: process.env });
if (!loaded.ok) {
  console.error(loaded.problems.map((p) => `${p.setting}: ${p.message}`).join('\n'));
  process.exit(2);
}
const telemetry = runtimeTelemetry(loaded.config);
if (telemetry) Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: telemetry });
const runner = await startRunner(loaded.config, { role: 'worker', log: { info: () => undefined, warn: (m) => console.error(m) } });
console.log('ready');
process.on('SIGTERM', () => void runner.stop().then(() => process.exit(0)));
await runner.workerDone;
