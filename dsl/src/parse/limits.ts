/** Bounds that keep a hostile document from eating memory or stack. */
export const DEFAULT_MAX_BYTES = 1_048_576;
/** Deeper than any sane workflow; keeps every recursive stage (schema, compiler, jq) well inside the stack. */
export const MAX_DEPTH = 64;
/** yaml's alias budget: how many times aliased content may be expanded (weighted by its own aliases). */
export const MAX_ALIAS_COUNT = 100;
/** Bracket nesting that triggers the pre-parse depth check (quotes in plain scalars may skew the count). */
export const MAX_FLOW_DEPTH = 4 * MAX_DEPTH;
