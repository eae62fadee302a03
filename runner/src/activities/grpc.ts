/**
 * The `call: grpc` activity: one unary call per attempt on a client built from the `.proto`
 * (grpc/proto.ts). The host goes through the egress policy like an HTTP endpoint: every address
 * it resolves to is checked and the channel connects to a checked address (the name stays the
 * authority, and TLS's server name), so a rebinding DNS changes nothing. Port 443 uses TLS with
 * the system's roots, other ports plaintext. Cancellation cancels the call. Authentication (any
 * scheme but digest, which answers an HTTP challenge) is sent as the `authorization` metadata.
 */
import { isIP } from 'node:net';
import { credentials, Client, Metadata } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { createEgressClient, PUBLIC_ONLY, systemResolver } from '../egress/index.ts';
import { checkedAddress } from './checked-address.ts';
import { createDocumentReader } from './call-documents.ts';
import { activityContext, callFailure, unlessAborted, withHeartbeats } from './call-policy.ts';
import { collectCredentials, redactDeep, redactFailure } from './call-redaction.ts';
import { createAuthenticator } from './auth/index.ts';
import { resourceAccess } from './resource-access.ts';
import { NO_SECRETS } from './http/secrets.ts';
import { createProtoCache } from './grpc/proto.ts';
import type { AnyMethod } from './grpc/proto.ts';
import type { GrpcActivities, GrpcCallRequest } from '../contract/index.ts';
import { grpcStatusFailure } from './grpc/status.ts';
import type { CallDocumentOptions } from './openapi.ts';

/** Answers beyond this are refused rather than pushed into workflow history. */
const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
const TLS_PORT = 443;

export function createGrpcActivities(options: CallDocumentOptions = {}): GrpcActivities {
  const policy = options.egress ?? PUBLIC_ONLY;
  const resolver = options.resolver ?? systemResolver;
  const client = createEgressClient(policy, resolver);
  const protos = createProtoCache(createDocumentReader(client, options.documentsDir));
  const authenticator = options.authenticator ?? createAuthenticator({ secrets: options.secrets ?? NO_SECRETS, client });
  return {
    async grpcCall(request: GrpcCallRequest): Promise<unknown> {
      const { authentication, protoAuthentication } = request;
      const credentials = collectCredentials();
      try {
        const output = await withHeartbeats(async (signal) => {
          const access = protoAuthentication ? await resourceAccess(authenticator, protoAuthentication, request.taskReference, credentials.values, signal) : undefined;
          const method = await unlessAborted(protos.method(request.proto, request.service, request.method, request.taskReference, access), signal);
          const address = await checkedAddress(policy, resolver, { host: request.host, port: request.port, protocol: 'gRPC', instance: request.taskReference });
          const metadata = new Metadata();
          if (authentication) {
            const authorization = await authenticator.authorize(authentication, request.taskReference, {
              ...(signal ? { signal } : {}),
              onCredentials: (values) => credentials.values.push(...values),
            });
            credentials.values.push(...authorization.secrets);
            if (authorization.header === undefined) {
              throw callFailure({ kind: 'configuration', status: 400, title: 'Unsupported authentication', detail: `${authentication.policy.scheme} authentication answers an HTTP challenge; gRPC calls cannot use it`, instance: request.taskReference });
            }
            metadata.set('authorization', authorization.header);
          }
          return call(address, method, request, metadata, signal);
        }, request.heartbeatEveryMs);
        return authentication ? redactDeep(output, credentials.redact) : output;
      } catch (error) {
        if ((!authentication && !protoAuthentication) || activityContext()?.cancellationSignal.aborted) throw error;
        throw redactFailure(error, credentials.redact);
      }
    },
  };
}

/** Public addresses only, no files. */
export const { grpcCall } = createGrpcActivities();

function call(address: string, method: AnyMethod, request: GrpcCallRequest, metadata: Metadata, signal: AbortSignal | undefined): Promise<unknown> {
  const authority = `${request.host}:${request.port}`;
  const target = `${isIP(address) === 6 ? `[${address}]` : address}:${request.port}`;
  const tls = request.port === TLS_PORT;
  const client = new Client(target, tls ? credentials.createSsl() : credentials.createInsecure(), {
    'grpc.default_authority': authority,
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    ...(tls ? { 'grpc.ssl_target_name_override': request.host } : {}),
  });
  const what = `${request.service}/${request.method} at ${authority}`;
  let argument: Buffer;
  try {
    argument = method.requestSerialize(request.arguments as object);
  } catch (error) {
    client.close();
    throw callFailure({ kind: 'validation', status: 400, title: 'Invalid arguments', detail: `${what}: ${(error as Error).message}`, instance: request.taskReference });
  }
  return new Promise((resolve, reject) => {
    const pending = client.makeUnaryRequest(
      method.path,
      (value: Buffer) => value,
      (bytes: Buffer) => method.responseDeserialize(bytes),
      argument,
      metadata,
      {},
      (error: ServiceError | null, response?: unknown) => {
        signal?.removeEventListener('abort', cancel);
        client.close();
        if (signal?.aborted) reject(signal.reason);
        else if (error) reject(grpcStatusFailure(error.code, error.details, what, request.taskReference));
        else resolve(response ?? null);
      },
    );
    const cancel = () => pending.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
  });
}
