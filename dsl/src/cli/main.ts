#!/usr/bin/env bun
/** Stand-alone entry until the `baton` CLI mounts these commands: `bun dsl/src/cli/main.ts validate x.yaml`. */
import { processIo, runDslCommand } from './index.ts';

process.exitCode = await runDslCommand(process.argv.slice(2), processIo());
