/** The process guard of `bun run local`, in a child process: an unhandled rejection is logged and the process lives on. */
import { expect, test } from 'bun:test';

test('with the guard, an unhandled rejection and an uncaught exception are logged and the process keeps running', async () => {
  const guard = new URL('../../src/process-guard.ts', import.meta.url).pathname;
  const script = `
    import { installProcessGuard } from ${JSON.stringify(guard)};
    installProcessGuard((what, error) => console.log('guarded', what, String(error)));
    Promise.reject(new Error('nobody awaits me'));
    setTimeout(() => { throw new Error('thrown in a timer'); }, 10);
    setTimeout(() => console.log('still serving'), 100);
  `;
  const child = Bun.spawn(['bun', '-e', script], { stdout: 'pipe', stderr: 'pipe' });
  const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  expect(out).toContain('guarded unhandledRejection Error: nobody awaits me');
  expect(out).toContain('guarded uncaughtException Error: thrown in a timer');
  expect(out).toContain('still serving');
  expect(code).toBe(0);
});
