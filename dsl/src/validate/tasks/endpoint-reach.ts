/**
 * What no runner will ever call, decided from a literal endpoint alone: schemes other than http
 * and https (`file://` would read the runner's host), and literal link-local or cloud-metadata
 * addresses. The runner's egress policy (runner/src/egress) refuses the same at run time, plus
 * what each runner's settings refuse (loopback, private ranges).
 */

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', '100.100.100.200', '[fd00:ec2::254]']);

/** Why the endpoint can never be called, or undefined when only running it can tell. */
export function unreachableEndpoint(template: string): string | undefined {
  const schemeAndHost = /^([a-z][a-z0-9+.-]*):(?:\/\/([^/?#]*))?/i.exec(template);
  if (!schemeAndHost) return undefined;
  const [, scheme, authority] = schemeAndHost as unknown as [string, string, string | undefined];
  if (scheme.includes('{')) return undefined;
  if (!['http', 'https'].includes(scheme.toLowerCase())) return `the scheme '${scheme}' is never called: endpoints must be http or https`;
  if (authority === undefined || authority.includes('{')) return undefined;
  let host: string;
  try {
    host = new URL(`http://${authority}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  if (METADATA_HOSTS.has(host)) return `${host} is a cloud metadata address, never called`;
  if (/^169\.254\.\d+\.\d+$/.test(host) || /^\[fe[89ab][0-9a-f]?:/.test(host) || /^\[::ffff:a9fe:/.test(host)) {
    return `${host} is a link-local address (where cloud metadata services live), never called`;
  }
  return undefined;
}
