/**
 * What a call task hands its activity for authentication: the compiled policy, unevaluated, and
 * what evaluating it needs. Shared by workflow code (types only) and the activities; any call kind
 * carries it the same way.
 */
import type { AuthenticationPolicy } from '@baton/dsl/runtime';
import type { TemplateContext } from './http.ts';

export type AuthenticationArguments = { readonly policy: AuthenticationPolicy } & TemplateContext;
