/**
 * The workflow catalogue: documents in a folder that `run: workflow` may start, compiled once at
 * startup and keyed `namespace/name/version`. A bad document stops the runner with its diagnostics.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plan } from '@baton/dsl';
import type { CompileWorkflow } from './requests.ts';

export class CatalogueError extends Error {
  override readonly name = 'CatalogueError';
  readonly code = 'CATALOGUE_INVALID';
}

/** The catalogue's document files, sorted. */
export async function catalogueFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => /\.(ya?ml|json)$/i.test(name)).sort().map((name) => join(dir, name));
  } catch (err) {
    throw new CatalogueError(`cannot read the workflow catalogue ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function loadCatalogue(dir: string, compile: CompileWorkflow): Promise<Record<string, Plan>> {
  const catalogue: Record<string, Plan> = {};
  const problems: string[] = [];
  for (const file of await catalogueFiles(dir)) {
    const result = compile(await readFile(file, 'utf8'), { file });
    if (!result.ok) {
      problems.push(...result.diagnostics.map((d) => `${file}:${d.line}:${d.column}: [${d.code}] ${d.message}`));
      continue;
    }
    const { namespace, name: workflowName, version } = result.plan.document;
    // A Zigflow multi-workflow file offers each of its workflow types, as Zigflow's worker does.
    const entries = result.plan.workflows ?? [workflowName];
    for (const entry of entries) {
      const key = `${namespace}/${entry}/${version}`;
      if (catalogue[key]) problems.push(`${file}: ${key} is already defined by another file`);
      catalogue[key] = result.plan.workflows ? { ...result.plan, entry } : result.plan;
    }
  }
  if (problems.length > 0) throw new CatalogueError(`the workflow catalogue ${dir} has problems:\n${problems.join('\n')}`);
  return catalogue;
}
