/**
 * The `call: openapi` activity: the document is read (through the egress policy, files only from
 * the allowed folder) and parsed once per runner process, the operation becomes one HTTP request,
 * and that request is sent exactly like `call: http`'s (http/perform.ts) under the shared call
 * policy: same egress checks, output formats, error mapping and retries.
 */
import type { EgressPolicy, Resolver } from '../egress/index.ts';
import { createEgressClient, PUBLIC_ONLY } from '../egress/index.ts';
import { createDocumentReader } from './call-documents.ts';
import { activityContext, unlessAborted, withHeartbeats } from './call-policy.ts';
import { collectCredentials, redactFailure, redactOutput } from './call-redaction.ts';
import { createAuthenticator } from './auth/index.ts';
import type { Authenticator } from './auth/index.ts';
import type { SecretValues } from './http/secrets.ts';
import { NO_SECRETS } from './http/secrets.ts';
import { performHttpRequest } from './http/perform.ts';
import { NOTHING_MASKED } from './http/secret-fields.ts';
import { createDocumentCache } from './openapi/document.ts';
import { resourceAccess } from './resource-access.ts';
import { buildRequest } from './openapi/operation.ts';
import type { OpenApiActivities, OpenApiCallRequest } from '../contract/index.ts';

export interface CallDocumentOptions {
  /** Where calls and document reads may go; public addresses only by default. */
  readonly egress?: EgressPolicy;
  /** The folder documents may be read from as files; none by default. */
  readonly documentsDir?: string;
  /** How host names are resolved; tests substitute one. */
  readonly resolver?: Resolver;
  /** Values the calls' authentication policies read as `$secrets`; none by default. */
  readonly secrets?: SecretValues;
  /** The runner's authenticator, whose token cache every call kind and resource read shares; one of its own otherwise. */
  readonly authenticator?: Authenticator;
}

export function createOpenApiActivities(options: CallDocumentOptions = {}): OpenApiActivities {
  const client = createEgressClient(options.egress ?? PUBLIC_ONLY, options.resolver);
  const documents = createDocumentCache(createDocumentReader(client, options.documentsDir));
  const authenticator = options.authenticator ?? createAuthenticator({ secrets: options.secrets ?? NO_SECRETS, client });
  return {
    async openApiCall(request: OpenApiCallRequest): Promise<unknown> {
      const { authentication, documentAuthentication } = request;
      const redacting = authentication !== undefined || documentAuthentication !== undefined;
      const credentials = collectCredentials();
      try {
        const output = await withHeartbeats(async (signal) => {
          const access = documentAuthentication ? await resourceAccess(authenticator, documentAuthentication, request.taskReference, credentials.values, signal) : undefined;
          const loaded = await unlessAborted(documents.load(request.document, request.taskReference, access), signal);
          const httpRequest = buildRequest(loaded, request);
          if (!authentication) return performHttpRequest(client, httpRequest, NOTHING_MASKED, signal);
          const authorization = await authenticator.authorize(authentication, request.taskReference, {
            ...(signal ? { signal } : {}),
            onCredentials: (values) => credentials.values.push(...values),
          });
          credentials.values.push(...authorization.secrets);
          return performHttpRequest(client, httpRequest, NOTHING_MASKED, signal, authorization, credentials.values);
        }, request.heartbeatEveryMs);
        return authentication ? redactOutput(output, request.output, credentials.redact) : output;
      } catch (error) {
        if (!redacting || activityContext()?.cancellationSignal.aborted) throw error;
        throw redactFailure(error, credentials.redact);
      }
    },
  };
}

/** Public addresses only, no files. */
export const { openApiCall } = createOpenApiActivities();
