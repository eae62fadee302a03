/** The egress policy every outbound call made for a workflow goes through. */
export { classifyAddress } from './address.ts';
export type { AddressKind } from './address.ts';
export { ALLOWED_SCHEMES, checkAddress, checkUrl, EGRESS_ALLOWANCES, parseEgressAllow, PUBLIC_ONLY } from './policy.ts';
export type { EgressAllowance, EgressPolicy, EgressRefusal, EgressRefusalReason } from './policy.ts';
export { createEgressClient, EgressRefusedError, ResponseTooLargeError, systemResolver, TooManyRedirectsError } from './request.ts';
export type { EgressClient, EgressRequest, EgressResponse, Resolver } from './request.ts';
export { staticEndpointProblems, withStaticEndpointCheck } from './static-endpoints.ts';
export type { StaticEndpointProblem } from './static-endpoints.ts';
