/**
 * An event consumption strategy (`one`, `any` with `until`, `all`) and its filters, as `listen.to`
 * and `schedule.on` write them. The attributes of a filter other than `data` are templates; `data`
 * is a literal the event's data must contain or an expression tested against it; `correlate`
 * extracts a value from each event with `from` (docs/events.md).
 */
import { joinPointer } from '../parse/pointer.ts';
import type { EventConsumption, EventCorrelation, EventFilterSpec } from '../plan.ts';
import type { CompileContext } from './context.ts';
import { isStrictExpression, runtimeExpression, template } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { asArray, asObject } from '../document/values.ts';

export function consumption(ctx: CompileContext, value: unknown, pointer: string, scope: Scope, mayHaveUntil: boolean): EventConsumption | undefined {
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
