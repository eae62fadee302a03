/**
 * MQTT for `call: asyncapi`, with the `mqtt` package: one connection per attempt to the checked
 * address, a clean session, no reconnection (a lost broker fails the attempt; the call policy
 * retries it). Payloads are JSON (a string payload is sent as is; received bytes that are not
 * JSON are text); headers are MQTT 5 user properties and the correlation id its correlation data,
 * so MQTT 3.1.1 refuses headers rather than dropping them. The package is loaded on first use.
 */
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { IClientOptions, IPublishPacket, MqttClient } from 'mqtt';
import { callFailure } from '../call-policy.ts';
import type { AsyncApiInboundMessage, AsyncApiPublish } from '../../contract/index.ts';
import type { AsyncApiTarget } from './document.ts';
import type { Consumption } from './consumption.ts';

const CONNECT_TIMEOUT_MS = 10_000;
/** What one subscription keeps at most, so a `while` that never turns false cannot exhaust memory. */
export const MAX_CONSUMED_BYTES = 4 * 1024 * 1024;
/** CONNACK codes saying the credentials were refused: 3.1.1's 4 and 5, MQTT 5's 134 and 135. */
const REFUSED_CREDENTIALS = new Set([4, 5, 134, 135]);
const SUBACK_FAILURE = 128;

export interface BrokerCredentials {
  readonly username: string;
  readonly password: string;
}

export interface Connection {
  readonly target: AsyncApiTarget;
  /** The checked address to connect to (the egress policy's answer for the server's host). */
  readonly address: string;
  readonly credentials?: BrokerCredentials;
  readonly instance: string;
  readonly signal: AbortSignal | undefined;
}

export async function publish(connection: Connection, message: AsyncApiPublish): Promise<void> {
  const { target, instance } = connection;
  const hasHeaders = Object.keys(message.headers).length > 0;
  if (target.protocolVersion !== 5 && hasHeaders) {
    throw callFailure({ kind: 'configuration', status: 400, title: 'Headers need MQTT 5', detail: `the server '${target.server}' speaks MQTT 3.1.1, which carries no message headers`, instance });
  }
  const client = await connect(connection);
  try {
    const body = typeof message.payload === 'string' ? message.payload : JSON.stringify(message.payload ?? null);
    await whileConnected(client, connection, client.publishAsync(target.topic, body, {
      qos: target.qos,
      retain: target.retain,
      // An empty user-properties list is a malformed packet to some brokers (Mosquitto disconnects).
      ...(target.protocolVersion === 5 ? { properties: { contentType: 'application/json', ...(hasHeaders ? { userProperties: { ...message.headers } } : {}) } } : {}),
    }));
  } finally {
    await client.endAsync().catch(() => undefined);
  }
}

/** Consumes until the policy says so, `forMs` elapses (normal end) or the signal aborts (cancellation, task timeout). */
export async function subscribe(connection: Connection, consumption: Consumption, forMs: number | undefined): Promise<readonly AsyncApiInboundMessage[]> {
  const { target, instance } = connection;
  const client = await connect(connection);
  try {
    return await whileConnected(client, connection, new Promise<readonly AsyncApiInboundMessage[]>((resolve, reject) => {
      let bytes = 0;
      const timer = forMs === undefined ? undefined : setTimeout(() => resolve(consumption.messages), forMs);
      const stop = (error?: unknown) => {
        clearTimeout(timer);
        client.removeAllListeners('message');
        if (error === undefined) resolve(consumption.messages);
        else reject(error);
      };
      client.on('message', (_topic, payload, packet) => {
        bytes += payload.byteLength;
        if (bytes > MAX_CONSUMED_BYTES) {
          stop(callFailure({ kind: 'communication', status: 413, title: 'Messages too large', detail: `the messages consumed from '${target.topic}' exceed ${MAX_CONSUMED_BYTES} bytes`, instance }));
          return;
        }
        try {
          if (consumption.offer(inbound(payload, packet))) stop();
        } catch (error) {
          stop(error);
        }
      });
      client.subscribeAsync(target.topic, { qos: target.qos }).then((granted) => {
        if (granted.some((grant) => grant.qos === SUBACK_FAILURE)) {
          stop(callFailure({ kind: 'authorization', status: 403, title: 'Subscription refused', detail: `the broker '${target.server}' refused a subscription to '${target.topic}'`, instance }));
        }
      }, (error: unknown) => stop(brokerFailure(error, connection)));
    }));
  } finally {
    await client.endAsync().catch(() => undefined);
  }
}

async function connect(connection: Connection): Promise<MqttClient> {
  const { target, address, credentials, signal } = connection;
  const host = isIP(address) === 6 ? `[${address}]` : address;
  const options: IClientOptions = {
    protocolVersion: target.protocolVersion,
    clientId: `baton-${randomUUID()}`,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    ...(credentials ? { username: credentials.username, password: credentials.password } : {}),
  };
  signal?.throwIfAborted();
  const { connectAsync } = await import('mqtt');
  try {
    return await connectAsync(`mqtt://${host}:${target.port}`, options, false);
  } catch (error) {
    throw brokerFailure(error, connection);
  }
}

/** The work, unless the connection drops or the activity is cancelled first. */
function whileConnected<T>(client: MqttClient, connection: Connection, work: Promise<T>): Promise<T> {
  const { signal } = connection;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal!.reason);
    const closed = () => reject(brokerFailure(new Error('the broker closed the connection'), connection));
    const cleanup = () => {
      signal?.removeEventListener('abort', abort);
      client.off('close', closed);
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort, { once: true });
    client.on('close', closed);
    work.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}

function brokerFailure(error: unknown, connection: Connection) {
  const { target, instance } = connection;
  const where = `MQTT ${target.host}:${target.port} (server '${target.server}')`;
  const code = (error as { code?: unknown }).code;
  const message = (error as Error).message ?? String(error);
  if (typeof code === 'number' && REFUSED_CREDENTIALS.has(code)) {
    return callFailure({ kind: 'authentication', status: 401, title: 'Broker refused the credentials', detail: `${where}: ${message}`, instance });
  }
  return callFailure({ kind: 'communication', status: 503, title: 'Broker unreachable', detail: `${where}: ${message}`, instance, retryable: true });
}

function inbound(payload: Buffer, packet: IPublishPacket): AsyncApiInboundMessage {
  const text = payload.toString('utf8');
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: the text itself.
  }
  const properties = packet.properties;
  const headers = properties?.userProperties
    ? Object.fromEntries(Object.entries(properties.userProperties).map(([key, entry]) => [key, Array.isArray(entry) ? entry.join(',') : entry]))
    : undefined;
  return {
    payload: value,
    ...(headers ? { headers } : {}),
    ...(properties?.correlationData ? { correlationId: properties.correlationData.toString('utf8') } : {}),
  };
}
