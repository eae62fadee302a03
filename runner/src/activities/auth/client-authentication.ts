/**
 * How the client proves itself to the token endpoint (RFC 6749 §2.3, OpenID Connect Core §9):
 * `client_secret_basic` (HTTP Basic with form-encoded id and secret), `client_secret_post` (in the
 * body, the spec's default), `client_secret_jwt` (an HS256 assertion signed here with the secret),
 * `private_key_jwt` (the assertion given in `client.assertion`, signed by its owner) and `none`.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { PropertyReader } from './properties.ts';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ASSERTION_LIFETIME_S = 60;

export interface ClientCredentials {
  /** Parameters added to the token request body. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The `Authorization` header of the token request, for client_secret_basic. */
  readonly header?: string;
  readonly secrets: readonly string[];
}

export function clientCredentials(client: PropertyReader, tokenEndpoint: string, nowMs: number): ClientCredentials {
  const id = client.string('id');
  const method = client.optionalString('authentication') ?? 'client_secret_post';
  switch (method) {
    case 'client_secret_basic': {
      const secret = client.string('secret');
      const encoded = Buffer.from(`${formEncode(id)}:${formEncode(secret)}`, 'utf8').toString('base64');
      return { parameters: {}, header: `Basic ${encoded}`, secrets: [secret, encoded] };
    }
    case 'client_secret_post': {
      const secret = client.string('secret');
      return { parameters: { client_id: id, client_secret: secret }, secrets: [secret] };
    }
    case 'client_secret_jwt': {
      const secret = client.string('secret');
      const assertion = hs256Assertion(id, tokenEndpoint, secret, nowMs);
      return { parameters: { client_id: id, client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: assertion }, secrets: [secret, assertion] };
    }
    case 'private_key_jwt': {
      const assertion = client.string('assertion');
      return { parameters: { client_id: id, client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: assertion }, secrets: [assertion] };
    }
    default:
      return { parameters: { client_id: id }, secrets: [] };
  }
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before Basic joins them. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function hs256Assertion(clientId: string, audience: string, secret: string, nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const header = encode({ alg: 'HS256', typ: 'JWT' });
  const claims = encode({ iss: clientId, sub: clientId, aud: audience, jti: randomUUID(), iat: now, exp: now + ASSERTION_LIFETIME_S });
  const signature = createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url');
  return `${header}.${claims}.${signature}`;
}
