/**
 * Reading a policy's evaluated properties. They may come from a secret, so a problem names the
 * field, never its value.
 */
import { authenticationFailure } from './errors.ts';

export interface PropertyReader {
  /** A required string. */
  string(path: string): string;
  /** An optional string. */
  optionalString(path: string): string | undefined;
  /** An optional list of strings. */
  strings(path: string): readonly string[];
  /** An optional object. */
  object(path: string): PropertyReader | undefined;
  /** A required object. */
  requiredObject(path: string): PropertyReader;
}

export function propertyReader(value: unknown, scheme: string, instance: string, prefix = ''): PropertyReader {
  const fail = (detail: string) =>
    authenticationFailure({ kind: 'configuration', status: 400, title: 'Invalid authentication policy', detail: `${scheme}: ${detail}` }, instance);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail(prefix ? `'${prefix}' must be an object` : 'the properties (or the secret holding them) must be an object');
  }
  const object = value as Record<string, unknown>;
  const name = (path: string) => `${prefix}${path}`;
  const optionalString = (path: string): string | undefined => {
    const field = object[path];
    if (field === undefined || field === null) return undefined;
    if (typeof field !== 'string') throw fail(`'${name(path)}' must be a string`);
    return field;
  };
  return {
    string(path) {
      const field = optionalString(path);
      if (field === undefined || field === '') throw fail(`'${name(path)}' is required`);
      return field;
    },
    optionalString,
    strings(path) {
      const field = object[path];
      if (field === undefined || field === null) return [];
      if (!Array.isArray(field) || field.some((item) => typeof item !== 'string')) throw fail(`'${name(path)}' must be a list of strings`);
      return field as string[];
    },
    object(path) {
      const field = object[path];
      return field === undefined || field === null ? undefined : propertyReader(field, scheme, instance, `${name(path)}.`);
    },
    requiredObject(path) {
      const field = object[path];
      if (field === undefined || field === null) throw fail(`'${name(path)}' is required`);
      return propertyReader(field, scheme, instance, `${name(path)}.`);
    },
  };
}

/** `username` and `password`, as basic and digest take them. */
export function credentials(read: PropertyReader): { username: string; password: string } {
  return { username: read.string('username'), password: read.optionalString('password') ?? '' };
}
