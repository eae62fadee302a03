/**
 * Authentication for every call kind: `createAuthenticator` once per runner (it holds the token
 * cache and the discovered providers), then `authorize` in the activity with the arguments the
 * workflow passed. Everything here runs in activities; workflow code only forwards the policy.
 */
import type { SecretValues } from '../http/secrets.ts';
import { openSecretScope } from '../http/secret-fields.ts';
import type { EgressClient } from '../../egress/index.ts';
import type { AuthenticationArguments } from '../../contract/index.ts';
import type { Authorization } from './authorization.ts';
import { basicAuthorization } from './basic.ts';
import { bearerAuthorization } from './bearer.ts';
import { digestAuthorization } from './digest.ts';
import { oauth2Authorization } from './oauth2.ts';
import { createDiscovery } from './oidc-discovery.ts';
import { propertyReader } from './properties.ts';
import { createTokenCache } from './token-cache.ts';

export type { AuthenticationArguments } from '../../contract/index.ts';
export type { Authorization } from './authorization.ts';

export interface Authenticator {
  /**
   * The authorization a call made for the task `instance` sends. Evaluates the policy (reading its
   * secrets), and for OAuth2/OIDC gets or reuses a token. Fails with the spec's configuration,
   * authentication or communication error carrying `instance`.
   */
  authorize(args: AuthenticationArguments, instance: string, options?: AuthorizeOptions): Promise<Authorization>;
  /** Revokes the tokens the runner holds (where the authority offers revocation): the runner is stopping. */
  close(): Promise<void>;
}

export interface AuthorizeOptions {
  readonly signal?: AbortSignal;
  /**
   * Told the policy's secret values as soon as they are read, before any request: a failing token
   * request's error must have them cut out too.
   */
  readonly onCredentials?: (values: readonly string[]) => void;
}

export interface AuthenticatorOptions {
  readonly secrets: SecretValues;
  /** The egress client token and discovery requests go through: the runner's policy. */
  readonly client: EgressClient;
  /** Epoch milliseconds; tests move it to expire tokens. */
  readonly now?: () => number;
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const now = options.now ?? Date.now;
  const oauth2 = { client: options.client, cache: createTokenCache(now), discovery: createDiscovery(options.client, now), now };
  return {
    close: () => oauth2.cache.close(),
    async authorize(args, instance, { signal, onCredentials } = {}) {
      const { policy } = args;
      const scope = openSecretScope([policy.properties], args, options.secrets, instance);
      const read = scope.values.length > 0 ? stringLeaves(scope.values) : [];
      onCredentials?.(read);
      const properties = scope.evaluate(policy.properties);
      const reader = propertyReader(properties, policy.scheme, instance);
      // The secret values the policy read are cut out too, whichever field they landed in.
      return withSecrets(await authorizationFor(), read);

      function authorizationFor(): Authorization | Promise<Authorization> {
        switch (policy.scheme) {
          case 'basic':
            return basicAuthorization(reader);
          case 'bearer':
            return bearerAuthorization(reader);
          case 'digest':
            return digestAuthorization(reader);
          case 'oauth2':
          case 'oidc':
            return oauth2Authorization(policy.scheme, reader, properties, oauth2, instance, signal);
        }
      }
    },
  };
}

function withSecrets(authorization: Authorization, extra: readonly string[]): Authorization {
  const { renew } = authorization;
  return {
    ...authorization,
    secrets: [...authorization.secrets, ...extra],
    ...(renew ? { renew: async () => withSecrets(await renew(), extra) } : {}),
  };
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringLeaves);
  return [];
}
