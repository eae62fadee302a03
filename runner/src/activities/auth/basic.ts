/** `basic` (RFC 7617): the user-id and password, UTF-8, base64-encoded. */
import type { Authorization } from './authorization.ts';
import { credentials } from './properties.ts';
import type { PropertyReader } from './properties.ts';

export function basicAuthorization(read: PropertyReader): Authorization {
  const { username, password } = credentials(read);
  const parameter = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  return { scheme: 'Basic', header: `Basic ${parameter}`, secrets: [password, parameter] };
}
