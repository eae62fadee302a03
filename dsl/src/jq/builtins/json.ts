import { JqRuntimeError } from '../errors.ts';
import type { Value } from '../values.ts';

/** `fromjson`: JSON text to a value; jq also reads `nan` (as null) and NaN/Infinity-free numbers of any size. */
export function parseJson(text: string): Value {
  const trimmed = text.trim();
  if (trimmed === 'nan' || trimmed === '-nan') return null;
  try {
    return JSON.parse(text) as Value;
  } catch {
    throw new JqRuntimeError(`${text} (while parsing '${text}')`);
  }
}
