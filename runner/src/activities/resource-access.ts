/**
 * Reading an external resource (a catalog, an OpenAPI or AsyncAPI document, a `.proto`, a script
 * source) with its `endpoint.authentication`: one mechanism for all of them. The runner's
 * authenticator evaluates the policy in the activity (so no credential enters history) and gives
 * the authorization, its tokens shared with calls. What is read with credentials is cached for
 * those credentials only: `key` is part of every cache key. Reads send the authorization only to
 * the resource's own origin (a `$ref` elsewhere gets none).
 */
import type { AuthenticationArguments, Authenticator, Authorization } from './auth/index.ts';
import { cacheKey } from './auth/token-cache.ts';
import type { DocumentLocation, DocumentReader } from './call-documents.ts';

export interface ResourceAccess {
  /** Tells apart what different credentials read. */
  readonly key: string;
  readonly authorization: Authorization;
}

export async function resourceAccess(
  authenticator: Authenticator,
  args: AuthenticationArguments,
  instance: string,
  credentials: string[],
  signal: AbortSignal | undefined,
): Promise<ResourceAccess> {
  const authorization = await authenticator.authorize(args, instance, {
    ...(signal ? { signal } : {}),
    onCredentials: (values) => credentials.push(...values),
  });
  credentials.push(...authorization.secrets);
  return { key: cacheKey([args.policy, args.variables, args.data]), authorization };
}

/** The cache key of a location read with (or without) credentials. */
export function accessKey(location: DocumentLocation, access: ResourceAccess | undefined): string {
  const where = location.kind === 'url' ? location.url.href : location.path;
  return access ? `${where}\n${access.key}` : where;
}

/** A reader sending the authorization with every read of `origin`'s documents. */
export function authorizedReader(reader: DocumentReader, access: ResourceAccess | undefined, root: DocumentLocation): DocumentReader {
  if (!access || root.kind !== 'url') return reader;
  const { origin } = root.url;
  return {
    ...reader,
    read: (location, instance) => reader.read(location, instance, location.kind === 'url' && location.url.origin === origin ? access.authorization : undefined),
  };
}
