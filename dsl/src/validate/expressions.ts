/**
 * Runtime expressions, checked: jq syntax, the determinism rule (SW401), variables in scope
 * (SW402), secrets only where history never sees them (SW405), declared secrets (SW304).
 *
 * Strict mode (the spec's default and the only mode in 1.0): a value is an expression only when
 * the whole string is `${ … }`. Fields whose schema type *is* a runtime expression (`if`, `when`,
 * `for.in`, `while`, `catch.when`, the string forms of `input.from`, `output.as`, `export.as` …)
 * also accept bare jq (`.items`), as the spec's own examples write them.
 */
import { isSecrets, mentionsExpression, strictExpression } from '../document/expression-checker.ts';
import { dialectProgram, JQ_VARIABLES, runtimeArgumentsAt, ZIGFLOW_UUID_VARIABLE } from '../runtime-arguments.ts';
import type { Dialect, ExpressionSite } from '../runtime-arguments.ts';
import { joinPointer } from '../parse/pointer.ts';
import type { ValidationContext } from './context.ts';
import { didYouMean } from '../document/suggest.ts';
import { asArray, asObject } from '../document/values.ts';

/** Where a variable the author reached for is available instead. */
const SITE_HINTS: Partial<Record<ExpressionSite, (name: string) => string | undefined>> = {
  task: (name) => (name === 'output' ? "; `$output` is the task's transformed output, readable in `export.as`" : undefined),
  taskOutput: (name) => (name === 'output' ? '; in `output.as` the raw output is `.`' : undefined),
  taskInput: (name) => (name === 'input' ? '; in `input.from` the raw input is `.`' : undefined),
};

/** The variable describing a call's authorization: `{ scheme }` (its parameter is a credential). */
export const AUTHORIZATION_VARIABLE = 'authorization';
/** `$authorization` read any way other than `$authorization.scheme`. */
const AUTHORIZATION_BEYOND_SCHEME = /\$authorization\b(?!\s*\.\s*scheme\b)/;

/** `$secrets.name` or `$secrets["name"]`: the secret names an expression reads. */
const SECRET_REFERENCE = /\$secrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*"([^"\\]+)"\s*\])/g;

/**
 * What an expression may read: the runtime arguments of its site (RUNTIME_ARGUMENTS, the table
 * the interpreter binds from) and the loop and `catch.as` variables of enclosing blocks (`locals`,
 * without `$`).
 */
export interface Scope {
  readonly site: ExpressionSite;
  readonly locals: ReadonlySet<string>;
}

export const ROOT_SCOPE: Scope = { site: 'task', locals: new Set() };

export function extendScope(scope: Scope, ...names: string[]): Scope {
  return { site: scope.site, locals: new Set([...scope.locals, ...names]) };
}

/** The same locals, for an expression at another site (a task's `if`, its `output.as` …). */
export function atSite(scope: Scope, site: ExpressionSite): Scope {
  return scope.site === site ? scope : { site, locals: scope.locals };
}

function inScope(name: string, scope: Scope, dialect: Dialect): boolean {
  if (dialect === 'zigflow' && name === ZIGFLOW_UUID_VARIABLE) return true;
  return scope.locals.has(name) || (runtimeArgumentsAt(scope.site, dialect) as readonly string[]).includes(name) || JQ_VARIABLES.includes(name);
}

/**
 * Check one jq program found at `pointer`. `written` is the string as it appears in the document,
 * used to map an error offset back into the YAML text.
 */
function checkExpression(ctx: ValidationContext, source: string, written: string, pointer: string, scope: Scope): void {
  const program = dialectProgram(source, ctx.dialect);
  const prelude = program.length - source.length;
  const result = ctx.expressions.check(program);
  const inWritten = written.indexOf(source);
  if (!result.ok) {
    const within = { text: written, offset: Math.max(0, inWritten) + Math.max(0, result.offset - prelude) };
    if (result.problem === 'host') {
      ctx.error('SW401', pointer, `\`${result.capability}\` depends on the process running the workflow and would not replay deterministically`, {
        within,
        hint: 'pass the data in through the workflow input or a task output instead',
      });
    } else {
      ctx.error('SW400', pointer, `jq syntax error: ${result.message.replace(/^syntax error:\s*/, '')}`, { within });
    }
    return;
  }
  const secretInHistory = result.freeVariables.some(isSecrets) && !ctx.mayReadSecrets;
  if (secretInHistory) {
    ctx.error('SW405', pointer, 'a secret used here would be recorded in clear in the workflow history', {
      within: { text: written, offset: Math.max(0, inWritten) + Math.max(0, source.indexOf('$secrets')) },
      hint: 'secrets may be used only in `call: http` endpoint, headers, query and body and in authentication policies, which the activity evaluates outside the history',
    });
  }
  for (const match of secretInHistory || !source.includes('$secrets') ? [] : source.matchAll(SECRET_REFERENCE)) {
    const name = match[1] ?? match[2]!;
    if (ctx.components.secrets.includes(name)) continue;
    ctx.error('SW304', pointer, `secret '${name}' is not declared in use.secrets`, {
      within: { text: written, offset: Math.max(0, inWritten) + match.index },
      hint: didYouMean(name, ctx.components.secrets) ?? 'list every secret the workflow reads under use.secrets',
    });
  }
  const authorization = scope.locals.has(AUTHORIZATION_VARIABLE) ? AUTHORIZATION_BEYOND_SCHEME.exec(source) : null;
  if (authorization) {
    ctx.error('SW405', pointer, '`$authorization` offers only `.scheme` here: its parameter is a credential and would be recorded in clear in the workflow history', {
      within: { text: written, offset: Math.max(0, inWritten) + authorization.index },
      hint: 'use the same authentication policy on the next call instead: its token is cached by the runner',
    });
  }
  for (const raw of result.freeVariables) {
    const name = raw.startsWith('$') ? raw.slice(1) : raw;
    if (inScope(name, scope, ctx.dialect)) continue;
    const within = { text: written, offset: Math.max(0, inWritten) + Math.max(0, source.indexOf(`$${name}`)) };
    if (name === AUTHORIZATION_VARIABLE) {
      ctx.error('SW402', pointer, '`$authorization` is defined only in `output.as` and `export.as` of a call whose endpoint has an authentication policy', { within });
      continue;
    }
    const known = [...scope.locals, ...runtimeArgumentsAt(scope.site, ctx.dialect)];
    ctx.error('SW402', pointer, `\`$${name}\` is not defined here`, {
      within,
      hint: `variables available here: ${known.map((variable) => `$${variable}`).join(', ')}${SITE_HINTS[scope.site]?.(name) ?? ''}`,
    });
  }
}

/** A field whose type is a runtime expression: `${ … }` or bare jq. */
export function checkRuntimeExpression(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  if (typeof value !== 'string') return;
  const source = strictExpression(value) ?? value.trim();
  if (source === '') {
    ctx.error('SW400', pointer, 'empty expression');
    return;
  }
  checkExpression(ctx, source, value, pointer, scope);
}

/** Any JSON value in which strict `${ … }` strings are expressions and everything else is literal. */
export function checkTemplate(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  if (mentionsExpression(value)) checkStrings(ctx, value, pointer, scope);
}

function checkStrings(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  if (typeof value === 'string') {
    const source = strictExpression(value);
    if (source === undefined) {
      if (value.includes('${')) {
        ctx.warning('SW403', pointer, 'this text contains `${ }` but is not one whole expression, so it stays literal text', {
          hint: 'strict mode has no interpolation; write the whole value as one expression, e.g. ${ "Hello " + .name }',
        });
      }
      return;
    }
    if (source === '') {
      ctx.error('SW400', pointer, 'empty expression `${ }`');
      return;
    }
    checkExpression(ctx, source, value, pointer, scope);
    return;
  }
  const array = asArray(value);
  if (array) {
    array.forEach((item, index) => checkStrings(ctx, item, joinPointer(pointer, index), scope));
    return;
  }
  const object = asObject(value);
  if (object) for (const [key, item] of Object.entries(object)) checkStrings(ctx, item, joinPointer(pointer, key), scope);
}

/** The string form of `input.from`/`output.as`/`export.as` is bare-jq-capable; the object form is a template. */
export function checkTransformation(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  if (value === undefined) return;
  if (typeof value === 'string') checkRuntimeExpression(ctx, value, pointer, scope);
  else checkTemplate(ctx, value, pointer, scope);
}
