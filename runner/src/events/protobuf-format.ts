/**
 * The CloudEvents Protobuf Format, receiving side: a decoded `io.cloudevents.v1.CloudEvent` turned
 * into the JSON form the bus carries, then checked like every other event. `text_data` with a JSON
 * content type is parsed as JSON (an event published over HTTP binary mode reads the same);
 * `binary_data` becomes `data_base64`; `proto_data` is refused (its message type is unknown here).
 */
import type { CloudEvent } from '@baton/proto';
import { checkCloudEvent } from './cloudevent.ts';
import type { CheckedEvent } from './cloudevent.ts';

export function fromProtobuf(message: CloudEvent, maxBytes: number): CheckedEvent {
  const event: Record<string, unknown> = { specversion: message.specVersion, id: message.id, source: message.source, type: message.type };
  for (const [name, value] of Object.entries(message.attributes ?? {})) {
    const converted = attributeValue(value);
    if (converted === undefined) return invalid(name, `attribute ${name} has no value`);
    event[name] = converted;
  }
  if (message.protoData !== undefined) return invalid('data', 'proto_data is not accepted: send the serialized message as binary_data with its datacontenttype');
  if (message.binaryData !== undefined) event.data_base64 = Buffer.from(message.binaryData).toString('base64');
  if (message.textData !== undefined) {
    const mediaType = String(event.datacontenttype ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
      try {
        event.data = JSON.parse(message.textData);
      } catch {
        return invalid('data', `text_data is not valid JSON, though datacontenttype is ${String(event.datacontenttype)}`);
      }
    } else {
      event.data = message.textData;
    }
  }
  return checkCloudEvent(event, maxBytes);
}

function attributeValue(value: CloudEvent['attributes'][string]): unknown {
  if (value.ceBoolean !== undefined) return value.ceBoolean;
  if (value.ceInteger !== undefined) return value.ceInteger;
  if (value.ceString !== undefined) return value.ceString;
  if (value.ceBytes !== undefined) return Buffer.from(value.ceBytes).toString('base64');
  if (value.ceUri !== undefined) return value.ceUri;
  if (value.ceUriRef !== undefined) return value.ceUriRef;
  if (value.ceTimestamp !== undefined) return value.ceTimestamp.toISOString();
  return undefined;
}

function invalid(attribute: string, message: string): CheckedEvent {
  return { ok: false, problem: { code: 'CLOUDEVENT_INVALID', attribute, message } };
}
