/**
 * Where `call: openapi` and `call: grpc` read the documents describing what they call: over
 * http(s) through the egress policy, or from files only inside the folder the operator allows
 * (`--call-documents-dir`; none by default). Paths are resolved to their real location first, so
 * neither `..` nor a symbolic link leads out of that folder. A read over http(s) may carry the
 * authorization of the resource's `endpoint.authentication`: a `401` gets the digest answer, or a
 * renewed token, and one more attempt (the header never follows a redirect to another origin).
 */
import { realpath, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import { EgressRefusedError, ResponseTooLargeError } from '../egress/index.ts';
import type { EgressClient, EgressResponse } from '../egress/index.ts';
import type { Authorization } from './auth/index.ts';
import { callFailure, isRetryableStatus } from './call-policy.ts';

/** Description documents beyond this are refused. */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
/** A read is shared by every activity waiting for the document, so none of their cancellations ends it: this does. */
const DOCUMENT_READ_TIMEOUT_MS = 30_000;

export type DocumentLocation = { readonly kind: 'url'; readonly url: URL } | { readonly kind: 'file'; readonly path: string };

export interface DocumentReader {
  /** Where a written location points, or a configuration failure. */
  locate(written: string, instance: string): DocumentLocation;
  /** The text at a location: egress-checked fetch (with the authorization, when given) or an allowed file. */
  read(location: DocumentLocation, instance: string, authorization?: Authorization): Promise<string>;
  /** The real path of a file location inside the documents folder, or a configuration failure. */
  allowedFile(path: string, instance: string): Promise<string>;
}

export function createDocumentReader(client: EgressClient, documentsDir: string | undefined): DocumentReader {
  const folder = documentsDir === undefined ? undefined : resolve(documentsDir);
  const root = documentsDir === undefined ? undefined : realpath(resolve(documentsDir)).catch(() => resolve(documentsDir));
  const allowedFile = async (path: string, instance: string): Promise<string> => {
    if (!root) {
      throw callFailure({
        kind: 'configuration',
        status: 403,
        title: 'Reading files is off',
        detail: `the document '${path}' is a file, and this runner reads none (the operator allows a folder with --call-documents-dir)`,
        instance,
      });
    }
    return allowedPath(await root, path, instance);
  };
  return {
    locate(written, instance) {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(written)?.[1]?.toLowerCase();
      if (scheme === 'http' || scheme === 'https') return { kind: 'url', url: new URL(written) };
      if (scheme !== undefined && scheme !== 'file' && scheme.length > 1) {
        throw callFailure({ kind: 'configuration', status: 400, title: 'Unsupported document location', detail: `'${written}': documents are read over http, https or from a file`, instance });
      }
      if (/^file:\/\//i.test(written)) return { kind: 'file', path: fileURLToPath(written) };
      // `file:name.proto` and bare paths are relative to the documents folder, never to the runner's working directory.
      const path = scheme === 'file' ? decodeURIComponent(written.slice('file:'.length)) : written;
      return { kind: 'file', path: folder && !isAbsolute(path) ? resolve(folder, path) : path };
    },
    async read(location, instance, authorization) {
      if (location.kind === 'url') return fetchText(client, location.url, instance, authorization);
      const path = await allowedFile(location.path, instance);
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        throw callFailure({ kind: 'configuration', status: 404, title: 'Document not found', detail: `'${location.path}': ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, instance });
      }
    },
    allowedFile,
  };
}

/** One more attempt after a `401`: the digest challenge answered, else a renewed token. */
export async function retryAuthorized(refused: EgressResponse, authorization: Authorization, url: URL, get: (credentials: string | undefined) => Promise<EgressResponse>): Promise<EgressResponse> {
  const challenge = refused.headers.get('www-authenticate');
  const answer = challenge ? authorization.answer?.(challenge, 'GET', `${url.pathname}${url.search}`) : undefined;
  if (answer !== undefined) return get(answer);
  if (!authorization.renew) return refused;
  const renewed = await authorization.renew();
  return get(renewed.header);
}

/**
 * The real path of a document inside the folder. `file://` URIs are absolute (the spec requires
 * `scheme://`), so an absolute path outside the folder is read as relative to it:
 * `file:///petstore.yaml` is `<folder>/petstore.yaml`, and a full path inside the folder works too.
 */
async function allowedPath(base: string, written: string, instance: string): Promise<string> {
  const inside = (real: string) => {
    const rest = relative(base, real);
    return rest !== '' && rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest);
  };
  const candidates = isAbsolute(written) ? [written, join(base, written)] : [resolve(base, written)];
  let existed = false;
  for (const candidate of candidates) {
    const real = await realpath(candidate).catch(() => undefined);
    if (real === undefined) continue;
    existed = true;
    if (inside(real)) return real;
  }
  if (!existed) {
    throw callFailure({ kind: 'configuration', status: 404, title: 'Document not found', detail: `'${written}' does not exist in the documents folder`, instance });
  }
  throw callFailure({ kind: 'configuration', status: 403, title: 'Outside the documents folder', detail: `'${written}' is outside the folder this runner reads documents from`, instance });
}

async function fetchText(client: EgressClient, url: URL, instance: string, authorization: Authorization | undefined): Promise<string> {
  const signal = AbortSignal.timeout(DOCUMENT_READ_TIMEOUT_MS);
  const get = (credentials: string | undefined) => {
    const headers = new Headers({ accept: 'application/json, application/yaml, text/yaml, text/plain, */*' });
    if (credentials !== undefined) headers.set('authorization', credentials);
    return client.request(url, { method: 'GET', headers, followRedirects: true, maxResponseBytes: MAX_DOCUMENT_BYTES, signal });
  };
  try {
    let response = await get(authorization?.header);
    if (response.status === 401 && authorization) response = await retryAuthorized(response, authorization, url, get);
    if (response.status < 200 || response.status >= 300) {
      throw callFailure({
        kind: 'communication',
        status: response.status,
        title: response.statusText || `HTTP ${response.status}`,
        detail: `reading the document ${url} answered ${response.status}`,
        instance,
        retryable: isRetryableStatus(response.status),
      });
    }
    return new TextDecoder().decode(response.body);
  } catch (error) {
    if (error instanceof EgressRefusedError) {
      throw callFailure({ kind: 'communication', status: 403, title: 'Refused by the egress policy', detail: `reading the document ${url}: ${error.message}`, instance });
    }
    if (error instanceof ResponseTooLargeError) {
      throw callFailure({ kind: 'communication', status: 502, title: 'Document too large', detail: `the document ${url} is larger than ${MAX_DOCUMENT_BYTES} bytes`, instance });
    }
    if (error instanceof ApplicationFailure) throw error;
    if (signal.aborted) {
      throw callFailure({ kind: 'communication', status: 504, title: 'Document read timed out', detail: `reading the document ${url} took over ${DOCUMENT_READ_TIMEOUT_MS} ms`, instance, retryable: true });
    }
    throw callFailure({
      kind: 'communication',
      status: 503,
      title: 'Service unreachable',
      detail: `reading the document ${url}: ${(error as Error).message}`,
      instance,
      retryable: true,
    });
  }
}
