/**
 * The failure types callers branch on are defined once (proto/src/failure-types.ts): the Go
 * caller's constants are generated from that table, and this checks the committed file is exactly
 * what it generates, and that the TypeScript caller and the runner read the same table.
 */
import { expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { CallerFailureType, RunnerFailureType } from '../../caller/src/errors.ts';
import { CANCELLED_FAILURE_TYPE, TERMINATED_FAILURE_TYPE } from '../../runner/src/contract/index.ts';
import { FAILURE_TYPES, renderGoFailureTypes } from '../src/failure-types.ts';

test('caller/go/failure_types.go is what the table generates (run `bun run proto` after changing it)', () => {
  const committed = readFileSync(new URL('../../caller/go/failure_types.go', import.meta.url), 'utf8');
  expect(committed).toBe(renderGoFailureTypes());
  for (const entry of Object.values(FAILURE_TYPES)) expect(committed).toContain(`${entry.goName} = "${entry.type}"`);
});

test('the TypeScript caller and the runner use the same strings', () => {
  expect(CallerFailureType).toEqual({
    rejected: FAILURE_TYPES.runnerRejected.type,
    unreachable: FAILURE_TYPES.runnerUnreachable.type,
    invalidArgs: FAILURE_TYPES.invalidCallerArgs.type,
  });
  expect(RunnerFailureType).toEqual({ executionCancelled: CANCELLED_FAILURE_TYPE, executionTerminated: TERMINATED_FAILURE_TYPE });
  expect(new Set(Object.values(FAILURE_TYPES).map((e) => e.type)).size).toBe(Object.keys(FAILURE_TYPES).length);
});
