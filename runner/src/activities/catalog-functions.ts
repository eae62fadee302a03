/**
 * Cataloged functions (`call: name:version@catalog`): `functions/<name>/<version>/function.yaml`
 * under the catalog's root, read over http(s) through the egress policy or from the documents
 * folder (`file:` endpoints, and the `default` catalog, which is that folder), then compiled as the
 * calling document would compile a `use.functions` entry. A GitHub or GitLab page address
 * (`…/tree/<ref>/…`) is read from its raw form, as the specification asks. Definitions are cached
 * per runner for ten minutes (failures are not).
 */
import { compileFunctionDefinition } from '@baton/dsl';
import type { Task } from '@baton/dsl';
import { createEgressClient, PUBLIC_ONLY, systemResolver } from '../egress/index.ts';
import type { CatalogFunctionActivities, CatalogFunctionRequest } from '../contract/index.ts';
import { createDocumentReader } from './call-documents.ts';
import { callFailure, unlessAborted, withHeartbeats } from './call-policy.ts';
import type { CallDocumentOptions } from './openapi.ts';

const CACHE_MS = 10 * 60_000;

export function createCatalogFunctionActivities(options: CallDocumentOptions = {}): CatalogFunctionActivities {
  const reader = createDocumentReader(createEgressClient(options.egress ?? PUBLIC_ONLY, options.resolver ?? systemResolver), options.documentsDir);
  const texts = new Map<string, { readonly text: Promise<string>; readonly until: number }>();
  const readText = (address: string, instance: string): Promise<string> => {
    const cached = texts.get(address);
    if (cached && cached.until > Date.now()) return cached.text;
    const text = reader.read(reader.locate(address, instance), instance);
    texts.set(address, { text, until: Date.now() + CACHE_MS });
    text.catch(() => texts.delete(address));
    return text;
  };
  return {
    async loadCatalogFunction(request: CatalogFunctionRequest): Promise<Task> {
      const address = functionAddress(request);
      const text = await withHeartbeats((signal) => unlessAborted(readText(address, request.taskReference), signal));
      const key = `${request.function}:${request.version}@${request.catalog}`;
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

/** Where the definition is: `<root>/functions/<name>/<version>/function.yaml`. */
export function functionAddress(request: Pick<CatalogFunctionRequest, 'function' | 'version' | 'endpoint'>): string {
  const path = `functions/${encodeURIComponent(request.function)}/${encodeURIComponent(request.version)}/function.yaml`;
  const root = request.endpoint === undefined ? 'file:///' : rawRepositoryRoot(request.endpoint);
  return `${root.endsWith('/') ? root : `${root}/`}${path}`;
}

/** GitHub and GitLab page addresses → where their raw files are; the repository root means its default branch. */
function rawRepositoryRoot(endpoint: string): string {
  const github = /^https:\/\/github\.com\/([^/]+)\/([^/]+?)(?:\.git)?(?:\/tree\/([^/]+)(\/.*)?)?\/?$/.exec(endpoint);
  if (github) return `https://raw.githubusercontent.com/${github[1]}/${github[2]}/${github[3] ?? 'HEAD'}${github[4] ?? ''}`;
  const gitlab = /^https:\/\/gitlab\.com\/(.+?)\/-\/tree\/([^/]+)(\/.*)?\/?$/.exec(endpoint);
  if (gitlab) return `https://gitlab.com/${gitlab[1]}/-/raw/${gitlab[2]}${gitlab[3] ?? ''}`;
  return endpoint;
}
