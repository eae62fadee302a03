/** `namespace/name/version`, the way a person types a deployed document's reference. */
import type { WorkflowReference } from '@baton/proto';
import { CliError, ExitCode } from './errors.ts';

const REFERENCE = /^([^/\s]+)\/([^/\s]+)\/([^/\s]+)$/;

/** namespace/name/version with a version that starts with a digit, and not a document file name. */
export function looksLikeReference(text: string): boolean {
  return REFERENCE.test(text) && /\/\d[^/]*$/.test(text) && !/\.(ya?ml|json)$/i.test(text);
}

export function parseReference(text: string): WorkflowReference {
  const match = REFERENCE.exec(text);
  if (!match) throw new CliError(`"${text}" is not a deployed document's reference; write namespace/name/version`, ExitCode.usage);
  return { namespace: match[1]!, name: match[2]!, version: match[3]! };
}

export function formatReference(reference: WorkflowReference | undefined): string {
  return reference ? `${reference.namespace}/${reference.name}/${reference.version}` : '?';
}
