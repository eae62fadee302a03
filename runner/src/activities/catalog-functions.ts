/**
 * Cataloged functions (`call: name:version@catalog`): `functions/<name>/<version>/function.yaml`
 * under the catalog's root, read over http(s) through the egress policy or from the documents
 * folder (`file:` endpoints, and the `default` catalog, which is that folder), then compiled as the
 * calling document would compile a `use.functions` entry. A GitHub or GitLab page address
 * (`…/tree/<ref>/…`) is read from its raw form, as the specification asks. Functions named by URL
 * are read from that URL (`…/<name>@<version>` from `…/<name>/<version>/function.yaml`). A
 * catalog's `endpoint.authentication` is applied to the read by the runner's authenticator (tokens
 * shared with calls), its credentials cut out of every failure. Definitions are cached per runner
 * for ten minutes (failures are not), per address and credentials.
 */
import { compileFunctionDefinition } from '@baton/dsl';
import type { Task } from '@baton/dsl';
import { createEgressClient, PUBLIC_ONLY, systemResolver } from '../egress/index.ts';
import type { CatalogFunctionActivities, CatalogFunctionRequest } from '../contract/index.ts';
import { createAuthenticator } from './auth/index.ts';
import { createDocumentReader } from './call-documents.ts';
import { activityContext, callFailure, unlessAborted, withHeartbeats } from './call-policy.ts';
import { collectCredentials, redactFailure } from './call-redaction.ts';
import { NO_SECRETS } from './http/secrets.ts';
import type { CallDocumentOptions } from './openapi.ts';
import { accessKey, authorizedReader, resourceAccess } from './resource-access.ts';
import type { ResourceAccess } from './resource-access.ts';

const CACHE_MS = 10 * 60_000;

export function createCatalogFunctionActivities(options: CallDocumentOptions = {}): CatalogFunctionActivities {
  const client = createEgressClient(options.egress ?? PUBLIC_ONLY, options.resolver ?? systemResolver);
  const reader = createDocumentReader(client, options.documentsDir);
  const authenticator = options.authenticator ?? createAuthenticator({ secrets: options.secrets ?? NO_SECRETS, client });
  const texts = new Map<string, { readonly text: Promise<string>; readonly until: number }>();
  const readText = (address: string, instance: string, access: ResourceAccess | undefined): Promise<string> => {
    const location = reader.locate(address, instance);
    const key = accessKey(location, access);
    const cached = texts.get(key);
    if (cached && cached.until > Date.now()) return cached.text;
    const text = authorizedReader(reader, access, location).read(location, instance);
    texts.set(key, { text, until: Date.now() + CACHE_MS });
    text.catch(() => texts.delete(key));
    return text;
  };
  return {
    async loadCatalogFunction(request: CatalogFunctionRequest): Promise<Task> {
      const address = functionAddress(request);
      const credentials = collectCredentials();
      let text: string;
      try {
        text = await withHeartbeats(async (signal) => {
          const { authentication, taskReference } = request;
          const access = authentication ? await resourceAccess(authenticator, authentication, taskReference, credentials.values, signal) : undefined;
          return unlessAborted(readText(address, taskReference, access), signal);
        });
      } catch (error) {
        if (!request.authentication || activityContext()?.cancellationSignal.aborted) throw error;
        throw redactFailure(error, credentials.redact);
      }
      const key = request.url ?? `${request.function}:${request.version}@${request.catalog}`;
      let definition: unknown;
      try {
        definition = Bun.YAML.parse(text);
      } catch (error) {
        throw invalid(request, `${address} is not YAML: ${(error as Error).message}`);
      }
      const compiled = compileFunctionDefinition(definition, { key, dsl: request.dsl, secrets: request.secrets, file: address });
      if (!compiled.ok) {
        const problems = compiled.diagnostics.map((problem) => `${problem.code} ${problem.pointer}: ${problem.message}`).join('; ');
        throw invalid(request, `${address}: ${problems}`);
      }
      return compiled.task;
    },
  };
}

/** Public addresses only, no files. */
export const { loadCatalogFunction } = createCatalogFunctionActivities();

function invalid(request: CatalogFunctionRequest, detail: string) {
  return callFailure({ kind: 'configuration', status: 400, title: 'Invalid catalog function', detail, instance: request.taskReference });
}

/**
 * Where the definition is: `<root>/functions/<name>/<version>/function.yaml`; for a function named
 * by URL, the URL itself when it names a file, else `<base>/<name>/<version>/function.yaml` for
 * `<base>/<name>@<version>`.
 */
export function functionAddress(request: Pick<CatalogFunctionRequest, 'function' | 'version' | 'endpoint' | 'url'>): string {
  if (request.url !== undefined) {
    const versioned = /^(.*)\/([^/@]+)@([^/@]+)$/.exec(request.url);
    if (!versioned) return rawRepositoryRoot(request.url);
    const base = rawRepositoryRoot(versioned[1]!);
    return `${base}/${encodeURIComponent(versioned[2]!)}/${encodeURIComponent(versioned[3]!)}/function.yaml`;
  }
  const path = `functions/${encodeURIComponent(request.function)}/${encodeURIComponent(request.version)}/function.yaml`;
  const root = request.endpoint === undefined ? 'file:///' : rawRepositoryRoot(request.endpoint);
  return `${root.endsWith('/') ? root : `${root}/`}${path}`;
}

/** GitHub and GitLab page addresses → where their raw files are; the repository root means its default branch. */
function rawRepositoryRoot(endpoint: string): string {
  const github = /^https:\/\/github\.com\/([^/]+)\/([^/]+?)(?:\.git)?(?:\/(?:tree|blob)\/([^/]+)(\/.*)?)?\/?$/.exec(endpoint);
  if (github) return `https://raw.githubusercontent.com/${github[1]}/${github[2]}/${github[3] ?? 'HEAD'}${github[4] ?? ''}`;
  const gitlab = /^https:\/\/gitlab\.com\/(.+?)\/-\/(?:tree|blob)\/([^/]+)(\/.*)?\/?$/.exec(endpoint);
  if (gitlab) return `https://gitlab.com/${gitlab[1]}/-/raw/${gitlab[2]}${gitlab[3] ?? ''}`;
  return endpoint;
}
