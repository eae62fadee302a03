/**
 * One token request (RFC 6749 §3.2, RFC 8693 for token exchange): the grant's parameters, scopes
 * and audiences, the client's credentials, form- or JSON-encoded as the policy's `request.encoding`
 * says; the answer checked (a bearer token, and its issuer among `issuers` when the token is a JWT).
 */
import { TOKEN_EXCHANGE_GRANT } from '@baton/dsl/runtime';
import type { EgressClient } from '../../egress/index.ts';
import { authorityRequest } from './authority-request.ts';
import type { ClientCredentials } from './client-authentication.ts';
import { authenticationFailure } from './errors.ts';
import type { PropertyReader } from './properties.ts';

export type TokenParameters = Readonly<Record<string, string | readonly string[]>>;

export interface TokenSet {
  readonly accessToken: string;
  /** Epoch milliseconds; absent when the server gave no `expires_in`. */
  readonly expiresAt?: number;
  readonly lifetimeMs?: number;
  readonly refreshToken?: string;
}

/** The grant's own parameters, from the policy. */
export function grantParameters(read: PropertyReader, instance: string): TokenParameters {
  const grant = read.string('grant');
  const common = { ...list('scope', read.strings('scopes'), ' '), ...list('audience', read.strings('audiences')) };
  switch (grant) {
    case 'client_credentials':
      return { grant_type: grant, ...common };
    case 'password':
      return { grant_type: grant, username: read.string('username'), password: read.optionalString('password') ?? '', ...common };
    case 'refresh_token':
      return { grant_type: grant, refresh_token: read.requiredObject('subject').string('token'), ...common };
    case TOKEN_EXCHANGE_GRANT: {
      const subject = read.requiredObject('subject');
      const actor = read.object('actor');
      return {
        grant_type: grant,
        subject_token: subject.string('token'),
        subject_token_type: subject.string('type'),
        ...(actor ? { actor_token: actor.string('token'), actor_token_type: actor.string('type') } : {}),
        ...common,
      };
    }
    default:
      throw authenticationFailure({ kind: 'configuration', status: 400, title: 'Unsupported grant', detail: `the grant '${grant}' is not one Baton runs` }, instance);
  }
}

/** The refresh of a token set that came with a refresh token (RFC 6749 §6). */
export function refreshParameters(refreshToken: string, read: PropertyReader): TokenParameters {
  return { grant_type: 'refresh_token', refresh_token: refreshToken, ...list('scope', read.strings('scopes'), ' ') };
}

export async function requestToken(
  client: EgressClient,
  endpoint: URL,
  parameters: TokenParameters,
  credentials: ClientCredentials,
  options: { encoding: string; issuers: readonly string[]; nowMs: number; instance: string; signal?: AbortSignal },
): Promise<TokenSet> {
  const all = { ...parameters, ...credentials.parameters };
  const headers = new Headers();
  if (credentials.header) headers.set('authorization', credentials.header);
  let body: string;
  if (options.encoding === 'application/json') {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(all);
  } else {
    headers.set('content-type', 'application/x-www-form-urlencoded');
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(all)) for (const item of typeof value === 'string' ? [value] : value) form.append(name, item);
    body = form.toString();
  }
  const grant = String(parameters.grant_type);
  const { status, json } = await authorityRequest(client, endpoint, { method: 'POST', headers, body }, 'token endpoint', options.instance, options.signal);
  const where = `token endpoint ${endpoint.origin}${endpoint.pathname}`;
  const answer = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  if (status !== 200) {
    const reason = [answer.error, answer.error_description].filter((part) => typeof part === 'string').join(': ');
    const transient = status >= 500 || status === 429;
    throw authenticationFailure(
      {
        kind: transient ? 'communication' : 'authentication',
        status: transient ? status : 401,
        title: transient ? 'Token endpoint failed' : 'Token request refused',
        detail: `the ${where} answered ${status} to the ${grant} grant${reason ? ` (${reason})` : ''}`,
        retryable: transient,
      },
      options.instance,
    );
  }
  const invalid = (detail: string) =>
    authenticationFailure({ kind: 'authentication', status: 401, title: 'Invalid token response', detail: `the ${where}: ${detail}` }, options.instance);
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn, refresh_token: refreshToken } = answer;
  if (typeof accessToken !== 'string' || accessToken === '') throw invalid('the answer has no access_token');
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw invalid(`the token type is ${JSON.stringify(tokenType)}; Baton sends bearer tokens only`);
  }
  const issuer = jwtIssuer(accessToken);
  if (options.issuers.length > 0 && issuer !== undefined && !options.issuers.includes(issuer)) {
    throw invalid(`the token's issuer ${JSON.stringify(issuer)} is not among the policy's issuers`);
  }
  const seconds = typeof expiresIn === 'number' ? expiresIn : typeof expiresIn === 'string' ? Number(expiresIn) : Number.NaN;
  const lifetimeMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
  return {
    accessToken,
    ...(lifetimeMs !== undefined ? { lifetimeMs, expiresAt: options.nowMs + lifetimeMs } : {}),
    ...(typeof refreshToken === 'string' && refreshToken !== '' ? { refreshToken } : {}),
  };
}

/** The `iss` claim of a JWT access token, read without verifying it (the resource server does that); undefined for opaque tokens. */
function jwtIssuer(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    const iss = typeof claims === 'object' && claims !== null ? (claims as { iss?: unknown }).iss : undefined;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

function list(name: string, values: readonly string[], joiner?: string): TokenParameters {
  if (values.length === 0) return {};
  return { [name]: joiner === undefined ? values : values.join(joiner) };
}
