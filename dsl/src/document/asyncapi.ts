/** The AsyncAPI protocols Baton's runner speaks. */
import type { AsyncApiProtocol } from '../plan.ts';

export const ASYNCAPI_PROTOCOLS: readonly AsyncApiProtocol[] = ['mqtt', 'mqtt5'];
