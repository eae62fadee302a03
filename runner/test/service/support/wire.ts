/** Reading what the runner put in an error answer, as any client would. */
import { createRequire } from 'node:module';
import type { ServiceError } from '@grpc/grpc-js';
import { DIAGNOSTICS_TRAILER } from '../../../src/service/errors.ts';
import type { RequestProblem } from '../../../src/service/errors.ts';

export async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (error === undefined) throw new Error('expected the call to be refused, it succeeded');
  return error as ServiceError;
}

export function diagnostics(error: ServiceError): RequestProblem[] {
  const raw = error.metadata?.get(DIAGNOSTICS_TRAILER)[0];
  return raw === undefined ? [] : (JSON.parse(String(raw)) as RequestProblem[]);
}

export interface DecodedStatus {
  code: number;
  message: string;
  details: { type_url: string; value: Uint8Array }[];
}

const require = createRequire(import.meta.url);

/** grpc-status-details-bin decoded with Temporal's copy of the google.rpc protos. */
export function statusDetails(error: ServiceError): DecodedStatus | undefined {
  const bytes = error.metadata?.get('grpc-status-details-bin')[0];
  if (!(bytes instanceof Buffer)) return undefined;
  // Under Bun, the namespace import of @temporalio/proto misbehaves; require() works (DESIGN 6).
  const proto = require('@temporalio/proto') as { google: { rpc: { Status: { decode(b: Uint8Array): unknown } } } };
  return proto.google.rpc.Status.decode(bytes) as DecodedStatus;
}

/** Bytes the answer's trailers take on the wire (what a peer's header-list limit counts). */
export function trailerBytes(error: ServiceError): number {
  let total = Buffer.byteLength(encodeURIComponent(error.details ?? ''));
  for (const [key, values] of Object.entries(error.metadata?.getMap() ?? {})) {
    const value = values instanceof Buffer ? values.toString('base64') : String(values);
    total += key.length + value.length;
  }
  return total;
}
