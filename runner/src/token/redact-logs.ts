/**
 * The TypeScript SDK puts an activity's whole task token (base64) into every activity log line.
 * A task token is a bearer credential, so the runner's worker cuts it to the log-safe hint.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { TOKEN_HINT_CHARS } from './seal.ts';

export const redactTaskTokens: ActivityInterceptorsFactory = () => ({
  outbound: {
    getLogAttributes(attributes, next) {
      const logged = next(attributes);
      const token = logged['taskToken'];
      return typeof token === 'string' ? { ...logged, taskToken: token.slice(0, TOKEN_HINT_CHARS) } : logged;
    },
  },
});
