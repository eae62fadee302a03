export { createLogger, defaultLogFormat, LOG_FORMATS, LOG_LEVELS, redactLongTokens } from './logger.ts';
export type { Log, LogFields, LogFormat, LoggerOptions, LogLevelName } from './logger.ts';
export { silenceBunPromiseHookProbe } from './bun-probe.ts';
