/**
 * The CloudEvents HTTP protocol binding, receiving side: structured mode
 * (`application/cloudevents+json`), batched mode (`application/cloudevents-batch+json`) and binary
 * mode (`ce-*` headers, the body as data). Every event is checked by checkCloudEvent.
 */
import { checkCloudEvent } from './cloudevent.ts';
import type { EventProblem } from './cloudevent.ts';
import type { CloudEventJson } from '../contract/index.ts';

export type ParsedEvents = { readonly ok: true; readonly events: readonly CloudEventJson[] } | { readonly ok: false; readonly problem: EventProblem };

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';

export function parseHttpEvents(headers: Headers, body: Uint8Array, maxEventBytes: number): ParsedEvents {
  const contentType = headers.get('content-type') ?? '';
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (mediaType === STRUCTURED) return one(parseJson(body), maxEventBytes);
  if (mediaType === BATCH) {
    const parsed = parseJson(body);
    if (!parsed.ok) return parsed;
    if (!Array.isArray(parsed.value)) return invalid('event', 'a batch (application/cloudevents-batch+json) is a JSON array of events');
    const events: CloudEventJson[] = [];
    for (const [index, item] of parsed.value.entries()) {
      const checked = checkCloudEvent(item, maxEventBytes);
      if (!checked.ok) return { ok: false, problem: { ...checked.problem, message: `event ${index} of the batch: ${checked.problem.message}` } };
      events.push(checked.event);
    }
    return { ok: true, events };
  }
  if (headers.has('ce-specversion')) return binary(headers, contentType, mediaType, body, maxEventBytes);
  return invalid('specversion', `not a CloudEvent: send ${STRUCTURED}, ${BATCH}, or binary mode with ce-specversion and the other ce-* headers`);
}

function binary(headers: Headers, contentType: string, mediaType: string, body: Uint8Array, maxEventBytes: number): ParsedEvents {
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of headers) {
    if (!name.startsWith('ce-')) continue;
    try {
      attributes[name.slice(3)] = decodeURIComponent(value);
    } catch {
      return invalid(name.slice(3), `header ${name} is not valid percent-encoding`);
    }
  }
  if (contentType) attributes.datacontenttype = contentType;
  if (body.byteLength > 0) {
    if (isJson(mediaType)) {
      const parsed = parseJson(body);
      if (!parsed.ok) return parsed;
      attributes.data = parsed.value;
    } else if (mediaType.startsWith('text/')) {
      attributes.data = new TextDecoder().decode(body);
    } else {
      attributes.data_base64 = Buffer.from(body).toString('base64');
    }
  }
  return one({ ok: true, value: attributes }, maxEventBytes);
}

function one(parsed: { ok: true; value: unknown } | { ok: false; problem: EventProblem }, maxEventBytes: number): ParsedEvents {
  if (!parsed.ok) return parsed;
  const checked = checkCloudEvent(parsed.value, maxEventBytes);
  return checked.ok ? { ok: true, events: [checked.event] } : checked;
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function parseJson(body: Uint8Array): { ok: true; value: unknown } | { ok: false; problem: EventProblem } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) };
  } catch {
    return { ok: false, problem: { code: 'CLOUDEVENT_INVALID', attribute: 'data', message: 'the body is not valid JSON' } };
  }
}

function invalid(attribute: string, message: string): ParsedEvents {
  return { ok: false, problem: { code: 'CLOUDEVENT_INVALID', attribute, message } };
}
