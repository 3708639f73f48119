import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { WebSocketCluster } from "../components/cluster/webSocketCluster";
import { GatewayApiCrds } from "../components/ingress/gatewayApiCrds";
import { manifests } from "../components/charts";
import { runProgram } from "../tools/mockRunner";
import { manifestFileName, manifestMirrorVariable, mayFollow, mirrorFileFor, renderConfigFileManifests, shownSource } from "../tools/configFileManifests";
import { parseRenderArgs, renderMarkerFile, renderToDirectory } from "../tools/render";
import { configFiles } from "../tools/kubernetesObjects";
import { renderCli, runStack } from "./support/render";


/** The pinned URL's path, served from loopback: what a mirror of the release looks like. */
const releasePath = new URL(manifests.gatewayApiStandard.url).pathname;
const crd = (plural: string, kind: string, version = "v1.5.1") =>
  [
    "apiVersion: apiextensions.k8s.io/v1",
    "kind: CustomResourceDefinition",
    "metadata:",
    "  annotations:",
    `    gateway.networking.k8s.io/bundle-version: ${version}`,
    "    gateway.networking.k8s.io/channel: standard",
    `  name: ${plural}.gateway.networking.k8s.io`,
    "spec:",
    "  group: gateway.networking.k8s.io",
    `  names: {kind: ${kind}, plural: ${plural}}`,
    "  scope: Namespaced",
  ].join("\n");
// Comments, a blank document and trailing spaces: the written file must be these bytes, not a re-serialisation.
const served = `# Copyright 2025 The Kubernetes Authors.  \n#\n---\n${crd("gateways", "Gateway")}\n---\n${crd("httproutes", "HTTPRoute")}\n---\n`;
const crdsFile = manifestFileName("websocket-ingress-gateway-api-crds-standard");

interface Loopback {
  url: (p: string) => string;
  requests: string[];
  close: () => Promise<void>;
}

/** A 127.0.0.1 server: the release path answers the manifest; a few other paths answer what a broken mirror would. */
async function serve(): Promise<Loopback> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === releasePath) return void res.writeHead(200, { "content-type": "text/plain" }).end(served);
    if (req.url === "/stale/v1.5.1/standard-install.yaml") return void res.writeHead(200).end(crd("gateways", "Gateway", "v1.4.0"));
    if (req.url === "/login" || req.url?.startsWith("/login?")) return void res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Sign in to the proxy</body></html>");
    if (req.url === "/redirect-local") return void res.writeHead(302, { location: releasePath }).end();
    if (req.url === "/redirect-cleartext") return void res.writeHead(302, { location: `http://mirror.example.invalid${releasePath}` }).end();
    if (req.url === "/silent") return; // accepts, never answers
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The GatewayApiCrds component alone in a program, applying `url`. */
const crdsProgram = (url: string) => runProgram(() => void new GatewayApiCrds("crds", { url }), { stack: "test", config: {} });

let loopback: Loopback;
let sandbox: string;
beforeAll(async () => {
  loopback = await serve();
});
afterAll(() => loopback.close());
beforeEach(() => {
  sandbox = fs.mkdtempSync(path.join(os.tmpdir(), "render-manifests-"));
});
afterEach(() => fs.rmSync(sandbox, { recursive: true, force: true }));

/** console.log lines of `action`, which still runs for real. */
async function logged<T>(action: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const spy = jest.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    const value = await action();
    return { value, lines: spy.mock.calls.map((c) => c.join(" ")) };
  } finally {
    spy.mockRestore();
  }
}

describe("ingress.gatewayApiCrdsUrl: a mirror of the Gateway API CRD manifest", () => {
  test("stack config reaches the ConfigFile the provider will fetch (WebSocketPlatform), and the default is the pin", async () => {
    const mirror = "https://artifacts.example.com/gateway-api/v1.5.1/standard-install.yaml";
    const pinned = await runStack("dev", ["ingress.api=gateway"]);
    const mirrored = await runStack("dev", ["ingress.api=gateway", `ingress.gatewayApiCrdsUrl=${mirror}`]);
    expect(configFiles(pinned.resources).map((r) => r.inputs.file)).toEqual([manifests.gatewayApiStandard.url]);
    expect(configFiles(mirrored.resources).map((r) => r.inputs.file)).toEqual([mirror]);
  });

  test("the cluster part takes it too (nginx-gateway-fabric)", async () => {
    const url = "https://mirror.internal/gateway-api/v1.5.1/standard-install.yaml";
    const run = await runProgram(() => void new WebSocketCluster("edge", { environment: "dev", ingress: { controller: "nginx-gateway-fabric", gatewayApiCrdsUrl: url } }), {
      stack: "test",
      config: {},
    });
    expect(configFiles(run.resources).map((r) => r.inputs.file)).toEqual([url]);
  });

  test.each([
    ["plain http off this machine", "http://mirror.example.com/standard-install.yaml"],
    ["another scheme", "ftp://mirror.example.com/standard-install.yaml"],
    ["not a URL", "standard-install.yaml"],
    ["credentials in it", "https://deploy:s3cr3t-t0ken@mirror.example.com/standard-install.yaml"],
  ])("%s is refused at preview, naming the key, the value and what is allowed", async (_, url) => {
    const error = await runStack("dev", ["ingress.api=gateway", `ingress.gatewayApiCrdsUrl=${url}`]).then(
      () => "no error",
      (e: Error) => e.message,
    );
    expect(error).toContain("websocket-platform:ingress.gatewayApiCrdsUrl: got ");
    expect(error).toContain("allowed: an https:// URL without user:password (plain http:// only to 127.0.0.1, [::1] or localhost)");
    expect(error).not.toContain("s3cr3t");
    if (url.includes("@")) expect(error).toContain('got "https://(credentials not shown)@mirror.example.com/standard-install.yaml"');
  });

  test("set where no CRDs are installed (native route) it is refused, not silently ignored", async () => {
    const error = await runStack("dev", ["ingress.gatewayApiCrdsUrl=https://mirror.example.com/standard-install.yaml"]).then(
      () => "no error",
      (e: Error) => e.message,
    );
    expect(error).toMatch(/ingress\.gatewayApiCrdsUrl: got "https:\/\/mirror\.example\.com\/standard-install\.yaml"; allowed: only where the Gateway API CRDs are installed/);
  });
});

describe("npm run render writes the manifest each ConfigFile applies", () => {
  test("a stack whose mirror URL is a loopback server: the file is the served bytes, its objects listed, the marker names it", async () => {
    const url = loopback.url(releasePath);
    const before = loopback.requests.length;
    const out = path.join(sandbox, "out");
    const { value: files, lines } = await logged(() => renderToDirectory({ stack: "dev", out, overrides: ["ingress.api=gateway", `ingress.gatewayApiCrdsUrl=${url}`] }));
    expect(fs.readFileSync(path.join(out, crdsFile), "utf8")).toBe(served);
    expect(loopback.requests.slice(before)).toEqual([releasePath]);
    expect(files).toContain(crdsFile);
    expect(JSON.parse(fs.readFileSync(path.join(out, renderMarkerFile), "utf8")).files).toContain(crdsFile);
    const line = lines.find((l) => l.includes(crdsFile));
    expect(line).toMatch(new RegExp(`^render: wrote ${crdsFile.replace(/\./g, "\\.")} from ${url.replace(/[.]/g, "\\.")} \\(https, sha256 [0-9a-f]{64}\\): 2 objects: `));
    expect(line).toContain("CustomResourceDefinition/gateways.gateway.networking.k8s.io, CustomResourceDefinition/httproutes.gateway.networking.k8s.io");
  });

  test("unreachable: one line saying what was skipped and why, nothing written for it, render succeeds (the CLI, no stack trace)", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}${releasePath}`;
    const out = path.join(sandbox, "out");
    const cli = await renderCli(["dev", "--out", out, "--config", "ingress.api=gateway", "--config", `ingress.gatewayApiCrdsUrl=${url}`], {
      ...process.env,
      [manifestMirrorVariable]: "",
    });
    const skipped = cli.stdout.split("\n").filter((l) => l.includes("skipped the manifest"));
    expect(skipped).toEqual([
      `render: skipped the manifest of ConfigFile websocket-ingress-gateway-api-crds-standard (${url}): fetch failed: connect ECONNREFUSED 127.0.0.1:${port}; on a machine without access, give a copy with --manifest-mirror DIR|FILE or ${manifestMirrorVariable}`,
    ]);
    expect(cli.stdout).toContain("Rendered stack dev");
    expect(cli.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(out, crdsFile))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(out, renderMarkerFile), "utf8")).files).not.toContain(crdsFile);
    expect(fs.readdirSync(out)).toContain("websocket-route.yaml");
  });

  test("--require-manifests makes the same gap an error, before anything is written", async () => {
    const url = `http://127.0.0.1:${await closedPort()}${releasePath}`;
    const out = path.join(sandbox, "strict");
    const error = await logged(() =>
      renderToDirectory({ stack: "dev", out, overrides: ["ingress.api=gateway", `ingress.gatewayApiCrdsUrl=${url}`], requireManifests: true }),
    ).then(
      () => "no error",
      (e: Error) => e.message,
    );
    expect(error).toMatch(/^render: --require-manifests: websocket-ingress-gateway-api-crds-standard: fetch failed: connect ECONNREFUSED/);
    expect(error).not.toContain("\n");
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe("where the manifest comes from, and what is refused", () => {
  const onlyManifest = async (url: string, options: Parameters<typeof renderConfigFileManifests>[1] = {}) =>
    renderConfigFileManifests((await crdsProgram(url)).resources, options);

  test("a local path is read as-is (relative to the program's directory)", async () => {
    fs.writeFileSync(path.join(sandbox, "standard-install.yaml"), served);
    const result = await onlyManifest("standard-install.yaml", { baseDir: sandbox });
    expect(result.written.map((w) => [w.file, w.via, w.text])).toEqual([[manifestFileName("crds-standard"), "file", served]]);
    expect(result.written[0].objects.map((o) => o.name)).toEqual(["gateways.gateway.networking.k8s.io", "httproutes.gateway.networking.k8s.io"]);
  });

  test("a mirror directory laid out as <host>/<path> answers the pinned URL without any fetch", async () => {
    const pinned = new URL(manifests.gatewayApiStandard.url);
    const copy = path.join(sandbox, "mirror", pinned.host, ...pinned.pathname.split("/").filter(Boolean));
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.writeFileSync(copy, served);
    const result = await onlyManifest(manifests.gatewayApiStandard.url, { mirror: path.join(sandbox, "mirror") });
    expect(result.skipped).toEqual([]);
    expect(result.written.map((w) => [w.via, w.from, w.text])).toEqual([["mirror", copy, served]]);
  });

  test("a URL never names a file outside the mirror directory", () => {
    const mirror = path.join(sandbox, "m");
    fs.mkdirSync(path.join(mirror, "a"), { recursive: true });
    fs.writeFileSync(path.join(sandbox, "standard-install.yaml"), served);
    fs.writeFileSync(path.join(mirror, "a", "x"), served);
    expect(mirrorFileFor(new URL("https://a/x"), mirror).file).toBe(path.join(mirror, "a", "x"));
    for (const url of ["https://../standard-install.yaml", "https://%2e%2e/standard-install.yaml", "https://a/..%2F..%2Fstandard-install.yaml", "https://a/b%2F..%2F..%2F..%2Fstandard-install.yaml"]) {
      expect(mirrorFileFor(new URL(url), mirror)).toEqual({ miss: `the URL cannot name a file in mirror ${mirror}` });
    }
  });

  test("a mirror file is used for the URL whose last segment it is named after, and only that", async () => {
    const file = path.join(sandbox, "standard-install.yaml");
    fs.writeFileSync(file, served);
    const used = await onlyManifest(manifests.gatewayApiStandard.url, { mirror: file });
    expect(used.written.map((w) => w.via)).toEqual(["mirror"]);
    const port = await closedPort();
    const other = await onlyManifest(`http://127.0.0.1:${port}/experimental-install.yaml`, { mirror: file });
    expect(other.written).toEqual([]);
    expect(other.skipped[0].reason).toBe(`mirror file ${file} is not named experimental-install.yaml; fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  test("a copy holding another release than the URL names is refused (bundle-version annotation), served or mirrored", async () => {
    const stale = await onlyManifest(loopback.url("/stale/v1.5.1/standard-install.yaml"));
    expect(stale.written).toEqual([]);
    expect(stale.skipped[0].reason).toBe(`${loopback.url("/stale/v1.5.1/standard-install.yaml")}: its objects carry gateway.networking.k8s.io/bundle-version v1.4.0, the URL names v1.5.1`);
    const mirror = path.join(sandbox, "v");
    const copy = path.join(mirror, "127.0.0.1", "v1.5.1", "standard-install.yaml");
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.writeFileSync(copy, crd("gateways", "Gateway", "v1.4.0"));
    const result = await onlyManifest("http://127.0.0.1/v1.5.1/standard-install.yaml", { mirror });
    expect(result.written).toEqual([]);
    expect(result.skipped[0].reason).toBe(`${copy}: its objects carry gateway.networking.k8s.io/bundle-version v1.4.0, the URL names v1.5.1`);
  });

  test("a 200 that is not a manifest (a proxy's login page), a 404, a redirect off https, and a size cap: each skipped with its reason", async () => {
    const login = await onlyManifest(loopback.url("/login"));
    expect(login.skipped[0].reason).toBe(`${loopback.url("/login")}: document 1 is not a Kubernetes object (apiVersion, kind and metadata.name)`);
    const missing = await onlyManifest(loopback.url("/nothing-here.yaml"));
    expect(missing.skipped[0].reason).toMatch(/^fetch failed: HTTP 404 from 127\.0\.0\.1:\d+;/);
    const cleartext = await onlyManifest(loopback.url("/redirect-cleartext"));
    expect(cleartext.skipped[0].reason).toMatch(/^fetch failed: refusing http:\/\/mirror\.example\.invalid: only https \(or http to a loopback host\);/);
    const big = await onlyManifest(loopback.url(releasePath), { maxBytes: 100 });
    expect(big.skipped[0].reason).toMatch(/^fetch failed: (\d+ bytes declared, )?more than the 100 bytes a manifest may have;/);
    for (const r of [login, missing, cleartext, big]) expect(r.written).toHaveLength(0);
  });

  test("a redirect never leaves https, not even for this machine; plain http stays possible only from a loopback http URL", () => {
    const https = new URL("https://mirror.example.com/v1.5.1/standard-install.yaml");
    expect(mayFollow(https, new URL("http://127.0.0.1:8080/standard-install.yaml"))).toBe(false);
    expect(mayFollow(https, new URL("https://objects.example.com/standard-install.yaml"))).toBe(true);
    expect(mayFollow(new URL("http://127.0.0.1:1/a"), new URL("http://localhost:2/b"))).toBe(true);
  });

  test("a URL's query (a pre-signed mirror's token) is never printed; a path or a plain URL is", () => {
    expect(shownSource("https://mirror.example.com/v1.5.1/standard-install.yaml?X-Amz-Signature=s3cr3t#x")).toBe(
      "https://mirror.example.com/v1.5.1/standard-install.yaml?(query not shown)",
    );
    expect(shownSource("https://mirror.example.com/a.yaml")).toBe("https://mirror.example.com/a.yaml");
    expect(shownSource("crds/standard-install.yaml")).toBe("crds/standard-install.yaml");
  });

  test("a refused page reached through a signed URL names the URL without its query", async () => {
    const result = await onlyManifest(`${loopback.url("/login")}?token=s3cr3t`);
    expect(result.skipped[0].reason).toBe(`${loopback.url("/login")}?(query not shown): document 1 is not a Kubernetes object (apiVersion, kind and metadata.name)`);
    expect(JSON.stringify(result)).not.toContain("s3cr3t");
  });

  test("a redirect on the same loopback server is followed", async () => {
    const result = await onlyManifest(loopback.url("/redirect-local"));
    expect(result.written.map((w) => w.text)).toEqual([served]);
  });

  test("a server that never answers is given up after the bound", async () => {
    const result = await onlyManifest(loopback.url("/silent"), { timeoutMs: 300 });
    expect(result.skipped[0].reason).toMatch(/^fetch failed: no answer within 0\.3 s;/);
  });

  test("the mirror comes from --manifest-mirror, else from the environment variable", () => {
    expect(parseRenderArgs(["dev"], {}).manifestMirror).toBeUndefined();
    expect(parseRenderArgs(["dev"], { [manifestMirrorVariable]: "/srv/mirror" }).manifestMirror).toBe("/srv/mirror");
    expect(parseRenderArgs(["dev", "--manifest-mirror", "/opt/m"], { [manifestMirrorVariable]: "/srv/mirror" }).manifestMirror).toBe("/opt/m");
    expect(parseRenderArgs(["dev", "--require-manifests"], {}).requireManifests).toBe(true);
    expect(() => parseRenderArgs(["dev", "--manifest-mirror"], {})).toThrow(/--manifest-mirror needs a value/);
  });
});
