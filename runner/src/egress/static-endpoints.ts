/**
 * The endpoints of a plan that are known before it runs (literal URIs whose scheme and host hold
 * no `{placeholder}`), checked against this runner's policy so executeAsync refuses them at once
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
  for (const task of httpCalls(plan)) {
    if (task.endpoint.kind !== 'literal' || typeof task.endpoint.value !== 'string') continue;
    const url = staticUrl(task.endpoint.value);
    const refusal = url && checkUrl(policy, url);
    if (!refusal) continue;
    problems.push({ code: 'EGRESS_REFUSED', message: refusal.message, pointer: `${task.reference}/call`, taskPath: task.reference });
  }
  return problems;
}

interface HttpCallShape {
  readonly kind: 'call.http';
  readonly reference: string;
  readonly endpoint: { readonly kind: string; readonly value?: unknown };
}

/** Every `call.http` task, however deeply nested (do, for, fork, try, switch …). */
function httpCalls(value: unknown, found: HttpCallShape[] = []): HttpCallShape[] {
  if (Array.isArray(value)) for (const item of value) httpCalls(item, found);
  else if (typeof value === 'object' && value !== null) {
    if ((value as { kind?: unknown }).kind === 'call.http') found.push(value as HttpCallShape);
    for (const item of Object.values(value)) httpCalls(item, found);
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
