/**
 * Builds the bare Go worker (go-worker/main.go) into .cache/bench, once per change of its
 * sources: the Go toolchain caches the build, so a second run costs a fraction of a second.
 * Returns the binary's path, or why there is none (no Go on this machine, a failed build):
 * bench:runner then leaves the Go figures out and says so.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_DIR = fileURLToPath(new URL('./go-worker/', import.meta.url));
const BINARY = fileURLToPath(new URL('../../../.cache/bench/bare-go-worker', import.meta.url));

export type GoWorkerBuild = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

export async function buildGoWorker(): Promise<GoWorkerBuild> {
  if (!Bun.which('go')) return { ok: false, reason: 'no go command on PATH' };
  mkdirSync(dirname(BINARY), { recursive: true });
  const build = Bun.spawn(['go', 'build', '-o', BINARY, '.'], { cwd: SOURCE_DIR, stdout: 'pipe', stderr: 'pipe' });
  const [code, errors] = await Promise.all([build.exited, new Response(build.stderr).text()]);
  return code === 0 ? { ok: true, path: BINARY } : { ok: false, reason: `go build failed (exit ${code}): ${errors.trim().split('\n').slice(-3).join(' ')}` };
}
