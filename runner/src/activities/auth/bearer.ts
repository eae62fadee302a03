/** `bearer` (RFC 6750): a token given as is. */
import type { Authorization } from './authorization.ts';
import type { PropertyReader } from './properties.ts';

export function bearerAuthorization(read: PropertyReader): Authorization {
  const token = read.string('token');
  return { scheme: 'Bearer', header: `Bearer ${token}`, secrets: [token] };
}
