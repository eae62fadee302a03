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
};
