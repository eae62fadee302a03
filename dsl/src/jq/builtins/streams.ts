import type { BuiltinTable } from './types.ts';

/** jq's streaming form ([path, leaf] events) and back, written in jq as the manual defines them. */
export const streamBuiltins: BuiltinTable = {
  'tostream/0': 'def tostream: path(def r: (.[]? | r), .; r) as $p | getpath($p) | reduce path(.[]?) as $q ([$p, .]; [$p + $q]);',
  'fromstream/1': `def fromstream(f): { x: null, e: false } as $init
    | foreach f as $i ($init;
        if .e then $init else . end
        | if $i | length == 2
          then setpath(["e"]; $i[0] | length == 0) | setpath(["x"] + $i[0]; $i[1])
          else setpath(["e"]; $i[0] | length == 1) end;
        if .e then .x else empty end);`,
  'truncate_stream/1': 'def truncate_stream(stream): . as $n | null | stream | . as $input | if (.[0] | length) > $n then setpath([0]; .[0][$n:]) else empty end;',
};
