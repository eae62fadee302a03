/**
 * `listen`: wait for events (`to.one`, `to.any` with `until`, `to.all`), read as data, envelope or
 * raw, optionally processed one by one (`foreach`). The event attributes of a filter other than
 * `data` are literals or expressions evaluated when the task starts; `data` is a literal the
 * event's data must contain or an expression tested against it (docs/events.md).
 */
import { variableName } from '../../document/variable-name.ts';
import { joinPointer } from '../../parse/pointer.ts';
import type { ListenTask } from '../../plan.ts';
import { dataExport, dataOut } from '../data.ts';
import { consumption } from '../event-consumption.ts';
import { compileTaskList } from '../task-list.ts';
import type { TaskCompiler, TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';

const READ_MODES = ['data', 'envelope', 'raw'] as const;

/** The specification's `listen`; Zigflow's dialect has its own (listen-temporal.ts). */
export const listenTask: TaskCompiler = (site, base): ListenTask => {
  const listen = asObject(site.body.listen)!;
  const written = asString(listen.read) ?? 'data';
  const read = READ_MODES.find((mode) => mode === written) ?? 'data';
  const foreach = iterator(site);
  return { ...base, kind: 'listen', to: consumption(site.ctx, listen.to, true), read, ...(foreach ? { foreach } : {}) };
};

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
