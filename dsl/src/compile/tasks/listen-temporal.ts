/**
 * Zigflow's `listen`: in a dialect document, `listen.to` names Temporal messages rather than
 * CloudEvents. Each filter's `with` says which: `id` is the message name callers use, `type` one of
 * `signal`, `query`, `update`; `acceptIf` decides whether a signal or update completes its listener,
 * `data` is what a query or update answers. Everything else a CloudEvents filter may say has no
 * effect on a Temporal message, so it is refused rather than silently dropped.
 */
import { durationMs } from '../activity-options.ts';
import { joinPointer } from '../../parse/pointer.ts';
import { ZIGFLOW_LISTEN_TIMEOUT_MS } from '../../plan.ts';
import type { TemporalListener, TemporalListenTask, Template } from '../../plan.ts';
import { ZIGFLOW_UUID_VARIABLE } from '../../runtime-arguments.ts';
import type { CompileContext } from '../context.ts';
import { isStrictExpression, strictExpression, template } from '../expressions.ts';
import type { TaskCompiler, TaskSite } from '../task-site.ts';
import { didYouMean } from '../../document/suggest.ts';
import { asArray, asObject } from '../../document/values.ts';

export type TemporalMessageKind = TemporalListener['kind'];

const MESSAGE_KINDS: readonly TemporalMessageKind[] = ['signal', 'query', 'update'];

/**
 * The names Baton's interpreter already answers to, per kind of message (runner/src/contract; a
 * runner test keeps the two in step). A listener with one of them would take over the runner's
 * own status query, pause or callback handling.
 */
export const RESERVED_MESSAGE_NAMES: Readonly<Record<TemporalMessageKind, readonly string[]>> = {
  signal: ['pause', 'resume', 'retargetCallback', 'batonCallerCancelled', 'batonCancelReason'],
  query: ['status'],
  update: ['batonPause', 'batonResume', 'batonCancel', 'batonRetargetCallback', 'batonPrepareTermination'],
};

/** Temporal keeps `__`-prefixed names for itself (`__stack_trace`, `__temporal_…`). */
const TEMPORAL_PREFIX = '__';

const FILTER_FIELDS: Readonly<Record<TemporalMessageKind, readonly string[]>> = {
  signal: ['id', 'type', 'acceptIf'],
  query: ['id', 'type', 'data'],
  update: ['id', 'type', 'acceptIf', 'data'],
};

/**
 * `listen` in a Zigflow document compiles to Temporal listeners; in a specification document it
 * is the specification's, compiled by `specListen`.
 */
export function zigflowListenOr(specListen: TaskCompiler): TaskCompiler {
  return (site, base) => (site.ctx.dialect === 'zigflow' ? temporalListenTask(site, base) : specListen(site, base));
}

const temporalListenTask: TaskCompiler = (site, base): TemporalListenTask | undefined => {
  const { ctx } = site;
  const pointer = joinPointer(site.pointer, 'listen');
  const listen = asObject(site.body.listen);
  if (!listen) return undefined;
  if (Object.hasOwn(listen, 'read')) noEffect(ctx, joinPointer(pointer, 'read'), '`listen.read`');
  if (Object.hasOwn(site.body, 'foreach')) noEffect(ctx, joinPointer(site.pointer, 'foreach'), '`foreach`');
  const to = asObject(listen.to);
  if (!to) return undefined;
  const toPointer = joinPointer(pointer, 'to');
  if (Object.hasOwn(to, 'until')) noEffect(ctx, joinPointer(toPointer, 'until'), '`until`');
  const strategy = filtersOf(to, toPointer);
  if (!strategy) return undefined;
  if (strategy.filters.length === 0) {
    ctx.error('SW307', strategy.pointer, 'a Zigflow listen needs at least one message to listen for', { atKey: true });
    return undefined;
  }
  const listeners = strategy.filters.map(({ value, at }) => listener(site, value, at));
  if (listeners.some((item) => item === undefined)) return undefined;
  const compiled = listeners as TemporalListener[];
  if (!distinctNames(ctx, compiled, strategy)) return undefined;
  const queries = compiled.filter((item) => item.kind === 'query').length;
  if (queries > 0 && queries < compiled.length) {
    ctx.error('SW307', strategy.pointer, 'a listen that answers a query never waits, so the signals and updates beside it would never be received', {
      atKey: true,
      hint: 'put the query in a listen task of its own, before the task that waits',
    });
    return undefined;
  }
  const timeout = timeoutMs(site, queries > 0);
  if (timeout === null) return undefined;
  return {
    ...base,
    kind: 'listen.temporal',
    listeners: compiled,
    until: strategy.until,
    ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
  };
};

interface Strategy {
  readonly until: 'all' | 'any';
  readonly pointer: string;
  readonly filters: readonly { readonly value: unknown; readonly at: string }[];
}

/** `all` and `one` wait for every listener (Zigflow treats `one` as `all` of one), `any` for the first. */
function filtersOf(to: Readonly<Record<string, unknown>>, pointer: string): Strategy | undefined {
  if (Object.hasOwn(to, 'one')) return { until: 'all', pointer: joinPointer(pointer, 'one'), filters: [{ value: to.one, at: joinPointer(pointer, 'one') }] };
  for (const key of ['all', 'any'] as const) {
    const list = asArray(to[key]);
    if (!list) continue;
    const at = joinPointer(pointer, key);
    return { until: key, pointer: at, filters: list.map((value, index) => ({ value, at: joinPointer(at, index) })) };
  }
  return undefined;
}

function listener(site: TaskSite, value: unknown, pointer: string): TemporalListener | undefined {
  const { ctx } = site;
  const filter = asObject(value);
  if (!filter) return undefined;
  if (Object.hasOwn(filter, 'correlate')) noEffect(ctx, joinPointer(pointer, 'correlate'), '`correlate`');
  const withPointer = joinPointer(pointer, 'with');
  const properties = asObject(filter.with);
  if (!properties) {
    ctx.error('SW307', pointer, 'each Zigflow listener needs `with.id` and `with.type`');
    return undefined;
  }
  const kind = messageKind(ctx, properties.type, withPointer);
  const name = messageName(ctx, properties.id, withPointer, kind);
  if (!kind || name === undefined) return undefined;
  let clean = true;
  for (const key of Object.keys(properties)) {
    if (FILTER_FIELDS[kind].includes(key)) continue;
    noEffect(ctx, joinPointer(withPointer, key), `\`${key}\` on a ${kind}`, didYouMean(key, FILTER_FIELDS[kind]));
    clean = false;
  }
  const scope = site.scope;
  const acceptIf = Object.hasOwn(properties, 'acceptIf') ? acceptCondition(ctx, properties.acceptIf, joinPointer(withPointer, 'acceptIf'), scope) : undefined;
  const reply = Object.hasOwn(properties, 'data') ? template(ctx, properties.data, joinPointer(withPointer, 'data'), scope) : undefined;
  if (acceptIf === null || !clean) return undefined;
  if (kind === 'query' && reply && readsVariable(ctx, reply, ZIGFLOW_UUID_VARIABLE)) {
    // A query is answered outside the history: drawing from the workflow's random stream there would make the next task's uuid differ on replay.
    ctx.error('SW307', joinPointer(withPointer, 'data'), "a query's answer cannot use `uuid`: queries are not recorded, and drawing one would change the workflow's next uuid on replay", {
      hint: 'set the value in a task (`set: { id: ${ uuid } }`) and answer `${ $data.id }`',
    });
    return undefined;
  }
  switch (kind) {
    case 'signal':
      return { kind, name, ...(acceptIf ? { acceptIf } : {}) };
    case 'update':
      return { kind, name, ...(acceptIf ? { acceptIf } : {}), ...(reply ? { reply } : {}) };
    case 'query':
      return { kind, name, ...(reply ? { reply } : {}) };
  }
}

function messageKind(ctx: CompileContext, value: unknown, pointer: string): TemporalMessageKind | undefined {
  const at = joinPointer(pointer, 'type');
  if (value === undefined) {
    ctx.error('SW307', pointer, 'a Zigflow listener needs `type`: signal, query or update', { atKey: true });
    return undefined;
  }
  if (typeof value === 'string' && (MESSAGE_KINDS as readonly string[]).includes(value)) return value as TemporalMessageKind;
  ctx.error('SW307', at, `'${String(value)}' is not a kind of Temporal message a Zigflow listen can receive`, {
    hint: didYouMean(String(value), MESSAGE_KINDS) ?? `one of: ${MESSAGE_KINDS.join(', ')}`,
  });
  return undefined;
}

function messageName(ctx: CompileContext, value: unknown, pointer: string, kind: TemporalMessageKind | undefined): string | undefined {
  const at = joinPointer(pointer, 'id');
  if (typeof value !== 'string' || value.trim() === '') {
    ctx.error('SW307', value === undefined ? pointer : at, 'a Zigflow listener needs `id`: the name callers send the message by', { atKey: value === undefined });
    return undefined;
  }
  if (strictExpression(value) !== undefined) {
    ctx.error('SW307', at, 'the message name is registered when the task starts and must be written, not computed');
    return undefined;
  }
  if (value.startsWith(TEMPORAL_PREFIX)) {
    ctx.error('SW307', at, `names starting with '${TEMPORAL_PREFIX}' are Temporal's own`);
    return undefined;
  }
  if (kind && RESERVED_MESSAGE_NAMES[kind].includes(value)) {
    ctx.error('SW307', at, `'${value}' is a ${kind} Baton's runner already answers to`, { hint: 'choose another name' });
    return undefined;
  }
  return value;
}

/** A written boolean, or one `${ }` expression; anything else would never accept (Zigflow accepts only `true`). */
function acceptCondition(ctx: CompileContext, value: unknown, pointer: string, scope: TaskSite['scope']): Template | null {
  if (typeof value === 'boolean') return { kind: 'literal', value };
  if (isStrictExpression(value)) return template(ctx, value, pointer, scope);
  ctx.error('SW307', pointer, 'acceptIf must be true, false or one `${ }` expression giving a boolean', {
    ...(typeof value === 'string' ? { hint: `write it as \${ ${value} }` } : {}),
  });
  return null;
}

function distinctNames(ctx: CompileContext, listeners: readonly TemporalListener[], strategy: Strategy): boolean {
  const seen = new Set<string>();
  let distinct = true;
  listeners.forEach((item, index) => {
    const key = `${item.kind}:${item.name}`;
    if (seen.has(key)) {
      ctx.error('SW307', joinPointer(strategy.filters[index]!.at, 'with', 'id'), `this listen already has a ${item.kind} named '${item.name}'`);
      distinct = false;
    }
    seen.add(key);
  });
  return distinct;
}

/** Zigflow's `metadata.timeout`: how long signal and update listeners wait; undefined for queries, null when invalid. */
function timeoutMs(site: TaskSite, queriesOnly: boolean): number | undefined | null {
  const metadata = asObject(site.body.metadata);
  const at = joinPointer(site.pointer, 'metadata', 'timeout');
  if (!metadata || !Object.hasOwn(metadata, 'timeout')) return queriesOnly ? undefined : ZIGFLOW_LISTEN_TIMEOUT_MS;
  if (queriesOnly) {
    noEffect(site.ctx, at, 'a timeout on a listen that only answers queries (it never waits)');
    return null;
  }
  const ms = durationMs(site.ctx, metadata.timeout, at);
  if (ms === undefined) return null;
  if (ms <= 0) {
    site.ctx.error('SW307', at, 'the listen timeout must be longer than zero');
    return null;
  }
  return ms;
}

function noEffect(ctx: CompileContext, pointer: string, what: string, hint?: string): void {
  ctx.error('SW307', pointer, `${what} has no effect on a Zigflow listen, which receives Temporal messages`, { atKey: true, ...(hint ? { hint } : {}) });
}

function readsVariable(ctx: CompileContext, value: Template, variable: string): boolean {
  switch (value.kind) {
    case 'literal':
      return false;
    case 'expr': {
      const result = ctx.expressions.check(value.expr.jq);
      return result.ok && result.freeVariables.some((name) => name === variable || name === `$${variable}`);
    }
    case 'object':
      return value.entries.some(([, entry]) => readsVariable(ctx, entry, variable));
    case 'array':
      return value.items.some((item) => readsVariable(ctx, item, variable));
  }
}
