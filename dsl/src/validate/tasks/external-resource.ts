/**
 * The spec's `externalResource` (`{ name?, endpoint }`) a call reads its description from: an
 * OpenAPI document or a `.proto` file. Unlike a call's endpoint it may be a file, which the runner
 * reads only from the folder its operator allows, so a path is not refused here; schemes other
 * than http, https and file are, and so are literal link-local or metadata addresses. Its
 * `endpoint.authentication` is checked apart (`checkExternalResourceAuthentication`): the runner
 * reads the resource with it.
 */
import { isStrictExpression } from '../../document/expression-checker.ts';
import { joinPointer } from '../../parse/pointer.ts';
import type { TaskSite } from '../task-site.ts';
import { checkEndpointAuthentication } from '../authentication.ts';
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

/** The resource's `endpoint.authentication`, which the runner applies to reading it; its fields may read `$secrets`. */
export function checkExternalResourceAuthentication(site: TaskSite, value: unknown, pointer: string): void {
  const authentication = asObject(asObject(asObject(value)?.endpoint)?.authentication);
  if (authentication) checkEndpointAuthentication(site.ctx, authentication, joinPointer(pointer, 'endpoint', 'authentication'), site.scope);
}
