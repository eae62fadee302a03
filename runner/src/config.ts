/**
 * The runner's configuration, from command-line flags and environment variables (flags win).
 * Every setting is listed in SETTINGS, which docs/runner.md mirrors as a table.
 * Temporal connection settings follow the `@temporalio/envconfig` conventions (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE and the config file).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { parseTokenKey } from './token/seal.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './workflow/payload-size.ts';
import { secretsFromEnv } from './activities/http/secrets.ts';
import type { SecretValues } from './activities/http/secrets.ts';
import { parseEgressAllow, PUBLIC_ONLY } from './egress/index.ts';
import type { EgressPolicy } from './egress/index.ts';
import { parseCodecKeys } from './codec/index.ts';
import { DEFAULT_RUN_OUTPUT_BYTES, DEFAULT_RUN_TIMEOUT_MS, parsePortRanges } from './activities/run/index.ts';
import type { RunPolicy } from './activities/run/index.ts';
import type { CodecKey } from './codec/index.ts';
import { TRACING_OFF, tracingSettings } from './tracing/index.ts';
import type { TracingSettings } from './tracing/index.ts';
import { LOG_FORMATS, LOG_LEVELS } from './log/index.ts';
import type { LogFormat, LogLevelName } from './log/index.ts';

function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

export interface RunnerConfig {
  /** host:port the gRPC service listens on; loopback unless told otherwise. Port 0 picks a free one. */
  readonly grpcAddress: string;
  /** Base URL clients can reach the runner at, used for status_url/subscribe_url; none when unset. */
  readonly publicUrl?: string;
  /** TLS for the gRPC service: PEM certificate chain and private key. */
  readonly tls?: { readonly certChain: Uint8Array; readonly privateKey: Uint8Array };
  /** When set, every call must carry `authorization: Bearer <token>`. */
  readonly authToken?: string;
  readonly temporal: {
    readonly connection: NativeConnectionOptions;
    readonly namespace: string;
  };
  readonly taskQueue: string;
  /** The namespace of callers that name none; empty means the runner's own. */
  readonly callbackNamespace: string;
  readonly heartbeatIntervalMs: number;
  readonly workerConcurrency: number;
  /** Folder of workflow documents `run: workflow` may start. */
  readonly catalogueDir?: string;
  /** The folder `call: openapi`/`call: grpc` may read documents from as files; none by default. */
  readonly callDocumentsDir?: string;
  /** AES-256-GCM key sealing callback tokens; generated per process when unset. */
  readonly tokenKey?: Uint8Array;
  /** Largest accepted workflow_yaml, in bytes. */
  readonly maxYamlBytes: number;
  /** Largest accepted gRPC message, in bytes (the request as a whole). */
  readonly maxMessageBytes: number;
  /** Start calls to Temporal in flight at once; more wait in the queue. */
  readonly maxConcurrentStarts: number;
  /** Starts waiting for a slot; past this a start is refused RESOURCE_EXHAUSTED with a retry hint. */
  readonly maxQueuedStarts: number;
  /** Largest value (as JSON bytes) an execution may put into history; over it, the task fails with a coded error. */
  readonly maxPayloadBytes: number;
  /** host:port of the runner's HTTP server; none when unset. */
  readonly httpAddress?: string;
  /** Base URL of the Temporal Web UI, for the execution page's link to each execution there. */
  readonly temporalUiUrl?: string;
  /** host:port serving Prometheus metrics at /metrics (Baton's and the Temporal SDK's); none when unset. */
  readonly metricsAddress?: string;
  /** Values for `$secrets`, read by the HTTP activity only: `BATON_SECRET_<NAME>` and the secrets file. */
  readonly secrets: SecretValues;
  /** Where outbound calls made for workflows may go: public addresses, plus what `--egress-allow` opens. */
  readonly egress: EgressPolicy;
  /** AES-256-GCM keys encrypting every payload the runner writes (first encrypts, all decrypt); none: payloads in clear. */
  readonly codecKeys: readonly CodecKey[];
  /** host:port of the codec endpoint for the Temporal Web UI; off when unset. */
  readonly codecAddress?: string;
  /** Browser origins (the Web UI's) the codec endpoint answers with CORS. */
  readonly codecCorsOrigins: readonly string[];
  /** What `run: shell | script | container` may do on this host; nothing unless the operator allows it. */
  readonly run: RunPolicy;
  /**
   * Zigflow's `$env`: the variables whose names start with `--zigflow-env-prefix`, prefix removed.
   * Empty unless the operator names a prefix: the process environment is never exposed by default.
   */
  readonly zigflowEnv: Readonly<Record<string, string>>;
  /** Largest accepted CloudEvent (its JSON form, data included), published or emitted. */
  readonly maxEventBytes: number;
  /** URLs every event a workflow emits is POSTed to (CloudEvents HTTP binding, structured mode); none by default. */
  readonly eventSinks: readonly string[];
  /** OpenTelemetry tracing, from the standard OTEL_* variables; off unless they ask for it. */
  readonly tracing: TracingSettings;
  /** Lowest level logged; unset: the process decides (`info`, `warn` in `bun run local`). */
  readonly logLevel?: LogLevelName;
  /** `json` lines or `pretty`; unset: pretty on a terminal, JSON otherwise. */
  readonly logFormat?: LogFormat;
}

interface Setting {
  readonly flag: string;
  readonly env: string;
  readonly description: string;
  readonly default?: string;
}

/** Where the gRPC service listens unless told otherwise (the `baton` CLI assumes it too). */
export const DEFAULT_GRPC_ADDRESS = '127.0.0.1:50051';

export const SETTINGS: readonly Setting[] = [
  { flag: 'grpc-address', env: 'BATON_GRPC_ADDRESS', default: DEFAULT_GRPC_ADDRESS, description: 'host:port of the gRPC service' },
  { flag: 'public-url', env: 'BATON_PUBLIC_URL', description: "base URL clients reach the runner at, for status_url/subscribe_url in executeAsync answers (default: the HTTP server's URL when --http-address is set)" },
  { flag: 'tls-cert', env: 'BATON_TLS_CERT', description: 'PEM certificate chain file: serve gRPC over TLS' },
  { flag: 'tls-key', env: 'BATON_TLS_KEY', description: 'PEM private key file (with --tls-cert)' },
  { flag: 'auth-token', env: 'BATON_AUTH_TOKEN', description: 'require `authorization: Bearer <token>` on every call' },
  { flag: 'temporal-address', env: 'TEMPORAL_ADDRESS', default: 'localhost:7233', description: 'Temporal frontend host:port' },
  { flag: 'temporal-namespace', env: 'TEMPORAL_NAMESPACE', default: 'default', description: "the runner's Temporal namespace" },
  { flag: 'task-queue', env: 'BATON_TASK_QUEUE', default: 'baton', description: 'task queue of the interpreter worker' },
  { flag: 'callback-namespace', env: 'BATON_CALLBACK_NAMESPACE', description: "callers' namespace when a request names none (default: the runner's)" },
  { flag: 'heartbeat-interval', env: 'BATON_HEARTBEAT_INTERVAL', default: '10s', description: "how often the caller's activity is heartbeated (ms, s or m)" },
  { flag: 'worker-concurrency', env: 'BATON_WORKER_CONCURRENCY', default: '200', description: 'max concurrent activities and workflow tasks of the worker' },
  { flag: 'catalogue', env: 'BATON_CATALOGUE', description: 'folder of workflow documents that `run: workflow` may start' },
  { flag: 'call-documents-dir', env: 'BATON_CALL_DOCUMENTS_DIR', description: 'folder `call: openapi` and `call: grpc` may read OpenAPI documents and .proto files from, and cataloged functions of `file:` catalogs and the `default` catalog (paths, `file://`); unset: over http(s) only' },
  { flag: 'token-key', env: 'BATON_TOKEN_KEY', description: 'base64 of 32 bytes sealing callback tokens (generated per process when unset)' },
  { flag: 'max-yaml-bytes', env: 'BATON_MAX_YAML_BYTES', default: String(1024 * 1024), description: 'largest accepted workflow_yaml' },
  { flag: 'max-message-bytes', env: 'BATON_MAX_MESSAGE_BYTES', default: String(4 * 1024 * 1024), description: 'largest accepted gRPC request, and HTTP request body (413 past it)' },
  { flag: 'max-concurrent-starts', env: 'BATON_MAX_CONCURRENT_STARTS', default: '50', description: 'start calls to Temporal in flight at once' },
  { flag: 'max-queued-starts', env: 'BATON_MAX_QUEUED_STARTS', default: '500', description: 'starts waiting their turn; more are refused RESOURCE_EXHAUSTED with a retry hint' },
  { flag: 'max-payload-bytes', env: 'BATON_MAX_PAYLOAD_BYTES', default: String(DEFAULT_MAX_PAYLOAD_BYTES), description: "largest task output, activity input/result, carried state or workflow result (JSON bytes); keep it under Temporal's blob limit (2 MB)" },
  { flag: 'http-address', env: 'BATON_HTTP_ADDRESS', description: "host:port of the runner's HTTP server (/livez, /readyz, the execution page at /executions; routes needing a token take --auth-token); none when unset. Also the default base of status_url/subscribe_url" },
  { flag: 'temporal-ui-url', env: 'BATON_TEMPORAL_UI_URL', description: 'base URL of the Temporal Web UI (e.g. http://localhost:8233): the execution page links each execution there' },
  { flag: 'metrics-address', env: 'BATON_METRICS_ADDRESS', description: 'host:port serving Prometheus metrics at /metrics' },
  { flag: 'egress-allow', env: 'BATON_EGRESS_ALLOW', description: 'address ranges outbound calls may reach besides public ones: `loopback`, `private` (comma-separated; link-local and metadata never)' },
  { flag: 'codec-keys', env: 'BATON_CODEC_KEYS', description: 'base64 AES-256 keys encrypting payloads in history, comma-separated: the first encrypts, all decrypt (rotation)' },
  { flag: 'codec-address', env: 'BATON_CODEC_ADDRESS', description: 'host:port serving the codec endpoint (POST /encode, /decode) for the Temporal Web UI; needs --codec-keys' },
  { flag: 'codec-cors-origins', env: 'BATON_CODEC_CORS_ORIGINS', description: 'browser origins (the Web UI, e.g. http://localhost:8233) allowed to call the codec endpoint, comma-separated' },
  { flag: 'call-mcp-commands', env: 'BATON_CALL_MCP_COMMANDS', description: 'programs `call: mcp` may start as stdio MCP servers (by name, found on PATH, or by full path), comma-separated; `*` allows any. Unset: stdio transport refused' },
  { flag: 'run-shell-commands', env: 'BATON_RUN_SHELL_COMMANDS', description: 'programs `run: shell` may start (the first word of the command, which must then be one simple command), comma-separated; `*` allows any command line. Unset: `run: shell` refused' },
  { flag: 'run-script-languages', env: 'BATON_RUN_SCRIPT_LANGUAGES', description: '`run: script` languages allowed: `js` (run by Bun), `python` (run by python3), comma-separated. Unset: `run: script` refused' },
  { flag: 'run-script-source-dirs', env: 'BATON_RUN_SCRIPT_SOURCE_DIRS', description: 'folders a script `source` with a `file:` URI may be read from, comma-separated (http/https sources follow the egress policy)' },
  { flag: 'run-container-images', env: 'BATON_RUN_CONTAINER_IMAGES', description: 'image patterns `run: container` may run (`*` matches any text, e.g. `alpine:*,ghcr.io/acme/*`), comma-separated. Unset: `run: container` refused' },
  { flag: 'run-container-volumes', env: 'BATON_RUN_CONTAINER_VOLUMES', description: 'host folders containers may mount, comma-separated. Unset: volumes refused' },
  { flag: 'run-container-ports', env: 'BATON_RUN_CONTAINER_PORTS', description: 'host ports containers may publish (bound to 127.0.0.1), e.g. `8080,9000-9100`. Unset: ports refused' },
  { flag: 'run-container-runtime', env: 'BATON_RUN_CONTAINER_RUNTIME', description: '`docker` or `podman`; unset: the first of the two that answers' },
  { flag: 'run-output-bytes', env: 'BATON_RUN_OUTPUT_BYTES', default: String(DEFAULT_RUN_OUTPUT_BYTES), description: 'most bytes of a returned stdout/stderr; past it the process is stopped and its task fails (413)' },
  { flag: 'run-timeout', env: 'BATON_RUN_TIMEOUT', default: '10m', description: 'longest a process or container may run, whatever its task says (ms, s, m or h)' },
  { flag: 'zigflow-env-prefix', env: 'BATON_ZIGFLOW_ENV_PREFIX', description: "Zigflow's $env: variables named <prefix><NAME> become $env.NAME (Zigflow's own is ZIGGY_); none when unset" },
  { flag: 'max-event-bytes', env: 'BATON_MAX_EVENT_BYTES', default: String(256 * 1024), description: 'largest CloudEvent accepted on POST /events, publishEvents or by `emit` (its JSON form); larger ones are refused 413 / RESOURCE_EXHAUSTED' },
  { flag: 'event-sinks', env: 'BATON_EVENT_SINKS', description: 'URLs every event emitted by a workflow is POSTed to as a structured CloudEvent, comma-separated; a refusal is retried under the call policy (3 attempts by default); the egress policy applies. None when unset' },
  { flag: 'log-level', env: 'BATON_LOG_LEVEL', description: 'lowest level logged: `debug`, `info`, `warn`, `error` (the Temporal SDK\'s lines too); unset: `info` (`warn` in `bun run local`)' },
  { flag: 'log-format', env: 'BATON_LOG_FORMAT', description: '`json` (one object per line: time, level, msg, executionId, taskPath, tokenHint …) or `pretty`; unset: pretty on a terminal, JSON otherwise' },
  { flag: 'secrets-file', env: 'BATON_SECRETS_FILE', description: 'JSON object file of secret values by use.secrets name (BATON_SECRET_<NAME> variables win over it)' },
];

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/;

export interface ConfigProblem {
  readonly code: 'CONFIG_INVALID';
  readonly setting: string;
  readonly message: string;
}

export type ConfigResult = { readonly ok: true; readonly config: RunnerConfig } | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

export interface ConfigSources {
  readonly argv?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Reads flags and environment. Unknown flags and bad values are problems, never exceptions. */
export function loadConfig(sources: ConfigSources = {}): ConfigResult {
  const env = sources.env ?? process.env;
  const problems: ConfigProblem[] = [];
  let flags: Record<string, string | undefined> = {};
  try {
    flags = parseArgs({
      args: [...(sources.argv ?? [])],
      options: Object.fromEntries(SETTINGS.map((s) => [s.flag, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
  } catch (err) {
    problems.push({ code: 'CONFIG_INVALID', setting: 'argv', message: err instanceof Error ? err.message : String(err) });
  }
  const raw = (flag: string): string | undefined => {
    const setting = SETTINGS.find((s) => s.flag === flag);
    const value = flags[flag] ?? (setting ? env[setting.env] : undefined) ?? setting?.default;
    return value === '' ? undefined : value;
  };
  const problem = (flag: string, message: string): undefined => {
    problems.push({ code: 'CONFIG_INVALID', setting: `--${flag}`, message });
    return undefined;
  };
  const positiveInt = (flag: string): number => {
    const text = raw(flag) ?? '';
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value <= 0) problem(flag, `must be a positive integer, got "${text}"`);
    return value;
  };

  const nonNegativeInt = (flag: string): number => {
    const text = raw(flag) ?? '';
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 0) problem(flag, `must be a whole number (0 or more), got "${text}"`);
    return value;
  };

  const grpcAddress = raw('grpc-address') ?? DEFAULT_GRPC_ADDRESS;
  if (!HOST_PORT.test(grpcAddress)) problem('grpc-address', `must be host:port, got "${grpcAddress}"`);
  const httpAddress = raw('http-address');
  if (httpAddress !== undefined && !HOST_PORT.test(httpAddress)) problem('http-address', `must be host:port, got "${httpAddress}"`);
  const temporalUiUrl = raw('temporal-ui-url')?.replace(/\/+$/, '');
  if (temporalUiUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(temporalUiUrl)) problem('temporal-ui-url', `must be an http(s) URL, got "${temporalUiUrl}"`);
  const metricsAddress = raw('metrics-address');
  if (metricsAddress !== undefined && !HOST_PORT.test(metricsAddress)) problem('metrics-address', `must be host:port, got "${metricsAddress}"`);

  const logLevel = raw('log-level')?.toLowerCase();
  if (logLevel !== undefined && !isOneOf(logLevel, LOG_LEVELS)) problem('log-level', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const logFormat = raw('log-format')?.toLowerCase();
  if (logFormat !== undefined && !isOneOf(logFormat, LOG_FORMATS)) problem('log-format', `must be json or pretty, got "${logFormat}"`);

  const heartbeatText = raw('heartbeat-interval') ?? '10s';
  const heartbeatIntervalMs = parseDurationMs(heartbeatText) ?? problem('heartbeat-interval', `must be a duration like 500ms, 10s or 1m, got "${heartbeatText}"`) ?? 0;

  let tokenKey: Uint8Array | undefined;
  const tokenKeyText = raw('token-key');
  if (tokenKeyText !== undefined) {
    const parsed = parseTokenKey(tokenKeyText);
    if (parsed instanceof Uint8Array) tokenKey = parsed;
    else problem('token-key', parsed.message);
  }

  let tls: RunnerConfig['tls'];
  const certPath = raw('tls-cert');
  const keyPath = raw('tls-key');
  if ((certPath === undefined) !== (keyPath === undefined)) problem('tls-cert', '--tls-cert and --tls-key go together');
  else if (certPath !== undefined && keyPath !== undefined) {
    const certChain = readFile(certPath, 'tls-cert', problem);
    const privateKey = readFile(keyPath, 'tls-key', problem);
    if (certChain && privateKey) tls = { certChain, privateKey };
  }

  const secretsFile = raw('secrets-file');
  const secrets: SecretValues = {
    file: secretsFile === undefined ? {} : (readSecretsFile(secretsFile, problem) ?? {}),
    env: secretsFromEnv(env),
  };

  const egressAllow = parseEgressAllow(raw('egress-allow'));
  const egress = 'problem' in egressAllow ? (problem('egress-allow', egressAllow.problem) ?? PUBLIC_ONLY) : egressAllow;

  let codecKeys: readonly CodecKey[] = [];
  const codecKeysText = raw('codec-keys');
  if (codecKeysText !== undefined) {
    const parsed = parseCodecKeys(codecKeysText);
    if ('code' in parsed) problem('codec-keys', parsed.message);
    else codecKeys = parsed;
  }
  const codecAddress = raw('codec-address');
  if (codecAddress !== undefined && !HOST_PORT.test(codecAddress)) problem('codec-address', `must be host:port, got "${codecAddress}"`);
  if (codecAddress !== undefined && codecKeysText === undefined) problem('codec-address', 'the codec endpoint needs --codec-keys');
  const codecCorsOrigins = (raw('codec-cors-origins') ?? '').split(',').map((origin) => origin.trim().replace(/\/+$/, '')).filter(Boolean);

  const list = (flag: string) => (raw(flag) ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  const scriptLanguages = list('run-script-languages').map((language) => (language === 'javascript' ? 'js' : language));
  for (const language of scriptLanguages) if (language !== 'js' && language !== 'python') problem('run-script-languages', `knows js and python, not "${language}"`);
  const containerRuntime = raw('run-container-runtime');
  if (containerRuntime !== undefined && containerRuntime !== 'docker' && containerRuntime !== 'podman') problem('run-container-runtime', `must be docker or podman, got "${containerRuntime}"`);
  const ports = parsePortRanges(raw('run-container-ports') ?? '');
  if ('problem' in ports) problem('run-container-ports', ports.problem);
  const runTimeoutText = raw('run-timeout') ?? '10m';
  const run: RunPolicy = {
    shellCommands: list('run-shell-commands'),
    scriptLanguages: scriptLanguages.filter((language): language is 'js' | 'python' => language === 'js' || language === 'python'),
    scriptSourceDirs: list('run-script-source-dirs'),
    containerImages: list('run-container-images'),
    containerVolumes: list('run-container-volumes'),
    containerPorts: 'problem' in ports ? [] : ports,
    ...(containerRuntime === 'docker' || containerRuntime === 'podman' ? { containerRuntime } : {}),
    outputBytes: positiveInt('run-output-bytes'),
    timeoutMs: parseDurationMs(runTimeoutText) ?? problem('run-timeout', `must be a duration like 30s, 10m or 1h, got "${runTimeoutText}"`) ?? DEFAULT_RUN_TIMEOUT_MS,
    mcpCommands: list('call-mcp-commands'),
  };

  const tracingResult = tracingSettings(env);
  if (!tracingResult.ok) for (const { variable, message } of tracingResult.problems) problems.push({ code: 'CONFIG_INVALID', setting: variable, message });

  const temporal = temporalConnection(raw('temporal-address'), raw('temporal-namespace'), env, problem);
  const config: RunnerConfig = {
    grpcAddress,
    ...optional('publicUrl', raw('public-url')?.replace(/\/+$/, '')),
    ...optional('tls', tls),
    ...optional('authToken', raw('auth-token')),
    temporal,
    taskQueue: raw('task-queue') ?? 'baton',
    callbackNamespace: raw('callback-namespace') ?? '',
    heartbeatIntervalMs,
    workerConcurrency: positiveInt('worker-concurrency'),
    ...optional('catalogueDir', raw('catalogue')),
    ...optional('callDocumentsDir', raw('call-documents-dir')),
    ...optional('tokenKey', tokenKey),
    maxYamlBytes: positiveInt('max-yaml-bytes'),
    maxMessageBytes: positiveInt('max-message-bytes'),
    maxConcurrentStarts: positiveInt('max-concurrent-starts'),
    maxQueuedStarts: nonNegativeInt('max-queued-starts'),
    maxPayloadBytes: positiveInt('max-payload-bytes'),
    ...optional('httpAddress', httpAddress),
    ...optional('temporalUiUrl', temporalUiUrl),
    ...optional('metricsAddress', metricsAddress),
    ...(logLevel !== undefined && isOneOf(logLevel, LOG_LEVELS) ? { logLevel } : {}),
    ...(logFormat !== undefined && isOneOf(logFormat, LOG_FORMATS) ? { logFormat } : {}),
    secrets,
    egress,
    codecKeys,
    ...optional('codecAddress', codecAddress),
    codecCorsOrigins,
    run,
    zigflowEnv: zigflowEnvFrom(env, raw('zigflow-env-prefix')),
    maxEventBytes: positiveInt('max-event-bytes'),
    eventSinks: eventSinks(list('event-sinks'), problem),
    tracing: tracingResult.ok ? tracingResult.settings : TRACING_OFF,
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

/** A config for embedding (tests, local mode): defaults plus what the caller sets. */
export function defaultConfig(overrides: Partial<RunnerConfig> = {}): RunnerConfig {
  const loaded = loadConfig({ argv: [], env: {} });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('; '));
  return { ...loaded.config, ...overrides };
}

export function parseDurationMs(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  const value = Math.round(Number(match[1]) * unit);
  return value > 0 ? value : undefined;
}

function temporalConnection(
  address: string | undefined,
  namespace: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  problem: (flag: string, message: string) => undefined,
): RunnerConfig['temporal'] {
  try {
    const overrideEnvVars = Object.fromEntries(
      Object.entries(env).filter((entry): entry is [string, string] => entry[0].startsWith('TEMPORAL_') && entry[1] !== undefined),
    );
    const loaded = loadClientConnectConfig({ overrideEnvVars });
    return {
      connection: { ...loaded.connectionOptions, address: address ?? loaded.connectionOptions.address ?? 'localhost:7233' },
      namespace: namespace ?? loaded.namespace ?? 'default',
    };
  } catch (err) {
    problem('temporal-address', `Temporal client configuration: ${err instanceof Error ? err.message : String(err)}`);
    return { connection: { address: address ?? 'localhost:7233' }, namespace: namespace ?? 'default' };
  }
}

function readFile(path: string, flag: string, problem: (flag: string, message: string) => undefined): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    return problem(flag, `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A JSON object; problems never quote the file's content, which holds secrets. */
function readSecretsFile(path: string, problem: (flag: string, message: string) => undefined): Record<string, unknown> | undefined {
  const bytes = readFile(path, 'secrets-file', problem);
  if (!bytes) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return problem('secrets-file', `${path} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return problem('secrets-file', `${path} must hold a JSON object of secret values by name`);
  }
  return parsed as Record<string, unknown>;
}

function eventSinks(urls: readonly string[], problem: (flag: string, message: string) => undefined): string[] {
  return urls.filter((url) => {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (parsed?.protocol === 'http:' || parsed?.protocol === 'https:') return true;
    problem('event-sinks', `must be http(s) URLs, got "${url}"`);
    return false;
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The variables named `<prefix><NAME>`, as `NAME`; nothing without a prefix. */
function zigflowEnvFrom(env: Readonly<Record<string, string | undefined>>, prefix: string | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  if (!prefix) return values;
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && name.startsWith(prefix) && name.length > prefix.length) values[name.slice(prefix.length)] = value;
  }
  return values;
}
