/** `bun runner/src/temporal/install.ts`: find or install the temporal CLI ahead of time (CI does). */
import { findTemporalCli } from './cli.ts';

console.log(await findTemporalCli());
