/**
 * `.proto` files → gRPC method definitions, with @grpc/proto-loader. A file is read from the
 * allowed documents folder, a URL through the egress policy (its text is loaded from a private
 * temporary folder). Imports may name only files beside it or Google's well-known types: an
 * absolute or `..` import could otherwise read any file of the runner's host. Loaded definitions
 * are cached per runner process for a while.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import type { MethodDefinition, PackageDefinition } from '@grpc/proto-loader';
import type { DocumentReader } from '../call-documents.ts';
import { callFailure } from '../call-policy.ts';
import { accessKey, authorizedReader } from '../resource-access.ts';
import type { ResourceAccess } from '../resource-access.ts';

const CACHE_TTL_MS = 10 * 60_000;
const CACHE_LIMIT = 100;
const IMPORT = /^\s*import\s+(?:public\s+|weak\s+)?["']([^"']+)["']/gm;

/** JSON-friendly messages: 64-bit integers and enums as strings, bytes as base64, defaults filled. */
const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, bytes: String, defaults: true, oneofs: true } as const;

export type AnyMethod = MethodDefinition<object, object>;

export interface ProtoCache {
  /** Definitions are shared by concurrent callers, so this takes no caller's cancellation (see unlessAborted). */
  method(written: string, service: string, method: string, instance: string, access?: ResourceAccess): Promise<AnyMethod>;
}

export function createProtoCache(reader: DocumentReader, now: () => number = Date.now): ProtoCache {
  const entries = new Map<string, { readonly loaded: Promise<PackageDefinition>; readonly at: number }>();
  const load = (written: string, instance: string, access: ResourceAccess | undefined): Promise<PackageDefinition> => {
    const location = reader.locate(written, instance);
    const key = accessKey(location, access);
    const cached = entries.get(key);
    if (cached && now() - cached.at < CACHE_TTL_MS) return cached.loaded;
    if (entries.size >= CACHE_LIMIT) entries.clear();
    const loaded = (async () => {
      const text = await authorizedReader(reader, access, location).read(location, instance);
      checkImports(text, written, instance);
      if (location.kind === 'file') return parse(await reader.allowedFile(location.path, instance), written, instance);
      const folder = await mkdtemp(join(tmpdir(), 'baton-proto-'));
      try {
        const file = join(folder, 'service.proto');
        await writeFile(file, text);
        return parse(file, written, instance);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    })();
    entries.set(key, { loaded, at: now() });
    loaded.catch(() => entries.delete(key));
    return loaded;
  };
  return {
    async method(written, service, method, instance, access) {
      const definition = await load(written, instance, access);
      const services = Object.entries(definition).filter(([, value]) => !('format' in value) && !('type' in value));
      const found = services.find(([name]) => name === service) ?? onlyOne(services.filter(([name]) => name.endsWith(`.${service}`)));
      if (!found) {
        const names = services.map(([name]) => `'${name}'`).join(', ') || 'none';
        throw callFailure({ kind: 'configuration', status: 404, title: 'Unknown service', detail: `${written} defines no service '${service}' (it defines ${names})`, instance });
      }
      const methods = found[1] as unknown as Record<string, AnyMethod>;
      const definitionOf = Object.hasOwn(methods, method) ? methods[method] : undefined;
      if (!definitionOf) {
        throw callFailure({ kind: 'configuration', status: 404, title: 'Unknown method', detail: `the service '${found[0]}' has no method '${method}' (it has ${Object.keys(methods).map((name) => `'${name}'`).join(', ')})`, instance });
      }
      if (definitionOf.requestStream || definitionOf.responseStream) {
        throw callFailure({ kind: 'configuration', status: 400, title: 'Streaming method', detail: `'${found[0]}/${method}' streams; Baton calls unary methods only`, instance });
      }
      return definitionOf;
    },
  };
}

function onlyOne<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

function checkImports(text: string, written: string, instance: string): void {
  for (const [, path] of text.matchAll(IMPORT)) {
    if (path!.startsWith('google/protobuf/')) continue;
    if (path!.startsWith('/') || path!.split(/[\\/]/).includes('..') || /^[a-z]:/i.test(path!)) {
      throw callFailure({ kind: 'configuration', status: 400, title: 'Invalid proto', detail: `${written} imports '${path}': imports must stay beside the file`, instance });
    }
  }
}

function parse(file: string, written: string, instance: string): PackageDefinition {
  try {
    return loadSync(file, { ...LOADER_OPTIONS, includeDirs: [dirname(file)] });
  } catch (error) {
    throw callFailure({ kind: 'configuration', status: 400, title: 'Invalid proto', detail: `${written}: ${(error as Error).message.replace(file, written).slice(0, 500)}`, instance });
  }
}
