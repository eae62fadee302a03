/** Nesting bounds, checked without recursing past them. */
import { MAX_DEPTH } from './limits.ts';
import { joinPointer } from './pointer.ts';

/** Pointer of the first node nested deeper than MAX_DEPTH; the walk never goes deeper than that. */
export function deepestPointer(root: unknown): string | undefined {
  const path = tooDeep(root, 0);
  return path === undefined ? undefined : joinPointer('', ...path.reverse());
}

function tooDeep(value: unknown, depth: number): (string | number)[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_DEPTH) return [];
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const path = tooDeep(value[index], depth + 1);
      if (path) return [...path, index];
    }
    return undefined;
  }
  for (const key in value) {
    const path = tooDeep((value as Record<string, unknown>)[key], depth + 1);
    if (path) return [...path, key];
  }
  return undefined;
}

/**
 * Flow collections (`[[[[…`) nest without indentation, so a short line can nest thousands deep and
 * overflow the YAML composer. A bracket count outside quotes catches that before parsing; a
 * miscount inside odd scalars only matters for documents far beyond any sane depth anyway.
 */
export function flowDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (quote !== '') {
      if (ch === 92 /* \ */ && quote === '"') i++;
      else if (text[i] === quote) quote = '';
      continue;
    }
    if (ch === 34 /* " */ || ch === 39 /* ' */) quote = text[i]!;
    else if (ch === 91 /* [ */ || ch === 123 /* { */) {
      if (++depth > limit) return true;
    } else if (ch === 93 /* ] */ || ch === 125 /* } */) depth = Math.max(0, depth - 1);
  }
  return false;
}

