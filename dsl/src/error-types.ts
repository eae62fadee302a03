/**
 * The specification's standard error types. Two URI forms are in use for the same type:
 * `https://serverlessworkflow.io/spec/1.0.0/errors/<type>` (the 1.0.0 reference, and the form
 * Baton's own errors carry) and `https://serverlessworkflow.io/dsl/errors/types/<type>` (later
 * references and the specification's conformance material). Filters treat them as one type; the
 * interpreter shows Baton's own errors in the form the document itself uses (Plan.errorTypeForm),
 * so `when: ${ $error.type == "…/dsl/errors/types/timeout" }` holds too.
 *
 * Zigflow's dialect has a third form, `https://zigflow.dev/spec/1.0.0/errors/<type>`: in a dialect
 * document (and only there) it names the same standard types, and Baton's own errors carry it.
 */
export const ERROR_TYPE_PREFIXES = {
  spec: 'https://serverlessworkflow.io/spec/1.0.0/errors/',
  dsl: 'https://serverlessworkflow.io/dsl/errors/types/',
  zigflow: 'https://zigflow.dev/spec/1.0.0/errors/',
} as const;

export type ErrorTypeForm = keyof typeof ERROR_TYPE_PREFIXES;

export const STANDARD_ERROR_KINDS = [
  'configuration',
  'validation',
  'expression',
  'authentication',
  'authorization',
  'timeout',
  'communication',
  'runtime',
] as const;

export type StandardErrorKind = (typeof STANDARD_ERROR_KINDS)[number];

/**
 * The standard kind a full error type URI names, in the specification's forms (and Zigflow's, in a
 * dialect document's form `zigflow`); undefined for any other type.
 */
export function standardErrorKind(type: string, documentForm?: ErrorTypeForm): StandardErrorKind | undefined {
  for (const [form, prefix] of Object.entries(ERROR_TYPE_PREFIXES)) {
    if (form === 'zigflow' && documentForm !== 'zigflow') continue;
    if (type.startsWith(prefix)) {
      const kind = type.slice(prefix.length);
      return (STANDARD_ERROR_KINDS as readonly string[]).includes(kind) ? (kind as StandardErrorKind) : undefined;
    }
  }
  return undefined;
}

/** A standard error type in the given form. */
export function standardErrorType(kind: StandardErrorKind, form: ErrorTypeForm = 'spec'): string {
  return `${ERROR_TYPE_PREFIXES[form]}${kind}`;
}

/**
 * `catch.errors.with.type` matches the same type written the same way, or a standard type by its
 * short name (`communication`) or any URI form the document's form recognises.
 */
export function errorTypeMatches(filterType: string, actualType: string, documentForm?: ErrorTypeForm): boolean {
  if (filterType === actualType) return true;
  const actual = standardErrorKind(actualType, documentForm);
  if (actual === undefined) return false;
  return filterType === actual || standardErrorKind(filterType, documentForm) === actual;
}

/** A standard type in Baton's own (spec) form rewritten to `form`; every other type unchanged. */
export function inErrorTypeForm(type: string, form: ErrorTypeForm): string {
  if (form === 'spec' || !type.startsWith(ERROR_TYPE_PREFIXES.spec)) return type;
  const kind = standardErrorKind(type);
  return kind === undefined ? type : standardErrorType(kind, form);
}

/**
 * The form a document uses: `dsl` when its text names standard types only in the `dsl/errors/types`
 * form, otherwise Baton's own `spec` form.
 */
export function documentErrorTypeForm(document: unknown): ErrorTypeForm {
  let dsl = false;
  let spec = false;
  // Plain loops, no callbacks or copies: every document is walked whole on each compilation.
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.includes(ERROR_TYPE_PREFIXES.dsl)) dsl = true;
      if (value.includes(ERROR_TYPE_PREFIXES.spec)) spec = true;
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const key in value) visit((value as Record<string, unknown>)[key]);
    }
  };
  visit(document);
  return dsl && !spec ? 'dsl' : 'spec';
}
