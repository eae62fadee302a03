/** What a CLI command needs from its process, passed in so the commands are testable. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a file, or standard input for `-`. */
  readonly readFile: (path: string) => Promise<string>;
}

/** Exit codes: 0 valid / done, 1 invalid document, 2 usage or I/O error. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A reader that stops early (`baton graph x.yaml | head`) closes the pipe: that ends the output,
 * it isn't a crash. Call once from a process entry point.
 */
export function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: async (path) => (path === '-' ? await Bun.stdin.text() : await Bun.file(path).text()),
  };
}
