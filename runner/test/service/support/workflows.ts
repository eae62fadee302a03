/** Workflow documents the service tests run. */

export const HELLO = `
document: { dsl: '1.0.0', namespace: test, name: hello, version: '1.0.0' }
do:
  - greet:
      set:
        greeting: \${ "Hello, \\(.name)!" }
`;

/** Waits, then answers: long enough to act on the execution while it runs. */
export function slow(ms: number): string {
  return `
document: { dsl: '1.0.0', namespace: test, name: slow, version: '1.0.0' }
do:
  - rest:
      wait:
        milliseconds: ${ms}
  - answer:
      set:
        done: true
        name: \${ $input.name // "nobody" }
`;
}

export const BOOM_TYPE = 'https://example.com/errors/boom';

export const RAISE = `
document: { dsl: '1.0.0', namespace: test, name: boom, version: '1.0.0' }
do:
  - prepare:
      set:
        ready: true
  - explode:
      raise:
        error:
          type: ${BOOM_TYPE}
          status: 422
          title: Boom
          detail: the widget exploded
`;
