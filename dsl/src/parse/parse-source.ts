/**
 * Source text → one plain JSON value, plus a way back from a JSON pointer to a line and column.
 * Positions are looked up lazily (only for reported problems) so the happy path pays nothing
 * for them.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { DEFAULT_MAX_BYTES, MAX_ALIAS_COUNT, MAX_DEPTH, MAX_FLOW_DEPTH } from './limits.ts';
import { splitPointer } from './pointer.ts';

export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface ParseProblem {
  readonly code: 'SW100' | 'SW101' | 'SW102' | 'SW103' | 'SW104' | 'SW105' | 'SW106' | 'SW107';
  readonly message: string;
  readonly position: Position;
  readonly pointer: string;
  readonly hint?: string;
}

export interface SourceDocument {
  readonly text: string;
  readonly value: unknown;
  /** Position of the node at `pointer`, or of its nearest existing ancestor. `key` points at the mapping key instead of the value. */
  locate(pointer: string, key?: boolean): Position;
  position(offset: number): Position;
}

export type ParseResult =
  | { readonly ok: true; readonly source: SourceDocument }
  | { readonly ok: false; readonly problems: readonly ParseProblem[] };

const START: Position = { line: 1, column: 1, offset: 0 };

export function parseSource(text: string, maxBytes = DEFAULT_MAX_BYTES): ParseResult {
  const size = byteLength(text, maxBytes);
  if (size > maxBytes) {
    return fail('SW104', `the document is ${size} bytes, more than the allowed ${maxBytes}`, START, 'split the workflow or raise maxBytes');
  }
  if (flowDepthExceeds(text, MAX_FLOW_DEPTH)) {
    return fail('SW106', `the document nests deeper than ${MAX_DEPTH} levels`, START);
  }
  const lineCounter = new LineCounter();
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col, offset };
  };

  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' });
  } catch (error) {
    // The yaml composer recurses per nesting level; absurd nesting overflows the stack.
    if (error instanceof RangeError) return fail('SW106', `the document nests deeper than ${MAX_DEPTH} levels`, START);
    throw error;
  }
  const errors = [...doc.errors, ...doc.warnings];
  if (errors.length > 0) {
    return {
      ok: false,
      problems: errors.map((error) => ({
        code: problemCode(error.code, error.message),
        message: firstLine(error.message),
        position: position(error.pos[0]),
        pointer: '',
        ...hintFor(error.code, lineOf(text, error.pos[0])),
      })),
    };
  }

  const keyProblem = findCollectionKey(doc, doc.contents, position);
  if (keyProblem) return { ok: false, problems: [keyProblem] };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      const message = /Excessive/.test(error.message)
        ? `aliases expand beyond the allowed bound (${MAX_ALIAS_COUNT}); this looks like a "billion laughs" document`
        : firstLine(error.message);
      return fail('SW103', message, START);
    }
    if (error instanceof RangeError) return fail('SW106', `the document nests deeper than ${MAX_DEPTH} levels`, START);
    throw error;
  }

  if (value === null || value === undefined) {
    return fail('SW101', 'the document is empty', START, 'a workflow starts with `document:` and `do:`');
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return fail('SW105', `the document root is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not a mapping`, START, 'a workflow starts with `document:` and `do:`');
  }
  const deep = deepestPointer(value);
  if (deep !== undefined) {
    const source = makeSource(text, value, doc, position);
    return fail('SW106', `the document nests deeper than ${MAX_DEPTH} levels`, source.locate(deep), undefined, deep);
  }
  return { ok: true, source: makeSource(text, value, doc, position) };
}

function makeSource(text: string, value: unknown, doc: Document.Parsed, position: (offset: number) => Position): SourceDocument {
  return {
    text,
    value,
    position,
    locate(pointer, key = false) {
      let node: unknown = doc.contents;
      let keyNode: unknown;
      for (const segment of splitPointer(pointer)) {
        const next = child(doc, node, segment);
        if (!next) break;
        node = next.value;
        keyNode = next.key;
      }
      const target = key && keyNode ? keyNode : node;
      const range = (target as { range?: [number, number, number] } | null)?.range;
      return range ? position(range[0]) : START;
    },
  };
}

function child(doc: Document.Parsed, node: unknown, segment: string): { key: unknown; value: unknown } | undefined {
  let current = node;
  if (isAlias(current)) current = current.resolve(doc);
  if (isMap(current)) {
    for (const pair of current.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (key === segment) return { key: pair.key, value: pair.value ?? pair.key };
    }
    return undefined;
  }
  if (isSeq(current)) {
    const item = current.items[Number(segment)];
    return item === undefined ? undefined : { key: item, value: item };
  }
  return undefined;
}

/** JSON has string keys only; a list or map used as a key has no faithful JSON form. */
function findCollectionKey(doc: Document.Parsed, root: unknown, position: (offset: number) => Position): ParseProblem | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
        const structured = isScalar(key) ? typeof key.value === 'object' && key.value !== null : key !== null && key !== undefined;
        if (structured) {
          const offset = (key as YamlNode).range?.[0] ?? (pair.key as YamlNode | null)?.range?.[0] ?? 0;
          return { code: 'SW107', message: 'a mapping key is a list or mapping; keys must be strings', position: position(offset), pointer: '' };
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      stack.push(...node.items);
    }
  }
  return undefined;
}

/** Pointer of the first node nested deeper than MAX_DEPTH, without recursing past it. */
function deepestPointer(root: unknown): string | undefined {
  const stack: { value: unknown; pointer: string; depth: number }[] = [{ value: root, pointer: '', depth: 0 }];
  const seenAtDepth = new Map<object, number>();
  while (stack.length > 0) {
    const { value, pointer, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) return pointer;
    // Aliases share objects; a shared subtree needs checking again only when reached deeper.
    if ((seenAtDepth.get(value) ?? -1) >= depth) continue;
    seenAtDepth.set(value, depth);
    if (Array.isArray(value)) value.forEach((item, index) => stack.push({ value: item, pointer: `${pointer}/${index}`, depth: depth + 1 }));
    else for (const [key, item] of Object.entries(value)) stack.push({ value: item, pointer: `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth: depth + 1 });
  }
  return undefined;
}

/**
 * Flow collections (`[[[[…`) nest without indentation, so a short line can nest thousands deep and
 * overflow the YAML composer. A bracket count outside quotes catches that before parsing; a
 * miscount inside odd scalars only matters for documents far beyond any sane depth anyway.
 */
function flowDepthExceeds(text: string, limit: number): boolean {
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

function fail(code: ParseProblem['code'], message: string, position: Position, hint?: string, pointer = ''): ParseResult {
  return { ok: false, problems: [{ code, message, position, pointer, ...(hint ? { hint } : {}) }] };
}

function hintFor(yamlCode: string, line: string): { hint?: string } {
  if (yamlCode === 'MULTIPLE_DOCS') return { hint: 'keep one workflow per file (remove the `---` separators)' };
  if (line.includes('${')) return { hint: "quote expressions that contain `{ }`, `: ` or ` #`, e.g. '${ { id: .id } }'" };
  return {};
}

function lineOf(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end < 0 ? undefined : end);
}

function problemCode(yamlCode: string, message: string): ParseProblem['code'] {
  if (yamlCode === 'MULTIPLE_DOCS') return 'SW101';
  if (yamlCode === 'DUPLICATE_KEY') return 'SW102';
  if (/call stack/i.test(message)) return 'SW106';
  return 'SW100';
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** UTF-8 size, skipping the encoding when the UTF-16 length already decides the comparison. */
function byteLength(text: string, maxBytes: number): number {
  // A UTF-16 unit takes 1 to 3 UTF-8 bytes.
  if (text.length * 3 <= maxBytes || text.length > maxBytes) return text.length;
  return new TextEncoder().encode(text).length;
}
