/** Narrowing helpers for the untyped document, shared by every stage: nothing is trusted unchecked. */

export type JsonObject = Readonly<Record<string, unknown>>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** An own entry of a user-written mapping; never an inherited Object.prototype member such as `constructor`. */
export function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** The single `name: body` entry of a task-list item, switch case or similar one-key mapping. */
export function singleEntry(value: unknown): readonly [string, unknown] | undefined {
  const object = asObject(value);
  if (!object) return undefined;
  const keys = Object.keys(object);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return [key, object[key]];
}
