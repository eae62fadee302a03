/**
 * Bearer-token authentication for every call (`authorization: Bearer <token>`), as a grpc-js
 * server interceptor so it covers reflection too. Health checks stay open: load balancers probe
 * them without credentials.
 */
import { timingSafeEqual } from 'node:crypto';
import { ServerInterceptingCall, status as GrpcStatus } from '@grpc/grpc-js';
import type { Metadata, ServerInterceptor } from '@grpc/grpc-js';

const OPEN_PREFIXES = ['/grpc.health.v1.Health/'];

export function bearerAuth(expectedToken: string): ServerInterceptor {
  const expected = Buffer.from(expectedToken, 'utf8');
  return (method, call) => {
    if (OPEN_PREFIXES.some((prefix) => method.path.startsWith(prefix))) return new ServerInterceptingCall(call);
    return new ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onReceiveMetadata: (metadata, proceed) => {
            const problem = checkBearer(metadata, expected);
            if (problem) call.sendStatus({ code: GrpcStatus.UNAUTHENTICATED, details: problem });
            else proceed(metadata);
          },
        });
      },
    });
  };
}

function checkBearer(metadata: Metadata, expected: Buffer): string | undefined {
  const values = metadata.get('authorization');
  if (values.length === 0) return 'missing `authorization: Bearer <token>` metadata';
  const header = String(values[0]);
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) return 'the authorization metadata must be `Bearer <token>`';
  const given = Buffer.from(match[1] as string, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'the bearer token is not valid';
  return undefined;
}
