/**
 * The page's stylesheet and script, served from files beside this one (no build step, nothing
 * external). Public: they hold nothing about any execution.
 */
import type { HttpRoute } from '../http/index.ts';
import { ASSET_PREFIX, SECURITY_HEADERS } from './layout.ts';

const ASSETS: Readonly<Record<string, string>> = {
  'page.css': 'text/css; charset=utf-8',
  'execution.js': 'text/javascript; charset=utf-8',
};

export const assetRoute: HttpRoute = {
  prefix: ASSET_PREFIX,
  authenticated: false,
  handle: async (_request, url) => {
    const name = url.pathname.slice(ASSET_PREFIX.length + 1);
    const type = ASSETS[name];
    if (!type) return new Response('not found\n', { status: 404, headers: SECURITY_HEADERS });
    const body = await Bun.file(`${import.meta.dir}/assets/${name}`).text();
    return new Response(body, { headers: { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' } });
  },
};
