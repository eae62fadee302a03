/**
 * What the interpreter sends the process activities: every expression already evaluated (a
 * process task cannot read `$secrets`, so nothing here is secret, except through a script
 * source's authentication policy, which the activity evaluates). Types only, shared with
 * workflow code.
 */
import type { ProcessReturn, RunContainerTask, ScriptLanguage } from '@baton/dsl/runtime';
import type { AuthenticationArguments } from './auth.ts';

interface ProcessRequest {
  readonly taskReference: string;
  readonly arguments: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly stdin?: string;
  readonly return: ProcessReturn;
  readonly await: boolean;
  /** The task's own timeout when known before it runs; the process is stopped then (the policy's limit applies too). */
  readonly timeoutMs?: number;
  /** Zigflow's `metadata.heartbeat`: how often the activity heartbeats (its own default otherwise). */
  readonly heartbeatEveryMs?: number;
}

export interface ShellRequest extends ProcessRequest {
  readonly command: string;
}

export interface ScriptRequest extends ProcessRequest {
  readonly language: ScriptLanguage;
  readonly script:
    | { readonly kind: 'code'; readonly code: string }
    /** `authentication`: the source endpoint's policy; the activity fetches the source with it. */
    | { readonly kind: 'source'; readonly uri: string; readonly authentication?: AuthenticationArguments };
}

export interface ContainerRequest extends ProcessRequest {
  readonly image: string;
  readonly name?: string;
  readonly command?: string;
  /** Host port → container port. */
  readonly ports: Readonly<Record<string, string>>;
  /** Host path → container path. */
  readonly volumes: Readonly<Record<string, string>>;
  readonly pullPolicy: RunContainerTask['pullPolicy'];
  readonly cleanup: RunContainerTask['cleanup'];
}

/** `{ code, stdout, stderr }` for `return: all`, a string or a number for the others, null for `none` or when not awaited. */
export type ProcessOutput = string | number | { readonly code: number; readonly stdout: string; readonly stderr: string } | null;

export interface RunActivities {
  runShell(request: ShellRequest): Promise<ProcessOutput>;
  runScript(request: ScriptRequest): Promise<ProcessOutput>;
  runContainer(request: ContainerRequest): Promise<ProcessOutput>;
}
