/**
 * The caller's channel over TLS, against a TLS gRPC server this test starts with a throw-away
 * self-signed certificate: pinning the certificate connects; without it the handshake fails and
 * counts as unreachable (retryable), not as a refusal.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { WorkflowRunnerServiceControllerService } from '@baton/proto';
import type { WorkflowExecuteInput, WorkflowExecuteResponse } from '@baton/proto';
import { connectRunner, RunnerCallError } from '../src/runner-client.ts';

const openssl = Bun.which('openssl');
if (!openssl) console.warn('SKIP caller TLS test: no `openssl` on PATH to make a test certificate');

let dir: string;
let certificate: Uint8Array;
let server: Server;
let address: string;

function executeAsync(call: ServerUnaryCall<WorkflowExecuteInput, WorkflowExecuteResponse>, reply: sendUnaryData<WorkflowExecuteResponse>) {
  const id = call.request.workflowExecutionId;
  reply(null, { workflowExecutionId: id, status: 'running', message: 'over tls', temporalWorkflowId: id, subscribeUrl: '', statusUrl: '' });
}

beforeAll(async () => {
  if (!openssl) return;
  dir = await mkdtemp(join(tmpdir(), 'caller-tls-'));
  const made = Bun.spawnSync([
    openssl, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stderr: 'pipe' });
  if (made.exitCode !== 0) throw new Error(`openssl could not make a test certificate: ${made.stderr.toString()}`);
  certificate = new Uint8Array(await readFile(join(dir, 'cert.pem')));
  const key = await readFile(join(dir, 'key.pem'));
  server = new Server();
  server.addService(WorkflowRunnerServiceControllerService, { executeAsync });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(certificate), private_key: key }]), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  // By name: Bun's TLS refuses an IP address as the server name.
  address = `localhost:${port}`;
});

afterAll(async () => {
  server?.forceShutdown();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const request: WorkflowExecuteInput = {
  workflowExecutionId: 'tls-1',
  workflowYaml: 'do: []',
  callbackToken: new Uint8Array([1, 2, 3]),
  input: undefined,
  workflowReference: undefined,
  callbackNamespace: 'default',
};

test.skipIf(!openssl)('a pinned server certificate carries the call over TLS', async () => {
  const runner = connectRunner({ runner: address, tls: { serverRootCACertificate: certificate } });
  try {
    expect(await runner.executeAsync(request)).toMatchObject({ workflowExecutionId: 'tls-1', message: 'over tls' });
  } finally {
    runner.close();
  }
});

test.skipIf(!openssl)('an untrusted certificate is an unreachable runner, retried rather than refused', async () => {
  const runner = connectRunner({ runner: address, tls: true, callTimeoutMs: 5_000 });
  try {
    const error = await runner.executeAsync(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunnerCallError);
    expect((error as RunnerCallError).transient).toBe(true);
  } finally {
    runner.close();
  }
});
