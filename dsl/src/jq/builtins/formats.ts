import { JqRuntimeError } from '../errors.ts';
import { type Value, describe, formatNumber, toJson, toText, typeOf } from '../values.ts';
import { withValues } from './helpers.ts';
import type { BuiltinTable } from './types.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(n >> 18) & 63];
    out += B64[(n >> 12) & 63];
    out += b === undefined ? '=' : B64[(n >> 6) & 63];
    out += c === undefined ? '=' : B64[n & 63];
  }
  return out;
}

function base64Decode(s: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  let count = 0;
  for (const ch of s) {
    if (ch === '=') break;
    const v = B64.indexOf(ch);
    if (v < 0) throw new JqRuntimeError(`${describe(s)} is not valid base64 data`);
    count++;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if (count % 4 === 1) throw new JqRuntimeError(`${describe(s)} trailing base64 byte found`);
  return Uint8Array.from(out);
}

function base32(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 5) {
    const chunk = bytes.subarray(i, i + 5);
    let bitsAcc = 0n;
    for (let j = 0; j < 5; j++) bitsAcc = (bitsAcc << 8n) | BigInt(chunk[j] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let j = 0; j < 8; j++) out += j < chars ? B32[Number((bitsAcc >> BigInt(35 - 5 * j)) & 31n)] : '=';
  }
  return out;
}

function base32Decode(s: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of s) {
    if (ch === '=') break;
    const v = B32.indexOf(ch);
    if (v < 0) throw new JqRuntimeError(`${describe(s)} is not valid base32 data`);
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

function csvField(v: Value): string {
  switch (typeOf(v)) {
    case 'number':
      return formatNumber(v as number);
    case 'string':
      return `"${(v as string).replace(/"/g, '""')}"`;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'null':
      return '';
    default:
      throw new JqRuntimeError(`${describe(v)} is not valid in a csv row`);
  }
}

function tsvField(v: Value): string {
  switch (typeOf(v)) {
    case 'number':
      return formatNumber(v as number);
    case 'string':
      return (v as string).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
    case 'boolean':
      return v ? 'true' : 'false';
    case 'null':
      return '';
    default:
      throw new JqRuntimeError(`${describe(v)} is not valid in a csv row`);
  }
}

function shWord(v: Value): string {
  switch (typeOf(v)) {
    case 'string':
      return `'${(v as string).replace(/'/g, "'\\''")}'`;
    case 'array':
    case 'object':
      throw new JqRuntimeError(`${describe(v)} can not be escaped for shell`);
    default:
      return toJson(v);
  }
}

function uriEncode(s: string): string {
  let out = '';
  for (const byte of encoder.encode(s)) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function requireRow(v: Value, name: string): Value[] {
  if (!Array.isArray(v)) throw new JqRuntimeError(`${describe(v)} cannot be ${name}-formatted, only array`);
  return v;
}

/** `@name`: jq's output formats, applied to a value (non-strings are first turned into text). */
export function applyFormat(name: string, v: Value): string {
  switch (name) {
    case 'text':
      return toText(v);
    case 'json':
      return toJson(v);
    case 'html':
      return toText(v).replace(/[<>&'"]/g, (c) =>
        c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === "'" ? '&apos;' : '&quot;',
      );
    case 'uri':
      return uriEncode(toText(v));
    case 'csv':
      return requireRow(v, 'csv').map(csvField).join(',');
    case 'tsv':
      return requireRow(v, 'tsv').map(tsvField).join('\t');
    case 'sh':
      return Array.isArray(v) ? v.map(shWord).join(' ') : shWord(v);
    case 'base64':
      return base64(encoder.encode(toText(v)));
    case 'base64d':
      return decoder.decode(base64Decode(toText(v)));
    case 'base32':
      return base32(encoder.encode(toText(v)));
    case 'base32d':
      return decoder.decode(base32Decode(toText(v)));
    default:
      throw new JqRuntimeError(`${name} is not a valid format`);
  }
}

export const formatBuiltins: BuiltinTable = {
  'format/1': withValues((v, [name]) => {
    if (typeof name !== 'string') throw new JqRuntimeError(`${describe(name as Value)} is not a valid format`);
    return applyFormat(name, v);
  }),
};
