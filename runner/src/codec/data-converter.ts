/**
 * The data converter of the runner's own clients and workers: payloads encrypted when keys are
 * configured. Not for the client that completes a caller's parked activity (activities/callback):
 * the caller reads that result with its own converter, which knows nothing of our keys.
 */
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './payload-codec.ts';
import type { CodecKey } from './keys.ts';

export function runnerDataConverter(keys: readonly CodecKey[]): DataConverter | undefined {
  const [first, ...rest] = keys;
  return first ? { payloadCodecs: [new AesGcmPayloadCodec([first, ...rest])] } : undefined;
}
