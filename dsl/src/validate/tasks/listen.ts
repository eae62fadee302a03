/**
 * `listen`: the specification's (CloudEvents); in a Zigflow document `listen.to` names Temporal
 * messages instead (listen-temporal.ts).
 */
import { isStrictExpression } from '../../document/expression-checker.ts';
import { joinPointer } from '../../parse/pointer.ts';
import type { ValidationContext } from '../context.ts';
import { checkDataOut } from '../data.ts';
import { atSite, checkRuntimeExpression, checkTemplate, extendScope } from '../expressions.ts';
import type { Scope } from '../expressions.ts';
import { checkTaskList } from '../task-list.ts';
import type { TaskRules, TaskSite } from '../task-site.ts';
import { checkVariableName } from '../variable-name.ts';
import { asArray, asObject } from '../../document/values.ts';
import { checkTemporalListen } from './listen-temporal.ts';

export const checkListenTask: TaskRules = (site) => (site.ctx.dialect === 'zigflow' ? checkTemporalListen(site) : checkSpecListen(site));

function checkSpecListen(site: TaskSite): void {
  const { ctx, pointer, scope } = site;
  const listen = asObject(site.body.listen);
  if (!listen) return;
  checkConsumption(ctx, listen.to, joinPointer(pointer, 'listen', 'to'), scope, true);
  checkIterator(site);
}

function checkConsumption(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope, mayHaveUntil: boolean): void {
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

function checkIterator(site: TaskSite): void {
  const { ctx, pointer, scope } = site;
  const foreach = asObject(site.body.foreach);
  if (!foreach) return;
  const at = joinPointer(pointer, 'foreach');
  const item = checkVariableName(ctx, foreach.item, 'item', joinPointer(at, 'item'));
  const index = checkVariableName(ctx, foreach.at, 'index', joinPointer(at, 'at'));
  const inner = extendScope(scope, item, index);
  checkTaskList(ctx, foreach.do, joinPointer(at, 'do'), inner, site.siblings);
  checkDataOut(ctx, foreach.output, joinPointer(at, 'output'), atSite(inner, 'taskOutput'));
  checkDataOut(ctx, foreach.export, joinPointer(at, 'export'), atSite(inner, 'taskExport'));
}
