/**
 * An OpenAPI operation and the task's parameters → one HTTP request: each parameter goes where
 * the operation declares it (path, query, header, cookie; Swagger 2.0's body and formData), the
 * `body` parameter is the request body of an operation with a `requestBody`, and the URL comes
 * from the first server of the operation, its path or the document (Swagger 2.0: schemes, host,
 * basePath), relative to where the document was read.
 */
import type { ApplicationFailure } from '@temporalio/common';
import { callFailure } from '../call-policy.ts';
import type { HttpCallRequest } from '../../contract/index.ts';
import type { OpenApiCallRequest } from '../../contract/index.ts';
import type { LoadedDocument, OpenApiDocument, OpenApiServer } from './document.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie' | 'body' | 'formData';
  readonly required?: boolean;
}

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly requestBody?: { readonly required?: boolean; readonly content?: Readonly<Record<string, unknown>> };
  readonly consumes?: readonly string[];
  readonly servers?: readonly OpenApiServer[];
}

export function buildRequest(loaded: LoadedDocument, call: OpenApiCallRequest): HttpCallRequest {
  const instance = call.taskReference;
  const operation = findOperation(loaded.document, call.operationId, instance);
  const values = call.parameters;
  const declared = new Set(operation.parameters.map((parameter) => parameter.name));
  const undeclared = Object.keys(values).filter((name) => !declared.has(name) && !(name === 'body' && operation.requestBody));
  if (undeclared.length > 0) {
    throw invalid(instance, 'Unknown parameter', `operation '${call.operationId}' declares no parameter ${undeclared.map((name) => `'${name}'`).join(', ')}`);
  }
  let path = operation.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const form = new URLSearchParams();
  let body: unknown;
  for (const parameter of operation.parameters) {
    const value = values[parameter.name];
    if (value === undefined || value === null) {
      if (parameter.required) throw invalid(instance, 'Missing parameter', `operation '${call.operationId}' requires the ${parameter.in} parameter '${parameter.name}'`);
      continue;
    }
    switch (parameter.in) {
      case 'path':
        path = path.split(`{${parameter.name}}`).join(encodeURIComponent(text(value)));
        break;
      case 'query':
        for (const item of Array.isArray(value) ? value : [value]) query.append(parameter.name, text(item));
        break;
      case 'header':
        headers[parameter.name] = Array.isArray(value) ? value.map(text).join(',') : text(value);
        break;
      case 'cookie':
        cookies.push(`${parameter.name}=${encodeURIComponent(text(value))}`);
        break;
      case 'body':
        body = value;
        break;
      case 'formData':
        form.append(parameter.name, text(value));
        break;
    }
  }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  if (operation.requestBody) {
    body = values.body;
    if (body === undefined && operation.requestBody.required) throw invalid(instance, 'Missing body', `operation '${call.operationId}' requires a request body: pass it as the parameter 'body'`);
  }
  const contentType = mediaType(operation);
  if (body !== undefined && contentType === 'application/x-www-form-urlencoded' && typeof body === 'object' && body !== null) {
    for (const [name, value] of Object.entries(body)) form.append(name, text(value));
    body = undefined;
  }
  if ([...form.keys()].length > 0) {
    body = form.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (body !== undefined && contentType !== undefined && !('content-type' in headers)) {
    headers['content-type'] = contentType;
    if (typeof body !== 'string' && !/[/+]json\b/.test(contentType)) body = JSON.stringify(body);
  }
  const url = new URL(serverBase(loaded, operation, instance));
  const joined = `${url.pathname.replace(/\/$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
  url.pathname = joined;
  for (const [name, value] of query) url.searchParams.append(name, value);
  return {
    method: operation.method.toUpperCase(),
    uri: url.toString(),
    headers,
    query: {},
    ...(body !== undefined ? { body } : {}),
    output: call.output,
    redirect: call.redirect,
    taskReference: instance,
  };
}

function findOperation(document: OpenApiDocument, operationId: string, instance: string): Operation {
  const known: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as (Omit<Operation, 'method' | 'path'> & { operationId?: string }) | undefined;
      if (!operation || typeof operation !== 'object') continue;
      if (operation.operationId !== operationId) {
        if (typeof operation.operationId === 'string') known.push(operation.operationId);
        continue;
      }
      // Path-level parameters apply unless the operation redeclares the same name and place.
      const own = operation.parameters ?? [];
      const shared = ((item.parameters ?? []) as readonly Parameter[]).filter((p) => !own.some((o) => o.name === p.name && o.in === p.in));
      return {
        ...operation,
        method,
        path,
        parameters: [...shared, ...own],
        ...(operation.servers ?? item.servers ? { servers: (operation.servers ?? item.servers) as readonly OpenApiServer[] } : {}),
      };
    }
  }
  const sample = known.slice(0, 10).map((id) => `'${id}'`).join(', ');
  throw callFailure({
    kind: 'configuration',
    status: 404,
    title: 'Unknown operation',
    detail: `the document has no operation '${operationId}'${sample ? ` (it has ${sample}${known.length > 10 ? ' …' : ''})` : ''}`,
    instance,
  });
}

/** The request body's media type: JSON when offered, else the first the operation lists. */
function mediaType(operation: Operation): string | undefined {
  const offered = operation.requestBody?.content ? Object.keys(operation.requestBody.content) : [...(operation.consumes ?? [])];
  return offered.find((type) => /[/+]json\b/.test(type)) ?? offered[0] ?? (operation.requestBody || operation.parameters.some((p) => p.in === 'body') ? 'application/json' : undefined);
}

function serverBase(loaded: LoadedDocument, operation: Operation, instance: string): string {
  const { document, location } = loaded;
  const from = location.kind === 'url' ? location.url : undefined;
  let base: string;
  if (document.swagger !== undefined) {
    const scheme = (document.schemes ?? [])[0] ?? from?.protocol.replace(':', '') ?? 'https';
    const host = document.host ?? from?.host;
    if (!host) throw noServer(instance, 'the Swagger document names no `host` and was read from a file');
    base = `${scheme}://${host}${document.basePath ?? ''}`;
  } else {
    const server = (operation.servers ?? document.servers ?? [])[0] ?? { url: '/' };
    base = server.url.replace(/\{([^}]+)\}/g, (_match, name: string) => server.variables?.[name]?.default ?? '');
  }
  try {
    return new URL(base, from).toString();
  } catch {
    throw noServer(instance, `the server URL '${base}' is relative and the document was read from a file`);
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function invalid(instance: string, title: string, detail: string): ApplicationFailure {
  return callFailure({ kind: 'validation', status: 400, title, detail, instance });
}

function noServer(instance: string, why: string): ApplicationFailure {
  return callFailure({ kind: 'configuration', status: 400, title: 'No server', detail: why, instance });
}
