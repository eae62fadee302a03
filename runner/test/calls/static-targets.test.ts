/** The runner refuses at admission what its egress policy would refuse at run time, for every call kind. */
import { expect, test } from 'bun:test';
import { PUBLIC_ONLY, staticEndpointProblems } from '../../src/egress/index.ts';
import { compileYaml, LOOPBACK_ALLOWED } from '../interpreter/harness.ts';

const plan = compileYaml(
  `
document: {dsl: 1.0.3, namespace: test, name: static, version: 1.0.0}
do:
  - spec:
      call: openapi
      with:
        document: {endpoint: 'http://127.0.0.1:8080/openapi.yaml'}
        operationId: op
  - fromFile:
      call: openapi
      with:
        document: {endpoint: 'file:///openapi.yaml'}
        operationId: op
  - greet:
      call: grpc
      with:
        proto: {endpoint: 'https://protos.example.com/greeter.proto'}
        service: {name: Greeter, host: 127.0.0.1, port: 50051}
        method: SayHello
`,
  'static.yaml',
);

test('loopback OpenAPI documents and gRPC hosts are refused before the execution starts; files are left to the runner', () => {
  expect(staticEndpointProblems(plan, PUBLIC_ONLY).map((problem) => problem.taskPath)).toEqual(['/do/0/spec', '/do/2/greet']);
  expect(staticEndpointProblems(plan, LOOPBACK_ALLOWED)).toEqual([]);
});
