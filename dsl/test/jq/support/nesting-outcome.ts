import { compileJq } from '../../../src/jq/index.ts';

/** What compiling and running a program gives: its outputs as JSON, or the error's name and sentence. */
export function nestingOutcome(source: string): string {
  try {
    return JSON.stringify(compileJq(source).run(null));
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message.split(' at line')[0]}`;
  }
}
