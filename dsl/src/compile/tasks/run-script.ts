import { joinPointer } from '../../parse/pointer.ts';
import type { RunScriptTask, ScriptLanguage, Template } from '../../plan.ts';
import { isStrictExpression, template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';
import { externalResourceAuthentication } from './external-resource.ts';
import { processFields } from './run-process.ts';

/** The names documents use for the languages Baton runs (Zigflow and the spec examples say `js`). */
const LANGUAGES: Readonly<Record<string, ScriptLanguage>> = { js: 'js', javascript: 'js', python: 'python', python3: 'python' };

/** `run: script`: JavaScript (run by Bun) or Python (run by python3), inline or from a `source`. */
export function runScript(site: TaskSite, base: TaskBaseFields, run: JsonObject): RunScriptTask | undefined {
  const { ctx, scope } = site;
  const script = asObject(run.script);
  const written = asString(script?.language);
  if (!script || written === undefined) return undefined;
  const at = joinPointer(site.pointer, 'run', 'script');
  const language = LANGUAGES[written.toLowerCase()];
  if (!language) {
    ctx.error('SW307', joinPointer(at, 'language'), `Baton runs scripts in js (Bun) and python (python3), not '${written}'`);
    return undefined;
  }
  let body: RunScriptTask['script'] | undefined;
  if (typeof script.code === 'string') {
    // Code is text: JavaScript's own `${…}` templates stay code, only a whole `${ }` value is an expression.
    const code: Template = isStrictExpression(script.code) ? template(ctx, script.code, joinPointer(at, 'code'), scope) : { kind: 'literal', value: script.code };
    body = { kind: 'code', code };
  } else {
    const endpoint = asObject(script.source)?.endpoint;
    const uri = typeof endpoint === 'string' ? endpoint : asObject(endpoint)?.uri;
    const uriAt = joinPointer(at, 'source', 'endpoint', ...(typeof endpoint === 'string' ? [] : ['uri']));
    const authentication = externalResourceAuthentication(site, script.source, joinPointer(at, 'source'));
    if (typeof uri !== 'string') return undefined;
    body = { kind: 'source', uri: template(ctx, uri, uriAt, scope), ...(authentication ? { authentication } : {}) };
  }
  return { ...base, kind: 'run.script', language, script: body, ...processFields(site, run, script, at) };
}
