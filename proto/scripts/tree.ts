// Compares and copies folders of generated files.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface Drift {
  /** Absolute path of the committed file. */
  readonly path: string;
  /** changed: content differs; missing: generated but not committed; stale: committed but no longer generated. */
  readonly change: "changed" | "missing" | "stale";
}

/** Where the committed folder differs from the freshly generated one. */
export async function compareTrees(generatedDir: string, committedDir: string): Promise<Drift[]> {
  const generated = await listFiles(generatedDir);
  const committed = await listFiles(committedDir);
  const drift: Drift[] = [];
  for (const file of generated) {
    const path = join(committedDir, file);
    if (!committed.has(file)) drift.push({ path, change: "missing" });
    else if (!readFileSync(join(generatedDir, file)).equals(readFileSync(path))) drift.push({ path, change: "changed" });
  }
  for (const file of committed) {
    if (!generated.has(file)) drift.push({ path: join(committedDir, file), change: "stale" });
  }
  return drift.sort((a, b) => a.path.localeCompare(b.path));
}

/** Makes committedDir hold exactly the generated files; returns how many files it touched. */
export async function syncTree(generatedDir: string, committedDir: string): Promise<number> {
  const drift = await compareTrees(generatedDir, committedDir);
  for (const { path, change } of drift) {
    if (change === "stale") {
      rmSync(path);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, readFileSync(join(generatedDir, path.slice(committedDir.length + 1))));
  }
  return drift.length;
}

async function listFiles(dir: string): Promise<Set<string>> {
  if (!existsSync(dir)) return new Set();
  return new Set(await Array.fromAsync(new Bun.Glob("**/*").scan({ cwd: dir, dot: true })));
}
