/**
 * The Temporal SDK runtime of a Baton process: one log level for the TypeScript SDK and its Rust
 * core, with core's logs forwarded through the same logger — which never prints a whole task
 * token. Core names the task token of an activity it cannot find in its warnings, and a task
 * token is a bearer credential.
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
import { TOKEN_HINT_CHARS } from '../token/seal.ts';

/** Task tokens are 100–200 bytes: any base64 run this long is cut to the log-safe hint. */
const LONG_BASE64 = /[A-Za-z0-9+/]{64,}={0,2}/g;

export function redactLongTokens(text: string): string {
  return text.replace(LONG_BASE64, (run) => `${run.slice(0, TOKEN_HINT_CHARS)}…`);
}

class TokenRedactingLogger implements Logger {
  constructor(private readonly inner: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.inner.log(level, redactLongTokens(message), meta && redactMeta(meta));
  }
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

function redactMeta(meta: LogMetadata): LogMetadata {
  return Object.fromEntries(
    Object.entries(meta).map(([key, value]) => [key, typeof value === 'string' ? redactLongTokens(value) : value]),
  );
}

/** `telemetry` adds to the logging set up here, e.g. the runner's Prometheus metrics. */
export function installTemporalRuntime(level: LogLevel, telemetry: TelemetryOptions = {}): void {
  Runtime.install({
    // The SDK's default catches SIGINT/SIGTERM to drain workers and keeps the process alive; the
    // owning process decides instead (local mode drains within its grace period, a test run exits).
    shutdownSignals: [],
    logger: new TokenRedactingLogger(new DefaultLogger(level)),
    telemetryOptions: { ...telemetry, logging: { filter: makeTelemetryFilterString({ core: level }), forward: {} } },
  });
}
