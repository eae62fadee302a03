/**
 * `baton mcp`: serves the Model Context Protocol over stdio (for an agent that spawns it) or, with
 * `--http`, over streamable HTTP. Nothing but protocol messages may reach standard output here.
 */
import type { Command, CommandContext } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/;
const DEFAULT_TASK_QUEUE = 'baton';

export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'Serve the Model Context Protocol for agents (stdio, or --http)',
  arguments: '',
  minArguments: 0,
  maxArguments: 0,
  usesRunner: true,
  options: {
    http: { type: 'string', placeholder: 'HOST:PORT', description: 'serve streamable HTTP at http://HOST:PORT/mcp instead of stdio (non-loopback needs --token)' },
    'temporal-address': { type: 'string', placeholder: 'HOST:PORT', description: 'Temporal frontend, for the `list` tool (env TEMPORAL_ADDRESS; without it there is no `list`)' },
    'temporal-namespace': { type: 'string', placeholder: 'NAME', description: 'Temporal namespace (env TEMPORAL_NAMESPACE, default default)' },
    'task-queue': { type: 'string', placeholder: 'NAME', description: `the runner's task queue, for \`list\` (default ${DEFAULT_TASK_QUEUE})` },
  },
  examples: [
    'baton mcp',
    'baton mcp --runner 127.0.0.1:50051 --temporal-address 127.0.0.1:7233',
    'baton mcp --http 127.0.0.1:8765',
  ],
  run: (context) => serve(context),
};

async function serve(context: CommandContext): Promise<ExitCode> {
  const { createBatonMcp, serveHttp, serveStdio, Visibility } = await import('../../mcp/index.ts');
  const option = (name: string) => context.options[name] as string | undefined;
  const env = process.env;

  const temporalAddress = option('temporal-address') ?? env.TEMPORAL_ADDRESS;
  const taskQueue = option('task-queue') ?? DEFAULT_TASK_QUEUE;
  if (/['"\\]/.test(taskQueue)) throw new CliError('--task-queue must not contain quotes or backslashes', ExitCode.usage);
  const visibility = temporalAddress
    ? new Visibility({
        connection: { address: temporalAddress },
        namespace: option('temporal-namespace') ?? env.TEMPORAL_NAMESPACE ?? 'default',
        taskQueue,
      })
    : undefined;

  try {
    const httpAddress = option('http');
    if (httpAddress === undefined) {
      await serveStdio(createBatonMcp({ runner: context.runner, allowFiles: true, ...(visibility ? { visibility } : {}) }));
      return ExitCode.ok;
    }
    const match = HOST_PORT.exec(httpAddress);
    if (!match) throw new CliError(`--http must be HOST:PORT, got "${httpAddress}"`, ExitCode.usage);
    const token = option('token') ?? env.BATON_RUNNER_TOKEN;
    const started = serveHttp({
      hostname: match[1]!.replace(/^\[|\]$/g, ''),
      port: Number(match[2]),
      ...(token ? { token } : {}),
      createServer: () => createBatonMcp({ runner: context.runner, allowFiles: false, ...(visibility ? { visibility } : {}) }),
    });
    if (!started.ok) throw new CliError(started.problem, ExitCode.usage);
    context.terminal.err(`baton mcp: serving MCP at ${started.url} (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await started.stop();
    return ExitCode.ok;
  } finally {
    await visibility?.close();
  }
}
