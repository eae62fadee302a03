/**
 * The address a call that is not HTTP (gRPC, MQTT) connects to: the host goes through the egress
 * policy like an HTTP endpoint, every address it resolves to is checked, and the caller connects to
 * the checked address itself, so a rebinding DNS changes nothing.
 */
import { isIP } from 'node:net';
import type { EgressPolicy, Resolver } from '../egress/index.ts';
import { checkAddress, checkUrl } from '../egress/index.ts';
import { callFailure } from './call-policy.ts';

export interface Destination {
  /** A host name or an address (IPv6 with or without brackets). */
  readonly host: string;
  readonly port: number;
  /** How messages name the call: `gRPC`, `MQTT`. */
  readonly protocol: string;
  readonly instance: string;
}

export async function checkedAddress(policy: EgressPolicy, resolver: Resolver, destination: Destination): Promise<string> {
  const host = destination.host.replace(/^\[|\]$/g, '');
  const where = `${destination.protocol} ${destination.host}:${destination.port}`;
  const refused = (message: string) =>
    callFailure({ kind: 'communication', status: 403, title: 'Refused by the egress policy', detail: `${where}: ${message}`, instance: destination.instance });
  const literal = checkUrl(policy, new URL(`http://${isIP(host) === 6 ? `[${host}]` : host}`));
  if (literal) throw refused(literal.message);
  if (isIP(host)) return host;
  let addresses: readonly { address: string }[];
  try {
    addresses = await resolver(host);
  } catch (error) {
    throw callFailure({ kind: 'communication', status: 503, title: 'Service unreachable', detail: `${where}: ${(error as Error).message}`, instance: destination.instance, retryable: true });
  }
  const refusals = addresses.map(({ address }) => checkAddress(policy, address));
  const index = refusals.findIndex((refusal) => refusal === undefined);
  if (index < 0) throw refused(refusals[0]?.message ?? 'no address');
  return addresses[index]!.address;
}
