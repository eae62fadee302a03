/** What the interpreter hands the AsyncAPI activity: every expression of the task already evaluated, but the subscription's. */
import type { Expression } from '@baton/dsl/runtime';
import type { AuthenticationArguments } from './auth.ts';

export interface AsyncApiCallRequest {
  /** The document's URI (http, https, file) or a path under the runner's documents folder. */
  readonly document: string;
  /** 3.x: the key of `operations`; 2.x: an `operationId`. */
  readonly operation?: string;
  /** 2.x: the channel's name; 3.x: the key of `channels`. */
  readonly channel?: string;
  readonly server?: { readonly name: string; readonly variables: Readonly<Record<string, string>> };
  readonly protocol?: string;
  /** Exactly one of `publish` and `subscribe`. */
  readonly publish?: AsyncApiPublish;
  readonly subscribe?: AsyncApiSubscribe;
  /** The broker's credentials (basic), evaluated by the activity. */
  readonly authentication?: AuthenticationArguments;
  /** The document endpoint's authentication: the activity reads the document with it. */
  readonly documentAuthentication?: AuthenticationArguments;
  /** The calling task's reference, used as the error's `instance`. */
  readonly taskReference: string;
}

export interface AsyncApiPublish {
  readonly payload: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The consumption policy, its expressions unevaluated: the activity evaluates them on each message
 * (`.`) with the runtime arguments they read, bound here from the workflow.
 */
export interface AsyncApiSubscribe {
  readonly filter?: Expression;
  readonly amount?: number;
  readonly while?: Expression;
  readonly until?: Expression;
  readonly forMs?: number;
  readonly variables: Readonly<Record<string, unknown>>;
}

/** The spec's inbound message, one per consumed message, in arrival order. */
export interface AsyncApiInboundMessage {
  readonly payload: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly correlationId?: string;
}

export const ASYNCAPI_ACTIVITY_TYPE = 'asyncApiCall';

export interface AsyncApiActivities {
  /** A publish answers null; a subscription the messages it kept. */
  asyncApiCall(request: AsyncApiCallRequest): Promise<AsyncApiInboundMessage[] | null>;
}
