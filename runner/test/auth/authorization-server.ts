/**
 * A real OAuth2 / OpenID Connect server for the tests: `oidc-provider` (certified OpenID
 * implementation) on loopback. It verifies client authentication itself (each client allows one
 * method), runs client_credentials and refresh_token natively, and the password and token-exchange
 * grants through its `registerGrantType` extension point (it ships neither: password is deprecated
 * by OAuth 2.1, token exchange is left to the deployer). Token requests are counted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors } from 'oidc-provider';
import type { ClientAuthMethod } from 'oidc-provider';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export interface AuthorizationServer {
  readonly issuer: string;
  readonly provider: Provider;
  /** Token requests received, by grant_type. */
  readonly tokenRequests: string[];
  /** How each token request's client authenticated: basic, post, jwt or none. */
  readonly clientMethods: string[];
  /** Introspection and revocation requests with their client's method: `introspection:basic`, `revocation:post`. */
  readonly lifecycleRequests: string[];
  /** What the server answers with, overridable per test: e.g. break discovery. */
  override: ((request: http.IncomingMessage, response: http.ServerResponse) => boolean) | undefined;
  stop(): Promise<void>;
}

export interface ServerOptions {
  readonly clientSecret: string;
  readonly user: { readonly name: string; readonly password: string };
  /** Lifetime of issued access tokens, seconds. */
  readonly tokenTtlSeconds: number;
}

export async function startAuthorizationServer(options: ServerOptions): Promise<AuthorizationServer> {
  let handler: ((request: http.IncomingMessage, response: http.ServerResponse) => void) | undefined;
  const tokenRequests: string[] = [];
  const clientMethods: string[] = [];
  const lifecycleRequests: string[] = [];
  const server = http.createServer((request, response) => {
    if (state.override?.(request, response)) return;
    // The test resource servers' own introspections are not the runner's: they say so.
    const lifecycle = request.headers['x-resource-server'] ? undefined : /^\/token\/(introspection|revocation)/.exec(request.url ?? '')?.[1];
    if (request.method === 'POST' && request.url?.startsWith('/token') && (lifecycle || !request.url.startsWith('/token/')) && !request.headers['x-resource-server']) {
      // Peek at the grant type without consuming the body the provider will read.
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const form = new URLSearchParams(body);
        const basic = request.headers.authorization?.startsWith('Basic ');
        const method = basic ? 'basic' : form.has('client_secret') ? 'post' : form.has('client_assertion') ? 'jwt' : 'none';
        if (lifecycle) {
          lifecycleRequests.push(`${lifecycle}:${method}`);
          return;
        }
        tokenRequests.push(form.get('grant_type') ?? '?');
        clientMethods.push(method);
      });
    }
    handler!(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const secret = options.clientSecret;
  const client = (id: string, method: ClientAuthMethod, grants: string[]) => ({
    client_id: id,
    client_secret: secret,
    grant_types: grants,
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: method,
  });
  const provider = new Provider(issuer, {
    clients: [
      client('basic-client', 'client_secret_basic', ['client_credentials']),
      client('post-client', 'client_secret_post', ['client_credentials']),
      client('jwt-client', 'client_secret_jwt', ['client_credentials']),
      client('user-client', 'client_secret_basic', ['password', 'refresh_token', TOKEN_EXCHANGE]),
    ],
    features: {
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      devInteractions: { enabled: false },
    },
    scopes: ['api', 'offline_access'],
    ttl: { ClientCredentials: options.tokenTtlSeconds, AccessToken: options.tokenTtlSeconds, RefreshToken: 3600, Grant: 3600 },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
    issueRefreshToken: () => true,
  });
  provider.registerGrantType(
    'password',
    async (ctx) => {
      const { username, password } = ctx.oidc.params as { username?: string; password?: string };
      if (username !== options.user.name || password !== options.user.password) throw new errors.InvalidGrant('wrong user name or password');
      const oidcClient = ctx.oidc.client!;
      const grant = new provider.Grant({ accountId: username, clientId: oidcClient.clientId });
      grant.addOIDCScope('offline_access api');
      const grantId = await grant.save();
      const accessToken = new provider.AccessToken({ accountId: username, client: oidcClient, grantId, scope: 'offline_access api', gty: 'password' });
      const refreshToken = new provider.RefreshToken({ accountId: username, client: oidcClient, grantId, scope: 'offline_access api', gty: 'password' });
      ctx.body = {
        access_token: await accessToken.save(),
        refresh_token: await refreshToken.save(),
        expires_in: accessToken.expiration,
        token_type: 'Bearer',
        scope: 'offline_access api',
      };
    },
    ['username', 'password', 'scope'],
  );
  provider.registerGrantType(
    TOKEN_EXCHANGE,
    async (ctx) => {
      const params = ctx.oidc.params as { subject_token?: string; subject_token_type?: string; audience?: string };
      if (params.subject_token_type !== ACCESS_TOKEN_TYPE) throw new errors.InvalidRequest('unsupported subject_token_type');
      const subject = await provider.AccessToken.find(params.subject_token ?? '');
      if (!subject) throw new errors.InvalidGrant('subject token not found or expired');
      const exchanged = new provider.ClientCredentials({ client: ctx.oidc.client!, scope: 'api' });
      ctx.body = {
        access_token: await exchanged.save(),
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: 'Bearer',
        expires_in: exchanged.expiration,
      };
    },
    ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'audience', 'scope'],
  );
  handler = provider.callback();
  const state: AuthorizationServer = {
    issuer,
    provider,
    tokenRequests,
    clientMethods,
    lifecycleRequests,
    override: undefined,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return state;
}

/** Whether the server considers a token active (RFC 7662), asked the way a resource server would. */
export async function isActive(server: AuthorizationServer, token: string, clientSecret: string): Promise<{ active: boolean; client_id?: string; sub?: string }> {
  const response = await fetch(`${server.issuer}/token/introspection`, {
    method: 'POST',
    headers: { authorization: `Basic ${btoa(`basic-client:${clientSecret}`)}`, 'content-type': 'application/x-www-form-urlencoded', 'x-resource-server': '1' },
    body: new URLSearchParams({ token }),
  });
  return (await response.json()) as { active: boolean; client_id?: string; sub?: string };
}
