/**
 * gRPC server reflection (grpc.reflection.v1 and v1alpha), answered from the descriptor sets that
 * `bun run proto` generates with every import included.
 *
 * `@grpc/reflection` rebuilds descriptors from proto-loader definitions and loses the well-known
 * types on the way (grpc/grpc-node#2958: grpcurl then fails with `cannot resolve type
 * "*.google.protobuf.Timestamp"`), so we serve protoc's own file descriptors instead and only
 * borrow the reflection service's .proto files from that package.
 */
import { dirname, join } from 'node:path';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  type DescriptorProto,
  type EnumDescriptorProto,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
} from '@bufbuild/protobuf/wkt';
import { loadPackageDefinition, type Server, type ServerDuplexStream, type ServiceDefinition, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

interface IndexedFile {
  readonly bytes: Uint8Array;
  readonly dependencies: readonly string[];
}

interface ReflectionRequest {
  host?: string;
  messageRequest?: 'fileByFilename' | 'fileContainingSymbol' | 'fileContainingExtension' | 'allExtensionNumbersOfType' | 'listServices';
  fileByFilename?: string;
  fileContainingSymbol?: string;
  allExtensionNumbersOfType?: string;
}

/** Symbol and file index over one or more serialized FileDescriptorSets. */
export class DescriptorIndex {
  private readonly files = new Map<string, IndexedFile>();
  private readonly symbols = new Map<string, string>();
  readonly services: string[] = [];

  constructor(descriptorSets: readonly Uint8Array[]) {
    for (const set of descriptorSets) {
      for (const file of fromBinary(FileDescriptorSetSchema, set).file) {
        if (this.files.has(file.name)) continue;
        this.files.set(file.name, { bytes: toBinary(FileDescriptorProtoSchema, file), dependencies: file.dependency });
        const prefix = file.package ? `${file.package}.` : '';
        for (const message of file.messageType) this.indexMessage(prefix, message, file.name);
        for (const enumType of file.enumType) this.indexEnum(prefix, enumType, file.name);
        for (const extension of file.extension) this.symbols.set(`${prefix}${extension.name}`, file.name);
        for (const service of file.service) {
          const name = `${prefix}${service.name}`;
          this.services.push(name);
          this.symbols.set(name, file.name);
          for (const method of service.method) this.symbols.set(`${name}.${method.name}`, file.name);
        }
      }
    }
  }

  /** The file and everything it imports, transitively, the file itself first. */
  fileWithDependencies(fileName: string): Uint8Array[] | undefined {
    if (!this.files.has(fileName)) return undefined;
    const ordered: Uint8Array[] = [];
    const seen = new Set<string>();
    const visit = (name: string) => {
      const file = this.files.get(name);
      if (!file || seen.has(name)) return;
      seen.add(name);
      ordered.push(file.bytes);
      for (const dependency of file.dependencies) visit(dependency);
    };
    visit(fileName);
    return ordered;
  }

  fileOfSymbol(symbol: string): string | undefined {
    return this.symbols.get(symbol.replace(/^\./, ''));
  }

  private indexMessage(prefix: string, message: DescriptorProto, fileName: string): void {
    const name = `${prefix}${message.name}`;
    this.symbols.set(name, fileName);
    for (const field of message.field) this.symbols.set(`${name}.${field.name}`, fileName);
    for (const nested of message.nestedType) this.indexMessage(`${name}.`, nested, fileName);
    for (const enumType of message.enumType) this.indexEnum(`${name}.`, enumType, fileName);
  }

  private indexEnum(prefix: string, enumType: EnumDescriptorProto, fileName: string): void {
    this.symbols.set(`${prefix}${enumType.name}`, fileName);
  }
}

const REFLECTION_PROTO_DIR = join(dirname(require.resolve('@grpc/reflection')), '../proto/grpc/reflection');
const REFLECTION_VERSIONS = ['v1', 'v1alpha'] as const;

export function addReflection(server: Server, index: DescriptorIndex): void {
  for (const version of REFLECTION_VERSIONS) {
    const definition = loadSync(join(REFLECTION_PROTO_DIR, version, 'reflection.proto'), { oneofs: true, longs: Number });
    const grpcPackage = loadPackageDefinition(definition) as unknown as {
      grpc: { reflection: Record<string, { ServerReflection: { service: ServiceDefinition } }> };
    };
    const reflectionService = grpcPackage.grpc.reflection[version]!.ServerReflection.service;
    const reflectionName = `grpc.reflection.${version}.ServerReflection`;
    server.addService(reflectionService, {
      ServerReflectionInfo: (stream: ServerDuplexStream<ReflectionRequest, unknown>) => {
        stream.on('data', (request: ReflectionRequest) => stream.write(answer(index, request, reflectionName)));
        stream.on('end', () => stream.end());
      },
    });
  }
}

function answer(index: DescriptorIndex, request: ReflectionRequest, reflectionName: string): Record<string, unknown> {
  const base = { validHost: request.host ?? '', originalRequest: request };
  const files = (fileName: string | undefined, asked: string) => {
    const found = fileName === undefined ? undefined : index.fileWithDependencies(fileName);
    return found
      ? { ...base, fileDescriptorResponse: { fileDescriptorProto: found } }
      : { ...base, errorResponse: { errorCode: status.NOT_FOUND, errorMessage: `${asked} is not known to this server` } };
  };
  switch (request.messageRequest) {
    case 'listServices':
      return { ...base, listServicesResponse: { service: [...index.services, reflectionName].map((name) => ({ name })) } };
    case 'fileByFilename':
      return files(request.fileByFilename, `file ${request.fileByFilename}`);
    case 'fileContainingSymbol':
      return files(index.fileOfSymbol(request.fileContainingSymbol ?? ''), `symbol ${request.fileContainingSymbol}`);
    case 'fileContainingExtension':
      return files(undefined, 'that extension');
    case 'allExtensionNumbersOfType':
      return { ...base, allExtensionNumbersResponse: { baseTypeName: request.allExtensionNumbersOfType ?? '', extensionNumber: [] } };
    default:
      return { ...base, errorResponse: { errorCode: status.UNIMPLEMENTED, errorMessage: `${request.messageRequest ?? 'this request'} is not supported` } };
  }
}
