/** Documents and probes the process-task tests share. */
import { readdirSync, readFileSync } from 'node:fs';

export function document(name: string, tasks: string, dsl = '1.0.3'): string {
  return `document: { dsl: '${dsl}', namespace: test, name: ${name}, version: '1.0.0' }\ndo:\n${tasks}`;
}

/** Processes whose command line contains `marker` (read from /proc, so no pgrep is needed). */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(marker)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
