/**
 * `baton list`: executions from Temporal visibility, filtered by Baton's search attributes (phase,
 * callback state, document). The runner has no listing rpc, so this asks Temporal itself — the
 * same query `temporal workflow list --query …` takes, printed with `--show-query`.
 */
import { Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { BATON_SEARCH_ATTRIBUTE_NAMES, INTERPRETER_WORKFLOW_TYPE } from '../../contract/index.ts';
import type { Command } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';

const PHASES = ['IN_PROGRESS', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
const CALLBACK_STATES = ['NONE', 'PENDING', 'COMPLETED', 'LOST', 'FAILED_DELIVERY'] as const;
/** A document's namespace/name: DSL names are lowercase words with dashes; nothing that could quote. */
const DOCUMENT = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/;
const DEFAULT_LIMIT = 20;

export const listCommand: Command = {
  name: 'list',
  summary: 'List executions by phase, callback state or document (from Temporal visibility)',
  arguments: '',
  minArguments: 0,
  maxArguments: 0,
  usesRunner: false,
  options: {
    phase: { type: 'string', placeholder: 'PHASE', description: `only executions in this phase: ${PHASES.join(', ')}` },
    callback: { type: 'string', placeholder: 'STATE', description: `only executions whose callback is ${CALLBACK_STATES.join(', ')}` },
    document: { type: 'string', placeholder: 'NAMESPACE/NAME', description: 'only executions of this document' },
    version: { type: 'string', placeholder: 'VERSION', description: 'with --document: only this version' },
    limit: { type: 'string', placeholder: 'N', description: `how many, newest first (default ${DEFAULT_LIMIT})` },
    'show-query': { type: 'boolean', description: 'print the visibility query (for `temporal workflow list --query`) and list nothing' },
    'temporal-address': { type: 'string', placeholder: 'HOST:PORT', description: 'Temporal frontend (env TEMPORAL_ADDRESS, default 127.0.0.1:7233)' },
    'temporal-namespace': { type: 'string', placeholder: 'NAME', description: 'Temporal namespace (env TEMPORAL_NAMESPACE, default default)' },
  },
  examples: ['baton list --callback PENDING', 'baton list --phase FAILED --document billing/invoice --json', 'baton list --callback LOST --show-query'],
  async run(context) {
    const option = (name: string) => context.options[name] as string | undefined;
    const query = visibilityQuery({ phase: option('phase'), callback: option('callback'), document: option('document'), version: option('version') });
    if (context.options['show-query']) {
      context.terminal.out(query);
      return ExitCode.ok;
    }
    const limit = Number(option('limit') ?? DEFAULT_LIMIT);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError(`--limit must be a whole number from 1 to 1000, got "${option('limit')}"`, ExitCode.usage);
    const address = option('temporal-address') ?? process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
    const namespace = option('temporal-namespace') ?? process.env.TEMPORAL_NAMESPACE ?? 'default';
    let found: temporal.api.workflow.v1.IWorkflowExecutionInfo[];
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address });
      // The raw rpc: search attributes are never encrypted, but memos may be, by a codec this process lacks.
      found = (await connection.workflowService.listWorkflowExecutions({ namespace, query, pageSize: limit })).executions;
    } catch (error) {
      throw new CliError(`cannot list executions from Temporal at ${address}: ${error instanceof Error ? error.message : String(error)}`, ExitCode.runner);
    } finally {
      await connection?.close().catch(() => undefined);
    }
    const rows = found.slice(0, limit).map(rowOf);
    if (context.json) {
      context.terminal.out(JSON.stringify(rows));
      return ExitCode.ok;
    }
    if (rows.length === 0) context.terminal.out(context.terminal.paint('dim', 'no executions'));
    for (const row of rows) {
      context.terminal.out(
        `${row.executionId}  ${context.terminal.paint('bold', row.phase)}  callback ${row.callbackState}  ${row.document}@${row.documentVersion}  ${context.terminal.paint('dim', row.startedAt)}`,
      );
    }
    return ExitCode.ok;
  },
};

export interface ListFilters {
  readonly phase?: string | undefined;
  readonly callback?: string | undefined;
  readonly document?: string | undefined;
  readonly version?: string | undefined;
}

/** Only values from closed sets or checked shapes enter the query. */
export function visibilityQuery(filters: ListFilters): string {
  const names = BATON_SEARCH_ATTRIBUTE_NAMES;
  const clauses = [`WorkflowType = '${INTERPRETER_WORKFLOW_TYPE}'`];
  if (filters.phase !== undefined) clauses.push(`${names.phase} = '${oneOf('--phase', filters.phase.toUpperCase(), PHASES)}'`);
  if (filters.callback !== undefined) clauses.push(`${names.callbackState} = '${oneOf('--callback', filters.callback.toUpperCase(), CALLBACK_STATES)}'`);
  if (filters.document !== undefined) {
    if (!DOCUMENT.test(filters.document)) throw new CliError(`--document must be NAMESPACE/NAME, got "${filters.document}"`, ExitCode.usage);
    clauses.push(`${names.document} = '${filters.document}'`);
  }
  if (filters.version !== undefined) {
    if (!/^[A-Za-z0-9.+_-]+$/.test(filters.version)) throw new CliError(`--version must be a document version, got "${filters.version}"`, ExitCode.usage);
    clauses.push(`${names.documentVersion} = '${filters.version}'`);
  }
  return clauses.join(' AND ');
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`, ExitCode.usage);
}

function rowOf(info: temporal.api.workflow.v1.IWorkflowExecutionInfo) {
  const fields = info.searchAttributes?.indexedFields ?? {};
  const read = (name: string): string => {
    const payload = fields[name];
    if (!payload) return '-';
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '-';
  };
  const started = info.startTime;
  return {
    executionId: info.execution?.workflowId ?? '',
    phase: read(BATON_SEARCH_ATTRIBUTE_NAMES.phase),
    callbackState: read(BATON_SEARCH_ATTRIBUTE_NAMES.callbackState),
    document: read(BATON_SEARCH_ATTRIBUTE_NAMES.document),
    documentVersion: read(BATON_SEARCH_ATTRIBUTE_NAMES.documentVersion),
    startedAt: started ? new Date(Number(started.seconds ?? 0) * 1000 + Math.floor((started.nanos ?? 0) / 1e6)).toISOString() : '',
  };
}
