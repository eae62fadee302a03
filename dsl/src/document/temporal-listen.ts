/**
 * Zigflow's `listen`: in a dialect document `listen.to` names Temporal messages. Which filters a
 * listen has, and the names the runner keeps for itself.
 */
import { joinPointer } from '../parse/pointer.ts';
import type { TemporalListener } from '../plan.ts';
import { asArray } from './values.ts';

export type TemporalMessageKind = TemporalListener['kind'];

export const MESSAGE_KINDS: readonly TemporalMessageKind[] = ['signal', 'query', 'update'];

/**
 * The names Baton's interpreter already answers to, per kind of message (runner/src/contract; a
 * runner test keeps the two in step). A listener with one of them would take over the runner's
 * own status query, pause or callback handling.
 */
export const RESERVED_MESSAGE_NAMES: Readonly<Record<TemporalMessageKind, readonly string[]>> = {
  signal: ['pause', 'resume', 'retargetCallback', 'batonCallerCancelled', 'batonCancelReason'],
  query: ['status'],
  update: ['batonPause', 'batonResume', 'batonCancel', 'batonRetargetCallback', 'batonPrepareTermination', 'batonAwaitEnd'],
};

export interface Strategy {
  readonly until: 'all' | 'any';
  readonly pointer: string;
  readonly filters: readonly { readonly value: unknown; readonly at: string }[];
}

/** `all` and `one` wait for every listener (Zigflow treats `one` as `all` of one), `any` for the first. */
export function filtersOf(to: Readonly<Record<string, unknown>>, pointer: string): Strategy | undefined {
  if (Object.hasOwn(to, 'one')) return { until: 'all', pointer: joinPointer(pointer, 'one'), filters: [{ value: to.one, at: joinPointer(pointer, 'one') }] };
  for (const key of ['all', 'any'] as const) {
    const list = asArray(to[key]);
    if (!list) continue;
    const at = joinPointer(pointer, key);
    return { until: key, pointer: at, filters: list.map((value, index) => ({ value, at: joinPointer(at, index) })) };
  }
  return undefined;
}
