/**
 * Checks that something received is a CloudEvents 1.0 event, naming the attribute that is wrong.
 * The SDK's own parser fills in a missing id and time and accepts other spec versions, which
 * would let a malformed event through changed; ingest must refuse it instead.
 */
import type { CloudEventJson } from '../contract/index.ts';

export type EventProblemCode = 'CLOUDEVENT_INVALID' | 'EVENT_TOO_LARGE';

/** What is wrong with one event; `attribute` names the context attribute (or `data`). */
export interface EventProblem {
  readonly code: EventProblemCode;
  readonly attribute: string;
  readonly message: string;
}

export type CheckedEvent = { readonly ok: true; readonly event: CloudEventJson } | { readonly ok: false; readonly problem: EventProblem };

const NAME = /^[a-z0-9]{1,20}$/;
const REQUIRED = ['id', 'source', 'type'] as const;
/** RFC 3339 date-time, as CloudEvents' `time` requires. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * How deep `data` may nest (objects and arrays): the bound an execution's input has, since a
 * listening task hands the data on as its output and evaluates filters over it.
 */
export const MAX_EVENT_DATA_DEPTH = 32;

const invalid = (attribute: string, message: string): CheckedEvent => ({ ok: false, problem: { code: 'CLOUDEVENT_INVALID', attribute, message } });

/** A structured-mode (JSON format) event, checked and bounded to `maxBytes` of JSON. */
export function checkCloudEvent(value: unknown, maxBytes: number): CheckedEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid('event', 'a CloudEvent in the JSON format is an object');
  const event = value as Record<string, unknown>;
  if (event.specversion !== '1.0') {
    return invalid('specversion', event.specversion === undefined ? 'specversion is required and must be "1.0"' : `specversion must be "1.0", got ${JSON.stringify(event.specversion)}`);
  }
  for (const name of REQUIRED) {
    const attribute = event[name];
    if (typeof attribute !== 'string' || attribute.length === 0) return invalid(name, `${name} is required and must be a non-empty string`);
  }
  for (const name of ['subject', 'datacontenttype', 'dataschema'] as const) {
    if (event[name] !== undefined && (typeof event[name] !== 'string' || event[name] === '')) return invalid(name, `${name} must be a non-empty string when present`);
  }
  if (event.time !== undefined && (typeof event.time !== 'string' || !RFC3339.test(event.time) || Number.isNaN(Date.parse(event.time)))) {
    return invalid('time', `time must be an RFC 3339 timestamp, got ${JSON.stringify(event.time)}`);
  }
  if (typeof event.dataschema === 'string' && !URL.canParse(event.dataschema)) return invalid('dataschema', 'dataschema must be an absolute URI');
  if (event.data !== undefined && event.data_base64 !== undefined) return invalid('data_base64', 'an event carries data or data_base64, not both');
  if (event.data_base64 !== undefined && (typeof event.data_base64 !== 'string' || !BASE64.test(event.data_base64))) {
    return invalid('data_base64', 'data_base64 must be a base64 string');
  }
  if (depthOf(event.data) > MAX_EVENT_DATA_DEPTH) {
    return invalid('data', `data is nested more than ${MAX_EVENT_DATA_DEPTH} levels deep (objects and arrays); at most ${MAX_EVENT_DATA_DEPTH} are accepted`);
  }
  for (const [name, attribute] of Object.entries(event)) {
    if (name === 'data' || name === 'data_base64') continue;
    if (!NAME.test(name)) return invalid(name, `attribute names are 1 to 20 lower-case letters or digits, got "${name}"`);
    if (attribute === null || !['string', 'number', 'boolean'].includes(typeof attribute)) {
      return invalid(name, `attribute ${name} must be a string, an integer or a boolean`);
    }
    if (typeof attribute === 'number' && !Number.isSafeInteger(attribute)) return invalid(name, `attribute ${name} must be an integer when it is a number`);
  }
  const bytes = Buffer.byteLength(JSON.stringify(event));
  if (bytes > maxBytes) {
    return { ok: false, problem: { code: 'EVENT_TOO_LARGE', attribute: 'data', message: `the event is ${bytes} bytes as JSON, over the runner's limit of ${maxBytes} (--max-event-bytes)` } };
  }
  return { ok: true, event: event as unknown as CloudEventJson };
}

/** The nesting depth of a JSON value (a scalar is 0), without recursion: the value is hostile. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_EVENT_DATA_DEPTH) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}
