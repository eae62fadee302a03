/**
 * The compiled plan: what `@baton/dsl` produces from a workflow document and what the runner's
 * interpreter walks. It is Temporal workflow input, so it is plain JSON — no functions, no class
 * instances, no `undefined` that matters — and it must round-trip through `JSON.stringify` /
 * `JSON.parse` unchanged.
 *
 * Changing the meaning of an existing field breaks running executions (their plan is in their
 * history): add fields, bump PLAN_FORMAT_VERSION for incompatible changes, and keep the
 * interpreter able to read every version still running.
 */

export const PLAN_FORMAT_VERSION = 1 as const;

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly document: DocumentInfo;
  /** Workflow input handling: schema check of the raw input, then `from` transformation. */
  readonly input: DataIn;
  /** Workflow output handling: `as` transformation, then schema check. */
  readonly output: DataOut;
  /** Names declared in `use.secrets`; the runner resolves their values, never the plan. */
  readonly secrets: readonly string[];
  readonly timeout?: DurationSpec;
  readonly activityOptions: ActivityOptions;
  readonly do: readonly Task[];
  /**
   * Present (`'dsl'`) when the document writes standard error types only as
   * `https://serverlessworkflow.io/dsl/errors/types/<type>`: the interpreter then shows Baton's
   * own errors in that form. `'zigflow'` (Zigflow's dialect documents): Zigflow's
   * `https://zigflow.dev/spec/1.0.0/errors/<type>` form, which filters then also recognise.
   * Absent: the `…/spec/1.0.0/errors/<type>` form (see error-types.ts).
   */
  readonly errorTypeForm?: 'dsl' | 'zigflow';
  /**
   * Present when the document is written in Zigflow's dialect: the interpreter then gives it
   * Zigflow's semantics (docs/zigflow.md). Absent: the specification's. Plans compiled before the
   * dialect had its own semantics lack it, so executions started then keep running as they began.
   */
  readonly dialect?: 'zigflow';
  /**
   * A Zigflow file whose top-level tasks are all `do`: one workflow type per task, named by the
   * task. `do` then holds those tasks and `entry` names the one this plan runs.
   */
  readonly workflows?: readonly string[];
  readonly entry?: string;
  /**
   * When the document runs on its own once deployed (`schedule`). The interpreter ignores it: a
   * document started directly runs once, now; a deployment turns a clock schedule into a Temporal
   * Schedule and runs an `after` schedule and an event trigger (`on`) from its registry workflow.
   */
  readonly schedule?: ScheduleSpec;
  /**
   * Zigflow's `document.metadata.scheduleInput` (its one argument): the input of the runs the
   * schedule starts, evaluated with `$env` when the deployment writes the schedule. Absent: `{}`.
   */
  readonly scheduleInput?: Template;
  /**
   * Zigflow's `document.metadata.scheduleId`: the id of the deployment's Temporal Schedule (a
   * clock schedule only). Absent: the deployment names it after the document.
   */
  readonly scheduleId?: string;
}

/** A clock schedule: a fixed interval, or a five-field cron expression (or @-macro), in UTC. */
export type ClockScheduleSpec = { readonly kind: 'every'; readonly everyMs: number } | { readonly kind: 'cron'; readonly cron: string };
/** A new run `afterMs` after the previous run ended (the first when the document is deployed). */
export type AfterScheduleSpec = { readonly kind: 'after'; readonly afterMs: number };
/**
 * A new run for each set of events the strategy consumes (`schedule.on`), its input the array of
 * those events. Filter attributes and correlation expectations are literals: there is no input
 * to evaluate them against when the document is deployed.
 */
export type EventScheduleSpec = { readonly kind: 'on'; readonly consume: EventConsumption };
export type ScheduleSpec = ClockScheduleSpec | AfterScheduleSpec | EventScheduleSpec;

export interface DocumentInfo {
  readonly dsl: string;
  readonly namespace: string;
  readonly name: string;
  readonly version: string;
  readonly title?: string;
  readonly summary?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A jq program in source form; the interpreter compiles each distinct source once per plan. */
export interface Expression {
  readonly jq: string;
}

/**
 * A value that may contain runtime expressions. Strings written as `${ … }` become `expr` nodes;
 * anything without an expression stays a single `literal` node so evaluation costs nothing.
 */
export type Template =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'expr'; readonly expr: Expression }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, Template])[] }
  | { readonly kind: 'array'; readonly items: readonly Template[] };

/** An inline JSON Schema (the spec's `schema.document`; `format` defaults to `json`). */
export interface SchemaSpec {
  readonly format: string;
  readonly document: unknown;
}

export interface DataIn {
  readonly schema?: SchemaSpec;
  readonly from?: Template;
}

export interface DataOut {
  readonly as?: Template;
  readonly schema?: SchemaSpec;
}

export interface DataExport {
  readonly as?: Template;
  readonly schema?: SchemaSpec;
}

/** A duration known at compile time, or one computed at run time (Zigflow's expression fields). */
export type DurationSpec =
  | { readonly kind: 'static'; readonly ms: number }
  | { readonly kind: 'dynamic'; readonly value: Template };

/** Where control goes after a task. `goto` targets a sibling in the same task list. */
export type FlowTarget =
  | { readonly kind: 'continue' }
  | { readonly kind: 'exit' }
  | { readonly kind: 'end' }
  | { readonly kind: 'goto'; readonly name: string; readonly index: number };

/** Zigflow's `metadata.activityOptions`, normalised; every field optional, durations in ms. */
export interface ActivityOptions {
  readonly startToCloseTimeoutMs?: number;
  readonly scheduleToCloseTimeoutMs?: number;
  readonly heartbeatTimeoutMs?: number;
  readonly retry?: {
    readonly maximumAttempts?: number;
    readonly initialIntervalMs?: number;
    readonly maximumIntervalMs?: number;
    readonly backoffCoefficient?: number;
    readonly nonRetryableErrorTypes?: readonly string[];
  };
}

interface TaskBase {
  readonly name: string;
  /** The spec's task reference, a JSON pointer into the document: `/do/1/fetchUser`. */
  readonly reference: string;
  readonly if?: Expression;
  readonly input: DataIn;
  readonly output: DataOut;
  readonly export: DataExport;
  readonly timeout?: DurationSpec;
  readonly then: FlowTarget;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Zigflow's task-level `metadata.activityOptions`, overriding Plan.activityOptions for this task's activities. */
  readonly activityOptions?: ActivityOptions;
  /** Zigflow's task-level `metadata.heartbeat` (dialect plans only): how often the task's activity heartbeats, in ms. */
  readonly heartbeatMs?: number;
  /** Zigflow's task-level `metadata.searchAttributes` (dialect plans only), upserted when the task starts. */
  readonly searchAttributes?: readonly SearchAttributeSpec[];
}

/** Zigflow's search attribute types, as its documents write them. */
export type SearchAttributeKind = 'text' | 'keyword' | 'keywordlist' | 'int' | 'double' | 'bool' | 'datetime';

export interface SearchAttributeSpec {
  readonly name: string;
  readonly type: SearchAttributeKind;
  /** Evaluated when the task starts; null unsets the attribute. */
  readonly value: Template;
}

export interface DoTask extends TaskBase {
  readonly kind: 'do';
  readonly do: readonly Task[];
}

export interface SetTask extends TaskBase {
  readonly kind: 'set';
  readonly set: Template;
}

export interface SwitchCase {
  readonly name: string;
  /** Absent for the default case. */
  readonly when?: Expression;
  readonly then: FlowTarget;
}

export interface SwitchTask extends TaskBase {
  readonly kind: 'switch';
  readonly cases: readonly SwitchCase[];
}

export interface ForTask extends TaskBase {
  readonly kind: 'for';
  /** Variable names without `$`; the spec's defaults are `item` and `index`. */
  readonly each: string;
  readonly at: string;
  readonly in: Expression;
  readonly while?: Expression;
  readonly do: readonly Task[];
}

export interface ForkTask extends TaskBase {
  readonly kind: 'fork';
  readonly branches: readonly Task[];
  readonly compete: boolean;
}

/** An RFC 7807 problem as written in the document; each field may be an expression. */
export interface ErrorSpec {
  readonly type: Template;
  readonly status: Template;
  readonly title?: Template;
  readonly detail?: Template;
  readonly instance?: Template;
}

/** `catch.errors.with`: every present field must equal the caught error's field. */
export interface ErrorFilter {
  readonly type?: string;
  readonly status?: number;
  readonly instance?: string;
  readonly title?: string;
  readonly details?: string;
}

export type Backoff =
  | { readonly kind: 'constant' }
  | { readonly kind: 'linear'; readonly incrementMs?: number }
  | { readonly kind: 'exponential'; readonly factor?: number };

export interface RetryPolicy {
  readonly when?: Expression;
  readonly exceptWhen?: Expression;
  readonly delayMs: number;
  readonly backoff: Backoff;
  readonly limit: {
    /** Maximum number of attempts, the first one included. */
    readonly attemptCount?: number;
    /** Maximum duration of a single attempt. */
    readonly attemptDurationMs?: number;
    /** Maximum duration of all attempts together. */
    readonly durationMs?: number;
  };
  readonly jitter?: { readonly fromMs: number; readonly toMs: number };
}

export interface CatchSpec {
  readonly with?: ErrorFilter;
  /** Variable name without `$`; the spec's default is `error`. */
  readonly as: string;
  readonly when?: Expression;
  readonly exceptWhen?: Expression;
  /** Inline or resolved from `use.retries`. */
  readonly retry?: RetryPolicy;
  readonly do?: readonly Task[];
}

export interface TryTask extends TaskBase {
  readonly kind: 'try';
  readonly try: readonly Task[];
  readonly catch: CatchSpec;
}

export interface RaiseTask extends TaskBase {
  readonly kind: 'raise';
  /** Inline or resolved from `use.errors`. */
  readonly error: ErrorSpec;
}

export interface WaitTask extends TaskBase {
  readonly kind: 'wait';
  readonly duration: DurationSpec | WaitUntil;
}

/**
 * Zigflow's `wait.until`: an RFC 3339 instant, written or computed; the timer runs until then
 * by workflow time, and an instant already past continues at once.
 */
export interface WaitUntil {
  readonly kind: 'until';
  readonly value: Template;
}

export type HttpOutputFormat = 'content' | 'response' | 'raw';

export interface HttpCallTask extends TaskBase {
  readonly kind: 'call.http';
  readonly method: string;
  /** A URI template (RFC 6570 `{var}` placeholders resolved from the task input) or an expression. */
  readonly endpoint: Template;
  readonly headers?: Template;
  readonly query?: Template;
  readonly body?: Template;
  readonly outputFormat: HttpOutputFormat;
  readonly redirect: boolean;
  /**
   * The fields whose expressions read `$secrets`. The interpreter leaves them unevaluated and the
   * HTTP activity evaluates them with the runner's secret values, so no secret enters history.
   * Absent when no field reads a secret (and in plans compiled before secrets were supported).
   */
  readonly secretFields?: readonly HttpSecretField[];
  /** The endpoint's authentication policy (inline or from `use.authentications`), applied by the activity. */
  readonly authentication?: AuthenticationPolicy;
}

/** RFC 8693's grant type, as the spec's `grant` enumerates it. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

export type AuthenticationScheme = 'basic' | 'bearer' | 'digest' | 'oauth2' | 'oidc';

/** `$authorization.scheme`: the scheme the `Authorization` header names (OAuth2 and OIDC send bearer tokens). */
export const AUTHORIZATION_SCHEMES: Readonly<Record<AuthenticationScheme, string>> = {
  basic: 'Basic',
  bearer: 'Bearer',
  digest: 'Digest',
  oauth2: 'Bearer',
  oidc: 'Bearer',
};

/**
 * An authentication policy as the activity receives it. Its properties are a template evaluated
 * in the activity only, like the fields that read `$secrets`: credentials never enter history.
 * The secret-based form (`basic: { use: mySecret }`) compiles to the expression `$secrets["mySecret"]`.
 */
export interface AuthenticationPolicy {
  /** The `use.authentications` name, when the endpoint reuses one. */
  readonly name?: string;
  readonly scheme: AuthenticationScheme;
  readonly properties: Template;
}

/** The `call: http` arguments that may read `$secrets`. */
export type HttpSecretField = 'endpoint' | 'headers' | 'query' | 'body';

/**
 * `call: openapi`: the operation `operationId` of the OpenAPI (3.x) or Swagger (2.0) document at
 * `document`, read by the runner's OpenAPI activity (through its egress policy; files only from
 * the folder the operator allows). Parameters are placed where the operation declares them.
 */
export interface OpenApiCallTask extends TaskBase {
  readonly kind: 'call.openapi';
  /** The document's URI (http, https, file) or path, or an expression giving one. */
  readonly document: Template;
  readonly operationId: string;
  /** Name → value; `body` is the request body when the operation declares no parameter of that name. */
  readonly parameters?: Template;
  readonly outputFormat: HttpOutputFormat;
  readonly redirect: boolean;
  /** `with.authentication` (inline or from `use.authentications`), applied by the activity. */
  readonly authentication?: AuthenticationPolicy;
  /** `with.document.endpoint.authentication`: the runner reads the document with it. */
  readonly documentAuthentication?: AuthenticationPolicy;
}

/** The protocols `call: asyncapi` speaks; any other is refused at validation (SW501). */
export type AsyncApiProtocol = 'mqtt' | 'mqtt5';

/**
 * `call: asyncapi`: publish one message to, or consume messages from, the channel an operation of
 * an AsyncAPI 2.x/3.x document names, on one of its servers; the document is read by the
 * runner's AsyncAPI activity like an OpenAPI document. Exactly one of `message` and `subscription`.
 */
export interface AsyncApiCallTask extends TaskBase {
  readonly kind: 'call.asyncapi';
  /** The document's URI (http, https, file) or path, or an expression giving one. */
  readonly document: Template;
  /** 3.x: the key of `operations`; 2.x: an `operationId`. */
  readonly operation?: string;
  /** 2.x: the channel's name (its address); 3.x: the key of `channels`. */
  readonly channel?: string;
  /** `with.server`: the document's server by name, its variables an object template. */
  readonly server?: { readonly name: string; readonly variables?: Template };
  /** Picks the first server of this protocol when `server` is absent. */
  readonly protocol?: AsyncApiProtocol;
  readonly message?: AsyncApiOutboundMessage;
  readonly subscription?: AsyncApiSubscription;
  /** `with.authentication`: basic only (the broker's username and password), applied by the activity. */
  readonly authentication?: AuthenticationPolicy;
  /** `with.document.endpoint.authentication`: the runner reads the document with it (any scheme). */
  readonly documentAuthentication?: AuthenticationPolicy;
}

export interface AsyncApiOutboundMessage {
  readonly payload?: Template;
  readonly headers?: Template;
}

/**
 * How long a subscription consumes: until `amount` messages were kept, `while` turned false
 * (after a message), `until` turned true (on a message, which is not kept), or `for` elapsed.
 * The expressions read each consumed message as `.`; the activity evaluates them.
 */
export interface AsyncApiSubscription {
  readonly filter?: Expression;
  readonly amount?: number;
  readonly while?: Expression;
  readonly until?: Expression;
  /** `consume.for`: consumption ends (normally) after this long. */
  readonly forMs?: number;
  readonly foreach?: SubscriptionIterator;
}

/**
 * `foreach`: after consumption, the tasks run for each kept message in arrival order, the message
 * their input and `$<item>`, its position `$<at>`; each result, through `output.as`, is one
 * element of the task's output, and `export.as` updates `$context` after each.
 */
export interface SubscriptionIterator {
  /** Variable names without `$`; the spec's defaults are `item` and `index`. */
  readonly item: string;
  readonly at: string;
  readonly do: readonly Task[];
  readonly output: DataOut;
  readonly export: DataExport;
}

/** `call: grpc`: one unary method of a service described by a `.proto` file. */
export interface GrpcCallTask extends TaskBase {
  readonly kind: 'call.grpc';
  /** The `.proto` file's URI (http, https, file) or path, or an expression giving one. */
  readonly proto: Template;
  /** Fully qualified when the proto has a package: `greeter.Greeter`. */
  readonly service: string;
  readonly host: Template;
  /** Absent: 443 when nothing says otherwise. */
  readonly port?: Template;
  readonly method: string;
  readonly arguments?: Template;
  /** `with.service.authentication`, sent as the call's `authorization` metadata. */
  readonly authentication?: AuthenticationPolicy;
  /** `with.proto.endpoint.authentication`: the runner reads the `.proto` with it. */
  readonly protoAuthentication?: AuthenticationPolicy;
}

/**
 * `call: <name>`: a function of `use.functions` — any task — run with the call's `with` (evaluated)
 * as its input, or the call's own input without one. The function's task keeps its own data flow
 * and its position in the document (`/use/functions/<name>`).
 */
export interface FunctionCallTask extends TaskBase {
  readonly kind: 'call.function';
  readonly function: string;
  readonly arguments?: Template;
  readonly body: Task;
}

/**
 * `call: <name>:<version>@<catalog>`: a function read from a catalog when the task runs (by the
 * runner, through its egress policy or from its documents folder), then run like a `use.functions`
 * function with the evaluated `with` as its input.
 */
export interface CatalogFunctionCallTask extends TaskBase {
  readonly kind: 'call.catalog';
  readonly function: string;
  readonly version: string;
  readonly catalog: string;
  /** The catalog's root (`use.catalogs.<name>.endpoint`); absent: the runner's default catalog. */
  readonly endpoint?: string;
  /**
   * A function named by URL (`call: https://…/function.yaml` or `https://…/<name>@<version>`):
   * the URL as written, read instead of a catalog path; `catalog` is then `url`.
   */
  readonly url?: string;
  /** The catalog's `endpoint.authentication` (for a URL function: that of the catalog whose endpoint the URL starts with). */
  readonly authentication?: AuthenticationPolicy;
  readonly arguments?: Template;
}

/** The MCP methods a `call: mcp` task may call (DSL 1.0.3's list). */
export type McpMethod = 'tools/list' | 'tools/call' | 'prompts/list' | 'prompts/get' | 'resources/list' | 'resources/read' | 'resources/templates/list';

/** How a `call: mcp` reaches its server: streamable HTTP, or a process the activity starts and owns. */
export type McpTransport =
  | { readonly kind: 'http'; readonly endpoint: Template; readonly headers?: Template }
  | { readonly kind: 'stdio'; readonly command: Template; readonly arguments?: Template; readonly environment?: Template };

/** `call: mcp` (DSL 1.0.3): one method of an MCP server, called by the runner with the official SDK client. */
export interface McpCallTask extends TaskBase {
  readonly kind: 'call.mcp';
  readonly method: McpMethod;
  /** The protocol version asked for in the handshake; the server must agree to it. */
  readonly protocolVersion: string;
  /** The method's parameters (`name` and `arguments` for `tools/call` …): an object, or an expression giving one. */
  readonly parameters?: Template;
  /** `with.timeout`: how long one request may take. */
  readonly requestTimeoutMs?: number;
  readonly transport: McpTransport;
  /** `with.client`: how the runner introduces itself; Baton's name and version otherwise. */
  readonly client?: { readonly name: string; readonly version: string };
  /** The HTTP endpoint's authentication (inline or from `use.authentications`), applied by the activity. */
  readonly authentication?: AuthenticationPolicy;
}

/**
 * `call: activity` (Zigflow's extension): a Temporal activity of any language, scheduled by the
 * interpreter on another task queue with these options over the workflow's and the task's own.
 */
export interface ActivityCallTask extends TaskBase {
  readonly kind: 'call.activity';
  readonly activity: string;
  readonly taskQueue: string;
  /** Evaluates to the list of arguments (a single non-list value is the one argument). */
  readonly arguments?: Template;
  readonly options?: ActivityCallOptions;
}

export interface ActivityCallOptions extends ActivityOptions {
  readonly scheduleToStartTimeoutMs?: number;
  readonly summary?: string;
}

/**
 * Zigflow's `listen` (dialect documents only): Temporal messages sent to the execution by name
 * (`with.id`). Signal and update listeners hold the task until each (`all`) or one (`any`) of
 * them accepts a message, or fail it after `timeoutMs`; query listeners never hold it and answer
 * for the rest of the execution. The specification's `listen` (CloudEvents) is another kind.
 */
export interface TemporalListenTask extends TaskBase {
  readonly kind: 'listen.temporal';
  readonly listeners: readonly TemporalListener[];
  /** Zigflow's `all` and `one` wait for every listener, `any` for the first. */
  readonly until: 'all' | 'any';
  /** Zigflow's `metadata.timeout` (ZIGFLOW_LISTEN_TIMEOUT_MS when not written); absent on a listen of queries only. */
  readonly timeoutMs?: number;
}

/** Zigflow's listen timeout when `metadata.timeout` is not written. */
export const ZIGFLOW_LISTEN_TIMEOUT_MS = 60_000;

export type TemporalListener =
  /** The payload is stored under `$data.<task name>`; `acceptIf` (absent: true) then decides. */
  | { readonly kind: 'signal'; readonly name: string; readonly acceptIf?: Template }
  /** The argument is stored under `$data.<name>`; `acceptIf` decides; the caller gets `reply` (absent: null). */
  | { readonly kind: 'update'; readonly name: string; readonly acceptIf?: Template; readonly reply?: Template }
  /** Answers `reply`, evaluated when asked, from the moment the task runs to the end of the execution. */
  | { readonly kind: 'query'; readonly name: string; readonly reply?: Template };

export interface RunWorkflowTask extends TaskBase {
  readonly kind: 'run.workflow';
  readonly workflow: {
    readonly namespace: string;
    readonly name: string;
    readonly version: string;
    readonly input?: Template;
  };
  readonly await: boolean;
  /** Zigflow: the workflow is another top-level `do` of the same file, run from this plan. */
  readonly sibling?: true;
}

/** What a `run: shell | script | container` task outputs: the spec's `return`. */
export type ProcessReturn = 'stdout' | 'stderr' | 'code' | 'all' | 'none';

/** The arguments every process task shares; each may hold expressions, evaluated in the workflow. */
interface ProcessTaskBase extends TaskBase {
  /**
   * An array template of argv strings. DSL 1.0.3 writes a list; DSL 1.0.0's mapping is compiled
   * to the same list: each key (which may be an expression), then its value unless null.
   */
  readonly arguments?: Template;
  /** Variables added to the process's environment; values become strings. */
  readonly environment?: Template;
  /** Text written to the process's standard input (DSL 1.0.3). */
  readonly stdin?: Template;
  readonly return: ProcessReturn;
  readonly await: boolean;
}

export interface RunShellTask extends ProcessTaskBase {
  readonly kind: 'run.shell';
  /** A shell command line, run by `/bin/sh -c`; the arguments are appended, each quoted. */
  readonly command: Template;
}

export interface RunScriptTask extends ProcessTaskBase {
  readonly kind: 'run.script';
  /** `js` (run by Bun) or `python` (run by python3), normalised from what the document wrote. */
  readonly language: ScriptLanguage;
  /** Inline code or the endpoint of a `source` resource, exactly one. */
  readonly script:
    | { readonly kind: 'code'; readonly code: Template }
    /** `authentication`: the source endpoint's, applied by the activity when it fetches the source. */
    | { readonly kind: 'source'; readonly uri: Template; readonly authentication?: AuthenticationPolicy };
}

export type ScriptLanguage = 'js' | 'python';

export interface RunContainerTask extends ProcessTaskBase {
  readonly kind: 'run.container';
  readonly image: Template;
  /** The spec's `container.name` (TaskBase has `name`). */
  readonly containerName?: Template;
  readonly command?: Template;
  /** Host port → container port. */
  readonly ports?: Template;
  /** Host path → container path. */
  readonly volumes?: Template;
  readonly pullPolicy: 'ifNotPresent' | 'always' | 'never';
  /** The spec's `lifetime.cleanup` (default `never`); `eventually` removes the container `afterMs` after it ends. */
  readonly cleanup: { readonly kind: 'always' } | { readonly kind: 'never' } | { readonly kind: 'eventually'; readonly afterMs: number };
}

/**
 * One event filter of a `listen` (`with` and `correlate`). The attributes other than `data` are
 * known when the task starts (literals, or expressions evaluated then against the task's input),
 * so the runner's event router can match them; `data` and correlation are checked on each event.
 */
export interface EventFilterSpec {
  readonly attributes: readonly (readonly [string, Template])[];
  /** A literal the event's data must contain (objects by their keys, recursively), or an expression tested with the data as `.`. */
  readonly data?: { readonly kind: 'contains'; readonly value: unknown } | { readonly kind: 'test'; readonly expr: Expression };
  readonly correlate: readonly EventCorrelation[];
}

export interface EventCorrelation {
  readonly name: string;
  /** Evaluated on the event (its JSON form: attributes and `data`). */
  readonly from: Expression;
  /** Evaluated when the task starts; absent: the first value `from` extracts becomes the expectation. */
  readonly expect?: Template;
}

export type EventConsumption =
  | { readonly kind: 'one'; readonly filter: EventFilterSpec }
  | { readonly kind: 'all'; readonly filters: readonly EventFilterSpec[] }
  | {
      readonly kind: 'any';
      /** Empty: any event at all. */
      readonly filters: readonly EventFilterSpec[];
      readonly until?: { readonly kind: 'condition'; readonly expr: Expression } | { readonly kind: 'events'; readonly consume: EventConsumption };
    };

export interface ListenTask extends TaskBase {
  readonly kind: 'listen';
  readonly to: EventConsumption;
  readonly read: 'data' | 'envelope' | 'raw';
  readonly foreach?: {
    readonly item: string;
    readonly at: string;
    readonly do: readonly Task[];
    readonly output: DataOut;
    readonly export: DataExport;
  };
}

export interface EmitTask extends TaskBase {
  readonly kind: 'emit';
  /** `emit.event.with`: the event's attributes and data, evaluated when the task runs. */
  readonly event: Template;
}

export type Task =
  | ListenTask
  | EmitTask
  | DoTask
  | SetTask
  | SwitchTask
  | ForTask
  | ForkTask
  | TryTask
  | RaiseTask
  | WaitTask
  | HttpCallTask
  | OpenApiCallTask
  | GrpcCallTask
  | McpCallTask
  | FunctionCallTask
  | CatalogFunctionCallTask
  | AsyncApiCallTask
  | ActivityCallTask
  | RunWorkflowTask
  | TemporalListenTask
  | RunShellTask
  | RunScriptTask
  | RunContainerTask;

export type TaskKind = Task['kind'];
