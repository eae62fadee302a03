/**
 * The `call: openapi` activity: the document is read (through the egress policy, files only from
 * the allowed folder) and parsed once per runner process, the operation becomes one HTTP request,
 * and that request is sent exactly like `call: http`'s (http/perform.ts) under the shared call
 * policy: same egress checks, output formats, error mapping and retries.
 */
import type { EgressPolicy, Resolver } from '../egress/index.ts';
import { createEgressClient, PUBLIC_ONLY } from '../egress/index.ts';
import { createDocumentReader } from './call-documents.ts';
import { unlessAborted, withHeartbeats } from './call-policy.ts';
import { performHttpRequest } from './http/perform.ts';
import { NOTHING_MASKED } from './http/secret-fields.ts';
import { createDocumentCache } from './openapi/document.ts';
import { buildRequest } from './openapi/operation.ts';
import type { OpenApiActivities, OpenApiCallRequest } from './openapi/request.ts';

export interface CallDocumentOptions {
  /** Where calls and document reads may go; public addresses only by default. */
  readonly egress?: EgressPolicy;
  /** The folder documents may be read from as files; none by default. */
  readonly documentsDir?: string;
  /** How host names are resolved; tests substitute one. */
  readonly resolver?: Resolver;
}

export function createOpenApiActivities(options: CallDocumentOptions = {}): OpenApiActivities {
  const client = createEgressClient(options.egress ?? PUBLIC_ONLY, options.resolver);
  const documents = createDocumentCache(createDocumentReader(client, options.documentsDir));
  return {
    openApiCall(request: OpenApiCallRequest): Promise<unknown> {
      return withHeartbeats(async (signal) => {
        const loaded = await unlessAborted(documents.load(request.document, request.taskReference), signal);
        return performHttpRequest(client, buildRequest(loaded, request), NOTHING_MASKED, signal);
      });
    },
  };
}

/** Public addresses only, no files. */
export const { openApiCall } = createOpenApiActivities();
