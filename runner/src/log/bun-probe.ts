/**
 * The Temporal SDK probes `v8.promiseHooks.createHook` in each workflow thread, and under Bun
 * (which does not implement it: oven-sh/bun#6136) prints a warning with `console.warn` — the SDK
 * has no option to turn it off (its own FIXME says it belongs in the logger), and it only means
 * that stack-trace queries of workflows are empty. Bun routes a worker thread's console through the
 * main thread's `process.stderr`, so that exact line is dropped there; everything else passes.
 */
const PROBE_LINE = 'v8.promiseHooks.createHook is not available; stack trace collection will be disabled.';

let installed = false;

export function silenceBunPromiseHookProbe(): void {
  if (installed || typeof Bun === 'undefined') return;
  installed = true;
  const write = process.stderr.write.bind(process.stderr) as (chunk: unknown, ...rest: unknown[]) => boolean;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? new TextDecoder().decode(chunk) : undefined;
    if (text !== undefined && text.trim() === PROBE_LINE) {
      // The write callback, if any, still hears that the write is done.
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      callback?.();
      return true;
    }
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
}
