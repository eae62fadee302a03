/**
 * What an execution was started with — its plan, input and (when kept) the document's text — read
 * from the first event of its current run's history through the runner's codec. A continue-as-new
 * carries the same arguments on, so the current run's start holds the original input too.
 */
import type { Client } from '@temporalio/client';
import type { Plan } from '@baton/dsl';
import type { InterpreterArgs } from '../contract/index.ts';

export interface ExecutionStart {
  readonly runId: string;
  readonly plan?: Plan;
  readonly input?: unknown;
  readonly source?: string;
}

export async function readExecutionStart(client: Client, executionId: string): Promise<ExecutionStart> {
  const description = await client.workflow.getHandle(executionId).describe();
  const history = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: executionId, runId: description.runId },
    maximumPageSize: 1,
  });
  const payloads = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  const first = payloads[0];
  if (!first) return { runId: description.runId };
  let args: Partial<InterpreterArgs>;
  try {
    const { payloadCodecs, payloadConverter } = client.options.loadedDataConverter;
    let decoded = [first];
    for (const codec of [...payloadCodecs].reverse()) decoded = await codec.decode(decoded);
    args = payloadConverter.fromPayload<Partial<InterpreterArgs>>(decoded[0]!);
  } catch {
    // Written with a codec key this runner does not hold: the page shows the status alone.
    return { runId: description.runId };
  }
  return {
    runId: description.runId,
    ...(isPlan(args.plan) ? { plan: args.plan } : {}),
    ...('input' in args ? { input: args.input } : {}),
    ...(typeof args.source === 'string' ? { source: args.source } : {}),
  };
}

/** History is read back, not trusted: the graph needs a plan's shape. */
function isPlan(value: unknown): value is Plan {
  if (typeof value !== 'object' || value === null) return false;
  const plan = value as Partial<Plan>;
  return Array.isArray(plan.do) && typeof plan.document === 'object' && plan.document !== null;
}
