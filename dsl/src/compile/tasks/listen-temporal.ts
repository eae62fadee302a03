/**
 * Zigflow's `listen`: in a dialect document, `listen.to` names Temporal messages rather than
 * CloudEvents (validate/tasks/listen-temporal.ts says which documents may).
 */
import { activityDurationMs } from '../../document/activity-options.ts';
import { filtersOf } from '../../document/temporal-listen.ts';
import type { TemporalMessageKind } from '../../document/temporal-listen.ts';
import { joinPointer } from '../../parse/pointer.ts';
import { ZIGFLOW_LISTEN_TIMEOUT_MS } from '../../plan.ts';
import type { TemporalListener, TemporalListenTask, Template } from '../../plan.ts';
import type { CompileContext } from '../context.ts';
import { template } from '../expressions.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asObject } from '../../document/values.ts';

/**
 * `listen` in a Zigflow document compiles to Temporal listeners; in a specification document it
 * is the specification's, compiled by `specListen`.
 */
export function zigflowListenOr(specListen: TaskCompiler): TaskCompiler {
  return (site, base) => (site.ctx.dialect === 'zigflow' ? temporalListenTask(site, base) : specListen(site, base));
}

const temporalListenTask: TaskCompiler = (site, base): TemporalListenTask => {
  const to = asObject(asObject(site.body.listen)!.to)!;
  const strategy = filtersOf(to, joinPointer(site.pointer, 'listen', 'to'))!;
  const listeners = strategy.filters.map(({ value }) => listener(site.ctx, asObject(asObject(value)!.with)!));
  const waits = listeners.some((item) => item.kind !== 'query');
  const written = asObject(site.body.metadata)?.timeout;
  const timeout = !waits ? undefined : written === undefined ? ZIGFLOW_LISTEN_TIMEOUT_MS : activityDurationMs(written);
  return {
    ...base,
    kind: 'listen.temporal',
    listeners,
    until: strategy.until,
    ...(timeout === undefined ? {} : { timeoutMs: typeof timeout === 'number' ? timeout : timeout.ok ? timeout.ms : ZIGFLOW_LISTEN_TIMEOUT_MS }),
  };
};

function listener(ctx: CompileContext, properties: Readonly<Record<string, unknown>>): TemporalListener {
  const kind = properties.type as TemporalMessageKind;
  const name = String(properties.id);
  const acceptIf: Template | undefined = properties.acceptIf === undefined ? undefined : typeof properties.acceptIf === 'boolean' ? { kind: 'literal', value: properties.acceptIf } : template(ctx, properties.acceptIf);
  const reply = properties.data === undefined ? undefined : template(ctx, properties.data);
  switch (kind) {
    case 'signal':
      return { kind, name, ...(acceptIf ? { acceptIf } : {}) };
    case 'update':
      return { kind, name, ...(acceptIf ? { acceptIf } : {}), ...(reply ? { reply } : {}) };
    case 'query':
      return { kind, name, ...(reply ? { reply } : {}) };
  }
}
