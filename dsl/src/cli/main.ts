#!/usr/bin/env bun
/** The DSL package's own entry (`bun dsl/src/cli/main.ts validate x.yaml`); `baton` mounts the same commands. */
import { endQuietlyWhenStdoutCloses, processIo, runDslCommand } from './index.ts';

endQuietlyWhenStdoutCloses();
process.exitCode = await runDslCommand(process.argv.slice(2), processIo());
