/**
 * The Temporal SDK runtime of a Baton process: one log level for the TypeScript SDK and its Rust
 * core, with core's logs forwarded through the same logger — the runner's structured log when the
 * process has one, the SDK's default otherwise — which never prints a whole task token. Core names
 * the task token of an activity it cannot find in its warnings, and a task token is a bearer
 * credential.
 */
import {
  DefaultLogger,
  type LogLevel,
  type LogMetadata,
  type Logger,
  makeTelemetryFilterString,
  Runtime,
  type TelemetryOptions,
} from '@temporalio/worker';
import { redactLongTokens } from '../log/index.ts';
import type { Log, LogLevelName } from '../log/index.ts';

export { redactLongTokens } from '../log/index.ts';

/** The SDK's Logger shape: every level method goes through `log`. */
abstract class LevelLogger implements Logger {
  abstract log(level: LogLevel, message: string, meta?: LogMetadata): void;
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

class TokenRedactingLogger extends LevelLogger {
  constructor(private readonly inner: Logger) {
    super();
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.inner.log(level, redactLongTokens(message), meta && redactMeta(meta));
  }
}

function redactMeta(meta: LogMetadata): LogMetadata {
  return Object.fromEntries(
    Object.entries(meta).map(([key, value]) => [key, typeof value === 'string' ? redactLongTokens(value) : value]),
  );
}

const LEVEL_NAMES: Record<LogLevel, LogLevelName> = { TRACE: 'debug', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
const SDK_LEVELS: Record<LogLevelName, LogLevel> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' };

/** The SDK level matching one of the runner's. */
export function sdkLogLevel(level: LogLevelName): LogLevel {
  return SDK_LEVELS[level];
}

/** The SDK's lines into the runner's log (which redacts and filters by level itself). */
class StructuredSdkLogger extends LevelLogger {
  constructor(private readonly inner: Log) {
    super();
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.inner.log(LEVEL_NAMES[level], message, meta);
  }
}

/** `telemetry` adds to the logging set up here, e.g. the runner's Prometheus metrics; `log` receives every SDK line. */
export function installTemporalRuntime(level: LogLevel, telemetry: TelemetryOptions = {}, log?: Log): void {
  Runtime.install({
    // The SDK's default catches SIGINT/SIGTERM to drain workers and keeps the process alive; the
    // owning process decides instead (local mode drains within its grace period, a test run exits).
    shutdownSignals: [],
    logger: log ? new StructuredSdkLogger(log) : new TokenRedactingLogger(new DefaultLogger(level)),
    telemetryOptions: { ...telemetry, logging: { filter: makeTelemetryFilterString({ core: level }), forward: {} } },
  });
}
