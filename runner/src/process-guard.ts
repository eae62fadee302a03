/**
 * The last line of defence for a runner process: an error nothing caught (a rejected promise no
 * one awaited, a throw in a callback) is logged and the process keeps serving, instead of Bun
 * ending it and every execution's service with it. Installed by the process entry (`bun run
 * local`), never by `startRunner`: a library must not change how its host process treats errors,
 * and tests must keep seeing theirs.
 */
export type GuardReport = (what: 'unhandledRejection' | 'uncaughtException', error: unknown) => void;

export function installProcessGuard(report: GuardReport): () => void {
  const onRejection = (reason: unknown) => safely(report, 'unhandledRejection', reason);
  const onException = (error: unknown) => safely(report, 'uncaughtException', error);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

function safely(report: GuardReport, what: 'unhandledRejection' | 'uncaughtException', error: unknown): void {
  try {
    report(what, error);
  } catch {
    // A failing report must not turn the guard into the crash it prevents.
  }
}
