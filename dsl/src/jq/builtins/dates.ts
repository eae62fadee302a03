import { JqRuntimeError } from '../errors.ts';
import type { Value } from '../values.ts';
import { unary, withValues } from './helpers.ts';
import type { BuiltinTable } from './types.ts';

// Dates are UTC only: `localtime`/`strflocaltime` behave as `gmtime`/`strftime`. No Date object is used.

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [y + (m <= 2 ? 1 : 0), m, d];
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function dayOfYear(y: number, m: number, d: number): number {
  return daysFromCivil(y, m, d) - daysFromCivil(y, 1, 1);
}

/** Broken-down time as jq has it: [year, month0, mday, hours, minutes, seconds, wday, yday]. */
export function gmtime(t: number): number[] {
  if (!Number.isFinite(t)) throw new JqRuntimeError('gmtime() requires a finite number');
  // As jq: the calendar fields come from the time truncated to whole seconds, and the seconds
  // field gets `t - floor(t)` added.
  const whole = Math.trunc(t);
  const days = Math.floor(whole / 86400);
  const secs = whole - days * 86400;
  const [y, m, d] = civilFromDays(days);
  const hours = Math.floor(secs / 3600);
  const minutes = Math.floor((secs - hours * 3600) / 60);
  const seconds = secs - hours * 3600 - minutes * 60 + (t - Math.floor(t));
  return [y, m - 1, d, hours, minutes, seconds, (((days % 7) + 11) % 7), dayOfYear(y, m, d)];
}

function brokenDown(v: Value, who: string): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw new JqRuntimeError(`${who} requires parsed datetime inputs`);
  const defaults = [1900, 0, 0, 0, 0, 0, 0, 0];
  return defaults.map((d, i) => (i < v.length ? (v[i] as number) : d));
}

function mktime(v: Value): number {
  if (!Array.isArray(v)) throw new JqRuntimeError('mktime requires array inputs');
  const [y, mo, d, h, mi, s] = brokenDown(v, 'mktime') as [number, number, number, number, number, number];
  const months = Math.trunc(mo);
  const yearsFromMonths = Math.floor(months / 12);
  const month = months - yearsFromMonths * 12;
  const base = daysFromCivil(Math.trunc(y) + yearsFromMonths, month + 1, 1) + Math.trunc(d) - 1;
  return base * 86400 + Math.trunc(h) * 3600 + Math.trunc(mi) * 60 + Math.floor(s);
}

function pad(n: number, width: number, fill = '0'): string {
  const s = String(Math.abs(Math.trunc(n)));
  return (n < 0 ? '-' : '') + s.padStart(width, fill);
}

function isoWeek(y: number, yday: number, wday: number): [number, number] {
  const wdayMon = (wday + 6) % 7;
  let week = Math.floor((yday - wdayMon + 10) / 7);
  let year = y;
  if (week < 1) {
    year = y - 1;
    const prevDays = isLeap(year) ? 366 : 365;
    week = Math.floor((yday + prevDays - wdayMon + 10) / 7);
  } else if (week > (isLeap(y) ? 366 : 365) / 7 && yday - wdayMon + 3 >= (isLeap(y) ? 366 : 365)) {
    year = y + 1;
    week = 1;
  }
  return [year, week];
}

function strftime(v: Value, format: Value): string {
  if (typeof format !== 'string') throw new JqRuntimeError('strftime/1 requires a string format');
  const t = typeof v === 'number' ? gmtime(v) : Array.isArray(v) ? brokenDown(v, 'strftime/1') : null;
  if (t === null) throw new JqRuntimeError('strftime/1 requires parsed datetime inputs');
  const [y, mo, d, h, mi, s, wd, yd] = t as [number, number, number, number, number, number, number, number];
  const epoch = mktime(t);
  const out = (c: string): string => {
    switch (c) {
      case 'Y': return y >= 0 ? pad(y, 4) : `-${pad(-y, 3)}`;
      case 'C': return pad(Math.floor(y / 100), 2);
      case 'y': return pad(((y % 100) + 100) % 100, 2);
      case 'm': return pad(mo + 1, 2);
      case 'd': return pad(d, 2);
      case 'e': return pad(d, 2, ' ');
      case 'H': return pad(h, 2);
      case 'k': return pad(h, 2, ' ');
      case 'I': return pad(((h + 11) % 12) + 1, 2);
      case 'l': return pad(((h + 11) % 12) + 1, 2, ' ');
      case 'M': return pad(mi, 2);
      case 'S': return pad(Math.floor(s), 2);
      case 'j': return pad(yd + 1, 3);
      case 'Z': return 'UTC';
      case 'z': return '+0000';
      case 'a': return (DAYS[wd] ?? '').slice(0, 3);
      case 'A': return DAYS[wd] ?? '';
      case 'b':
      case 'h': return (MONTHS[mo] ?? '').slice(0, 3);
      case 'B': return MONTHS[mo] ?? '';
      case 'p': return h < 12 ? 'AM' : 'PM';
      case 'c': return `${out('a')} ${out('b')} ${out('e')} ${out('T')} ${y}`;
      case 'D':
      case 'x': return `${out('m')}/${out('d')}/${out('y')}`;
      case 'F': return `${y}-${out('m')}-${out('d')}`;
      case 'T':
      case 'X': return `${out('H')}:${out('M')}:${out('S')}`;
      case 'R': return `${out('H')}:${out('M')}`;
      case 'r': return `${out('I')}:${out('M')}:${out('S')} ${out('p')}`;
      case 's': return String(epoch);
      case 'u': return String(wd === 0 ? 7 : wd);
      case 'w': return String(wd);
      case 'U': return pad(Math.floor((yd + 7 - wd) / 7), 2);
      case 'W': return pad(Math.floor((yd + 7 - ((wd + 6) % 7)) / 7), 2);
      case 'G': return String(isoWeek(y, yd, wd)[0]);
      case 'g': return pad(isoWeek(y, yd, wd)[0] % 100, 2);
      case 'V': return pad(isoWeek(y, yd, wd)[1], 2);
      case 'n': return '\n';
      case 't': return '\t';
      case '%': return '%';
      default: return `%${c}`;
    }
  };
  return format.replace(/%([a-zA-Z%])/g, (_m, c: string) => out(c));
}

function strptime(v: Value, format: Value): number[] {
  if (typeof v !== 'string') throw new JqRuntimeError(`strptime/1 requires string inputs and arguments`);
  if (typeof format !== 'string') throw new JqRuntimeError('strptime/1 requires string inputs and arguments');
  let y = 1970;
  let mo = 0;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let pm: boolean | null = null;
  let offset = 0;
  let pos = 0;
  const fail = (): never => {
    throw new JqRuntimeError(`date "${v}" does not match format "${format}"`);
  };
  const readInt = (maxDigits: number, signed = false): number => {
    const m = new RegExp(`^${signed ? '[+-]?' : ''}[0-9]{1,${maxDigits}}`).exec(v.slice(pos));
    if (m === null) fail();
    pos += (m as RegExpExecArray)[0].length;
    return Number((m as RegExpExecArray)[0]);
  };
  const readName = (names: string[]): number => {
    const rest = v.slice(pos).toLowerCase();
    for (let i = 0; i < names.length; i++) {
      const full = (names[i] as string).toLowerCase();
      if (rest.startsWith(full)) {
        pos += full.length;
        return i;
      }
      if (rest.startsWith(full.slice(0, 3))) {
        pos += 3;
        return i;
      }
    }
    return fail();
  };
  const apply = (fmt: string): void => {
    for (let i = 0; i < fmt.length; i++) {
      const c = fmt[i] as string;
      if (c === '%') {
        const k = fmt[++i] ?? '';
        switch (k) {
          case 'Y': y = readInt(4, true); break;
          case 'm': mo = readInt(2) - 1; break;
          case 'd':
          case 'e': while (v[pos] === ' ') pos++; d = readInt(2); break;
          case 'H':
          case 'k': while (v[pos] === ' ') pos++; h = readInt(2); break;
          case 'I':
          case 'l': while (v[pos] === ' ') pos++; h = readInt(2); break;
          case 'M': mi = readInt(2); break;
          case 'S': s = readInt(2); break;
          case 'y': { const yy = readInt(2); y = yy < 69 ? 2000 + yy : 1900 + yy; break; }
          case 'j': readInt(3); break;
          case 'b':
          case 'B':
          case 'h': mo = readName(MONTHS); break;
          case 'a':
          case 'A': readName(DAYS); break;
          case 'p': { const r = v.slice(pos, pos + 2).toUpperCase(); if (r !== 'AM' && r !== 'PM') fail(); pm = r === 'PM'; pos += 2; break; }
          case 'Z': { const m = /^[A-Za-z]+/.exec(v.slice(pos)); if (m) pos += m[0].length; break; }
          case 'z': {
            const m = /^(?:Z|([+-])([0-9]{2}):?([0-9]{2}))/.exec(v.slice(pos));
            if (m === null) fail();
            const mm = m as RegExpExecArray;
            pos += mm[0].length;
            if (mm[1] !== undefined) offset = (mm[1] === '-' ? -1 : 1) * (Number(mm[2]) * 3600 + Number(mm[3]) * 60);
            break;
          }
          case 's': { const n = readInt(20, true); const t = gmtime(n); [y, mo, d, h, mi, s] = t as [number, number, number, number, number, number]; break; }
          case 'T': apply('%H:%M:%S'); break;
          case 'D': apply('%m/%d/%y'); break;
          case 'F': apply('%Y-%m-%d'); break;
          case 'R': apply('%H:%M'); break;
          case 'n':
          case 't': while (/\s/.test(v[pos] ?? '')) pos++; break;
          case '%': if (v[pos] !== '%') fail(); pos++; break;
          default: fail();
        }
      } else if (/\s/.test(c)) {
        while (/\s/.test(v[pos] ?? '')) pos++;
      } else {
        if (v[pos] !== c) fail();
        pos++;
      }
    }
  };
  apply(format);
  if (pos !== v.length) fail();
  if (pm !== null) h = (h % 12) + (pm ? 12 : 0);
  void offset;
  const days = daysFromCivil(y, mo + 1, d);
  return [y, mo, d, h, mi, s, (((days % 7) + 11) % 7), dayOfYear(y, mo + 1, d)];
}

const needNumber = (v: Value, who: string): number => {
  if (typeof v !== 'number') throw new JqRuntimeError(`${who}() requires numeric inputs`);
  return v;
};

export const dateBuiltins: BuiltinTable = {
  'now/0': (rt, _input, _path, _args, emit) => {
    if (rt.host.now === undefined) throw new JqRuntimeError('now: no clock was given to this jq evaluation (pass options.now)');
    emit(rt.host.now, null);
  },
  'gmtime/0': unary((v) => gmtime(needNumber(v, 'gmtime'))),
  'localtime/0': unary((v) => gmtime(needNumber(v, 'localtime'))),
  'mktime/0': unary((v) => {
    return mktime(v);
  }),
  'strftime/1': withValues((v, [f]) => strftime(v, f as Value)),
  'strflocaltime/1': withValues((v, [f]) => strftime(v, f as Value)),
  'strptime/1': withValues((v, [f]) => {
    if (typeof v !== 'string') throw new JqRuntimeError(`strptime/1 requires string inputs and arguments`);
    return strptime(v, f as Value);
  }),
  'todate/0': 'def todate: strftime("%Y-%m-%dT%H:%M:%SZ");',
  'todateiso8601/0': 'def todateiso8601: strftime("%Y-%m-%dT%H:%M:%SZ");',
  'fromdateiso8601/0': 'def fromdateiso8601: strptime("%Y-%m-%dT%H:%M:%SZ") | mktime;',
  'fromdate/0': 'def fromdate: fromdateiso8601;',
};

