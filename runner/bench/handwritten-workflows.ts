/**
 * The benchmark's workflow bundle: the interpreter plus hand-written TypeScript workflows doing
 * the same work as the benchmark documents. They are the floor the interpreter is compared to.
 */
export { batonInterpreter } from '../src/workflow/index.ts';
export { handwrittenLoop, handwrittenOneSet, handwrittenSequence } from './handwritten.ts';
