// Runs the protoc compiler shipped by the npm package `protoc`, with the proto
// sources and Google's well-known types on the include path.
import { dirname, join, resolve } from "node:path";

export const PROTO_ROOT = resolve(import.meta.dir, "..");
export const TS_GEN_DIR = join(PROTO_ROOT, "src/gen");

const protocPackage = dirname(Bun.resolveSync("protoc/package.json", PROTO_ROOT));
// The package's launcher picks the binary for this platform from its bin/.
const protocLauncher = join(protocPackage, "protoc.cjs");
// google/protobuf/{struct,empty,timestamp}.proto ship beside the binary.
const wellKnownTypes = join(protocPackage, "include");

/** The .proto files to compile, relative to PROTO_ROOT (protoc's import root), sorted. */
export async function protoSources(): Promise<string[]> {
  const found = await Array.fromAsync(new Bun.Glob("ai/**/*.proto").scan(PROTO_ROOT));
  return found.sort();
}

export async function protoc(args: readonly string[]): Promise<void> {
  const child = Bun.spawn(
    [process.execPath, protocLauncher, `--proto_path=${PROTO_ROOT}`, `--proto_path=${wellKnownTypes}`, ...args],
    { cwd: PROTO_ROOT, stdout: "inherit", stderr: "pipe" },
  );
  const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  if (code !== 0) {
    throw new Error(`protoc failed (exit ${code}):\n${stderr.trim()}`);
  }
  if (stderr.trim() !== "") process.stderr.write(stderr);
}
