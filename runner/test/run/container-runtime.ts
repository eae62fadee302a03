/**
 * A container runtime the tests can use without a registry: docker or podman (whichever answers),
 * with a tiny busybox image imported from Debian's busybox-static binary. Returns why not when the
 * machine cannot run containers, so the tests can say so.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectContainerRuntime } from '../../src/activities/run/index.ts';
import type { ContainerRuntime } from '../../src/activities/run/index.ts';

export const TEST_IMAGE = 'localhost/baton-test/busybox:1';

export type TestRuntime = { readonly cli: ContainerRuntime } | { readonly unavailable: string };

export async function prepareContainerRuntime(): Promise<TestRuntime> {
  const cli = await detectContainerRuntime();
  if (!cli) return { unavailable: 'neither docker nor podman answers `version` on this machine (docker needs a reachable daemon; .ci/run installs podman)' };
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((path) => existsSync(path));
  if (!busybox) return { unavailable: 'no busybox binary to build the test image from (apt-get install busybox-static)' };
  const root = mkdtempSync(join(tmpdir(), 'baton-busybox-'));
  mkdirSync(join(root, 'rootfs', 'bin'), { recursive: true });
  copyFileSync(busybox, join(root, 'rootfs', 'bin', 'busybox'));
  chmodSync(join(root, 'rootfs', 'bin', 'busybox'), 0o755);
  for (const applet of ['sh', 'echo', 'cat', 'sleep', 'env', 'ls']) symlinkSync('busybox', join(root, 'rootfs', 'bin', applet));
  const tar = join(root, 'rootfs.tar');
  const packed = await cliRun('tar', ['-C', join(root, 'rootfs'), '-cf', tar, '.']);
  if (packed.code !== 0) return { unavailable: `could not pack the test image: ${packed.stderr}` };
  const imported = await cliRun(cli, ['import', tar, TEST_IMAGE]);
  if (imported.code !== 0) return { unavailable: `${cli} import failed: ${imported.stderr.trim()}` };
  let probe = await cliRun(cli, ['run', '--rm', '--pull', 'never', TEST_IMAGE, 'echo', 'ok']);
  if (probe.code !== 0 && cli === 'podman') {
    // Seen in a Firecracker VM with hybrid cgroups: crun refuses, and podman's default rlimits exceed
    // the VM's. runc with modest rlimits works; the runner passes CONTAINERS_CONF on to podman.
    const conf = join(root, 'containers.conf');
    writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "runc"\n');
    process.env.CONTAINERS_CONF = conf;
    probe = await cliRun(cli, ['run', '--rm', '--pull', 'never', TEST_IMAGE, 'echo', 'ok']);
  }
  if (probe.code !== 0) return { unavailable: `${cli} cannot run a container here: ${probe.stderr.trim()}` };
  return { cli };
}

export async function cliRun(file: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([file, ...args], { stdout: 'pipe', stderr: 'pipe', env: process.env });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

/** `running`, `exited` …, or undefined when no container has this name. */
export async function containerState(cli: ContainerRuntime, name: string): Promise<string | undefined> {
  const result = await cliRun(cli, ['inspect', '--format', '{{.State.Status}}', name]);
  return result.code === 0 ? result.stdout.trim() : undefined;
}
