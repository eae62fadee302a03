/**
 * Request decoding that never throws. grpc-js answers INTERNAL when a request fails to decode,
 * and the generated decoders quietly replace invalid UTF-8 and skip fields of the wrong wire
 * type. A malformed request is the client's fault, so it must be INVALID_ARGUMENT with a reason:
 * the decoder here checks the top-level fields first and hands the handler a MalformedRequest.
 *
 * The `input` Struct's nesting is limited explicitly (MAX_INPUT_DEPTH levels of objects and
 * arrays): the generated decoder gives up at 100 protobuf messages deep — about 33 JSON levels,
 * since each level is a Struct, a map entry and a Value — with an error that reads like a broken
 * message. Checking first says what is wrong and where the limit is.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';

export class MalformedRequest {
  constructor(
    readonly reason: string,
    readonly field = 'request',
    readonly code = 'REQUEST_MALFORMED',
  ) {}
}

/** Deepest accepted `input`: objects and arrays inside each other, the top-level object counting as 1. */
export const MAX_INPUT_DEPTH = 32;
const INPUT_FIELD = 4;

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
  6: bytes('workflow_reference'),
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
  deploy: { 1: text('workflow_yaml') },
  undeploy: { 1: bytes('reference') },
  listDeployments: { 1: text('namespace') },
  listSchedules: { 1: text('namespace') },
  pauseSchedule: { 1: bytes('reference'), 2: text('reason') },
  resumeSchedule: { 1: bytes('reference'), 2: text('reason') },
  triggerSchedule: { 1: bytes('reference'), 2: text('reason') },
  publishEvents: { 1: bytes('events') },
  signalExecution: { 1: text('execution_id'), 2: text('name'), 3: bytes('payload') },
  queryExecution: { 1: text('execution_id'), 2: text('name') },
  updateExecution: { 1: text('execution_id'), 2: text('name'), 3: bytes('payload') },
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
        if (shape === EXECUTE_INPUT) {
          const depth = inputDepth(buffer);
          if (depth > MAX_INPUT_DEPTH) {
            return new MalformedRequest(`is nested more than ${MAX_INPUT_DEPTH} levels deep (objects and arrays); at most ${MAX_INPUT_DEPTH} are accepted`, 'input', 'INPUT_TOO_DEEP');
          }
        }
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

interface WireField {
  readonly field: number;
  readonly wire: number;
  /** The bytes of a length-delimited field; empty otherwise. */
  readonly bytes: Uint8Array;
}

/** The fields of one message; stops quietly at anything malformed (the decoder reports that). */
function* wireFields(buffer: Uint8Array): Generator<WireField> {
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
    if (tag === undefined) return;
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === WIRE_LENGTH) {
      const length = varint();
      if (length === undefined || pos + length > buffer.length) return;
      yield { field, wire, bytes: buffer.subarray(pos, pos + length) };
      pos += length;
      continue;
    }
    if (wire === WIRE_VARINT) {
      if (varint() === undefined) return;
    } else if (wire === WIRE_FIXED64) pos += 8;
    else if (wire === WIRE_FIXED32) pos += 4;
    else return;
    yield { field, wire, bytes: new Uint8Array(0) };
  }
}

/** Nesting of the execute request's `input` Struct, counted up to one past the limit. */
function inputDepth(request: Uint8Array): number {
  let depth = 0;
  for (const f of wireFields(request)) {
    if (f.field === INPUT_FIELD && f.wire === WIRE_LENGTH) depth = Math.max(depth, structDepth(f.bytes, 1));
  }
  return depth;
}

// google.protobuf.Struct { map<string, Value> fields = 1 } — entries { key = 1; Value value = 2 }
function structDepth(struct: Uint8Array, level: number): number {
  // Past the limit the answer is known: stop before a hostile depth exhausts the stack.
  if (level > MAX_INPUT_DEPTH) return level;
  let deepest = level;
  for (const entry of wireFields(struct)) {
    if (entry.field !== 1 || entry.wire !== WIRE_LENGTH) continue;
    for (const part of wireFields(entry.bytes)) {
      if (part.field === 2 && part.wire === WIRE_LENGTH) deepest = Math.max(deepest, valueDepth(part.bytes, level));
      if (deepest > MAX_INPUT_DEPTH) return deepest;
    }
  }
  return deepest;
}

// google.protobuf.Value { Struct struct_value = 5; ListValue list_value = 6; scalars otherwise }
// google.protobuf.ListValue { repeated Value values = 1 }
function valueDepth(value: Uint8Array, level: number): number {
  let deepest = level;
  for (const f of wireFields(value)) {
    if (f.wire !== WIRE_LENGTH) continue;
    if (f.field === 5) deepest = Math.max(deepest, structDepth(f.bytes, level + 1));
    if (f.field === 6) {
      deepest = Math.max(deepest, level + 1);
      if (deepest > MAX_INPUT_DEPTH) return deepest;
      for (const item of wireFields(f.bytes)) {
        if (item.field === 1 && item.wire === WIRE_LENGTH) deepest = Math.max(deepest, valueDepth(item.bytes, level + 1));
        if (deepest > MAX_INPUT_DEPTH) return deepest;
      }
    }
  }
  return deepest;
}
