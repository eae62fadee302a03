/** `@baton/dsl`: Serverless Workflow 1.0 documents → validated, compiled plans. */
export * from './plan.ts';
export { compileWorkflow, compileWorkflowObject } from './compile-workflow.ts';
export type { CompileOptions, CompileResult } from './compile-workflow.ts';
export { DIAGNOSTIC_CODES } from './errors.ts';
export type { Diagnostic, DiagnosticCode, Severity } from './errors.ts';
export { durationToMs } from './duration.ts';
export type { DurationResult } from './duration.ts';
export { workflowSchema } from './validate/workflow-schema.ts';
export { expr, forEach, fork, http, raise, runWorkflow, sequence, set, switchOn, tasks, tryCatch, wait, workflow, WorkflowBuilder } from './builder/builder.ts';
export type * from './builder/types.ts';
export { toMermaid } from './graph/mermaid.ts';
export { MCP_PROTOCOL_VERSIONS } from './document/mcp.ts';
export { compileFunctionDefinition } from './compile-function.ts';
export type { FunctionDefinitionOptions, FunctionDefinitionResult } from './compile-function.ts';
