/**
 * Everything that crosses the workflow sandbox line, in one sandbox-safe module: the interpreter's
 * arguments, status query and updates, the callback delivery workflow's arguments, the system and
 * call activities' request types (HTTP, OpenAPI, gRPC, AsyncAPI, MCP), Serverless Workflow errors and their one conversion to and from
 * ApplicationFailure. Workflow code, activities and the service all import it from here.
 *
 * It imports only `@temporalio/workflow` (definitions and failure classes, no workflow API called
 * at import), `@baton/dsl/runtime` and the failure-type table of `@baton/proto` (plain data): a
 * test checks it, as it checks the workflow code (runner/test/interpreter/sandbox-surface.test.ts).
 */
export * from './asyncapi.ts';
export * from './auth.ts';
export * from './callback.ts';
export * from './callback-failure.ts';
export * from './catalog-function.ts';
export * from './catalogue.ts';
export * from './deployment.ts';
export * from './errors.ts';
export * from './grpc.ts';
export * from './http.ts';
export * from './http-arguments.ts';
export * from './interpreter.ts';
export * from './mcp.ts';
export * from './openapi.ts';
export * from './run.ts';
export * from './updates.ts';
export * from './search-attributes.ts';
export * from './events.ts';
export * from './metrics.ts';
export * from './execution-search-attributes.ts';
export * from './workflow-id.ts';
