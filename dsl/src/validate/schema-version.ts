/**
 * Which official schema a document is validated by. The DSL's 1.0 patch releases only add to the
 * language (1.0.1–1.0.3: `set` and `raise.error.detail` as expressions, whole-duration
 * expressions, `run` `stdin`/`arguments`, container `pullPolicy`, `call: a2a`/`mcp`), so a
 * document declaring 1.0.0 is held to the 1.0.0 rules and every later 1.0.x to the newest schema
 * Baton carries. The SDK publishes no separate 1.0.1 or 1.0.2 schema; their additions are a
 * subset of 1.0.3's.
 */
export const SCHEMA_VERSIONS = ['1.0.0', '1.0.3'] as const;

export type SchemaVersion = (typeof SCHEMA_VERSIONS)[number];

export const NEWEST_SCHEMA: SchemaVersion = '1.0.3';

/** The schema for a document's `document.dsl` (a missing or malformed one is faulted elsewhere). */
export function schemaVersionFor(dsl: unknown): SchemaVersion {
  return dsl === '1.0.0' ? '1.0.0' : NEWEST_SCHEMA;
}
