/**
 * The live event stream of one execution (`/executions/<id>/watch`, the `subscribe_url`):
 * server-sent events fed by the same watch as the `watchExecution` rpc. Each change is an
 * `execution` event holding the page view as JSON; `end` says nothing more will change. A comment
 * every few seconds keeps idle connections (and proxies) from closing a quiet stream.
 */
import type { Executions } from '../service/executions.ts';
import { watchViews } from '../service/watch.ts';
import { pageView } from './execution-view.ts';
import { SECURITY_HEADERS } from './layout.ts';

const KEEP_ALIVE_MS = 5_000;

export function eventStream(executions: Executions, executionId: string, intervalMs: number, signal: AbortSignal, warn: (message: string, fields?: Record<string, unknown>) => void): Response {
  const encoder = new TextEncoder();
  let closed = false;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(keepAlive);
        controller.close();
      };
      signal.addEventListener('abort', close);
      keepAlive = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);
      send('retry: 3000\n\n');
      void (async () => {
        try {
          const fingerprint = (view: Parameters<typeof pageView>[0]) => JSON.stringify(pageView(view));
          for await (const view of watchViews(executions, executionId, intervalMs, fingerprint, () => closed)) {
            send(`event: execution\ndata: ${JSON.stringify(pageView(view))}\n\n`);
          }
          send('event: end\ndata: {}\n\n');
        } catch (error) {
          warn('the execution page could not follow an execution', { executionId, error: error instanceof Error ? error.message : String(error) });
          // The browser reconnects by itself after `retry`; the next stream starts from a fresh read.
          send(`event: problem\ndata: ${JSON.stringify({ message: 'the runner lost track of this execution for a moment; reconnecting' })}\n\n`);
        }
        close();
      })();
    },
    cancel() {
      closed = true;
      clearInterval(keepAlive);
    },
  });
  return new Response(stream, {
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' },
  });
}
