/** An event consumption strategy (`one`, `any` with `until`, `all`) and its filters, as `listen.to` and `schedule.on` write them: their expressions. */
import { isStrictExpression } from '../document/expression-checker.ts';
import { joinPointer } from '../parse/pointer.ts';
import type { ValidationContext } from './context.ts';
import { checkRuntimeExpression, checkTemplate } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { asArray, asObject } from '../document/values.ts';

export function checkConsumption(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope, mayHaveUntil: boolean): void {
  const strategy = asObject(value);
  if (!strategy) return;
  if (strategy.one !== undefined) {
    checkEventFilter(ctx, strategy.one, joinPointer(pointer, 'one'), scope);
    return;
  }
  if (strategy.all !== undefined) {
    checkFilters(ctx, strategy.all, joinPointer(pointer, 'all'), scope);
    return;
  }
  if (strategy.any === undefined) return;
  checkFilters(ctx, strategy.any, joinPointer(pointer, 'any'), scope);
  if (strategy.until === undefined || !mayHaveUntil) return;
  const untilPointer = joinPointer(pointer, 'until');
  // `.` is the array of events consumed so far (as read).
  if (typeof strategy.until === 'string') checkRuntimeExpression(ctx, strategy.until, untilPointer, scope);
  else checkConsumption(ctx, strategy.until, untilPointer, scope, false);
}

function checkFilters(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  (asArray(value) ?? []).forEach((item, index) => checkEventFilter(ctx, item, joinPointer(pointer, index), scope));
}

function checkEventFilter(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  const filter = asObject(value);
  const properties = asObject(filter?.with);
  if (!filter || !properties) return;
  const withPointer = joinPointer(pointer, 'with');
  for (const [name, attribute] of Object.entries(properties)) {
    if (name !== 'data') checkTemplate(ctx, attribute, joinPointer(withPointer, name), scope);
  }
  if (isStrictExpression(properties.data)) checkRuntimeExpression(ctx, properties.data, joinPointer(withPointer, 'data'), scope);
  const correlatePointer = joinPointer(pointer, 'correlate');
  for (const [name, raw] of Object.entries(asObject(filter.correlate) ?? {})) {
    const property = asObject(raw);
    checkRuntimeExpression(ctx, property?.from, joinPointer(correlatePointer, name, 'from'), scope);
    if (typeof property?.from === 'string' && property.expect !== undefined) checkTemplate(ctx, property.expect, joinPointer(correlatePointer, name, 'expect'), scope);
  }
}
