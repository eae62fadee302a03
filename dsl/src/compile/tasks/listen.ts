/**
 * `listen`: wait for events (`to.one`, `to.any` with `until`, `to.all`), read as data, envelope or
 * raw, optionally processed one by one (`foreach`). The event attributes of a filter other than
 * `data` are literals or expressions evaluated when the task starts; `data` is a literal the
 * event's data must contain or an expression tested against it (docs/events.md).
 */
import { isStrictExpression } from '../../document/expression-checker.ts';
import { variableName } from '../../document/variable-name.ts';
import { joinPointer } from '../../parse/pointer.ts';
import type { EventConsumption, EventCorrelation, EventFilterSpec, ListenTask } from '../../plan.ts';
import type { CompileContext } from '../context.ts';
import { dataExport, dataOut } from '../data.ts';
import { runtimeExpression, template } from '../expressions.ts';
import { compileTaskList } from '../task-list.ts';
import type { TaskCompiler, TaskSite } from '../task-site.ts';
import { asArray, asObject, asString } from '../../document/values.ts';

const READ_MODES = ['data', 'envelope', 'raw'] as const;

/** The specification's `listen`; Zigflow's dialect has its own (listen-temporal.ts). */
export const listenTask: TaskCompiler = (site, base): ListenTask => {
  const listen = asObject(site.body.listen)!;
  const written = asString(listen.read) ?? 'data';
  const read = READ_MODES.find((mode) => mode === written) ?? 'data';
  const foreach = iterator(site);
  return { ...base, kind: 'listen', to: consumption(site.ctx, listen.to, true), read, ...(foreach ? { foreach } : {}) };
};

function consumption(ctx: CompileContext, value: unknown, mayHaveUntil: boolean): EventConsumption {
  const strategy = asObject(value)!;
  if (strategy.one !== undefined) return { kind: 'one', filter: eventFilter(ctx, strategy.one) };
  if (strategy.all !== undefined) return { kind: 'all', filters: filters(ctx, strategy.all) };
  const any = filters(ctx, strategy.any);
  if (strategy.until === undefined || !mayHaveUntil) return { kind: 'any', filters: any };
  // `.` is the array of events consumed so far (as read).
  if (typeof strategy.until === 'string') return { kind: 'any', filters: any, until: { kind: 'condition', expr: runtimeExpression(ctx, strategy.until)! } };
  return { kind: 'any', filters: any, until: { kind: 'events', consume: consumption(ctx, strategy.until, false) } };
}

function filters(ctx: CompileContext, value: unknown): EventFilterSpec[] {
  return (asArray(value) ?? []).map((item) => eventFilter(ctx, item));
}

function eventFilter(ctx: CompileContext, value: unknown): EventFilterSpec {
  const filter = asObject(value)!;
  const properties = asObject(filter.with)!;
  const attributes = Object.entries(properties)
    .filter(([name]) => name !== 'data')
    .map(([name, attribute]) => [name, template(ctx, attribute)] as const);
  const data = properties.data;
  const dataSpec =
    data === undefined ? undefined : isStrictExpression(data) ? { kind: 'test' as const, expr: runtimeExpression(ctx, data)! } : { kind: 'contains' as const, value: data };
  const correlate: EventCorrelation[] = Object.entries(asObject(filter.correlate) ?? {}).map(([name, raw]) => {
    const property = asObject(raw)!;
    return { name, from: runtimeExpression(ctx, property.from)!, ...(property.expect === undefined ? {} : { expect: template(ctx, property.expect) }) };
  });
  return { attributes, ...(dataSpec ? { data: dataSpec } : {}), correlate };
}

function iterator(site: TaskSite): ListenTask['foreach'] {
  const { ctx, pointer } = site;
  const foreach = asObject(site.body.foreach);
  if (!foreach) return undefined;
  return {
    item: variableName(foreach.item, 'item'),
    at: variableName(foreach.at, 'index'),
    do: compileTaskList(ctx, foreach.do, joinPointer(pointer, 'foreach', 'do')),
    output: dataOut(ctx, foreach.output),
    export: dataExport(ctx, foreach.export),
  };
}
