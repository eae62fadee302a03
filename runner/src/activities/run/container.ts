/**
 * The `run: container` activity, through the host's `docker` or `podman` CLI (`--run-container-runtime`,
 * else the first of the two that answers `version`). The container gets a name (the document's,
 * or one derived from the activity), so cancellation and time limits can kill it through the
 * runtime — killing the CLI alone would leave it running. `lifetime.cleanup`: `always` removes it
 * when it ends, `never` leaves it, `eventually` removes it `after` later (by this worker process:
 * a restart in between leaves it behind).
 */
import { spawn } from 'node:child_process';
import { activityContext, runInWorkdir } from './activity-process.ts';
import { invalid, processFailure, refused } from './outcome.ts';
import { checkImage, checkPort, checkVolume } from './policy.ts';
import type { RunPolicy } from './policy.ts';
import type { ContainerRequest, ProcessOutput } from '../../contract/index.ts';

const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const PULL: Readonly<Record<ContainerRequest['pullPolicy'], string>> = { ifNotPresent: 'missing', always: 'always', never: 'never' };
const CLI_PROBE_MS = 10_000;

export type ContainerRuntime = 'docker' | 'podman';

export function createContainerActivity(policy: RunPolicy): (request: ContainerRequest) => Promise<ProcessOutput> {
  let runtime: Promise<ContainerRuntime | undefined> | undefined;
  return async (request) => {
    const problem = checkImage(policy, request.image) ?? firstRefusal(policy, request);
    if (problem) throw refused(problem, request.taskReference);
    const name = request.name ?? defaultName(request.taskReference);
    if (!CONTAINER_NAME.test(name)) throw invalid(`'${name}' is not a container name (letters, digits, _ . -; 128 at most)`, request.taskReference);
    runtime ??= detectContainerRuntime(policy.containerRuntime);
    const cli = await runtime;
    if (!cli) {
      throw processFailure('configuration', 503, 'No container runtime', 'neither docker nor podman answers on this host (--run-container-runtime)', request.taskReference);
    }
    const args = runArguments(request, name);
    const removeLater = request.cleanup.kind === 'eventually' ? request.cleanup.afterMs : undefined;
    // Not awaited: `run -d` returns once the container started; the policy's time limit still applies to it.
    const cliTask = request.await ? request : { ...request, await: true, return: 'none' as const };
    try {
      const output = await runInWorkdir(cliTask, policy, async (workdir) => ({
        what: `the container ${name} (${request.image})`,
        file: cli,
        args,
        // The CLI is the operator's tool: it keeps the runner's environment (CONTAINERS_CONF, DOCKER_HOST …);
        // the task's variables go to the container through -e, never to the CLI.
        env: { ...cliEnvironment(process.env), HOME: process.env.HOME ?? workdir },
        ...(request.stdin === undefined ? {} : { stdin: request.stdin }),
        onStop: () => stopContainer(cli, name, request.cleanup.kind !== 'never'),
      }));
      if (!request.await) {
        const limit = Math.min(policy.timeoutMs, request.timeoutMs ?? Number.POSITIVE_INFINITY);
        setTimeout(() => void stopContainer(cli, name, request.cleanup.kind !== 'never'), limit).unref();
      }
      return output;
    } finally {
      if (removeLater !== undefined) setTimeout(() => void cliRun(cli, ['rm', '-f', name]), removeLater).unref();
    }
  };
}

function firstRefusal(policy: RunPolicy, request: ContainerRequest) {
  for (const host of Object.keys(request.volumes)) {
    const refusal = checkVolume(policy, host);
    if (refusal) return refusal;
  }
  for (const host of Object.keys(request.ports)) {
    const refusal = checkPort(policy, Number(host));
    if (refusal) return refusal;
  }
  return undefined;
}

/** `docker|podman run` arguments; published ports bind to 127.0.0.1 only. */
export function runArguments(request: ContainerRequest, name: string): string[] {
  const args = ['run', '--name', name, '--pull', PULL[request.pullPolicy]];
  if (request.cleanup.kind === 'always') args.push('--rm');
  if (request.stdin !== undefined) args.push('-i');
  if (!request.await) args.push('-d');
  for (const [key, value] of Object.entries(request.environment)) args.push('-e', `${key}=${value}`);
  for (const [host, container] of Object.entries(request.ports)) args.push('-p', `127.0.0.1:${host}:${container}`);
  for (const [host, container] of Object.entries(request.volumes)) args.push('-v', `${host}:${container}`);
  args.push(request.image);
  if (request.command !== undefined) args.push(...request.command.trim().split(/\s+/).filter(Boolean));
  args.push(...request.arguments);
  return args;
}

/** One name per task attempt: the activity's workflow and id, readable in `docker ps`. */
function defaultName(taskReference: string): string {
  const info = activityContext()?.info;
  const base = info ? `baton-${info.workflowExecution?.workflowId ?? 'run'}-${info.activityId}-${info.attempt}` : `baton-${taskReference}-${Date.now()}`;
  return base.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 128);
}

async function stopContainer(cli: ContainerRuntime, name: string, remove: boolean): Promise<void> {
  await cliRun(cli, ['kill', name]);
  if (remove) await cliRun(cli, ['rm', '-f', name]);
}

/** The first CLI that answers `version` (docker's fails when its daemon is unreachable). */
export async function detectContainerRuntime(preferred?: ContainerRuntime): Promise<ContainerRuntime | undefined> {
  for (const cli of preferred ? [preferred] : (['docker', 'podman'] as const)) {
    if ((await cliRun(cli, ['version'])) === 0) return cli;
  }
  return undefined;
}

function cliRun(cli: ContainerRuntime, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    try {
      const child = spawn(cli, [...args], { stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), CLI_PROBE_MS);
      child.once('error', () => {
        clearTimeout(timer);
        resolve(-1);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code ?? -1);
      });
    } catch {
      resolve(-1);
    }
  });
}

/** The runner's environment without Baton's own settings (secrets, keys), which the CLI has no use for. */
function cliEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('BATON_')));
}
