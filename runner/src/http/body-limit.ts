/**
 * Request bodies over the runner's limit are refused by us, not by Bun: Bun's own
 * `maxRequestBodySize` answers a bare 413 with an empty body, and an operator or client then has
 * nothing to go on. So Bun is told no limit, and `limitBody` enforces ours — from a declared
 * `content-length` before a byte is read, or while reading a chunked body, stopping at the limit
 * so an endless body costs at most `maxBytes` of memory.
 */

/** Bun's own limit, which must never be what answers (see above). */
export const UNLIMITED_BODY = Number.MAX_SAFE_INTEGER;

export type LimitedBody =
  | { readonly ok: true; readonly request: Request }
  | { readonly ok: false; readonly response: Response };

/**
 * The request itself when its body is within `maxBytes` (read into memory when the client did not
 * declare its length), or a 413 that says what the limit is.
 */
export async function limitBody(request: Request, maxBytes: number, headers?: Record<string, string>): Promise<LimitedBody> {
  const tooLarge = (): LimitedBody => ({
    ok: false,
    response: Response.json({ message: `the request body is larger than this runner accepts (${maxBytes} bytes, --max-message-bytes)` }, { status: 413, headers }),
  });
  const declared = request.headers.get('content-length');
  if (declared !== null) return Number(declared) > maxBytes ? tooLarge() : { ok: true, request };
  if (request.body === null) return { ok: true, request };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge();
    }
    chunks.push(value);
  }
  return { ok: true, request: new Request(request.url, { method: request.method, headers: request.headers, body: Buffer.concat(chunks) }) };
}
