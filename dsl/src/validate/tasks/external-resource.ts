/**
 * The spec's `externalResource` (`{ name?, endpoint }`) a call reads its description from: an
 * OpenAPI document or a `.proto` file. Unlike a call's endpoint it may be a file, which the runner
 * reads only from the folder its operator allows, so a path is not refused here; schemes other
 * than http, https and file are, and so are literal link-local or metadata addresses.
 */
import { isStrictExpression } from '../../document/expression-checker.ts';
import { joinPointer } from '../../parse/pointer.ts';
import type { TaskSite } from '../task-site.ts';
import { checkTemplate } from '../expressions.ts';
import { asObject } from '../../document/values.ts';
import { unreachableEndpoint } from './endpoint-reach.ts';

export function checkExternalResource(site: TaskSite, value: unknown, pointer: string, what: string): void {
  const { ctx, scope } = site;
  const endpointPointer = joinPointer(pointer, 'endpoint');
  let endpoint = asObject(value)?.endpoint;
  let at = endpointPointer;
  const object = asObject(endpoint);
  if (object) {
    // Reading the description itself with credentials is not wired yet (calls authenticate).
    if (object.authentication !== undefined) refuseAuthentication(site, joinPointer(endpointPointer, 'authentication'), `reading ${what}`);
    endpoint = object.uri;
    at = joinPointer(endpointPointer, 'uri');
  }
  if (typeof endpoint !== 'string') return;
  if (isStrictExpression(endpoint)) {
    checkTemplate(ctx, endpoint, at, scope);
    return;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(endpoint)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'file' && !/^[a-z]$/.test(scheme)) {
    const unreachable = unreachableEndpoint(endpoint);
    if (unreachable) ctx.error('SW307', at, unreachable.replace('endpoints must be http or https', `${what} is read over http, https or from a file`));
  }
}

/** Authentication Baton does not apply yet: refused, never silently dropped. */
export function refuseAuthentication(site: TaskSite, pointer: string, what: string): void {
  site.ctx.error('SW501', pointer, `authentication for ${what} is not supported yet`, {
    atKey: true,
    hint: 'serve the document without credentials, or read it from the runner\'s documents folder',
  });
}
