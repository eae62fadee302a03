/**
 * The egress policy: which destinations an outbound call made for a workflow may reach.
 * `http`/`https` only; link-local and metadata addresses never; loopback and private ranges only
 * when the operator allows them (`--egress-allow`). Judged on IP addresses, so callers check the
 * address they actually connect to (see request.ts), not the name in the URL.
 */
import { classifyAddress, METADATA_HOSTNAMES } from './address.ts';
import type { AddressKind } from './address.ts';

/** What the operator may open up; everything else is fixed. */
export type EgressAllowance = 'loopback' | 'private';

export const EGRESS_ALLOWANCES: readonly EgressAllowance[] = ['loopback', 'private'];

export interface EgressPolicy {
  readonly allow: ReadonlySet<EgressAllowance>;
}

/** Safe by default: public addresses only. */
export const PUBLIC_ONLY: EgressPolicy = { allow: new Set() };

export const ALLOWED_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:']);

export type EgressRefusalReason = 'scheme' | 'metadata' | 'link-local' | 'loopback' | 'private';

/** Why a destination is refused; `always` when no setting can allow it. */
export interface EgressRefusal {
  readonly code: 'EGRESS_REFUSED';
  readonly reason: EgressRefusalReason;
  readonly always: boolean;
  /** One sentence naming the policy, without the URL (the caller adds what it may show). */
  readonly message: string;
}

/** A refusal for this address under this policy, or undefined when it may be reached. */
export function checkAddress(policy: EgressPolicy, address: string): EgressRefusal | undefined {
  const kind = classifyAddress(address);
  if (kind === undefined || kind === 'public') return undefined;
  return refusalFor(policy, kind, address);
}

/**
 * What can be decided from a URL without resolving it: its scheme, a metadata host name, a literal
 * IP address. Names that need DNS are checked when connecting.
 */
export function checkUrl(policy: EgressPolicy, url: URL): EgressRefusal | undefined {
  if (!ALLOWED_SCHEMES.has(url.protocol)) {
    return {
      code: 'EGRESS_REFUSED',
      reason: 'scheme',
      always: true,
      message: `the scheme '${url.protocol.replace(/:$/, '')}' is refused by the egress policy: only http and https are allowed`,
    };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (METADATA_HOSTNAMES.has(host.replace(/\.$/, ''))) return refusalFor(policy, 'metadata', host);
  return checkAddress(policy, host);
}

function refusalFor(policy: EgressPolicy, kind: Exclude<AddressKind, 'public'>, address: string): EgressRefusal | undefined {
  switch (kind) {
    case 'metadata':
      return refusal(kind, true, `${address} is a cloud metadata address, always refused by the egress policy`);
    case 'link-local':
      return refusal(kind, true, `${address} is a link-local address, always refused by the egress policy`);
    case 'loopback':
    case 'private':
      if (policy.allow.has(kind)) return undefined;
      return refusal(kind, false, `${address} is a ${kind} address, refused by the egress policy (allow it with --egress-allow ${kind})`);
  }
}

function refusal(reason: EgressRefusalReason, always: boolean, message: string): EgressRefusal {
  return { code: 'EGRESS_REFUSED', reason, always, message };
}

/** `loopback,private` → a policy; unknown words are reported, never ignored. */
export function parseEgressAllow(text: string | undefined): EgressPolicy | { readonly problem: string } {
  const words = (text ?? '').split(',').map((word) => word.trim()).filter(Boolean);
  const unknown = words.filter((word) => !(EGRESS_ALLOWANCES as readonly string[]).includes(word));
  if (unknown.length > 0) return { problem: `unknown value${unknown.length > 1 ? 's' : ''} ${unknown.map((w) => `"${w}"`).join(', ')}; use ${EGRESS_ALLOWANCES.join(', ')} (comma-separated)` };
  return { allow: new Set(words as EgressAllowance[]) };
}
