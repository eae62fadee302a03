/**
 * A whole runner (worker + gRPC service) in its own process, configured from the environment as a
 * deployed replica would be: its Temporal runtime exports metrics when `BATON_METRICS_ADDRESS` is
 * set and logs through the runner's structured log (`BATON_LOG_LEVEL`, default warn here;
 * `BATON_LOG_FORMAT`). The replica tests start two and SIGKILL one. Prints "ready <grpc address>"
 * once serving.
 */
import { loadConfig } from '../../../src/config.ts';
import { createLogger, defaultLogFormat } from '../../../src/log/index.ts';
import { runtimeTelemetry, startRunner } from '../../../src/runner.ts';
import { installTemporalRuntime, sdkLogLevel } from '../../../src/temporal/runtime.ts';

const loaded = loadConfig({ argv: process.argv.slice(2), env: process.env });
if (!loaded.ok) {
  console.error(loaded.problems.map((p) => `${p.setting}: ${p.message}`).join('\n'));
  process.exit(2);
}
const level = loaded.config.logLevel ?? 'warn';
const log = createLogger({ level, format: loaded.config.logFormat ?? defaultLogFormat() });
installTemporalRuntime(sdkLogLevel(level), runtimeTelemetry(loaded.config), log);
const runner = await startRunner(loaded.config, { role: 'all', log });
console.log(`ready ${runner.grpcAddress}`);
process.on('SIGTERM', () => void runner.stop().then(() => process.exit(0)));
await runner.workerDone;
