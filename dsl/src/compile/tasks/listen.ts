/**
 * `listen`: wait for events (`to.one`, `to.any` with `until`, `to.all`), read as data, envelope or
 * raw, optionally processed one by one (`foreach`). The event attributes of a filter other than
 * `data` are literals or expressions evaluated when the task starts; `data` is a literal the
 * event's data must contain or an expression tested against it (docs/events.md).
 */
import { joinPointer } from '../../parse/pointer.ts';
import type { EventConsumption, EventCorrelation, EventFilterSpec, ListenTask } from '../../plan.ts';
import type { CompileContext } from '../context.ts';
import { dataExport, dataOut } from '../data.ts';
import { atSite, extendScope, isStrictExpression, runtimeExpression, template } from '../expressions.ts';
import type { Scope } from '../expressions.ts';
import { compileTaskList } from '../task-list.ts';
import type { TaskCompiler, TaskSite } from '../task-site.ts';
import { asArray, asObject, asString } from '../../document/values.ts';
import { variableName } from './for.ts';

const READ_MODES = ['data', 'envelope', 'raw'] as const;

/** The specification's `listen`; Zigflow's dialect has its own (listen-temporal.ts). */
export const listenTask: TaskCompiler = (site, base): ListenTask | undefined => {
  const { ctx, pointer, scope } = site;
  const listen = asObject(site.body.listen);
  if (!listen) return undefined;
  const at = joinPointer(pointer, 'listen');
  const to = consumption(ctx, listen.to, joinPointer(at, 'to'), scope, true);
  const written = asString(listen.read) ?? 'data';
  const read = READ_MODES.find((mode) => mode === written) ?? 'data';
  const foreach = iterator(site);
  if (!to) return undefined;
  return { ...base, kind: 'listen', to, read, ...(foreach ? { foreach } : {}) };
};

function consumption(ctx: CompileContext, value: unknown, pointer: string, scope: Scope, mayHaveUntil: boolean): EventConsumption | undefined {
  const strategy = asObject(value);
  if (!strategy) return undefined;
  if (strategy.one !== undefined) {
    const filter = eventFilter(ctx, strategy.one, joinPointer(pointer, 'one'), scope);
    return filter ? { kind: 'one', filter } : undefined;
  }
  if (strategy.all !== undefined) {
    return { kind: 'all', filters: filters(ctx, strategy.all, joinPointer(pointer, 'all'), scope) };
  }
  if (strategy.any === undefined) return undefined;
  const any = filters(ctx, strategy.any, joinPointer(pointer, 'any'), scope);
  if (strategy.until === undefined || !mayHaveUntil) return { kind: 'any', filters: any };
  const untilPointer = joinPointer(pointer, 'until');
  if (typeof strategy.until === 'string') {
    // `.` is the array of events consumed so far (as read).
    const expr = runtimeExpression(ctx, strategy.until, untilPointer, scope);
    return expr ? { kind: 'any', filters: any, until: { kind: 'condition', expr } } : undefined;
  }
  const consume = consumption(ctx, strategy.until, untilPointer, scope, false);
  return consume ? { kind: 'any', filters: any, until: { kind: 'events', consume } } : undefined;
}

function filters(ctx: CompileContext, value: unknown, pointer: string, scope: Scope): EventFilterSpec[] {
  return (asArray(value) ?? []).flatMap((item, index) => eventFilter(ctx, item, joinPointer(pointer, index), scope) ?? []);
}

function eventFilter(ctx: CompileContext, value: unknown, pointer: string, scope: Scope): EventFilterSpec | undefined {
  const filter = asObject(value);
  const properties = asObject(filter?.with);
  if (!filter || !properties) return undefined;
  const withPointer = joinPointer(pointer, 'with');
  const attributes = Object.entries(properties)
    .filter(([name]) => name !== 'data')
    .map(([name, attribute]) => [name, template(ctx, attribute, joinPointer(withPointer, name), scope)] as const);
  const data = properties.data;
  const dataSpec =
    data === undefined
      ? undefined
      : isStrictExpression(data)
        ? { kind: 'test' as const, expr: runtimeExpression(ctx, data, joinPointer(withPointer, 'data'), scope)! }
        : { kind: 'contains' as const, value: data };
  const correlate: EventCorrelation[] = [];
  const correlatePointer = joinPointer(pointer, 'correlate');
  for (const [name, raw] of Object.entries(asObject(filter.correlate) ?? {})) {
    const property = asObject(raw);
    const from = runtimeExpression(ctx, property?.from, joinPointer(correlatePointer, name, 'from'), scope);
    if (!property || !from) continue;
    const expect = property.expect === undefined ? undefined : template(ctx, property.expect, joinPointer(correlatePointer, name, 'expect'), scope);
    correlate.push({ name, from, ...(expect ? { expect } : {}) });
  }
  return { attributes, ...(dataSpec ? { data: dataSpec } : {}), correlate };
}

function iterator(site: TaskSite): ListenTask['foreach'] {
  const { ctx, pointer, scope } = site;
  const foreach = asObject(site.body.foreach);
  if (!foreach) return undefined;
  const at = joinPointer(pointer, 'foreach');
  const item = variableName(ctx, foreach.item, 'item', joinPointer(at, 'item'));
  const index = variableName(ctx, foreach.at, 'index', joinPointer(at, 'at'));
  const inner = extendScope(scope, item, index);
  return {
    item,
    at: index,
    do: compileTaskList(ctx, foreach.do, joinPointer(at, 'do'), inner, site.siblings),
    output: dataOut(ctx, foreach.output, joinPointer(at, 'output'), atSite(inner, 'taskOutput')),
    export: dataExport(ctx, foreach.export, joinPointer(at, 'export'), atSite(inner, 'taskExport')),
  };
}
