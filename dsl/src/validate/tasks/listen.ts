/**
 * `listen`: the specification's (CloudEvents); in a Zigflow document `listen.to` names Temporal
 * messages instead (listen-temporal.ts).
 */
import { joinPointer } from '../../parse/pointer.ts';
import { checkDataOut } from '../data.ts';
import { checkConsumption } from '../event-consumption.ts';
import { atSite, extendScope } from '../expressions.ts';
import { checkTaskList } from '../task-list.ts';
import type { TaskRules, TaskSite } from '../task-site.ts';
import { checkVariableName } from '../variable-name.ts';
import { asObject } from '../../document/values.ts';
import { checkTemporalListen } from './listen-temporal.ts';

export const checkListenTask: TaskRules = (site) => (site.ctx.dialect === 'zigflow' ? checkTemporalListen(site) : checkSpecListen(site));

function checkSpecListen(site: TaskSite): void {
  const { ctx, pointer, scope } = site;
  const listen = asObject(site.body.listen);
  if (!listen) return;
  checkConsumption(ctx, listen.to, joinPointer(pointer, 'listen', 'to'), scope, true);
  checkIterator(site);
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
