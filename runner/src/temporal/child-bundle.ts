/**
 * Builds a workflow bundle in a child process. Webpack grows the heap of the process it runs in by
 * far more than the bundle it produces (bundling the interpreter took a process from 79 to 336 MiB
 * resident, 244 MiB after garbage collection), and that memory stays with a long-running runner.
 * In a child it goes back to the system when the child exits; the runner keeps only the code.
 * This file is also the child's entry: it reads its options as JSON on standard input and writes
 * the bundle's code on standard output.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowBundle } from '@temporalio/worker';

export interface ChildBundleOptions {
  readonly workflowsPath: string;
  readonly preloadModules: readonly string[];
  readonly workflowInterceptorModules: readonly string[];
}

export class WorkflowBundleError extends Error {
  override readonly name = 'WorkflowBundleError';
}

export async function bundleInChildProcess(options: ChildBundleOptions): Promise<WorkflowBundle> {
  const child = Bun.spawn([process.execPath, fileURLToPath(import.meta.url)], {
    stdin: new Blob([JSON.stringify(options)]),
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [code, errors, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (exitCode !== 0) throw new WorkflowBundleError(`bundling the workflow code failed (exit code ${exitCode}): ${errors.trim()}`);
  // Warnings the bundler printed (none expected) are passed on, as they were when it ran in-process.
  if (errors.trim()) console.warn(errors.trim());
  return { code };
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};

if (import.meta.main) {
  const options = JSON.parse(await Bun.stdin.text()) as ChildBundleOptions;
  const bundle = await bundleWorkflowCode({
    workflowsPath: options.workflowsPath,
    logger: quietBundlerLogger,
    preloadModules: [...options.preloadModules],
    ...(options.workflowInterceptorModules.length > 0 ? { workflowInterceptorModules: [...options.workflowInterceptorModules] } : {}),
  });
  await Bun.write(Bun.stdout, bundle.code);
}
