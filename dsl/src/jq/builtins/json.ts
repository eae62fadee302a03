import { JqRuntimeError } from '../errors.ts';
import type { Value } from '../values.ts';

/** `fromjson`: JSON text to a value; jq also reads `nan` (as null) and NaN/Infinity-free numbers of any size. */
export function parseJson(text: string): Value {
  try {
    return JSON.parse(text) as Value;
  } catch {
    // jq's parser also reads the literal nan (any case) where a value may stand, as null.
    const withoutNan = text.replace(/"(?:[^"\\]|\\.)*"|-?\b[nN][aA][nN]\b/g, (m) => (m.startsWith('"') ? m : 'null'));
    if (withoutNan !== text) {
      try {
        return JSON.parse(withoutNan) as Value;
      } catch {
        // fall through to jq's message
      }
    }
    throw new JqRuntimeError(`${text} (while parsing '${text}')`);
  }
}
