/** `run: script`: JavaScript (run by Bun) or Python (run by python3), inline or from a `source` (read with its endpoint's authentication). */
import { isStrictExpression } from '../../document/expression-checker.ts';
import { scriptLanguage } from '../../document/script-language.ts';
import type { RunScriptTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';
import { externalResourceAuthentication } from './external-resource.ts';
import { processFields } from './run-process.ts';

export function runScript(site: TaskSite, base: TaskBaseFields, run: JsonObject): RunScriptTask {
  const { ctx } = site;
  const script = asObject(run.script)!;
  let body: RunScriptTask['script'];
  if (typeof script.code === 'string') {
    // Code is text: JavaScript's own `${…}` templates stay code, only a whole `${ }` value is an expression.
    body = { kind: 'code', code: isStrictExpression(script.code) ? template(ctx, script.code) : { kind: 'literal', value: script.code } };
  } else {
    const endpoint = asObject(script.source)!.endpoint;
    const authentication = externalResourceAuthentication(ctx, script.source);
    body = { kind: 'source', uri: template(ctx, typeof endpoint === 'string' ? endpoint : asObject(endpoint)!.uri), ...(authentication ? { authentication } : {}) };
  }
  return { ...base, kind: 'run.script', language: scriptLanguage(String(script.language))!, script: body, ...processFields(ctx, run, script) };
}
