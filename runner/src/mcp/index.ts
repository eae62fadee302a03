/** Baton's MCP server: validate, draw, run and follow workflows from an agent (docs/mcp.md). */
export { createBatonMcp, type BatonMcpOptions } from './server.ts';
export { serveStdio } from './stdio.ts';
export { serveHttp, MCP_PATH, type HttpOptions, type HttpStart } from './http.ts';
export { Visibility, type VisibilityTarget } from './list-tool.ts';
