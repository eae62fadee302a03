/**
 * Zigflow's schedule metadata (`document.metadata.scheduleWorkflowName`, `scheduleId`,
 * `scheduleInput`), given Zigflow's meaning on a deployment's schedule. Zigflow starts the workflow
 * `scheduleWorkflowName` with the arguments `scheduleInput`, their `${ }` evaluated once with `$env`
 * when the schedule is registered. Baton's deployment runs the document's own workflow type with
 * the first argument as its input, evaluated with the runner's `$env` when the schedule is written.
 * `scheduleId` names the deployment's Temporal Schedule, as Zigflow names its schedule by it.
 * What Baton cannot keep is refused here, never dropped: another workflow type than the one the
 * document runs, more than one argument, and a schedule id where no Temporal Schedule exists.
 */
import { strictExpression } from '../document/expression-checker.ts';
import { SCHEDULE_ID_KEY, SCHEDULE_INPUT_KEY, SCHEDULE_WORKFLOW_NAME_KEY } from '../document/zigflow-schedule.ts';
import { joinPointer } from '../parse/pointer.ts';
import { dialectProgram } from '../runtime-arguments.ts';
import { asArray, asObject } from '../document/values.ts';
import type { ValidationContext } from './context.ts';
import { atSite, checkTemplate, ROOT_SCOPE } from './expressions.ts';

const METADATA = '/document/metadata';
/** Longest schedule id taken: well inside Temporal's id limit, and still readable in a listing. */
export const MAX_SCHEDULE_ID_CHARS = 200;
/** Only `$env` exists when a schedule is written: no execution, no workflow time or randomness. */
const EXECUTION_ONLY = /\$(?:workflow|runtime|input|context|data|output|task)\b|\b(?:uuid|timestamp|timestamp_iso8601)\b/;

/** Checks the metadata of a dialect document with a `schedule`; `entry` is the workflow type an execution of the document runs. */
export function checkZigflowSchedule(ctx: ValidationContext, metadata: unknown, entry: string, schedule: unknown): void {
  if (ctx.dialect !== 'zigflow') return;
  const object = asObject(metadata) ?? {};
  const name = object[SCHEDULE_WORKFLOW_NAME_KEY];
  if (name === undefined) {
    ctx.error('SW201', METADATA, `a Zigflow document with a schedule names the workflow it starts in document.metadata.${SCHEDULE_WORKFLOW_NAME_KEY}`, {
      hint: `${SCHEDULE_WORKFLOW_NAME_KEY}: ${entry}`,
    });
  } else if (name !== entry) {
    ctx.error('SW307', joinPointer(METADATA, SCHEDULE_WORKFLOW_NAME_KEY), `a deployment's schedule starts the workflow the document runs ('${entry}'), not '${String(name)}'`, {
      hint: `set document.workflowType to '${String(name)}' (the top-level \`do\` to schedule) or ${SCHEDULE_WORKFLOW_NAME_KEY} to '${entry}'`,
    });
  }
  if (object[SCHEDULE_ID_KEY] !== undefined) checkScheduleId(ctx, object[SCHEDULE_ID_KEY], schedule);
  if (!Object.hasOwn(object, SCHEDULE_INPUT_KEY)) return;
  const pointer = joinPointer(METADATA, SCHEDULE_INPUT_KEY);
  const args = asArray(object[SCHEDULE_INPUT_KEY]);
  if (!args) {
    ctx.error('SW307', pointer, `${SCHEDULE_INPUT_KEY} is the list of the scheduled workflow's arguments`);
    return;
  }
  if (args.length > 1) {
    ctx.error('SW307', joinPointer(pointer, 1), `a Baton execution takes one input, so ${SCHEDULE_INPUT_KEY} holds at most one argument; this one has ${args.length}`);
    return;
  }
  if (args.length === 0) return;
  const errorsBefore = ctx.errorCount;
  checkTemplate(ctx, args[0], joinPointer(pointer, 0), atSite(ROOT_SCOPE, 'workflowInput'));
  if (ctx.errorCount === errorsBefore && readsExecution(ctx, args[0])) {
    ctx.error('SW402', joinPointer(pointer, 0), `${SCHEDULE_INPUT_KEY} is evaluated when the schedule is written, where only $env is defined`);
  }
}

/**
 * `scheduleId`: the id of the deployment's Temporal Schedule, so only with a clock schedule, and a
 * literal — it names the schedule before anything is evaluated.
 */
function checkScheduleId(ctx: ValidationContext, id: unknown, schedule: unknown): void {
  const pointer = joinPointer(METADATA, SCHEDULE_ID_KEY);
  const selfRun = ['after', 'on'].find((kind) => asObject(schedule)?.[kind] !== undefined);
  if (selfRun) {
    ctx.error('SW307', pointer, `schedule.${selfRun} is run by the deployment itself, not by a Temporal Schedule, so there is no schedule for ${SCHEDULE_ID_KEY} to name`, {
      atKey: true,
      hint: `remove ${SCHEDULE_ID_KEY}, or use schedule.every or schedule.cron`,
    });
    return;
  }
  if (typeof id !== 'string' || id.trim() === '' || id.length > MAX_SCHEDULE_ID_CHARS || /[\u0000-\u001f\u007f]/.test(id)) {
    ctx.error('SW307', pointer, `${SCHEDULE_ID_KEY} is the Temporal Schedule's id: a non-empty string of at most ${MAX_SCHEDULE_ID_CHARS} characters without control characters`);
    return;
  }
  if (id.includes('${')) {
    ctx.error('SW501', pointer, `${SCHEDULE_ID_KEY} names the schedule before anything is evaluated: an expression cannot be its value`, { hint: 'write the id itself' });
  }
}

function readsExecution(ctx: ValidationContext, value: unknown): boolean {
  if (typeof value === 'string') {
    const source = strictExpression(value);
    return source !== undefined && EXECUTION_ONLY.test(dialectProgram(source, ctx.dialect));
  }
  return (asArray(value) ?? Object.values(asObject(value) ?? {})).some((item) => readsExecution(ctx, item));
}
