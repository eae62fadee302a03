/**
 * What the CLI writes and how: colours only on a TTY without NO_COLOR, a spinner only on a TTY.
 */
export interface Terminal {
  readonly interactive: boolean;
  readonly color: boolean;
  out(line: string): void;
  err(line: string): void;
  paint(style: Style, text: string): string;
  /** Shows `text` on a line that the next `out`/`status` call replaces (TTY only). */
  status(text: string): void;
  clearStatus(): void;
}

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

export function createTerminal(options: { noColor?: boolean } = {}): Terminal {
  const interactive = Boolean(process.stdout.isTTY);
  const color = interactive && !options.noColor && !process.env.NO_COLOR;
  let statusShown = false;
  const clearStatus = () => {
    if (statusShown) process.stdout.write('\r\x1b[2K');
    statusShown = false;
  };
  return {
    interactive,
    color,
    out(line) {
      clearStatus();
      process.stdout.write(`${line}\n`);
    },
    err(line) {
      clearStatus();
      process.stderr.write(`${line}\n`);
    },
    paint(style, text) {
      if (!color) return text;
      const [open, close] = CODES[style];
      return `\x1b[${open}m${text}\x1b[${close}m`;
    },
    status(text) {
      if (!interactive) return;
      process.stdout.write(`\r\x1b[2K${text}`);
      statusShown = true;
    },
    clearStatus,
  };
}

/**
 * A reader that stops early (`baton graph x.yaml | head`) closes the pipe: that ends the output,
 * it isn't a crash. Call once from the process entry point.
 */
export function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function spinnerFrame(tick: number): string {
  return FRAMES[tick % FRAMES.length]!;
}
