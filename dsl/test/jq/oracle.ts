import { type Jq, loadJq } from 'jq-wasm';
import { HOST_CAPABILITIES, JqBudgetError, JqRuntimeError, JqSyntaxError, compileJq } from '../../src/jq/index.ts';

/** What one engine made of one case: its outputs as canonical JSON text, or that it failed. */
export type Outcome = { ok: true; outputs: string[] } | { ok: false; kind: 'compile' | 'runtime' | 'budget'; message: string };

const DBL_MAX = 1.7976931348623157e308;

/** Output text of a value as both engines are compared: JSON.stringify, infinities clamped like jq prints them. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? (Number.isNaN(x) ? null : x > 0 ? DBL_MAX : -DBL_MAX) : x)) ?? 'undefined';
}

/** Real jq 1.8.2 (WASM), the oracle. A program can abort the WASM instance; `run` then reloads it. */
export class Oracle {
  private constructor(private jq: Jq) {}

  static async load(): Promise<Oracle> {
    return new Oracle(await loadJq());
  }

  /** The oracle's outcome, or null when jq itself crashed on this program. */
  async run(filter: string, input: unknown): Promise<Outcome | null> {
    try {
      return this.runSync(filter, input);
    } catch {
      this.jq = await loadJq();
      return null;
    }
  }

  runSync(filter: string, input: unknown): Outcome {
    // jq-wasm passes the program as a command-line argument, where a leading '-' reads as an option.
    const r = this.jq.raw(JSON.stringify(input), filter.startsWith('-') ? ` ${filter}` : filter, ['-c']);
    if (r.exitCode === 0) {
      const lines = r.stdout === '' ? [] : r.stdout.split('\n');
      return { ok: true, outputs: lines.map((l) => canonical(JSON.parse(l))) };
    }
    if (r.exitCode === 3) return { ok: false, kind: 'compile', message: r.stderr };
    const m = /jq: error \(at [^)]*\)(?: \(not a string\))?: ([\s\S]*)$/.exec(r.stderr);
    return { ok: false, kind: 'runtime', message: (m?.[1] ?? r.stderr).trim() };
  }
}

export function runOurs(filter: string, input: unknown, budget?: { maxSteps?: number }): Outcome {
  let program;
  try {
    // Real jq reaches its host freely; the comparison grants Baton's engine every capability too.
    program = compileJq(filter, { host: HOST_CAPABILITIES });
  } catch (e) {
    if (e instanceof JqSyntaxError) return { ok: false, kind: 'compile', message: e.message };
    throw e;
  }
  // jq rejects an unbound $variable at compile time; Baton treats it as supplied by the host at run time.
  if (program.freeVariables.length > 0) return { ok: false, kind: 'compile', message: `free variables ${program.freeVariables.join(', ')}` };
  try {
    return { ok: true, outputs: program.run(input, {}, { budget: budget ?? {} }).map(canonical) };
  } catch (e) {
    if (e instanceof JqRuntimeError) return { ok: false, kind: 'runtime', message: e.message };
    if (e instanceof JqBudgetError) return { ok: false, kind: 'budget', message: e.message };
    throw e;
  }
}

/** Same outputs, or both failed the same way (compile vs runtime). */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.ok && b.ok) return a.outputs.length === b.outputs.length && a.outputs.every((o, i) => o === b.outputs[i]);
  if (!a.ok && !b.ok) return a.kind === b.kind;
  return false;
}

export function describeOutcome(o: Outcome): string {
  return o.ok ? `outputs ${o.outputs.join(' | ') || '(none)'}` : `${o.kind} error: ${o.message.split('\n')[0]}`;
}
