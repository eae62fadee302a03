/**
 * The process tasks of a plan (and the MCP servers `call: mcp` would start over stdio) checked
 * against this runner's run policy before anything starts: a kind the runner does not allow, or a
 * literal command, language, image, volume or port it refuses, makes executeAsync answer INVALID_ARGUMENT with the task's position. Values computed
 * by expressions are checked again by the activity when they are known.
 */
import type { McpCallTask, Plan, RunContainerTask, RunScriptTask, RunShellTask, Template } from '@baton/dsl';
import type { CompileWorkflow } from '../../service/requests.ts';
import { checkImage, checkKind, checkMcpCommand, checkPort, checkScriptLanguage, checkShellCommand, checkVolume, kindAllowed } from './policy.ts';
import type { RunPolicy, RunRefusal } from './policy.ts';

export interface RunPolicyProblem {
  readonly code: 'RUN_NOT_ALLOWED';
  readonly message: string;
  /** JSON pointer of the refused part in the document. */
  readonly pointer: string;
  /** The task's reference. */
  readonly taskPath: string;
}

type ProcessTask = RunShellTask | RunScriptTask | RunContainerTask | McpCallTask;

export function runPolicyProblems(plan: Plan, policy: RunPolicy): RunPolicyProblem[] {
  const problems: RunPolicyProblem[] = [];
  const add = (task: ProcessTask, refusal: RunRefusal | undefined, ...path: string[]) => {
    if (refusal) problems.push({ code: 'RUN_NOT_ALLOWED', message: refusal.message, pointer: [task.reference, ...path.map(escapePointer)].join('/'), taskPath: task.reference });
  };
  for (const task of processTasks(plan)) {
    switch (task.kind) {
      case 'run.shell': {
        const command = literal(task.command);
        if (typeof command === 'string') add(task, checkShellCommand(policy, command), 'run', 'shell', ...(kindAllowed(policy, 'shell') ? ['command'] : []));
        else add(task, checkKind(policy, 'shell'), 'run', 'shell');
        break;
      }
      case 'run.script':
        add(task, checkScriptLanguage(policy, task.language), 'run', 'script', ...(kindAllowed(policy, 'script') ? ['language'] : []));
        break;
      case 'run.container': {
        const image = literal(task.image);
        if (typeof image !== 'string') {
          add(task, checkKind(policy, 'container'), 'run', 'container');
          break;
        }
        const refusal = checkImage(policy, image);
        add(task, refusal, 'run', 'container', ...(kindAllowed(policy, 'container') ? ['image'] : []));
        if (refusal) break;
        for (const host of Object.keys(literalObject(task.volumes))) add(task, checkVolume(policy, host), 'run', 'container', 'volumes', host);
        for (const host of Object.keys(literalObject(task.ports))) add(task, checkPort(policy, Number(host)), 'run', 'container', 'ports', host);
        break;
      }
      case 'call.mcp': {
        if (task.transport.kind !== 'stdio') break;
        const command = literal(task.transport.command);
        // A command computed by an expression is checked by the activity; none may start while stdio is off.
        const refusal = typeof command === 'string' ? checkMcpCommand(policy, command) : policy.mcpCommands.length === 0 ? checkMcpCommand(policy, '') : undefined;
        add(task, refusal, 'with', 'transport', 'stdio', 'command');
        break;
      }
    }
  }
  return problems;
}

/** A compiler that also refuses the plan's process tasks this policy refuses (positioned by task). */
export function withRunPolicyCheck(compile: CompileWorkflow, policy: RunPolicy): CompileWorkflow {
  return (yaml, options) => {
    const compiled = compile(yaml, options);
    if (!compiled.ok) return compiled;
    const problems = runPolicyProblems(compiled.plan, policy);
    if (problems.length === 0) return compiled;
    return { ok: false, diagnostics: problems.map((problem) => ({ ...problem, severity: 'error', line: 0, column: 0 })) };
  };
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function literal(template: Template | undefined): unknown {
  return template?.kind === 'literal' ? template.value : undefined;
}

function literalObject(template: Template | undefined): Record<string, unknown> {
  if (template?.kind === 'literal' && typeof template.value === 'object' && template.value !== null) return template.value as Record<string, unknown>;
  if (template?.kind === 'object') return Object.fromEntries(template.entries);
  return {};
}

/** Every process task and `call: mcp`, however deeply nested (do, for, fork, try …). */
function processTasks(value: unknown, found: ProcessTask[] = []): ProcessTask[] {
  if (Array.isArray(value)) for (const item of value) processTasks(item, found);
  else if (typeof value === 'object' && value !== null) {
    const kind = (value as { kind?: unknown }).kind;
    if (kind === 'run.shell' || kind === 'run.script' || kind === 'run.container' || kind === 'call.mcp') found.push(value as ProcessTask);
    for (const item of Object.values(value)) processTasks(item, found);
  }
  return found;
}
