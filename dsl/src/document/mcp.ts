/** The MCP protocol versions Baton speaks. */

/** The protocol versions the runner's MCP client speaks (the SDK's list, checked by a runner test). */
export const MCP_PROTOCOL_VERSIONS: readonly string[] = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'];
/** The spec's default for `with.protocolVersion`. */
export const DEFAULT_MCP_PROTOCOL_VERSION = '2025-06-18';
