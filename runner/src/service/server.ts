/**
 * The gRPC server: the runner service, gRPC health checking (grpc.health.v1) and server
 * reflection (v1 and v1alpha), so grpcurl and load balancers work without a .proto file.
 */
import { readFileSync } from 'node:fs';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { ServerInterceptor, UntypedServiceImplementation } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import {
  DESCRIPTOR_SET_PATH,
  HEALTH_DESCRIPTOR_SET_PATH,
  WORKFLOW_RUNNER_SERVICE_NAME,
  WorkflowRunnerServiceControllerService,
} from '@baton/proto';
import { bearerAuth } from './auth.ts';
import { tolerantService } from './codec.ts';
import { createHandlers } from './handlers.ts';
import { addReflection, DescriptorIndex } from './reflection.ts';
import type { HandlerOptions } from './handlers.ts';

export interface ServiceServerOptions extends HandlerOptions {
  /** host:port; port 0 picks a free one. */
  readonly address: string;
  readonly tls?: { readonly certChain: Uint8Array; readonly privateKey: Uint8Array };
  readonly authToken?: string;
  readonly maxMessageBytes: number;
}

export interface ServiceServer {
  /** host:port actually bound. */
  readonly address: string;
  /** Marks the service NOT_SERVING for health checks (e.g. while draining). */
  setServing(serving: boolean): void;
  /** Stops accepting calls, lets running ones finish for `graceMs`, then cuts them. */
  stop(graceMs?: number): Promise<void>;
}

export async function startServiceServer(options: ServiceServerOptions): Promise<ServiceServer> {
  const interceptors: ServerInterceptor[] = options.authToken ? [bearerAuth(options.authToken)] : [];
  const server = new Server({
    interceptors,
    'grpc.max_receive_message_length': options.maxMessageBytes,
  });
  server.addService(tolerantService(WorkflowRunnerServiceControllerService), createHandlers(options) as UntypedServiceImplementation);

  const health = new HealthImplementation({ '': 'SERVING', [WORKFLOW_RUNNER_SERVICE_NAME]: 'SERVING' });
  health.addToServer(server);
  addReflection(server, new DescriptorIndex([readFileSync(DESCRIPTOR_SET_PATH), readFileSync(HEALTH_DESCRIPTOR_SET_PATH)]));

  const credentials = options.tls
    ? ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(options.tls.certChain), private_key: Buffer.from(options.tls.privateKey) }])
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(options.address, credentials, (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  const host = options.address.slice(0, options.address.lastIndexOf(':'));

  const setServing = (serving: boolean) => {
    const state = serving ? 'SERVING' : 'NOT_SERVING';
    health.setStatus('', state);
    health.setStatus(WORKFLOW_RUNNER_SERVICE_NAME, state);
  };
  return {
    address: `${host}:${port}`,
    setServing,
    stop: (graceMs = 2_000) =>
      new Promise<void>((resolve) => {
        setServing(false);
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
