/**
 * The standard `grpc-status-details-bin` trailer: a protobuf-encoded google.rpc.Status whose
 * details are google.rpc.BadRequest (one field violation per request problem) and
 * google.rpc.RetryInfo (how long to wait before asking again). grpcurl, grpc-go's
 * `status.FromError(err).Details()` and the other error-details libraries decode it.
 * Hand-encoded: three small messages do not justify generated code.
 */

const BAD_REQUEST_TYPE_URL = 'type.googleapis.com/google.rpc.BadRequest';
export const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

export interface FieldViolation {
  readonly field: string;
  readonly description: string;
  readonly reason: string;
}

export interface StatusDetails {
  readonly code: number;
  readonly message: string;
  readonly violations: readonly FieldViolation[];
  readonly retryAfterMs?: number;
}

export function encodeStatusDetails(details: StatusDetails): Uint8Array {
  const anys: Uint8Array[] = [];
  if (details.violations.length > 0) {
    const violations = details.violations.map((v) => concat(stringField(1, v.field), stringField(2, v.description), stringField(3, v.reason)));
    anys.push(any(BAD_REQUEST_TYPE_URL, concat(...violations.map((v) => bytesField(1, v)))));
  }
  if (details.retryAfterMs !== undefined) {
    const ms = Math.max(0, Math.round(details.retryAfterMs));
    // google.protobuf.Duration { seconds = 1; nanos = 2 }
    const duration = concat(varintField(1, Math.floor(ms / 1000)), varintField(2, (ms % 1000) * 1_000_000));
    anys.push(any(RETRY_INFO_TYPE_URL, bytesField(1, duration)));
  }
  return concat(varintField(1, details.code), stringField(2, details.message), ...anys.map((a) => bytesField(3, a)));
}

function any(typeUrl: string, value: Uint8Array): Uint8Array {
  return concat(stringField(1, typeUrl), bytesField(2, value));
}

const utf8 = new TextEncoder();

function varint(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value >>> 0;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

function varintField(field: number, value: number): Uint8Array {
  return concat(varint(field << 3), varint(value));
}

function bytesField(field: number, value: Uint8Array): Uint8Array {
  return concat(varint((field << 3) | 2), varint(value.length), value);
}

function stringField(field: number, value: string): Uint8Array {
  return bytesField(field, utf8.encode(value));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
