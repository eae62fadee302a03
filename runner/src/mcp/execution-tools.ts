/**
 * `run`, `status`, `watch` and `cancel`: the tools that touch executions, through a runner over gRPC
 * exactly as the `baton` CLI reaches it (same client, same sentences for the same failures).
 */
import { compileWorkflow } from '@baton/dsl';
import type { Execution } from '@baton/proto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { formatDiagnostic } from '../cli/code-frame.ts';
import { executionToJson, formatError, isFinished, phaseName, taskStatusName } from '../cli/execution-view.ts';
import type { RunnerClient } from '../cli/runner-client.ts';
import { documentArguments, readDocument } from './document-source.ts';
import { answer, guarded, refusal } from './tool-result.ts';

const DEFAULT_WATCH_SECONDS = 120;
const MAX_WATCH_SECONDS = 600;

const executionId = z.string().min(1).describe('the execution id `run` answered with');

export function registerExecutionTools(server: McpServer, runner: () => RunnerClient, allowFiles: boolean): void {
  server.registerTool(
    'run',
    {
      title: 'Run a workflow',
      description:
        'Validate the document, then start it on the Baton runner and return its execution id at once. ' +
        'An invalid document is not sent: the answer lists the diagnostics as `validate` does. Follow the execution with `watch` or `status`.',
      inputSchema: {
        ...documentArguments,
        input: z.record(z.string(), z.unknown()).optional().describe('the workflow input, a JSON object (default {})'),
        id: z.string().min(1).optional().describe('execution id to use (default: <workflow name>-<random>); starting the same id again is idempotent'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    (args) =>
      guarded(async () => {
        const read = await readDocument(args, allowFiles);
        if (!read.ok) return refusal(read.problem);
        const compiled = compileWorkflow(read.source, { file: read.name });
        if (!compiled.ok) {
          return refusal(
            `not started: the document is invalid\n\n${compiled.diagnostics.map((d) => formatDiagnostic(d, read.source)).join('\n')}`,
            { diagnostics: compiled.diagnostics },
          );
        }
        const id = args.id ?? `${compiled.plan.document.name}-${crypto.randomUUID().slice(0, 8)}`;
        const started = await runner().executeAsync({
          workflowExecutionId: id,
          workflowYaml: read.source,
          callbackToken: new Uint8Array(),
          input: args.input ?? {},
          callbackNamespace: '',
          workflowReference: undefined,
        });
        return answer(`execution ${started.workflowExecutionId}: ${started.status} (${started.message})`, {
          executionId: started.workflowExecutionId,
          status: started.status,
          message: started.message,
        });
      }),
  );

  server.registerTool(
    'status',
    {
      title: 'Execution status',
      description: "An execution's phase, each task's status, and its output or error.",
      inputSchema: { executionId },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    ({ executionId }) => guarded(async () => describe(await runner().getExecution(executionId))),
  );

  server.registerTool(
    'watch',
    {
      title: 'Follow an execution',
      description:
        'Follow an execution until it ends or `timeoutSeconds` pass, then answer with its state as `status` does. ' +
        'Each task transition is sent as a progress notification when the request carries a progress token.',
      inputSchema: {
        executionId,
        timeoutSeconds: z.number().int().min(1).max(MAX_WATCH_SECONDS).optional().describe(`how long to follow (default ${DEFAULT_WATCH_SECONDS})`),
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    ({ executionId, timeoutSeconds }, extra) =>
      guarded(async () => {
        const stop = AbortSignal.any([extra.signal, AbortSignal.timeout((timeoutSeconds ?? DEFAULT_WATCH_SECONDS) * 1000)]);
        const progressToken = extra._meta?.progressToken;
        const seen: string[] = [];
        let transitions = 0;
        let last: Execution | undefined;
        for await (const execution of runner().watchExecution(executionId, stop)) {
          last = execution;
          for (const [index, task] of execution.tasks.entries()) {
            const state = taskStatusName(task.status);
            if (seen[index] === state) continue;
            seen[index] = state;
            transitions++;
            if (progressToken !== undefined) {
              await extra.sendNotification({
                method: 'notifications/progress',
                params: { progressToken, progress: transitions, message: `${task.path} ${task.type} ${state}` },
              });
            }
          }
          if (isFinished(execution)) break;
        }
        if (!last) return refusal(`the runner sent no state for ${executionId} before the watch ended`);
        return describe(last, isFinished(last) ? '' : `still ${phaseName(last.phase)} after the watch ended; call \`watch\` again to go on following it\n`);
      }),
  );

  server.registerTool(
    'cancel',
    {
      title: 'Cancel an execution',
      description: 'Cancel a running execution (its running tasks are cancelled); `force` terminates it at once.',
      inputSchema: {
        executionId,
        force: z.boolean().optional().describe('terminate instead of cancelling; the callback still fails'),
        reason: z.string().optional().describe('why (recorded with the request)'),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    ({ executionId, force, reason }) =>
      guarded(async () => {
        await runner().cancelExecution(executionId, force ?? false, reason ?? '');
        const result = force ? 'terminated' : 'cancellation requested';
        return answer(`${executionId}: ${result}`, { executionId, result });
      }),
  );
}

/** The execution as text (one line per task) and as the CLI's `--json` shape. */
function describe(execution: Execution, preface = '') {
  const lines = [`${preface}${execution.executionId}: ${phaseName(execution.phase)}`];
  for (const task of execution.tasks) {
    lines.push(`  ${task.path} ${task.type} ${taskStatusName(task.status)}${task.error ? ` — ${formatError(task.error)}` : ''}`);
  }
  if (execution.error) lines.push(`error: ${formatError(execution.error)}`);
  else if (isFinished(execution)) lines.push(`output: ${JSON.stringify(execution.output ?? null)}`);
  return answer(lines.join('\n'), { ...executionToJson(execution), finished: isFinished(execution) });
}
