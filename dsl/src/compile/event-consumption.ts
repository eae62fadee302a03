/**
 * An event consumption strategy (`one`, `any` with `until`, `all`) and its filters, as `listen.to`
 * and `schedule.on` write them. The attributes of a filter other than `data` are templates; `data`
 * is a literal the event's data must contain or an expression tested against it; `correlate`
 * extracts a value from each event with `from` (docs/events.md).
 */
import { isStrictExpression } from '../document/expression-checker.ts';
import type { EventConsumption, EventCorrelation, EventFilterSpec } from '../plan.ts';
import type { CompileContext } from './context.ts';
import { runtimeExpression, template } from './expressions.ts';
import { asArray, asObject } from '../document/values.ts';

export function consumption(ctx: CompileContext, value: unknown, mayHaveUntil: boolean): EventConsumption {
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
