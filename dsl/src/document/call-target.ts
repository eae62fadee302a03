/** What a `call` names: a protocol Baton calls, a `use.functions` function, or a cataloged function. */

/** `name:version@catalog` (the spec's form for cataloged functions). */
export const CATALOG_FUNCTION = /^([A-Za-z0-9][\w.-]*):([\w.+-]+)@([A-Za-z0-9][\w.-]*)$/;

/** The runner's default catalog, unless the document defines one by that name. */
export const DEFAULT_CATALOG = 'default';

/** The protocols Baton calls, each compiled by its own file (compile/tasks/call-<protocol>.ts). */
export const CALL_PROTOCOLS = ['http', 'openapi', 'grpc', 'asyncapi', 'mcp', 'activity'] as const;

export type CallProtocol = (typeof CALL_PROTOCOLS)[number];

export function isCallProtocol(call: string): call is CallProtocol {
  return (CALL_PROTOCOLS as readonly string[]).includes(call);
}
