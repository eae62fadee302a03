/**
 * Evaluating the `call: http` arguments that read `$secrets`, inside the activity: the only place
 * secret values meet expressions. The result is a fully evaluated request plus the redactor that
 * every text leaving the activity goes through.
 */
import { ApplicationFailure } from '@temporalio/common';
import { compileJq, WORKFLOW_JQ_OPTIONS } from '@baton/dsl/runtime';
import type { Template } from '@baton/dsl/runtime';
import { endpointUri, expandUriTemplate, problemFailure, StandardError, stringMap } from '../../contract/index.ts';
import type { HttpCallRequest, TemplateContext } from '../../contract/index.ts';
import { lookupSecret, secretEnvName, secretRedactor } from './secrets.ts';
import type { SecretValues } from './secrets.ts';

/** `$secrets.name` or `$secrets["name"]`: the names a program reads statically. */
const STATIC_REFERENCE = /\$secrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*"([^"\\]+)"\s*\])/g;
const ANY_REFERENCE = /\$secrets\b/g;
const ANY_REFERENCE_ONCE = /\$secrets\b/;
const PROGRAM_CACHE_LIMIT = 1_000;
const programs = new Map<string, ReturnType<typeof compileJq>>();

/** What stands for a secret-derived value in what the activity returns. */
export const MASK = '***';

/** The parts of a request computed from secrets: the activity never shows them. */
export interface Masked {
  readonly endpoint: boolean;
  readonly headers: ReadonlySet<string>;
  readonly query: ReadonlySet<string>;
}

export const NOTHING_MASKED: Masked = { endpoint: false, headers: new Set(), query: new Set() };

export interface ResolvedRequest {
  readonly request: HttpCallRequest;
  readonly masked: Masked;
  /** Cuts the secret values (as written, not as transformed) out of any other text, e.g. a server's echo. */
  readonly redact: (text: string) => string;
}

export function resolveSecretFields(request: HttpCallRequest, values: SecretValues): ResolvedRequest {
  const fields = request.secretFields;
  if (!fields) return { request, masked: NOTHING_MASKED, redact: (text) => text };
  const { evaluate, redact } = openSecretScope([fields.endpoint, fields.headers, fields.query, fields.body], fields, values, request.taskReference);

  const { secretFields: _templates, ...evaluated } = request;
  let uri = request.uri;
  if (fields.endpoint) {
    const template = endpointUri(evaluate(fields.endpoint));
    if (template === undefined) throw invalidArgument('Invalid endpoint', 'the endpoint must be a URI string', request.taskReference);
    uri = expandUriTemplate(template, fields.data);
  }
  const map = (template: Template | undefined, what: 'headers' | 'query', fallback: Readonly<Record<string, string>>) => {
    if (!template) return fallback;
    const result = stringMap(evaluate(template));
    if (!result) throw invalidArgument(`Invalid ${what}`, `${what} must be an object`, request.taskReference);
    return result;
  };
  const headers = map(fields.headers, 'headers', request.headers);
  const query = map(fields.query, 'query', request.query);
  return {
    request: {
      ...evaluated,
      uri,
      headers,
      query,
      ...(fields.body ? { body: evaluate(fields.body) } : {}),
    },
    masked: {
      endpoint: fields.endpoint !== undefined,
      headers: secretKeys(fields.headers, headers),
      query: secretKeys(fields.query, query),
    },
    redact,
  };
}

/** Evaluates templates that may read `$secrets`, with the values they need; `redact` cuts those values out of any text. */
export interface SecretScope {
  evaluate(template: Template): unknown;
  readonly redact: (text: string) => string;
  /** The secret values the templates read, for callers that combine redactors. */
  readonly values: readonly unknown[];
}

/**
 * The secrets these templates read, looked up once (a missing one is a configuration error naming
 * its variable), and an evaluator binding them as `$secrets`. Shared by every activity that
 * evaluates secret-reading templates: the HTTP arguments and authentication policies.
 */
export function openSecretScope(templates: readonly (Template | undefined)[], context: TemplateContext, values: SecretValues, instance: string): SecretScope {
  const needed = neededSecrets(templateSources(templates), context.declared);
  const missing = needed.filter((name) => lookupSecret(values, name) === undefined);
  if (missing.length > 0) throw missingSecrets(missing, instance);
  const secrets: Record<string, unknown> = {};
  for (const name of needed) secrets[name] = lookupSecret(values, name);
  return {
    evaluate: (template) => evaluateTemplate(template, context, secrets, instance),
    redact: secretRedactor(Object.values(secrets)),
    values: Object.values(secrets),
  };
}

/** The keys of an evaluated headers/query map whose value came from an expression reading `$secrets`. */
function secretKeys(template: Template | undefined, evaluated: Readonly<Record<string, string>>): ReadonlySet<string> {
  if (!template) return new Set();
  if (template.kind !== 'object') return new Set(Object.keys(evaluated));
  return new Set(template.entries.filter(([, entry]) => templateSources([entry]).some((source) => ANY_REFERENCE_ONCE.test(source))).map(([key]) => key));
}

/**
 * The declared secrets the templates read: the names they spell out, or every declared name when
 * a template reads `$secrets` some other way (`$secrets[.name]`, `$secrets | keys`).
 */
function neededSecrets(sources: readonly string[], declared: readonly string[]): string[] {
  const names = new Set<string>();
  for (const source of sources) {
    const spelled = [...source.matchAll(STATIC_REFERENCE)];
    if (spelled.length < (source.match(ANY_REFERENCE)?.length ?? 0)) return [...declared];
    for (const match of spelled) names.add(match[1] ?? match[2]!);
  }
  return declared.filter((name) => names.has(name));
}

function templateSources(templates: readonly (Template | undefined)[]): string[] {
  const sources: string[] = [];
  const visit = (template: Template | undefined): void => {
    if (!template) return;
    if (template.kind === 'expr') sources.push(template.expr.jq);
    else if (template.kind === 'object') for (const [, entry] of template.entries) visit(entry);
    else if (template.kind === 'array') for (const item of template.items) visit(item);
  };
  for (const template of templates) visit(template);
  return sources;
}

function evaluateTemplate(
  template: Template,
  fields: TemplateContext,
  secrets: Readonly<Record<string, unknown>>,
  instance: string,
): unknown {
  switch (template.kind) {
    case 'literal':
      return template.value;
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, entry] of template.entries) result[key] = evaluateTemplate(entry, fields, secrets, instance);
      return result;
    }
    case 'array':
      return template.items.map((item) => evaluateTemplate(item, fields, secrets, instance));
    case 'expr': {
      const source = template.expr.jq;
      try {
        const outputs = program(source).run(fields.data, { ...fields.variables, secrets }, { now: fields.now, env: {} });
        return outputs.length === 0 ? null : outputs[0];
      } catch (error) {
        // The engine's message may quote (a prefix of) a value, so only its code is reported.
        const code = (error as { code?: unknown }).code;
        const what = typeof code === 'string' ? code : 'error';
        throw invalidArgument('Runtime expression failed', `${what} in \${ ${source} } (the message is withheld: it may quote a secret)`, instance);
      }
    }
  }
}

function program(source: string): ReturnType<typeof compileJq> {
  let compiled = programs.get(source);
  if (!compiled) {
    compiled = compileJq(source, WORKFLOW_JQ_OPTIONS);
    if (programs.size >= PROGRAM_CACHE_LIMIT) programs.clear();
    programs.set(source, compiled);
  }
  return compiled;
}

function missingSecrets(names: readonly string[], instance: string): ApplicationFailure {
  const list = names.map((name) => `'${name}' (${secretEnvName(name)} or the secrets file)`).join(', ');
  return failure('configuration', 'Secret not configured', `the runner has no value for the secret ${list}`, instance);
}

function invalidArgument(title: string, detail: string, instance: string): ApplicationFailure {
  return failure('expression', title, detail, instance);
}

function failure(kind: 'configuration' | 'expression', title: string, detail: string, instance: string): ApplicationFailure {
  return problemFailure({ type: StandardError[kind].type, status: 400, title, detail, instance });
}
