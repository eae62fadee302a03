/** JSON pointers (RFC 6901) and the dotted task paths diagnostics show (`do[1].fetchUser.then`). */

export function escapeSegment(segment: string | number): string {
  if (typeof segment === 'number') return String(segment);
  // Pointers are built for every node compiled; most names need no escaping.
  return segment.includes('~') || segment.includes('/') ? segment.replace(/~/g, '~0').replace(/\//g, '~1') : segment;
}

export function joinPointer(pointer: string, ...segments: readonly (string | number)[]): string {
  let out = pointer;
  for (const segment of segments) out += `/${escapeSegment(segment)}`;
  return out;
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const PLAIN_SEGMENT = /^[A-Za-z_$][\w$-]*$/;

/** `/do/1/fetchUser/then` → `do[1].fetchUser.then`; odd names are quoted: `do[0]["my task"]`. */
export function pointerToPath(pointer: string): string {
  let path = '';
  for (const segment of splitPointer(pointer)) {
    if (/^(?:0|[1-9]\d*)$/.test(segment)) path += `[${segment}]`;
    else if (PLAIN_SEGMENT.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** `/a/b/c` → `/a/b/c`, `/a/b`, `/a`: the pointer and each ancestor except the root. */
export function pointerAndAncestors(pointer: string): string[] {
  const out: string[] = [];
  for (let end = pointer.length; end > 0; end = pointer.lastIndexOf('/', end - 1)) out.push(pointer.slice(0, end));
  return out;
}
