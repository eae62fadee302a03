/**
 * The `run: script` activity: JavaScript run by the Bun running this worker, Python by `python3`.
 * The code is written to a file in the run's working folder. A `source` is fetched through the
 * egress policy (http/https), with its endpoint's authentication when it has one (the runner's
 * authenticator, credentials cut out of every failure), or read from a `file:` path inside
 * `--run-script-source-dirs`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEgressClient, EgressRefusedError } from '../../egress/index.ts';
import type { EgressClient } from '../../egress/index.ts';
import type { Authenticator, Authorization } from '../auth/index.ts';
import { retryAuthorized } from '../call-documents.ts';
import { collectCredentials, redactFailure } from '../call-redaction.ts';
import { processEnvironment, runInWorkdir } from './activity-process.ts';
import { invalid, processFailure, refused } from './outcome.ts';
import { allowedSourcePath, checkScriptLanguage } from './policy.ts';
import type { RunPolicy } from './policy.ts';
import type { AuthenticationArguments, ProcessOutput, ScriptRequest } from '../../contract/index.ts';

/** Scripts are code, not data: a source larger than this is refused. */
export const MAX_SCRIPT_SOURCE_BYTES = 1024 * 1024;

export function createScriptActivity(policy: RunPolicy, egress: EgressClient, authenticator: Authenticator): (request: ScriptRequest) => Promise<ProcessOutput> {
  const authorizedSource = async (uri: string, args: AuthenticationArguments, taskReference: string): Promise<string> => {
    const credentials = collectCredentials();
    try {
      const authorization = await authenticator.authorize(args, taskReference, { onCredentials: (values) => credentials.values.push(...values) });
      credentials.values.push(...authorization.secrets);
      return await fetchSource(uri, policy, egress, taskReference, authorization);
    } catch (error) {
      throw redactFailure(error, credentials.redact);
    }
  };
  return async (request) => {
    const refusal = checkScriptLanguage(policy, request.language);
    if (refusal) throw refused(refusal, request.taskReference);
    const { script } = request;
    const code =
      script.kind === 'code'
        ? script.code
        : script.authentication
          ? await authorizedSource(script.uri, script.authentication, request.taskReference)
          : await fetchSource(script.uri, policy, egress, request.taskReference);
    return runInWorkdir(request, policy, async (workdir) => {
      const file = join(workdir, request.language === 'js' ? 'script.js' : 'script.py');
      await writeFile(file, code);
      const interpreter = request.language === 'js' ? [process.execPath, '--no-install', file] : ['python3', file];
      return {
        what: `the ${request.language} script`,
        file: interpreter[0]!,
        args: [...interpreter.slice(1), ...request.arguments],
        env: processEnvironment(workdir, request.environment),
        ...(request.stdin === undefined ? {} : { stdin: request.stdin }),
      };
    });
  };
}

async function fetchSource(uri: string, policy: RunPolicy, egress: EgressClient, taskReference: string, authorization?: Authorization): Promise<string> {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw invalid(`the script source '${uri}' is not an absolute URL`, taskReference);
  }
  if (url.protocol === 'file:') {
    const path = allowedSourcePath(policy, fileURLToPath(url));
    if (!path) throw refused({ setting: '--run-script-source-dirs', message: `the script source ${uri} is outside the folders scripts may be read from (--run-script-source-dirs)` }, taskReference);
    const bytes = await readFile(path).catch((error: unknown) => {
      throw processFailure('configuration', 404, 'Script source not found', `cannot read ${uri}: ${(error as Error).message}`, taskReference);
    });
    if (bytes.length > MAX_SCRIPT_SOURCE_BYTES) throw invalid(`the script source ${uri} is larger than ${MAX_SCRIPT_SOURCE_BYTES} bytes`, taskReference);
    return bytes.toString('utf8');
  }
  try {
    const source = url;
    const get = (credentials: string | undefined) =>
      egress.request(source, {
        method: 'GET',
        headers: new Headers(credentials === undefined ? {} : { authorization: credentials }),
        followRedirects: true,
        maxResponseBytes: MAX_SCRIPT_SOURCE_BYTES,
      });
    let response = await get(authorization?.header);
    if (response.status === 401 && authorization) response = await retryAuthorized(response, authorization, url, get);
    if (response.status < 200 || response.status >= 300) {
      throw processFailure('communication', response.status, 'Script source unavailable', `GET ${uri} answered ${response.status}`, taskReference);
    }
    return new TextDecoder().decode(response.body);
  } catch (error) {
    if (error instanceof EgressRefusedError) throw processFailure('communication', 403, 'Refused by the egress policy', `GET ${uri}: ${error.message}`, taskReference);
    if (error instanceof Error && error.name === 'ApplicationFailure') throw error;
    throw processFailure('communication', 503, 'Script source unreachable', `GET ${uri}: ${(error as Error).message}`, taskReference);
  }
}
