/**
 * The workflow document a tool works on: its text inline (`document`), or a path (`file`) when the
 * server may read the host's files — over stdio it runs as the agent's user like the CLI does;
 * over HTTP it must not hand the host's files to whoever can reach the port.
 */
import { z } from 'zod';

export const documentArguments = {
  document: z.string().optional().describe('the workflow document itself (YAML or JSON)'),
  file: z.string().optional().describe('path of a workflow file on the machine running `baton mcp` (stdio only)'),
};

export type DocumentArguments = { document?: string | undefined; file?: string | undefined };

export type DocumentSource =
  | { readonly ok: true; readonly source: string; readonly name: string }
  | { readonly ok: false; readonly problem: string };

export async function readDocument(args: DocumentArguments, allowFiles: boolean): Promise<DocumentSource> {
  if ((args.document === undefined) === (args.file === undefined)) {
    return { ok: false, problem: 'give exactly one of `document` (the text) or `file` (a path)' };
  }
  if (args.document !== undefined) return { ok: true, source: args.document, name: '<document>' };
  const path = args.file!;
  if (!allowFiles) return { ok: false, problem: 'this server does not read files (served over HTTP): pass the text as `document`' };
  const file = Bun.file(path);
  if (!(await file.exists())) return { ok: false, problem: `workflow file not found: ${path}` };
  try {
    return { ok: true, source: await file.text(), name: path };
  } catch (error) {
    return { ok: false, problem: `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
