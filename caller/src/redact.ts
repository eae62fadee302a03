/**
 * The task token is a bearer secret, but the TypeScript SDK puts the whole token (base64) into
 * every activity log line's attributes. This activity interceptor cuts it to the log-safe hint for
 * everything logged through the activity context and the activity's lifecycle lines.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/** Longest prefix of a token's base64 that may be logged. */
export const TOKEN_HINT_CHARS = 20;

export function tokenHint(token: Uint8Array): string {
  return Buffer.from(token).toString('base64').slice(0, TOKEN_HINT_CHARS);
}

export const redactTaskTokens: ActivityInterceptorsFactory = () => ({
  outbound: {
    getLogAttributes(attributes, next) {
      const logged = next(attributes);
      const token = logged['taskToken'];
      return typeof token === 'string' ? { ...logged, taskToken: token.slice(0, TOKEN_HINT_CHARS) } : logged;
    },
  },
});
