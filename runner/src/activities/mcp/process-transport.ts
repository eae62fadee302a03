/**
 * The MCP stdio transport with the server process owned by the activity. The SDK's own stdio
 * transport signals only the process it started; a server launched through a wrapper (`npx`,
 * `uv run`, a shell script) leaves its real process behind. This one starts the server in a
 * process group of its own and stops the whole group (TERM, then KILL after a grace period) when
 * the call ends, fails, is cancelled or times out, and when the server's main process exits. The
 * messages are framed by the SDK's own reader and writer.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Between TERM and KILL: long enough for a clean exit, short enough to keep cancellations prompt. */
const KILL_GRACE_MS = 2_000;
/** Kept of the server's stderr, for the error when it fails. */
const STDERR_TAIL_BYTES = 2_000;

export interface ServerProcess {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly reader = new ReadBuffer();
  private stderrTail = '';
  private exited: Promise<void> = Promise.resolve();
  private started = false;

  constructor(private readonly server: ServerProcess) {}

  /** Resolves once the process runs; rejects when it cannot start (no such program …). */
  async start(): Promise<void> {
    const child = spawn(this.server.file, [...this.server.args], { cwd: this.server.cwd, env: { ...this.server.env }, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => {
      // The main process is gone: whatever it left running in its group goes with it.
      signalGroup(child, 'SIGKILL');
      resolve();
    }));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    this.started = true;
    child.on('error', (error) => this.onerror?.(error));
    child.once('close', () => this.onclose?.());
    child.stdin?.on('error', (error) => this.onerror?.(error));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      this.reader.append(chunk);
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.reader.readMessage();
        } catch (error) {
          // A line that is not JSON-RPC (a server logging to stdout): reported, the stream goes on.
          this.onerror?.(error instanceof Error ? error : new Error(String(error)));
          continue;
        }
        if (message === null) break;
        this.onmessage?.(message);
      }
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return Promise.reject(new Error('the MCP server process is not running'));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Stops the server's whole process group and waits for its main process to be gone. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || !this.started) return;
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin?.end();
      signalGroup(child, 'SIGTERM');
      const kill = setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_GRACE_MS);
      await this.exited;
      clearTimeout(kill);
    }
    this.reader.clear();
  }

  /** The end of what the server wrote to stderr, for errors. */
  get stderr(): string {
    return this.stderrTail.trim();
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
