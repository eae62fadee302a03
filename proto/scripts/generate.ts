// Regenerates the committed code from the .proto sources, or (--check) verifies
// that the committed code is what the sources generate.
//
//   bun run proto            TypeScript (+ Go when `go` is available)
//   bun run proto --go       same, but missing Go tooling is an error
//   bun run proto:check      compare instead of write; exit 1 naming drifted files
//
// Everything runs from installed packages: protoc and Google's well-known
// types come from the npm package `protoc`, the TypeScript plugin from
// `ts-proto`. Go plugins are pinned and installed into .cache/ on first use.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { compareTrees, syncTree, type Drift } from "./tree.ts";
import { GO_PACKAGE, GO_STUBS_DIR, goPlugins } from "./go-plugins.ts";
import { protoc, PROTO_ROOT, protoSources, TS_GEN_DIR } from "./protoc.ts";
import { renderGoFailureTypes } from "../src/failure-types.ts";

// The Go caller's failure-type constants, generated from the one table in proto/src.
const GO_FAILURE_TYPES_FILE = join(PROTO_ROOT, "..", "caller", "go", "failure_types.go");

// ts-proto options, explained in docs/proto.md.
const TS_PROTO_OPTIONS = [
  "outputServices=grpc-js",
  "esModuleInterop=true",
  "useExactTypes=false",
  "useDate=true",
].join(",");

const DESCRIPTOR_SET = "descriptor-set.binpb";
// grpc.health.v1, described for reflection too so `grpcurl … grpc.health.v1.Health/Check` works.
const HEALTH_DESCRIPTOR_SET = "health-descriptor-set.binpb";
const HEALTH_PROTO_DIR = join(dirname(Bun.resolveSync("grpc-health-check/package.json", PROTO_ROOT)), "proto");

interface Target {
  readonly label: string;
  readonly committedDir: string;
  generate(outDir: string): Promise<void>;
}

const args = new Set(process.argv.slice(2));
const checkOnly = args.has("--check");
const requireGo = args.has("--go");

const sources = await protoSources();

const targets: Target[] = [
  {
    label: "TypeScript",
    committedDir: TS_GEN_DIR,
    async generate(outDir) {
      await protoc([
        `--plugin=protoc-gen-ts_proto=${tsProtoPlugin(outDir)}`,
        `--ts_proto_out=${outDir}`,
        `--ts_proto_opt=${TS_PROTO_OPTIONS}`,
        // For gRPC server reflection: every file the service needs, in one set.
        `--descriptor_set_out=${join(outDir, DESCRIPTOR_SET)}`,
        "--include_imports",
        ...sources,
      ]);
      await protoc([
        `--proto_path=${HEALTH_PROTO_DIR}`,
        `--descriptor_set_out=${join(outDir, HEALTH_DESCRIPTOR_SET)}`,
        "--include_imports",
        join(HEALTH_PROTO_DIR, "health/v1/health.proto"),
      ]);
    },
  },
];

const go = await goPlugins();
if (go.kind === "ready") {
  targets.push({
    label: "Go",
    committedDir: GO_STUBS_DIR,
    async generate(outDir) {
      await protoc([
        `--plugin=protoc-gen-go=${go.protocGenGo}`,
        `--plugin=protoc-gen-go-grpc=${go.protocGenGoGrpc}`,
        `--go_out=${outDir}`,
        `--go_opt=module=${GO_PACKAGE}`,
        `--go-grpc_out=${outDir}`,
        `--go-grpc_opt=module=${GO_PACKAGE}`,
        ...sources,
      ]);
    },
  });
} else if (requireGo) {
  console.error(`proto: --go given but Go stubs cannot be generated: ${go.reason}`);
  process.exit(1);
} else {
  console.log(`proto: skipping Go stubs (${go.reason})`);
}

const scratch = mkdtempSync(join(tmpdir(), "baton-proto-"));
let drifted: Drift[] = [];
let failure: string | undefined;
try {
  for (const target of targets) {
    const outDir = join(scratch, target.label);
    mkdirSync(outDir);
    await target.generate(outDir);
    if (checkOnly) {
      const drift = await compareTrees(outDir, target.committedDir);
      drifted = drifted.concat(drift);
      console.log(`proto: ${target.label} ${drift.length === 0 ? "up to date" : `${drift.length} file(s) drifted`}`);
    } else {
      const written = await syncTree(outDir, target.committedDir);
      console.log(`proto: ${target.label} regenerated in ${relative(target.committedDir)} (${written} file(s) changed)`);
    }
  }
} catch (error) {
  failure = error instanceof Error ? error.message : String(error);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const goFailureTypes = renderGoFailureTypes();
if (checkOnly) {
  if ((await Bun.file(GO_FAILURE_TYPES_FILE).text().catch(() => "")) !== goFailureTypes) {
    drifted.push({ change: "changed", path: GO_FAILURE_TYPES_FILE });
  }
} else {
  writeFileSync(GO_FAILURE_TYPES_FILE, goFailureTypes);
}

if (failure !== undefined) {
  console.error(`proto: ${failure}`);
  process.exit(1);
}

if (drifted.length > 0) {
  console.error("proto: generated code differs from the .proto sources; run `bun run proto` and commit:");
  for (const d of drifted) console.error(`  ${d.change.padEnd(9)} ${relative(d.path)}`);
  process.exit(1);
}

// protoc starts plugins as executables. ts-proto's launcher asks for `node`;
// a tiny shim runs it with the current runtime instead, so Bun alone suffices.
function tsProtoPlugin(outDir: string): string {
  const shim = join(outDir, "..", "protoc-gen-ts_proto");
  const plugin = Bun.resolveSync("ts-proto/build/src/plugin.js", PROTO_ROOT);
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${plugin}" "$@"\n`);
  chmodSync(shim, 0o755);
  return shim;
}

function relative(path: string): string {
  return path.startsWith(`${process.cwd()}/`) ? path.slice(process.cwd().length + 1) : path;
}
