/**
 * The gRPC greeter examples/grpc.yaml calls, built from greeter.proto beside this file. It also
 * serves that .proto over HTTP, which is where the workflow reads it from.
 * `bun examples/grpc/server.ts [grpc port] [http port]` (defaults 4011 and 4012).
 */
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, Server, ServerCredentials } from '@grpc/grpc-js';
import type { GrpcObject, sendUnaryData, ServerUnaryCall, ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const PROTO_PATH = fileURLToPath(new URL('./greeter.proto', import.meta.url));

export interface GreeterServer {
  readonly grpcPort: number;
  readonly httpPort: number;
  stop(): void;
}

export async function startGreeter(grpcPort = 4011, httpPort = 4012): Promise<GreeterServer> {
  const greeter = (loadPackageDefinition(loadSync(PROTO_PATH)).greeter as GrpcObject).Greeter as ServiceClientConstructor;
  const server = new Server();
  server.addService(greeter.service, {
    SayHello(call: ServerUnaryCall<{ name: string }, unknown>, callback: sendUnaryData<unknown>) {
      callback(null, { message: `Hello, ${call.request.name}!` });
    },
  });
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${grpcPort}`, ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );
  const http = Bun.serve({ port: httpPort, hostname: '127.0.0.1', fetch: () => new Response(Bun.file(PROTO_PATH)) });
  return {
    grpcPort: bound,
    httpPort: http.port!,
    stop() {
      server.forceShutdown();
      http.stop(true);
    },
  };
}

if (import.meta.main) {
  const greeter = await startGreeter(Number(process.argv[2] ?? 4011), Number(process.argv[3] ?? 4012));
  console.log(`greeter on 127.0.0.1:${greeter.grpcPort}, its .proto on http://127.0.0.1:${greeter.httpPort}/greeter.proto`);
}
