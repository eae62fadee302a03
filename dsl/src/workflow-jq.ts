/**
 * How every workflow expression is compiled — by the validator, the interpreter and the HTTP
 * activity alike — so the determinism policy lives here and nowhere else. Expressions run inside
 * Temporal workflow code and must replay identically, so the host capabilities granted are the
 * ones the runner gives a fixed meaning: `now` is workflow time; `env`/`$ENV` the runner's
 * configured map (empty by default), never the process environment; `debug`/`stderr` are
 * identity with no side effect; `localtime`, `strflocaltime` and `mktime` are UTC-only in
 * Baton's jq. Anything else that reaches outside the program (`input`, `inputs`,
 * `input_filename`, `halt` …) is refused at compilation (SW401 in a document).
 */
import type { JqCompileOptions } from './jq/index.ts';

export const WORKFLOW_JQ_OPTIONS: JqCompileOptions = Object.freeze({
  host: Object.freeze(['now', 'env', '$ENV', 'debug', 'stderr', 'localtime', 'strflocaltime', 'mktime']),
});
