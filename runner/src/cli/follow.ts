/** Follows an execution live until it ends: one line per task transition, then the result. */
import type { Execution } from '@baton/proto';
import type { CommandContext } from './command.ts';
import { ExitCode } from './errors.ts';
import {
  executionToJson,
  formatDuration,
  formatError,
  formatTaskLine,
  isFinished,
  phaseName,
  TransitionTracker,
} from './execution-view.ts';
import { spinnerFrame } from './terminal.ts';
import { ExecutionPhase } from '@baton/proto';

export async function followExecution(context: CommandContext, executionId: string): Promise<ExitCode> {
  const { terminal } = context;
  const tracker = new TransitionTracker();
  let last: Execution | undefined;
  let tick = 0;
  const spinner = terminal.interactive && !context.json
    ? setInterval(() => {
        if (!last) return;
        const running = last.tasks.filter((task) => task.startedAt && !task.completedAt).at(-1);
        const elapsed = last.startedAt ? formatDuration(Date.now() - last.startedAt.getTime()) : '';
        terminal.status(`${spinnerFrame(tick++)} ${phaseName(last.phase)} ${running ? running.path : ''} ${terminal.paint('dim', elapsed)}`);
      }, 100)
    : undefined;
  try {
    for await (const execution of context.runner().watchExecution(executionId)) {
      last = execution;
      if (context.json) continue;
      const { tasks, phaseChanged } = tracker.next(execution);
      for (const task of tasks) terminal.out(formatTaskLine(task, terminal));
      if (phaseChanged && execution.phase === ExecutionPhase.EXECUTION_PAUSED) terminal.out(terminal.paint('yellow', '⏸ paused'));
      if (isFinished(execution)) break;
    }
  } finally {
    if (spinner) clearInterval(spinner);
    terminal.clearStatus();
  }
  if (!last) return ExitCode.runner;
  return reportResult(context, last);
}

export function reportResult(context: CommandContext, execution: Execution): ExitCode {
  const { terminal } = context;
  const succeeded = execution.phase === ExecutionPhase.EXECUTION_COMPLETED;
  if (context.json) {
    terminal.out(JSON.stringify(executionToJson(execution), null, 2));
  } else if (succeeded) {
    terminal.out(JSON.stringify(execution.output ?? null, null, 2));
  } else if (execution.error) {
    terminal.err(`${terminal.paint('red', phaseName(execution.phase))}: ${formatError(execution.error)}`);
  } else {
    terminal.err(terminal.paint('yellow', phaseName(execution.phase)));
  }
  if (!isFinished(execution)) return ExitCode.ok;
  return succeeded ? ExitCode.ok : ExitCode.failed;
}
