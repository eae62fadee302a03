/**
 * Callers send the same documents again and again (one YAML per kind of job), so compiled plans
 * are kept by document text. Plans are immutable values, safe to share between executions.
 * Bounded by entry count and by the total size of the cached documents; least recently used first out.
 */
import type { CompileResult, CompileWorkflow } from './requests.ts';

export interface CompileCacheLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

const DEFAULT_LIMITS: CompileCacheLimits = { maxEntries: 512, maxBytes: 32 * 1024 * 1024 };

export function cachedCompiler(compile: CompileWorkflow, limits: CompileCacheLimits = DEFAULT_LIMITS): CompileWorkflow {
  const entries = new Map<string, CompileResult>();
  let bytes = 0;
  return (yaml, options) => {
    const key = `${options.file}\n${yaml}`;
    const hit = entries.get(key);
    if (hit) {
      entries.delete(key);
      entries.set(key, hit);
      return hit;
    }
    const result = compile(yaml, options);
    if (key.length > limits.maxBytes) return result;
    entries.set(key, result);
    bytes += key.length;
    for (const [oldest] of entries) {
      if (entries.size <= limits.maxEntries && bytes <= limits.maxBytes) break;
      entries.delete(oldest);
      bytes -= oldest.length;
    }
    return result;
  };
}
