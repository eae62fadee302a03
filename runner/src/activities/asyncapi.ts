/**
 * The `call: asyncapi` activity: the document is read (through the egress policy, files only from
 * the allowed folder) and parsed once per runner process, the operation's channel and server are
 * resolved, and one message is published to, or messages consumed from, the broker over MQTT —
 * whose host goes through the egress policy like any call's. Basic authentication is the broker's
 * username and password, evaluated here so neither enters history.
 */
import { createEgressClient, PUBLIC_ONLY, systemResolver } from '../egress/index.ts';
import { createDocumentReader } from './call-documents.ts';
import { activityContext, callFailure, unlessAborted, withHeartbeats } from './call-policy.ts';
import { collectCredentials, redactDeep, redactFailure } from './call-redaction.ts';
import { checkedAddress } from './checked-address.ts';
import { createAuthenticator } from './auth/index.ts';
import { resourceAccess } from './resource-access.ts';
import type { Authenticator } from './auth/index.ts';
import { NO_SECRETS } from './http/secrets.ts';
import { createConsumption } from './asyncapi/consumption.ts';
import { createAsyncApiDocumentCache } from './asyncapi/document.ts';
import { publish, subscribe } from './asyncapi/mqtt.ts';
import type { BrokerCredentials } from './asyncapi/mqtt.ts';
import type { AsyncApiActivities, AsyncApiCallRequest, AsyncApiInboundMessage } from '../contract/index.ts';
import type { CallCredentials } from './call-redaction.ts';
import type { CallDocumentOptions } from './openapi.ts';

export function createAsyncApiActivities(options: CallDocumentOptions = {}): AsyncApiActivities {
  const policy = options.egress ?? PUBLIC_ONLY;
  const resolver = options.resolver ?? systemResolver;
  const client = createEgressClient(policy, resolver);
  const documents = createAsyncApiDocumentCache(createDocumentReader(client, options.documentsDir));
  const authenticator = options.authenticator ?? createAuthenticator({ secrets: options.secrets ?? NO_SECRETS, client });
  return {
    async asyncApiCall(request: AsyncApiCallRequest): Promise<AsyncApiInboundMessage[] | null> {
      const instance = request.taskReference;
      const credentials = collectCredentials();
      try {
        const output = await withHeartbeats(async (signal) => {
          const access = request.documentAuthentication ? await resourceAccess(authenticator, request.documentAuthentication, instance, credentials.values, signal) : undefined;
          const target = await unlessAborted(documents.target(request, access), signal);
          const address = await checkedAddress(policy, resolver, { host: target.host, port: target.port, protocol: 'MQTT', instance });
          const broker = request.authentication ? await brokerCredentials(authenticator, request, credentials, signal) : undefined;
          const connection = { target, address, instance, signal, ...(broker ? { credentials: broker } : {}) };
          if (request.publish) {
            await publish(connection, request.publish);
            return null;
          }
          if (!request.subscribe) throw callFailure({ kind: 'configuration', status: 400, title: 'Nothing to do', detail: 'the task has neither a message nor a subscription', instance });
          return [...(await subscribe(connection, createConsumption(request.subscribe, instance), request.subscribe.forMs))];
        });
        return request.authentication ? (redactDeep(output, credentials.redact) as AsyncApiInboundMessage[] | null) : output;
      } catch (error) {
        if ((!request.authentication && !request.documentAuthentication) || activityContext()?.cancellationSignal.aborted) throw error;
        throw redactFailure(error, credentials.redact);
      }
    },
  };
}

/** Public addresses only, no files. */
export const { asyncApiCall } = createAsyncApiActivities();

/** The basic policy's username and password (the compiler refuses other schemes), read from its evaluated `Basic` header. */
async function brokerCredentials(authenticator: Authenticator, request: AsyncApiCallRequest, credentials: CallCredentials, signal: AbortSignal | undefined): Promise<BrokerCredentials> {
  const authorization = await authenticator.authorize(request.authentication!, request.taskReference, {
    ...(signal ? { signal } : {}),
    onCredentials: (values) => credentials.values.push(...values),
  });
  credentials.values.push(...authorization.secrets);
  const encoded = /^Basic (.+)$/.exec(authorization.header ?? '')?.[1];
  if (encoded === undefined) {
    throw callFailure({ kind: 'configuration', status: 400, title: 'Unsupported authentication', detail: `${request.authentication!.policy.scheme} authentication cannot log in to an MQTT broker; use basic`, instance: request.taskReference });
  }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
