/** Reads `--input`: inline JSON, or `@path` to a JSON file. */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { CliError, ExitCode } from './errors.ts';

export async function readInput(argument: string | undefined): Promise<unknown> {
  if (argument === undefined) return {};
  if (argument.startsWith('@')) {
    const path = argument.slice(1);
    const file = Bun.file(path);
    if (!(await file.exists())) throw new CliError(`input file not found: ${path}`, ExitCode.usage);
    return parseJson(await file.text(), path);
  }
  return parseJson(argument, '--input');
}

export function parseJson(text: string, origin: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const before = text.slice(0, first.offset);
    const line = before.split('\n').length;
    const column = first.offset - before.lastIndexOf('\n');
    throw new CliError(
      `${origin} is not valid JSON: ${describe(printParseErrorCode(first.error))} at line ${line}, column ${column}`,
      ExitCode.usage,
    );
  }
  return value;
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
