/**
 * What this runner lets `run: shell | script | container` do on its host. Nothing by default: each
 * kind is off until the operator lists what it may run (settings `--run-shell-commands`,
 * `--run-script-languages`, `--run-container-images`). Pure, so executeAsync checks the literal
 * parts of a document with the same rules the activities apply to evaluated values.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import type { ScriptLanguage } from '@baton/dsl';

export interface RunPolicy {
  /** Programs `run: shell` may start (the command's first word); `*` allows any command line. Empty: shell refused. */
  readonly shellCommands: readonly string[];
  /** Languages `run: script` may run. Empty: scripts refused. */
  readonly scriptLanguages: readonly ScriptLanguage[];
  /** Folders a script's `file:` source may be read from; none: `file:` sources refused. */
  readonly scriptSourceDirs: readonly string[];
  /** Image patterns (`*` matches any text) `run: container` may run. Empty: containers refused. */
  readonly containerImages: readonly string[];
  /** Host folders containers may mount (volumes); none: volumes refused. */
  readonly containerVolumes: readonly string[];
  /** Host ports containers may publish (on 127.0.0.1); none: ports refused. */
  readonly containerPorts: readonly PortRange[];
  /** The container CLI; detected (docker, then podman, whichever answers) when unset. */
  readonly containerRuntime?: 'docker' | 'podman';
  /** Most bytes kept of each returned output stream; past it the process is stopped and the task fails (413). */
  readonly outputBytes: number;
  /** Longest a process may run, also when its task sets no timeout (and when not awaited). */
  readonly timeoutMs: number;
  /** Programs `call: mcp` may start as stdio servers (by name, or by full path); `*` any. Empty: stdio refused. */
  readonly mcpCommands: readonly string[];
}

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export const DEFAULT_RUN_OUTPUT_BYTES = 1024 * 1024;
export const DEFAULT_RUN_TIMEOUT_MS = 10 * 60_000;

/** The default: no process of any kind. */
export const RUN_NOTHING: RunPolicy = {
  shellCommands: [],
  scriptLanguages: [],
  scriptSourceDirs: [],
  containerImages: [],
  containerVolumes: [],
  containerPorts: [],
  outputBytes: DEFAULT_RUN_OUTPUT_BYTES,
  timeoutMs: DEFAULT_RUN_TIMEOUT_MS,
  mcpCommands: [],
};

export type RunKind = 'shell' | 'script' | 'container';

/** Why the policy refuses something; `kind` names the setting that would allow it. */
export interface RunRefusal {
  readonly setting: string;
  readonly message: string;
}

const KIND_SETTINGS: Readonly<Record<RunKind, string>> = {
  shell: '--run-shell-commands',
  script: '--run-script-languages',
  container: '--run-container-images',
};

export function kindAllowed(policy: RunPolicy, kind: RunKind): boolean {
  if (kind === 'shell') return policy.shellCommands.length > 0;
  if (kind === 'script') return policy.scriptLanguages.length > 0;
  return policy.containerImages.length > 0;
}

export function checkKind(policy: RunPolicy, kind: RunKind): RunRefusal | undefined {
  if (kindAllowed(policy, kind)) return undefined;
  const setting = KIND_SETTINGS[kind];
  return { setting, message: `this runner does not run \`run: ${kind}\` tasks (its operator allows them with ${setting})` };
}

/**
 * Shell control operators, substitutions and redirections: with an allow-list (not `*`), a command
 * must be one simple command, so the program the list names is the only one that runs. Plain
 * `$NAME` expansions stay allowed.
 */
const NOT_SIMPLE = /[;&|<>`()\n\r{}]|\$\(/;
const UNSURE_PROGRAM = /['"\\$*?[=~]/;

export function checkShellCommand(policy: RunPolicy, command: string): RunRefusal | undefined {
  const kind = checkKind(policy, 'shell');
  if (kind) return kind;
  if (policy.shellCommands.includes('*')) return undefined;
  const setting = KIND_SETTINGS.shell;
  if (NOT_SIMPLE.test(command)) {
    return { setting, message: 'this runner allows only listed programs, so a command must be one simple command (no ; & | < > ` $( ) ( ) { } or line breaks)' };
  }
  const program = command.trim().split(/\s+/)[0] ?? '';
  if (UNSURE_PROGRAM.test(program)) return { setting, message: `the program '${program}' must be written plainly (no quotes, $, globs or assignments) to be checked against the allowed list` };
  const base = program.slice(program.lastIndexOf('/') + 1);
  const allowed = policy.shellCommands.some((entry) => entry === program || (!entry.includes('/') && entry === base && !program.includes('/')));
  return allowed ? undefined : { setting, message: `the program '${program}' is not among the commands this runner allows (${setting})` };
}

export function checkScriptLanguage(policy: RunPolicy, language: ScriptLanguage): RunRefusal | undefined {
  const kind = checkKind(policy, 'script');
  if (kind) return kind;
  return policy.scriptLanguages.includes(language)
    ? undefined
    : { setting: KIND_SETTINGS.script, message: `this runner does not run ${language} scripts (allowed: ${policy.scriptLanguages.join(', ')})` };
}

export function checkImage(policy: RunPolicy, image: string): RunRefusal | undefined {
  const kind = checkKind(policy, 'container');
  if (kind) return kind;
  return policy.containerImages.some((pattern) => globMatches(pattern, image))
    ? undefined
    : { setting: KIND_SETTINGS.container, message: `the image '${image}' matches none of the image patterns this runner allows` };
}

const MCP_SETTING = '--call-mcp-commands';

/** A program `call: mcp` would start as its stdio server: listed by name (found on PATH) or by full path. */
export function checkMcpCommand(policy: RunPolicy, command: string): RunRefusal | undefined {
  if (policy.mcpCommands.length === 0) {
    return { setting: MCP_SETTING, message: `this runner does not start MCP servers over stdio (its operator allows programs with ${MCP_SETTING})` };
  }
  if (policy.mcpCommands.includes('*')) return undefined;
  const base = command.slice(command.lastIndexOf('/') + 1);
  const allowed = policy.mcpCommands.some((entry) => entry === command || (!entry.includes('/') && entry === base && !command.includes('/')));
  return allowed ? undefined : { setting: MCP_SETTING, message: `the program '${command}' is not among the MCP servers this runner may start (${MCP_SETTING})` };
}

/** A host path a container may mount: absolute, and inside an allowed folder once symlinks are resolved. */
export function checkVolume(policy: RunPolicy, hostPath: string): RunRefusal | undefined {
  const setting = '--run-container-volumes';
  if (!isAbsolute(hostPath)) return { setting, message: `the volume '${hostPath}' must be an absolute host path` };
  const real = realPath(hostPath);
  const inside = policy.containerVolumes.some((dir) => {
    const root = realPath(dir);
    return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  });
  return inside ? undefined : { setting, message: `the host path '${hostPath}' is outside the folders containers may mount (${setting})` };
}

export function checkPort(policy: RunPolicy, hostPort: number): RunRefusal | undefined {
  const allowed = Number.isInteger(hostPort) && policy.containerPorts.some((range) => hostPort >= range.from && hostPort <= range.to);
  return allowed ? undefined : { setting: '--run-container-ports', message: `the host port ${hostPort} is not among the ports containers may publish (--run-container-ports)` };
}

/** A `file:` script source inside an allowed folder, as a real path; undefined when refused. */
export function allowedSourcePath(policy: RunPolicy, path: string): string | undefined {
  if (!isAbsolute(path)) return undefined;
  const real = realPath(path);
  return policy.scriptSourceDirs.some((dir) => {
    const root = realPath(dir);
    return real.startsWith(root.endsWith(sep) ? root : root + sep);
  })
    ? real
    : undefined;
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function globMatches(pattern: string, text: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(text);
}

/** `8080,9000-9100` → ranges; a problem sentence when malformed. */
export function parsePortRanges(text: string): readonly PortRange[] | { readonly problem: string } {
  const ranges: PortRange[] = [];
  for (const part of text.split(',').map((item) => item.trim()).filter(Boolean)) {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    const from = Number(match?.[1]);
    const to = Number(match?.[2] ?? match?.[1]);
    if (!match || from < 1 || to > 65535 || from > to) return { problem: `'${part}' is not a port or a range like 9000-9100` };
    ranges.push({ from, to });
  }
  return ranges;
}
