/**
 * The `call: http` activity: one request per attempt, through the egress policy (../egress), sent
 * by http/perform.ts under the shared call policy (call-policy.ts). Arguments that read `$secrets`
 * are evaluated here and every text leaving the activity has the secret values cut out.
 */
import type { HttpActivities, HttpCallRequest } from '../contract/index.ts';
import { NOTHING_MASKED, resolveSecretFields } from './http/secret-fields.ts';
import type { ResolvedRequest } from './http/secret-fields.ts';
import { NO_SECRETS, secretRedactor } from './http/secrets.ts';
import { createAuthenticator } from './auth/index.ts';
import type { Authenticator } from './auth/index.ts';
import type { SecretValues } from './http/secrets.ts';
import { performHttpRequest } from './http/perform.ts';
import { activityContext, withHeartbeats } from './call-policy.ts';
import { redactFailure, redactOutput } from './call-redaction.ts';
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
  /** The runner's authenticator, whose token cache every call kind shares; one of its own otherwise. */
  readonly authenticator?: Authenticator;
}

/**
 * The activities for a runner holding these secret values and egress policy. Arguments that read
 * `$secrets` arrive as templates and are evaluated here; every failure and response text the
 * activity returns has the secret values cut out. Every call goes through the egress policy.
 */
export function createHttpActivities(options: HttpActivityOptions = {}): HttpActivities {
  const secrets = options.secrets ?? NO_SECRETS;
  const client = createEgressClient(options.egress ?? PUBLIC_ONLY, options.resolver);
  const authenticator = options.authenticator ?? createAuthenticator({ secrets, client, ...(options.now ? { now: options.now } : {}) });
  return {
    async httpCall(request: HttpCallRequest): Promise<unknown> {
      if (!request.secretFields && !request.authentication) return withHeartbeats((signal) => performHttpRequest(client, request, NOTHING_MASKED, signal), request.heartbeatEveryMs);
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
        }, request.heartbeatEveryMs);
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
