/** A loop variable or `catch.as` name, written with or without the leading `$`. */
import { asString } from './values.ts';

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The name without `$`, or `fallback` when none is written. */
export function variableName(value: unknown, fallback: string): string {
  const written = asString(value);
  if (written === undefined) return fallback;
  return written.startsWith('$') ? written.slice(1) : written;
}
