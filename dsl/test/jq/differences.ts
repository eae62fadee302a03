/**
 * Corpus cases where Baton's jq deliberately differs from jq 1.8.2 (jq-wasm). Each value names a
 * row of the single table "Deliberate differences" in docs/jq.md, which gives the reason.
 */
export const DELIBERATE_DIFFERENCES: Record<string, string> = {
  '12345678901234567890 | tostring': 'number literals',
  '[1e-5, 1e-4, 1e16, 1e15, 123456789012345678] | tojson': 'number literals',
  '[1.1e-7, 3.14159, -2.5e+30, 1e308 * 10] | tojson': 'number literals',
  '[-0] | tojson': 'number literals',
  '[1e20] | @csv': 'number literals',
  'now | type': 'host context',
  '$ENV.PATH': 'host context',
  'env.HOME': 'host context',
  input_filename: 'no input stream',
  '@base32?': 'missing from jq-wasm',
  '5 | gamma | floor': 'missing from jq-wasm',
  '1425599507 | strftime("%j %e %H %I %p %Z %a %b %y %C")': 'missing from jq-wasm',
  '1425599507 | strftime("%e|%k|%l|%I|%p")': 'missing from jq-wasm',
  '"2015-064" | strptime("%Y-%j")?': 'missing from jq-wasm',
  have_decnum: 'number literals',
};

/** Generated programs that use a feature from the table in docs/jq.md are not compared. */
export function usesDeliberateDifference(filter: string): boolean {
  return (
    // host context, no input stream, missing from jq-wasm
    /@base32|\bgamma\b|\binput_filename\b|\bnow\b|\$ENV|\benv\b|%[Zklj]|have_decnum/.test(filter) ||
    // empty regex matches inside multi-byte characters; invalid UTF-8 from @base64d
    /sub\(""|@base64d/.test(filter) ||
    // fromjson's parse-error messages (error/no-error is still compared where nothing catches them)
    (/\bfromjson\b/.test(filter) && /\bcatch\b/.test(filter)) ||
    // jq 1.8.2 defect: with several initial states, reduce/foreach evaluate the source on null after the first
    /\b(reduce|foreach)\b.* as [^(]*\([^;]*,/.test(filter) ||
    // destructuring inside a path expression
    /\b(path|del|pick|paths)\(.* as [[{]|\|=|[+*/%-]=|\/\/=/.test(filter) && / as [[{]/.test(filter)
  );
}
