/** `run: script`: a language Baton runs (js, python), inline code or a `source` (read with its endpoint's authentication, if any). */
import { isStrictExpression } from '../../document/expression-checker.ts';
import { scriptLanguage } from '../../document/script-language.ts';
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';
import { checkExternalResourceAuthentication } from './external-resource.ts';
import { checkProcessFields } from './run-process.ts';

export function checkRunScript(site: TaskSite, run: JsonObject): void {
  const { ctx, scope } = site;
  const script = asObject(run.script);
  const written = asString(script?.language);
  if (!script || written === undefined) return;
  const at = joinPointer(site.pointer, 'run', 'script');
  if (!scriptLanguage(written)) {
    ctx.error('SW307', joinPointer(at, 'language'), `Baton runs scripts in js (Bun) and python (python3), not '${written}'`);
    return;
  }
  if (typeof script.code === 'string') {
    // Code is text: JavaScript's own `${…}` templates stay code, only a whole `${ }` value is an expression.
    if (isStrictExpression(script.code)) checkTemplate(ctx, script.code, joinPointer(at, 'code'), scope);
  } else {
    const endpoint = asObject(script.source)?.endpoint;
    const uri = typeof endpoint === 'string' ? endpoint : asObject(endpoint)?.uri;
    checkExternalResourceAuthentication(site, script.source, joinPointer(at, 'source'));
    if (typeof uri !== 'string') return;
    checkTemplate(ctx, uri, joinPointer(at, 'source', 'endpoint', ...(typeof endpoint === 'string' ? [] : ['uri'])), scope);
  }
  checkProcessFields(site, script, at);
}
