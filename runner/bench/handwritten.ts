/**
 * Hand-written TypeScript workflows doing the same work as the benchmark documents: the floor the
 * interpreter is compared to, and the whole of a bare worker's workflow code (bench:runner).
 */
/** Same as sequenceYaml() in interpreter.ts: ten rounds of "add and record parity, stop if large". */
export async function handwrittenSequence(input: { value: number }): Promise<{ value: number; path: string[] }> {
  let state = { value: input.value, path: [] as string[] };
  for (let round = 0; round < 10; round++) {
    const value = state.value + round;
    state = { value, path: [...state.path, value % 2 === 0 ? 'even' : 'odd'] };
    if (state.value > 1000) break;
  }
  return state;
}

/** Same as LOOP_YAML in interpreter.ts: a running total over the items. */
export async function handwrittenLoop(input: { items: number[] }): Promise<{ total: number; count: number }> {
  let state = { items: input.items, total: 0, count: 0 };
  for (const [index, item] of input.items.entries()) {
    state = { items: state.items, total: state.total + item * 2, count: index + 1 };
  }
  return { total: state.total, count: state.count };
}

/** Same as ONE_SET_YAML in interpreter.ts: one greeting. */
export async function handwrittenOneSet(input: { name: string }): Promise<{ greeting: string }> {
  return { greeting: `Hello, ${input.name}!` };
}
