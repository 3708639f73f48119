import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { isManifestLocation } from "../components/config/schema/manifestUrl";
import { configFiles } from "./kubernetesObjects";
import { RegisteredResource } from "./mockRunner";
import { repoRoot } from "./stackConfig";

/** Environment variable naming the mirror when `--manifest-mirror` is not given. */
export const manifestMirrorVariable = "RENDER_MANIFEST_MIRROR";

export interface ManifestSourceOptions {
  /** A directory laid out as `<host>/<path>` of each URL (what `wget -x URL` writes), or one file matched by its name. */
  mirror?: string;
  /** Whole fetch (redirects and body included); it fails by itself after this. */
  timeoutMs?: number;
  maxBytes?: number;
  /** Where a relative `file` is read from: the program's directory, as Pulumi runs it. */
  baseDir?: string;
}

const defaultFetchTimeoutMs = 20_000;
/** Gateway API's standard-install.yaml is well under 1 MiB; this only stops a runaway answer. */
const defaultMaxManifestBytes = 16 * 1024 * 1024;
const maxRedirects = 5;
const bundleVersionAnnotation = "gateway.networking.k8s.io/bundle-version";

interface ListedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** Its Gateway API release annotation, when it carries one. */
  bundleVersion?: string;
}

export interface WrittenManifest {
  /** The ConfigFile resource's name. */
  resource: string;
  /** Its `file` input: a URL or a path. */
  source: string;
  /** Where the bytes came from: the path read, or the URL fetched. */
  from: string;
  via: "file" | "mirror" | "https";
  /** Output file name. */
  file: string;
  text: string;
  sha256: string;
  objects: ListedObject[];
}

interface SkippedManifest {
  resource: string;
  source: string;
  reason: string;
}

export interface ConfigFileManifests {
  written: WrittenManifest[];
  skipped: SkippedManifest[];
  /** One line per ConfigFile: what was written (and its objects), or what was skipped and why. */
  lines: string[];
}

/** `manifest-<resource>.yaml`: the ConfigFile's own name, reduced to what a plain file name may hold. */
export function manifestFileName(resource: string): string {
  return `manifest-${resource.replace(/[^A-Za-z0-9._-]/g, "_")}.yaml`;
}

/**
 * For `npm run render`: the manifest each registered ConfigFile applies, as the bytes the provider would get (a local
 * path read as-is; a URL from the mirror, else fetched over https), each parsed and listed. Never throws for a source
 * it cannot get: that ConfigFile is skipped, with the reason in its line.
 */
export async function renderConfigFileManifests(resources: RegisteredResource[], options: ManifestSourceOptions = {}): Promise<ConfigFileManifests> {
  const result: ConfigFileManifests = { written: [], skipped: [], lines: [] };
  for (const resource of configFiles(resources)) {
    const source = resource.inputs.file;
    const file = manifestFileName(resource.name);
    const skip = (reason: string) => {
      const label = typeof source === "string" ? shownSource(source) : "an unknown file";
      result.skipped.push({ resource: resource.name, source: label, reason });
      result.lines.push(`skipped the manifest of ConfigFile ${resource.name} (${label}): ${reason}`);
    };
    if (typeof source !== "string" || source === "") {
      skip("its file input is not a string known at render time");
      continue;
    }
    let got: { text: string; from: string; via: WrittenManifest["via"] };
    try {
      got = await obtain(source, options);
    } catch (error) {
      skip(oneLine(error));
      continue;
    }
    let objects: ListedObject[];
    try {
      objects = listObjects(got.text);
      checkBundleVersion(source, objects);
    } catch (error) {
      skip(`${shownSource(got.from)}: ${oneLine(error)}`);
      continue;
    }
    const sha256 = createHash("sha256").update(got.text, "utf8").digest("hex");
    result.written.push({ resource: resource.name, source, from: got.from, via: got.via, file, text: got.text, sha256, objects });
    const listed = objects.map((o) => `${o.kind}/${o.namespace ? `${o.namespace}/` : ""}${o.name}`).join(", ");
    result.lines.push(`wrote ${file} from ${shownSource(got.from)} (${got.via}, sha256 ${sha256}): ${objects.length} objects: ${listed}`);
  }
  return result;
}

/** A source as the log shows it: a URL's query and fragment (a pre-signed mirror's token) are not printed; CI keeps logs. */
export function shownSource(source: string): string {
  if (!isUrl(source)) return source;
  const url = new URL(source);
  return url.search === "" && url.hash === "" ? source : `${url.origin}${url.pathname}?(query not shown)`;
}

function isUrl(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source);
}

async function obtain(source: string, options: ManifestSourceOptions): Promise<{ text: string; from: string; via: WrittenManifest["via"] }> {
  if (!isUrl(source)) {
    const file = path.resolve(options.baseDir ?? repoRoot, source);
    return { text: readUtf8(file), from: file, via: "file" };
  }
  const url = new URL(source);
  const misses: string[] = [];
  if (options.mirror) {
    const found = mirrorFileFor(url, options.mirror);
    if (found.file) return { text: readUtf8(found.file), from: found.file, via: "mirror" };
    misses.push(found.miss);
  }
  try {
    return { text: await fetchManifest(url, options), from: source, via: "https" };
  } catch (error) {
    const hint = options.mirror ? "" : `; on a machine without access, give a copy with --manifest-mirror DIR|FILE or ${manifestMirrorVariable}`;
    throw new Error([...misses, `fetch failed: ${oneLine(error)}`].join("; ") + hint);
  }
}

/** The mirror's copy of `url`: `<dir>/<host>/<path>` of a directory, or a file of the same name as the URL's last segment. */
export function mirrorFileFor(url: URL, mirror: string): { file?: string; miss: string } {
  const root = path.resolve(mirror);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    return { miss: `mirror ${root} does not exist` };
  }
  const segments = url.pathname.split("/").filter((s) => s !== "").map((s) => decodeURIComponent(s));
  if (stat.isFile()) {
    const last = segments[segments.length - 1];
    return path.basename(root) === last ? { file: root, miss: "" } : { miss: `mirror file ${root} is not named ${last ?? "like the URL"}` };
  }
  // A host or segment that climbs out of the mirror (., .., a separator) names no file in it.
  const parts = [url.host, ...segments];
  if (parts.some((s) => s === "" || s === "." || s === ".." || s.includes("/") || s.includes(path.sep) || s.includes("\0"))) {
    return { miss: `the URL cannot name a file in mirror ${root}` };
  }
  const file = path.join(root, ...parts);
  if (path.relative(root, file).startsWith("..")) return { miss: `the URL cannot name a file in mirror ${root}` };
  return fs.existsSync(file) && fs.statSync(file).isFile() ? { file, miss: "" } : { miss: `not in mirror ${root} (looked for ${file})` };
}

function readUtf8(file: string): string {
  return decodeUtf8(fs.readFileSync(file));
}

function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

/** https (plain http only to this machine), redirects followed by hand so none leaves https, bounded in time and size. */
async function fetchManifest(url: URL, options: ManifestSourceOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? defaultFetchTimeoutMs;
  const signal = AbortSignal.timeout(timeoutMs);
  const maxBytes = options.maxBytes ?? defaultMaxManifestBytes;
  let at = url;
  for (let hop = 0; ; hop++) {
    if (!isManifestLocation(at)) {
      throw new Error(`refusing ${at.protocol}//${at.host}: only https (or http to a loopback host)`);
    }
    if (!mayFollow(url, at)) throw new Error(`refusing a redirect from https to ${at.protocol}//${at.host}: never off https`);
    let response: Response;
    try {
      response = await fetch(at, { redirect: "manual", signal, headers: { accept: "application/yaml, text/yaml, text/plain, */*" } });
    } catch (error) {
      throw new Error(describeFetchError(error, timeoutMs));
    }
    if ([301, 302, 303, 307, 308].includes(response.status)) {
      const location = response.headers.get("location");
      await response.body?.cancel();
      if (!location) throw new Error(`HTTP ${response.status} without a Location`);
      if (hop >= maxRedirects) throw new Error(`more than ${maxRedirects} redirects`);
      at = new URL(location, at);
      continue;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status} from ${at.host}`);
    }
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw new Error(`${declared} bytes declared, more than the ${maxBytes} bytes a manifest may have`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        total += chunk.byteLength;
        if (total > maxBytes) throw new Error(`more than the ${maxBytes} bytes a manifest may have`);
        chunks.push(chunk);
      }
    } catch (error) {
      throw new Error(describeFetchError(error, timeoutMs));
    }
    try {
      return decodeUtf8(Buffer.concat(chunks));
    } catch {
      throw new Error("the answer is not UTF-8 text");
    }
  }
}

/** A redirect from an https URL stays on https: a remote server must not steer render to plain http on this machine. */
export function mayFollow(from: URL, to: URL): boolean {
  return from.protocol !== "https:" || to.protocol === "https:";
}

/** undici's "fetch failed" says nothing; its cause (ENOTFOUND, ECONNREFUSED, a TLS error) is the useful part. */
function describeFetchError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = e?.cause?.message ?? e?.cause?.code;
  if (!cause) return oneLine(error);
  return e.cause?.code && !cause.includes(e.cause.code) ? `${e.cause.code}: ${oneLine(cause)}` : oneLine(cause);
}

/**
 * Every document a Kubernetes object (apiVersion, kind, metadata.name): what the provider would apply. An HTML error or
 * login page served with 200, or a truncated file, fails here instead of landing in the review as a "manifest".
 */
function listObjects(text: string): ListedObject[] {
  const docs = YAML.parseAllDocuments(text);
  const objects: ListedObject[] = [];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`document ${index + 1} is not valid YAML: ${oneLine(doc.errors[0].message)}`);
    const value = doc.toJS() as Record<string, any> | null;
    if (value === null || value === undefined) return;
    const metadata = value.metadata as Record<string, unknown> | undefined;
    if (typeof value !== "object" || typeof value.apiVersion !== "string" || typeof value.kind !== "string" || typeof metadata?.name !== "string") {
      throw new Error(`document ${index + 1} is not a Kubernetes object (apiVersion, kind and metadata.name)`);
    }
    const bundleVersion = (metadata.annotations as Record<string, unknown> | undefined)?.[bundleVersionAnnotation];
    objects.push({
      apiVersion: value.apiVersion,
      kind: value.kind,
      name: metadata.name,
      ...(typeof metadata.namespace === "string" ? { namespace: metadata.namespace } : {}),
      ...(typeof bundleVersion === "string" ? { bundleVersion } : {}),
    });
  });
  if (objects.length === 0) throw new Error("no Kubernetes objects in it");
  return objects;
}

/** A Gateway API manifest names its release on every CRD: a URL naming another release (a stale mirror) is refused. */
function checkBundleVersion(source: string, objects: ListedObject[]): void {
  const named = /\/(v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\//.exec(source)?.[1];
  if (!named) return;
  const carried = new Set(objects.flatMap((o) => (o.bundleVersion === undefined ? [] : [o.bundleVersion])));
  if (carried.size === 0) return;
  if (carried.size > 1 || !carried.has(named)) throw new Error(`its objects carry ${bundleVersionAnnotation} ${[...carried].sort().join(", ")}, the URL names ${named}`);
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0].trim();
}
