/** Baton is tested on exactly this Bun; the Temporal SDK's Bun support is experimental. */
export const REQUIRED_BUN_VERSION = '1.4.4';

export function assertBunVersion(): void {
  if (typeof Bun === 'undefined') {
    throw new Error(`Baton runs on Bun ${REQUIRED_BUN_VERSION}; install it with \`npm i -g bun@${REQUIRED_BUN_VERSION}\`.`);
  }
  if (Bun.version !== REQUIRED_BUN_VERSION && !process.env.BATON_ALLOW_ANY_BUN) {
    throw new Error(
      `Baton needs Bun ${REQUIRED_BUN_VERSION}, but this is Bun ${Bun.version}. ` +
        `Install the pinned version with \`npm i -g bun@${REQUIRED_BUN_VERSION}\` ` +
        '(or set BATON_ALLOW_ANY_BUN=1 to try anyway; the Temporal SDK on Bun is experimental).',
    );
  }
}
