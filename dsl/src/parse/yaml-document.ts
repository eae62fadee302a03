/**
 * The full parse with the `yaml` package's Document API: source positions for every node, the
 * alias budget ("billion laughs"), duplicate keys, tags and precise syntax errors. parse-source.ts
 * loads this module only when a document needs it, since `yaml` takes ~100 ms to load.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { deepestPointer } from './depth.ts';
import { MAX_ALIAS_COUNT, MAX_DEPTH } from './limits.ts';
import { joinPointer, splitPointer } from './pointer.ts';
import { fail, START } from './source.ts';
import type { ParseProblem, ParseResult, Position, SourceDocument } from './source.ts';

export function parseWithPositions(text: string): ParseResult {
  const lineCounter = new LineCounter();
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col, offset };
  };

  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error', merge: true });
  } catch (error) {
    // The yaml composer recurses per nesting level; absurd nesting overflows the stack.
    if (error instanceof RangeError) return fail('SW106', `the document nests deeper than ${MAX_DEPTH} levels`, START);
    throw error;
  }
  const errors = [...doc.errors, ...doc.warnings];
  if (errors.length > 0) {
    return {
      ok: false,
      problems: errors.map((error) => {
        const pointer = error.code === 'MULTIPLE_DOCS' ? '' : pointerAt(doc.contents, error.pos[0]);
        const key = splitPointer(pointer).at(-1);
        return {
          code: problemCode(error.code, error.message),
          message: message(error.code, error.message, key),
          position: position(error.pos[0]),
          pointer,
          ...hintFor(error.code, lineOf(text, error.pos[0])),
        };
      }),
    };
  }

  const keyProblem = findCollectionKey(doc, doc.contents, position) ?? findBadMerge(doc, doc.contents, position);
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

function child(doc: Document.Parsed, node: unknown, segment: string, depth = 0): { key: unknown; value: unknown } | undefined {
  let current = node;
  if (isAlias(current)) current = current.resolve(doc);
  if (isMap(current)) {
    const merged: unknown[] = [];
    for (const pair of current.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (key === segment) return { key: pair.key, value: pair.value ?? pair.key };
      if (isMergeKey(pair.key)) merged.push(...(isSeq(pair.value) ? pair.value.items : [pair.value]));
    }
    // A key the map does not write itself came from a merge (`<<: *defaults`): it is written
    // where the merged mapping is, and the first source that has it wins, as in the merge itself.
    if (depth < MAX_DEPTH) {
      for (const source of merged) {
        const found = child(doc, source, segment, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }
  if (isSeq(current)) {
    const item = current.items[Number(segment)];
    return item === undefined ? undefined : { key: item, value: item };
  }
  return undefined;
}

/**
 * YAML's merge key: `<<: *anchor` (or a list of them) copies the keys this mapping lacks. With
 * `merge: true` the parser gives its key a symbol value; its source text is `<<`.
 */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.source === '<<';
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

/** A merge key may only bring in mappings; yaml would throw at conversion, so say where instead. */
function findBadMerge(doc: Document.Parsed, root: unknown, position: (offset: number) => Position): ParseProblem | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isMergeKey(pair.key)) {
          const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
          const bad = sources.find((source) => !isMap(isAlias(source) ? source.resolve(doc) : source));
          if (bad !== undefined) {
            const offset = (bad as YamlNode | null)?.range?.[0] ?? (pair.key as YamlNode).range?.[0] ?? 0;
            return {
              code: 'SW100',
              message: 'a merge key (`<<`) must bring in a mapping or a list of mappings',
              position: position(offset),
              pointer: '',
              hint: 'write `<<: *anchor` where the anchor names a mapping, or `<<: [*a, *b]`',
            };
          }
        } else {
          stack.push(pair.value);
        }
      }
    } else if (isSeq(node)) {
      stack.push(...node.items);
    }
  }
  return undefined;
}

function message(yamlCode: string, yamlMessage: string, key: string | undefined): string {
  if (yamlCode === 'DUPLICATE_KEY' && key !== undefined) return `key '${key}' appears twice in this mapping`;
  if (yamlCode === 'MULTIPLE_DOCS') return 'the source holds more than one YAML document';
  return firstLine(yamlMessage);
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

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function problemCode(yamlCode: string, message: string): ParseProblem['code'] {
  if (yamlCode === 'MULTIPLE_DOCS') return 'SW101';
  if (yamlCode === 'DUPLICATE_KEY') return 'SW102';
  if (/call stack/i.test(message)) return 'SW106';
  return 'SW100';
}

/** Positions for a value another parser produced from `text`; the document start if `yaml` disagrees. */
export function positionsFor(text: string, value: unknown): SourceDocument {
  const parsed = parseWithPositions(text);
  if (parsed.ok) return parsed.source;
  const lineCounter = new LineCounter();
  return makeSource(text, value, parseDocument(''), (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col, offset };
  });
}

/** Pointer of the innermost node whose source range holds `offset` (for syntax errors). */
function pointerAt(root: unknown, offset: number): string {
  let pointer = '';
  let node = root;
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    const next = childAt(node, offset);
    if (!next) break;
    pointer = joinPointer(pointer, next.segment);
    node = next.node;
  }
  return pointer;
}

function childAt(node: unknown, offset: number): { segment: string | number; node: unknown } | undefined {
  const holds = (candidate: unknown) => {
    const range = (candidate as { range?: [number, number, number] } | null)?.range;
    return range !== undefined && range[0] <= offset && offset <= range[2];
  };
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      if (holds(pair.key) || holds(pair.value)) return { segment: String(pair.key.value), node: holds(pair.value) ? pair.value : undefined };
    }
  } else if (isSeq(node)) {
    const index = node.items.findIndex(holds);
    if (index >= 0) return { segment: index, node: node.items[index] };
  }
  return undefined;
}
