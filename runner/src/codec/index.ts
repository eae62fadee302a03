/** Payload encryption for everything the runner writes to Temporal, and the endpoint that decodes it. */
export { codecKey, encodeCodecKeys, generateCodecKey, parseCodecKeys } from './keys.ts';
export type { CodecKey, CodecKeyProblem } from './keys.ts';
export { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './payload-codec.ts';
export { startCodecEndpoint } from './endpoint.ts';
export type { CodecEndpoint, CodecEndpointOptions } from './endpoint.ts';
export { runnerDataConverter } from './data-converter.ts';
