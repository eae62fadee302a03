/**
 * `listen`: wait for events (`to.one`, `to.any` with `until`, `to.all`), read as data, envelope or
 * raw, optionally processed one by one (`foreach`). The event attributes of a filter other than
 * `data` are literals or expressions evaluated when the task starts; `data` is a literal the
 * event's data must contain or an expression tested against it (docs/events.md).
 */
import { joinPointer } from '../../parse/pointer.ts';
import type { ListenTask } from '../../plan.ts';
import { dataExport, dataOut } from '../data.ts';
import { consumption } from '../event-consumption.ts';
import { atSite, extendScope } from '../expressions.ts';
import { compileTaskList } from '../task-list.ts';
import type { TaskCompiler, TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
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
