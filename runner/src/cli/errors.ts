/** Exit codes of every `baton` command (documented in docs/cli.md). */
export const ExitCode = {
  ok: 0,
  /** The execution failed or was cancelled, or the workflow document is invalid. */
  failed: 1,
  /** Bad flags or arguments, a file that cannot be read, input that is not JSON. */
  usage: 2,
  /** The runner could not be reached, refused the credentials, or answered with an error. */
  runner: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A problem the person at the keyboard can fix; printed without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}
