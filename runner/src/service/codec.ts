/**
 * Request decoding that never throws. grpc-js answers INTERNAL when a request fails to decode,
 * and the generated decoders quietly replace invalid UTF-8 and skip fields of the wrong wire
 * type. A malformed request is the client's fault, so it must be INVALID_ARGUMENT with a reason:
 * the decoder here checks the top-level fields first and hands the handler a MalformedRequest.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';

export class MalformedRequest {
  constructor(readonly reason: string) {}
}

export type Decoded<T> = T | MalformedRequest;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

/** Expected wire type of each known top-level field, and which length-delimited ones are strings. */
export interface FieldShape {
  readonly wire: number;
  readonly name: string;
  readonly utf8?: boolean;
}

const text = (name: string): FieldShape => ({ wire: WIRE_LENGTH, name, utf8: true });
const bytes = (name: string): FieldShape => ({ wire: WIRE_LENGTH, name });
const bool = (name: string): FieldShape => ({ wire: WIRE_VARINT, name });

const EXECUTE_INPUT: Record<number, FieldShape> = {
  1: text('workflow_execution_id'),
  2: text('workflow_yaml'),
  3: bytes('callback_token'),
  4: bytes('input'),
  5: text('callback_namespace'),
};
const ID_AND_REASON: Record<number, FieldShape> = { 1: text('execution_id'), 2: text('reason') };

export const REQUEST_SHAPES: Record<string, Record<number, FieldShape>> = {
  executeAsync: EXECUTE_INPUT,
  execute: EXECUTE_INPUT,
  cancelExecution: { ...ID_AND_REASON, 3: bool('force') },
  pauseExecution: ID_AND_REASON,
  resumeExecution: ID_AND_REASON,
  getExecution: { 1: text('execution_id') },
  watchExecution: { 1: text('execution_id') },
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The service definition with decoders that return MalformedRequest instead of throwing. */
export function tolerantService(definition: ServiceDefinition): ServiceDefinition {
  return Object.fromEntries(
    Object.entries(definition).map(([method, call]) => {
      const shape = REQUEST_SHAPES[method] ?? {};
      const requestDeserialize = (buffer: Buffer): unknown => {
        const problem = checkFields(buffer, shape);
        if (problem) return new MalformedRequest(problem);
        try {
          return call.requestDeserialize(buffer);
        } catch (err) {
          return new MalformedRequest(`the request is not a valid protobuf message (${err instanceof Error ? err.message : String(err)})`);
        }
      };
      return [method, { ...call, requestDeserialize }];
    }),
  );
}

/** Walks the top-level fields: wire types must match and strings must be valid UTF-8. */
export function checkFields(buffer: Uint8Array, shape: Record<number, FieldShape>): string | undefined {
  let pos = 0;
  const varint = (): number | undefined => {
    let result = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (pos >= buffer.length) return undefined;
      const byte = buffer[pos++] as number;
      if (shift < 53) result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
    }
    return undefined;
  };
  while (pos < buffer.length) {
    const tag = varint();
    if (tag === undefined) return 'the request is truncated';
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    const expected = shape[field];
    if (expected && expected.wire !== wire) return `field ${expected.name} has the wrong type`;
    switch (wire) {
      case WIRE_VARINT:
        if (varint() === undefined) return 'the request is truncated';
        break;
      case WIRE_FIXED64:
        pos += 8;
        break;
      case WIRE_FIXED32:
        pos += 4;
        break;
      case WIRE_LENGTH: {
        const length = varint();
        if (length === undefined || pos + length > buffer.length) return 'the request is truncated';
        if (expected?.utf8) {
          try {
            strictUtf8.decode(buffer.subarray(pos, pos + length));
          } catch {
            return `field ${expected.name} is not valid UTF-8`;
          }
        }
        pos += length;
        break;
      }
      default:
        return `the request is not a valid protobuf message (wire type ${wire})`;
    }
    if (pos > buffer.length) return 'the request is truncated';
  }
  return undefined;
}
