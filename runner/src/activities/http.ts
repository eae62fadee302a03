/**
 * The `call: http` activity: one request per attempt, through the egress policy (../egress), sent
 * by http/perform.ts under the shared call policy (call-policy.ts). Arguments that read `$secrets`
 * are evaluated here and every text leaving the activity has the secret values cut out.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { HttpActivities, HttpCallRequest } from './http/request.ts';
import { NOTHING_MASKED, resolveSecretFields } from './http/secret-fields.ts';
import type { ResolvedRequest } from './http/secret-fields.ts';
import { NO_SECRETS, secretRedactor } from './http/secrets.ts';
import { createAuthenticator } from './auth/index.ts';
import type { SecretValues } from './http/secrets.ts';
import { performHttpRequest } from './http/perform.ts';
import { activityContext, withHeartbeats } from './call-policy.ts';
import { createEgressClient, PUBLIC_ONLY } from '../egress/index.ts';
import type { EgressPolicy, Resolver } from '../egress/index.ts';

export { MAX_RESPONSE_BYTES } from './http/perform.ts';
export { isRetryableStatus, retryAfterMs } from './call-policy.ts';

export interface HttpActivityOptions {
  /** Values for `$secrets`; none by default. */
  readonly secrets?: SecretValues;
  /** Where calls may go; public addresses only by default. */
  readonly egress?: EgressPolicy;
  /** How host names are resolved; tests substitute one to play a rebinding DNS. */
  readonly resolver?: Resolver;
  /** Epoch milliseconds for token lifetimes; tests move it to expire tokens. */
  readonly now?: () => number;
}

/**
 * The activities for a runner holding these secret values and egress policy. Arguments that read
 * `$secrets` arrive as templates and are evaluated here; every failure and response text the
 * activity returns has the secret values cut out. Every call goes through the egress policy.
 */
export function createHttpActivities(options: HttpActivityOptions = {}): HttpActivities {
  const secrets = options.secrets ?? NO_SECRETS;
  const client = createEgressClient(options.egress ?? PUBLIC_ONLY, options.resolver);
  const authenticator = createAuthenticator({ secrets, client, ...(options.now ? { now: options.now } : {}) });
  return {
    async httpCall(request: HttpCallRequest): Promise<unknown> {
      if (!request.secretFields && !request.authentication) return withHeartbeats((signal) => performHttpRequest(client, request, NOTHING_MASKED, signal));
      const activity = activityContext();
      let resolved: ResolvedRequest | undefined;
      // Credentials and tokens the call used, renewed ones included: cut out of what it returns.
      const credentials: string[] = [];
      let cut: { readonly count: number; readonly redact: (text: string) => string } | undefined;
      const redact = (text: string) => {
        if (cut?.count !== credentials.length) cut = { count: credentials.length, redact: secretRedactor(credentials) };
        return cut.redact(resolved?.redact(text) ?? text);
      };
      try {
        resolved = resolveSecretFields(request, secrets);
        const { request: evaluated, masked } = resolved;
        const { authentication } = request;
        const output = await withHeartbeats(async (signal) => {
          // Getting the authorization (a token request, maybe) heartbeats too.
          const authorization = authentication
            ? await authenticator.authorize(authentication, request.taskReference, {
                ...(signal ? { signal } : {}),
                onCredentials: (values) => credentials.push(...values),
              })
            : undefined;
          if (authorization) credentials.push(...authorization.secrets);
          return performHttpRequest(client, evaluated, masked, signal, authorization, credentials);
        });
        return redactOutput(output, request.output, redact);
      } catch (error) {
        if (activity?.cancellationSignal.aborted) throw error;
        throw redactFailure(error, redact);
      }
    },
  };
}

/** The activity without secret values (a request that reads one fails with a configuration error), public addresses only. */
export const { httpCall } = createHttpActivities();

/**
 * A failure rebuilt with secret values cut out of its message and details. Rebuilt rather than
 * edited: the original's stack trace (which Temporal records) starts with the original message.
 */
function redactFailure(error: unknown, redact: (text: string) => string): ApplicationFailure {
  if (error instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      type: error.type ?? 'Error',
      message: redact(error.message),
      nonRetryable: error.nonRetryable ?? false,
      details: error.details?.map((detail) => redactDeep(detail, redact)),
      ...(error.nextRetryDelay !== undefined && error.nextRetryDelay !== null ? { nextRetryDelay: error.nextRetryDelay } : {}),
    });
  }
  const plain = error instanceof Error ? error : new Error(String(error));
  return ApplicationFailure.create({ type: plain.name, message: redact(plain.message) });
}

/**
 * A response to a request that carried secrets, with them cut out wherever a server echoed them.
 * A raw body is redacted as bytes (its Latin-1 view), since its base64 hides the secret at any offset.
 */
function redactOutput(output: unknown, format: HttpCallRequest['output'], redact: (text: string) => string): unknown {
  if (format === 'raw' && typeof output === 'string') {
    return Buffer.from(redact(Buffer.from(output, 'base64').toString('latin1')), 'latin1').toString('base64');
  }
  return redactDeep(output, redact);
}

function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redactDeep(item, redact)]));
  }
  return value;
}


