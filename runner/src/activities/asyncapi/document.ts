/**
 * AsyncAPI 2.x/3.x documents → the channel, server and MQTT settings a `call: asyncapi` task
 * names, with @asyncapi/parser. Every file or URL the document (or a `$ref` in it) needs is read
 * by Baton's document reader (egress policy, allowed folder): the library's own readers would
 * reach anything, so they never run. Parsed documents are cached per runner process for a while.
 * The library takes seconds to load, so it is loaded on the first document, not with the worker.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AsyncAPIDocumentInterface, OperationInterface, ChannelInterface, Parser, ServerInterface } from '@asyncapi/parser';
import type { DocumentReader } from '../call-documents.ts';
import { callFailure } from '../call-policy.ts';
import type { AsyncApiCallRequest } from '../../contract/index.ts';
import { accessKey, authorizedReader } from '../resource-access.ts';
import type { ResourceAccess } from '../resource-access.ts';

const CACHE_TTL_MS = 10 * 60_000;
const CACHE_LIMIT = 100;
const DEFAULT_MQTT_PORT = 1883;
/** Server protocols Baton speaks; `secure-mqtt` (TLS) and the others are refused when a document names them. */
const MQTT_PROTOCOLS: Readonly<Record<string, 4 | 5>> = { mqtt: 4, mqtt5: 5 };
/** Error diagnostics (severity 0) make a document unusable; warnings do not. */
const ERROR_SEVERITY = 0;

/** Where and how one task publishes or consumes. */
export interface AsyncApiTarget {
  /** The MQTT topic: the channel's address. */
  readonly topic: string;
  readonly host: string;
  readonly port: number;
  /** MQTT 3.1.1 (4) or 5. */
  readonly protocolVersion: 4 | 5;
  /** The operation's MQTT binding, when it has one. */
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  /** The server's name in the document, for messages. */
  readonly server: string;
}

export interface AsyncApiDocumentCache {
  /** Documents are shared by concurrent callers, so this takes no caller's cancellation (see unlessAborted). */
  target(request: AsyncApiCallRequest, access?: ResourceAccess): Promise<AsyncApiTarget>;
}

export function createAsyncApiDocumentCache(reader: DocumentReader, now: () => number = Date.now): AsyncApiDocumentCache {
  const entries = new Map<string, { readonly parsed: Promise<AsyncAPIDocumentInterface>; readonly at: number }>();
  let parser: Promise<Parser> | undefined;
  const load = (written: string, instance: string, access: ResourceAccess | undefined): Promise<AsyncAPIDocumentInterface> => {
    const location = reader.locate(written, instance);
    const key = accessKey(location, access);
    const cached = entries.get(key);
    if (cached && now() - cached.at < CACHE_TTL_MS) return cached.parsed;
    if (entries.size >= CACHE_LIMIT) entries.clear();
    const parsed = (async () => {
      const authorized = authorizedReader(reader, access, location);
      const text = await authorized.read(location, instance);
      const source = location.kind === 'url' ? location.url.href : pathToFileURL(await reader.allowedFile(location.path, instance)).href;
      parser ??= import('@asyncapi/parser').then((library) => new library.Parser());
      return parse(await parser, authorized, text, source, written, instance);
    })();
    entries.set(key, { parsed, at: now() });
    parsed.catch(() => entries.delete(key));
    return parsed;
  };
  return {
    async target(request, access) {
      const document = await load(request.document, request.taskReference, access);
      return resolveTarget(document, request);
    },
  };
}

async function parse(parser: Parser, reader: DocumentReader, text: string, source: string, written: string, instance: string): Promise<AsyncAPIDocumentInterface> {
  // A failed read answers an empty document (so no reader of the library's takes over) and is thrown after parsing.
  let failedRead: unknown;
  const read = async (uri: { toString(): string }) => {
    try {
      const href = uri.toString();
      const location = href.startsWith('file:') ? { kind: 'file' as const, path: fileURLToPath(href) } : { kind: 'url' as const, url: new URL(href) };
      return await reader.read(location, instance);
    } catch (error) {
      failedRead ??= error;
      return '{}';
    }
  };
  const resolvers = ['file', 'http', 'https'].map((schema) => ({ schema, order: 1, read }));
  let output;
  try {
    output = await parser.parse(text, { source, __unstable: { resolver: { resolvers } } });
  } catch (error) {
    throw invalid(written, (error as Error).message, instance);
  }
  if (failedRead !== undefined) throw failedRead;
  const errors = output.diagnostics.filter((diagnostic) => diagnostic.severity === ERROR_SEVERITY);
  if (!output.document || errors.length > 0) {
    const first = errors[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    throw invalid(written, `${first?.message ?? 'not an AsyncAPI document'}${where}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, instance);
  }
  const major = output.document.version().split('.')[0];
  if (major !== '2' && major !== '3') throw invalid(written, `AsyncAPI ${output.document.version()} is not supported (2.x and 3.x are)`, instance);
  return output.document;
}

function invalid(written: string, detail: string, instance: string) {
  return callFailure({ kind: 'configuration', status: 400, title: 'Invalid AsyncAPI document', detail: `${written}: ${detail.slice(0, 500)}`, instance });
}

function resolveTarget(document: AsyncAPIDocumentInterface, request: AsyncApiCallRequest): AsyncApiTarget {
  const instance = request.taskReference;
  const { operation, channel } = operationAndChannel(document, request);
  const address = channel.address();
  if (address === null || address === undefined || address === '') {
    throw callFailure({ kind: 'configuration', status: 400, title: 'Channel without address', detail: `the channel '${channel.id()}' has no address to publish to or consume from`, instance });
  }
  if (/\{[^}]*\}/.test(address)) {
    throw callFailure({ kind: 'configuration', status: 501, title: 'Channel parameters not supported', detail: `the channel address '${address}' has parameters, which Baton does not fill in yet`, instance });
  }
  const server = chooseServer(document, channel, request);
  const protocolVersion = MQTT_PROTOCOLS[server.protocol()];
  if (protocolVersion === undefined) {
    throw callFailure({ kind: 'configuration', status: 501, title: 'Protocol not supported', detail: `the server '${server.id()}' speaks ${server.protocol()}; Baton speaks ${Object.keys(MQTT_PROTOCOLS).join(', ')}`, instance });
  }
  const { host, port } = serverAddress(server, request, instance);
  const binding = operation?.bindings().get('mqtt')?.value<{ qos?: unknown; retain?: unknown }>();
  const qos = binding?.qos === 1 || binding?.qos === 2 ? binding.qos : 0;
  return {
    topic: address,
    host,
    port,
    protocolVersion: server.protocolVersion() === '5' || server.protocolVersion() === '5.0' ? 5 : protocolVersion,
    qos,
    retain: binding?.retain === true,
    server: server.id(),
  };
}

function operationAndChannel(document: AsyncAPIDocumentInterface, request: AsyncApiCallRequest): { operation?: OperationInterface; channel: ChannelInterface } {
  const instance = request.taskReference;
  const names = (items: readonly { id(): string | undefined }[]) => items.map((item) => `'${item.id() ?? '?'}'`).slice(0, 10).join(', ') || 'none';
  if (request.operation !== undefined) {
    const operation = document.operations().get(request.operation);
    if (!operation) {
      throw callFailure({
        kind: 'configuration',
        status: 404,
        title: 'Unknown operation',
        detail: `the AsyncAPI document has no operation '${request.operation}' (it has ${names(document.operations().all())})`,
        instance,
      });
    }
    const channels = operation.channels().all();
    const chosen = request.channel === undefined ? channels[0] : channels.find((candidate) => candidate.id() === request.channel || candidate.address() === request.channel);
    if (!chosen) {
      throw callFailure({ kind: 'configuration', status: 404, title: 'Unknown channel', detail: `the operation '${request.operation}' uses no channel '${request.channel ?? ''}' (it uses ${names(channels)})`, instance });
    }
    return { operation, channel: chosen };
  }
  const channels = document.channels().all();
  const channel = channels.find((candidate) => candidate.id() === request.channel) ?? channels.find((candidate) => candidate.address() === request.channel);
  if (!channel) {
    throw callFailure({ kind: 'configuration', status: 404, title: 'Unknown channel', detail: `the AsyncAPI document has no channel '${request.channel ?? ''}' (it has ${names(channels)})`, instance });
  }
  // 2.x: a message is sent with the channel's publish operation, a subscription uses its subscribe one (their bindings apply).
  const wanted = request.publish ? ['publish', 'send'] : ['subscribe', 'receive'];
  const operation = channel.operations().all().find((candidate) => wanted.includes(candidate.action())) ?? channel.operations().all()[0];
  return { ...(operation ? { operation } : {}), channel };
}

/** `with.server` by name; else the first of the channel's servers (all of the document's when it names none) speaking `with.protocol`, or any. */
function chooseServer(document: AsyncAPIDocumentInterface, channel: ChannelInterface, request: AsyncApiCallRequest): ServerInterface {
  const instance = request.taskReference;
  const servers = channel.servers().all().length > 0 ? channel.servers().all() : document.servers().all();
  const listed = servers.map((server) => `'${server.id()}' (${server.protocol()})`).join(', ') || 'none';
  if (request.server) {
    const named = servers.find((server) => server.id() === request.server!.name);
    if (!named) {
      throw callFailure({ kind: 'configuration', status: 404, title: 'Unknown server', detail: `the channel '${channel.id()}' is served by no server '${request.server.name}' (it is by ${listed})`, instance });
    }
    return named;
  }
  const chosen = request.protocol === undefined ? servers.find((server) => server.protocol() in MQTT_PROTOCOLS) ?? servers[0] : servers.find((server) => server.protocol() === request.protocol);
  if (!chosen) {
    const wanted = request.protocol === undefined ? '' : ` speaking ${request.protocol}`;
    throw callFailure({ kind: 'configuration', status: 404, title: 'No server', detail: `the channel '${channel.id()}' has no server${wanted} (it has ${listed})`, instance });
  }
  return chosen;
}

/** 3.x `host`, 2.x `url` (with or without a scheme), its `{variables}` from `with.server.variables`, else their defaults. */
function serverAddress(server: ServerInterface, request: AsyncApiCallRequest, instance: string): { host: string; port: number } {
  const given = request.server?.name === server.id() ? request.server.variables : {};
  const written = server.host() || server.url();
  const filled = written.replace(/\{([^}]*)\}/g, (_match, name: string) => {
    const variable = server.variables().get(name);
    const value = Object.hasOwn(given, name) ? given[name] : variable?.defaultValue();
    if (value === undefined) {
      throw callFailure({ kind: 'configuration', status: 400, title: 'Missing server variable', detail: `the server '${server.id()}' needs the variable '${name}', which has no default`, instance });
    }
    const allowed = variable?.allowedValues() ?? [];
    if (allowed.length > 0 && !allowed.includes(value)) {
      throw callFailure({ kind: 'validation', status: 400, title: 'Invalid server variable', detail: `the server variable '${name}' is one of ${allowed.join(', ')}, not '${value}'`, instance });
    }
    return value;
  });
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(filled) ? filled : `mqtt://${filled}`);
  } catch {
    throw callFailure({ kind: 'configuration', status: 400, title: 'Invalid server address', detail: `the server '${server.id()}' is at '${filled}', which is no host and port`, instance });
  }
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port === '' ? DEFAULT_MQTT_PORT : Number(url.port) };
}
