/** A process's end as the task's output, or as the spec's error with a code a workflow can catch. */
import type { ApplicationFailure } from '@temporalio/common';
import { problemFailure, StandardError } from '../../contract/index.ts';
import type { ProcessEnd } from './process.ts';
import type { ProcessOutput } from '../../contract/index.ts';
import type { RunRefusal } from './policy.ts';

const DETAIL_STDERR_CHARS = 1_000;

interface Shaping {
  readonly what: string;
  readonly return: 'stdout' | 'stderr' | 'code' | 'all' | 'none';
  readonly taskReference: string;
  readonly outputBytes: number;
}

/**
 * The output `return` asks for. A non-zero exit is an error, except when the task asked for the
 * code (`code`, `all`): then the code is the answer. One trailing line break is dropped from
 * returned text, as `$(…)` does in a shell.
 */
export function shapeOutput(end: ProcessEnd, shaping: Shaping, signal?: AbortSignal): ProcessOutput {
  switch (end.kind) {
    case 'cancelled':
      throw signal?.reason ?? new Error('cancelled');
    case 'failedToStart':
      throw processFailure('runtime', 500, 'Process did not start', `${shaping.what} did not start: ${end.message}`, shaping.taskReference);
    case 'timedOut':
      throw processFailure('timeout', 408, 'Timeout', `${shaping.what} was stopped at its time limit${stderrEnd(end.stderr)}`, shaping.taskReference);
    case 'overflow':
      throw processFailure(
        'runtime',
        413,
        'Output too large',
        `${shaping.what} wrote more than ${shaping.outputBytes} bytes to ${end.stream} (--run-output-bytes) and was stopped`,
        shaping.taskReference,
      );
    case 'exited': {
      const asksCode = shaping.return === 'code' || shaping.return === 'all';
      if (end.code !== 0 && !asksCode) {
        throw processFailure('runtime', 500, `Process exited with code ${end.code}`, `${shaping.what} exited with code ${end.code}${stderrEnd(end.stderr)}`, shaping.taskReference);
      }
      const stdout = dropLineBreak(end.stdout);
      const stderr = dropLineBreak(end.stderr);
      switch (shaping.return) {
        case 'stdout':
          return stdout;
        case 'stderr':
          return stderr;
        case 'code':
          return end.code;
        case 'all':
          return { code: end.code, stdout, stderr };
        case 'none':
          return null;
      }
    }
  }
}

export function refused(refusal: RunRefusal, taskReference: string): ApplicationFailure {
  return processFailure('configuration', 403, 'Refused by the run policy', refusal.message, taskReference);
}

export function invalid(detail: string, taskReference: string): ApplicationFailure {
  return processFailure('configuration', 400, 'Invalid process arguments', detail, taskReference);
}

export function processFailure(kind: 'runtime' | 'timeout' | 'configuration' | 'communication', status: number, title: string, detail: string, instance: string): ApplicationFailure {
  return problemFailure({ type: StandardError[kind].type, status, title, detail, instance });
}

function stderrEnd(stderr: string): string {
  const text = stderr.trim();
  if (text === '') return '';
  return `; stderr ends: ${text.length > DETAIL_STDERR_CHARS ? `…${text.slice(-DETAIL_STDERR_CHARS)}` : text}`;
}

function dropLineBreak(text: string): string {
  return text.replace(/\r?\n$/, '');
}
