/**
 * The document shape the builder produces: the Serverless Workflow 1.0 subset Baton executes,
 * typed strictly so editors complete it and the compiler catches misuse before YAML exists.
 */

/** A strict runtime expression, `${ … }`; build one with `expr('.a + 1')`. */
export type RuntimeExpression = `\${${string}}`;

/** Anything a template may hold: JSON, with `${ }` strings evaluated at run time. */
export type TemplateValue = string | number | boolean | null | readonly TemplateValue[] | { readonly [key: string]: TemplateValue };

export interface DurationObject {
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  readonly seconds?: number;
  readonly milliseconds?: number;
}

/** ISO 8601 (`PT30S`) or a duration object. */
export type Duration = string | DurationObject;

export type FlowDirective = 'continue' | 'exit' | 'end' | (string & {});

export interface JsonSchemaDefinition {
  readonly format?: 'json' | `json:${string}`;
  readonly document: { readonly [key: string]: unknown } | boolean;
}

export interface InputDefinition {
  readonly schema?: JsonSchemaDefinition;
  readonly from?: string | { readonly [key: string]: TemplateValue };
}

export interface OutputDefinition {
  readonly as?: string | { readonly [key: string]: TemplateValue };
  readonly schema?: JsonSchemaDefinition;
}

export interface TimeoutDefinition {
  readonly after: Duration;
}

/** Fields every task accepts. `timeout` may name an entry of `use.timeouts`. */
export interface TaskOptions {
  readonly if?: string;
  readonly input?: InputDefinition;
  readonly output?: OutputDefinition;
  readonly export?: OutputDefinition;
  readonly timeout?: TimeoutDefinition | string;
  readonly then?: FlowDirective;
  readonly metadata?: { readonly [key: string]: unknown };
}

export interface ErrorDefinition {
  readonly type: string;
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  readonly instance?: string;
}

export interface RetryPolicyDefinition {
  readonly when?: string;
  readonly exceptWhen?: string;
  readonly delay?: Duration;
  readonly backoff?:
    | { readonly constant: Record<string, never> }
    | { readonly linear: { readonly increment?: Duration } }
    | { readonly exponential: { readonly factor?: number } };
  readonly limit?: {
    readonly attempt?: { readonly count?: number; readonly duration?: Duration };
    readonly duration?: Duration;
  };
  readonly jitter?: { readonly from: Duration; readonly to: Duration };
}

export interface ErrorFilterDefinition {
  readonly type?: string;
  readonly status?: number;
  readonly instance?: string;
  readonly title?: string;
  readonly details?: string;
}

export type TaskItem = { readonly [name: string]: TaskDefinition };
export type TaskList = readonly TaskItem[];

/** `set` holds data, or one `${ }` expression whose result is the task's output (DSL 1.0.1+). */
export type SetTaskDefinition = TaskOptions & { readonly set: { readonly [key: string]: TemplateValue } | RuntimeExpression };
export type WaitTaskDefinition = TaskOptions & { readonly wait: Duration };
export type RaiseTaskDefinition = TaskOptions & { readonly raise: { readonly error: ErrorDefinition | string } };
export type DoTaskDefinition = TaskOptions & { readonly do: TaskList };
export type SwitchTaskDefinition = TaskOptions & {
  readonly switch: readonly { readonly [name: string]: { readonly when?: string; readonly then: FlowDirective } }[];
};
export type ForTaskDefinition = TaskOptions & {
  readonly for: { readonly in: string; readonly each?: string; readonly at?: string };
  readonly while?: string;
  readonly do: TaskList;
};
export type ForkTaskDefinition = TaskOptions & { readonly fork: { readonly branches: TaskList; readonly compete?: boolean } };
export type TryTaskDefinition = TaskOptions & {
  readonly try: TaskList;
  readonly catch: {
    readonly errors?: { readonly with?: ErrorFilterDefinition };
    readonly as?: string;
    readonly when?: string;
    readonly exceptWhen?: string;
    readonly retry?: RetryPolicyDefinition | string;
    readonly do?: TaskList;
  };
};
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options' | (string & {});
export interface HttpArguments {
  readonly method: HttpMethod;
  readonly endpoint: string | { readonly uri: string };
  readonly headers?: { readonly [name: string]: TemplateValue } | RuntimeExpression;
  readonly query?: { readonly [name: string]: TemplateValue } | RuntimeExpression;
  readonly body?: TemplateValue;
  readonly output?: 'content' | 'response' | 'raw';
  /** true: 3xx responses are not errors (only status codes outside 200–399 are). */
  readonly redirect?: boolean;
}
export type HttpCallTaskDefinition = TaskOptions & { readonly call: 'http'; readonly with: HttpArguments };
export type RunWorkflowTaskDefinition = TaskOptions & {
  readonly run: {
    readonly workflow: { readonly namespace: string; readonly name: string; readonly version: string; readonly input?: { readonly [key: string]: TemplateValue } };
    readonly await?: boolean;
  };
};

export type TaskDefinition =
  | SetTaskDefinition
  | WaitTaskDefinition
  | RaiseTaskDefinition
  | DoTaskDefinition
  | SwitchTaskDefinition
  | ForTaskDefinition
  | ForkTaskDefinition
  | TryTaskDefinition
  | HttpCallTaskDefinition
  | RunWorkflowTaskDefinition;

export interface DocumentDefinition {
  readonly dsl?: `1.0.${number}`;
  readonly namespace: string;
  readonly name: string;
  readonly version: string;
  readonly title?: string;
  readonly summary?: string;
  readonly tags?: { readonly [key: string]: string };
  readonly metadata?: { readonly [key: string]: unknown };
}

export interface UseDefinition {
  readonly secrets?: readonly string[];
  readonly errors?: { readonly [name: string]: ErrorDefinition };
  readonly retries?: { readonly [name: string]: RetryPolicyDefinition };
  readonly timeouts?: { readonly [name: string]: TimeoutDefinition };
}

export interface WorkflowDocument {
  readonly document: DocumentDefinition & { readonly dsl: `1.0.${number}` };
  readonly input?: InputDefinition;
  readonly use?: UseDefinition;
  readonly timeout?: TimeoutDefinition | string;
  readonly do: TaskList;
  readonly output?: OutputDefinition;
}
