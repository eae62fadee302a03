/** The calling workflow of `bun run demo`: hands a YAML workflow to the runner and returns its output. */
import { executeOnRunner } from './workflow.ts';
import type { ExecuteOnRunnerArgs } from './workflow.ts';

export async function demoCaller(args: ExecuteOnRunnerArgs): Promise<unknown> {
  return executeOnRunner(args);
}
