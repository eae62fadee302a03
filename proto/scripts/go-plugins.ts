// The pinned Go protoc plugins. They are installed with `go install` from the
// Go module proxy into the project's cache on first use, so every machine
// generates byte-identical stubs whatever else is on its PATH.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { PROTO_ROOT } from "./protoc.ts";

export const GO_PACKAGE = "github.com/baton-dev/baton/caller/go/gen/workflowrunnerv1";
export const GO_STUBS_DIR = resolve(PROTO_ROOT, "../caller/go/gen/workflowrunnerv1");

const PROTOC_GEN_GO = { module: "google.golang.org/protobuf/cmd/protoc-gen-go", version: "v1.36.12" };
const PROTOC_GEN_GO_GRPC = { module: "google.golang.org/grpc/cmd/protoc-gen-go-grpc", version: "v1.5.1" };

export type GoPlugins =
  | { readonly kind: "ready"; readonly protocGenGo: string; readonly protocGenGoGrpc: string }
  | { readonly kind: "unavailable"; readonly reason: string };

export async function goPlugins(): Promise<GoPlugins> {
  const go = Bun.which("go");
  if (go === null) return { kind: "unavailable", reason: "`go` is not on PATH" };
  const protocGenGo = await installed(go, PROTOC_GEN_GO);
  if (protocGenGo.kind === "failed") return { kind: "unavailable", reason: protocGenGo.reason };
  const protocGenGoGrpc = await installed(go, PROTOC_GEN_GO_GRPC);
  if (protocGenGoGrpc.kind === "failed") return { kind: "unavailable", reason: protocGenGoGrpc.reason };
  return { kind: "ready", protocGenGo: protocGenGo.binary, protocGenGoGrpc: protocGenGoGrpc.binary };
}

async function installed(
  go: string,
  { module, version }: { module: string; version: string },
): Promise<{ kind: "ok"; binary: string } | { kind: "failed"; reason: string }> {
  const name = module.slice(module.lastIndexOf("/") + 1);
  const binDir = resolve(PROTO_ROOT, "../.cache/go-bin", `${name}@${version}`);
  const binary = join(binDir, name);
  if (existsSync(binary)) return { kind: "ok", binary };
  console.log(`proto: installing ${module}@${version} (once, into ${binDir}) ...`);
  const install = Bun.spawn([go, "install", `${module}@${version}`], {
    env: { ...process.env, GOBIN: binDir },
    stdout: "inherit",
    stderr: "pipe",
  });
  const [code, stderr] = await Promise.all([install.exited, new Response(install.stderr).text()]);
  if (code !== 0) return { kind: "failed", reason: `go install ${module}@${version} failed: ${stderr.trim()}` };
  return { kind: "ok", binary };
}
