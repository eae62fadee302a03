/**
 * The payload limit inside the interpreter workflow: checks that throw the coded error, and the
 * limit an execution's arguments set (payload-size.ts measures).
 */
import { patched } from '@temporalio/workflow';
import { DEFAULT_MAX_PAYLOAD_BYTES, payloadBytes, payloadTooLarge } from './payload-size.ts';

/**
 * Histories recorded before the limit may hold a value over it that the execution went on with;
 * they replay without the check. The marker is written only when a value is actually over.
 */
export const PAYLOAD_LIMIT_PATCH = 'baton-payload-limit';

/** In workflow code: throws the coded error when `value` would not fit in history; returns its size. */
export function checkPayload(value: unknown, limit: number, what: string, instance: string): number {
  const bytes = payloadBytes(value, limit);
  if (bytes > limit && patched(PAYLOAD_LIMIT_PATCH)) throw payloadTooLarge(what, bytes, limit, instance);
  return bytes;
}

/** The limit a workflow's arguments ask for; anything unusable means the default. */
export function maxPayloadBytesOf(limits: unknown): number {
  const value = typeof limits === 'object' && limits !== null ? (limits as { maxPayloadBytes?: unknown }).maxPayloadBytes : undefined;
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_MAX_PAYLOAD_BYTES;
}
