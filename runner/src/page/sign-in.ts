/**
 * Signing in to the page: a form that takes the runner's token once and answers with a session
 * cookie (session.ts), and signing out. Where a person goes after signing in is a path of the page
 * only (`next`), never another site.
 */
import { html } from './html.ts';
import { page, PAGE_PREFIX, SECURITY_HEADERS } from './layout.ts';
import type { PageAccess } from './session.ts';

export const SIGN_IN_PATH = '/sign-in';
export const SIGN_OUT_PATH = '/sign-out';

/** Only a path of this page: `/executions…`; anything else (`//evil`, `https://…`) goes to the list. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !/^\/executions(?:[/?#]|$)/.test(next) || next.includes('\\')) return PAGE_PREFIX;
  return next;
}

export function signInForm(next: string, problem?: string, status = 200): Response {
  return page(
    { title: 'Sign in', signedIn: false },
    html`<div class="sign-in">
<h1>Sign in</h1>
<p>This runner needs its token (the runner's <code>--auth-token</code>) to show executions.</p>
${problem ? html`<p class="problem" role="alert" id="sign-in-problem">${problem}</p>` : ''}
<form method="post" action="${SIGN_IN_PATH}">
<input type="hidden" name="next" value="${next}">
<label for="token">Runner token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus${problem ? html` aria-describedby="sign-in-problem"` : ''}>
<button type="submit">Sign in</button>
</form>
</div>`,
    status,
  );
}

/**
 * A POST from another origin is refused: only this page's own form signs in or out. Browsers say
 * where a request comes from in Sec-Fetch-Site; older ones only in Origin.
 */
function fromElsewhere(request: Request, url: URL): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.get('origin');
  return origin !== null && origin !== url.origin;
}

function secure(url: URL, publicUrl: string | undefined): boolean {
  return url.protocol === 'https:' || (publicUrl?.startsWith('https:') ?? false);
}

export async function signIn(request: Request, url: URL, access: PageAccess, publicUrl: string | undefined): Promise<Response> {
  if (request.method === 'GET') return signInForm(safeNext(url.searchParams.get('next')));
  if (request.method !== 'POST') return new Response('use GET or POST\n', { status: 405, headers: { allow: 'GET, POST', ...SECURITY_HEADERS } });
  if (fromElsewhere(request, url)) return new Response('cross-origin sign-in refused\n', { status: 403, headers: SECURITY_HEADERS });
  if (!(request.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    return signInForm(PAGE_PREFIX, 'Send the form from this page.', 400);
  }
  const form = new URLSearchParams(await request.text());
  const token = form.get('token');
  const next = safeNext(form.get('next'));
  if (token === null || !access.tokenMatches(token)) return signInForm(next, 'That is not this runner’s token.', 401);
  const cookie = access.sessionCookie(secure(url, publicUrl));
  return new Response(null, { status: 303, headers: { location: next, ...SECURITY_HEADERS, ...(cookie ? { 'set-cookie': cookie } : {}) } });
}

export function signOut(request: Request, url: URL, access: PageAccess, publicUrl: string | undefined): Response {
  if (request.method !== 'POST') return new Response('use POST\n', { status: 405, headers: { allow: 'POST', ...SECURITY_HEADERS } });
  if (fromElsewhere(request, url)) return new Response('cross-origin sign-out refused\n', { status: 403, headers: SECURITY_HEADERS });
  const cookie = access.clearedCookie(secure(url, publicUrl));
  return new Response(null, { status: 303, headers: { location: access.required ? SIGN_IN_PATH : PAGE_PREFIX, ...SECURITY_HEADERS, ...(cookie ? { 'set-cookie': cookie } : {}) } });
}
