import { JqSyntaxError } from './errors.ts';

export type TokenKind =
  | 'num'
  | 'str'
  | 'ident'
  | 'field'
  | 'var'
  | 'format'
  | 'keyword'
  | 'op'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Operator/keyword text, identifier or field name, variable name (without `$`), format name (without `@`). */
  text: string;
  offset: number;
  /** For `num`. */
  num?: number;
  /** For `str` (and a quoted field `."x"` is lexed as `.` then `str`): literal pieces and interpolations. */
  parts?: Array<string | Token[]>;
}

export const KEYWORDS = new Set([
  'def', 'if', 'then', 'elif', 'else', 'end', 'as', 'reduce', 'foreach', 'try', 'catch',
  'label', 'import', 'include', 'and', 'or', '__loc__', 'break',
]);

const OPERATORS = [
  '?//', '//=', '|=', '+=', '-=', '*=', '/=', '%=', '==', '!=', '<=', '>=', '//', '..',
  '|', ',', '.', '[', ']', '{', '}', '(', ')', ':', ';', '=', '<', '>', '+', '-', '*', '/', '%', '?', '$',
];

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Splits a jq program into tokens; string interpolations are lexed recursively into their own token lists. */
export function tokenize(source: string): Token[] {
  let pos = 0;
  const fail = (message: string, at = pos): never => {
    throw new JqSyntaxError(message, source, at);
  };

  const readIdent = (): string => {
    const start = pos;
    while (pos < source.length) {
      if (isIdentPart(source.charCodeAt(pos))) pos++;
      else if (source.startsWith('::', pos) && isIdentStart(source.charCodeAt(pos + 2))) pos += 2;
      else break;
    }
    return source.slice(start, pos);
  };

  const readString = (start: number): Token => {
    pos++; // opening quote
    const parts: Array<string | Token[]> = [];
    let text = '';
    for (;;) {
      if (pos >= source.length) fail('unterminated string literal', start);
      const c = source[pos] as string;
      if (c === '"') {
        pos++;
        break;
      }
      if (c !== '\\') {
        text += c;
        pos++;
        continue;
      }
      const e = source[pos + 1];
      pos += 2;
      switch (e) {
        case 'n': text += '\n'; break;
        case 't': text += '\t'; break;
        case 'r': text += '\r'; break;
        case 'b': text += '\b'; break;
        case 'f': text += '\f'; break;
        case '"': text += '"'; break;
        case '\\': text += '\\'; break;
        case '/': text += '/'; break;
        case 'u': {
          const hex = source.slice(pos, pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape in string literal', pos - 2);
          const unit = parseInt(hex, 16);
          pos += 4;
          if (unit >= 0xdc00 && unit <= 0xdfff) fail('invalid \\uXXXX\\uXXXX surrogate pair escape', pos - 6);
          if (unit >= 0xd800 && unit <= 0xdbff) {
            const low = /^\\u(d[c-f][0-9a-f]{2})/i.exec(source.slice(pos));
            if (low === null) fail('invalid \\uXXXX\\uXXXX surrogate pair escape', pos - 6);
            text += String.fromCharCode(unit, parseInt((low as RegExpExecArray)[1] as string, 16));
            pos += 6;
          } else text += String.fromCharCode(unit);
          break;
        }
        case '(': {
          if (text) parts.push(text);
          text = '';
          parts.push(lexUntilClose(pos - 2));
          break;
        }
        default:
          fail(`invalid escape \\${e ?? ''} in string literal`, pos - 2);
      }
    }
    if (text || parts.length === 0) parts.push(text);
    return { kind: 'str', text: '', offset: start, parts };
  };

  // Tokens of an interpolation `\( ... )`, stopping at the parenthesis that closes it.
  const lexUntilClose = (openAt: number): Token[] => {
    const tokens: Token[] = [];
    let depth = 0;
    for (;;) {
      const t = next();
      if (t.kind === 'eof') fail('unterminated string interpolation', openAt);
      if (t.kind === 'op' && t.text === '(') depth++;
      if (t.kind === 'op' && t.text === ')') {
        if (depth === 0) {
          tokens.push({ kind: 'eof', text: '', offset: t.offset });
          return tokens;
        }
        depth--;
      }
      tokens.push(t);
    }
  };

  const next = (): Token => {
    for (;;) {
      while (pos < source.length && /\s/.test(source[pos] as string)) pos++;
      if (source[pos] === '#') {
        while (pos < source.length && source[pos] !== '\n') {
          if (source[pos] === '\\' && source[pos + 1] === '\n') pos++;
          pos++;
        }
        continue;
      }
      break;
    }
    const start = pos;
    if (pos >= source.length) return { kind: 'eof', text: '', offset: pos };
    const c = source.charCodeAt(pos);
    if (c === 34) return readString(start);
    if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(pos + 1)))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(source.slice(pos)) as RegExpExecArray;
      pos += m[0].length;
      if (isIdentStart(source.charCodeAt(pos))) fail('invalid numeric literal', start);
      return { kind: 'num', text: m[0], offset: start, num: Number(m[0]) };
    }
    if (isIdentStart(c)) {
      const word = readIdent();
      return { kind: KEYWORDS.has(word) ? 'keyword' : 'ident', text: word, offset: start };
    }
    if (c === 36 /* $ */ && isIdentStart(source.charCodeAt(pos + 1))) {
      pos++;
      const name = readIdent();
      return { kind: 'var', text: name, offset: start };
    }
    if (c === 64 /* @ */) {
      pos++;
      const name = readIdent();
      if (!name) fail('expected a format name after @', start);
      return { kind: 'format', text: name, offset: start };
    }
    if (c === 46 /* . */ && isIdentStart(source.charCodeAt(pos + 1))) {
      pos++;
      const name = readIdent();
      return { kind: 'field', text: name, offset: start };
    }
    for (const op of OPERATORS) {
      if (source.startsWith(op, pos)) {
        pos += op.length;
        return { kind: 'op', text: op, offset: start };
      }
    }
    return fail(`unexpected character '${source[pos]}'`);
  };

  const tokens: Token[] = [];
  for (;;) {
    const t = next();
    tokens.push(t);
    if (t.kind === 'eof') return tokens;
  }
}
