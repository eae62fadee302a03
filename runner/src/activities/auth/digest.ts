/**
 * `digest` (RFC 7616, and RFC 2617's MD5 without qop): the first request goes out without
 * credentials, and the server's `401` challenge is answered with a hash of the credentials, the
 * server's nonce and the request. SHA-512-256 is preferred over SHA-256 over MD5 when the server
 * offers several. Only `qop=auth` is answered: a server offering `auth-int` alone would need the
 * body hashed too, and is treated as a challenge this client does not meet.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Authorization } from './authorization.ts';
import { credentials } from './properties.ts';
import type { PropertyReader } from './properties.ts';

const ALGORITHMS: Readonly<Record<string, string>> = { 'SHA-512-256': 'sha512-256', 'SHA-256': 'sha256', MD5: 'md5' };
const PREFERENCE = ['SHA-512-256', 'SHA-256', 'MD5'];

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm: string;
  readonly sessionVariant: boolean;
  readonly qop?: string;
  readonly opaque?: string;
  readonly userhash: boolean;
}

export function digestAuthorization(read: PropertyReader): Authorization {
  const { username, password } = credentials(read);
  let count = 0;
  return {
    scheme: 'Digest',
    answer(header, method, target) {
      const challenge = pickChallenge(parseChallenges(header));
      if (!challenge) return undefined;
      count += 1;
      return digestHeader(challenge, { username, password, method, target, count, cnonce: randomBytes(16).toString('hex') });
    },
    secrets: [password],
  };
}

export function digestHeader(
  challenge: DigestChallenge,
  request: { username: string; password: string; method: string; target: string; count: number; cnonce: string },
): string {
  const hash = (text: string) => createHash(ALGORITHMS[challenge.algorithm]!).update(text, 'utf8').digest('hex');
  const nc = request.count.toString(16).padStart(8, '0');
  let ha1 = hash(`${request.username}:${challenge.realm}:${request.password}`);
  if (challenge.sessionVariant) ha1 = hash(`${ha1}:${challenge.nonce}:${request.cnonce}`);
  const ha2 = hash(`${request.method}:${request.target}`);
  const response = challenge.qop
    ? hash(`${ha1}:${challenge.nonce}:${nc}:${request.cnonce}:${challenge.qop}:${ha2}`)
    : hash(`${ha1}:${challenge.nonce}:${ha2}`);
  const username = challenge.userhash ? hash(`${request.username}:${challenge.realm}`) : request.username;
  const parts = [
    `username=${quote(username)}`,
    `realm=${quote(challenge.realm)}`,
    `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(request.target)}`,
    `algorithm=${challenge.algorithm}${challenge.sessionVariant ? '-sess' : ''}`,
    `response=${quote(response)}`,
    ...(challenge.qop ? [`qop=${challenge.qop}`, `nc=${nc}`, `cnonce=${quote(request.cnonce)}`] : []),
    ...(challenge.opaque !== undefined ? [`opaque=${quote(challenge.opaque)}`] : []),
    ...(challenge.userhash ? ['userhash=true'] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}

/** Every Digest challenge in a `WWW-Authenticate` value (several may be joined with commas). */
export function parseChallenges(header: string): DigestChallenge[] {
  const challenges: DigestChallenge[] = [];
  // A challenge starts with its scheme name; parameters are name=token or name="quoted".
  const pattern = /([A-Za-z][\w-]*)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*))?/g;
  let current: Record<string, string> | undefined;
  const finish = () => {
    if (!current) return;
    const challenge = toChallenge(current);
    if (challenge) challenges.push(challenge);
  };
  for (const match of header.matchAll(pattern)) {
    const [, name, raw] = match;
    if (raw === undefined) {
      finish();
      current = name!.toLowerCase() === 'digest' ? {} : undefined;
      continue;
    }
    if (current) current[name!.toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  finish();
  return challenges;
}

function toChallenge(params: Record<string, string>): DigestChallenge | undefined {
  if (params.realm === undefined || params.nonce === undefined) return undefined;
  const written = (params.algorithm ?? 'MD5').toUpperCase();
  const sessionVariant = written.endsWith('-SESS');
  const algorithm = sessionVariant ? written.slice(0, -'-SESS'.length) : written;
  if (!ALGORITHMS[algorithm]) return undefined;
  const offered = (params.qop ?? '').split(',').map((item) => item.trim().toLowerCase());
  // Without `auth` on offer (only auth-int), answering would need the body's hash: not offered here.
  if (params.qop !== undefined && !offered.includes('auth')) return undefined;
  return {
    realm: params.realm,
    nonce: params.nonce,
    algorithm,
    sessionVariant,
    ...(params.qop !== undefined ? { qop: 'auth' } : {}),
    ...(params.opaque !== undefined ? { opaque: params.opaque } : {}),
    userhash: params.userhash?.toLowerCase() === 'true',
  };
}

function pickChallenge(challenges: readonly DigestChallenge[]): DigestChallenge | undefined {
  return [...challenges].sort((a, b) => PREFERENCE.indexOf(a.algorithm) - PREFERENCE.indexOf(b.algorithm))[0];
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
