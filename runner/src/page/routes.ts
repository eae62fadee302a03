/**
 * The execution page's routes on the runner's HTTP server. Every answer comes from Temporal (the
 * status query or describe, visibility, the start event), so any replica shows the same thing.
 *
 * The shared server checks only bearer headers; these routes are mounted unauthenticated there and
 * check access themselves (session.ts), because a browser following a link carries a cookie, not
 * a header. Unauthenticated: a page view is sent to the sign-in form, the event stream gets 401.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { HttpRoute } from '../http/index.ts';
import type { Executions } from '../service/executions.ts';
import { assetRoute } from './assets.ts';
import { eventStream } from './events.ts';
import { listExecutions } from './execution-list.ts';
import { renderExecution } from './execution-page.ts';
import { readExecutionStart } from './execution-start.ts';
import { pageView } from './execution-view.ts';
import { html } from './html.ts';
import { page, PAGE_PREFIX, SECURITY_HEADERS } from './layout.ts';
import { listQueryOf, renderList } from './list-page.ts';
import { pageAccess, type PageAccess } from './session.ts';
import { signIn, SIGN_IN_PATH, signOut, SIGN_OUT_PATH } from './sign-in.ts';

export interface ExecutionPageOptions {
  readonly executions: Executions;
  /** The runner's client (it holds the payload codec): visibility and start events are read through it. */
  readonly client: Client;
  readonly taskQueue: string;
  readonly authToken?: string;
  /** The runner's public base URL, when it is https the session cookie is Secure. */
  readonly publicUrl?: string;
  /** Base URL of the Temporal Web UI, for a link to each execution there. */
  readonly temporalUiUrl?: string;
  /** How often a live page polls the execution's status. */
  readonly watchIntervalMs?: number;
  readonly warn: (message: string, fields?: Record<string, unknown>) => void;
}

export function executionPageRoutes(options: ExecutionPageOptions): HttpRoute[] {
  const access = pageAccess(options.authToken);
  return [
    { prefix: PAGE_PREFIX, authenticated: false, handle: (request, url) => executionsRoute(request, url, options, access) },
    { prefix: SIGN_IN_PATH, authenticated: false, handle: (request, url) => signIn(request, url, access, options.publicUrl) },
    { prefix: SIGN_OUT_PATH, authenticated: false, handle: (request, url) => signOut(request, url, access, options.publicUrl) },
    assetRoute,
  ];
}

async function executionsRoute(request: Request, url: URL, options: ExecutionPageOptions, access: PageAccess): Promise<Response> {
  const rest = url.pathname.slice(PAGE_PREFIX.length).replace(/^\//, '');
  const watch = rest.endsWith('/watch');
  if (!access.allows(request)) return watch ? unauthorized() : toSignIn(request, url);
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('use GET\n', { status: 405, headers: { allow: 'GET', ...SECURITY_HEADERS } });
  const signedIn = access.required;
  if (rest === '') {
    const query = listQueryOf(url);
    const result = await listExecutions(options.client, options.taskQueue, query.filters, query.pageSize, query.start);
    return page({ title: 'Executions', signedIn }, renderList(query, result));
  }
  let executionId: string;
  try {
    executionId = decodeURIComponent(watch ? rest.slice(0, -'/watch'.length) : rest);
  } catch {
    return notFound(signedIn, 'That is not an execution id.');
  }
  if (executionId === '') return notFound(signedIn, 'That is not an execution id.');
  try {
    if (watch) {
      await options.executions.read(executionId);
      return eventStream(options.executions, executionId, options.watchIntervalMs ?? 500, request.signal, options.warn);
    }
    const [view, start] = await Promise.all([options.executions.read(executionId), readExecutionStart(options.client, executionId)]);
    const namespace = options.client.options.namespace;
    const temporalUrl = options.temporalUiUrl
      ? `${options.temporalUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(executionId)}/${encodeURIComponent(start.runId)}/history`
      : undefined;
    return page(
      { title: executionId, signedIn, script: 'execution.js' },
      renderExecution({ view: pageView(view), start, ...(temporalUrl ? { temporalUrl } : {}) }),
    );
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return notFound(signedIn, `No execution "${executionId}" on this runner’s namespace.`);
    throw error;
  }
}

function unauthorized(): Response {
  return Response.json(
    { message: 'sign in at /sign-in or send `authorization: Bearer <token>` (the runner’s --auth-token)' },
    { status: 401, headers: { ...SECURITY_HEADERS, 'www-authenticate': 'Bearer' } },
  );
}

/**
 * A person arriving from a link on another site: the browser withheld the SameSite=Strict cookie,
 * so the page reloads itself once from here (same-site now, the cookie comes along); a person
 * without a session is then sent to sign in.
 */
function toSignIn(request: Request, url: URL): Response {
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') {
    return new Response(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0"><title>Opening…</title></head><body><p><a href="${html`${url.pathname}${url.search}`.text}">Continue</a></p></body></html>`,
      { status: 401, headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS } },
    );
  }
  const location = `${SIGN_IN_PATH}?${new URLSearchParams({ next: `${url.pathname}${url.search}` })}`;
  return new Response(null, { status: 303, headers: { location, ...SECURITY_HEADERS } });
}

function notFound(signedIn: boolean, message: string): Response {
  return page({ title: 'Not found', signedIn }, html`<h1>Not found</h1><p>${message}</p><p><a href="${PAGE_PREFIX}">All executions</a></p>`, 404);
}
