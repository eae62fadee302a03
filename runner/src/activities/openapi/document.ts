/**
 * OpenAPI 3.x and Swagger 2.0 documents, JSON or YAML, with every `$ref` resolved by
 * @apidevtools/json-schema-ref-parser (the resolver under swagger-parser, used directly: measured
 * on swagger-parser 13.1.0, it rewrites relative server URLs against the document's host name
 * and drops its port). The parser's own readers are off: each file or URL it needs (the
 * document and what its `$ref`s point to) is read through the DocumentReader, so the egress
 * policy and the documents folder apply to all of them. Parsed documents are cached per runner
 * process for a while, never put in history.
 */
import { dereference } from '@apidevtools/json-schema-ref-parser';
import type { ParserOptions } from '@apidevtools/json-schema-ref-parser';
import { ApplicationFailure } from '@temporalio/common';
import { fileURLToPath } from 'node:url';
import type { DocumentLocation, DocumentReader } from '../call-documents.ts';
import { callFailure } from '../call-policy.ts';
import { accessKey, authorizedReader } from '../resource-access.ts';
import type { ResourceAccess } from '../resource-access.ts';

/** The parts of a dereferenced document Baton reads; the rest is kept as the parser gives it. */
export interface OpenApiDocument {
  readonly openapi?: string;
  readonly swagger?: string;
  readonly host?: string;
  readonly basePath?: string;
  readonly schemes?: readonly string[];
  readonly servers?: readonly OpenApiServer[];
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface OpenApiServer {
  readonly url: string;
  readonly variables?: Readonly<Record<string, { readonly default?: string }>>;
}

export interface LoadedDocument {
  readonly document: OpenApiDocument;
  /** Where it was read from: server URLs are relative to it. */
  readonly location: DocumentLocation;
}

const CACHE_TTL_MS = 10 * 60_000;
const CACHE_LIMIT = 100;

export interface DocumentCache {
  /** Shared by concurrent callers, so it takes no caller's cancellation (see unlessAborted). */
  load(written: string, instance: string, access?: ResourceAccess): Promise<LoadedDocument>;
}

export function createDocumentCache(reader: DocumentReader, now: () => number = Date.now): DocumentCache {
  const entries = new Map<string, { readonly loaded: Promise<LoadedDocument>; readonly at: number }>();
  return {
    load(written, instance, access) {
      const location = reader.locate(written, instance);
      const key = accessKey(location, access);
      const cached = entries.get(key);
      if (cached && now() - cached.at < CACHE_TTL_MS) return cached.loaded;
      if (entries.size >= CACHE_LIMIT) entries.clear();
      const loaded = parse(authorizedReader(reader, access, location), location, instance);
      entries.set(key, { loaded, at: now() });
      // Failures are not remembered: the next attempt reads again.
      loaded.catch(() => entries.delete(key));
      return loaded;
    },
  };
}

async function parse(reader: DocumentReader, location: DocumentLocation, instance: string): Promise<LoadedDocument> {
  let readFailure: unknown;
  const readThrough = async (file: { url: string }): Promise<string> => {
    try {
      const target: DocumentLocation = /^https?:/i.test(file.url)
        ? { kind: 'url', url: new URL(file.url) }
        : { kind: 'file', path: file.url.startsWith('file:') ? fileURLToPath(file.url) : file.url };
      return await reader.read(target, instance);
    } catch (error) {
      readFailure ??= error;
      throw error;
    }
  };
  const root = location.kind === 'url' ? location.url.href : location.path;
  let document: unknown;
  try {
    const options = {
      resolve: {
        file: false,
        http: false,
        baton: { order: 1, canRead: true, read: readThrough },
      },
    } as unknown as ParserOptions;
    document = await dereference(root, options);
  } catch (error) {
    if (readFailure instanceof ApplicationFailure) throw readFailure;
    throw invalidDocument(root, (error as Error).message, instance);
  }
  const parsed = document as Partial<OpenApiDocument> | undefined;
  const version = parsed?.openapi ?? parsed?.swagger;
  if (typeof version !== 'string' || !(/^3\./.test(version) || version === '2.0')) {
    throw invalidDocument(root, 'it is neither OpenAPI 3.x (`openapi: 3.…`) nor Swagger 2.0 (`swagger: "2.0"`)', instance);
  }
  if (typeof parsed?.paths !== 'object' || parsed.paths === null) throw invalidDocument(root, 'it has no `paths`', instance);
  return { document: parsed as OpenApiDocument, location };
}

function invalidDocument(root: string, why: string, instance: string): ApplicationFailure {
  return callFailure({ kind: 'configuration', status: 400, title: 'Invalid OpenAPI document', detail: `${root}: ${why.slice(0, 500)}`, instance });
}
