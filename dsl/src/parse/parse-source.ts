/**
 * Source text → one plain JSON value, plus a way back from a JSON pointer to a line and column.
 *
 * Two paths, one result. The common document (no anchors, aliases, tags or explicit keys) is read
 * with js-yaml, several times faster than the `yaml` package, and positions are computed only if
 * a problem needs one. Anything else — and anything js-yaml rejects — goes through `yaml`'s
 * Document API (yaml-document.ts) with its alias budget, duplicate-key and tag checks, which also
 * words the errors.
 */
import { CORE_SCHEMA, load } from 'js-yaml';
import { deepestPointer, flowDepthExceeds } from './depth.ts';
import { DEFAULT_MAX_BYTES, MAX_DEPTH, MAX_FLOW_DEPTH } from './limits.ts';
import { fail, START } from './source.ts';
import type { ParseResult, SourceDocument } from './source.ts';
import type * as YamlDocument from './yaml-document.ts';

export type { ParseProblem, ParseResult, Position, SourceDocument } from './source.ts';

export function parseSource(text: string, maxBytes = DEFAULT_MAX_BYTES): ParseResult {
  const size = byteLength(text, maxBytes);
  if (size > maxBytes) {
    return fail('SW104', `the document is ${size} bytes, more than the allowed ${maxBytes}`, START, 'split the workflow or raise maxBytes');
  }
  if (flowDepthExceeds(text, MAX_FLOW_DEPTH)) {
    return fail('SW106', `the document nests deeper than ${MAX_DEPTH} levels`, START);
  }
  if (!NEEDS_FULL_PARSER.test(text)) {
    const loaded = fastLoad(text);
    if (loaded) {
      const { value } = loaded;
      if (value === null || value === undefined) return fail('SW101', 'the document is empty', START, 'a workflow starts with `document:` and `do:`');
      if (typeof value === 'object' && !Array.isArray(value) && deepestPointer(value) === undefined) {
        return { ok: true, source: lazySource(text, value) };
      }
    }
  }
  return yamlDocument().parseWithPositions(text);
}

/**
 * Anchors, aliases, merge keys, tags, explicit keys, directives and tabs: the `yaml` package's
 * checks are needed (and only it merges `<<` keys the way the YAML merge type says).
 */
// Written to stay linear: no unbounded `\s*` that could run across line breaks from every line start.
const NEEDS_FULL_PARSER = /(?:^|[\s[{,])(?:&[^\s\]},]|\*[\w-]|!(?!=)[^\s\]},]|<<[ \t]*:)|^[ -]*\?(?:[ \t]|$)|^%|\t/m;

/** The value js-yaml reads, or undefined when it rejects the text (the full parser then explains why). */
function fastLoad(text: string): { readonly value: unknown } | undefined {
  try {
    return { value: load(text, { schema: CORE_SCHEMA }) };
  } catch {
    return undefined;
  }
}

/** The `yaml` package takes ~100 ms to load; documents on the fast path never need it. */
function yamlDocument(): typeof YamlDocument {
  return require('./yaml-document.ts') as typeof YamlDocument;
}

/** A source whose positions come from a full parse made on first use. */
function lazySource(text: string, value: unknown): SourceDocument {
  let full: SourceDocument | undefined;
  const positions = (): SourceDocument => (full ??= yamlDocument().positionsFor(text, value));
  return {
    text,
    value,
    locate: (pointer, key) => positions().locate(pointer, key),
    position: (offset) => positions().position(offset),
  };
}

/** UTF-8 size, skipping the encoding when the UTF-16 length already decides the comparison. */
function byteLength(text: string, maxBytes: number): number {
  // A UTF-16 unit takes 1 to 3 UTF-8 bytes.
  if (text.length * 3 <= maxBytes || text.length > maxBytes) return text.length;
  return new TextEncoder().encode(text).length;
}
