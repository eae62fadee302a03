/**
 * What kind of network an IP address belongs to, for the egress policy. Pure functions over the
 * address text: IPv4, IPv6, and the IPv6 forms that carry an IPv4 address (mapped `::ffff:a.b.c.d`,
 * compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`), which are judged by the IPv4 address inside.
 */
import { isIP } from 'node:net';

/** `public` is anything not listed; `metadata` and `link-local` are never reachable. */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'metadata';

/** Cloud instance-metadata services outside 169.254/16: Alibaba (100.100.100.200), AWS over IPv6. */
const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200']);
const METADATA_V6 = new Set(['fd00:ec2:0:0:0:0:0:254']);

/** Host names that always name a metadata service, whatever they resolve to. */
export const METADATA_HOSTNAMES: ReadonlySet<string> = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

/** The kind of a literal IP address; undefined when the text is not one. */
export function classifyAddress(address: string): AddressKind | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return classifyV4(ipv4Octets(bare));
  if (version === 6) return classifyV6(ipv6Hextets(bare));
  return undefined;
}

function classifyV4([a, b, c, d]: readonly number[]): AddressKind {
  if (METADATA_V4.has(`${a}.${b}.${c}.${d}`)) return 'metadata';
  if (a === 169 && b === 254) return 'link-local';
  // 0.0.0.0/8 reaches this host on Linux, like loopback.
  if (a === 127 || a === 0) return 'loopback';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return 'private';
  // Carrier-grade NAT (100.64/10) and the IETF protocol block (192.0.0/24) are not the Internet either.
  if ((a === 100 && b! >= 64 && b! <= 127) || (a === 192 && b === 0 && c === 0)) return 'private';
  return 'public';
}

function classifyV6(hextets: readonly number[]): AddressKind {
  const text = hextets.map((h) => h.toString(16)).join(':');
  if (METADATA_V6.has(text)) return 'metadata';
  const embedded = embeddedV4(hextets);
  if (embedded) return classifyV4(embedded);
  if (hextets.every((h) => h === 0)) return 'loopback'; // `::`, the unspecified address
  if (hextets.slice(0, 7).every((h) => h === 0) && hextets[7] === 1) return 'loopback';
  const first = hextets[0]!;
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((first & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local fec0::/10
  return 'public';
}

/** The IPv4 address inside a mapped, compatible or NAT64 IPv6 address. */
function embeddedV4(h: readonly number[]): number[] | undefined {
  const zeros = (from: number, to: number) => h.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 5) && h[5] === 0xffff;
  const compatible = zeros(0, 6) && (h[6] !== 0 || h[7]! > 1);
  const nat64 = h[0] === 0x64 && h[1] === 0xff9b && zeros(2, 6);
  if (!mapped && !compatible && !nat64) return undefined;
  return [h[6]! >> 8, h[6]! & 0xff, h[7]! >> 8, h[7]! & 0xff];
}

function ipv4Octets(text: string): number[] {
  return text.split('.').map(Number);
}

/** Eight 16-bit groups; `isIP` has already said the text is a valid IPv6 address. */
function ipv6Hextets(text: string): number[] {
  let source = text.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(source);
  if (dotted) {
    const [a, b, c, d] = ipv4Octets(dotted[1]!);
    source = `${source.slice(0, dotted.index)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = source.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const front = parse(head);
  if (tail === undefined) return front;
  const back = parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}
