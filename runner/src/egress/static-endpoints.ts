/**
 * The endpoints of a plan that are known before it runs (literal URIs whose scheme and host hold
 * no `{placeholder}`: `call: http` endpoints, OpenAPI documents and `.proto` files read over
 * http(s), AsyncAPI documents read over http(s), gRPC hosts, MCP endpoints), checked against this runner's policy so executeAsync refuses them at once
 * instead of starting an execution that can only fail.
 */
import type { Plan } from '@baton/dsl';
import type { CompileWorkflow } from '../service/requests.ts';
import { checkUrl } from './policy.ts';
import type { EgressPolicy } from './policy.ts';

export interface StaticEndpointProblem {
  readonly code: 'EGRESS_REFUSED';
  readonly message: string;
  /** JSON pointer of the endpoint in the document. */
  readonly pointer: string;
  /** The calling task's reference. */
  readonly taskPath: string;
}

export function staticEndpointProblems(plan: Plan, policy: EgressPolicy): StaticEndpointProblem[] {
  const problems: StaticEndpointProblem[] = [];
  for (const target of staticTargets(plan)) {
    const refusal = checkUrl(policy, target.url);
    if (!refusal) continue;
    problems.push({ code: 'EGRESS_REFUSED', message: refusal.message, pointer: `${target.reference}/call`, taskPath: target.reference });
  }
  return problems;
}

interface CallShape {
  readonly kind: string;
  readonly reference: string;
  readonly endpoint?: Literal;
  readonly document?: Literal;
  readonly proto?: Literal;
  readonly host?: Literal;
  readonly transport?: { readonly kind: string; readonly endpoint?: Literal };
}

interface Literal {
  readonly kind: string;
  readonly value?: unknown;
}

/**
 * What every call task of the plan will reach, when fixed text says so: `call: http` endpoints,
 * the OpenAPI documents and `.proto` files read over http(s), gRPC hosts, MCP HTTP endpoints.
 */
function staticTargets(plan: Plan): { reference: string; url: URL }[] {
  const targets: { reference: string; url: URL }[] = [];
  const add = (reference: string, template: Literal | undefined, httpOnly: boolean) => {
    if (template?.kind !== 'literal' || typeof template.value !== 'string') return;
    if (httpOnly && !/^https?:/i.test(template.value)) return;
    const url = staticUrl(template.value);
    if (url) targets.push({ reference, url });
  };
  for (const task of callTasks(plan)) {
    if (task.kind === 'call.http') add(task.reference, task.endpoint, false);
    if (task.kind === 'call.openapi' || task.kind === 'call.asyncapi') add(task.reference, task.document, true);
    if (task.kind === 'call.mcp' && task.transport?.kind === 'http') add(task.reference, task.transport.endpoint, false);
    if (task.kind === 'call.grpc') {
      add(task.reference, task.proto, true);
      if (task.host?.kind === 'literal' && typeof task.host.value === 'string') add(task.reference, { kind: 'literal', value: `http://${task.host.value}` }, true);
    }
  }
  return targets;
}

/** Every call task, however deeply nested (do, for, fork, try, switch …). */
function callTasks(value: unknown, found: CallShape[] = []): CallShape[] {
  if (Array.isArray(value)) for (const item of value) callTasks(item, found);
  else if (typeof value === 'object' && value !== null) {
    const kind = (value as { kind?: unknown }).kind;
    if (typeof kind === 'string' && kind.startsWith('call.')) found.push(value as CallShape);
    for (const item of Object.values(value)) callTasks(item, found);
  }
  return found;
}

/** The URL when its scheme and authority are fixed text; placeholders in the path do not matter. */
function staticUrl(template: string): URL | undefined {
  const schemeAndHost = /^[a-z][a-z0-9+.-]*:(\/\/[^/?#]*)?/i.exec(template)?.[0];
  if (schemeAndHost === undefined || schemeAndHost.includes('{')) return undefined;
  try {
    return new URL(template.replace(/\{[^}]*\}/g, 'x'));
  } catch {
    return undefined;
  }
}

/** A compiler that also refuses the plan's static endpoints this policy refuses (positioned by task). */
export function withStaticEndpointCheck(compile: CompileWorkflow, policy: EgressPolicy): CompileWorkflow {
  return (yaml, options) => {
    const compiled = compile(yaml, options);
    if (!compiled.ok) return compiled;
    const problems = staticEndpointProblems(compiled.plan, policy);
    if (problems.length === 0) return compiled;
    return { ok: false, diagnostics: problems.map((problem) => ({ ...problem, severity: 'error', line: 0, column: 0 })) };
  };
}
