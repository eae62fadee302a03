/**
 * The file catalogue as a seed: at start-up the service deploys each of its documents, so a
 * deployment exists for everything the catalogue holds (and schedules in it start). Deploy is
 * idempotent, so every replica may do it and a restart changes nothing. It runs in the
 * background: the registry needs a worker, which a service-only runner does not have itself.
 */
import { readFile } from 'node:fs/promises';
import { catalogueFiles } from './catalogue.ts';
import type { Deployments } from './deployments.ts';
import type { CompileWorkflow } from './requests.ts';

export async function seedDeployments(
  dir: string,
  deployments: Deployments,
  compile: CompileWorkflow,
  log: (message: string, fields: Record<string, unknown>) => void,
): Promise<void> {
  for (const file of await catalogueFiles(dir)) {
    const yaml = await readFile(file, 'utf8');
    // loadCatalogue refused to start with an invalid document, so each compiles (from the cache).
    const compiled = compile(yaml, { file });
    if (!compiled.ok) continue;
    try {
      const result = await deployments.deploy(yaml, compiled.plan);
      if (result.changed) log('deployed from the catalogue', { file, revision: result.summary.revision, schedule: result.schedule });
    } catch (error) {
      log('could not deploy a catalogue document; it stays startable through the catalogue', { file, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
