/** The process activities (`run: shell | script | container`) under this runner's run policy. */
import { createEgressClient, PUBLIC_ONLY } from '../../egress/index.ts';
import type { EgressPolicy } from '../../egress/index.ts';
import { createAuthenticator } from '../auth/index.ts';
import type { Authenticator } from '../auth/index.ts';
import { NO_SECRETS } from '../http/secrets.ts';
import type { SecretValues } from '../http/secrets.ts';
import { createContainerActivity } from './container.ts';
import { RUN_NOTHING } from './policy.ts';
import type { RunPolicy } from './policy.ts';
import type { RunActivities } from '../../contract/index.ts';
import { createScriptActivity } from './script.ts';
import { createShellActivity } from './shell.ts';

export interface RunActivityOptions {
  /** What may run; nothing by default. */
  readonly policy?: RunPolicy;
  /** Where script sources may be fetched from; public addresses only by default. */
  readonly egress?: EgressPolicy;
  /** Values a script source's authentication policy reads as `$secrets`; none by default. */
  readonly secrets?: SecretValues;
  /** The runner's authenticator, whose token cache calls share; one of its own otherwise. */
  readonly authenticator?: Authenticator;
}

export function createRunActivities(options: RunActivityOptions = {}): RunActivities {
  const policy = options.policy ?? RUN_NOTHING;
  const egress = createEgressClient(options.egress ?? PUBLIC_ONLY);
  const authenticator = options.authenticator ?? createAuthenticator({ secrets: options.secrets ?? NO_SECRETS, client: egress });
  return {
    runShell: createShellActivity(policy),
    runScript: createScriptActivity(policy, egress, authenticator),
    runContainer: createContainerActivity(policy),
  };
}

/** The activities with nothing allowed: every process task is refused. */
export const { runShell, runScript, runContainer } = createRunActivities();

export { allowedSourcePath, checkImage, checkKind, checkPort, checkScriptLanguage, checkShellCommand, checkVolume, DEFAULT_RUN_OUTPUT_BYTES, DEFAULT_RUN_TIMEOUT_MS, kindAllowed, parsePortRanges, RUN_NOTHING } from './policy.ts';
export type { PortRange, RunKind, RunPolicy, RunRefusal } from './policy.ts';
export type { ContainerRequest, ProcessOutput, RunActivities, ScriptRequest, ShellRequest } from '../../contract/index.ts';
export { detectContainerRuntime } from './container.ts';
export type { ContainerRuntime } from './container.ts';
export { withRunPolicyCheck, runPolicyProblems } from './plan-check.ts';
