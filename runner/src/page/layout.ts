/**
 * The frame every page shares, and the headers every answer carries: a strict Content Security
 * Policy (only this runner's own stylesheet and script; nothing inline, nothing external), no
 * caching, no framing, no referrer leaking an execution id to another site.
 */
import { html, type Html } from './html.ts';

export const PAGE_PREFIX = '/executions';
export const ASSET_PREFIX = '/page-assets';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
};

export interface Frame {
  readonly title: string;
  /** Shows the sign-out button (only when the runner has a token). */
  readonly signedIn: boolean;
  readonly script?: string;
}

export function page(frame: Frame, body: Html, status = 200, headers: Record<string, string> = {}): Response {
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · Baton</title>
<link rel="stylesheet" href="${ASSET_PREFIX}/page.css">
${frame.script ? html`<script src="${ASSET_PREFIX}/${frame.script}" defer></script>` : ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="${PAGE_PREFIX}">Baton</a>
<nav aria-label="Main"><a href="${PAGE_PREFIX}">Executions</a></nav>
${frame.signedIn ? html`<form method="post" action="/sign-out" class="sign-out"><button type="submit">Sign out</button></form>` : ''}
</header>
<main id="main">
${body}
</main>
</body>
</html>
`;
  return new Response(document.text, { status, headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS, ...headers } });
}
