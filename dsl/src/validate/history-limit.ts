/**
 * Zigflow's `document.metadata.canMaxHistoryLength`: the history length at which the workflow
 * continues as new. Only dialect documents give it that meaning (a specification document's
 * metadata is free-form); there it must be a whole number ≥ 1 so the interpreter never meets a
 * value it would have to ignore.
 */
import { joinPointer } from '../parse/pointer.ts';
import type { ValidationContext } from './context.ts';
import { asObject } from '../document/values.ts';

export const HISTORY_LIMIT_KEY = 'canMaxHistoryLength';

export function checkHistoryLimit(ctx: ValidationContext, metadata: unknown): void {
  if (ctx.dialect !== 'zigflow') return;
  const object = asObject(metadata);
  if (!object || !Object.hasOwn(object, HISTORY_LIMIT_KEY)) return;
  const value = object[HISTORY_LIMIT_KEY];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    ctx.error('SW307', joinPointer('/document/metadata', HISTORY_LIMIT_KEY), `${HISTORY_LIMIT_KEY} must be a whole number ≥ 1 (the history length at which the workflow continues as new)`);
  }
}
