/**
 * Turning evaluated `call: http` arguments into request parts. Pure, so both the interpreter
 * (workflow code) and the HTTP activity (for arguments that read secrets) use it.
 */

/** RFC 6570 level-1 expansion: `{name}` becomes the percent-encoded field of the task input. */
export function expandUriTemplate(template: string, input: unknown): string {
  return template.replace(/\{([A-Za-z0-9_.]+)\}/g, (_match, name: string) => {
    let value: unknown = input;
    for (const segment of name.split('.')) {
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
    }
    if (value === undefined || value === null) return '';
    return encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
  });
}

/** The URI template an evaluated endpoint holds (a string or `{uri}`), or undefined. */
export function endpointUri(endpoint: unknown): string | undefined {
  const uri = typeof endpoint === 'object' && endpoint !== null ? (endpoint as { uri?: unknown }).uri : endpoint;
  return typeof uri === 'string' ? uri : undefined;
}

/** Headers or query values as strings (null entries dropped); undefined when not an object. */
export function stringMap(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined || entry === null) continue;
    result[key] = typeof entry === 'string' ? entry : JSON.stringify(entry);
  }
  return result;
}
