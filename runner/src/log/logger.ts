/**
 * The runner's log: one line per event, JSON for machines (a log pipeline parses every field) or
 * pretty for a person at a terminal, filtered by level. The Temporal SDK's and core's lines come
 * through it too (temporal/runtime.ts), so a process has one log in one format. Lines name the
 * execution (`executionId`) and, where there is one, the task (`taskPath`) and the callback token's
 * hint (`tokenHint`); long base64 runs — task tokens — are cut to the hint before anything is written.
 */
import { TOKEN_HINT_CHARS } from '../token/seal.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export type LogFields = Readonly<Record<string, unknown>>;

export interface Log {
  log(level: LogLevelName, message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  readonly level: LogLevelName;
  readonly format: LogFormat;
  /** Where a finished line goes (with its newline); standard error by default. */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
  /** Colours in the pretty format. */
  readonly color?: boolean;
}

/** Task tokens are 100–200 bytes: any base64 run this long is cut to the log-safe hint. */
const LONG_BASE64 = /[A-Za-z0-9+/]{64,}={0,2}/g;

export function redactLongTokens(text: string): string {
  return text.replace(LONG_BASE64, (run) => `${run.slice(0, TOKEN_HINT_CHARS)}…`);
}

/** pretty on a terminal, JSON lines otherwise (a file, a pipe, a log collector). */
export function defaultLogFormat(stream: { readonly isTTY?: boolean } = process.stderr): LogFormat {
  return stream.isTTY ? 'pretty' : 'json';
}

export function createLogger(options: LoggerOptions): Log {
  const threshold = LOG_LEVELS.indexOf(options.level);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const render = options.format === 'json' ? jsonLine : prettyLine(options.color ?? false);
  const log = (level: LogLevelName, message: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    try {
      write(`${render(now(), level, redactLongTokens(message), normalise(fields))}\n`);
    } catch {
      // A log line must never be what takes the runner down.
    }
  };
  return {
    log,
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}

/**
 * The SDK names the execution `workflowId`; Baton's lines call it `executionId`, so one query
 * finds every line of an execution. Strings are redacted; errors keep their message and stack.
 */
function normalise(fields: LogFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[key] = plain(value, 0);
  }
  if (out.executionId === undefined && typeof out.workflowId === 'string') out.executionId = out.workflowId;
  return out;
}

function plain(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactLongTokens(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: redactLongTokens(value.message), ...(value.stack ? { stack: redactLongTokens(value.stack) } : {}) };
  if (depth > 4 || value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
  if (Array.isArray(value)) return value.map((item) => plain(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item, depth + 1)]));
}

function jsonLine(time: Date, level: LogLevelName, message: string, fields: Record<string, unknown>): string {
  try {
    return JSON.stringify({ time: time.toISOString(), level, msg: message, ...fields });
  } catch {
    // A cycle the depth limit did not catch: the line still says what happened.
    return JSON.stringify({ time: time.toISOString(), level, msg: message });
  }
}

const COLORS: Record<LogLevelName, string> = { debug: '\x1b[2m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };

function prettyLine(color: boolean) {
  return (time: Date, level: LogLevelName, message: string, fields: Record<string, unknown>): string => {
    const label = level.toUpperCase().padEnd(5);
    const shown = color ? `${COLORS[level]}${label}\x1b[0m` : label;
    const pairs = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'string' ? value : safeJson(value)}`);
    return [time.toISOString().slice(11, 23), shown, message, ...pairs].join(' ');
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
