/** Which scheme an authentication policy uses, told by its defining key. */
import type { AuthenticationScheme } from '../plan.ts';

const AUTHENTICATION_SCHEMES: readonly AuthenticationScheme[] = ['basic', 'bearer', 'digest', 'oauth2', 'oidc'];

export function policyScheme(policy: Readonly<Record<string, unknown>>): AuthenticationScheme | undefined {
  return AUTHENTICATION_SCHEMES.find((candidate) => policy[candidate] !== undefined);
}
