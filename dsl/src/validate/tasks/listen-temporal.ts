/**
 * Zigflow's `listen`: in a dialect document, `listen.to` names Temporal messages rather than
 * CloudEvents. Each filter's `with` says which: `id` is the message name callers use, `type` one of
 * `signal`, `query`, `update`; `acceptIf` decides whether a signal or update completes its listener,
 * `data` is what a query or update answers. Everything else a CloudEvents filter may say has no
 * effect on a Temporal message, so it is refused rather than silently dropped.
 */
import { isStrictExpression, strictExpression } from '../../document/expression-checker.ts';
import { filtersOf, MESSAGE_KINDS, RESERVED_MESSAGE_NAMES } from '../../document/temporal-listen.ts';
import type { Strategy, TemporalMessageKind } from '../../document/temporal-listen.ts';
import { joinPointer } from '../../parse/pointer.ts';
import { dialectProgram, ZIGFLOW_UUID_VARIABLE } from '../../runtime-arguments.ts';
import type { ValidationContext } from '../context.ts';
import { checkActivityDuration } from '../activity-options.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { didYouMean } from '../../document/suggest.ts';
import { asArray, asObject } from '../../document/values.ts';

/** Temporal keeps `__`-prefixed names for itself (`__stack_trace`, `__temporal_…`). */
const TEMPORAL_PREFIX = '__';

const FILTER_FIELDS: Readonly<Record<TemporalMessageKind, readonly string[]>> = {
  signal: ['id', 'type', 'acceptIf'],
  query: ['id', 'type', 'data'],
  update: ['id', 'type', 'acceptIf', 'data'],
};

interface Listener {
  readonly kind: TemporalMessageKind;
  readonly name: string;
}

export function checkTemporalListen(site: TaskSite): void {
  const { ctx } = site;
  const pointer = joinPointer(site.pointer, 'listen');
  const listen = asObject(site.body.listen);
  if (!listen) return;
  if (Object.hasOwn(listen, 'read')) noEffect(ctx, joinPointer(pointer, 'read'), '`listen.read`');
  if (Object.hasOwn(site.body, 'foreach')) noEffect(ctx, joinPointer(site.pointer, 'foreach'), '`foreach`');
  const to = asObject(listen.to);
  if (!to) return;
  const toPointer = joinPointer(pointer, 'to');
  if (Object.hasOwn(to, 'until')) noEffect(ctx, joinPointer(toPointer, 'until'), '`until`');
  const strategy = filtersOf(to, toPointer);
  if (!strategy) return;
  if (strategy.filters.length === 0) {
    ctx.error('SW307', strategy.pointer, 'a Zigflow listen needs at least one message to listen for', { atKey: true });
    return;
  }
  const listeners = strategy.filters.map(({ value, at }) => checkListener(site, value, at));
  if (listeners.some((item) => item === undefined)) return;
  const checked = listeners as Listener[];
  if (!distinctNames(ctx, checked, strategy)) return;
  const queries = checked.filter((item) => item.kind === 'query').length;
  if (queries > 0 && queries < checked.length) {
    ctx.error('SW307', strategy.pointer, 'a listen that answers a query never waits, so the signals and updates beside it would never be received', {
      atKey: true,
      hint: 'put the query in a listen task of its own, before the task that waits',
    });
    return;
  }
  checkTimeout(site, queries > 0);
}

function checkListener(site: TaskSite, value: unknown, pointer: string): Listener | undefined {
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
  const accepted = Object.hasOwn(properties, 'acceptIf') ? checkAcceptCondition(ctx, properties.acceptIf, joinPointer(withPointer, 'acceptIf'), site) : true;
  if (Object.hasOwn(properties, 'data')) checkTemplate(ctx, properties.data, joinPointer(withPointer, 'data'), site.scope);
  if (!accepted || !clean) return undefined;
  if (kind === 'query' && Object.hasOwn(properties, 'data') && readsVariable(ctx, properties.data, ZIGFLOW_UUID_VARIABLE)) {
    // A query is answered outside the history: drawing from the workflow's random stream there would make the next task's uuid differ on replay.
    ctx.error('SW307', joinPointer(withPointer, 'data'), "a query's answer cannot use `uuid`: queries are not recorded, and drawing one would change the workflow's next uuid on replay", {
      hint: 'set the value in a task (`set: { id: ${ uuid } }`) and answer `${ $data.id }`',
    });
    return undefined;
  }
  return { kind, name };
}

function messageKind(ctx: ValidationContext, value: unknown, pointer: string): TemporalMessageKind | undefined {
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

function messageName(ctx: ValidationContext, value: unknown, pointer: string, kind: TemporalMessageKind | undefined): string | undefined {
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
function checkAcceptCondition(ctx: ValidationContext, value: unknown, pointer: string, site: TaskSite): boolean {
  if (typeof value === 'boolean') return true;
  if (isStrictExpression(value)) {
    checkTemplate(ctx, value, pointer, site.scope);
    return true;
  }
  ctx.error('SW307', pointer, 'acceptIf must be true, false or one `${ }` expression giving a boolean', {
    ...(typeof value === 'string' ? { hint: `write it as \${ ${value} }` } : {}),
  });
  return false;
}

function distinctNames(ctx: ValidationContext, listeners: readonly Listener[], strategy: Strategy): boolean {
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

/** Zigflow's `metadata.timeout`: how long signal and update listeners wait; none on a listen that only answers queries. */
function checkTimeout(site: TaskSite, queriesOnly: boolean): void {
  const metadata = asObject(site.body.metadata);
  const at = joinPointer(site.pointer, 'metadata', 'timeout');
  if (!metadata || !Object.hasOwn(metadata, 'timeout')) return;
  if (queriesOnly) {
    noEffect(site.ctx, at, 'a timeout on a listen that only answers queries (it never waits)');
    return;
  }
  const ms = checkActivityDuration(site.ctx, metadata.timeout, at);
  if (ms !== undefined && ms <= 0) site.ctx.error('SW307', at, 'the listen timeout must be longer than zero');
}

function noEffect(ctx: ValidationContext, pointer: string, what: string, hint?: string): void {
  ctx.error('SW307', pointer, `${what} has no effect on a Zigflow listen, which receives Temporal messages`, { atKey: true, ...(hint ? { hint } : {}) });
}

/** Whether any `${ }` expression in the value reads `variable`. */
function readsVariable(ctx: ValidationContext, value: unknown, variable: string): boolean {
  if (typeof value === 'string') {
    const source = strictExpression(value);
    if (source === undefined) return false;
    const result = ctx.expressions.check(dialectProgram(source, ctx.dialect));
    return result.ok && result.freeVariables.some((name) => name === variable || name === `$${variable}`);
  }
  const items = asArray(value) ?? Object.values(asObject(value) ?? {});
  return items.some((item) => readsVariable(ctx, item, variable));
}
