/**
 * Zigflow's `document.metadata.scheduleInput` (its one argument) → the input template of the runs
 * a deployment's schedule starts, evaluated with `$env` when the schedule is written; and its
 * `scheduleId` → the id of the deployment's Temporal Schedule.
 */
import { SCHEDULE_ID_KEY, SCHEDULE_INPUT_KEY } from '../document/zigflow-schedule.ts';
import { asArray, asObject } from '../document/values.ts';
import type { Template } from '../plan.ts';
import type { CompileContext } from './context.ts';
import { template } from './expressions.ts';

export function zigflowScheduleInput(ctx: CompileContext, metadata: unknown): Template | undefined {
  if (ctx.dialect !== 'zigflow') return undefined;
  const [input] = asArray(asObject(metadata)?.[SCHEDULE_INPUT_KEY]) ?? [];
  return input === undefined ? undefined : template(ctx, input);
}

/** The Temporal Schedule id the document asks for (validation checked it is a literal string, on a clock schedule). */
export function zigflowScheduleId(ctx: CompileContext, metadata: unknown): string | undefined {
  if (ctx.dialect !== 'zigflow') return undefined;
  const id = asObject(metadata)?.[SCHEDULE_ID_KEY];
  return typeof id === 'string' ? id : undefined;
}
