/** `call: http`: the endpoint must be one a runner can call; endpoint, headers, query and body may read `$secrets` (the activity evaluates them). */
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { checkEndpointTemplate } from './endpoint-template.ts';
import { checkEndpointAuthentication } from '../authentication.ts';

export function checkHttpCall(site: TaskSite): void {
  const { ctx, pointer, scope } = site;
  const args = asObject(site.body.with);
  if (!args) return;
  const at = (key: string) => joinPointer(pointer, 'with', key);
  ctx.allowingSecrets(() => {
    checkEndpointAuthentication(ctx, asObject(args.endpoint)?.authentication, joinPointer(at('endpoint'), 'authentication'), scope);
    checkEndpointTemplate(site, args.endpoint, at('endpoint'));
    for (const key of ['headers', 'query', 'body'] as const) {
      if (args[key] !== undefined) checkTemplate(ctx, args[key], at(key), scope);
    }
  });
}
